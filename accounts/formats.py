"""The portal's one policy for showing dates, times and file sizes.

Every date on a page goes through the template filters of ``award_format``
(``accounts/templatetags/award_format.py``), which call these functions:

- a moment (deadline, submission, decision) is shown in Beijing time, in the active
  language's format, labelled "Beijing time", and followed by the same moment in the
  viewer's own zone when that zone differs (the active time zone: the signed-in
  user's ``time_zone``, see ``UserTimezoneMiddleware``);
- a calendar date (an initiative's start) is shown in the language's date format;
- formats come from Django's locale formats (``awardportal/formats/en`` overrides the
  English ones: "24 November 2026, 13:04").
"""

import datetime as dt
import zoneinfo

from django.conf import settings
from django.utils import formats, timezone
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

KB = 1024
MB = 1024 * 1024


def award_zone() -> zoneinfo.ZoneInfo:
    return zoneinfo.ZoneInfo(settings.AWARD_TIME_ZONE)


def _format_name(style: str) -> str:
    return "SHORT_DATETIME_FORMAT" if style == "short" else "DATETIME_FORMAT"


def _aware(value: dt.datetime) -> dt.datetime:
    if timezone.is_naive(value):
        return timezone.make_aware(value, award_zone())
    return value


def _own_zone_differs(moment: dt.datetime) -> zoneinfo.ZoneInfo | None:
    """The viewer's zone when it shows this moment at another clock time."""
    here = timezone.get_current_timezone()
    if str(here) == settings.AWARD_TIME_ZONE:
        return None
    if moment.astimezone(here).utcoffset() == moment.astimezone(award_zone()).utcoffset():
        return None
    return here


def datetime_text(value: dt.datetime | None, style: str = "long", *, own_zone: bool = True) -> str:
    """'24 November 2026, 13:04 Beijing time (24 November 2026, 06:04 Europe/Paris)' as
    plain text, for emails, PDFs and messages; ``own_zone=False`` leaves out the
    viewer's zone (a text several people read)."""
    if not value:
        return ""
    if not isinstance(value, dt.datetime):
        return date_text(value, style)
    moment = _aware(value)
    fmt = _format_name(style)
    text = _("%(when)s Beijing time") % {
        "when": formats.date_format(moment.astimezone(award_zone()), fmt)
    }
    here = _own_zone_differs(moment) if own_zone else None
    if here is not None:
        text += f" ({formats.date_format(moment.astimezone(here), fmt)} {here})"
    return text


def datetime_html(value: dt.datetime | None, style: str = "long") -> SafeString | str:
    """The same as ``datetime_text`` in a ``<time>`` element (machine-readable)."""
    if not value:
        return ""
    if not isinstance(value, dt.datetime):
        return date_html(value, style)
    moment = _aware(value)
    fmt = _format_name(style)
    beijing = moment.astimezone(award_zone())
    html = format_html(
        '<time datetime="{}">{}</time>',
        beijing.isoformat(),
        _("%(when)s Beijing time") % {"when": formats.date_format(beijing, fmt)},
    )
    here = _own_zone_differs(moment)
    if here is not None:
        html += format_html(
            ' <span class="text-muted gza-own-time">({} {})</span>',
            formats.date_format(moment.astimezone(here), fmt),
            str(here),
        )
    return html


def _as_date(value) -> dt.date:
    if isinstance(value, dt.datetime):
        # A moment's calendar day is the award's (Beijing) day.
        return _aware(value).astimezone(award_zone()).date()
    return value


def date_text(value, style: str = "long") -> str:
    """'24 November 2026' (long) or '24 Nov 2026' (short) in the active language."""
    if not value:
        return ""
    fmt = "SHORT_DATE_FORMAT" if style == "short" else "DATE_FORMAT"
    return formats.date_format(_as_date(value), fmt)


def date_html(value, style: str = "long") -> SafeString | str:
    if not value:
        return ""
    day = _as_date(value)
    return format_html('<time datetime="{}">{}</time>', day.isoformat(), date_text(day, style))


def year_text(value) -> str:
    """The year alone ('2019'): for periods such as 'since 2019'."""
    if not value:
        return ""
    return str(_as_date(value).year)


def time_text(value: dt.datetime | None) -> str:
    """A clock time in the viewer's own zone ('13:04'): for the viewer's own recent
    actions ('Saved 13:04'), where a zone label would be noise."""
    if not value:
        return ""
    return formats.time_format(timezone.localtime(_aware(value)), "TIME_FORMAT")


def iso(value) -> str:
    """ISO 8601 for machines (``datetime=`` and ``data-countdown`` attributes)."""
    if not value:
        return ""
    if isinstance(value, dt.datetime):
        return _aware(value).isoformat()
    return value.isoformat()


def file_size(size_bytes: int | None) -> str:
    """'340 KB' under one megabyte (never '0.0 MB'), '2.4 MB' above; numbers in the
    active language's format."""
    size = size_bytes or 0
    kilobytes = -(-size // KB)  # rounded up: a 200-byte file is "1 KB", not "0 KB"
    if kilobytes < 1000:
        return _("%(size)s KB") % {"size": formats.number_format(kilobytes)}
    # number_format cuts decimals off; round first so 2.39 MB reads "2.4 MB".
    return _("%(size)s MB") % {"size": formats.number_format(round(size / MB, 1), 1)}


def beijing_text(value: dt.datetime | None, style: str = "short") -> str:
    """The moment at Beijing's clock, unlabelled, for a text that names the zone itself
    ("Scheduled for … (Beijing time)"). ``style``: "short", "long", "time" (hours and
    minutes) or "input" (the value of a datetime-local field)."""
    if not value:
        return ""
    beijing = _aware(value).astimezone(award_zone())
    if style == "input":
        return beijing.strftime("%Y-%m-%dT%H:%M")
    if style == "time":
        return formats.date_format(beijing, "H:i")
    return formats.date_format(beijing, _format_name(style))
