"""The translation catalogues (locale/<lang>/LC_MESSAGES/*.po) are complete, faithful,
consistent with the glossary (locale/GLOSSARY.md) and current with the code.

A message added to the code without a translation fails
``test_makemessages_adds_no_message``: run ``make messages`` and translate it.
"""

import gettext
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.utils import translation
from django.utils.translation import to_locale

from awardportal.catalogues import compile_catalogues, stale_catalogues
from tests.conftest import skip_or_fail

ROOT = Path(settings.BASE_DIR)
LOCALE_DIR = ROOT / "locale"
LANGUAGES = [code for code, _name in settings.LANGUAGES if code != settings.LANGUAGE_CODE]
# gettext's plural rules per language: Chinese has one form, French and Spanish two.
NPLURALS = {"zh_Hans": 1, "fr": 2, "es": 2}
CATALOGUES = sorted(LOCALE_DIR.glob("*/LC_MESSAGES/*.po"))

# %(name)s, %(mb).1f, %s, %d and {name}: every one must survive translation.
PLACEHOLDER = re.compile(r"%\([a-z_]+\)[-#0 +]*\d*(?:\.\d+)?[sdfr]|%[sd]|\{[a-z_]+\}")
HTML_TAG = re.compile(r"</?(?:a|abbr|b|br|code|em|i|kbd|li|p|small|span|strong|ul)\b[^>]*>")


def _catalogue_id(path: Path) -> str:
    return f"{path.parent.parent.name}/{path.stem}"


def _entries(path: Path):
    return [e for e in polib.pofile(str(path)) if not e.obsolete]


def _forms(entry) -> list[str]:
    if entry.msgid_plural:
        return [entry.msgstr_plural[i] for i in sorted(entry.msgstr_plural)]
    return [entry.msgstr]


catalogue_param = pytest.mark.parametrize("po_path", CATALOGUES, ids=_catalogue_id)


def test_catalogues_exist_for_every_language_but_english():
    assert LANGUAGES == ["zh-hans", "fr", "es"]
    for code in LANGUAGES:
        path = LOCALE_DIR / to_locale(code) / "LC_MESSAGES" / "django.po"
        assert path.exists(), f"{path} is missing: run make messages"
        assert len(_entries(path)) > 1000


@catalogue_param
def test_catalogue_has_no_untranslated_or_fuzzy_message(po_path):
    entries = _entries(po_path)
    fuzzy = [e.msgid for e in entries if e.fuzzy]
    untranslated = [e.msgid for e in entries if not all(f.strip() for f in _forms(e))]
    assert not fuzzy, f"{_catalogue_id(po_path)}: fuzzy {fuzzy[:10]}"
    assert not untranslated, f"{_catalogue_id(po_path)}: untranslated {untranslated[:10]}"


@catalogue_param
def test_catalogue_header_declares_language_and_plural_forms(po_path):
    catalogue = polib.pofile(str(po_path))
    language = po_path.parent.parent.name
    assert not catalogue.metadata_is_fuzzy
    assert catalogue.metadata["Language"] == language
    assert catalogue.metadata["Plural-Forms"].startswith(f"nplurals={NPLURALS[language]};")
    for entry in _entries(po_path):
        if entry.msgid_plural:
            assert len(entry.msgstr_plural) == NPLURALS[language], entry.msgid


@catalogue_param
def test_translation_keeps_every_placeholder(po_path):
    problems = []
    for entry in _entries(po_path):
        wanted = set(PLACEHOLDER.findall(entry.msgid + (entry.msgid_plural or "")))
        forms = _forms(entry)
        for index, form in enumerate(forms):
            found = set(PLACEHOLDER.findall(form))
            # French and Spanish may say "une fois" instead of "%(n)s" in the singular;
            # the last form (Chinese's only one) keeps every placeholder.
            allowed_fewer = entry.msgid_plural and index < len(forms) - 1
            if found - wanted or (found != wanted and not allowed_fewer):
                problems.append((entry.msgid, form))
    assert not problems, f"{_catalogue_id(po_path)}: {problems[:5]}"


@catalogue_param
def test_translation_keeps_html_tags(po_path):
    problems = [
        (entry.msgid, form)
        for entry in _entries(po_path)
        for form in _forms(entry)
        if sorted(HTML_TAG.findall(entry.msgid)) != sorted(HTML_TAG.findall(form))
    ]
    assert not problems, f"{_catalogue_id(po_path)}: {problems[:5]}"


