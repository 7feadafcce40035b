"""Early-bird feedback: the queue of early-bird entries, and one entry's feedback
(draft, then sent once)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from console.forms import FeedbackForm
from console.views._common import cycle_or_404, form_errors, secretariat_only
from submissions.models import EarlyBirdFeedback, Submission
from submissions.selectors.feedback import submission_list_early_bird
from submissions.services import feedback as svc


@secretariat_only
def feedback_queue(request, number: int):
    cycle = cycle_or_404(number)
    entries = list(submission_list_early_bird(cycle=cycle))
    for entry in entries:
        try:
            entry.feedback = entry.early_bird_feedback
        except EarlyBirdFeedback.DoesNotExist:
            entry.feedback = None
    return render(request, "console/feedback_queue.html", {"cycle": cycle, "entries": entries})


@secretariat_only
def feedback_entry(request, number: int, pk: int):
    cycle = cycle_or_404(number)
    entry = (
        Submission.objects.select_related("organisation", "cycle")
        .filter(cycle=cycle, pk=pk, early_bird=True)
        .first()
    )
    if entry is None:
        raise Http404(_("There is no such early-bird entry."))
    feedback = EarlyBirdFeedback.objects.filter(submission=entry).first()
    points = svc.checklist_choices(entry)
    initial = {}
    if feedback is not None:
        initial = {"text": feedback.text, "checklist": [p["code"] for p in feedback.checklist]}
    form = FeedbackForm(initial=initial, points=points)
    status = 200
    if request.method == "POST":
        form = FeedbackForm(request.POST, points=points)
        if form.is_valid():
            try:
                svc.feedback_save(
                    submission=entry,
                    text=form.cleaned_data["text"],
                    checklist=form.cleaned_data["checklist"],
                    by=request.user,
                )
                if request.POST.get("action") == "send":
                    svc.feedback_send(submission=entry, by=request.user)
                    messages.success(
                        request,
                        _("The feedback was sent to %(city)s; its revision window is open.")
                        % {"city": entry.organisation.name},
                    )
                    return redirect("console:feedback_queue", number=cycle.number)
            except ValidationError as error:
                form_errors(form, error)
            else:
                messages.success(request, _("Draft saved."))
                return redirect("console:feedback_entry", number=cycle.number, pk=entry.pk)
        status = 400
    return render(
        request,
        "console/feedback_entry.html",
        {
            "cycle": cycle,
            "entry": entry,
            "feedback": feedback,
            "form": form,
            "problem": svc.feedback_problem(entry),
            "changes": svc.feedback_changes(entry)
            if feedback is not None and feedback.is_sent
            else None,
        },
        status=status,
    )
