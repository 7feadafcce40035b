"""Forms about cities and their members (validation only)."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Layout, Row
from django import forms
from django.utils.translation import gettext_lazy as _

from submissions.models import Organisation
from submissions.services.organisations import ORGANISATION_FIELDS, organisation_find_existing


class OrganisationForm(forms.ModelForm):
    website = forms.URLField(label=_("Website"), required=False, assume_scheme="https")

    class Meta:
        model = Organisation
        fields = list(ORGANISATION_FIELDS)
        help_texts = {
            "name": _("The local government applying, for example “Guangzhou”."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            "name",
            Row(Column("province", css_class="col-md-6"), Column("country", css_class="col-md-6")),
            "kind",
            Row(
                Column("population", css_class="col-md-4"),
                Column("area_km2", css_class="col-md-4"),
                Column("gdp_per_capita_usd", css_class="col-md-4"),
            ),
            "website",
        )

    def clean(self):
        cleaned = super().clean()
        # Say what to do about an existing city (ask a member for an invitation)
        # instead of the model constraint's generic message; the error on "name" also
        # keeps the constraint from being checked a second time. The service checks again.
        name, country = cleaned.get("name"), cleaned.get("country")
        if name and country:
            existing = organisation_find_existing(
                name=name, country=str(country), exclude_pk=self.instance.pk
            )
            if existing:
                if self.instance.pk:
                    message = _(
                        "Another city with this name is already registered in this country."
                    )
                else:
                    message = _(
                        "%(name)s is already registered on the portal. Please ask one of its "
                        "members to invite you by email."
                    ) % {"name": existing}
                self.add_error("name", message)
        return cleaned


class InvitationForm(forms.Form):
    email = forms.EmailField(label=_("Colleague's email address"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
