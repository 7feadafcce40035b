"""No POST endpoint answers 500, whatever is posted (Hypothesis).

Every URL pattern of the portal is opened as a user allowed to use it, on the demo
data. The fields each endpoint takes are read from the forms of the portal's own
pages that post to it (their names, and the values of buttons, radios and options),
plus a few generic id names. Hypothesis then posts ``FUZZ_EXAMPLES`` random sets of
values (text, huge, negative and unicode numbers; 80 per endpoint by default, so that
the whole suite stays within CI's 20 minutes on Postgres, ``FUZZ_EXAMPLES=500`` for a
deeper run) and every answer must be below 500: a bad id is a 400 or a 404, never an
``OverflowError`` or a ``ValueError``.

A URL pattern added later must be declared here (the first test says so): in
``POST_ENDPOINTS`` or ``NOT_POST``, and in ``URL_KWARGS`` when it takes arguments.
Marked ``fuzz`` (about a minute and a half on Postgres, the demo loaded once for the
module): ``-m "not fuzz"`` leaves it out of a quick run.
"""

import os
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import transaction
from django.template.base import Template
from django.test import Client, TestCase
from django.test.utils import _TestState
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from judging.models import Assignment, ExportJob, HearingSession, HearingSlot, PanelMember
from submissions.models import (
    Announcement,
    Attachment,
    ClarificationRequest,
    OrganisationInvitation,
    Partner,
    Publication,
    SentEmail,
    Submission,
)
from submissions.services.emails import unsubscribe_url
from tests.test_urls import EXEMPT_ROUTES

pytestmark = pytest.mark.fuzz

DEMO = "demo.gzaward.org"
EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "80"))

# Values that broke or could break id parsing: out of any integer column's range,
# negative, non-ASCII digits (str.isdigit() accepts them, int() does not), floats.
TRICKY = [
    "99999999999999999999",
    "9223372036854775808",
    "-9223372036854775809",
    "-1",
    "0",
    "１２",
    "²",
    "٣",
    "1e3",
    "0x1F",
    " 7",
    "7.0",
    "NaN",
    "",
    "\x00",
]
VALUES = st.one_of(
    st.sampled_from(TRICKY),
    st.integers(min_value=-(10**30), max_value=10**30).map(str),
    st.text(max_size=40),
)
GENERIC_FIELDS = ["entry", "member", "criterion", "assignment", "proposal", "submission", "pk"]


def _user(email):
    return get_user_model().objects.get(email=email)


def _entry_of(email):
    return Submission.objects.filter(organisation__members__email=email).first()


def _official_entry_kwargs(email=f"official@{DEMO}"):
    return {"pk": _entry_of(email).pk}


def _hearing_slot():
    return HearingSlot.objects.select_related("submission").order_by("pk").first()


def _hearing_session_kwargs():
    """A session of the open cycle 7 (the demo's sessions are in published cycle 6)."""
    from django.utils import timezone

    from submissions.models import Cycle

    session, _created = HearingSession.objects.get_or_create(
        cycle=Cycle.objects.get(number=7),
        place="Fuzzing hall",
        defaults={"starts_at": timezone.now()},
    )
    return {"number": 7, "pk": session.pk}


def _early_bird_kwargs():
    entry = Submission.objects.filter(cycle__number=7, early_bird=True).first()
    return {"number": 7, "pk": entry.pk}


def _partner_kwargs():
    entry = _entry_of(f"official@{DEMO}")
    partner = Partner.objects.create(submission=entry, name="Water Board", kind="government")
    return {"pk": entry.pk, "partner_pk": partner.pk}


def _attachment_kwargs(email=f"official2@{DEMO}", pk_name="pk"):
    attachment = Attachment.objects.filter(submission__organisation__members__email=email).first()
    return {pk_name: attachment.submission_id, "attachment_pk": attachment.pk}


def _clarification_kwargs():
    clarification = ClarificationRequest.objects.filter(
        submission__organisation__members__email=f"kanlaon@{DEMO}"
    ).first()
    return {"pk": clarification.submission_id, "clarification_pk": clarification.pk}


