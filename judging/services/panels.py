"""Setting up a stage: the panel, its criteria and its members."""

from decimal import Decimal

from allauth.account.forms import default_token_generator
from allauth.account.models import EmailAddress
from allauth.account.utils import user_pk_to_url_str
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from accounts import roles
from accounts.content_languages import OTHER_CODES, localized_name, localized_names
from submissions.models import Cycle
from submissions.services.emails import email_send_once

from ..models import Criterion, Panel, PanelKind, PanelMember
from .assignment import assignment_release_conflicts

# The default criteria, in English; created with the other languages' texts taken from
# the catalogues (the Secretariat may edit every language in the panel set-up).
DEFAULT_CRITERIA = {
    PanelKind.TECHNICAL_COMMITTEE: [
        (gettext_noop("Innovation"), gettext_noop("How new the initiative is, in its context.")),
        (
            gettext_noop("Effectiveness"),
            gettext_noop("Results shown with evidence and indicators."),
        ),
        (
            gettext_noop("Context"),
            gettext_noop("How well it answers the local problem and conditions."),
        ),
        (gettext_noop("Replicability"), gettext_noop("Whether other cities could adopt it.")),
        (
            gettext_noop("Relevance to the SDGs and the New Urban Agenda"),
            gettext_noop("Its contribution to local implementation of the SDGs and NUA."),
        ),
    ],
    PanelKind.JURY: [
        (gettext_noop("Innovation"), gettext_noop("How new the initiative is, in its context.")),
        (gettext_noop("Participation"), gettext_noop("How residents and partners take part.")),
        (gettext_noop("Impact"), gettext_noop("The change it made, shown with evidence.")),
        (
            gettext_noop("Significance"),
            gettext_noop("How much it matters for the city and beyond."),
        ),
        (gettext_noop("Replicability"), gettext_noop("Whether other cities could adopt it.")),
        (gettext_noop("Learnability"), gettext_noop("What others can learn from it.")),
        (
            gettext_noop("Inclusiveness"),
            gettext_noop("Whether it serves everyone, the vulnerable first."),
        ),
    ],
}

PANEL_GROUPS = {
    PanelKind.TECHNICAL_COMMITTEE: roles.TECHNICAL_COMMITTEE,
    PanelKind.JURY: roles.JURY,
}


def panel_get_or_create(*, cycle: Cycle, kind: str) -> Panel:
    """The cycle's panel of this kind, created with defaults and default criteria."""
    if kind not in PanelKind.values:
        raise ValidationError(_("Unknown panel."))
    with transaction.atomic():
        panel, created = Panel.objects.get_or_create(cycle=cycle, kind=kind)
        if created:
            criteria_create_defaults(panel=panel)
    return panel


def _catalogue_translations(field: str, english: str) -> dict[str, str]:
    """``{"name_fr": "Innovation", ...}`` for each language whose catalogue translates
    ``english``; languages without a translation are left out (English is shown)."""
    found = {}
    for code in OTHER_CODES:
        with translation.override(code):
            text = translation.gettext(english)
        if text != english:
            found[localized_name(field, code)] = text
    return found


def criteria_create_defaults(*, panel: Panel) -> int:
    """Create the default criteria of the panel's kind that are missing (matched on
    their English name), with their translations. Idempotent."""
    made = 0
    for order, (name, description) in enumerate(DEFAULT_CRITERIA[panel.kind]):
        _c, created = Criterion.objects.get_or_create(
            panel=panel,
            name_en=name,
            defaults={
                "description_en": description,
                **_catalogue_translations("name", name),
                **_catalogue_translations("description", description),
                "order": order,
                "weight": Decimal(1),
            },
        )
        made += created
    return made


def _refuse_if_scoring_started(panel: Panel) -> None:
    from ..models import CriterionScore

    if CriterionScore.objects.filter(review__assignment__panel=panel, value__isnull=False).exists():
        raise ValidationError(
            _("Scoring has started: criteria can no longer be added, removed or rescaled.")
        )


@transaction.atomic
def criterion_save(
    *,
    panel: Panel,
    name: str,
    description: str,
    weight: Decimal,
    scale_min: int,
    scale_max: int,
    by,
    criterion: Criterion | None = None,
    translations: dict[str, str | None] | None = None,
) -> Criterion:
    """Add or edit a criterion. Scale changes are refused once anyone has scored.

    ``name`` and ``description`` are English; ``translations`` maps the other
    languages' columns (``name_fr``, ``description_zh_hans``…) to their texts, None
    or blank meaning "show the English". Names are unique within the panel in every
    language."""
    if scale_min >= scale_max:
        raise ValidationError(_("The highest score must be above the lowest."))
    if weight <= 0:
        raise ValidationError(_("The weight must be positive."))
    texts = {
        column: (text or "").strip() or None
        for column, text in (translations or {}).items()
        if column
        in (
            *localized_names("name", include_default=False),
            *localized_names("description", include_default=False),
        )
    }
    names = {"name_en": name.strip()} | {
        column: text for column, text in texts.items() if column.startswith("name_") and text
    }
    others = Criterion.objects.filter(panel=panel)
    if criterion is not None:
        others = others.exclude(pk=criterion.pk)
    for column, text in names.items():
        if others.filter(**{f"{column}__iexact": text}).exists():
            raise ValidationError(_("This panel already has a criterion with that name."))
    if criterion is None or (criterion.scale_min, criterion.scale_max) != (scale_min, scale_max):
        _refuse_if_scoring_started(panel)
    if criterion is None:
        criterion = Criterion(panel=panel, order=panel.criteria.count())
    criterion.name_en = name.strip()
    criterion.description_en = description
    for column, text in texts.items():
        setattr(criterion, column, text)
    criterion.weight = weight
    criterion.scale_min, criterion.scale_max = scale_min, scale_max
    criterion.save()
    return criterion


