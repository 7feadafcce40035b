"""Every periodic task Celery beat sends exists under that name."""

from django.conf import settings

from awardportal.celery_app import app


def test_every_beat_entry_names_a_registered_task():
    app.loader.import_default_modules()
    scheduled = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert scheduled - set(app.tasks) == set()
    assert scheduled == {
        "submissions.tasks.sweep_unfinished_work",
        "judging.tasks.sweep_unfinished_work",
        "judging.tasks.send_daily_reminders",
        "judging.export_tasks.sweep_export_jobs",
        "submissions.publishing_tasks.publish_scheduled_results",
        "judging.privacy_tasks.purge_voter_data",
        "submissions.outbox_tasks.sweep_outbox",
        "submissions.outbox_tasks.send_city_reminders",
        "judging.announcement_tasks.send_due_announcements",
        "submissions.open_data_tasks.sweep_open_data_files",
    }
