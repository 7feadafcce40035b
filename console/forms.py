"""Forms of the Secretariat's console (validation only; services do the work)."""

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from accounts.content_languages import label_translation_fields, language_name
from submissions.classifications import Topic
from submissions.models import Cycle, Publication
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

    draft_reminder_days = forms.CharField(
        label=_("Remind unsubmitted drafts (days before the final deadline)"),
        required=False,
        help_text=_("Numbers separated by commas, for example 14, 7, 2. Empty: no reminders."),
    )

    # Settings added later: a form posted without them keeps the cycle's values.
    KEEP_WHEN_MISSING = ("funded_delegates", "public_vote_title")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        label_translation_fields(self, "theme", _("Theme"))
        for name in self.KEEP_WHEN_MISSING:
            self.fields[name].required = False
        days = self.initial.get("draft_reminder_days")
        if isinstance(days, list):
            self.initial["draft_reminder_days"] = ", ".join(str(d) for d in days)

    clarification_reminder_days = forms.IntegerField(
        label=_("Remind unanswered clarifications after (days)"),
        required=False,
        min_value=1,
        max_value=90,
    )

    def clean_clarification_reminder_days(self):
        value = self.cleaned_data["clarification_reminder_days"]
        return value or self.instance.clarification_reminder_days

    def clean_draft_reminder_days(self):
        if "draft_reminder_days" not in self.data:  # a form without it changes nothing
            return self.instance.draft_reminder_days
        text = self.cleaned_data["draft_reminder_days"] or ""
        try:
            days = sorted({int(part) for part in text.replace(";", ",").split(",") if part.strip()})
        except ValueError:
            raise forms.ValidationError(
                _("Give whole numbers of days separated by commas.")
            ) from None
        if any(d < 1 or d > 90 for d in days):
            raise forms.ValidationError(_("Each number of days must be between 1 and 90."))
        return sorted(days, reverse=True)

    def clean(self):
        cleaned = super().clean()
        for name in self.KEEP_WHEN_MISSING:
            if cleaned.get(name) in (None, ""):
                cleaned[name] = getattr(self.instance, name)
        return cleaned

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


