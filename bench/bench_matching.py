"""Benchmark of the reviewer matching solver (not part of the test run).

Plans 300 entries × 15 reviewers × k=3 (the issue's target: under 5 s) with random
topic fits, preferences, same-country conflicts and cities holding several entries,
and compares the solver's total fit and city double-ups with the greedy baseline.

    .venv/bin/python bench/bench_matching.py [--entries 300 --reviewers 15 --k 3]
"""

import argparse
import random
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from judging.services.matching import (  # noqa: E402
    EntryNeed,
    city_doubles,
    fit_score,
    greedy_plan,
    plan_assignments,
    plan_fit,
)

TOPICS = [f"topic {i}" for i in range(12)]
DOMAINS = ["social_cultural", "economic", "environmental", "governance", "technology"]


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--entries", type=int, default=300)
    parser.add_argument("--reviewers", type=int, default=15)
    parser.add_argument("--k", type=int, default=3)
    parser.add_argument("--seed", type=int, default=11)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    reviewers = list(range(1, args.reviewers + 1))
    expertise = {r: rng.sample(TOPICS, 3) + rng.sample(DOMAINS, 2) for r in reviewers}
    country = {r: rng.randrange(40) for r in reviewers}
    entries, fit = [], {}
    for e in range(1, args.entries + 1):
        entry_country, topic = rng.randrange(60), rng.choice(TOPICS)
        domains = rng.sample(DOMAINS, rng.randint(1, 3))
        excluded = frozenset(r for r in reviewers if country[r] == entry_country)
        entries.append(EntryNeed(e, excluded, frozenset(), rng.randrange(args.entries * 2 // 3)))
        for r in reviewers:
            pref = rng.choices(["", "want", "can", "rather_not"], [80, 8, 8, 4])[0]
            fit[(e, r)] = fit_score(expertise[r], topic, domains, pref)
    started = time.perf_counter()
    plan = plan_assignments(entries=entries, reviewers=reviewers, k=args.k, fit=fit)
    elapsed = time.perf_counter() - started
    greedy = greedy_plan(entries=entries, reviewers=reviewers, k=args.k, fit=fit)
    city = {e.entry_id: e.city for e in entries}
    loads = Counter(r for rs in plan.values() for r in rs)
    print(f"{args.entries} entries × {args.reviewers} reviewers × k={args.k}")
    print(f"solver time: {elapsed:.2f} s (target < 5 s)")
    print(f"assignments: {sum(loads.values())}, loads {min(loads.values())}–{max(loads.values())}")
    print(f"total fit: solver {plan_fit(plan, fit)}, greedy {plan_fit(greedy, fit)}")
    print(
        f"city double-ups: solver {city_doubles(plan, city)}, greedy {city_doubles(greedy, city)}"
    )
    return 0 if elapsed < 5 else 1


if __name__ == "__main__":
    sys.exit(main())
