"""Public pages in a real browser: they render, run their scripts and break no CSP rule."""

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_home_page_renders_without_script_errors(page, live_server):
    response = page.goto(live_server.url + "/")
    assert response.status == 200
    assert "default-src 'self'" in response.headers["content-security-policy"]
    expect(page.locator("h1")).to_have_text("Guangzhou International Award for Urban Innovation")
    assert page.errors == []


def test_home_page_menu_collapses_on_a_phone(page, live_server):
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(live_server.url + "/")
    toggler = page.locator(".navbar-toggler")
    expect(toggler).to_be_visible()
    expect(page.locator("#mainnav")).to_be_hidden()
    toggler.click()
    expect(page.locator("#mainnav")).to_be_visible()
    expect(page.get_by_role("link", name="Database", exact=True)).to_be_visible()
    assert page.errors == []
