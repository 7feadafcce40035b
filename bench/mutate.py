"""Mutation testing of the modules that hold the award's rules (``make mutate``).

For each module, mutmut changes one thing at a time (a comparison, a constant, a
boolean, a returned value) and runs only the tests that cover that module; a mutant
that no test notices "survives". The score per module and every survivor are written
to bench/MUTATION.md. Not part of ``make test``: it takes a long while.

    python bench/mutate.py                 # every module below
    python bench/mutate.py submissions/checks.py   # one module
    python bench/mutate.py --jobs 2 --out bench/MUTATION.md

Each module runs in a throw-away copy of the committed tree (a git worktree), so the
working tree is never touched: commit a new test before re-running its module.

Results accumulate: each module's figures and survivors are kept in
bench/MUTATION.json (next to ``--out``), so running one module replaces that module's
row and leaves the others'. A survivor judged equivalent (no observable behaviour
changes) is explained in bench/mutation_equivalents.json, {mutant name: reason}; the
report prints the reason under the survivor's diff.
"""

import argparse
import ast
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
        "tests/submissions/test_workflow_rules.py",
    ],
    "submissions/checks.py": [
        "tests/submissions/test_checks.py",
        "tests/submissions/test_services_applications.py",
        "tests/submissions/test_screening.py",
    ],
    "submissions/services/applications.py": [
        "tests/submissions/test_application_rules.py",
        "tests/submissions/test_services_applications.py",
        "tests/submissions/test_checks.py",
        "tests/submissions/test_deadlines.py",
        "tests/submissions/test_views_applicant.py",
    ],
    "submissions/services/importing.py": [
        "tests/submissions/test_import.py",
        "tests/submissions/test_import_all_or_nothing.py",
        "tests/submissions/test_cycle_stats_range.py",
        "tests/submissions/test_import_rules.py",
        "tests/submissions/test_import_service_rules.py",
    ],
    "submissions/services/transitions.py": [
        "tests/submissions/test_workflow.py",
        "tests/submissions/test_transition_rules.py",
    ],
    "submissions/permissions.py": [
        "tests/submissions/test_isolation.py",
        "tests/submissions/test_views_applicant.py",
        "tests/submissions/test_views_files.py",
        "tests/submissions/test_permission_rules.py",
    ],
    "judging/services/assignment.py": [
        "tests/judging/test_services_assignment.py",
        "tests/judging/test_permissions.py",
        "tests/judging/test_assignment_rules.py",
        "tests/judging/test_assignment_scope_rules.py",
    ],
    "judging/services/outcomes.py": [
        "tests/judging/test_services_outcomes.py",
        "tests/judging/test_quotas.py",
        "tests/judging/test_views_outcomes.py",
        "tests/judging/test_outcome_rules.py",
        "tests/judging/test_release_rules.py",
    ],
    "judging/services/reviews.py": [
        "tests/judging/test_services_reviews.py",
        "tests/judging/test_review_rules.py",
        "tests/judging/test_selectors.py",
        "tests/judging/test_views_reviewing.py",
    ],
    "judging/services/ranking.py": [
        "tests/judging/test_services_ranking.py",
        "tests/judging/test_ranking_rules.py",
    ],
    "judging/services/screening.py": [
        "tests/judging/test_services_screening.py",
        "tests/judging/test_views_screening.py",
        "tests/judging/test_screening_rules.py",
    ],
    "judging/permissions.py": [
        "tests/judging/test_permissions.py",
        "tests/judging/test_views_reviewing.py",
        "tests/judging/test_permission_rules.py",
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


# mutmut leaves decorated functions alone, and the rules sit in decorated ones:
# every service is ``@transaction.atomic`` (some also ``@bumps_public_cache``) and every
# permission ``@rules.predicate``.
# In the throw-away copy each such function is split in two: an undecorated body that
# mutmut mutates, and the decorated function of the same name and signature calling it.
UNWRAPPED_DECORATORS = {"transaction.atomic", "rules.predicate", "bumps_public_cache"}
BODY_SUFFIX = "__body"


def _forwarded(args: ast.arguments) -> str:
    """The call arguments that pass a function's own parameters on unchanged."""
    parts = [a.arg for a in args.posonlyargs + args.args]
    if args.vararg:
        parts.append(f"*{args.vararg.arg}")
    parts += [f"{a.arg}={a.arg}" for a in args.kwonlyargs]
    if args.kwarg:
        parts.append(f"**{args.kwarg.arg}")
    return ", ".join(parts)


def unwrap_decorated(source: str) -> str:
    """``source`` with each module-level function decorated only by UNWRAPPED_DECORATORS
    split into ``<name>__body`` (undecorated, mutated) and the decorated ``<name>``."""
    lines = source.splitlines(keepends=True)
    functions = [
        node
        for node in ast.parse(source).body
        if isinstance(node, ast.FunctionDef)
        and node.decorator_list
        and all(ast.unparse(d) in UNWRAPPED_DECORATORS for d in node.decorator_list)
    ]
    for node in reversed(functions):  # bottom up: earlier line numbers stay valid
        first = node.decorator_list[0].lineno - 1
        decorators = "".join(f"@{ast.unparse(d)}\n" for d in node.decorator_list)
        body_name = node.name + BODY_SUFFIX
        # The header may span lines; it ends at the first line ending with a colon.
        head_end = node.lineno - 1
        while not lines[head_end].split("#")[0].rstrip().endswith(":"):
            head_end += 1
        # The body takes no defaults (the decorated function passes every argument),
        # so mutmut makes no mutants of them that nothing could notice.
        bare = ast.arguments(
            posonlyargs=node.args.posonlyargs,
            args=node.args.args,
            vararg=node.args.vararg,
            kwonlyargs=node.args.kwonlyargs,
            kw_defaults=[None] * len(node.args.kwonlyargs),
            kwarg=node.args.kwarg,
            defaults=[],
        )
        head = f"def {body_name}({ast.unparse(bare)}):\n"
        wrapper = (
            f"\n\n{decorators}def {node.name}({ast.unparse(node.args)}):\n"
            f"    return {body_name}({_forwarded(node.args)})\n"
        )
        lines[first : node.end_lineno] = [head, *lines[head_end + 1 : node.end_lineno], wrapper]
    return "".join(lines)


def _config(tree: Path, module: str, tests: list[str]) -> str:
    quoted = ", ".join(f'"{t}"' for t in tests)
    copies = ", ".join(f'"{c}"' for c in COPY if (tree / c).exists())
    return (
        "\n[tool.mutmut]\n"
        f'source_paths = ["{module}"]\n'
        f"pytest_add_cli_args_test_selection = [{quoted}]\n"
        f"also_copy = [{copies}]\n"
        # The test database is built from the models, not the migrations: the
        # migrations take ten seconds per mutant and the selected tests do not need
        # their data (each module's tests pass the same way both ways).
        'pytest_add_cli_args = ["-p", "no:cacheprovider", "-q", "-x", "--no-migrations"]\n'
        # mutmut's timeout is 15 × (the tests' own time + this constant); the tests'
        # own time leaves out pytest's and Django's start-up, several seconds on a busy
        # machine, so without a generous constant every mutant "times out".
        "timeout_constant = 20.0\n"
    )


# Statuses that count as not noticed, with a diff kept in the report.
UNNOTICED = ("survived", "no tests", "suspicious")


def mutate(module: str, tests: list[str], jobs: int, names: list[str] | None = None) -> dict:
    """Run mutmut on one module in a fresh worktree (only the mutants ``names`` when
    given); the status of every mutant run, and the diff of each one not noticed."""
    work = Path(tempfile.mkdtemp(prefix="gza-mutate-"))
    tree = work / "tree"
    subprocess.run(
        ["git", "-C", str(ROOT), "worktree", "add", "--detach", str(tree), "HEAD"],
        check=True,
        capture_output=True,
    )
    try:
        (tree / ".venv").symlink_to(VENV)
        source = tree / module
        source.write_text(unwrap_decorated(source.read_text("utf-8")), "utf-8")
        with open(tree / "pyproject.toml", "a", encoding="utf-8") as config:
            config.write(_config(tree, module, tests))
        mutmut = [str(VENV / "bin" / "mutmut")]
        env = {**os.environ, "PYTHONWARNINGS": "ignore"}
        env.pop("DATABASE_URL", None)  # SQLite: fast, and no shared test database
        subprocess.run(
            mutmut + ["run", "--max-children", str(jobs), *(names or [])],
            cwd=tree,
            env=env,
            capture_output=True,
            text=True,
        )
        listing = subprocess.run(
            mutmut + ["results", "--all", "true"], cwd=tree, env=env, capture_output=True, text=True
        ).stdout
        statuses = {}
        for line in listing.splitlines():
            name, _, status = line.strip().rpartition(": ")
            if name and (names is None or name in names):
                statuses[name] = status
        diffs = {
            name: subprocess.run(
                mutmut + ["show", name], cwd=tree, env=env, capture_output=True, text=True
            ).stdout.strip()
            for name, status in statuses.items()
            if status in UNNOTICED
        }
        return {"statuses": statuses, "diffs": diffs}
    finally:
        subprocess.run(
            ["git", "-C", str(ROOT), "worktree", "remove", "--force", str(tree)],
            capture_output=True,
        )
        shutil.rmtree(work, ignore_errors=True)


def stats_of(statuses: dict) -> dict:
    counts = {}
    for status in statuses.values():
        key = status.replace(" ", "_")
        counts[key] = counts.get(key, 0) + 1
    counts["total"] = len(statuses)
    return counts


def score(stats: dict) -> float | None:
    """Mutants noticed (killed, or timed out) over every mutant made, less the ones
    mutmut skipped: a mutant in code that none of the module's tests runs ("no tests")
    counts as not noticed, as a survivor does."""
    noticed = stats.get("killed", 0) + stats.get("timeout", 0)
    made = stats.get("total", 0) - stats.get("skipped", 0) - stats.get("not_checked", 0)
    return 100.0 * noticed / made if made else None


def report(results: dict, equivalents: dict[str, str]) -> str:
    """The Markdown report of every module run so far, in MODULES order."""
    lines = [
        "# Mutation testing of the rule-holding modules",
        "",
        "Run by `make mutate` (bench/mutate.py, mutmut). Score = mutants noticed by the "
        "module's tests (killed or timed out) over every mutant made; `no tests` are "
        "mutants in code none of the module's tests runs, and count as not noticed. "
        "Target: at least 90% per module, every survivor explained as equivalent (reasons kept in bench/mutation_equivalents.json). "
        "Each row names the commit and day it was measured on.",
        "",
        "| module | commit | day | mutants | killed | timeout | survived | no tests | score |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    ordered = [m for m in MODULES if m in results] + [m for m in results if m not in MODULES]
    for module in ordered:
        result = results[module]
        s = module_stats(result)
        value = score(s)
        lines.append(
            f"| `{module}` | `{result.get('commit', '?')}` | {result.get('day', '?')} "
            f"| {s.get('total', 0)} | {s.get('killed', 0)} | {s.get('timeout', 0)} "
            f"| {s.get('survived', 0)} | {s.get('no_tests', 0)} | "
            f"{'—' if value is None else f'{value:.0f}%'} |"
        )
    missing = [m for m in MODULES if m not in results]
    if missing:
        lines += ["", "Not measured yet: " + ", ".join(f"`{m}`" for m in missing) + "."]
    lines += ["", "## Survivors", ""]
    for module in ordered:
        survivors = unnoticed(results[module])
        if not survivors:
            continue
        lines += [f"### `{module}`", ""]
        for name, diff in survivors:
            reason = equivalents.get(name, "**not explained yet: a missing test?**")
            lines += [f"- `{name}`: {reason}", "", "```diff", diff, "```", ""]
    return "\n".join(lines) + "\n"


def module_stats(result: dict) -> dict:
    # Rows kept before per-mutant statuses were recorded carry their counts only.
    return stats_of(result["statuses"]) if "statuses" in result else result["stats"]


def unnoticed(result: dict) -> list[tuple[str, str]]:
    """(name, diff) of each mutant the tests did not notice."""
    if "statuses" not in result:
        return [tuple(pair) for pair in result["survivors"]]
    return [(name, result["diffs"][name]) for name in sorted(result["diffs"])]


def load_json(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}


def again_refusal(module: str, previous: dict | None) -> str:
    """Why the not-noticed mutants of ``module`` alone cannot be re-run ('' if they can).
    Mutant names and diffs belong to one version of the module's code, and adding tests
    can only turn a noticed mutant into a still-noticed one."""
    if not previous or "statuses" not in previous:
        return f"{module}: no per-mutant record yet; run it whole first."
    changed = subprocess.run(
        ["git", "-C", str(ROOT), "diff", "--quiet", previous["module_commit"], "HEAD", "--", module]
    ).returncode
    if changed:
        return f"{module} changed since {previous['module_commit']}; run it whole."
    return ""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("modules", nargs="*", help="modules to mutate (default: all)")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--out", default=str(ROOT / "bench" / "MUTATION.md"))
    parser.add_argument(
        "--report-only", action="store_true", help="rewrite the report from the kept results"
    )
    parser.add_argument(
        "--again",
        action="store_true",
        help="re-run only the mutants not noticed last time (after adding tests; the"
        " module itself must be unchanged since, so the others stay noticed)",
    )
    args = parser.parse_args()
    chosen = args.modules or list(MODULES)
    unknown = [m for m in chosen if m not in MODULES]
    if unknown:
        parser.error(f"not a rule-holding module: {', '.join(unknown)}")
    out = Path(args.out)
    kept = out.with_suffix(".json")
    equivalents = load_json(ROOT / "bench" / "mutation_equivalents.json")
    if args.report_only:
        out.write_text(report(load_json(kept), equivalents), encoding="utf-8")
        return 0
    for module in chosen:
        print(f"mutating {module} …", flush=True)
        # Each module runs on the commit at hand when it starts (a long run picks up
        # tests committed meanwhile), so each row names its own commit.
        commit = subprocess.run(
            ["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"], capture_output=True, text=True
        ).stdout.strip()
        previous = load_json(kept).get(module)
        if args.again:
            refusal = again_refusal(module, previous)
            if refusal:
                print(f"  {refusal}", file=sys.stderr)
                return 2
            names = sorted(previous["diffs"])
            result = mutate(module, MODULES[module], args.jobs, names)
            statuses = previous["statuses"] | result["statuses"]
            diffs = {n: d for n, d in result["diffs"].items()}
            result = {
                "statuses": statuses,
                "diffs": diffs,
                "module_commit": previous["module_commit"],
            }
        else:
            result = mutate(module, MODULES[module], args.jobs)
            result["module_commit"] = commit
        result.update(commit=commit, day=dt.date.today().isoformat())
        # Re-read before writing: another run may have finished a module meanwhile.
        results = load_json(kept)
        results[module] = result
        kept.write_text(json.dumps(results, indent=1, ensure_ascii=False) + "\n", "utf-8")
        out.write_text(report(results, equivalents), encoding="utf-8")
        print(f"  {module_stats(result)}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
