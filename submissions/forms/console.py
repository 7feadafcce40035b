"""Forms of the secretariat's console (validation only; services do the work)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.content_languages import label_translation_fields, language_name
from submissions.classifications import Topic
from submissions.models import Cycle
from submissions.services.cycles import EDITABLE_SETTINGS

DT_WIDGET = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class BootstrapMixin:
    """Bootstrap classes on every widget (templates render fields one by one)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.CheckboxInput):
                css = "form-check-input"
            elif isinstance(widget, forms.Select):
                css = "form-select"
            else:
                css = "form-control"
            widget.attrs["class"] = (widget.attrs.get("class", "") + " " + css).strip()


def _dt(label):
    return forms.DateTimeField(label=label, required=False, widget=DT_WIDGET)


class CycleCreateForm(BootstrapMixin, forms.Form):
    number = forms.IntegerField(label=_("Cycle number"), min_value=1, max_value=999)
    year = forms.CharField(label=_("Year"), max_length=20, help_text=_("For example 2027/28."))
    theme = forms.CharField(label=_("Theme"), max_length=300, required=False)
    theme_zh_hans = forms.CharField(max_length=300, required=False)
    theme_fr = forms.CharField(max_length=300, required=False)
    theme_es = forms.CharField(max_length=300, required=False)
    copy_from = forms.ModelChoiceField(
        label=_("Copy the set-up of"),
        queryset=Cycle.objects.order_by("-number"),
        required=False,
        empty_label=_("Nothing: start from the defaults"),
        help_text=_(
            "Copies quotas, limits, the panels' settings, criteria and members; never entries."
        ),
    )
    opens_at = _dt(_("Call opens (Beijing time)"))
    early_bird_deadline = _dt(_("Early-bird deadline"))
    revision_window_ends_at = _dt(_("Early-bird revisions until"))
    final_deadline = _dt(_("Final deadline"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # "theme" is the English text; the other languages follow it.
        label_translation_fields(self, "theme", _("Theme"))
        self.fields["theme"].label = f"{_('Theme')} ({language_name('en')})"


class CycleSettingsForm(BootstrapMixin, forms.ModelForm):
    class Meta:
        model = Cycle
        fields = list(EDITABLE_SETTINGS)
        widgets = {
            "earliest_start_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "jury_report": forms.Textarea(attrs={"rows": 6}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        label_translation_fields(self, "theme", _("Theme"))

    def _get_validation_exclusions(self):
        # The service checks "one cycle open" and says which cycle is open.
        return super()._get_validation_exclusions() | {"is_open"}


class CycleDatesForm(BootstrapMixin, forms.Form):
    opens_at = _dt(_("Call opens (Beijing time)"))
    early_bird_deadline = _dt(_("Early-bird deadline"))
    revision_window_ends_at = _dt(_("Early-bird revisions until"))
    final_deadline = _dt(_("Final deadline"))
    reason = forms.CharField(
        label=_("Why do the dates change?"),
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("Please say why the dates change.")},
    )


class TopicBulkForm(forms.Form):
    topic = forms.ChoiceField(
        label=_("Topic"), required=False, choices=[("", _("(no topic)")), *Topic.choices]
    )
    entries = forms.TypedMultipleChoiceField(
        label=_("Entries"),
        coerce=int,
        error_messages={"required": _("Choose at least one entry.")},
    )

    def __init__(self, *args, entry_ids=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["entries"].choices = [(pk, pk) for pk in entry_ids]
        self.fields["entries"].error_messages["invalid_choice"] = _(
            "Some of the chosen entries are not received entries of this cycle."
        )


class TopicOneForm(forms.Form):
    entry = forms.IntegerField(widget=forms.HiddenInput)
    topic = forms.ChoiceField(
        label=_("Topic"), required=False, choices=[("", _("(no topic)")), *Topic.choices]
    )


class PublishForm(BootstrapMixin, forms.Form):
    ACTIONS = [
        ("publish", _("Publish now")),
        ("schedule", _("Schedule")),
        ("cancel", _("Cancel the schedule")),
    ]
    action = forms.ChoiceField(choices=ACTIONS)
    publish_at = forms.DateTimeField(
        label=_("Publish at (Beijing time)"), required=False, widget=DT_WIDGET
    )
    confirm = forms.BooleanField(
        label=_(
            "I confirm: the results page, the initiatives and their database entries go public."
        ),
        required=False,
    )

    def clean(self):
        data = super().clean()
        if data.get("action") in ("publish", "schedule") and not data.get("confirm"):
            self.add_error("confirm", _("Please tick the box to confirm the publication."))
        if data.get("action") == "schedule" and not data.get("publish_at"):
            self.add_error("publish_at", _("Give the date and time of the publication."))
        return data


class ExportForm(BootstrapMixin, forms.Form):
    kind = forms.ChoiceField(
        label=_("Export"),
        choices=[
            ("entries", _("Entries (all fields)")),
            ("scores", _("Scores per reviewer and criterion")),
        ],
    )
    fmt = forms.ChoiceField(label=_("Format"), choices=[("xlsx", "XLSX"), ("csv", "CSV")])
    cycle = forms.ModelChoiceField(
        label=_("Cycle"),
        queryset=Cycle.objects.order_by("-number"),
        required=False,
        empty_label=_("All cycles"),
    )
