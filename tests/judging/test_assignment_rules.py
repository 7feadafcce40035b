"""The assignment rules (judging/services/assignment.py): automatic conflicts, who may
be given an entry, loads, releases and replacements, and what is refused and why."""

import pytest

from judging.services.assignment import is_automatic_conflict

# --- Automatic conflicts --------------------------------------------------------------


@pytest.mark.parametrize(
    ("member", "entry", "scope", "expected"),
    [
        ("BR", "", "country", False),
        ("BR", None, "continent", False),
        ("", "", "country", False),
        (None, None, "continent", False),
        ("AR", "AR", "continent", True),
        ("KE", "ZA", "continent", True),
        ("KE", "ZA", "country", False),
        ("KE", "FR", "none", False),
        # Territories on no continent share none: only the same code conflicts.
        ("AQ", "TF", "continent", False),
        ("AQ", "AQ", "continent", True),
    ],
)
def test_automatic_conflict_edges(member, entry, scope, expected):
    assert is_automatic_conflict(member, entry, scope) is expected
