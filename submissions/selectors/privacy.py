"""A city's own data, as one JSON-ready dict (the "download our data" button)."""

from django.forms.models import model_to_dict

from submissions.models import Organisation, Submission

ORGANISATION_FIELDS = [
    "name",
    "province",
    "country",
    "continent",
    "kind",
    "population",
    "gdp_per_capita_usd",
    "website",
    "created_at",
]
ENTRY_EXCLUDE = ["id", "cycle", "organisation", "created_by", "imported"]


def organisation_data_export(*, organisation: Organisation) -> dict:
    """Everything the city gave the portal and what happened to its entries: the
    organisation, its members, invitations, and every entry with its contacts,
    partners, goals, files (names and sizes), clarification questions and status
    history. Not included: reviewers' scores and comments and the Secretariat's
    internal screening notes, which belong to the award's deliberations.
    A fixed number of queries whatever the number of entries."""
    org = {f: getattr(organisation, f) for f in ORGANISATION_FIELDS}
    org["country"] = str(organisation.country)
    members = [
        {"email": m.email, "full_name": m.full_name, "position": m.position}
        for m in organisation.members.order_by("email")
    ]
    invitations = [
        {"email": i.email, "created_at": i.created_at, "accepted_at": i.accepted_at}
        for i in organisation.invitations.order_by("created_at")
    ]
    entries = (
        Submission.objects.filter(organisation=organisation)
        .select_related("cycle")
        .prefetch_related(
            "contacts", "partners", "goals", "attachments", "clarifications", "status_changes"
        )
        .order_by("cycle__number", "sequence")
    )
    return {
        "organisation": org,
        "members": members,
        "invitations": invitations,
        "entries": [_entry(e) for e in entries],
    }


def _entry(entry: Submission) -> dict:
    data = model_to_dict(entry, exclude=ENTRY_EXCLUDE)
    data.update(
        reference=entry.reference,
        status=entry.status,
        cycle=entry.cycle.number,
        created_at=entry.created_at,
        submitted_at=entry.submitted_at,
        contacts=[
            {"name": c.name, "position": c.position, "email": c.email, "phone": c.phone}
            for c in entry.contacts.all()
        ],
        partners=[{"name": p.name, "kind": p.kind, "role": p.role} for p in entry.partners.all()],
        goals=sorted(g.goal for g in entry.goals.all()),
        attachments=[
            {
                "kind": a.kind,
                "name": a.original_name,
                "size_bytes": a.size_bytes,
                "video_url": a.video_url,
                "caption": a.caption,
                "uploaded_at": a.uploaded_at,
            }
            for a in entry.attachments.all()
        ],
        clarifications=[
            {
                "question": c.question,
                "asked_at": c.asked_at,
                "answer": c.answer,
                "answered_at": c.answered_at,
            }
            for c in entry.clarifications.all()
        ],
        history=[
            {"from": s.from_status, "to": s.to_status, "at": s.at}
            for s in entry.status_changes.all()
        ],
    )
    return data
