import datetime as dt

import pytest
from django.contrib.messages.storage.cookie import CookieStorage
from django.urls import reverse
from django.utils import timezone

from submissions.forms.application import STEP_FORMS, contact_formset
from submissions.models import Contact, StatusChange, Submission
from submissions.views.applicant.steps import after_step, step_refusal, step_save
from submissions.workflow import Status
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft(official, open_cycle):
    return factories.SubmissionFactory(cycle=open_cycle, organisation=official.organisation)


@pytest.fixture
def complete_draft(official, open_cycle):
    return factories.CompleteSubmissionFactory(cycle=open_cycle, organisation=official.organisation)


def step1_post(**overrides):
    data = {
        "title": "Green roofs for every school",
        "subtitle": "",
        "umbrella_title": "",
        "start_date": "2019-01-01",
        "end_date": "",
        "ongoing": "on",
        "domains": ["environmental"],
        "innovation_types": ["policy"],
        "innovation_kind": "evolutionary",
        "abstract": "Every school roof in the city becomes green by 2030.",
        "contacts-TOTAL_FORMS": "3",
        "contacts-INITIAL_FORMS": "0",
        "contacts-MIN_NUM_FORMS": "0",
        "contacts-MAX_NUM_FORMS": "3",
        "contacts-0-name": "Li Wei",
        "contacts-0-email": "li.wei@example.org",
        "then": "stay",
    }
    data.update(overrides)
    return data


def test_dashboard_without_organisation_offers_to_create_the_city(client, open_cycle):
    user = factories.UserFactory()
    client.force_login(user)
    response = client.get(reverse("submissions:dashboard"))
    assert response.status_code == 200
    assert reverse("submissions:organisation_create").encode() in response.content


def test_dashboard_lists_entries_and_deadlines_in_two_zones(official_client, official, draft):
    official.time_zone = "Europe/Paris"
    official.save()
    response = official_client.get(reverse("submissions:dashboard"))
    content = response.content.decode()
    assert draft.reference in content
    assert "Beijing time" in content
    assert "Europe/Paris" in content
    assert "data-countdown" in content
    assert str(draft.applicant_label) in content


def test_dashboard_says_when_no_cycle_is_open(official_client):
    response = official_client.get(reverse("submissions:dashboard"))
    assert "No cycle is open for applications" in response.content.decode()


def test_dashboard_shows_open_clarification_with_reply_form(official_client, official, open_cycle):
    entry = factories.CompleteSubmissionFactory(
        cycle=open_cycle, organisation=official.organisation, status=Status.CLARIFICATION
    )
    question = factories.ClarificationRequestFactory(submission=entry)
    content = official_client.get(reverse("submissions:dashboard")).content.decode()
    assert question.question in content
    assert reverse("submissions:clarification_answer", args=[entry.pk, question.pk]) in content


def test_dashboard_shows_outcome_once_published(official_client, official):
    cycle = factories.CycleFactory(results_published_at=timezone.now())
    factories.CompleteSubmissionFactory(
        cycle=cycle, organisation=official.organisation, status=Status.WINNER, citation="Bold."
    )
    content = official_client.get(reverse("submissions:dashboard")).content.decode()
    assert "Outcome" in content
    assert "Bold." in content


def test_start_creates_draft_and_opens_step1(official_client, official, open_cycle):
    response = official_client.post(reverse("submissions:submission_start"))
    entry = Submission.objects.get(organisation=official.organisation)
    assert response.status_code == 302
    assert response["Location"] == reverse("submissions:step", args=[entry.pk, 1])
    assert entry.reference == f"GZA-{open_cycle.number}-0001"


def test_step1_page_renders_with_autosave_and_word_limits(official_client, draft):
    response = official_client.get(reverse("submissions:step", args=[draft.pk, 1]))
    content = response.content.decode()
    assert response.status_code == 200
    assert reverse("submissions:field_save", args=[draft.pk, "title"]) in content
    assert 'data-word-limit="25"' in content
    assert 'data-word-limit="150"' in content
    assert "<script>" not in content
    assert " style=" not in content
    assert " onclick=" not in content


def test_step1_save_stores_answers_and_contacts(official_client, draft):
    response = official_client.post(reverse("submissions:step", args=[draft.pk, 1]), step1_post())
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.title == "Green roofs for every school"
    assert draft.domains == ["environmental"]
    assert draft.ongoing is True
    assert list(Contact.objects.filter(submission=draft).values_list("email", flat=True)) == [
        "li.wei@example.org"
    ]


