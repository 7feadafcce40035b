"""Forms of the shortlist phase (validation only; the services decide)."""

from django import forms
from django.utils.translation import gettext_lazy as _


class DelegatesForm(forms.Form):
    """One name and position per funded delegate (the cycle's setting)."""

    def __init__(self, *args, places: int = 2, initial_delegates=None, **kwargs):
        super().__init__(*args, **kwargs)
        initial_delegates = list(initial_delegates or [])
        for i in range(1, places + 1):
            given = initial_delegates[i - 1] if i <= len(initial_delegates) else {}
            self.fields[f"name_{i}"] = forms.CharField(
                label=_("Delegate %(n)s: name") % {"n": i},
                required=False,
                max_length=200,
                initial=given.get("name", ""),
            )
            self.fields[f"position_{i}"] = forms.CharField(
                label=_("Delegate %(n)s: position") % {"n": i},
                required=False,
                max_length=200,
                initial=given.get("position", ""),
            )
        self.places = places

    def delegates(self) -> list[dict]:
        return [
            {
                "name": self.cleaned_data.get(f"name_{i}", ""),
                "position": self.cleaned_data.get(f"position_{i}", ""),
            }
            for i in range(1, self.places + 1)
        ]

    def rows(self):
        return [(self[f"name_{i}"], self[f"position_{i}"]) for i in range(1, self.places + 1)]


class PresentationForm(forms.Form):
    presentation = forms.FileField(
        label=_("Presentation (PDF, PPTX or ODP)"),
        required=False,
        widget=forms.ClearableFileInput(
            attrs={
                "class": "form-control",
                "accept": ".pdf,.pptx,.odp,application/pdf,"
                "application/vnd.openxmlformats-officedocument.presentationml.presentation,"
                "application/vnd.oasis.opendocument.presentation",
            }
        ),
    )
    video_url = forms.URLField(label=_("or a video link"), required=False, assume_scheme="https")


class ShortlistReportForm(forms.Form):
    text = forms.CharField(
        label=_("Analysis of the shortlist"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 8, "class": "form-control"}),
    )

    def __init__(self, *args, entries=(), summaries=None, **kwargs):
        super().__init__(*args, **kwargs)
        summaries = summaries or {}
        self.entries = list(entries)
        for entry in self.entries:
            self.fields[f"summary_{entry.pk}"] = forms.CharField(
                label=f"{entry.reference} · {entry.organisation.name}: {entry.display_title}",
                required=False,
                initial=summaries.get(entry.pk, ""),
                widget=forms.Textarea(attrs={"rows": 3}),
            )

    def summaries(self) -> dict[int, str]:
        return {e.pk: self.cleaned_data.get(f"summary_{e.pk}", "") for e in self.entries}

    def summary_fields(self):
        return [self[f"summary_{e.pk}"] for e in self.entries]


class JuryReportForm(forms.Form):
    introduction = forms.CharField(
        label=_("Introduction"), required=False, widget=forms.Textarea(attrs={"rows": 8})
    )
