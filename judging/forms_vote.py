"""The public vote's form (validation only)."""

from django import forms
from django.conf import settings
from django.templatetags.static import static
from django.utils.functional import lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django_altcha import AltchaField


class VoteForm(forms.Form):
    submission = forms.TypedChoiceField(
        label=_("Your choice"),
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Please choose one of the shortlisted initiatives."),
            "invalid_choice": _("Please choose one of the shortlisted initiatives."),
        },
    )
    email = forms.EmailField(
        label=_("Your email address"),
        help_text=_("We send you a link to confirm your vote. The address is never published."),
        error_messages={
            "required": _("Please give your email address so that you can confirm your vote.")
        },
    )

    # A proof-of-work challenge the browser solves (ALTCHA, self-hosted): scripted
    # mass voting becomes costly; no third-party service, no cookie, no inline script.
    captcha = AltchaField(
        label=_("Check that you are a person"),
        workerurl=lazy(static, str)("vendor/altcha/worker.js"),
        hidefooter=True,
        # The logo is a link hidden from screen readers yet focusable (axe: serious).
        hidelogo=True,
        error_messages={
            "required": _("Please wait until the check below says “Verified”, then vote."),
            "invalid": _("The check did not succeed. Please tick it again, then vote."),
            "error": _("The check did not succeed. Please tick it again, then vote."),
            "replay": _("This check was already used. Please tick it again, then vote."),
        },
    )

    def __init__(self, *args, candidates=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["submission"].choices = [
            (c.pk, f"{c.organisation.name}: {c.display_title}") for c in candidates
        ]
        widget = self.fields["captcha"].widget
        widget.options = {
            **widget.options,
            "maxnumber": settings.VOTE_CHALLENGE_MAX_NUMBER,
            "strings": {
                "label": gettext("I am a person"),
                "verifying": gettext("Checking…"),
                "verified": gettext("Verified"),
                "waitAlert": gettext("Checking… please wait."),
                "error": gettext("The check failed. Please try again."),
                "expired": gettext("The check expired. Please tick it again."),
            },
        }
