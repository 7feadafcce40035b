"""Forms of the application (validation only; the services save).

Each answer can also be validated alone (``only=<field>``) for the per-field autosave:
the same form, the same rules, one field.
"""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import HTML, Div, Field, Layout
from django import forms
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from submissions import checks
from submissions.classifications import (
    SDG_NAMES,
    Domain,
    InnovationKind,
    InnovationType,
)
from submissions.models import STEP1_FIELDS, STEP2_TEXT_FIELDS, Attachment, Partner, Submission

TEXT_WIDGETS = (forms.TextInput, forms.Textarea)


def _save_state(name: str) -> HTML:
    # Where the autosave endpoint puts "Saved 14:02" or the field's error.
    return HTML(
        f'<div class="save-state mb-3" id="save-{name}" role="status" aria-live="polite"></div>'
    )


class _AnswersForm(forms.ModelForm):
    """Shared behaviour: word limits of the entry's cycle, autosave wiring, ``only``."""

    def __init__(self, *args, submission: Submission, only: str | None = None, **kwargs):
        super().__init__(*args, instance=submission, **kwargs)
        self.cycle = submission.cycle
        if only is not None:
            self.fields = {name: f for name, f in self.fields.items() if name == only}
        autosave = submission.pk is not None and only is None
        for name, field in self.fields.items():
            limit = self.cycle.word_limit(name)
            if limit and isinstance(field.widget, TEXT_WIDGETS):
                field.widget.attrs["data-word-limit"] = str(limit)
                field.help_text = _("At most %(n)s words.") % {"n": limit}
            if autosave:
                self._wire_autosave(name, field, submission)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        self.helper.layout = Layout(
            *(Div(Field(name), _save_state(name), css_class="answer") for name in self.fields)
        )

    @staticmethod
    def _wire_autosave(name, field, submission):
        attrs = field.widget.attrs
        attrs["hx-post"] = reverse("submissions:field_save", args=[submission.pk, name])
        attrs["hx-target"] = f"#save-{name}"
        attrs["hx-swap"] = "innerHTML"
        if isinstance(field.widget, TEXT_WIDGETS):
            attrs["hx-trigger"] = "input changed delay:1200ms, change"
        else:
            attrs["hx-trigger"] = "change"
        if isinstance(field.widget, forms.CheckboxSelectMultiple):
            # A group of boxes is one answer: send every box of the group.
            attrs["hx-include"] = f"[name='{name}']"

    def clean(self):
        cleaned = super().clean()
        for name, value in list(cleaned.items()):
            problem = checks.word_limit_problem(self.cycle, name, value)
            if problem:
                self.add_error(name, problem)
        return cleaned

    def answers(self) -> dict:
        """The cleaned values of the model's answers (not the extra fields)."""
        return {k: v for k, v in self.cleaned_data.items() if k in self._meta.fields}


