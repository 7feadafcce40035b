"""The JavaScript messages come from Django's JavaScriptCatalog, a public static-script
URL (no inline script), loaded on every page before the portal's own scripts."""

import re
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db

JS = Path(__file__).resolve().parent.parent / "static" / "js"


def test_catalog_is_public_javascript():
    response = Client().get(reverse("javascript-catalog"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/javascript")
    assert "django.gettext" in response.content.decode()


def test_catalog_is_revalidated_not_rebuilt():
    client = Client()
    first = client.get(reverse("javascript-catalog"))
    again = client.get(
        reverse("javascript-catalog"), headers={"if-modified-since": first["Last-Modified"]}
    )
    assert again.status_code == 304


def test_every_page_loads_the_catalog_before_the_portal_script():
    content = Client().get(reverse("home")).content.decode()
    catalog = content.index(f'<script src="{reverse("javascript-catalog")}?language=en"></script>')
    assert catalog < content.index("js/portal.js")


@pytest.mark.parametrize("name", ["portal.js", "application.js"])
def test_scripts_translate_their_messages(name):
    text = (JS / name).read_text()
    assert "gettext(" in text
    # No English sentence is put on the page without gettext.
    assert re.findall(r'textContent = "[A-Z]', text) == []