def test_step1_save_refuses_title_over_word_limit_and_saves_nothing(official_client, draft):
    long_title = " ".join(["word"] * 26)
    response = official_client.post(
        reverse("submissions:step", args=[draft.pk, 1]), step1_post(title=long_title)
    )
    assert response.status_code == 400
    assert "26 words: the limit is 25." in response.content.decode()
    draft.refresh_from_db()
    assert draft.title == ""
    assert draft.contacts.count() == 0


def test_step1_save_refuses_too_recent_start_date(official_client, draft):
    too_new = (timezone.now().date() - dt.timedelta(days=10)).isoformat()
    response = official_client.post(
        reverse("submissions:step", args=[draft.pk, 1]), step1_post(start_date=too_new)
    )
    assert response.status_code == 400
    assert "must have started on or before" in response.content.decode()
    draft.refresh_from_db()
    assert draft.start_date is None


def test_step2_is_locked_until_step1_is_complete(official_client, draft):
    response = official_client.get(reverse("submissions:step", args=[draft.pk, 2]))
    assert response.status_code == 302
    assert response["Location"] == reverse("submissions:step", args=[draft.pk, 1])


def test_step2_save_stores_answers_and_goals(official_client, complete_draft):
    data = {f: f"New {f}" for f in ("background", "problem", "innovation", "implementation")}
    data.update(
        resources="r", results="r", sustainability="s", transferability="t", nua_links="n",
        lessons="l", goals=["3", "11"], then="stay",
    )  # fmt: skip
    response = official_client.post(reverse("submissions:step", args=[complete_draft.pk, 2]), data)
    assert response.status_code == 302
    complete_draft.refresh_from_db()
    assert complete_draft.background == "New background"
    assert list(complete_draft.goals.values_list("goal", flat=True)) == [3, 11]


def test_field_save_saves_one_answer_and_says_when(official_client, draft):
    response = official_client.post(
        reverse("submissions:field_save", args=[draft.pk, "abstract"]),
        {"abstract": "A short abstract."},
    )
    draft.refresh_from_db()
    assert draft.abstract == "A short abstract."
    assert "Saved" in response.content.decode()


def test_field_save_over_limit_returns_error_and_keeps_old_value(official_client, draft):
    draft.abstract = "Old."
    draft.save()
    response = official_client.post(
        reverse("submissions:field_save", args=[draft.pk, "abstract"]),
        {"abstract": " ".join(["w"] * 151)},
    )
    assert "151 words: the limit is 150." in response.content.decode()
    draft.refresh_from_db()
    assert draft.abstract == "Old."


def test_field_save_of_unchecked_ongoing_keeps_other_answers(official_client, draft):
    draft.title = "Kept"
    draft.ongoing = True
    draft.save()
    official_client.post(reverse("submissions:field_save", args=[draft.pk, "ongoing"]), {})
    draft.refresh_from_db()
    assert (draft.ongoing, draft.title) == (False, "Kept")


def test_field_save_of_goals_sets_sdgs(official_client, complete_draft):
    official_client.post(
        reverse("submissions:field_save", args=[complete_draft.pk, "goals"]), {"goals": ["5"]}
    )
    assert list(complete_draft.goals.values_list("goal", flat=True)) == [5]


def test_field_save_of_unknown_field_is_404(official_client, draft):
    response = official_client.post(
        reverse("submissions:field_save", args=[draft.pk, "status"]), {"status": "winner"}
    )
    assert response.status_code == 404


def test_stale_tab_after_deadline_keeps_typed_text_and_saves_nothing(
    official_client, draft, open_cycle
):
    # The form was opened before the deadline; the deadline passes; the city saves.
    open_cycle.final_deadline = timezone.now() - dt.timedelta(minutes=1)
    open_cycle.save()
    typed = "A title typed just before the deadline"
    response = official_client.post(
        reverse("submissions:step", args=[draft.pk, 1]), step1_post(title=typed)
    )
    content = response.content.decode()
    assert response.status_code == 400
    assert "The final deadline" in content
    assert "has passed" in content
    assert typed in content
    assert "li.wei@example.org" in content
    draft.refresh_from_db()
    assert draft.title == ""


def test_stale_tab_autosave_after_deadline_reports_and_saves_nothing(
    official_client, draft, open_cycle
):
    open_cycle.final_deadline = timezone.now() - dt.timedelta(minutes=1)
    open_cycle.save()
    response = official_client.post(
        reverse("submissions:field_save", args=[draft.pk, "title"]), {"title": "Late"}
    )
    assert "has passed" in response.content.decode()
    draft.refresh_from_db()
    assert draft.title == ""