# The glossary (locale/GLOSSARY.md): a message that names the term in English names it
# with the chosen rendering (case-insensitive patterns; placeholders are ignored).
GLOSSARY = [
    # English pattern, 中文, Français, Español
    (
        r"Guangzhou International Award for Urban Innovation",
        "广州国际城市创新奖",
        "prix international de guangzhou pour l'innovation urbaine",
        "premio internacional de guangzhou a la innovación urbana",
    ),
    (r"Guangzhou Award", "广州奖", "prix de guangzhou", "premio de guangzhou"),
    (r"Technical Committee", "技术委员会", "comité technique", "comité técnico"),
    (r"\bjury\b", "评审委员会", "jury", "jurado"),
    (r"medals? of honou?r", "荣誉奖章", "médailles? d'honneur", "medallas? de honor"),
    (r"City of Your Choice", "公众之选城市", "ville de votre choix", "ciudad de su elección"),
    (r"Secretariat", "秘书处", "secrétariat", "secretaría"),
    (r"\bshortlist(?:ed)?\b", "入围", "présélection", "presel"),
    (
        r"deserving|expert-recommended",
        "专家推荐",
        "méritant|recommandée?s? par les experts",
        "meritori|recomendadas? por los expertos",
    ),
    (r"early.bird", "早鸟", "anticipée?s?", "anticipad"),
    (r"eligib", "资格", "recevab", "admisib"),
    (r"screening", "资格审查", "examen|recevabilit", "exam|admisib"),
    (r"clarification", "补充说明", "précision", "aclaraci"),
    (r"\bcycles?\b", "届", "édition", "edici"),
    (r"\binitiatives?\b", "项目", "initiative", "iniciativa"),
    (r"\bentry\b|(?<!database )\bentries\b", "参评项目", "dossier", "candidatura"),
    (r"\breviewers?\b", "评审专家", "évaluat", "evaluador"),
    (r"Beijing time", "北京时间", "heure de pékin", "hora de pekín"),
]
GLOSSARY_COLUMN = {"zh_Hans": 1, "fr": 2, "es": 3}


@catalogue_param
def test_translation_uses_the_glossary(po_path):
    column = GLOSSARY_COLUMN[po_path.parent.parent.name]
    problems = []
    for entry in _entries(po_path):
        source = PLACEHOLDER.sub("", entry.msgid)
        for row in GLOSSARY:
            if re.search(row[0], source, re.IGNORECASE):
                problems += [
                    (row[0], entry.msgid, form)
                    for form in _forms(entry)
                    if not re.search(row[column], form, re.IGNORECASE)
                ]
    assert not problems, f"{_catalogue_id(po_path)}: {problems[:5]}"


def _gettext_tools_or_skip():
    missing = [t for t in ("xgettext", "msguniq", "msgmerge", "msgattrib") if not shutil.which(t)]
    if missing:
        skip_or_fail(
            f"GNU gettext is not installed (missing {', '.join(missing)}; apt-get install gettext)"
        )


@pytest.fixture(scope="module")
def regenerated_catalogues(tmp_path_factory):
    """Run ``make messages``'s makemessages on a copy of the project; return its locale/."""
    _gettext_tools_or_skip()
    copy = tmp_path_factory.mktemp("project") / "src"
    shutil.copytree(
        ROOT,
        copy,
        symlinks=True,
        ignore=shutil.ignore_patterns(
            ".git",
            ".venv",
            ".*_cache",
            "build",
            "media",
            "staticfiles",
            "node_modules",
            "vendor",
            "*.mo",
            "*.sqlite3",
            "__pycache__",
        ),
    )
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "awardportal.settings.test"}
    locales = [arg for code in LANGUAGES for arg in ("-l", to_locale(code))]
    for domain in ("django", "djangojs"):
        subprocess.run(
            [sys.executable, "manage.py", "makemessages", "-d", domain, *locales],
            cwd=copy,
            env=env,
            check=True,
            capture_output=True,
        )
    return copy / "locale"


def _msgids(path: Path) -> set:
    return {(e.msgctxt, e.msgid) for e in _entries(path)} if path.exists() else set()


