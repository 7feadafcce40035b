from django.apps import AppConfig


class SubmissionsConfig(AppConfig):
    name = "submissions"
    verbose_name = "Submissions"

    def ready(self):
        from . import messages, permissions  # noqa: F401 - registers the rules and emails
