"""The reviewer's queue, conflict page, score sheet and entry files over HTTP."""

from django.urls import reverse

from judging.models import Assignment, Review, ReviewHistory
from judging.services.assignment import assignment_staff_tc_entry
from tests import factories
from tests.judging.conftest import client_for, score


def _form_data(panel, value, action="submit", recommendation="shortlist", comment="Good."):
    data = {"action": action, "overall_comment": comment, "recommendation": recommendation}
    for c in panel.criteria.all():
        data[f"value_{c.pk}"] = str(value)
    return data


def test_queue_shows_progress_and_next(tc_panel, tc_members, make_entry):
    member = tc_members[1]
    entries = [make_entry(status="eligible") for _ in range(2)]
    for e in entries:
        assignment_staff_tc_entry(submission=e)
    mine = list(Assignment.objects.filter(reviewer=member).order_by("submission__sequence"))
    score(mine[0], 6)
    response = client_for(member.user).get(reverse("judging:reviewer_queue"))
    assert response.status_code == 200
    assert "1 of 2 submitted" in response.content.decode()
    assert response.context["next_up"] == mine[1]


def test_a_submitted_score_sheet_links_to_the_next_entry_to_review(
    tc_panel, tc_members, make_entry
):
    member = tc_members[1]
    for _ in range(6):
        assignment_staff_tc_entry(submission=make_entry(status="eligible"))
    mine = Assignment.objects.filter(reviewer=member).order_by("submission__sequence")
    first, second, third, *others = mine
    for other in others:  # out of the way: submitted
        score(other, 4)
    client = client_for(member.user)
    score(first, 6, submit=False)
    draft = client.get(reverse("judging:score", args=[first.pk]))
    assert draft.context["next_up"] is None  # offered once the review is submitted

    score(first, 6)
    score(second, 7)
    page = client.get(reverse("judging:score", args=[first.pk]))
    # The second is done: the third is next, its conflict still to declare.
    assert page.context["next_up"].pk == third.pk
    assert reverse("judging:conflict", args=[third.pk]) in page.content.decode()

    score(third, 5, submit=False)
    page = client.get(reverse("judging:score", args=[first.pk]))
    assert reverse("judging:score", args=[third.pk]) in page.content.decode()

    score(third, 5)
    assert client.get(reverse("judging:score", args=[first.pk])).context["next_up"] is None


def test_conflict_confirm_then_score_submit(tc_panel, tc_members, make_entry):
    a = assignment_staff_tc_entry(submission=make_entry(status="eligible"))[0]
    client = client_for(a.reviewer.user)
    assert client.get(reverse("judging:score", args=[a.pk])).status_code == 403
    response = client.post(reverse("judging:conflict", args=[a.pk]), {"action": "no_conflict"})
    assert response.status_code == 302
    response = client.get(reverse("judging:score", args=[a.pk]))
    assert response.status_code == 200
    assert b"Participatory budgeting" in response.content
    response = client.post(reverse("judging:score", args=[a.pk]), _form_data(tc_panel, 8))
    assert response.status_code == 302
    review = Review.objects.get(assignment=a)
    assert review.is_submitted and review.recommendation == "shortlist"
    assert ReviewHistory.objects.filter(review=review).count() == 1


def test_score_incomplete_submit_shows_errors_and_saves_nothing(tc_panel, tc_members, make_entry):
    a = assignment_staff_tc_entry(submission=make_entry(status="eligible"))[0]
    client = client_for(a.reviewer.user)
    client.post(reverse("judging:conflict", args=[a.pk]), {"action": "no_conflict"})
    response = client.post(
        reverse("judging:score", args=[a.pk]), _form_data(tc_panel, 8, comment="")
    )
    assert response.status_code == 400
    assert "Write an overall comment." in response.content.decode()
    assert Review.objects.count() == 0
    response = client.post(
        reverse("judging:score", args=[a.pk]), {"action": "submit", "value_999": "x"}
    )
    assert response.status_code == 400


def test_declare_conflict_over_http(
    tc_panel, tc_members, make_entry, django_capture_on_commit_callbacks
):
    entry = make_entry(status="eligible")
    a = assignment_staff_tc_entry(submission=entry)[0]
    client = client_for(a.reviewer.user)
    response = client.post(
        reverse("judging:conflict", args=[a.pk]), {"action": "conflict", "reason": ""}
    )
    assert response.status_code == 400
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("judging:conflict", args=[a.pk]),
            {"action": "conflict", "reason": "My sister works there."},
        )
    assert response.status_code == 302
    a.refresh_from_db()
    assert (a.state, a.conflict_reason) == ("released", "My sister works there.")
    assert Assignment.objects.filter(submission=entry).exclude(state="released").count() == 3
    # Released: the page and the sheet are closed to them now.
    assert client.get(reverse("judging:conflict", args=[a.pk])).status_code == 403
    assert client.get(reverse("judging:score", args=[a.pk])).status_code == 403


def test_peer_scores_hidden_until_own_submitted_and_only_if_panel_allows(
    tc_panel, tc_members, make_entry
):
    entry = make_entry(status="eligible")
    first, second, _third = assignment_staff_tc_entry(submission=entry)
    score(first, 9)
    score(second, 4, submit=False)
    client = client_for(second.reviewer.user)
    url = reverse("judging:score", args=[second.pk])
    assert client.get(url).context["peers"] == []
    score(second, 4)
    assert client.get(url).context["peers"] == []  # show_peer_scores is off
    tc_panel.show_peer_scores = True
    tc_panel.save()
    peers = client.get(url).context["peers"]
    assert [p.assignment_id for p in peers] == [first.pk]


def test_attachment_served_to_conflict_free_reviewer_only(
    tc_panel, tc_members, make_entry, secretariat_client
):
    entry = make_entry(status="eligible")
    attachment = factories.AttachmentFactory(submission=entry)
    first, second, _ = assignment_staff_tc_entry(submission=entry)
    url = reverse("judging:attachment", args=[entry.pk, attachment.pk])
    assert client_for(first.reviewer.user).get(url).status_code == 403  # not confirmed yet
    score(first, 5, submit=False)
    response = client_for(first.reviewer.user).get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    assert secretariat_client.get(url).status_code == 200
    other = make_entry(status="eligible")
    wrong = reverse("judging:attachment", args=[other.pk, attachment.pk])
    assert secretariat_client.get(wrong).status_code == 404