# What the Secretariat may set for a stage (its dates of release and closing are not here).
PANEL_SETTING_FIELDS = (
    "scoring_deadline",
    "reviewers_per_entry",
    "conflict_scope",
    "aggregation",
    "normalise",
    "show_peer_scores",
    "reminder_days_before",
    "disagreement_threshold",
)


@transaction.atomic
def panel_update_settings(*, panel: Panel, values: dict, tie_break: list[str], by) -> Panel:
    """Save a stage's settings and its declared tie-break order (validated by the form)."""
    panel = Panel.objects.select_for_update().get(pk=panel.pk)
    scope_before = panel.conflict_scope
    for field in PANEL_SETTING_FIELDS:
        if field in values:
            setattr(panel, field, values[field])
    panel.tie_break = list(tie_break)
    panel.save(update_fields=[*PANEL_SETTING_FIELDS, "tie_break"])
    if panel.conflict_scope != scope_before:
        # A wider rule may forbid members entries they hold: release and re-staff those.
        assignment_release_conflicts(panel=panel, by=by)
    return panel


@transaction.atomic
def criterion_delete(*, criterion: Criterion, by) -> None:
    _refuse_if_scoring_started(criterion.panel)
    criterion.delete()


def _set_password_url(user) -> str:
    key = default_token_generator.make_token(user)
    path = reverse(
        "account_reset_password_from_key",
        kwargs={"uidb36": user_pk_to_url_str(user), "key": key},
    )
    return settings.SITE_URL + path


@transaction.atomic
def member_invite(
    *,
    panel: Panel,
    email: str,
    full_name: str = "",
    country: str = "",
    affiliation: str = "",
    expertise: list | None = None,
    is_chair: bool = False,
    by,
) -> tuple[PanelMember, bool]:
    """Add a person to the panel by email, creating the account when needed.

    A new account gets an unusable password and an emailed link to set one; the
    user joins the panel kind's group. Idempotent: inviting the same email again
    updates the member and sends no second email. Returns (member, created).
    """
    User = get_user_model()
    email = email.strip().lower()
    user = User.objects.filter(email__iexact=email).first()
    new_account = user is None
    if user is not None and user.organisation_id:
        raise ValidationError(
            _("%(email)s belongs to a city's account and cannot sit on a panel.") % {"email": email}
        )
    if new_account:
        user = User(email=email, full_name=full_name.strip())
        user.set_unusable_password()
        user.save()
        # The account can only be entered through the set-password link sent to this
        # address, so the address needs no second verification email.
        EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    group, _g = Group.objects.get_or_create(name=PANEL_GROUPS[panel.kind])
    user.groups.add(group)
    if is_chair:
        PanelMember.objects.filter(panel=panel, is_chair=True).exclude(user=user).update(
            is_chair=False
        )
    country_before = (
        PanelMember.objects.filter(panel=panel, user=user).values_list("country", flat=True).first()
    )
    member, created = PanelMember.objects.update_or_create(
        panel=panel,
        user=user,
        defaults={
            "country": country,
            "affiliation": affiliation,
            "expertise": list(expertise or []),
            "is_chair": is_chair,
        },
    )
    if not created and str(member.country) != str(country_before or ""):
        # Re-invited with another country: what they hold may now be their own country's.
        assignment_release_conflicts(panel=panel, member=member, by=by)
    if created and panel.kind == PanelKind.JURY:
        # A juror appointed after the shortlist's release gets the shortlisted entries.
        from submissions.services.dispatch import dispatch_on_commit

        from .. import tasks

        dispatch_on_commit(tasks.assign_jury, panel.cycle_id)
    if created:
        context = {
            "member": member,
            "panel": panel,
            "user": user,
            "set_password_url": _set_password_url(user) if not user.has_usable_password() else "",
            "queue_url": settings.SITE_URL + reverse("judging:reviewer_queue"),
        }
        transaction.on_commit(
            lambda: email_send_once(
                key=f"panel-invite:{member.pk}",
                to=user.email,
                template="judging/email/invitation",
                context=context,
            )
        )
    return member, created


@transaction.atomic
def member_remove(*, member: PanelMember, by) -> None:
    """Take a member off the panel; refused once they have submitted a review. The
    entries they held get other reviewers (a task per entry, after commit)."""
    from ..models import Review

    if Review.objects.filter(assignment__reviewer=member, submitted_at__isnull=False).exists():
        raise ValidationError(
            _("%(name)s has submitted reviews: release their assignments instead.")
            % {"name": member.user.display_name}
        )
    entries = list(
        member.assignments.exclude(state="released").values_list("submission_id", flat=True)
    )
    panel_id = member.panel_id
    member.delete()
    # The entries they held are staffed again after commit (the sweep would, later).
    from submissions.services.dispatch import dispatch_on_commit

    from .. import tasks

    for submission_id in entries:
        dispatch_on_commit(tasks.staff_entry, submission_id, panel_id)