def _invitation_kwargs():
    entry = _entry_of(f"official@{DEMO}")
    invitation = OrganisationInvitation.objects.create(
        organisation_id=entry.organisation_id, email=f"new.colleague@{DEMO}"
    )
    return {"token": invitation.token}


def _export_kwargs():
    job = ExportJob.objects.create(
        kind="entries", fmt="csv", requested_by=_user(f"secretariat@{DEMO}")
    )
    return {"token": job.token}


def _assignment_kwargs():
    return {"pk": Assignment.objects.filter(reviewer__user__email=f"tc.member@{DEMO}").first().pk}


def _screening_kwargs():
    return {"pk": Submission.objects.filter(status="submitted", cycle__number=7).first().pk}


def _member_stage():
    """The panel of the demo's TC member: its pages are for its members."""
    member = PanelMember.objects.filter(user__email=f"tc.member@{DEMO}").select_related(
        "panel__cycle"
    )
    panel = member.filter(panel__kind="tc").first().panel
    return {"cycle_number": panel.cycle.number, "kind": panel.kind}


def _document_job_kwargs():
    job = ExportJob.objects.create(
        kind="book",
        fmt="pdf",
        panel=PanelMember.objects.filter(user__email=f"tc.member@{DEMO}").first().panel,
        requested_by=_user(f"tc.member@{DEMO}"),
    )
    return {"token": job.token}


# The same row each time: the form pages of an endpoint must post to its own path.
def _announcement_kwargs():
    announcement, _new = Announcement.objects.get_or_create(
        subject="Fuzzed news", defaults={"body": "Hello.", "audience": "tc"}
    )
    return {"pk": announcement.pk}


def _sent_email_kwargs():
    email, _new = SentEmail.objects.get_or_create(
        key="fuzz",
        defaults={"to": f"official@{DEMO}", "subject": "Hello", "body_html": "<p>Hello</p>"},
    )
    return {"pk": email.pk}


def _certificate_kwargs():
    winner = Submission.objects.filter(cycle__number=6, status="winner").first()
    return {"cycle_number": 6, "submission_pk": winner.pk}


def _stage_entry_kwargs():
    return {**STAGE, "submission_pk": Submission.objects.filter(cycle__number=7).first().pk}


