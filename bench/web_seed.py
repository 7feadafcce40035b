"""Seed a benchmark database and prepare a load run (``make bench``, step one).

Run by bench/bench_web.py in its own process, against ``DATABASE_URL`` (a database of
its own, e.g. ``bench_2000``) with ``awardportal.settings.bench``:

1. migrate; seed unless the database already holds this size's data (kept between
   runs, so only the first ``make bench`` pays for it):
   - SIZE published initiatives over cycles 1–9, through the CSV import
     (``initiatives_import``), results published;
   - cycle 10, live: 300 entries from 300 cities with their officials (factories),
     12 of them shortlisted and in the public vote, the other 288 eligible and staffed
     by a Technical Committee of 50 reviewers through ``assignment_staff_tc_entry``,
     two thirds of them scored through ``review_save``;
   - 300,000 criterion-score rows in all: the live cycle's, and the rest as past
     cycles' Technical Committee reviews written in bulk (``bulk_create``: through
     the services this would take hours); cycle 9's panel closed and ranked
     (``ranking_compute``);
   - 5 Secretariat users; every privileged user has a TOTP second factor.
2. collect the static files (production serves them through WhiteNoise's manifest);
3. print a JSON plan: the pages to load with their URLs, the session cookies of
   signed-in users (sessions made directly, as a sign-in with two factors leaves
   them), POST bodies, solved ALTCHA payloads for the vote, and each page's number
   of queries (Django's test client + CaptureQueriesContext on the same database).
"""

import argparse
import base64
import csv
import io
import json
import math
import os
import random
import secrets
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "awardportal.settings.bench")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

LIVE_CYCLE = 10
PAST_CYCLES = range(1, 10)
LIVE_ENTRIES = 300
CANDIDATES = 12
REVIEWERS = 50
SECRETARIAT = 5
SCORE_ROWS = 300_000
SEARCH = "/database/?q=water+park&continent=Africa&sdg=11"
OUTCOMES = ["not_selected"] * 12 + ["deserving"] * 3 + ["shortlisted", "winner", "medal_of_honor"]
COUNTRIES = ["BR", "CN", "KE", "FR", "US", "IN", "AU", "MX", "ZA", "JP", "DE", "ID", "TR", "CA"]
MEMBER_COUNTRIES = ["FR", "KE", "JP", "CA", "DE", "IN", "MX", "ZA", "AU", "TR"]
WORDS = "urban green water housing mobility digital inclusive youth waste energy park data".split()


def log(message: str) -> None:
    print(f"[seed] {message}", file=sys.stderr, flush=True)


def build_csv(rows: int, first: int, rng: random.Random) -> str:
    from submissions.classifications import Topic

    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["title", "city", "country", "outcome", "topic", "sdgs", "abstract"])
    for n in range(first, first + rows):
        words = " ".join(rng.sample(WORDS, 4))
        writer.writerow(
            [
                f"{words.title()} programme {n}",
                f"City {n % 4000}",
                rng.choice(COUNTRIES),
                rng.choice(OUTCOMES),
                rng.choice(Topic.values),
                ";".join(str(g) for g in sorted(rng.sample(range(1, 18), 3))),
                f"An initiative about {words} that changed how the city works. " * 3,
            ]
        )
    return out.getvalue()


def seeded_state(size: int) -> dict:
    from judging.models import CriterionScore
    from submissions.models import Submission

    return {
        "published": Submission.objects.filter(cycle__number__in=PAST_CYCLES).count(),
        "live": Submission.objects.filter(cycle__number=LIVE_CYCLE).count(),
        "scores": CriterionScore.objects.count(),
    }


def is_seeded(size: int) -> bool:
    state = seeded_state(size)
    # The bench's own POSTs add a few score rows (drafts saved): still seeded.
    return (state["published"], state["live"]) == (size, LIVE_ENTRIES) and state[
        "scores"
    ] >= SCORE_ROWS


