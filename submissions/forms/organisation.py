"""Forms about cities and their members (validation only)."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Layout, Row
from django import forms
from django.utils.translation import gettext_lazy as _

from submissions.models import Organisation


class OrganisationForm(forms.ModelForm):
    website = forms.URLField(label=_("Website"), required=False, assume_scheme="https")

    class Meta:
        model = Organisation
        fields = [
            "name",
            "province",
            "country",
            "kind",
            "population",
            "area_km2",
            "gdp_per_capita_usd",
            "website",
        ]
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


class InvitationForm(forms.Form):
    email = forms.EmailField(label=_("Colleague's email address"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
