"""Factories for the judging models. Like tests/factories.py: no hidden side effects."""

import factory

from accounts import roles
from judging.models import (
    Assignment,
    Criterion,
    CriterionScore,
    Panel,
    PanelKind,
    PanelMember,
    Review,
)
from tests.factories import CycleFactory, UserFactory


class PanelFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Panel

    cycle = factory.SubFactory(CycleFactory)
    kind = PanelKind.TECHNICAL_COMMITTEE
    reviewers_per_entry = 3


class JuryPanelFactory(PanelFactory):
    kind = PanelKind.JURY


class PanelMemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PanelMember

    panel = factory.SubFactory(PanelFactory)
    user = factory.LazyAttribute(
        lambda o: UserFactory(
            role=roles.TECHNICAL_COMMITTEE
            if o.panel.kind == PanelKind.TECHNICAL_COMMITTEE
            else roles.JURY
        )
    )
    country = "FR"
    affiliation = "University of Somewhere"


class CriterionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Criterion

    panel = factory.SubFactory(PanelFactory)
    name = factory.Sequence(lambda n: f"Criterion {n}")
    weight = 1
    scale_min = 1
    scale_max = 10


class AssignmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Assignment

    panel = factory.SubFactory(PanelFactory)
    reviewer = factory.SubFactory(PanelMemberFactory, panel=factory.SelfAttribute("..panel"))
    submission = factory.SubFactory(
        "tests.factories.SubmissionFactory",
        cycle=factory.SelfAttribute("..panel.cycle"),
        status="eligible",
    )
    state = Assignment.State.ACTIVE


class ReviewFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Review

    assignment = factory.SubFactory(AssignmentFactory)
    overall_comment = "Solid work."


class CriterionScoreFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CriterionScore

    review = factory.SubFactory(ReviewFactory)
    criterion = factory.SubFactory(CriterionFactory)
    value = 7