def test_stale_tab_submit_after_deadline_says_so_and_keeps_draft(
    official_client, complete_draft, open_cycle, django_capture_on_commit_callbacks, mailoutbox
):
    open_cycle.final_deadline = timezone.now() - dt.timedelta(seconds=1)
    open_cycle.save()
    with django_capture_on_commit_callbacks(execute=True):
        response = official_client.post(reverse("submissions:submit", args=[complete_draft.pk]))
    assert response.status_code == 400
    assert "has passed" in response.content.decode()
    complete_draft.refresh_from_db()
    assert complete_draft.status == Status.DRAFT
    assert complete_draft.background == "The city adopted a participation charter in 2018."
    assert mailoutbox == []


def test_submit_confirmation_page_then_post_submits(
    official_client, official, complete_draft, django_capture_on_commit_callbacks, mailoutbox
):
    page = official_client.get(reverse("submissions:submit", args=[complete_draft.pk]))
    assert "data-confirm" in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = official_client.post(
            reverse("submissions:submit", args=[complete_draft.pk]),
            {"publication_consent": "yes"},
        )
    assert response.status_code == 302
    complete_draft.refresh_from_db()
    assert complete_draft.status == Status.SUBMITTED
    assert [m.to for m in mailoutbox] == [[official.email]]


def test_submitted_entry_pages_are_read_only(official_client, official, open_cycle):
    entry = factories.CompleteSubmissionFactory(
        cycle=open_cycle, organisation=official.organisation, status=Status.SUBMITTED,
        submitted_at=timezone.now(), early_bird=False,
    )  # fmt: skip
    response = official_client.get(reverse("submissions:step", args=[entry.pk, 1]))
    assert response.status_code == 302
    assert response["Location"] == reverse("submissions:preview", args=[entry.pk])
    response = official_client.post(
        reverse("submissions:field_save", args=[entry.pk, "title"]), {"title": "Changed"}
    )
    assert "can no longer be changed" in response.content.decode()
    entry.refresh_from_db()
    assert entry.title != "Changed"


def test_preview_shows_whole_application(official_client, complete_draft):
    factories.PartnerFactory(submission=complete_draft, name="Parks Friends")
    photo = factories.AttachmentFactory(
        submission=complete_draft, kind="photo", original_name="park.png", caption="The park"
    )
    content = official_client.get(
        reverse("submissions:preview", args=[complete_draft.pk])
    ).content.decode()
    assert complete_draft.title in content
    assert complete_draft.lessons in content
    assert "Parks Friends" in content
    assert "Ana Souza" in content
    assert "SDG 11" in content
    assert reverse("submissions:attachment", args=[complete_draft.pk, photo.pk]) in content
    assert reverse("submissions:submit", args=[complete_draft.pk]) in content


def test_withdraw_confirmation_then_post_withdraws(official_client, official, complete_draft):
    page = official_client.get(reverse("submissions:withdraw", args=[complete_draft.pk]))
    assert "data-confirm" in page.content.decode()
    official_client.post(reverse("submissions:withdraw", args=[complete_draft.pk]))
    complete_draft.refresh_from_db()
    assert complete_draft.status == Status.WITHDRAWN
    assert list(StatusChange.objects.values_list("from_status", "to_status", "by")) == [
        ("draft", "withdrawn", official.pk)
    ]


def test_clarification_answer_returns_entry_to_secretariat(official_client, official, open_cycle):
    entry = factories.CompleteSubmissionFactory(
        cycle=open_cycle, organisation=official.organisation, status=Status.CLARIFICATION
    )
    question = factories.ClarificationRequestFactory(submission=entry)
    response = official_client.post(
        reverse("submissions:clarification_answer", args=[entry.pk, question.pk]),
        {"answer": "The report is attached."},
    )
    assert response.status_code == 302
    entry.refresh_from_db()
    question.refresh_from_db()
    assert entry.status == Status.SUBMITTED
    assert question.answer == "The report is attached."
    assert question.answered_by == official


def test_clarification_empty_answer_shows_error(official_client, official, open_cycle):
    entry = factories.CompleteSubmissionFactory(
        cycle=open_cycle, organisation=official.organisation, status=Status.CLARIFICATION
    )
    question = factories.ClarificationRequestFactory(submission=entry)
    response = official_client.post(
        reverse("submissions:clarification_answer", args=[entry.pk, question.pk]), {"answer": ""}
    )
    assert response.status_code == 400
    entry.refresh_from_db()
    assert entry.status == Status.CLARIFICATION


