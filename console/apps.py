from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConsoleConfig(AppConfig):
    """The Secretariat's pages. No models: it sits above submissions and judging."""

    name = "console"
    verbose_name = _("Secretariat console")
