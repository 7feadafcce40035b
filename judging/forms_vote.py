"""The public vote's form (validation only)."""

import json

from django import forms
from django.conf import settings
from django.templatetags.static import static
from django.utils.functional import lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django_altcha import AltchaField, AltchaWidget, get_altcha_challenge

CHALLENGE_HOLE = "vote-challenge-hole"


def vote_challenge_json() -> str:
    """A fresh proof-of-work challenge, as the widget's ``challengejson`` carries it."""
    challenge = get_altcha_challenge(max_number=settings.VOTE_CHALLENGE_MAX_NUMBER)
    return json.dumps(challenge.__dict__)


class CaptchaWidget(AltchaWidget):
    """The ALTCHA widget, whose challenge can be left as ``CHALLENGE_HOLE``: the vote page
    is then the same for every visitor (cached, submissions.public_cache.public_page),
    and each request puts in a challenge of its own."""

    leave_hole = False

    def get_context(self, name, value, attrs):
        if not self.leave_hole:
            return super().get_context(name, value, attrs)
        self.options["challengejson"] = CHALLENGE_HOLE
        # The library makes a challenge unless a URL is given: skip that one render.
        self.options["challengeurl"], url = "-", self.options.get("challengeurl")
        try:
            context = super().get_context(name, value, attrs)
        finally:
            self.options["challengeurl"] = url
        context["widget"]["altcha_options"].pop("challengeurl", None)
        return context


class CaptchaField(AltchaField):
    widget = CaptchaWidget


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
    captcha = CaptchaField(
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

    def __init__(self, *args, candidates=(), challenge_hole=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.candidates = candidates
        self.fields["submission"].choices = [
            (c.pk, f"{c.organisation.name}: {c.display_title}") for c in candidates
        ]
        widget = self.fields["captcha"].widget
        widget.leave_hole = challenge_hole
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
