"""Analytical topics: the Secretariat classifies each entry (one by one or in bulk)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from console.forms import (
    TopicBulkForm,
    TopicOneForm,
)
from console.views._common import cycle_or_404, form_errors, secretariat_only
from submissions.classifications import Topic
from submissions.models import Submission
from submissions.selectors.console import (
    submission_list_for_topics,
)
from submissions.services.topics import submission_set_topic, submission_set_topic_bulk


def _set_topic_bulk(request, cycle, forms):
    """The bulk form: one topic for the ticked entries. The redirect, or None."""
    ids = list(submission_list_for_topics(cycle=cycle).values_list("pk", flat=True))
    bulk = forms["bulk"] = TopicBulkForm(request.POST, prefix="bulk", entry_ids=ids)
    if bulk.is_valid():
        try:
            n = submission_set_topic_bulk(
                cycle=cycle,
                submission_ids=bulk.cleaned_data["entries"],
                topic=bulk.cleaned_data["topic"],
                by=request.user,
            )
        except ValidationError as error:
            form_errors(bulk, error)
        else:
            messages.success(request, _("The topic of %(n)s entries was set.") % {"n": n})
            return redirect(request.get_full_path())
    for message in [
        *bulk.non_field_errors(),
        *bulk.errors.get("entries", []),
        *bulk.errors.get("topic", []),
    ]:
        messages.error(request, message)
    return None


def _set_topic_one(request, cycle, forms):
    """One entry's topic, from its row's form. The redirect, or None."""
    one = TopicOneForm(request.POST)
    sub = None
    if one.is_valid():
        sub = Submission.objects.filter(pk=one.cleaned_data["entry"], cycle=cycle).first()
    if sub is None:
        messages.error(request, _("Choose a topic for an entry of this cycle."))
        return None
    try:
        submission_set_topic(submission=sub, topic=one.cleaned_data["topic"], by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return None
    messages.success(request, _("The topic of %(ref)s was saved.") % {"ref": sub.reference})
    return redirect(request.get_full_path())


# The page's two forms, told apart by the bulk form's topic field.
TOPIC_ACTIONS = {"bulk": _set_topic_bulk, "one": _set_topic_one}


def posted_topic_action(post) -> str:
    """Which form of the page was posted: ``bulk`` or ``one``."""
    return "bulk" if "bulk-topic" in post else "one"


@secretariat_only
def topics(request, number: int):
    cycle = cycle_or_404(number)
    shown = request.GET.get("topic", "")
    if shown not in Topic.values and shown != "unassigned":
        shown = ""  # an unknown filter shows every entry (and never reaches the database)
    entries = submission_list_for_topics(cycle=cycle, topic=shown)
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    forms = {"bulk": TopicBulkForm(prefix="bulk")}
    if request.method == "POST":
        action = TOPIC_ACTIONS[posted_topic_action(request.POST)]
        response = action(request, cycle, forms)
        if response is not None:
            return response
    return render(
        request,
        "console/topics.html",
        {
            "cycle": cycle,
            "page": page,
            "topics": Topic.choices,
            "shown": shown,
            "bulk": forms["bulk"],
        },
    )
