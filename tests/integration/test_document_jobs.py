"""A real worker on Redis builds a reviewer's book (the exports' task) and the file
lands where the download view finds it."""

import io

import pytest
from django.db import transaction
from pypdf import PdfReader

from judging.documents import document_job_start
from judging.models import Assignment, ExportJob
from tests import factories
from tests.integration.conftest import wait_for
from tests.judging.factories import AssignmentFactory, PanelFactory, PanelMemberFactory

pytestmark = pytest.mark.integration


def test_worker_builds_a_reviewers_book(celery_worker_process):
    panel = PanelFactory()
    member = PanelMemberFactory(panel=panel, country="FR")
    entries = [
        factories.CompleteSubmissionFactory(cycle=panel.cycle, status="eligible") for _ in range(2)
    ]
    for entry in entries:
        AssignmentFactory(
            panel=panel, reviewer=member, submission=entry, state=Assignment.State.ACTIVE
        )
    with transaction.atomic():
        job = document_job_start(kind="book", panel=panel, by=member.user)
    done = wait_for(
        lambda: ExportJob.objects.filter(pk=job.pk, status=ExportJob.Status.DONE).first()
    )
    assert done, "the worker did not build the book"
    reader = PdfReader(io.BytesIO(done.file.read()))
    assert len(reader.outline) == 2
    assert entries[0].title in "\n".join(p.extract_text() for p in reader.pages)
