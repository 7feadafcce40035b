"""Benchmark settings (``make bench`` only): production, plus three bare reference
views under /bench/ that measure what the server, Django and the database give on
this machine without any of the portal's pages. Never used by a deployment: the
bare views exist only under ``awardportal.bench_urls``, which only this module names.
"""

from .production import *  # noqa: F403

ROOT_URLCONF = "awardportal.bench_urls"
# The bare views' templates live with the bench, not with the portal's templates.
TEMPLATES[0]["DIRS"] = [*TEMPLATES[0]["DIRS"], BASE_DIR / "bench" / "templates"]  # noqa: F405
