"""Mutation testing of the modules that hold the award's rules (``make mutate``).

For each module, mutmut changes one thing at a time (a comparison, a constant, a
boolean, a returned value) and runs only the tests that cover that module; a mutant
that no test notices "survives". The score per module and every survivor are written
to bench/MUTATION.md. Not part of ``make test``: it takes a long while.

    python bench/mutate.py                 # every module below
    python bench/mutate.py submissions/checks.py   # one module
    python bench/mutate.py --jobs 2 --out bench/MUTATION.md

Each module runs in a throw-away copy of the committed tree (a git worktree), so the
working tree is never touched.
"""

import argparse
import datetime as dt
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
VENV = ROOT / ".venv"

# Module → the tests that cover its rules.
MODULES = {
    "submissions/workflow.py": [
        "tests/submissions/test_workflow.py",
        "tests/submissions/test_workflow_can.py",
    ],
    "submissions/checks.py": [
        "tests/submissions/test_checks.py",
        "tests/submissions/test_services_applications.py",
        "tests/submissions/test_screening.py",
    ],
    "submissions/services/applications.py": [
        "tests/submissions/test_services_applications.py",
        "tests/submissions/test_checks.py",
        "tests/submissions/test_deadlines.py",
        "tests/submissions/test_views_applicant.py",
    ],
    "submissions/services/importing.py": [
        "tests/submissions/test_import.py",
        "tests/submissions/test_import_all_or_nothing.py",
        "tests/submissions/test_cycle_stats_range.py",
    ],
    "submissions/services/transitions.py": ["tests/submissions/test_workflow.py"],
    "submissions/permissions.py": [
        "tests/submissions/test_isolation.py",
        "tests/submissions/test_views_applicant.py",
        "tests/submissions/test_views_files.py",
    ],
    "judging/services/assignment.py": [
        "tests/judging/test_services_assignment.py",
        "tests/judging/test_permissions.py",
    ],
    "judging/services/outcomes.py": [
        "tests/judging/test_services_outcomes.py",
        "tests/judging/test_quotas.py",
        "tests/judging/test_views_outcomes.py",
    ],
    "judging/services/reviews.py": [
        "tests/judging/test_services_reviews.py",
        "tests/judging/test_selectors.py",
        "tests/judging/test_views_reviewing.py",
    ],
    "judging/services/ranking.py": ["tests/judging/test_services_ranking.py"],
    "judging/services/screening.py": [
        "tests/judging/test_services_screening.py",
        "tests/judging/test_views_screening.py",
    ],
    "judging/permissions.py": [
        "tests/judging/test_permissions.py",
        "tests/judging/test_views_reviewing.py",
    ],
}
COPY = [
    "accounts",
    "awardportal",
    "console",
    "judging",
    "submissions",
    "templates",
    "static",
    "tests",
    "locale",
    "manage.py",
]


def _config(tree: Path, module: str, tests: list[str]) -> str:
    quoted = ", ".join(f'"{t}"' for t in tests)
    copies = ", ".join(f'"{c}"' for c in COPY if (tree / c).exists())
    return (
        "\n[tool.mutmut]\n"
        f'source_paths = ["{module}"]\n'
        f"pytest_add_cli_args_test_selection = [{quoted}]\n"
        f"also_copy = [{copies}]\n"
        'pytest_add_cli_args = ["-p", "no:cacheprovider", "-q", "-x"]\n'
    )


def mutate(module: str, tests: list[str], jobs: int) -> dict:
    """Run mutmut on one module in a fresh worktree; its stats and survivors."""
    work = Path(tempfile.mkdtemp(prefix="gza-mutate-"))
    tree = work / "tree"
    subprocess.run(
        ["git", "-C", str(ROOT), "worktree", "add", "--detach", str(tree), "HEAD"],
        check=True,
        capture_output=True,
    )
    try:
        (tree / ".venv").symlink_to(VENV)
        with open(tree / "pyproject.toml", "a", encoding="utf-8") as config:
            config.write(_config(tree, module, tests))
        mutmut = [str(VENV / "bin" / "mutmut")]
        env = {**os.environ, "PYTHONWARNINGS": "ignore"}
        env.pop("DATABASE_URL", None)  # SQLite: fast, and no shared test database
        subprocess.run(
            mutmut + ["run", "--max-children", str(jobs)],
            cwd=tree,
            env=env,
            capture_output=True,
            text=True,
        )
        subprocess.run(mutmut + ["export-cicd-stats"], cwd=tree, env=env, capture_output=True)
        stats_file = tree / "mutants" / "mutmut-cicd-stats.json"
        stats = json.loads(stats_file.read_text()) if stats_file.exists() else {}
        listing = subprocess.run(
            mutmut + ["results"], cwd=tree, env=env, capture_output=True, text=True
        ).stdout
        survivors = []
        for line in listing.splitlines():
            name, _, status = line.strip().rpartition(": ")
            if status == "survived":
                diff = subprocess.run(
                    mutmut + ["show", name], cwd=tree, env=env, capture_output=True, text=True
                ).stdout
                survivors.append((name, diff.strip()))
        return {"stats": stats, "survivors": survivors}
    finally:
        subprocess.run(
            ["git", "-C", str(ROOT), "worktree", "remove", "--force", str(tree)],
            capture_output=True,
        )
        shutil.rmtree(work, ignore_errors=True)


def score(stats: dict) -> float | None:
    """Killed (timeouts count as noticed) over mutants that tests could reach."""
    noticed = stats.get("killed", 0) + stats.get("timeout", 0)
    reachable = noticed + stats.get("survived", 0) + stats.get("suspicious", 0)
    return 100.0 * noticed / reachable if reachable else None


def report(results: dict, commit: str) -> str:
    lines = [
        "# Mutation testing of the rule-holding modules",
        "",
        f"Run by `make mutate` (bench/mutate.py, mutmut) on commit `{commit}`, "
        f"{dt.date.today().isoformat()}. Score = mutants noticed by the module's tests "
        "(killed or timed out) over mutants the tests reach; `no tests` are mutants in "
        "code no selected test runs. Target: at least 90% per module.",
        "",
        "| module | mutants | killed | timeout | survived | no tests | score |",
        "| --- | --- | --- | --- | --- | --- | --- |",
    ]
    for module, result in results.items():
        s = result["stats"]
        value = score(s)
        lines.append(
            f"| `{module}` | {s.get('total', 0)} | {s.get('killed', 0)} | {s.get('timeout', 0)} "
            f"| {s.get('survived', 0)} | {s.get('no_tests', 0)} | "
            f"{'—' if value is None else f'{value:.0f}%'} |"
        )
    lines += ["", "## Survivors", ""]
    for module, result in results.items():
        if not result["survivors"]:
            continue
        lines += [f"### `{module}`", ""]
        for name, diff in result["survivors"]:
            lines += [f"- `{name}`", "", "```diff", diff, "```", ""]
    return "\n".join(lines) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("modules", nargs="*", help="modules to mutate (default: all)")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--out", default=str(ROOT / "bench" / "MUTATION.md"))
    args = parser.parse_args()
    chosen = args.modules or list(MODULES)
    unknown = [m for m in chosen if m not in MODULES]
    if unknown:
        parser.error(f"not a rule-holding module: {', '.join(unknown)}")
    commit = subprocess.run(
        ["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"], capture_output=True, text=True
    ).stdout.strip()
    results = {}
    for module in chosen:
        print(f"mutating {module} …", flush=True)
        results[module] = mutate(module, MODULES[module], args.jobs)
        Path(args.out).write_text(report(results, commit), encoding="utf-8")
        print(f"  {results[module]['stats']}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
