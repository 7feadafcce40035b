"""Reads of judging: what a reviewer may see of the other members' reviews."""

from judging.selectors import peer_reviews
from judging.services.assignment import assignment_staff_tc_entry
from tests.judging.conftest import score


def test_peer_reviews_hidden_until_own_review_submitted_even_when_panel_shows_them(
    tc_panel, tc_members, make_entry
):
    tc_panel.show_peer_scores = True
    tc_panel.save(update_fields=["show_peer_scores"])
    entry = make_entry(status="eligible")
    first, second, third = assignment_staff_tc_entry(submission=entry)
    score(first, 9)
    score(third, 6)
    score(second, 4, submit=False)  # a draft is not a submitted review
    second.refresh_from_db()
    assert list(peer_reviews(assignment=second)) == []
    score(second, 4)
    second.refresh_from_db()
    assert sorted(r.assignment_id for r in peer_reviews(assignment=second)) == sorted(
        [first.pk, third.pk]
    )


def test_peer_reviews_never_shown_when_the_panel_hides_them(tc_panel, tc_members, make_entry):
    entry = make_entry(status="eligible")
    first, second, _third = assignment_staff_tc_entry(submission=entry)
    score(first, 9)
    score(second, 4)
    second.refresh_from_db()
    assert tc_panel.show_peer_scores is False
    assert list(peer_reviews(assignment=second)) == []
