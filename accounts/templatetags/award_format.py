"""The portal's date, time and file-size filters: the only place templates format
dates (tests/test_templates_dates.py refuses ``|date:`` and friends elsewhere).

    {% load award_format %}
    {{ cycle.final_deadline|award_datetime }}          24 November 2026, 13:04 Beijing time (…)
    {{ job.created_at|award_datetime:"short" }}         24 Nov 2026, 13:04 Beijing time
    {{ submission.start_date|award_date }}              1 March 2019
    {{ submission.start_date|award_year }}              2019
    {{ saved_at|award_time }}                           13:04 (the viewer's clock)
    {{ deadline|award_iso }}                            2026-11-24T13:04:00+08:00
    {{ deadline|award_datetime_text }}                  plain text, for emails
    {{ attachment.size_bytes|file_size }}               340 KB / 2.4 MB
"""

from django import template

from accounts import formats

register = template.Library()


@register.filter(expects_localtime=False)
def award_datetime(value, style="long"):
    return formats.datetime_html(value, style)


@register.filter(expects_localtime=False)
def award_datetime_text(value, style="long"):
    return formats.datetime_text(value, style)


@register.filter(expects_localtime=False)
def award_date(value, style="long"):
    return formats.date_html(value, style)


@register.filter(expects_localtime=False)
def award_date_text(value, style="long"):
    return formats.date_text(value, style)


@register.filter(expects_localtime=False)
def award_year(value):
    return formats.year_text(value)


@register.filter(expects_localtime=False)
def award_time(value):
    return formats.time_text(value)


@register.filter(expects_localtime=False)
def award_iso(value):
    return formats.iso(value)


@register.filter
def file_size(value):
    return formats.file_size(value)


@register.filter(expects_localtime=False)
def award_beijing(value, style="short"):
    """The moment at Beijing's clock, unlabelled: for texts that say "Beijing time"."""
    return formats.beijing_text(value, style)
