"""Fixtures for the judging tests: a cycle with a Technical Committee and a jury."""

import pytest
from django.test import Client

from accounts import roles
from judging.services.panels import panel_get_or_create
from tests import factories
from tests.judging.factories import PanelMemberFactory


def client_for(user) -> Client:
    """A client signed in as ``user``, who (like any reviewer) has a second factor."""
    if roles.is_privileged(user):
        factories.add_totp(user)
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def cycle(db):
    return factories.CycleFactory()


@pytest.fixture
def tc_panel(cycle):
    """A Technical Committee with the default criteria, 3 reviewers per entry."""
    return panel_get_or_create(cycle=cycle, kind="tc")


@pytest.fixture
def jury_panel(cycle):
    return panel_get_or_create(cycle=cycle, kind="jury")


@pytest.fixture
def tc_members(tc_panel):
    """Four TC members from four countries, none Brazilian (the factories' entries are)."""
    return [
        PanelMemberFactory(panel=tc_panel, country=country, is_chair=(i == 0))
        for i, country in enumerate(["FR", "KE", "JP", "CA"])
    ]


@pytest.fixture
def jury_members(jury_panel):
    return [
        PanelMemberFactory(panel=jury_panel, country=country, is_chair=(i == 0))
        for i, country in enumerate(["DE", "IN", "MX"])
    ]


@pytest.fixture
def make_entry(cycle):
    """make_entry(status="submitted", country="BR"): a complete entry of the cycle."""

    def make(status="submitted", country="BR", **kwargs):
        org = factories.OrganisationFactory(country=country)
        factories.CityOfficialFactory(organisation=org)
        return factories.CompleteSubmissionFactory(
            cycle=cycle, organisation=org, status=status, **kwargs
        )

    return make


def score(assignment, value: int, recommendation: str = "shortlist", submit: bool = True):
    """Confirm no conflict and save a review giving ``value`` on every criterion."""
    from judging.services.assignment import assignment_confirm_no_conflict
    from judging.services.reviews import review_save

    user = assignment.reviewer.user
    assignment_confirm_no_conflict(assignment=assignment, by=user)
    assignment.refresh_from_db()
    criteria = list(assignment.panel.criteria.all())
    return review_save(
        assignment=assignment,
        values={c.pk: value for c in criteria},
        comments={},
        overall_comment="Considered.",
        recommendation=recommendation if assignment.panel.kind == "tc" else "",
        submit=submit,
        by=user,
    )


@pytest.fixture
def scored_tc(cycle, tc_panel, tc_members, make_entry):
    """Five eligible entries, each scored by its three reviewers: entry i gets 9 − i."""
    from judging.services.assignment import assignment_staff_tc_entry

    cycle.shortlist_quota, cycle.deserving_quota = 2, 2
    cycle.save()
    entries = [make_entry(status="eligible") for _ in range(5)]
    for i, entry in enumerate(entries):
        for a in assignment_staff_tc_entry(submission=entry):
            score(a, 9 - i)
    return entries
