"""Dossiers, panel books and archives, certificates: who may have them, what is in
them, and that building a job twice builds it once."""

import io
import zipfile

import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from judging.documents import document_job_start, panel_entries
from judging.exports import export_job_run
from judging.models import Assignment, ExportJob
from tests import factories
from tests.judging.conftest import client_for
from tests.judging.factories import AssignmentFactory, PanelMemberFactory
from tests.submissions.documents.test_dossier import pdf_with_pages


def text_of(data: bytes) -> str:
    return "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages)


@pytest.fixture
def tasks(django_capture_on_commit_callbacks):
    """``with tasks():`` runs the tasks dispatched on commit (in-process Celery)."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def reviewer(tc_panel):
    return PanelMemberFactory(panel=tc_panel, country="FR")


@pytest.fixture
def queue(tc_panel, reviewer, make_entry):
    """Three eligible entries for ``reviewer``: two active, one conflicted (released)."""
    entries = [make_entry(status="eligible") for _ in range(3)]
    states = [Assignment.State.ACTIVE, Assignment.State.ACTIVE, Assignment.State.RELEASED]
    for entry, state in zip(entries, states, strict=True):
        AssignmentFactory(panel=tc_panel, reviewer=reviewer, submission=entry, state=state)
    return entries


# The dossier ------------------------------------------------------------------------


def test_dossier_for_conflict_free_reviewer_holds_title_and_abstract(reviewer, queue):
    response = client_for(reviewer.user).get(reverse("judging:dossier", args=[queue[0].pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        f'attachment; filename="{queue[0].reference}-dossier.pdf"'
    )
    text = text_of(response.content)
    assert queue[0].title in text
    assert queue[0].abstract in " ".join(text.split())


def test_dossier_refused_to_conflicted_reviewer(reviewer, queue):
    response = client_for(reviewer.user).get(reverse("judging:dossier", args=[queue[2].pk]))
    assert response.status_code == 403


def test_dossier_refused_before_conflict_declaration(tc_panel, reviewer, make_entry):
    entry = make_entry(status="eligible")
    AssignmentFactory(
        panel=tc_panel,
        reviewer=reviewer,
        submission=entry,
        state=Assignment.State.AWAITING_CONFLICT_CHECK,
    )
    response = client_for(reviewer.user).get(reverse("judging:dossier", args=[entry.pk]))
    assert response.status_code == 403


def test_dossier_refused_to_unassigned_reviewer_and_city(tc_panel, tc_members, queue):
    other = tc_members[1].user
    assert client_for(other).get(reverse("judging:dossier", args=[queue[0].pk])).status_code == 403
    official = queue[0].organisation.members.first()
    response = client_for(official).get(reverse("judging:dossier", args=[queue[0].pk]))
    assert response.status_code == 403


def test_dossier_anonymous_sent_to_login(client, queue):
    response = client.get(reverse("judging:dossier", args=[queue[0].pk]))
    assert response.status_code == 302
    assert "/login" in response["Location"] or "login" in response["Location"]


def test_dossier_for_secretariat_and_404_for_unknown_entry(secretariat_client, queue):
    assert secretariat_client.get(reverse("judging:dossier", args=[queue[2].pk])).status_code == 200
    assert secretariat_client.get(reverse("judging:dossier", args=[999999])).status_code == 404


def test_score_page_and_queue_link_the_dossier(reviewer, queue):
    client = client_for(reviewer.user)
    a = Assignment.objects.get(reviewer=reviewer, submission=queue[0])
    url = reverse("judging:dossier", args=[queue[0].pk])
    assert url in client.get(reverse("judging:score", args=[a.pk])).content.decode()
    page = client.get(reverse("judging:reviewer_queue")).content.decode()
    assert url in page
    assert reverse("judging:dossier", args=[queue[2].pk]) not in page


# Books and archives ---------------------------------------------------------------


def test_reviewer_book_never_holds_a_conflicted_entry(tc_panel, reviewer, queue):
    assert panel_entries(panel=tc_panel, user=reviewer.user) == queue[:2]


def test_book_job_builds_toc_and_every_entry_with_its_pages(tc_panel, reviewer, queue, tasks):
    factories.AttachmentFactory(
        submission=queue[1], file__data=pdf_with_pages(2), original_name="annex.pdf"
    )
    client = client_for(reviewer.user)
    with tasks():
        response = client.post(
            reverse("judging:panel_document", args=[tc_panel.cycle.number, "tc"]),
            {"document": "book", "next": reverse("judging:reviewer_queue")},
        )
    assert response.status_code == 302
    job = ExportJob.objects.get(kind="book")
    assert (job.status, job.progress, job.panel, job.requested_by) == (
        "done",
        100,
        tc_panel,
        reviewer.user,
    )
    data = job.file.read()
    reader = PdfReader(io.BytesIO(data))
    text = text_of(data)
    assert queue[0].title in text and queue[1].title in text
    assert queue[2].title not in text
    assert text.count("Annex page") == 2
    toc = reader.pages[0].extract_text()
    assert queue[0].reference in toc and queue[1].reference in toc
    assert [item.title for item in reader.outline] == [
        f"{e.reference} – {e.display_title}" for e in queue[:2]
    ]
    assert f"page 1 of {len(reader.pages)}" in toc
    # Each row of the contents links to its entry's first page (the bookmarks' pages).
    targets = [reader.get_destination_page_number(item) for item in reader.outline]
    annotations = [a.get_object() for a in reader.pages[0]["/Annots"]]
    linked = [reader.get_page_number(a["/Dest"][0].get_object()) for a in annotations]
    assert linked == targets
    assert targets[0] == 1 < targets[1]
    assert queue[0].reference in reader.pages[targets[0]].extract_text()
    assert queue[1].reference in reader.pages[targets[1]].extract_text()
    # The queue shows the finished job with its download link.
    page = client.get(reverse("judging:reviewer_queue")).content.decode()
    assert reverse("judging:document_job_download", args=[job.token]) in page


def test_attachments_zip_one_folder_per_readable_entry(tc_panel, reviewer, queue, tasks):
    factories.AttachmentFactory(submission=queue[0], original_name="plan.pdf")
    factories.AttachmentFactory(submission=queue[2], original_name="secret.pdf")
    with tasks():
        job = document_job_start(kind="attachments", panel=tc_panel, by=reviewer.user)
    job.refresh_from_db()
    names = zipfile.ZipFile(job.file.open("rb")).namelist()
    folders = {n.split("/")[0] for n in names}
    assert len(folders) == 2
    assert any(n.endswith("/plan.pdf") for n in names)
    assert not any("secret.pdf" in n for n in names)


def test_document_job_run_twice_builds_once(tc_panel, reviewer, queue, tasks):
    with tasks():
        job = document_job_start(kind="book", panel=tc_panel, by=reviewer.user)
    job.refresh_from_db()
    name, finished = job.file.name, job.finished_at
    again = export_job_run(job=job)
    assert (again.file.name, again.finished_at, again.status) == (name, finished, "done")
    assert ExportJob.objects.count() == 1


def test_document_job_download_and_status_only_for_its_owner(
    tc_panel, reviewer, tc_members, queue, secretariat_client, tasks
):
    with tasks():
        job = document_job_start(kind="book", panel=tc_panel, by=reviewer.user)
    owner = client_for(reviewer.user)
    download = reverse("judging:document_job_download", args=[job.token])
    status = reverse("judging:document_job_status", args=[job.token])
    response = owner.get(download)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="book-tc-cycle')
    assert owner.get(status).status_code == 200
    for other in (client_for(tc_members[1].user), secretariat_client):
        assert other.get(download).status_code == 403
        assert other.get(status).status_code == 403


def test_book_refused_to_non_member_and_when_nothing_to_read(
    tc_panel, jury_panel, reviewer, queue, official_client
):
    url = reverse("judging:panel_document", args=[tc_panel.cycle.number, "tc"])
    assert official_client.post(url, {"document": "book"}).status_code == 403
    jury_member = PanelMemberFactory(panel=jury_panel, country="DE")
    client = client_for(jury_member.user)
    response = client.post(
        reverse("judging:panel_document", args=[jury_panel.cycle.number, "jury"]),
        {"document": "book"},
        follow=True,
    )
    assert "There is no entry you may read in this panel yet." in response.content.decode()
    assert ExportJob.objects.count() == 0


def test_secretariat_jury_book_holds_the_shortlisted_entries(
    jury_panel, make_entry, secretariat, secretariat_client, tasks
):
    shortlisted = [make_entry(status="shortlisted") for _ in range(2)]
    make_entry(status="deserving")
    assert panel_entries(panel=jury_panel, user=secretariat) == shortlisted
    with tasks():
        response = secretariat_client.post(
            reverse("judging:panel_document", args=[jury_panel.cycle.number, "jury"]),
            {"document": "book"},
        )
    assert response.status_code == 302
    job = ExportJob.objects.get()
    assert job.status == "done"
    assert len(PdfReader(job.file.open("rb")).outline) == 2


# Certificates ---------------------------------------------------------------------


@pytest.fixture
def winner(cycle, make_entry):
    return make_entry(status="winner", title="Open streets on Sundays")


def test_city_certificate_404_before_publication_then_downloadable(cycle, winner):
    official = winner.organisation.members.first()
    client = client_for(official)
    url = reverse("submissions:certificate", args=[winner.pk])
    assert client.get(url).status_code == 404
    assert url not in client.get(reverse("submissions:dashboard")).content.decode()
    cycle.results_published_at = timezone.now()
    cycle.save(update_fields=["results_published_at"])
    response = client.get(url)
    assert response.status_code == 200
    assert "Open streets on Sundays" in text_of(response.content)
    assert url in client.get(reverse("submissions:dashboard")).content.decode()


def test_city_certificate_refused_to_another_city_and_absent_without_outcome(
    cycle, winner, make_entry, official_client
):
    cycle.results_published_at = timezone.now()
    cycle.save(update_fields=["results_published_at"])
    assert (
        official_client.get(reverse("submissions:certificate", args=[winner.pk])).status_code == 403
    )
    not_selected = make_entry(status="not_selected")
    client = client_for(not_selected.organisation.members.first())
    assert client.get(reverse("submissions:certificate", args=[not_selected.pk])).status_code == 404


def test_secretariat_certificates_zip_by_job(cycle, winner, make_entry, secretariat_client, tasks):
    url = reverse("judging:certificates", args=[cycle.number])
    response = secretariat_client.post(url, follow=True)
    assert "once the cycle&#x27;s results are published" in response.content.decode()
    assert ExportJob.objects.count() == 0
    make_entry(status="deserving")
    make_entry(status="not_selected")
    cycle.results_published_at = timezone.now()
    cycle.save(update_fields=["results_published_at"])
    page = secretariat_client.get(url)
    assert [e.pk for e in page.context["entries"]][0] == winner.pk
    assert len(page.context["entries"]) == 2
    with tasks():
        assert secretariat_client.post(url).status_code == 302
    job = ExportJob.objects.get(kind="certificates")
    names = sorted(zipfile.ZipFile(job.file.open("rb")).namelist())
    assert len(names) == 3  # two certificates and all of them in one PDF
    assert f"all-certificates-cycle{cycle.number}.pdf" in names
    single = secretariat_client.get(reverse("judging:certificate", args=[cycle.number, winner.pk]))
    assert single.status_code == 200


def test_certificates_page_refused_to_reviewers(cycle, reviewer):
    response = client_for(reviewer.user).get(reverse("judging:certificates", args=[cycle.number]))
    assert response.status_code == 403


# The city's application -----------------------------------------------------------


def test_city_downloads_its_submitted_application_only(make_entry, official_client):
    entry = make_entry(status="submitted", submitted_at=timezone.now())
    client = client_for(entry.organisation.members.first())
    url = reverse("submissions:application_pdf", args=[entry.pk])
    response = client.get(url)
    assert response.status_code == 200
    assert entry.title in text_of(response.content)
    assert url in client.get(reverse("submissions:preview", args=[entry.pk])).content.decode()
    assert official_client.get(url).status_code == 403
    draft = make_entry(status="draft")
    draft_client = client_for(draft.organisation.members.first())
    assert (
        draft_client.get(reverse("submissions:application_pdf", args=[draft.pk])).status_code == 404
    )


def test_score_page_and_dossier_show_the_same_sections_and_labels(reviewer, queue):
    from django.utils.html import escape

    from submissions.selectors.application_body import (
        application_body,
        submission_get_for_dossier,
    )

    client = client_for(reviewer.user)
    a = Assignment.objects.get(reviewer=reviewer, submission=queue[0])
    html = client.get(reverse("judging:score", args=[a.pk])).content.decode()
    pdf = " ".join(
        text_of(client.get(reverse("judging:dossier", args=[queue[0].pk])).content).split()
    )
    sections = application_body(submission=submission_get_for_dossier(pk=queue[0].pk))
    labels = [str(s.title) for s in sections]
    for section in sections:
        for block in section.blocks:
            if block.kind == "text":
                labels.append(str(block.label))
                assert escape(block.value) in html
                assert block.value in pdf
            for row in block.rows:
                labels.append(str(row.label))
    assert len(labels) > 20
    for label in labels:
        assert escape(label) in html, label
        assert label in pdf, label


def test_pending_job_row_polls_until_ready(tc_panel, reviewer, queue):
    job = ExportJob.objects.create(
        kind="book", fmt="pdf", panel=tc_panel, cycle=tc_panel.cycle, requested_by=reviewer.user
    )
    client = client_for(reviewer.user)
    status = reverse("judging:document_job_status", args=[job.token])
    row = client.get(status).content.decode()
    assert f'hx-get="{status}"' in row and 'hx-trigger="every 2s"' in row
    assert client.get(reverse("judging:document_job_download", args=[job.token])).status_code == 404
    export_job_run(job=job)
    row = client.get(status).content.decode()
    assert "hx-get" not in row
    assert reverse("judging:document_job_download", args=[job.token]) in row


def test_certificates_page_queries_constant(cycle, make_entry, secretariat_client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    cycle.results_published_at = timezone.now()
    cycle.save(update_fields=["results_published_at"])
    url = reverse("judging:certificates", args=[cycle.number])

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert secretariat_client.get(url).status_code == 200
        return len(ctx.captured_queries)

    make_entry(status="winner")
    small = count()
    for status in ("deserving", "shortlisted", "medal_of_honor", "deserving"):
        make_entry(status=status)
    assert count() == small


def test_book_built_before_a_conflict_is_declared_is_refused_after(
    tc_panel, reviewer, queue, tasks
):
    from judging.services.assignment import assignment_declare_conflict

    with tasks():
        job = document_job_start(kind="book", panel=tc_panel, by=reviewer.user)
    client = client_for(reviewer.user)
    url = reverse("judging:document_job_download", args=[job.token])
    assert client.get(url).status_code == 200
    a = Assignment.objects.get(reviewer=reviewer, submission=queue[0])
    assignment_declare_conflict(assignment=a, reason="My former employer.", by=reviewer.user)
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"] == reverse("judging:reviewer_queue")
    assert panel_entries(panel=tc_panel, user=reviewer.user) == [queue[1]]
