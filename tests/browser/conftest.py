"""Browser tests: Playwright drives Debian's Chromium (/usr/bin/chromium) against
pytest-django's live server. No browser is downloaded."""

import os
import shutil

import pytest
from playwright.sync_api import expect

from tests.conftest import skip_or_fail

CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"

# Playwright's sync API runs an event loop in this thread; the live server's
# database access happens in its own thread, so Django's async guard is moot here.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
# expect(...) retries its check until it holds, as long as the pages' own actions wait.
expect.set_options(timeout=10_000)


@pytest.fixture(scope="session")
def chromium_browser():
    if not os.path.exists(CHROMIUM):
        skip_or_fail("Chromium is not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(chromium_browser, live_server):
    context = chromium_browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(10_000)
    # Any JavaScript error or CSP violation on a page fails the test.
    page.errors = []
    page.on("pageerror", lambda error: page.errors.append(str(error)))
    page.on(
        "console",
        lambda msg: (
            page.errors.append(msg.text)
            if msg.type == "error" and "favicon" not in msg.text
            else None
        ),
    )
    yield page
    context.close()


def sign_in(page, live_server, email, password="a-Strong-pass-42", totp_secret=None):
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=login]", email)
    page.fill("input[name=password]", password)
    page.click("main form button[type=submit]")
    page.wait_for_load_state()
    if page.url.endswith("/accounts/2fa/authenticate/"):
        # Privileged test users have a TOTP authenticator (tests.factories).
        from tests.factories import totp_code

        page.fill("input[name=code]", totp_code(totp_secret) if totp_secret else totp_code())
        page.click("main form button[type=submit]")
        page.wait_for_load_state()
