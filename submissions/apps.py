from django.apps import AppConfig


class SubmissionsConfig(AppConfig):
    name = "submissions"
    verbose_name = "Submissions"

    def ready(self):
        # Registers the rules and emails, and the signals that keep the email wordings
        # each process holds current (email_template_cache).
        from . import email_template_cache, messages, permissions  # noqa: F401
