"""Creating cycles, copying an earlier cycle's set-up, editing settings and dates.

Every change of a cycle date is kept in ``DeadlineChange`` with who, when and why.
"""

from datetime import datetime
from typing import Any

from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.content_languages import localized_names
from submissions.models import Cycle, DeadlineChange
from submissions.public_cache import bumps_public_cache

DATE_FIELDS = ("opens_at", "early_bird_deadline", "revision_window_ends_at", "final_deadline")
# Settings an earlier cycle passes on when copied (never its entries, dates or results).
COPIED_SETTINGS = (
    "shortlist_quota",
    "deserving_quota",
    "winner_quota",
    "medals_of_honor",
    "max_years_since_end",
    "word_limits",
    "max_file_mb",
    "max_entry_mb",
    "max_attachments",
    "votes_per_email_per_day",
    "votes_per_ip_per_day",
    "funded_delegates",
    "public_vote_title",
)
EDITABLE_SETTINGS = (
    "year",
    # The theme in each language (django-modeltranslation columns), English first.
    *localized_names("theme"),
    "is_open",
    "shortlist_quota",
    "deserving_quota",
    "winner_quota",
    "medals_of_honor",
    "earliest_start_date",
    "max_years_since_end",
    "max_file_mb",
    "max_entry_mb",
    "max_attachments",
    "jury_report",
    "draft_reminder_days",
    "clarification_reminder_days",
    "funded_delegates",
    "public_vote_title",
)
# Panel settings copied with the panels (not its dates or results).
PANEL_SETTINGS = (
    "reviewers_per_entry",
    "conflict_scope",
    "aggregation",
    "normalise",
    "tie_break",
    "show_peer_scores",
    "reminder_days_before",
    "disagreement_threshold",
)


def _open_conflict_message(other: Cycle) -> str:
    return _("Cycle %(n)s is already open for applications: close it before opening another.") % {
        "n": other.number
    }


def _check_one_open(cycle: Cycle) -> None:
    if cycle.is_open:
        other = Cycle.objects.filter(is_open=True).exclude(pk=cycle.pk).first()
        if other is not None:
            raise ValidationError({"is_open": _open_conflict_message(other)})


def _check_date_order(values: dict[str, datetime | None]) -> None:
    opens = values.get("opens_at")
    early = values.get("early_bird_deadline")
    revision = values.get("revision_window_ends_at")
    final = values.get("final_deadline")
    errors = {}
    if opens and final and final <= opens:
        errors["final_deadline"] = _("The final deadline must come after the call opens.")
    if early and opens and early <= opens:
        errors["early_bird_deadline"] = _("The early-bird deadline must come after the call opens.")
    if early and final and early >= final:
        errors["early_bird_deadline"] = _(
            "The early-bird deadline must come before the final deadline."
        )
    if revision and early and revision <= early:
        errors["revision_window_ends_at"] = _(
            "Early-bird revisions must end after the early-bird deadline."
        )
    if errors:
        raise ValidationError(errors)


def _copy_panels(*, source: Cycle, target: Cycle) -> None:
    # The judging app's models, loaded by name: submissions does not import judging.
    Panel = apps.get_model("judging", "Panel")
    Criterion = apps.get_model("judging", "Criterion")
    PanelMember = apps.get_model("judging", "PanelMember")
    now = timezone.now()
    for panel in Panel.objects.filter(cycle=source).prefetch_related("criteria", "members"):
        copy = Panel.objects.create(
            cycle=target, kind=panel.kind, **{f: getattr(panel, f) for f in PANEL_SETTINGS}
        )
        Criterion.objects.bulk_create(
            Criterion(
                panel=copy,
                # Every language's name and description (modeltranslation columns).
                **{
                    column: getattr(c, column)
                    for field in ("name", "description")
                    for column in localized_names(field)
                },
                weight=c.weight,
                scale_min=c.scale_min,
                scale_max=c.scale_max,
                order=c.order,
            )
            for c in panel.criteria.all()
        )
        PanelMember.objects.bulk_create(
            PanelMember(
                panel=copy,
                user_id=m.user_id,
                is_chair=m.is_chair,
                country=m.country,
                affiliation=m.affiliation,
                expertise=list(m.expertise or []),
                invited_at=now,
            )
            for m in panel.members.all()
        )