class Step1Form(_AnswersForm):
    domains = forms.MultipleChoiceField(
        label=_("Domains"),
        choices=Domain.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    innovation_types = forms.MultipleChoiceField(
        label=_("Innovation types"),
        choices=InnovationType.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("Name at least one."),
    )
    innovation_kind = forms.ChoiceField(
        label=_("Kind of innovation"),
        choices=InnovationKind.choices,
        widget=forms.RadioSelect,
        required=False,
    )

    class Meta:
        model = Submission
        fields = list(STEP1_FIELDS)
        widgets = {
            "title": forms.Textarea(attrs={"rows": 2}),
            "subtitle": forms.TextInput(),
            "start_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "end_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "abstract": forms.Textarea(attrs={"rows": 6}),
        }
        help_texts = {
            "end_date": _("Leave empty and tick “ongoing” if the initiative continues."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "start_date" in self.fields and self.cycle.earliest_start_date:
            self.fields["start_date"].help_text = _(
                "The initiative must have started on or before %(date)s."
            ) % {"date": self.cycle.earliest_start_date.isoformat()}
        if "title" in self.fields:
            self.fields["title"].widget.attrs["maxlength"] = "300"

    def clean(self):
        cleaned = super().clean()
        # The date rule needs the other date answers: take them from the entry when
        # this form validates one field alone.
        probe = Submission(cycle=self.cycle)
        for name in ("start_date", "end_date", "ongoing"):
            setattr(probe, name, cleaned.get(name, getattr(self.instance, name)))
        if probe.ongoing:
            probe.end_date = None
        problem = checks.start_date_problem(probe)
        if problem:
            target = next(
                (n for n in ("start_date", "end_date", "ongoing") if n in self.fields), None
            )
            if target and target not in self.errors:
                self.add_error(target, problem)
        return cleaned


class ContactForm(forms.Form):
    """One contact person; a slot left empty is simply no contact."""

    name = forms.CharField(label=_("Name"), max_length=200, required=False)
    position = forms.CharField(label=_("Position"), max_length=200, required=False)
    email = forms.EmailField(label=_("Email"), required=False)
    phone = forms.CharField(label=_("Phone"), max_length=50, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True

    def clean(self):
        cleaned = super().clean()
        if any(cleaned.get(f) for f in self.fields):
            if not cleaned.get("name"):
                self.add_error("name", _("Please give the contact's name."))
            if not cleaned.get("email") and "email" not in self.errors:
                self.add_error("email", _("Please give the contact's email address."))
        return cleaned

    @property
    def is_blank(self) -> bool:
        return not any(self.cleaned_data.get(f) for f in self.fields)


ContactFormSet = forms.formset_factory(ContactForm, extra=0, max_num=3, validate_max=True)


def contact_formset(*, submission: Submission, data=None) -> forms.BaseFormSet:
    """Three contact slots, the existing contacts first (works without JavaScript)."""
    initial = [
        {"name": c.name, "position": c.position, "email": c.email, "phone": c.phone}
        for c in submission.contacts.all()
    ]
    initial += [{}] * (3 - len(initial))
    formset = ContactFormSet(data=data, initial=initial[:3], prefix="contacts")
    if data is None and submission.pk is not None:
        # The contacts are one answer: any change sends all three slots.
        url = reverse("submissions:contacts_save", args=[submission.pk])
        for form in formset.forms:
            for field in form.fields.values():
                field.widget.attrs.update(
                    {
                        "hx-post": url,
                        "hx-trigger": "change",
                        "hx-target": "#save-contacts",
                        "hx-swap": "innerHTML",
                        "hx-include": "[name^='contacts-']",
                    }
                )
    return formset


def contact_errors(formset) -> list[str]:
    """The formset's errors as sentences naming the slot: "Contact 2: …"."""
    found = [str(e) for e in formset.non_form_errors()]
    for number, form in enumerate(formset.forms, start=1):
        for field, errors in form.errors.items():
            label = form.fields[field].label if field in form.fields else ""
            for error in errors:
                found.append(
                    _("Contact %(n)s, %(field)s: %(error)s")
                    % {"n": number, "field": str(label).lower(), "error": error}
                )
    return found


def contacts_from(formset) -> list[dict]:
    return [form.cleaned_data for form in formset.forms if not form.is_blank]


class Step2Form(_AnswersForm):
    goals = forms.TypedMultipleChoiceField(
        label=_("Sustainable Development Goals"),
        choices=[(n, f"{n}. {name}") for n, name in SDG_NAMES.items()],
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("Tick every goal the initiative contributes to."),
    )

    class Meta:
        model = Submission
        fields = list(STEP2_TEXT_FIELDS)
        widgets = {name: forms.Textarea(attrs={"rows": 6}) for name in STEP2_TEXT_FIELDS}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "goals" in self.fields and self.instance.pk:
            self.fields["goals"].initial = [g.goal for g in self.instance.goals.all()]
        if "goals" in self.fields and "nua_links" in self.fields:
            # The goals sit after "transferability" in the domain's order.
            order = list(self.fields)
            order.remove("goals")
            order.insert(order.index("nua_links"), "goals")
            self.order_fields(order)
        parts = []
        for n in self.fields:
            parts.append(Div(Field(n), _save_state(n), css_class="answer"))
            if n == "implementation":
                # The partner list belongs with "implementation and partners".
                parts.append(HTML('{% include "submissions/_partners.html" %}'))
        self.helper.layout = Layout(*parts)


STEP_FORMS = {1: Step1Form, 2: Step2Form}
FIELD_STEP = {name: 1 for name in Step1Form.base_fields} | {
    name: 2 for name in Step2Form.base_fields
}


class PartnerForm(forms.ModelForm):
    class Meta:
        model = Partner
        fields = ["name", "kind", "role"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            # Shown inside step 2's form but sent with the separate partner form.
            field.widget.attrs["form"] = "partner-add"
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True


class AttachmentForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("What are you adding?"),
        choices=Attachment.Kind.choices,
        widget=forms.RadioSelect,
        initial=Attachment.Kind.DOCUMENT,
    )
    file = forms.FileField(
        label=_("File"),
        required=False,
        help_text=_("Documents: PDF, DOCX or XLSX. Photos: JPEG or PNG."),
    )
    video_url = forms.URLField(
        label=_("Video link"),
        required=False,
        assume_scheme="https",
        help_text=_("For example a YouTube or Vimeo address."),
    )
    caption = forms.CharField(label=_("Caption"), max_length=300, required=False)
    is_public = forms.BooleanField(
        label=_("Photos: may be shown on the public page once results are published"),
        required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].widget.attrs["accept"] = (
            ".pdf,.docx,.xlsx,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png"
        )
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True

    def clean(self):
        cleaned = super().clean()
        kind = cleaned.get("kind")
        if kind == Attachment.Kind.VIDEO:
            if not cleaned.get("video_url") and "video_url" not in self.errors:
                self.add_error("video_url", _("Please give the link to the video."))
        elif kind and not cleaned.get("file") and "file" not in self.errors:
            self.add_error("file", _("Please choose a file."))
        return cleaned


class ClarificationAnswerForm(forms.Form):
    answer = forms.CharField(
        label=_("Your answer"), widget=forms.Textarea(attrs={"rows": 5}), max_length=20000
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
