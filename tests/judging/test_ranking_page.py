"""The ranking page: a stored ranking's rows are rendered once per computation."""

from django.urls import reverse

from judging.services.ranking import ranking_compute
from submissions.models import Submission


def _page(client, panel) -> str:
    response = client.get(reverse("judging:ranking", args=[panel.cycle.number, panel.kind]))
    assert response.status_code == 200
    return response.content.decode()


def test_ranking_rows_are_rendered_once_per_computation(secretariat_client, tc_panel, scored_tc):
    first = scored_tc[0]
    tc_panel.closed_at = first.created_at
    tc_panel.save(update_fields=["closed_at"])
    ranking_compute(panel=tc_panel)
    assert first.title in _page(secretariat_client, tc_panel)

    # Renamed behind the services' back: the rows of this computation stand...
    Submission.objects.filter(pk=first.pk).update(title="Renamed quietly")
    assert "Renamed quietly" not in _page(secretariat_client, tc_panel)
    # ...until the ranking is computed again.
    ranking_compute(panel=tc_panel)
    assert "Renamed quietly" in _page(secretariat_client, tc_panel)


def test_rows_are_read_only_when_their_cached_html_is_missing(
    secretariat_client, tc_panel, scored_tc
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    first = scored_tc[0]
    tc_panel.closed_at = first.created_at
    tc_panel.save(update_fields=["closed_at"])
    ranking_compute(panel=tc_panel)

    def rows_read() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert first.title in _page(secretariat_client, tc_panel)
        # The rows' query: the ranked entries with their titles (the robustness table
        # reads only the entries near the line, by id).
        return sum(
            '"judging_rankedentry"' in q["sql"]
            and '"submissions_submission"."title"' in q["sql"]
            and '"submission_id" IN' not in q["sql"]
            for q in ctx.captured_queries
        )

    assert rows_read() == 1
    assert rows_read() == 0