@pytest.mark.parametrize("code", LANGUAGES)
@pytest.mark.parametrize("domain", ["django", "djangojs"])
def test_makemessages_adds_no_message(regenerated_catalogues, code, domain):
    relative = Path(to_locale(code)) / "LC_MESSAGES" / f"{domain}.po"
    added = _msgids(regenerated_catalogues / relative) - _msgids(LOCALE_DIR / relative)
    assert not added, (
        f"{relative}: {len(added)} message(s) in the code are not in the catalogue; "
        f"run make messages and translate them: {sorted(m for _c, m in added)[:10]}"
    )


@pytest.mark.parametrize("code", LANGUAGES)
@pytest.mark.parametrize("domain", ["django", "djangojs"])
def test_catalogue_holds_no_message_gone_from_the_code(regenerated_catalogues, code, domain):
    relative = Path(to_locale(code)) / "LC_MESSAGES" / f"{domain}.po"
    gone = _msgids(LOCALE_DIR / relative) - _msgids(regenerated_catalogues / relative)
    assert not gone, f"{relative}: run make messages to drop {sorted(m for _c, m in gone)[:10]}"


def test_compile_catalogues_writes_mo_files_that_gettext_reads(tmp_path):
    shutil.copytree(LOCALE_DIR, tmp_path / "locale", ignore=shutil.ignore_patterns("*.mo"))
    locale_dirs = [tmp_path / "locale"]
    assert len(stale_catalogues(locale_dirs)) == len(CATALOGUES)

    compiled = compile_catalogues(locale_dirs)

    assert len(compiled) == len(CATALOGUES)
    assert stale_catalogues(locale_dirs) == []
    assert compile_catalogues(locale_dirs) == []  # nothing stale: nothing rewritten

    mo = tmp_path / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.mo"
    assert oct(mo.stat().st_mode & 0o777) == "0o644"
    chinese = gettext.GNUTranslations(mo.open("rb"))
    assert (
        chinese.gettext("Guangzhou International Award for Urban Innovation")
        == "广州国际城市创新奖"
    )
    assert chinese.ngettext("%(n)s initiative", "%(n)s initiatives", 3) == "%(n)s 个项目"
    french = gettext.GNUTranslations(
        (tmp_path / "locale" / "fr" / "LC_MESSAGES" / "django.mo").open("rb")
    )
    assert french.ngettext("%(n)s initiative", "%(n)s initiatives", 1) == "%(n)s initiative"
    assert french.ngettext("%(n)s initiative", "%(n)s initiatives", 2) == "%(n)s initiatives"


def test_compile_catalogues_recompiles_a_catalogue_edited_after_compiling(tmp_path):
    shutil.copytree(LOCALE_DIR, tmp_path / "locale", ignore=shutil.ignore_patterns("*.mo"))
    locale_dirs = [tmp_path / "locale"]
    compile_catalogues(locale_dirs)
    po = tmp_path / "locale" / "fr" / "LC_MESSAGES" / "django.po"
    mo_time = po.with_suffix(".mo").stat().st_mtime
    os.utime(po, (mo_time + 10, mo_time + 10))

    assert compile_catalogues(locale_dirs) == [po]


def test_project_catalogues_are_compiled_for_the_test_session():
    assert stale_catalogues(settings.LOCALE_PATHS) == []


@pytest.mark.parametrize(
    ("accept_language", "expected"),
    [
        ("zh-hans", "广州国际城市创新奖"),
        ("zh-CN,zh;q=0.9,en;q=0.5", "广州国际城市创新奖"),
        ("fr-FR,fr;q=0.9", "Prix international de Guangzhou pour l'innovation urbaine"),
        ("es-ES,es;q=0.9", "Premio Internacional de Guangzhou a la Innovación Urbana"),
    ],
)
def test_home_page_speaks_the_browser_language(client, db, accept_language, expected):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE=accept_language)

    assert response.status_code == 200
    assert expected in response.content.decode()
    assert "Guangzhou International Award for Urban Innovation" not in response.content.decode()


def test_home_page_in_chinese_translates_the_navigation(client, db):
    content = client.get("/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()

    assert "公众之选城市" in content  # nav: City of Your Choice
    assert "跳至正文" in content  # skip link
    with translation.override("zh-hans"):
        assert translation.gettext("Results") == "结果"
