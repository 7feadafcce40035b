"""The date, time and file-size policy (accounts.formats and its template filters)."""

import datetime as dt
import zoneinfo

import pytest
from django.template import Context, Template
from django.utils import timezone, translation

from accounts import formats

MOMENT = dt.datetime(2026, 11, 24, 5, 4, tzinfo=dt.UTC)  # 13:04 in Beijing


def render(source: str, **context) -> str:
    return Template("{% load award_format %}" + source).render(Context(context))


def test_datetime_is_shown_in_beijing_time_and_labelled():
    with translation.override("en"), timezone.override(zoneinfo.ZoneInfo("Asia/Shanghai")):
        html = render("{{ m|award_datetime }}", m=MOMENT)
    assert html == (
        '<time datetime="2026-11-24T13:04:00+08:00">24 November 2026, 13:04 Beijing time</time>'
    )


def test_datetime_adds_the_viewer_own_zone_when_it_differs():
    with translation.override("en"), timezone.override(zoneinfo.ZoneInfo("Europe/Paris")):
        text = formats.datetime_text(MOMENT)
        short = formats.datetime_text(MOMENT, "short")
    assert text == "24 November 2026, 13:04 Beijing time (24 November 2026, 06:04 Europe/Paris)"
    assert short == "24 Nov 2026, 13:04 Beijing time (24 Nov 2026, 06:04 Europe/Paris)"


def test_datetime_leaves_out_a_zone_with_the_same_clock():
    with translation.override("en"), timezone.override(zoneinfo.ZoneInfo("Asia/Singapore")):
        assert formats.datetime_text(MOMENT) == "24 November 2026, 13:04 Beijing time"


@pytest.mark.parametrize(
    "language,expected",
    [
        ("en", "24 November 2026, 13:04"),
        ("zh-hans", "2026年11月24日 13:04"),
        ("fr", "24 novembre 2026 13:04"),
        ("es", "24 de noviembre de 2026 a las 13:04"),
    ],
)
def test_datetime_uses_the_language_format(language, expected):
    with translation.override(language), timezone.override(zoneinfo.ZoneInfo("Asia/Shanghai")):
        text = formats.datetime_text(MOMENT, own_zone=False)
    assert text.startswith(expected)


def test_date_of_a_moment_is_the_beijing_day():
    late = dt.datetime(2026, 11, 24, 20, 0, tzinfo=dt.UTC)  # 25 Nov 04:00 in Beijing
    with translation.override("en"):
        assert formats.date_text(late) == "25 November 2026"
        assert formats.date_text(dt.date(2019, 3, 1), "short") == "1 Mar 2019"
        assert render("{{ d|award_date }}", d=dt.date(2019, 3, 1)) == (
            '<time datetime="2019-03-01">1 March 2019</time>'
        )


def test_empty_values_render_nothing():
    assert render("{{ m|award_datetime }}|{{ m|award_date }}|{{ m|award_iso }}", m=None) == "||"


def test_iso_is_for_machines():
    assert render("{{ m|award_iso }}", m=MOMENT) == "2026-11-24T05:04:00+00:00"


def test_time_is_the_viewer_clock():
    with translation.override("en"), timezone.override(zoneinfo.ZoneInfo("Europe/Paris")):
        assert render("{{ m|award_time }}", m=MOMENT) == "06:04"


@pytest.mark.parametrize(
    "size,expected",
    [
        (0, "0 KB"),
        (200, "1 KB"),
        (340 * 1024, "340 KB"),
        (999 * 1024, "999 KB"),
        (1024 * 1024 - 1, "1.0 MB"),
        (int(2.4 * 1024 * 1024), "2.4 MB"),
    ],
)
def test_file_size_shows_kilobytes_under_a_megabyte(size, expected):
    with translation.override("en"):
        assert formats.file_size(size) == expected


def test_file_size_uses_the_language_number_format():
    with translation.override("fr"):
        assert formats.file_size(int(2.4 * 1024 * 1024)) == "2,4 Mo"  # French says Mo (mégaoctet)


def test_year_is_the_beijing_year():
    new_year = dt.datetime(2026, 12, 31, 17, 0, tzinfo=dt.UTC)  # 1 January 2027 in Beijing
    assert render("{{ d|award_year }}|{{ m|award_year }}", d=dt.date(2019, 3, 1), m=new_year) == (
        "2019|2027"
    )


def test_beijing_clock_unlabelled_for_texts_that_name_the_zone():
    with translation.override("en"), timezone.override(zoneinfo.ZoneInfo("Europe/Paris")):
        assert render('{{ m|award_beijing:"input" }}', m=MOMENT) == "2026-11-24T13:04"
        assert render('{{ m|award_beijing:"time" }}', m=MOMENT) == "13:04"
        assert "13:04" in render("{{ m|award_beijing }}", m=MOMENT)
        assert "Beijing" not in render("{{ m|award_beijing }}", m=MOMENT)
    assert formats.beijing_text(None) == ""
