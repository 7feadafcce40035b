"""Voters' personal data are kept only as long as the vote needs them.

Thirty days after a cycle's public vote closes (time enough to check complaints and
duplicates), each vote's email address is replaced by a salted hash and its IP
address deleted. The hash still tells whether two votes came from one mailbox, for
any later audit, but no longer who voted.
"""

import hashlib
import hmac
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from judging.models import Vote

HASH_PREFIX = "sha256$"  # an "email" starting with it is a hash, not an address


def voter_email_hash(*, email: str, cycle_id: int) -> str:
    """The salted hash kept instead of ``email`` (salt: the secret key and cycle)."""
    key = f"{settings.SECRET_KEY}:voter-email:{cycle_id}".encode()
    digest = hmac.new(key, email.strip().lower().encode(), hashlib.sha256).hexdigest()
    return f"{HASH_PREFIX}{digest}"


def votes_purge_personal_data(*, now: datetime | None = None) -> int:
    """Hash the email and delete the IP address of every vote whose cycle's vote
    closed more than 30 days before ``now``. Idempotent: rows already hashed are
    left alone. Returns the number of rows changed."""
    now = now or timezone.now()
    due = (
        Vote.objects.filter(
            cycle__vote_closes_at__lte=now - timedelta(days=settings.VOTER_DATA_RETENTION_DAYS)
        )
        .exclude(email__startswith=HASH_PREFIX, ip_address__isnull=True)
        .only("pk", "cycle_id", "email", "ip_address")
    )
    changed = 0
    with transaction.atomic():
        batch = []
        for vote in due.select_for_update().iterator(chunk_size=500):
            if not vote.email.startswith(HASH_PREFIX):
                vote.email = voter_email_hash(email=vote.email, cycle_id=vote.cycle_id)
            vote.ip_address = None
            batch.append(vote)
        Vote.objects.bulk_update(batch, ["email", "ip_address"], batch_size=500)
        changed = len(batch)
    return changed
