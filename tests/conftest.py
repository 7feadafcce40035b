"""Shared fixtures. Role clients: ``secretariat_client``, ``official_client``..."""

import os

import pytest
from django.test import Client
from django.utils import translation

from tests import factories

IN_CI = bool(os.environ.get("CI"))


def pytest_sessionstart(session):
    """Compile missing or stale translation catalogues, so ``pytest`` alone works.

    The .mo files are build products (gitignored); ``make test`` compiles them too.
    Pure Python (polib): no GNU gettext needed. Django's translation cache is reset
    in case a catalogue was read before it was compiled.
    """
    from django.conf import settings
    from django.utils.translation import trans_real

    from awardportal.catalogues import compile_catalogues

    if compile_catalogues(settings.LOCALE_PATHS):
        trans_real._translations = {}
        trans_real._default = None


@pytest.fixture(autouse=True)
def _english_unless_the_test_asks():
    """Every test starts and ends in English (settings.LANGUAGE_CODE).

    LocaleMiddleware activates the request's language in the thread and leaves it
    active after the response; without this a test that browses in Chinese would
    make the next test's gettext() answer in Chinese.
    """
    translation.deactivate()
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _fresh_public_cache():
    """Every test starts with a new generation of the public cache: a page cached by
    an earlier test (whose data has been rolled back since) is never served. The key is
    forgotten rather than the cache cleared: with REDIS_URL the cache shares its server
    with the broker."""
    from django.core.cache import cache

    from submissions.public_cache import GENERATION_KEY

    cache.delete(GENERATION_KEY)


@pytest.fixture(autouse=True)
def _fresh_email_templates():
    """Every test starts with a new generation of the email wordings a process keeps:
    a transactional test's rows are truncated at its end, which no signal reports."""
    from django.core.cache import cache

    from submissions.email_template_cache import GENERATION_KEY

    cache.delete(GENERATION_KEY)


def skip_or_fail(reason: str):
    """Skip a test whose service is missing; in CI (``CI`` set) fail instead."""
    if IN_CI:
        pytest.fail(f"{reason} (required in CI)")
    pytest.skip(reason)


@pytest.fixture
def open_cycle(db):
    return factories.OpenCycleFactory()


@pytest.fixture
def official(db):
    return factories.CityOfficialFactory()


@pytest.fixture
def official_client(official):
    client = Client()
    client.force_login(official)
    return client


@pytest.fixture
def secretariat(db):
    return factories.secretariat_user()


@pytest.fixture
def secretariat_client(secretariat):
    client = Client()
    client.force_login(secretariat)
    return client
