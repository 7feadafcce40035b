"""The vote rush (issue 13), run by bench/bench_web.py with Locust, headless:

- visitors (1,000 by default), 1–5 s think time, the public mix: home, the results
  of a cycle, an initiative, the vote page, the database, a search;
- 50 reviewers at the same time: their queue, a score sheet, saving a draft;
- 5 Secretariat users: ranking, statistics, the cycle's overview, the panel's
  progress.

The pages and the signed-in sessions come from the plan bench/web_seed.py wrote
(``BENCH_RUSH_PLAN``, a JSON file). Every request is named by its page, so the
report gives p95 per page; any status but the expected one is a failure.
"""

import itertools
import json
import os
import random
from pathlib import Path

from locust import FastHttpUser, between, task

PLAN_PATH = os.environ.get("BENCH_RUSH_PLAN", "")
PLAN = json.loads(Path(PLAN_PATH).read_text()) if PLAN_PATH else {}
_reviewers = itertools.count()
_secretariat = itertools.count()


def fetch(client, url, name, cookie=None):
    """GET ``url``; anything but a 200 (a redirect to sign-in too) is a failure."""
    headers = {"Cookie": cookie} if cookie else {}
    with client.get(
        url, name=name, headers=headers, allow_redirects=False, catch_response=True
    ) as response:
        if response.status_code == 200:
            response.success()
        else:
            response.failure(f"status {response.status_code}")


class Visitor(FastHttpUser):
    """The public during the vote: reads, votes page, searches."""

    weight = 1000
    wait_time = between(1, 5)

    @task(3)
    def home(self):
        fetch(self.client, "/", "home")

    @task(2)
    def results(self):
        fetch(self.client, random.choice(PLAN["results"]), "results of a cycle")

    @task(3)
    def initiative(self):
        fetch(self.client, random.choice(PLAN["initiatives"]), "an initiative")

    @task(3)
    def vote_page(self):
        fetch(self.client, "/vote/", "vote page")

    @task(2)
    def database(self):
        fetch(self.client, "/database/", "database, first page")

    @task(1)
    def search(self):
        fetch(self.client, random.choice(PLAN["searches"]), "database search")


class Reviewer(FastHttpUser):
    """A Technical Committee member scoring their entries."""

    fixed_count = 50
    wait_time = between(1, 5)

    def on_start(self):
        reviewers = PLAN["reviewers"]
        me = reviewers[next(_reviewers) % len(reviewers)]
        self.cookie = f"sessionid={me['session']}; csrftoken={PLAN['csrf']}"
        self.sheets = me["todo"] or me["done"]

    def _get(self, url, name):
        fetch(self.client, url, name, self.cookie)

    @task(2)
    def queue(self):
        self._get("/judging/reviews/", "reviewer queue")

    @task(3)
    def sheet(self):
        if self.sheets:
            self._get(f"/judging/reviews/{random.choice(self.sheets)}/", "score sheet")

    @task(1)
    def save_draft(self):
        if not self.sheets:
            return
        data = dict(PLAN["score_fields"], csrfmiddlewaretoken=PLAN["csrf"])
        with self.client.post(
            f"/judging/reviews/{random.choice(self.sheets)}/",
            data=data,
            name="score sheet POST",
            headers={"Cookie": self.cookie},
            allow_redirects=False,
            catch_response=True,
        ) as response:
            if response.status_code == 302:
                response.success()
            else:
                response.failure(f"status {response.status_code}")


class Secretariat(FastHttpUser):
    """The Secretariat watching the cycle."""

    fixed_count = 5
    wait_time = between(1, 5)

    def on_start(self):
        sessions = PLAN["secretariat"]
        session = sessions[next(_secretariat) % len(sessions)]
        self.cookie = f"sessionid={session}; csrftoken={PLAN['csrf']}"

    @task
    def page(self):
        name, url = random.choice(list(PLAN["secretariat_pages"].items()))
        fetch(self.client, url, name, self.cookie)
