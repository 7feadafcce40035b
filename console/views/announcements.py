"""Announcements: write (with translations), see the audience's count, send now or
at a set time, follow the sending."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from console.forms import AnnouncementForm, AnnouncementScheduleForm
from console.views._common import form_errors, secretariat_only
from judging.services.announcements import (
    AUDIENCE_CHOICES,
    AUDIENCES,
    announcement_progress,
    announcement_save,
    announcement_schedule,
    announcement_unschedule,
    audience_count,
)
from submissions.models import Announcement


@secretariat_only
def announcements(request):
    items = Announcement.objects.select_related("cycle", "created_by")[:200]
    return render(
        request,
        "console/announcements.html",
        {"announcements": items, "audiences": dict(AUDIENCE_CHOICES)},
    )


def _edit(request, announcement: Announcement | None):
    initial = AnnouncementForm.initial_from(announcement) if announcement else {}
    form = AnnouncementForm(request.POST or None, initial=initial, audiences=AUDIENCE_CHOICES)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            saved = announcement_save(
                announcement=announcement,
                subject=data["subject"],
                body=data["body"],
                translations=form.translations(),
                audience=data["audience"],
                cycle=data["cycle"],
                by=request.user,
            )
        except ValidationError as error:
            form_errors(form, error)
        else:
            messages.success(request, _("Saved. Check the audience, then send or schedule it."))
            return redirect("console:announcement", pk=saved.pk)
    return form


@secretariat_only
def announcement_new(request):
    form = _edit(request, None)
    if not isinstance(form, AnnouncementForm):
        return form
    return render(
        request,
        "console/announcement_form.html",
        {"form": form, "announcement": None},
        status=400 if form.errors else 200,
    )


@secretariat_only
def announcement(request, pk):
    item = get_object_or_404(Announcement.objects.select_related("cycle"), pk=pk)
    if item.state == Announcement.State.SENT:
        return render(
            request,
            "console/announcement_sent.html",
            {
                "announcement": item,
                "audience": AUDIENCES.get(item.audience),
                "progress": announcement_progress(item),
            },
        )
    form = _edit(request, item)
    if not isinstance(form, AnnouncementForm):
        return form
    spec = AUDIENCES.get(item.audience)
    count = audience_count(audience=item.audience, cycle=item.cycle) if spec else None
    return render(
        request,
        "console/announcement_form.html",
        {
            "form": form,
            "announcement": item,
            "audience": spec,
            "count": count,
            "schedule_form": AnnouncementScheduleForm(
                initial={"send_at": item.send_at} if item.send_at else None
            ),
        },
        status=400 if form.errors else 200,
    )


@require_POST
@secretariat_only
def announcement_send(request, pk):
    item = get_object_or_404(Announcement, pk=pk)
    if request.POST.get("action") == "unschedule":
        try:
            announcement_unschedule(announcement=item, by=request.user)
        except ValidationError as error:
            messages.error(request, error.messages[0])
        else:
            messages.info(request, _("The announcement is a draft again: nothing was sent."))
        return redirect("console:announcement", pk=item.pk)
    form = AnnouncementScheduleForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give a valid date and time, or leave it empty to send now."))
        return redirect("console:announcement", pk=item.pk)
    try:
        scheduled = announcement_schedule(
            announcement=item, send_at=form.cleaned_data["send_at"], by=request.user
        )
    except ValidationError as error:
        messages.error(request, error.messages[0])
        return redirect("console:announcement", pk=item.pk)
    if scheduled.state == Announcement.State.SCHEDULED and form.cleaned_data["send_at"]:
        messages.success(request, _("Scheduled: it will be sent at the set time."))
    else:
        messages.success(request, _("Sending: each recipient gets it once, in their language."))
    return redirect("console:announcement", pk=item.pk)