def test_partner_add_and_remove(official_client, complete_draft):
    official_client.post(
        reverse("submissions:partner_add", args=[complete_draft.pk]),
        {"partner-name": "Uni", "partner-kind": "academic", "partner-role": "Evaluation"},
    )
    partner = complete_draft.partners.get()
    assert (partner.name, partner.kind, partner.role) == ("Uni", "academic", "Evaluation")
    official_client.post(
        reverse("submissions:partner_remove", args=[complete_draft.pk, partner.pk])
    )
    assert complete_draft.partners.count() == 0


def test_step2_page_renders_partners_inside(official_client, complete_draft):
    factories.PartnerFactory(submission=complete_draft, name="Parks Friends")
    content = official_client.get(
        reverse("submissions:step", args=[complete_draft.pk, 2])
    ).content.decode()
    assert "Parks Friends" in content
    assert 'form="partner-add"' in content
    assert "data-word-limit" in content


def test_attachments_page_renders(official_client, complete_draft):
    response = official_client.get(reverse("submissions:attachments", args=[complete_draft.pk]))
    assert response.status_code == 200
    assert 'enctype="multipart/form-data"' in response.content.decode()


def test_early_bird_entry_is_revisable_through_the_step_page(
    official_client, official, django_capture_on_commit_callbacks
):
    cycle = factories.OpenCycleFactory(
        revision_window_ends_at=timezone.now() + dt.timedelta(days=3)
    )
    entry = factories.CompleteSubmissionFactory(
        cycle=cycle, organisation=official.organisation, status=Status.SUBMITTED,
        submitted_at=timezone.now(), early_bird=True,
    )  # fmt: skip
    factories.SentFeedbackFactory(submission=entry)  # the revision window opens at sending
    page = official_client.get(reverse("submissions:step", args=[entry.pk, 1]))
    assert page.status_code == 200
    assert "you may still revise it until" in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        official_client.post(
            reverse("submissions:field_save", args=[entry.pk, "abstract"]),
            {"abstract": "Revised abstract."},
        )
    entry.refresh_from_db()
    assert (entry.abstract, entry.status) == ("Revised abstract.", Status.SUBMITTED)
    assert entry.screening_report.is_clean in (True, False)


def test_stale_tab_with_invalid_answers_names_the_deadline_first(
    official_client, draft, open_cycle
):
    open_cycle.final_deadline = timezone.now() - dt.timedelta(minutes=1)
    open_cycle.save()
    response = official_client.post(
        reverse("submissions:step", args=[draft.pk, 1]),
        step1_post(title=" ".join(["long"] * 30)),
    )
    content = response.content.decode()
    assert response.status_code == 400
    assert "has passed" in content
    assert "long long long" in content


def test_start_without_open_cycle_says_so(official_client, official):
    response = official_client.post(reverse("submissions:submission_start"), follow=True)
    assert "No cycle is open for applications" in response.content.decode()
    assert Submission.objects.count() == 0


def test_start_is_refused_to_user_without_city(client, open_cycle):
    client.force_login(factories.UserFactory())
    assert client.post(reverse("submissions:submission_start")).status_code == 403
    assert Submission.objects.count() == 0


def test_contacts_autosave_replaces_contacts(official_client, draft):
    data = step1_post()
    data.update({"contacts-1-name": "Second", "contacts-1-email": "second@example.org"})
    contacts = {k: v for k, v in data.items() if k.startswith("contacts-")}
    response = official_client.post(reverse("submissions:contacts_save", args=[draft.pk]), contacts)
    assert "Saved" in response.content.decode()
    assert list(draft.contacts.values_list("name", flat=True)) == ["Li Wei", "Second"]


def test_contacts_autosave_names_the_slot_in_error(official_client, draft):
    contacts = {k: v for k, v in step1_post().items() if k.startswith("contacts-")}
    contacts["contacts-1-name"] = "No email"
    response = official_client.post(reverse("submissions:contacts_save", args=[draft.pk]), contacts)
    assert "Contact 2, email: Please give the contact" in response.content.decode()
    assert draft.contacts.count() == 0


def test_step1_contact_inputs_are_wired_for_autosave(official_client, draft):
    content = official_client.get(reverse("submissions:step", args=[draft.pk, 1])).content.decode()
    assert reverse("submissions:contacts_save", args=[draft.pk]) in content
    assert 'id="save-contacts"' in content


