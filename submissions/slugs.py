"""Readable, stable addresses for published initiatives: ``/initiatives/<cycle>/<slug>/``.

Pure functions (no models), so the data migration that gave existing entries their
addresses uses exactly the rule the publication uses.
"""

from django.utils.text import slugify

MAX_LENGTH = 80


def make_slug(*, city: str, title: str, reference: str, taken: set[str]) -> str:
    """A slug from the city and the title, unique among ``taken`` (which it extends).

    Letters of every script are kept (a Chinese title stays readable); an entry with
    neither city nor title falls back to its reference.
    """
    base = slugify(f"{city} {title}", allow_unicode=True)[:MAX_LENGTH].strip("-")
    base = base or slugify(reference) or "initiative"
    slug, n = base, 2
    while slug in taken:
        suffix = f"-{n}"
        slug = base[: MAX_LENGTH - len(suffix)].rstrip("-") + suffix
        n += 1
    taken.add(slug)
    return slug
