"""The public vote's form (validation only)."""

from django import forms
from django.utils.translation import gettext_lazy as _


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

    def __init__(self, *args, candidates=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["submission"].choices = [
            (c.pk, f"{c.organisation.name}: {c.display_title}") for c in candidates
        ]
