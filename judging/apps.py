from django.apps import AppConfig


class JudgingConfig(AppConfig):
    name = "judging"
    verbose_name = "Judging"

    def ready(self):
        from . import messages, permissions  # noqa: F401 - registers the rules and emails