def test_partner_add_after_deadline_keeps_typed_partner(
    official_client, complete_draft, open_cycle
):
    open_cycle.final_deadline = timezone.now() - dt.timedelta(minutes=1)
    open_cycle.save()
    response = official_client.post(
        reverse("submissions:partner_add", args=[complete_draft.pk]),
        {"partner-name": "Late University", "partner-kind": "academic", "partner-role": ""},
    )
    content = response.content.decode()
    assert response.status_code == 400
    assert "has passed" in content
    assert "Late University" in content
    assert complete_draft.partners.count() == 0


def test_submit_without_the_publication_consent_is_refused_and_keeps_the_draft(
    official_client, complete_draft, django_capture_on_commit_callbacks, mailoutbox
):
    complete_draft.publication_consent = False  # never ticked
    complete_draft.save(update_fields=["publication_consent"])
    url = reverse("submissions:submit", args=[complete_draft.pk])
    assert (
        "agree that if this initiative is recognised" in official_client.get(url).content.decode()
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = official_client.post(url)
    assert response.status_code == 400
    assert response.context["problems"] == [
        "Please tick the box agreeing to the publication of a recognised case study."
    ]
    assert 'name="publication_consent"' in response.content.decode()  # asked again
    complete_draft.refresh_from_db()
    assert (complete_draft.status, complete_draft.publication_consent) == (Status.DRAFT, False)
    assert mailoutbox == []


# The parts of application_step, each alone (a request as the view would pass it).
def _request(rf, user, data=None):
    request = rf.post("/", data) if data is not None else rf.get("/")
    request.user = user
    request._messages = CookieStorage(request)
    return request


def test_step_refusal_none_for_an_open_draft_with_step1_done(rf, official, complete_draft):
    for step in (1, 2):
        assert step_refusal(_request(rf, official), complete_draft, step) is None


def test_step_refusal_sends_step2_back_to_step1_until_it_is_complete(rf, official, draft):
    request = _request(rf, official)
    assert step_refusal(request, draft, 1) is None
    response = step_refusal(request, draft, 2)
    assert response.url == reverse("submissions:step", args=[draft.pk, 1])
    [message] = [str(m) for m in request._messages]
    assert message.startswith("Step 2 opens once step 1 is complete. Still missing: ")


def test_step_refusal_sends_a_late_entry_to_its_preview(rf, official, complete_draft):
    complete_draft.cycle.final_deadline = timezone.now() - dt.timedelta(minutes=1)
    complete_draft.cycle.save()
    request = _request(rf, official)
    response = step_refusal(request, complete_draft, 1)
    assert response.url == reverse("submissions:preview", args=[complete_draft.pk])
    assert len(list(request._messages)) == 1


def test_step_save_saves_the_valid_answers_and_returns_no_errors(rf, official, draft):
    request = _request(rf, official, step1_post())
    form = STEP_FORMS[1](request.POST, submission=draft)
    contacts = contact_formset(submission=draft, data=request.POST)
    assert form.is_valid() and contacts.is_valid()
    assert step_save(request, draft, 1, form, contacts) == []
    draft.refresh_from_db()
    assert draft.title == "Green roofs for every school"
    assert list(draft.contacts.values_list("name", flat=True)) == ["Li Wei"]


def test_step_save_puts_a_service_refusal_on_the_page(rf, official, draft):
    draft.cycle.final_deadline = timezone.now() - dt.timedelta(minutes=1)
    draft.cycle.save()
    request = _request(rf, official, step1_post())
    form = STEP_FORMS[1](request.POST, submission=draft)
    assert form.is_valid()
    errors = step_save(request, draft, 1, form, None)
    assert len(errors) == 1
    assert errors[0].startswith("The final deadline (")
    draft.refresh_from_db()
    assert draft.title == ""


@pytest.mark.parametrize(
    ("step", "then", "where"),
    [
        (1, "stay", ("submissions:step", 1)),
        (1, "next", ("submissions:step", 2)),
        (2, "stay", ("submissions:step", 2)),
        (2, "next", ("submissions:attachments", None)),
    ],
)
def test_after_step_goes_to_the_same_or_the_next_step(rf, official, draft, step, then, where):
    request = _request(rf, official, {"then": then})
    response = after_step(request, draft, step)
    name, to_step = where
    args = [draft.pk] if to_step is None else [draft.pk, to_step]
    assert response.url == reverse(name, args=args)
    assert [str(m) for m in request._messages] == [f"Step {step} saved."]
