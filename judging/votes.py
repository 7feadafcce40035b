"""The public vote "City of Your Choice".

A voter picks a shortlisted entry of the cycle whose voting window is open and gives
an email address; the vote counts once confirmed through a signed link sent to that
address. Limits per cycle: ``votes_per_email_per_day`` confirmed votes per address
and ``votes_per_ip_per_day`` votes asked from one IP address, per Beijing day. An
address counts as its mailbox (``vote_email_key``): x@, x+1@ and, at Gmail, x.y@ are
one voter. The vote form also asks the browser to solve a proof-of-work challenge
(ALTCHA, self-hosted), which makes scripted mass voting costly.
"""

import zoneinfo
from datetime import date, datetime, timedelta

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Count, Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from judging.models import Vote
from submissions.models import Cycle, Submission
from submissions.public_cache import bumps_public_cache
from submissions.services.dispatch import dispatch_on_commit
from submissions.services.emails import email_send_once
from submissions.workflow import SHORTLISTED_OR_BETTER

VOTE_SALT = "judging.vote.confirm"
# Mail providers that deliver "j.doe@" to "jdoe@" (dots in the local part are ignored),
# and the one domain each is known under.
DOT_BLIND_DOMAINS = {"gmail.com": "gmail.com", "googlemail.com": "gmail.com"}
VOTE_LINK_MAX_AGE = timedelta(days=2)
BEIJING = zoneinfo.ZoneInfo(settings.AWARD_TIME_ZONE)


def vote_email_key(email: str) -> str:
    """The mailbox ``email`` reaches, for the one-vote-per-address rule.

    Lower case; the "+tag" of plus-addressing removed for every domain (x+1@ and x@
    reach one mailbox nearly everywhere); dots removed where the provider ignores
    them (Gmail, under either of its domains).
    """
    local, _at, domain = (email or "").strip().lower().rpartition("@")
    if not local:
        return (email or "").strip().lower()
    local = local.split("+", 1)[0] or local
    if domain in DOT_BLIND_DOMAINS:
        local, domain = local.replace(".", ""), DOT_BLIND_DOMAINS[domain]
    return f"{local}@{domain}"


def vote_day(at: datetime) -> date:
    """The voting day of ``at``, in Beijing time."""
    return timezone.localtime(at, BEIJING).date()


def _window_open(cycle: Cycle, at: datetime) -> bool:
    return bool(
        cycle.vote_opens_at
        and cycle.vote_closes_at
        and cycle.vote_opens_at <= at < cycle.vote_closes_at
    )


def vote_candidates(*, cycle: Cycle) -> QuerySet:
    """The entries the public may vote for: the cycle's shortlisted (and better)."""
    return (
        Submission.objects.filter(cycle=cycle, status__in=SHORTLISTED_OR_BETTER)
        .select_related("organisation")
        .order_by("organisation__name", "title")
    )


def vote_counts(*, cycle: Cycle) -> QuerySet:
    """The candidates with their confirmed (``confirmed_votes``) and waiting
    (``pending_votes``) votes, most votes first. One query."""
    return (
        vote_candidates(cycle=cycle)
        .annotate(
            confirmed_votes=Count(
                "votes", filter=Q(votes__cycle=cycle, votes__confirmed_at__isnull=False)
            ),
            pending_votes=Count(
                "votes", filter=Q(votes__cycle=cycle, votes__confirmed_at__isnull=True)
            ),
        )
        .order_by("-confirmed_votes", "organisation__name", "title")
    )


def vote_token(vote: Vote) -> str:
    return signing.dumps({"v": vote.pk, "e": vote.email}, salt=VOTE_SALT)


def vote_confirm_url(vote: Vote) -> str:
    return settings.SITE_URL + reverse("vote:confirm", args=[vote_token(vote)])


