"""Periodic privacy clean-up (Celery beat: ``judging-purge-voter-data``)."""

from celery import shared_task


@shared_task(name="judging.privacy_tasks.purge_voter_data")
def purge_voter_data() -> int:
    """Hash voters' emails and delete their IPs 30 days after each vote closes."""
    from judging.privacy import votes_purge_personal_data

    return votes_purge_personal_data()