STAGE = {"cycle_number": 7, "kind": "tc"}
EMAIL_TEMPLATE = {"key": "outcome", "language": "en"}
# (who, kwargs) per URL name: who is an email of the demo, or None for anonymous.
URL_KWARGS = {
    "console:feedback_queue": (f"secretariat@{DEMO}", lambda: {"number": 7}),
    "console:feedback_entry": (f"secretariat@{DEMO}", _early_bird_kwargs),
    "console:hearings": (f"secretariat@{DEMO}", lambda: {"number": 6}),
    "console:hearing_session": (f"secretariat@{DEMO}", _hearing_session_kwargs),
    "public:jury_report_pdf": (None, lambda: {"number": 6}),
    "shortlist:hearing_city": (
        f"official2@{DEMO}",
        lambda: {
            "pk": Submission.objects.filter(
                cycle__number=6, organisation__members__email=f"official2@{DEMO}"
            )
            .first()
            .pk
        },
    ),
    "shortlist:hearing_presentation": (f"secretariat@{DEMO}", lambda: {"pk": _hearing_slot().pk}),
    "shortlist:hearings_jury": (f"secretariat@{DEMO}", lambda: {"cycle_number": 6}),
    "shortlist:jury_report": (f"jury.chair@{DEMO}", lambda: {"cycle_number": 6}),
    "shortlist:shortlist_report": (f"tc.chair@{DEMO}", lambda: {"cycle_number": 6}),
    "submissions:organisation_create": (f"secretariat@{DEMO}", dict),
    "submissions:invitation_accept": (f"official@{DEMO}", _invitation_kwargs),
    "submissions:preview": (f"official@{DEMO}", _official_entry_kwargs),
    "submissions:step": (
        f"official@{DEMO}",
        lambda: {**_official_entry_kwargs(), "step": 2},
    ),
    "submissions:field_save": (
        f"official@{DEMO}",
        lambda: {**_official_entry_kwargs(), "field": "title"},
    ),
    "submissions:contacts_save": (f"official@{DEMO}", _official_entry_kwargs),
    "submissions:partner_add": (f"official@{DEMO}", _official_entry_kwargs),
    "submissions:partner_remove": (f"official@{DEMO}", _partner_kwargs),
    "submissions:attachments": (f"official@{DEMO}", _official_entry_kwargs),
    "submissions:attachment_delete": (f"official2@{DEMO}", _attachment_kwargs),
    "submissions:attachment": (f"official2@{DEMO}", _attachment_kwargs),
    "submissions:submit": (f"official@{DEMO}", _official_entry_kwargs),
    "submissions:withdraw": (
        f"official2@{DEMO}",
        lambda: _official_entry_kwargs(f"official2@{DEMO}"),
    ),
    "submissions:clarification_answer": (f"kanlaon@{DEMO}", _clarification_kwargs),
    "public:results_cycle": (None, lambda: {"number": 6}),
    "public:initiative": (
        None,
        lambda: {
            "number": 6,
            "slug": Submission.objects.filter(cycle__number=6).exclude(slug="").first().slug,
        },
    ),
    "public:initiative_by_id": (
        None,
        lambda: {"pk": Submission.objects.filter(cycle__number=6).first().pk},
    ),
    "public:report_file": (None, lambda: {"pk": Publication.objects.first().pk}),
    "public:report_cover": (None, lambda: {"pk": Publication.objects.first().pk}),
    "console:publication_remove": (
        f"secretariat@{DEMO}",
        lambda: {"pk": Publication.objects.first().pk},
    ),
    "public:photo": (None, lambda: {"pk": 1}),
    "console:cycle": (f"secretariat@{DEMO}", lambda: {"number": 7}),
    "console:cycle_settings": (f"secretariat@{DEMO}", lambda: {"number": 7}),
    "console:cycle_dates": (f"secretariat@{DEMO}", lambda: {"number": 7}),
    "console:topics": (f"secretariat@{DEMO}", lambda: {"number": 6}),
    "console:publish": (f"secretariat@{DEMO}", lambda: {"number": 7}),
    "console:vote": (f"secretariat@{DEMO}", lambda: {"number": 6}),
    "console:vote_live": (f"secretariat@{DEMO}", lambda: {"number": 6}),
    "console:vote_title": (f"secretariat@{DEMO}", lambda: {"number": 6}),
    "console:statistics_download": (f"secretariat@{DEMO}", lambda: {"fmt": "csv"}),
    "console:export_status": (f"secretariat@{DEMO}", _export_kwargs),
    "console:export_download": (f"secretariat@{DEMO}", _export_kwargs),
    "judging:screening_detail": (f"secretariat@{DEMO}", _screening_kwargs),
    "judging:panel_setup": (f"secretariat@{DEMO}", lambda: STAGE),
    "judging:assignment_matrix": (f"secretariat@{DEMO}", lambda: STAGE),
    "judging:progress": (f"secretariat@{DEMO}", lambda: STAGE),
    "judging:send_reminders": (f"secretariat@{DEMO}", lambda: STAGE),
    "judging:ranking": (f"secretariat@{DEMO}", lambda: STAGE),
    "judging:proposals": (f"secretariat@{DEMO}", lambda: STAGE),
    "judging:score": (f"tc.member@{DEMO}", _assignment_kwargs),
    "judging:conflict": (f"tc.member@{DEMO}", _assignment_kwargs),
    "judging:attachment": (
        f"secretariat@{DEMO}",
        lambda: _attachment_kwargs(pk_name="submission_pk"),
    ),
    "vote:confirm": (None, lambda: {"token": "not-a-token"}),
    "emails:unsubscribe": (
        None,
        lambda: {"token": unsubscribe_url(_user(f"official@{DEMO}")).rstrip("/").split("/")[-1]},
    ),
    "submissions:application_pdf": (f"official@{DEMO}", _official_entry_kwargs),
    "submissions:certificate": (f"official@{DEMO}", _official_entry_kwargs),
    "console:announcement": (f"secretariat@{DEMO}", _announcement_kwargs),
    "console:announcement_send": (f"secretariat@{DEMO}", _announcement_kwargs),
    "console:email_template": (f"secretariat@{DEMO}", lambda: EMAIL_TEMPLATE),
    "console:email_template_preview": (f"secretariat@{DEMO}", lambda: EMAIL_TEMPLATE),
    "console:outbox_email": (f"secretariat@{DEMO}", _sent_email_kwargs),
    "console:outbox_email_html": (f"secretariat@{DEMO}", _sent_email_kwargs),
    "console:outbox_resend": (f"secretariat@{DEMO}", _sent_email_kwargs),
    "console:city": (
        f"secretariat@{DEMO}",
        lambda: {"pk": _entry_of(f"official@{DEMO}").organisation_id},
    ),
    "judging:expertise": (f"tc.member@{DEMO}", _member_stage),
    "judging:preferences": (f"tc.member@{DEMO}", _member_stage),
    "judging:calibration": (f"tc.member@{DEMO}", _member_stage),
    "judging:panel_document": (f"tc.member@{DEMO}", _member_stage),
    "judging:document_job_status": (f"tc.member@{DEMO}", _document_job_kwargs),
    "judging:document_job_download": (f"tc.member@{DEMO}", _document_job_kwargs),
    "judging:calibration_results": (f"secretariat@{DEMO}", lambda: STAGE),
    "judging:meeting": (f"secretariat@{DEMO}", lambda: STAGE),
    "judging:meeting_current": (f"secretariat@{DEMO}", lambda: STAGE),
    "judging:meeting_record_pdf": (f"secretariat@{DEMO}", lambda: STAGE),
    "judging:meeting_entry": (f"secretariat@{DEMO}", _stage_entry_kwargs),
    "judging:one_more_reviewer": (f"secretariat@{DEMO}", _stage_entry_kwargs),
    "judging:dossier": (
        f"secretariat@{DEMO}",
        lambda: {"submission_pk": Submission.objects.filter(cycle__number=7).first().pk},
    ),
    "judging:certificates": (f"secretariat@{DEMO}", lambda: {"cycle_number": 6}),
    "judging:certificate": (f"secretariat@{DEMO}", _certificate_kwargs),
}
# Views that act on POST: {URL name: other pages whose forms post to it}.
POST_ENDPOINTS = {
    "accounts:set_language": [],
    "console:feedback_entry": [],
    "console:hearings": [],
    "console:hearing_session": [],
    "shortlist:hearing_city": [],
    "shortlist:jury_report": [],
    "shortlist:shortlist_report": [],
    "accounts:profile": [],
    "submissions:organisation_create": [],
    "submissions:organisation_edit": [],
    "submissions:organisation_members": [],
    "submissions:invitation_accept": [],
    "submissions:submission_start": ["submissions:dashboard"],
    "submissions:step": [],
    "submissions:field_save": ["submissions:step"],
    "submissions:contacts_save": ["submissions:step"],
    "submissions:partner_add": ["submissions:step"],
    "submissions:partner_remove": ["submissions:step"],
    "submissions:attachments": [],
    "submissions:attachment_delete": [],
    "submissions:submit": [],
    "submissions:withdraw": [],
    "submissions:clarification_answer": [],
    "console:cycle_new": [],
    "console:cycle_settings": [],
    "console:cycle_dates": [],
    "console:topics": [],
    "console:exports": [],
    "console:publish": [],
    "console:publications": [],
    "console:publication_remove": ["console:publications"],
    "console:vote": [],
    "console:vote_title": ["console:vote"],
    "judging:screening_queue": [],
    "judging:screening_detail": [],
    "judging:panel_setup": [],
    "judging:assignment_matrix": [],
    "judging:send_reminders": ["judging:progress"],
    "judging:ranking": [],
    "judging:proposals": [],
    "judging:conflict": [],
    "judging:score": [],
    "vote:index": [],
    "vote:confirm": [],
    "privacy:account_close": [],
    "emails:unsubscribe": [],
    "console:announcement_new": ["console:announcements"],
    "console:announcement": [],
    "console:announcement_send": ["console:announcement"],
    "console:email_template": [],
    "console:outbox_resend": ["console:outbox_email"],
    "judging:expertise": [],
    "judging:preferences": [],
    "judging:calibration": [],
    "judging:calibration_results": [],
    "judging:meeting": [],
    "judging:meeting_entry": [],
    "judging:one_more_reviewer": [],
    "judging:panel_document": ["judging:reviewer_queue"],
    "judging:certificates": [],
}
# Views that only read (a POST shows the page or answers 405).
NOT_POST = [
    "javascript-catalog",
    "console:feedback_queue",
    "public:jury_report_pdf",
    "shortlist:hearing_presentation",
    "shortlist:hearings_jury",
    "home",
    "healthz",
    "submissions:dashboard",
    "submissions:preview",
    "submissions:attachment",
    "public:results_index",
    "public:results_cycle",
    "public:initiative",
    "public:initiative_by_id",
    "public:photo",
    "public:reports",
    "public:report_file",
    "public:report_cover",
    "public:open_data",
    "sitemap",
    "public:database",
    "public:database_json",
    "public:database_csv",
    "console:index",
    "console:cycle",
    "console:vote_live",
    "console:statistics",
    "console:statistics_download",
    "console:export_status",
    "console:export_download",
    "judging:progress",
    "judging:reviewer_queue",
    "judging:attachment",
    "privacy:notice",
    "privacy:city_data",
    "submissions:application_pdf",
    "submissions:certificate",
    "console:announcements",
    "console:email_templates",
    "console:email_template_preview",
    "console:outbox",
    "console:outbox_email",
    "console:outbox_email_html",
    "console:city",
    "judging:meeting_current",
    "judging:meeting_record_pdf",
    "judging:dossier",
    "judging:document_job_status",
    "judging:document_job_download",
    "judging:certificate",
]
# Views that read ids or filters from the query string.
QUERY_ENDPOINTS = [
    "judging:screening_queue",
    "public:reports",
    "public:database",
    "public:database_json",
    "public:database_csv",
    "console:statistics",
    "console:statistics_download",
    "console:exports",
    "console:topics",
    "console:outbox",
    "console:city",
    "console:email_template",
]