def vote_send_confirmation(*, vote_id: int) -> bool:
    """Email the confirmation link of a vote, once (a retried task sends nothing more)."""
    vote = Vote.objects.select_related("cycle", "submission__organisation").get(pk=vote_id)
    return email_send_once(
        key=f"vote:{vote.pk}",
        to=vote.email,
        template="email/vote_confirmation",
        context={
            "vote": vote,
            "cycle": vote.cycle,
            "entry": vote.submission,
            "confirm_url": vote_confirm_url(vote),
            "hours": int(VOTE_LINK_MAX_AGE.total_seconds() // 3600),
        },
    )


@transaction.atomic
def vote_cast(
    *,
    cycle: Cycle,
    submission_id: int,
    email: str,
    ip_address: str | None,
    at: datetime | None = None,
) -> Vote:
    """Record an unconfirmed vote and email its confirmation link (after commit).

    Raises ``ValidationError`` when the window is closed, the entry is not a
    candidate, the address is invalid or has used its votes today, or the IP address
    has reached its daily limit. Nothing is saved then.
    """
    at = at or timezone.now()
    cycle = Cycle.objects.select_for_update().get(pk=cycle.pk)
    if not _window_open(cycle, at):
        raise ValidationError(_("The public vote is not open."))
    email = (email or "").strip().lower()
    try:
        validate_email(email)
    except ValidationError:
        raise ValidationError(_("Please give a valid email address.")) from None
    submission = vote_candidates(cycle=cycle).filter(pk=submission_id).first()
    if submission is None:
        raise ValidationError(_("Please choose one of the shortlisted initiatives."))
    day = vote_day(at)
    mailbox = vote_email_key(email)
    confirmed_today = Vote.objects.filter(
        cycle=cycle, email_key=mailbox, day=day, confirmed_at__isnull=False
    ).count()
    if confirmed_today >= cycle.votes_per_email_per_day:
        raise ValidationError(
            _(
                "This email address has already voted today. You may vote again tomorrow (Beijing time)."
            )
        )
    if ip_address and (
        Vote.objects.filter(cycle=cycle, ip_address=ip_address, day=day).count()
        >= cycle.votes_per_ip_per_day
    ):
        raise ValidationError(
            _("Too many votes came from your network today. Please try again tomorrow.")
        )
    vote = Vote.objects.create(
        cycle=cycle,
        submission=submission,
        email=email,
        email_key=mailbox,
        ip_address=ip_address or None,
        day=day,
        created_at=at,
    )
    from . import tasks  # tasks import this module

    dispatch_on_commit(tasks.send_vote_confirmation, vote.pk)
    return vote


def vote_from_token(*, token: str, max_age: timedelta = VOTE_LINK_MAX_AGE) -> Vote:
    """The vote a confirmation link names. Raises ``ValidationError`` for a forged,
    altered or expired link."""
    try:
        data = signing.loads(token, salt=VOTE_SALT, max_age=max_age)
    except signing.SignatureExpired:
        raise ValidationError(
            _("This confirmation link has expired. Please vote again to get a new link.")
        ) from None
    except signing.BadSignature:
        raise ValidationError(
            _("This confirmation link is not valid. Please use the link exactly as we sent it.")
        ) from None
    vote = (
        Vote.objects.select_related("cycle", "submission__organisation")
        .filter(pk=data.get("v"), email=data.get("e"))
        .first()
    )
    if vote is None:
        raise ValidationError(
            _("This confirmation link is not valid. Please use the link exactly as we sent it.")
        )
    return vote


@transaction.atomic
def vote_confirm(
    *, token: str, at: datetime | None = None, max_age: timedelta = VOTE_LINK_MAX_AGE
) -> Vote:
    """Confirm the vote a signed link names; from then on it counts.

    Idempotent: confirming twice leaves the first confirmation. Raises
    ``ValidationError`` for a forged or expired link, a closed vote, or an address
    that already has its confirmed votes for that day.
    """
    at = at or timezone.now()
    vote = vote_from_token(token=token, max_age=max_age)
    cycle = Cycle.objects.select_for_update().get(pk=vote.cycle_id)  # serialise confirmations
    vote = (
        Vote.objects.select_for_update().select_related("submission__organisation").get(pk=vote.pk)
    )
    if vote.confirmed_at is not None:
        return vote
    if not _window_open(cycle, at):
        raise ValidationError(
            _("The public vote has closed; this vote can no longer be confirmed.")
        )
    confirmed = Vote.objects.filter(
        cycle=cycle,
        email_key=vote.email_key or vote_email_key(vote.email),
        day=vote.day,
        confirmed_at__isnull=False,
    ).count()
    if confirmed >= cycle.votes_per_email_per_day:
        raise ValidationError(
            _(
                "This email address has already voted today. You may vote again tomorrow (Beijing time)."
            )
        )
    vote.confirmed_at = at
    vote.save(update_fields=["confirmed_at"])
    return vote


@bumps_public_cache
@transaction.atomic
def cycle_vote_window_set(
    *,
    cycle: Cycle,
    opens_at: datetime | None,
    closes_at: datetime | None,
    votes_per_email_per_day: int,
    votes_per_ip_per_day: int,
    by,
) -> Cycle:
    """Set the voting window and limits. Raises ``ValidationError`` when the window
    ends before it starts, only one end is given, or another cycle's window overlaps."""
    if (opens_at is None) != (closes_at is None):
        raise ValidationError(_("Give both the opening and the closing time, or neither."))
    if opens_at and closes_at <= opens_at:
        raise ValidationError(_("The vote must close after it opens."))
    if votes_per_email_per_day < 1 or votes_per_ip_per_day < 1:
        raise ValidationError(_("Limits must be at least 1."))
    if opens_at:
        overlapping = Cycle.objects.exclude(pk=cycle.pk).filter(
            vote_opens_at__lt=closes_at, vote_closes_at__gt=opens_at
        )
        if overlapping.exists():
            raise ValidationError(
                _("The public vote of cycle %(n)s runs at the same time.")
                % {"n": overlapping.first().number}
            )
    locked = Cycle.objects.select_for_update().get(pk=cycle.pk)
    locked.vote_opens_at = opens_at
    locked.vote_closes_at = closes_at
    locked.votes_per_email_per_day = votes_per_email_per_day
    locked.votes_per_ip_per_day = votes_per_ip_per_day
    locked.save(
        update_fields=[
            "vote_opens_at",
            "vote_closes_at",
            "votes_per_email_per_day",
            "votes_per_ip_per_day",
        ]
    )
    return locked


@bumps_public_cache
@transaction.atomic
def cycle_city_of_your_choice_set(*, cycle: Cycle, by, at: datetime | None = None) -> Submission:
    """Give the title "City of Your Choice" to the entry with the most confirmed votes.

    Raises ``ValidationError`` while the vote is still open, when nobody voted, or on
    a tie (the Secretariat then decides with the Organizing Committee).
    """
    at = at or timezone.now()
    locked = Cycle.objects.select_for_update().get(pk=cycle.pk)
    if locked.vote_closes_at is None or at < locked.vote_closes_at:
        raise ValidationError(_("The public vote has not closed yet."))
    ranked = list(vote_counts(cycle=locked)[:2])
    if not ranked or ranked[0].confirmed_votes == 0:
        raise ValidationError(_("No confirmed vote was cast."))
    if len(ranked) > 1 and ranked[1].confirmed_votes == ranked[0].confirmed_votes:
        raise ValidationError(
            _("%(a)s and %(b)s are tied with %(n)s votes.")
            % {
                "a": ranked[0].organisation.name,
                "b": ranked[1].organisation.name,
                "n": ranked[0].confirmed_votes,
            }
        )
    locked.city_of_your_choice = ranked[0]
    locked.save(update_fields=["city_of_your_choice"])
    return ranked[0]
