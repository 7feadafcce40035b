"""The rows of the workflow table. The table is built once, when the module is loaded,
by ``_t``: its rules are pinned here on the row builder itself (a mutation tool that
changes ``_t`` after the import would otherwise never see the table change)."""

from submissions import workflow
from submissions.workflow import TRANSITIONS, Actor, Status, Transition


def test_a_plain_row_keeps_its_move_and_needs_no_note():
    row = workflow._t("submit", Status.DRAFT, Status.SUBMITTED, Actor.APPLICANT)
    assert row == Transition(
        "submit", Status.DRAFT, Status.SUBMITTED, frozenset({Actor.APPLICANT}), False, False
    )


def test_a_row_may_ask_for_a_note_without_being_a_correction():
    row = workflow._t(
        "request_clarification",
        Status.SUBMITTED,
        Status.CLARIFICATION,
        Actor.SECRETARIAT,
        needs_note=True,
    )
    assert (row.correction, row.needs_note) == (False, True)


def test_a_correction_always_needs_a_note():
    row = workflow._t(
        "reconsider", Status.INELIGIBLE, Status.ELIGIBLE, Actor.SECRETARIAT, correction=True
    )
    assert row == Transition(
        "reconsider",
        Status.INELIGIBLE,
        Status.ELIGIBLE,
        frozenset({Actor.SECRETARIAT}),
        True,
        True,
    )
    assert all(t.needs_note for t in TRANSITIONS if t.correction)


def test_a_row_keeps_every_actor_named():
    row = workflow._t(
        "tc_outcome", Status.ELIGIBLE, Status.SHORTLISTED, Actor.SECRETARIAT, Actor.SYSTEM
    )
    assert row.actors == frozenset({Actor.SECRETARIAT, Actor.SYSTEM})