# Pages without arguments: who opens them (anyone else: the Secretariat).
WHO = {
    "public": None,
    "accounts.signed_in": f"official@{DEMO}",
    "submissions.change_organisation": f"official@{DEMO}",
    "submissions.view_organisation": f"official@{DEMO}",
    "submissions.add_submission": f"official@{DEMO}",
    "judging.review": f"tc.member@{DEMO}",
}


def _walk(patterns, prefix="", namespace=""):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            ns = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _walk(entry.url_patterns, prefix + str(entry.pattern), ns)
        elif isinstance(entry, URLPattern) and entry.name:
            yield prefix + str(entry.pattern), namespace + entry.name, entry


# {URL name: (route, permission)} for every view of the portal (not admin, not allauth).
ROUTES = {
    name: (route, pattern.callback.access_permission)
    for route, name, pattern in _walk(get_resolver().url_patterns)
    if not route.startswith(EXEMPT_ROUTES)
}
ENDPOINTS = sorted(ROUTES)


class _Forms(HTMLParser):
    """The POST forms of a page: {action path: {field name: {values seen}}}."""

    def __init__(self, page_path):
        super().__init__()
        self.page_path, self.forms, self.current = page_path, {}, None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            if (attrs.get("method") or "get").lower() == "post":
                action = urlsplit(attrs.get("action") or self.page_path).path
                self.current = self.forms.setdefault(action, {})
            else:
                self.current = None
        elif self.current is not None and tag in ("input", "button", "select", "textarea"):
            if attrs.get("name"):
                values = self.current.setdefault(attrs["name"], set())
                if attrs.get("value") is not None:
                    values.add(attrs["value"])
                self._select = values if tag == "select" else None
        elif (
            self.current is not None
            and tag == "option"
            and getattr(self, "_select", None) is not None
        ):
            if attrs.get("value") is not None:
                self._select.add(attrs["value"])

    def handle_endtag(self, tag):
        if tag == "form":
            self.current = None