class VoteWindowForm(BootstrapMixin, forms.Form):
    vote_opens_at = forms.DateTimeField(
        label=_("Vote opens (Beijing time)"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    vote_closes_at = forms.DateTimeField(
        label=_("Vote closes (Beijing time)"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    votes_per_email_per_day = forms.IntegerField(
        label=_("Votes per email address per day"), min_value=1, max_value=100
    )
    votes_per_ip_per_day = forms.IntegerField(
        label=_("Votes per IP address per day"), min_value=1, max_value=10000
    )


# Emails, the outbox and announcements ---------------------------------------------

ANNOUNCEMENT_LANGUAGES = [(code, name) for code, name in settings.LANGUAGES if code != "en"]


def _suffix(code: str) -> str:
    return code.replace("-", "_")


class EmailTemplateForm(BootstrapMixin, forms.Form):
    subject = forms.CharField(label=_("Subject"), max_length=300)
    body = forms.CharField(
        label=_("Message"), widget=forms.Textarea(attrs={"rows": 18, "class": "font-monospace"})
    )
    entry = forms.CharField(
        label=_("Preview with entry (reference)"),
        required=False,
        help_text=_("Empty: the latest entry that fits the message."),
    )


class OutboxFilterForm(BootstrapMixin, forms.Form):
    state = forms.ChoiceField(label=_("Status"), required=False)
    template = forms.ChoiceField(label=_("Message"), required=False)
    cycle = forms.ModelChoiceField(
        label=_("Cycle"),
        queryset=Cycle.objects.order_by("-number"),
        required=False,
        to_field_name="number",
    )
    q = forms.CharField(label=_("Recipient"), required=False, max_length=200)

    def __init__(self, *args, templates=(), **kwargs):
        super().__init__(*args, **kwargs)
        from submissions.models import SentEmail

        self.fields["state"].choices = [("", _("Any"))] + list(SentEmail.State.choices)
        self.fields["template"].choices = [("", _("Any"))] + list(templates)


class AnnouncementForm(BootstrapMixin, forms.Form):
    audience = forms.ChoiceField(label=_("Audience"))
    cycle = forms.ModelChoiceField(
        label=_("Cycle"),
        queryset=Cycle.objects.order_by("-number"),
        required=False,
        to_field_name="number",
        help_text=_("Every audience but “cities of earlier cycles” needs one."),
    )
    subject = forms.CharField(label=_("Subject (English)"), max_length=200)
    body = forms.CharField(label=_("Message (English)"), widget=forms.Textarea(attrs={"rows": 10}))

    def __init__(self, *args, audiences=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["audience"].choices = list(audiences)
        for code, name in ANNOUNCEMENT_LANGUAGES:
            self.fields[f"subject_{_suffix(code)}"] = forms.CharField(
                label=_("Subject (%(language)s)") % {"language": name},
                max_length=200,
                required=False,
            )
            self.fields[f"body_{_suffix(code)}"] = forms.CharField(
                label=_("Message (%(language)s)") % {"language": name},
                widget=forms.Textarea(attrs={"rows": 6}),
                required=False,
            )
        # Fields added after BootstrapMixin ran get its classes here.
        for name in self.fields:
            if name.startswith(("subject_", "body_")):
                widget = self.fields[name].widget
                widget.attrs["class"] = (widget.attrs.get("class", "") + " form-control").strip()

    def translations(self) -> dict:
        data = self.cleaned_data
        return {
            code: {
                "subject": data.get(f"subject_{_suffix(code)}", ""),
                "body": data.get(f"body_{_suffix(code)}", ""),
            }
            for code, _name in ANNOUNCEMENT_LANGUAGES
        }

    def translation_fields(self):
        return [
            (name, self[f"subject_{_suffix(code)}"], self[f"body_{_suffix(code)}"])
            for code, name in ANNOUNCEMENT_LANGUAGES
        ]

    @staticmethod
    def initial_from(announcement) -> dict:
        initial = {
            "audience": announcement.audience,
            "cycle": announcement.cycle.number if announcement.cycle_id else None,
            "subject": announcement.subject,
            "body": announcement.body,
        }
        for code, text in announcement.translations.items():
            initial[f"subject_{_suffix(code)}"] = text.get("subject", "")
            initial[f"body_{_suffix(code)}"] = text.get("body", "")
        return initial


class AnnouncementScheduleForm(BootstrapMixin, forms.Form):
    send_at = forms.DateTimeField(
        label=_("Send at (Beijing time)"),
        required=False,
        widget=DT_WIDGET,
        help_text=_("Empty: send now."),
    )


class PublicationForm(BootstrapMixin, forms.Form):
    title = forms.CharField(label=_("Title"), max_length=300)
    kind = forms.ChoiceField(label=_("Kind"), choices=Publication.Kind.choices)
    cycle = forms.ModelChoiceField(
        label=_("Cycle"),
        queryset=Cycle.objects.order_by("-number"),
        required=False,
        empty_label=_("None: about the award as a whole"),
    )
    language = forms.ChoiceField(label=_("Language"), choices=settings.LANGUAGES)
    published_on = forms.DateField(
        label=_("Publication date"), widget=forms.DateInput(attrs={"type": "date"})
    )
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    file = forms.FileField(label=_("PDF file"), help_text=_("At most 60 MB."))
    cover = forms.FileField(
        label=_("Cover image"), required=False, help_text=_("JPEG or PNG, at most 5 MB.")
    )


class FeedbackForm(BootstrapMixin, forms.Form):
    text = forms.CharField(
        label=_("Feedback for the city"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 10}),
    )
    checklist = forms.MultipleChoiceField(
        label=_("Points of the screening report to look at again (optional)"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, points=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["checklist"].choices = list(points)
        self.fields["checklist"].widget.attrs["class"] = "form-check-input"


class HearingSessionForm(BootstrapMixin, forms.Form):
    starts_at = forms.DateTimeField(
        label=_("Starts (Beijing time)"), widget=DT_WIDGET, input_formats=["%Y-%m-%dT%H:%M"]
    )
    theme = forms.CharField(label=_("Thematic group"), max_length=200, required=False)
    place = forms.CharField(label=_("Place"), max_length=300, required=False)
    online_link = forms.URLField(label=_("Online link"), required=False, assume_scheme="https")


class HearingSlotForm(BootstrapMixin, forms.Form):
    entry = forms.IntegerField(widget=forms.HiddenInput)
    session = forms.IntegerField(label=_("Session"))
    starts_at = forms.DateTimeField(
        label=_("Slot starts (Beijing time)"), widget=DT_WIDGET, input_formats=["%Y-%m-%dT%H:%M"]
    )
    minutes = forms.IntegerField(label=_("Minutes"), min_value=5, max_value=240, initial=20)
