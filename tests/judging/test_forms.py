"""Judging forms: no "---------" where a choice must be made."""

from judging.forms import IneligibleForm, ReconsiderForm
from submissions.classifications import IneligibilityReason


def test_ineligible_form_offers_only_real_reasons_as_radio_buttons():
    form = IneligibleForm()
    html = str(form["reason"])
    assert "---------" not in html
    assert html.count('type="radio"') == len(IneligibilityReason.choices)
    assert "checked" not in html
    assert not IneligibleForm(data={"note": "Too old."}).is_valid()


def test_reconsider_form_blank_reason_says_when_it_is_needed():
    html = str(ReconsiderForm(targets=[])["reason"])
    assert "---------" not in html
    assert "Only when the new decision is “not eligible”" in html
