import pytest

from submissions.forms.application import (
    AttachmentForm,
    ContactForm,
    Step1Form,
    Step2Form,
    contact_formset,
    contacts_from,
)
from submissions.forms.organisation import OrganisationForm
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def entry(open_cycle):
    return factories.SubmissionFactory(cycle=open_cycle)


def test_step1_form_title_at_limit_is_valid(entry):
    form = Step1Form({"title": " ".join(["w"] * 25)}, submission=entry, only="title")
    assert form.is_valid(), form.errors


def test_step1_form_title_over_limit_names_counts(entry):
    form = Step1Form({"title": " ".join(["w"] * 26)}, submission=entry, only="title")
    assert form.errors == {"title": ["26 words: the limit is 25."]}


def test_step1_form_abstract_limit_follows_cycle_override():
    entry = factories.SubmissionFactory(
        cycle=factories.OpenCycleFactory(word_limits={"abstract": 5})
    )
    form = Step1Form({"abstract": "one two three four five six"}, submission=entry, only="abstract")
    assert form.errors == {"abstract": ["6 words: the limit is 5."]}
    assert form.fields["abstract"].widget.attrs["data-word-limit"] == "5"


def test_step1_form_only_keeps_one_field(entry):
    assert list(Step1Form(submission=entry, only="subtitle").fields) == ["subtitle"]


def test_step1_form_start_date_checked_against_entry_end_date(entry):
    entry.end_date = entry.cycle.earliest_start_date.replace(year=2015)
    form = Step1Form({"start_date": "2016-01-01"}, submission=entry, only="start_date")
    assert "The end date is before the start date." in form.errors["start_date"]


def test_step1_form_wires_autosave_attributes(entry):
    form = Step1Form(submission=entry)
    assert (
        form.fields["abstract"].widget.attrs["hx-trigger"] == "input changed delay:1200ms, change"
    )
    assert form.fields["domains"].widget.attrs["hx-include"] == "[name='domains']"


def test_step2_form_goals_are_1_to_17_and_prefilled(open_cycle):
    entry = factories.CompleteSubmissionFactory(cycle=open_cycle)
    form = Step2Form(submission=entry)
    assert [value for value, _label in form.fields["goals"].choices] == list(range(1, 18))
    assert form.fields["goals"].initial == [11, 16]
    assert Step2Form({"goals": ["18"]}, submission=entry, only="goals").errors


def test_step2_form_over_limit_field(open_cycle):
    entry = factories.SubmissionFactory(cycle=open_cycle)
    form = Step2Form({"problem": " ".join(["w"] * 401)}, submission=entry, only="problem")
    assert form.errors == {"problem": ["401 words: the limit is 400."]}


def test_contact_form_needs_name_and_email_when_partly_filled():
    form = ContactForm({"position": "Mayor"})
    assert set(form.errors) == {"name", "email"}
    assert ContactForm({}).is_valid()


def test_contact_formset_returns_filled_slots_only(entry):
    data = {
        "contacts-TOTAL_FORMS": "3",
        "contacts-INITIAL_FORMS": "0",
        "contacts-0-name": "A",
        "contacts-0-email": "a@example.org",
        "contacts-2-name": "C",
        "contacts-2-email": "c@example.org",
    }
    formset = contact_formset(submission=entry, data=data)
    assert formset.is_valid()
    assert [c["name"] for c in contacts_from(formset)] == ["A", "C"]


def test_contact_formset_refuses_a_fourth(entry):
    data = {"contacts-TOTAL_FORMS": "4", "contacts-INITIAL_FORMS": "0"}
    for n in range(4):
        data[f"contacts-{n}-name"] = str(n)
        data[f"contacts-{n}-email"] = f"{n}@example.org"
    assert not contact_formset(submission=entry, data=data).is_valid()


def test_attachment_form_needs_file_or_link():
    assert AttachmentForm({"kind": "document"}).errors == {"file": ["Please choose a file."]}
    assert AttachmentForm({"kind": "video"}).errors == {
        "video_url": ["Please give the link to the video."]
    }


def test_organisation_form_requires_name_and_country():
    form = OrganisationForm({"kind": "city"})
    assert {"name", "country"} <= set(form.errors)