def _client(email):
    client = Client()
    if email:
        client.force_login(_user(email))
    return client


def _form_fields(client, pages, target):
    """Field names and values of the forms on ``pages`` that post to ``target``."""
    fields = {}
    for page in pages:
        response = client.get(page)
        if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
            continue
        parser = _Forms(page)
        parser.feed(response.content.decode())
        for name, values in parser.forms.get(target, {}).items():
            fields.setdefault(name, set()).update(values)
    fields.pop("csrfmiddlewaretoken", None)
    for name in GENERIC_FIELDS:
        fields.setdefault(name, set())
    return fields


def _who_and_path(name):
    route, permission = ROUTES[name]
    who, kwargs = URL_KWARGS.get(name, (WHO.get(permission, f"secretariat@{DEMO}"), dict))
    return who, reverse(name, kwargs=kwargs())


@pytest.fixture(scope="module")
def demo_loaded_once(django_db_setup, django_db_blocker):
    """The demo, loaded once for the module (about 15 s on Postgres; once per test it
    was two thirds of CI's run) inside a transaction that is never committed: each
    test runs in a savepoint of it (pytest-django's ``db``) and the module's end rolls
    the whole demo back, so no other test module sees it."""
    with django_db_blocker.unblock():
        module_transaction = transaction.atomic()
        module_transaction.__enter__()
        with TestCase.captureOnCommitCallbacks(execute=True):
            call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    try:
        yield
    finally:
        with django_db_blocker.unblock():
            transaction.set_rollback(True)
            module_transaction.__exit__(None, None, None)


