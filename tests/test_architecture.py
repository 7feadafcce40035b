"""The arrows between the apps run one way: console → judging → submissions → accounts."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
# Each app, and the apps it must never import (directly or inside a function).
FORBIDDEN = {
    "accounts": {"submissions", "judging", "console"},
    "submissions": {"judging", "console"},
    "judging": {"console"},
}


def _imported_apps(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


@pytest.mark.parametrize("app", sorted(FORBIDDEN))
def test_app_never_imports_an_app_above_it(app):
    offences = [
        f"{path.relative_to(ROOT)} imports {sorted(_imported_apps(path) & FORBIDDEN[app])}"
        for path in sorted((ROOT / app).rglob("*.py"))
        if _imported_apps(path) & FORBIDDEN[app]
    ]
    assert offences == []


def test_console_has_no_models():
    assert not (ROOT / "console" / "models.py").exists()
    assert not (ROOT / "console" / "migrations").exists()
