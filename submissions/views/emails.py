"""The unsubscribe page: a signed link in announcements, usable without signing in.

GET shows the choice (mail scanners that open links must not unsubscribe anyone);
POST records it. POST is CSRF-exempt for the one-click ``List-Unsubscribe-Post``
of mail clients (RFC 8058): the signed token is the credential."""

from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from accounts.access import public
from submissions.models import EmailOptOut
from submissions.services.emails import email_opt_out, unsubscribe_user


@csrf_exempt
@public
def unsubscribe(request, token):
    user = unsubscribe_user(token)
    if user is None:
        raise Http404(_("This link is not valid."))
    changed = False
    if request.method == "POST":
        email_opt_out(user=user, opt_out=request.POST.get("action") != "resubscribe")
        changed = True
    opted_out = EmailOptOut.objects.filter(user=user).exists()
    return render(
        request,
        "emails/unsubscribe.html",
        {"email": user.email, "opted_out": opted_out, "changed": changed},
    )