@pytest.fixture
def demo(demo_loaded_once, db, monkeypatch):
    # Only status codes are checked here: render templates without the test runner's
    # instrumentation (a signal and a copy of the context at every template), which
    # takes about half of each request's time.
    monkeypatch.setattr(Template, "_render", _TestState.saved_data.template_render)


SETTINGS = {
    "deadline": None,
    "database": None,
    "suppress_health_check": [HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
}


def test_every_url_pattern_is_declared_for_fuzzing():
    with_arguments = {name for name, (route, _p) in ROUTES.items() if "<" in route}
    assert sorted(with_arguments - set(URL_KWARGS)) == []
    assert sorted(set(ROUTES) - set(POST_ENDPOINTS) - set(NOT_POST)) == []


@pytest.mark.parametrize("name", sorted(POST_ENDPOINTS))
def test_post_endpoint_never_answers_500_whatever_is_posted(name, demo):
    who, path = _who_and_path(name)
    client = _client(who)
    form_pages = [path] + [_who_and_path(page)[1] for page in POST_ENDPOINTS[name]]
    fields = _form_fields(client, form_pages, path)
    field_values = {
        field: st.one_of(st.sampled_from(sorted(values)), VALUES) if values else VALUES
        for field, values in fields.items()
    }

    @settings(max_examples=EXAMPLES, **SETTINGS)
    @given(st.fixed_dictionaries({}, optional=field_values))
    def post_anything(data):
        response = client.post(path, data)
        assert response.status_code < 500, (path, data)

    post_anything()


@pytest.mark.parametrize("name", QUERY_ENDPOINTS)
def test_query_string_never_makes_a_page_answer_500(name, demo):
    who, path = _who_and_path(name)
    client = _client(who)
    names = ["cycle", "page", "topic", "entry", "q", "sdg", "country", "outcome", "kind"]

    @settings(max_examples=50, **SETTINGS)
    @given(st.fixed_dictionaries({}, optional={n: VALUES for n in names}))
    def get_anything(query):
        response = client.get(path, query)
        assert response.status_code < 500, (path, query)

    get_anything()
