"""Judging forms: validation only; the services decide."""

from crispy_forms.helper import FormHelper
from django import forms
from django.utils.translation import gettext_lazy as _
from django_countries import countries
from django_countries.fields import LazyTypedChoiceField

from accounts.content_languages import (
    label_translation_fields,
    language_name,
    localized_names,
    translations_from,
)
from submissions.classifications import Domain, IneligibilityReason, Topic
from submissions.workflow import Status

from .models import Criterion, Panel, Recommendation
from .services.panels import PANEL_SETTING_FIELDS


class _NoTagForm(forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False


class IneligibleForm(_NoTagForm):
    # Radio buttons: every reason in view, none chosen for the Secretariat (a select
    # would open on a "---------" line or on a reason nobody picked).
    reason = forms.ChoiceField(
        label=_("Reason"), choices=IneligibilityReason.choices, widget=forms.RadioSelect
    )
    note = forms.CharField(
        label=_("Explanation for the city"), widget=forms.Textarea(attrs={"rows": 3})
    )


class ClarificationForm(_NoTagForm):
    question = forms.CharField(
        label=_("Question for the city"), widget=forms.Textarea(attrs={"rows": 3})
    )


class ReconsiderForm(_NoTagForm):
    to = forms.ChoiceField(label=_("New decision"), choices=[])
    reason = forms.ChoiceField(
        label=_("Reason (when not eligible)"),
        choices=[
            ("", _("Only when the new decision is “not eligible”")),
            *IneligibilityReason.choices,
        ],
        required=False,
    )
    note = forms.CharField(
        label=_("Why the decision changes"), widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, targets=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to"].choices = [(t.value, t.label) for t in targets]

    def clean(self):
        data = super().clean()
        if data.get("to") == Status.INELIGIBLE and not data.get("reason"):
            self.add_error("reason", _("Choose the reason the entry is not eligible."))
        return data


TIE_BREAK_HELP = _(
    "One rule per line, in order: criterion:<name>, shortlist_recommendations, chair."
)


class PanelSettingsForm(forms.ModelForm):
    tie_break_text = forms.CharField(
        label=_("Tie-break order"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=TIE_BREAK_HELP,
    )

    class Meta:
        model = Panel
        fields = list(PANEL_SETTING_FIELDS)
        widgets = {
            "scoring_deadline": forms.DateTimeInput(
                attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"
            )
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["scoring_deadline"].help_text = _("Beijing time.")
        self.fields["tie_break_text"].initial = "\n".join(self.instance.tie_break or [])
        self.helper = FormHelper()
        self.helper.form_tag = False

    def clean_tie_break_text(self):
        # Rules name criteria in English, whatever the page's language.
        names = set(self.instance.criteria.values_list("name_en", flat=True))
        rules = [line.strip() for line in self.cleaned_data["tie_break_text"].splitlines()]
        rules = [r for r in rules if r]
        for rule in rules:
            if rule.startswith("criterion:"):
                if rule.split(":", 1)[1] not in names:
                    raise forms.ValidationError(
                        _("“%(rule)s”: this panel has no such criterion.") % {"rule": rule}
                    )
            elif rule not in ("shortlist_recommendations", "chair"):
                raise forms.ValidationError(
                    _("“%(rule)s” is not a tie-break rule.") % {"rule": rule}
                )
        return rules


class CriterionForm(forms.ModelForm):
    """``name`` and ``description`` are the English texts; ``name_zh_hans``,
    ``description_fr``… the other languages (blank: English is shown)."""

    class Meta:
        model = Criterion
        fields = [
            "name",
            *localized_names("name", include_default=False),
            "description",
            *localized_names("description", include_default=False),
            "weight",
            "scale_min",
            "scale_max",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 2}),
            **{
                name: forms.Textarea(attrs={"rows": 2})
                for name in localized_names("description", include_default=False)
            },
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            # The bare field reads the active language: the form edits the English.
            self.initial["name"] = self.instance.name_en
            self.initial["description"] = self.instance.description_en or ""
        label_translation_fields(self, "name", _("Name"))
        label_translation_fields(self, "description", _("Description"))
        self.fields["name"].label = f"{_('Name')} ({language_name('en')})"
        self.fields["description"].label = f"{_('Description')} ({language_name('en')})"
        self.helper = FormHelper()
        self.helper.form_tag = False

    def service_kwargs(self) -> dict:
        """The cleaned data as ``criterion_save`` takes it."""
        data = dict(self.cleaned_data)
        translations = {}
        for field in ("name", "description"):
            translations.update(translations_from(data, field))
            for name in localized_names(field, include_default=False):
                data.pop(name, None)
        return {**data, "translations": translations}

    def validate_unique(self):
        pass  # the service checks names within the panel


class MemberInviteForm(_NoTagForm):
    email = forms.EmailField(label=_("Email"))
    full_name = forms.CharField(label=_("Full name"), max_length=200, required=False)
    country = LazyTypedChoiceField(
        label=_("Country"), choices=[("", _("Not given")), *countries], required=False
    )
    affiliation = forms.CharField(label=_("Affiliation"), max_length=300, required=False)
    expertise = forms.MultipleChoiceField(
        label=_("Expertise (topics)"),
        choices=Topic.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    is_chair = forms.BooleanField(label=_("Chair"), required=False)


class ReleaseAssignmentForm(_NoTagForm):
    reason = forms.CharField(label=_("Reason"), max_length=500)
    replace = forms.BooleanField(label=_("Find a replacement automatically"), required=False)


class ConflictForm(_NoTagForm):
    reason = forms.CharField(
        label=_("Describe the conflict"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )


class ScoreForm(forms.Form):
    """One value and comment field per criterion, then the overall fields."""

    overall_comment = forms.CharField(
        label=_("Overall comment"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )

    def __init__(self, *args, criteria, with_recommendation: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = list(criteria)
        for c in self.criteria:
            self.fields[f"value_{c.pk}"] = forms.TypedChoiceField(
                label=c.name,
                choices=[("", "–")]
                + [(str(v), str(v)) for v in range(c.scale_min, c.scale_max + 1)],
                coerce=int,
                empty_value=None,
                required=False,
                help_text=c.description,
            )
            self.fields[f"comment_{c.pk}"] = forms.CharField(
                label=_("Comment on %(name)s (optional)") % {"name": c.name},
                required=False,
                widget=forms.Textarea(attrs={"rows": 2}),
            )
        if with_recommendation:
            self.fields["recommendation"] = forms.ChoiceField(
                label=_("Recommendation"),
                choices=[("", _("No recommendation yet")), *Recommendation.choices],
                required=False,
            )

    def criterion_rows(self):
        return [(c, self[f"value_{c.pk}"], self[f"comment_{c.pk}"]) for c in self.criteria]

    def values(self):
        return {c.pk: self.cleaned_data.get(f"value_{c.pk}") for c in self.criteria}

    def comments(self):
        return {c.pk: self.cleaned_data.get(f"comment_{c.pk}", "") for c in self.criteria}


class ProposalMoveForm(_NoTagForm):
    outcome = forms.ChoiceField(label=_("Move to"), choices=[])
    reason = forms.CharField(label=_("Reason"), max_length=1000)

    def __init__(self, *args, choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["outcome"].choices = list(choices)


class CitationForm(_NoTagForm):
    citation = forms.CharField(
        label=_("Citation"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )


class ExpertiseForm(_NoTagForm):
    topics = forms.MultipleChoiceField(
        label=_("Analytical topics you know well"),
        choices=Topic.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    domains = forms.MultipleChoiceField(
        label=_("Domains you know well"),
        choices=Domain.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
