"""The award's fixed vocabularies: domains, innovation types, analytical topics, SDGs."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Domain(models.TextChoices):
    SOCIAL_CULTURAL = "social_cultural", _("Social and Cultural")
    ECONOMIC = "economic", _("Economic")
    ENVIRONMENTAL = "environmental", _("Environmental")
    GOVERNANCE = "governance", _("Governance")
    TECHNOLOGY = "technology", _("Technology")


class InnovationType(models.TextChoices):
    POLICY = "policy", _("New policies")
    IMPLEMENTATION = "implementation", _("New implementation strategies")
    BUSINESS_FINANCING = "business_financing", _("New business or financing models")
    PARTNERSHIPS = "partnerships", _("New partnerships")
    ENGAGEMENT = "engagement", _("Engagement and collaboration")
    GOVERNANCE = "governance", _("New approaches to governance")
    TECHNOLOGY = "technology", _("Use of technology")


class InnovationKind(models.TextChoices):
    REVOLUTIONARY = "revolutionary", _("Revolutionary")
    EVOLUTIONARY = "evolutionary", _("Evolutionary")


class Topic(models.TextChoices):
    """The 12 analytical topics the Secretariat assigns; values are the English names."""

    WASTE = "Urban waste management", _("Urban waste management")
    ENERGY = "Energy saving and emission reduction", _("Energy saving and emission reduction")
    RESILIENT = "Resilient city", _("Resilient city")
    SMART = "Smart city", _("Smart city")
    ENGAGEMENT = "Resident engagement", _("Resident engagement")
    INCLUSIVE = "Inclusive community", _("Inclusive community")
    CAPACITY = "Government capacity building", _("Government capacity building")
    PUBLIC_SERVICE = "Urban public service improvement", _("Urban public service improvement")
    ECONOMY = "Urban economic development", _("Urban economic development")
    RENEWAL = (
        "Urban renewal and infrastructure construction",
        _("Urban renewal and infrastructure construction"),
    )
    YOUTH = "Youth development and civic education", _("Youth development and civic education")
    ENVIRONMENT = "Environmental protection", _("Environmental protection")


def topic_from_name(name: str) -> str | None:
    """Case-insensitive lookup of an English topic name; None when unknown."""
    wanted = (name or "").strip().lower()
    for value in Topic.values:
        if value.lower() == wanted:
            return value
    return None


SDG_NAMES = {
    1: _("No poverty"),
    2: _("Zero hunger"),
    3: _("Good health and well-being"),
    4: _("Quality education"),
    5: _("Gender equality"),
    6: _("Clean water and sanitation"),
    7: _("Affordable and clean energy"),
    8: _("Decent work and economic growth"),
    9: _("Industry, innovation and infrastructure"),
    10: _("Reduced inequalities"),
    11: _("Sustainable cities and communities"),
    12: _("Responsible consumption and production"),
    13: _("Climate action"),
    14: _("Life below water"),
    15: _("Life on land"),
    16: _("Peace, justice and strong institutions"),
    17: _("Partnerships for the goals"),
}


class OrganisationKind(models.TextChoices):
    CITY = "city", _("City")
    REGION = "region", _("Region or province")
    DISTRICT = "district", _("District or municipality")
    OTHER = "other", _("Other local government")


class PartnerType(models.TextChoices):
    PUBLIC = "public", _("Public sector")
    PRIVATE = "private", _("Private sector")
    CIVIL_SOCIETY = "civil_society", _("Civil society")
    ACADEMIC = "academic", _("Academic")
    INTERNATIONAL = "international", _("International organisation")
    OTHER = "other", _("Other")


class IneligibilityReason(models.TextChoices):
    NOT_LOCAL_GOVERNMENT = "not_local_government", _("Applicant is not a local government")
    NOT_IMPLEMENTED_BY_IT = "not_implemented", _("Not implemented by the local government")
    TOO_NEW_OR_ENDED = "timing", _("Too new, or ended more than 2 years ago")
    NO_EVIDENCE = "no_evidence", _("No evidence of impact")
    INCOMPLETE = "incomplete", _("Incomplete application")
    NOT_ENGLISH = "not_english", _("Not in English")
    LATE = "late", _("Received after the deadline")
    DUPLICATE = "duplicate", _("Duplicate of another entry")
    OTHER = "other", _("Other")
