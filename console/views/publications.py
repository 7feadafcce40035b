"""The reports library: the Secretariat uploads and removes the award's publications."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from console.forms import PublicationForm
from console.views._common import form_errors, secretariat_only
from submissions.models import Publication
from submissions.selectors.public import publication_list_public
from submissions.services.publications import publication_create, publication_delete


@secretariat_only
def publications(request):
    form = PublicationForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            publication = publication_create(**form.cleaned_data, by=request.user)
        except ValidationError as error:
            form_errors(form, error)
        else:
            messages.success(
                request, _("“%(title)s” is in the reports library.") % {"title": publication.title}
            )
            return redirect("console:publications")
    return render(
        request,
        "console/publications.html",
        {"form": form, "publications": publication_list_public()},
        status=400 if form.errors else 200,
    )


@secretariat_only
@require_POST
def publication_remove(request, pk: int):
    publication = get_object_or_404(Publication, pk=pk)
    publication_delete(publication=publication, by=request.user)
    messages.success(
        request, _("“%(title)s” was removed from the library.") % {"title": publication.title}
    )
    return redirect("console:publications")