@bumps_public_cache
@transaction.atomic
def cycle_create(
    *,
    number: int,
    year: str,
    theme: str = "",
    theme_translations: dict[str, str | None] | None = None,
    dates: dict[str, datetime | None] | None = None,
    copy_from: Cycle | None = None,
    by,
) -> Cycle:
    """Create a cycle, closed for applications.

    With ``copy_from``: its settings (quotas, limits, medals, vote limits), its
    panels' settings, criteria and members are copied; never its entries, dates,
    results or votes. Initial dates are recorded in the history of changes.
    ``theme`` is English; ``theme_translations`` maps ``theme_<language>`` columns to
    the other languages' texts (a blank one falls back to English).
    Raises ``ValidationError`` for a number in use or dates out of order.
    """
    if Cycle.objects.filter(number=number).exists():
        raise ValidationError({"number": _("Cycle %(n)s already exists.") % {"n": number}})
    dates = {k: v for k, v in (dates or {}).items() if k in DATE_FIELDS}
    _check_date_order(dates)
    settings: dict[str, Any] = {}
    if copy_from is not None:
        settings = {f: getattr(copy_from, f) for f in COPIED_SETTINGS}
        settings["word_limits"] = dict(copy_from.word_limits or {})
    translations = {
        name: (text or "").strip() or None
        for name, text in (theme_translations or {}).items()
        if name in localized_names("theme", include_default=False)
    }
    cycle = Cycle.objects.create(
        number=number, year=year, theme_en=theme.strip(), **translations, **settings, **dates
    )
    now = timezone.now()
    DeadlineChange.objects.bulk_create(
        DeadlineChange(
            cycle=cycle,
            field=field,
            old_value=None,
            new_value=value,
            reason=_("Set when the cycle was created."),
            changed_by=by,
            changed_at=now,
        )
        for field, value in dates.items()
        if value is not None
    )
    if copy_from is not None:
        _copy_panels(source=copy_from, target=cycle)
    return cycle


@bumps_public_cache
@transaction.atomic
def cycle_update_settings(*, cycle: Cycle, data: dict[str, Any], by) -> Cycle:
    """Change a cycle's settings (not its dates). At most one cycle is open for
    applications: opening a second raises ``ValidationError`` naming the open one."""
    locked = Cycle.objects.select_for_update().get(pk=cycle.pk)
    changed = []
    for field in EDITABLE_SETTINGS:
        if field in data and getattr(locked, field) != data[field]:
            setattr(locked, field, data[field])
            changed.append(field)
    if not changed:
        return locked
    if "jury_report" in changed and locked.jury_report_signed_at is not None:
        raise ValidationError(
            {
                "jury_report": _(
                    "The jury chair has signed the report: its text can no longer change."
                )
            }
        )
    _check_one_open(locked)
    try:
        with transaction.atomic():
            locked.save(update_fields=changed)
    except IntegrityError:  # another cycle was opened at the same moment
        other = Cycle.objects.filter(is_open=True).exclude(pk=locked.pk).first()
        raise ValidationError(
            {"is_open": _open_conflict_message(other) if other else _("Another cycle is open.")}
        ) from None
    return locked


@bumps_public_cache
@transaction.atomic
def cycle_change_dates(
    *, cycle: Cycle, dates: dict[str, datetime | None], reason: str, by
) -> list[DeadlineChange]:
    """Change some of a cycle's dates, keeping one ``DeadlineChange`` per changed date.

    ``reason`` is required. Raises ``ValidationError`` (nothing saved) when it is
    missing, when nothing changes or when the dates would be out of order.
    """
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Please say why the dates change.")})
    locked = Cycle.objects.select_for_update().get(pk=cycle.pk)
    changed = {
        field: value
        for field, value in dates.items()
        if field in DATE_FIELDS and getattr(locked, field) != value
    }
    if not changed:
        raise ValidationError(_("No date was changed."))
    _check_date_order({f: changed.get(f, getattr(locked, f)) for f in DATE_FIELDS})
    now = timezone.now()
    rows = [
        DeadlineChange(
            cycle=locked,
            field=field,
            old_value=getattr(locked, field),
            new_value=value,
            reason=reason,
            changed_by=by,
            changed_at=now,
        )
        for field, value in changed.items()
    ]
    for field, value in changed.items():
        setattr(locked, field, value)
    locked.save(update_fields=list(changed))
    DeadlineChange.objects.bulk_create(rows)
    cycle.__dict__.update({f: getattr(locked, f) for f in DATE_FIELDS})
    return rows