def top_up(size: int) -> None:
    """Import more published initiatives into a database copied from a smaller seeded
    size (bench_web.py copies bench_<smaller> as a template): the live cycle and the
    score rows are the same for every size."""
    from accounts import roles
    from accounts.models import User
    from submissions.models import Cycle
    from submissions.services.importing import initiatives_import

    state = seeded_state(size)
    missing = size - state["published"]
    staff = User.objects.filter(groups__name=roles.SECRETARIAT).order_by("pk").first()
    rng = random.Random(size)
    started = time.perf_counter()
    per_cycle = [missing // len(PAST_CYCLES)] * len(PAST_CYCLES)
    per_cycle[-1] += missing - sum(per_cycle)
    first = state["published"]
    for number, rows in zip(PAST_CYCLES, per_cycle, strict=True):
        initiatives_import(text=build_csv(rows, first, rng), cycle_number=number, by=staff)
        first += rows
        log(f"cycle {number}: {rows} more initiatives ({time.perf_counter() - started:.0f} s)")
    Cycle.objects.filter(number__in=PAST_CYCLES).update(results_published_at=timezone.now())


def seed(size: int) -> None:
    from submissions.models import Cycle, Submission
    from submissions.services.importing import initiatives_import
    from tests import factories

    rng = random.Random(2026)
    if Submission.objects.exists():
        raise SystemExit(
            f"the database holds a partial seed {seeded_state(size)}: drop it and run again"
        )
    started = time.perf_counter()
    staff = [
        factories.secretariat_user(email=f"secretariat{i}@bench.example")
        for i in range(SECRETARIAT)
    ]
    per_cycle = [size // len(PAST_CYCLES)] * len(PAST_CYCLES)
    per_cycle[-1] += size - sum(per_cycle)
    first = 0
    for number, rows in zip(PAST_CYCLES, per_cycle, strict=True):
        initiatives_import(text=build_csv(rows, first, rng), cycle_number=number, by=staff[0])
        first += rows
        log(f"cycle {number}: {rows} initiatives imported ({time.perf_counter() - started:.0f} s)")
    Cycle.objects.filter(number__in=PAST_CYCLES).update(results_published_at=timezone.now())
    live_scores = seed_live_cycle(rng)
    log(f"live cycle seeded ({time.perf_counter() - started:.0f} s)")
    seed_past_scores(SCORE_ROWS - live_scores, rng)
    log(f"seeded in {time.perf_counter() - started:.0f} s")


def seed_live_cycle(rng: random.Random) -> int:
    """The live cycle (see the module's docstring); returns its score rows."""
    from accounts import roles
    from judging.models import CriterionScore
    from judging.services.assignment import (
        assignment_confirm_no_conflict,
        assignment_staff_tc_entry,
    )
    from judging.services.panels import panel_get_or_create
    from judging.services.reviews import review_save
    from submissions.workflow import Status
    from tests import factories
    from tests.judging.factories import PanelMemberFactory

    now = timezone.now()
    cycle = factories.CycleFactory(
        number=LIVE_CYCLE,
        year="2026",
        vote_opens_at=now - timezone.timedelta(days=1),
        vote_closes_at=now + timezone.timedelta(days=3650),
    )
    entries = []
    for i in range(LIVE_ENTRIES):
        org = factories.OrganisationFactory(name=f"Live City {i}", country="BR")
        factories.CityOfficialFactory(organisation=org, email=f"official{i}@bench.example")
        status = Status.SHORTLISTED if i < CANDIDATES else Status.ELIGIBLE
        entries.append(
            factories.CompleteSubmissionFactory(cycle=cycle, organisation=org, status=status)
        )
    panel = panel_get_or_create(cycle=cycle, kind="tc")
    members = [
        PanelMemberFactory(
            panel=panel,
            country=MEMBER_COUNTRIES[i % len(MEMBER_COUNTRIES)],
            is_chair=(i == 0),
            user=factories.UserFactory(
                role=roles.TECHNICAL_COMMITTEE, email=f"reviewer{i}@bench.example"
            ),
        )
        for i in range(REVIEWERS)
    ]
    for member in members:
        factories.add_totp(member.user)
    criteria = list(panel.criteria.all())
    for n, entry in enumerate(entries[CANDIDATES:]):
        for assignment in assignment_staff_tc_entry(submission=entry):
            user = assignment.reviewer.user
            assignment_confirm_no_conflict(assignment=assignment, by=user)
            assignment.refresh_from_db()
            if n % 3 == 2:
                continue  # a third stay to score
            review_save(
                assignment=assignment,
                values={c.pk: rng.randint(c.scale_min, c.scale_max) for c in criteria},
                comments={},
                overall_comment="Considered.",
                recommendation=rng.choice(["shortlist", "deserving", "not_recommended"]),
                submit=True,
                by=user,
            )
    return CriterionScore.objects.count()


def seed_past_scores(rows: int, rng: random.Random) -> None:
    """``rows`` criterion scores as past cycles' TC reviews, in bulk; cycle 9 ranked."""
    from judging.models import Assignment, CriterionScore, PanelMember, Review
    from judging.services.panels import panel_get_or_create
    from judging.services.ranking import ranking_compute
    from submissions.models import Cycle

    live_members = list(
        PanelMember.objects.filter(panel__cycle__number=LIVE_CYCLE).select_related("user")
    )
    users = [m.user for m in live_members]
    cycles = list(Cycle.objects.filter(number__in=PAST_CYCLES).order_by("-number"))
    panels = {c.pk: panel_get_or_create(cycle=c, kind="tc") for c in cycles}
    per_review = panels[cycles[0].pk].criteria.count()
    entries = sum(c.submissions.count() for c in cycles)
    reviews_needed = math.ceil(rows / per_review)
    per_entry = min(len(users), math.ceil(reviews_needed / entries))
    now = timezone.now()
    left = rows
    for cycle in cycles:
        if left <= 0:
            break
        panel = panels[cycle.pk]
        members = PanelMember.objects.bulk_create(
            PanelMember(panel=panel, user=u, country=m.country, is_chair=(i == 0))
            for i, (u, m) in enumerate(zip(users, live_members, strict=True))
        )
        criteria = list(panel.criteria.all())
        ids = list(cycle.submissions.order_by("pk").values_list("pk", flat=True))
        pairs = [
            (sid, members[(k + j) % len(members)])
            for k, sid in enumerate(ids)
            for j in range(per_entry)
        ][: math.ceil(left / len(criteria))]
        for start in range(0, len(pairs), 2000):
            chunk = pairs[start : start + 2000]
            assignments = Assignment.objects.bulk_create(
                Assignment(
                    panel=panel,
                    submission_id=sid,
                    reviewer=member,
                    state=Assignment.State.ACTIVE,
                    no_conflict_confirmed_at=now,
                )
                for sid, member in chunk
            )
            reviews = Review.objects.bulk_create(
                Review(
                    assignment=a,
                    overall_comment="Considered.",
                    recommendation=rng.choice(["shortlist", "deserving", "not_recommended"]),
                    submitted_at=now,
                )
                for a in assignments
            )
            scores = [
                CriterionScore(review=r, criterion=c, value=rng.randint(c.scale_min, c.scale_max))
                for r in reviews
                for c in criteria
            ][:left]
            CriterionScore.objects.bulk_create(scores, batch_size=5000)
            left -= len(scores)
        log(f"cycle {cycle.number}: scores written, {left} to go")
    ranked = panels[cycles[0].pk]
    type(ranked).objects.filter(pk=ranked.pk).update(closed_at=now)
    ranked.refresh_from_db()
    ranking_compute(panel=ranked)


def release_past_panels() -> None:
    """Past cycles are published: their panels closed and their decisions released, as
    the cycle leaves them (so their reviews are history, not any reviewer's queue).
    Idempotent, and run on databases seeded before this step existed."""
    from judging.models import Panel

    now = timezone.now()
    past = Panel.objects.filter(cycle__number__in=PAST_CYCLES)
    past.filter(closed_at__isnull=True).update(closed_at=now)
    past.filter(released_at__isnull=True).update(released_at=now)


def session_for(user) -> str:
    """A session as signing in leaves it (the user has their second factor: the
    two-factor middleware only asks whether they have one)."""
    from django.contrib.sessions.backends.db import SessionStore

    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    return session.session_key


def solved_votes(count: int) -> list[str]:
    """``count`` solved ALTCHA payloads (the server refuses a payload twice)."""
    import altcha
    from django_altcha import get_altcha_challenge

    payloads = []
    for _ in range(count):
        challenge = get_altcha_challenge(max_number=settings.VOTE_CHALLENGE_MAX_NUMBER).__dict__
        solution = altcha.solve_challenge(
            challenge["challenge"],
            challenge["salt"],
            challenge["algorithm"],
            settings.VOTE_CHALLENGE_MAX_NUMBER,
        )
        payload = {
            "algorithm": challenge["algorithm"],
            "challenge": challenge["challenge"],
            "number": solution.number,
            "salt": challenge["salt"],
            "signature": challenge["signature"],
        }
        payloads.append(base64.b64encode(json.dumps(payload).encode()).decode())
    return payloads


def plan(votes: int, out_dir: Path) -> dict:
    """The pages and the material to load them (see the module's docstring)."""
    from urllib.parse import urlencode

    from accounts import roles
    from accounts.models import User
    from judging.models import Assignment, Panel, PanelMember, Review
    from judging.votes import vote_candidates
    from submissions.models import Cycle, Submission

    live = Cycle.objects.get(number=LIVE_CYCLE)
    published = list(
        Submission.objects.filter(cycle__number__in=PAST_CYCLES)
        .select_related("cycle")
        .order_by("pk")[::97][:200]
    )
    initiatives = [s.get_public_url() for s in published]
    csrf = secrets.token_hex(16)  # 32 characters: Django accepts the unmasked secret
    staff = list(User.objects.filter(groups__name=roles.SECRETARIAT).order_by("pk"))
    official = User.objects.filter(organisation__submissions__cycle=live).order_by("pk").first()
    reviewers = []
    for member in PanelMember.objects.filter(panel__cycle=live).select_related("user"):
        todo = list(
            Assignment.objects.filter(reviewer=member, state=Assignment.State.ACTIVE)
            .exclude(review__submitted_at__isnull=False)
            .values_list("pk", flat=True)
        )
        done = list(
            Review.objects.filter(
                assignment__reviewer=member, submitted_at__isnull=False
            ).values_list("assignment_id", flat=True)
        )
        reviewers.append({"session": session_for(member.user), "todo": todo, "done": done})
    sheet_reviewer = next(r for r in reviewers if r["todo"])
    sheet = sheet_reviewer["todo"][0]
    criteria = Panel.objects.get(cycle=live, kind="tc").criteria.all()
    score_form = {f"value_{c.pk}": c.scale_max for c in criteria}
    score_form |= {
        "overall_comment": "A draft.",
        "recommendation": "shortlist",
        "action": "save",
        "csrfmiddlewaretoken": csrf,
    }
    candidate = vote_candidates(cycle=live).first()
    ranked_cycle = max(PAST_CYCLES)
    public = {
        "home": "/",
        "results of a cycle": f"/results/{ranked_cycle}/",
        "an initiative": initiatives[len(initiatives) // 2],
        "database, first page": "/database/",
        "vote page": "/vote/",
    }
    heavy = {"database search with filters": SEARCH}
    signed_in = {
        "city dashboard": ("city", "/my/"),
        "reviewer queue": ("reviewer", "/judging/reviews/"),
        "score sheet": ("reviewer", f"/judging/reviews/{sheet}/"),
        "ranking": ("secretariat", f"/judging/cycle/{ranked_cycle}/tc/ranking/"),
        "console statistics": ("secretariat", "/console/statistics/"),
        "console overview": ("secretariat", f"/console/cycles/{LIVE_CYCLE}/"),
    }
    sessions = {
        "city": session_for(official),
        "reviewer": sheet_reviewer["session"],
        "secretariat": session_for(staff[0]),
    }
    payloads = solved_votes(votes)
    vote_file = out_dir / "vote_payloads.txt"
    vote_file.write_text("\n".join(payloads) + "\n")
    detail_pk = published[0].pk
    result = {
        "csrf": csrf,
        "bare": {
            "bare view": "/bench/bare/",
            "bare detail": f"/bench/detail/{detail_pk}/",
            "bare list": "/bench/list/",
        },
        "public": public,
        "heavy": heavy,
        "signed_in": signed_in,
        "sessions": sessions,
        "score_post": {"url": signed_in["score sheet"][1], "body": urlencode(score_form)},
        "vote_post": {
            "url": "/vote/",
            "candidate": candidate.pk,
            "payloads": str(vote_file),
        },
        "rush": {
            "initiatives": initiatives,
            "results": [f"/results/{n}/" for n in PAST_CYCLES],
            "searches": [
                SEARCH,
                "/database/?q=green",
                "/database/?continent=Asia",
                "/database/?sdg=6",
                "/database/?q=housing+youth",
            ],
            "reviewers": reviewers,
            "secretariat": [session_for(u) for u in staff],
            "secretariat_pages": {
                name: url for name, (role, url) in signed_in.items() if role == "secretariat"
            }
            | {"panel progress": f"/judging/cycle/{LIVE_CYCLE}/tc/progress/"},
            "score_fields": {k: v for k, v in score_form.items() if k != "csrfmiddlewaretoken"},
        },
    }
    result["queries"] = count_queries(result, payloads[-1])
    return result


def count_queries(plan_: dict, vote_payload: str) -> dict:
    """Each page's queries, through the test client against this database."""
    from urllib.parse import parse_qsl

    counts = {}

    def run(name, method, url, session=None, data=None, expect=(200,)):
        client = Client()
        if session:
            client.cookies[settings.SESSION_COOKIE_NAME] = session
        with CaptureQueriesContext(connection) as ctx:
            response = getattr(client, method)(url, data) if data else getattr(client, method)(url)
        if response.status_code not in expect:
            log(f"{name}: {method.upper()} {url} answered {response.status_code}")
        counts[name] = len(ctx.captured_queries)

    for group in ("bare", "public", "heavy"):
        for name, url in plan_[group].items():
            run(name, "get", url)
    for name, (role, url) in plan_["signed_in"].items():
        run(name, "get", url, plan_["sessions"][role])
    body = dict(parse_qsl(plan_["score_post"]["body"]))
    run(
        "score sheet POST",
        "post",
        plan_["score_post"]["url"],
        plan_["sessions"]["reviewer"],
        body,
        expect=(302,),
    )
    vote = {
        "submission": plan_["vote_post"]["candidate"],
        "email": "counting@bench.example",
        "captcha": vote_payload,
    }
    run("vote POST", "post", "/vote/", data=vote, expect=(302,))
    return counts


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, required=True)
    parser.add_argument("--votes", type=int, default=8000, help="solved vote payloads")
    parser.add_argument("--out", type=Path, required=True, help="folder for the plan's files")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    call_command("migrate", verbosity=0, interactive=False)
    started = time.perf_counter()
    seeded = is_seeded(args.size)
    state = seeded_state(args.size)
    if seeded:
        pass
    elif state["live"] == LIVE_ENTRIES and state["scores"] >= SCORE_ROWS:
        top_up(args.size)  # a copy of a smaller size's database
    else:
        seed(args.size)
    release_past_panels()
    # Fresh statistics for the planner, as autovacuum would gather after a while: the
    # bench measures the steady state, not the minute after a bulk import.
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    seed_seconds = round(time.perf_counter() - started, 1)
    call_command("collectstatic", verbosity=0, interactive=False)
    result = plan(args.votes, args.out)
    result |= {"size": args.size, "reused_seed": seeded, "seed_seconds": seed_seconds}
    result["state"] = seeded_state(args.size)
    (args.out / "plan.json").write_text(json.dumps(result, indent=1))
    print(json.dumps({"plan": str(args.out / "plan.json")}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
