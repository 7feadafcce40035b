"""Every template of the portal keeps to the strict Content-Security-Policy:
no inline <script> (json_script data blocks are rendered, not written), no
on...= handlers, no style= attributes, no <style> blocks, no CDN."""

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent / "templates"
TEMPLATES = sorted(ROOT.rglob("*.html"))
RULES = {
    "inline script": re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.I),
    "event handler": re.compile(r"<[^>]*\son[a-z]+\s*=", re.I),
    "style attribute": re.compile(r"<[^>]*\sstyle\s*=", re.I),
    "style block": re.compile(r"<style[\s>]", re.I),
    "remote asset": re.compile(r"(src|href)=\"(https?:)?//", re.I),
}


def test_templates_are_found():
    assert len(TEMPLATES) > 40


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda p: str(p.relative_to(ROOT)))
def test_template_keeps_to_the_content_security_policy(template):
    text = template.read_text()
    found = {name: rule.findall(text) for name, rule in RULES.items() if rule.search(text)}
    assert found == {}, template
