"""Error pages speak the portal's language and keep its layout."""

import pytest
from django.template.loader import render_to_string


@pytest.mark.django_db
def test_unknown_page_gets_the_portal_404(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert b"This page does not exist" in response.content


@pytest.mark.django_db
def test_forbidden_page_gets_the_portal_403(official_client):
    response = official_client.get("/console/")
    assert response.status_code == 403
    assert b"You may not open this page" in response.content


def test_500_page_renders_without_a_request():
    assert "Something went wrong on our side" in render_to_string("500.html")
