"""The privacy notice, a city's data download and closing one's own account."""

import json

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from accounts.access import access, public
from submissions.selectors.privacy import organisation_data_export
from submissions.services.privacy import account_delete, account_deletion_blocker
from submissions.views.applicant import own_organisation


@public
def privacy_notice(request):
    return render(
        request,
        "public/privacy.html",
        {"vote_retention_days": settings.VOTER_DATA_RETENTION_DAYS},
    )


@access("submissions.view_organisation", object_from=own_organisation)
def city_data_export(request):
    organisation = request.access_object
    data = organisation_data_export(organisation=organisation)
    data["exported_at"] = timezone.now()
    response = HttpResponse(
        json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2),
        content_type="application/json; charset=utf-8",
    )
    name = slugify(organisation.name) or "city"
    response["Content-Disposition"] = f'attachment; filename="{name}-data.json"'
    return response


@access("accounts.signed_in")
def account_close(request):
    blocker = account_deletion_blocker(user=request.user)
    if request.method == "POST" and not blocker:
        if request.POST.get("email", "").strip().lower() != request.user.email.lower():
            messages.error(request, _("Type your email address to confirm."))
        else:
            try:
                account_delete(user=request.user, by=request.user)
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
                return redirect("privacy:account_close")
            logout(request)
            messages.success(request, _("Your account is closed and your details deleted."))
            return redirect("home")
    return render(request, "accounts/account_close.html", {"blocker": blocker})
