"""overrides/ stays portable to minijinja, the template engine of Zensical (Material's successor).

Jinja2 runs any Python method on a value (`link.startswith("/")`); minijinja does not (with its
Python compatibility off, as here). So the templates use filters and slices only, every template
compiles under minijinja, and the partials that do not need Material's own templates render the
same under both engines, escaping included.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import jinja2
import minijinja
import pytest
from sitebuild import ROOT

OVERRIDES = ROOT / "overrides"
TEMPLATES = sorted(OVERRIDES.rglob("*.html"))
# Calls that are not string methods: Material's translation helper, Jinja's own callables.
_ALLOWED_CALLS = {"t", "super", "caller", "cycle", "changed"}
_TAG = re.compile(r"\{\{.*?\}\}|\{%.*?%\}", re.DOTALL)
_METHOD = re.compile(r"\.\s*([A-Za-z_]\w*)\s*\(")
_STRING = re.compile(r"\"(?:[^\"\\]|\\.)*\"|'(?:[^'\\]|\\.)*'")


def method_calls(text: str) -> list[tuple[int, str]]:
    """(line, name) of every `.name(` call inside Jinja tags, string literals skipped."""
    found = []
    for tag in _TAG.finditer(text):
        code = _STRING.sub('""', tag.group(0))
        for call in _METHOD.finditer(code):
            if call.group(1) not in _ALLOWED_CALLS:
                found.append((text.count("\n", 0, tag.start()) + 1, call.group(1)))
    return found


def test_the_method_audit_finds_methods() -> None:
    sample = '{% set a = b.startswith("/") %}{{ ", ".join(x) }}{{ lang.t("search") }}{{ "a.b(c)" }}\n{{ y | join(", ") }}'
    assert method_calls(sample) == [(1, "startswith"), (1, "join")]


@pytest.mark.parametrize("path", TEMPLATES, ids=lambda p: p.relative_to(OVERRIDES).as_posix())
def test_no_python_methods_in_templates(path: Path) -> None:
    calls = method_calls(path.read_text(encoding="utf-8"))
    assert not calls, f"{path.relative_to(ROOT)}: Python methods on values (use filters or slices): {calls}"


def _url(value: Any) -> str:
    """A stand-in for MkDocs' `url` filter (same in both engines)."""
    return "../" + str(value)


def _minijinja(templates: dict[str, str]) -> Any:
    return minijinja.Environment(templates=templates, filters={"url": _url}, pycompat=False, auto_escape_callback=lambda name: False)


def test_every_template_compiles_under_minijinja() -> None:
    env = _minijinja({})
    for path in TEMPLATES:
        env.add_template(path.relative_to(OVERRIDES).as_posix(), path.read_text(encoding="utf-8"))


class _Lang:
    def t(self, key: str) -> str:
        return f"[{key}]"


_PAYLOAD = "\"'><script>alert(1)</script>"


def _page(lang: str) -> dict[str, Any]:
    kb = {
        "lang": lang,
        "reviewed": "28 November 2026",
        "reviewed_iso": "2026-11-28",
        "laws_url": "../../reference/laws/",
        "edit_url": "https://github.com/o/r/edit/main/docs/x.md",
        "report_url": "https://github.com/o/r/issues/new?template=content-error.yml&title=%5Bx%5D",
        "basis": [
            {"title": "Civil Code" + _PAYLOAD, "kind": "Law" + _PAYLOAD, "articles": ["art. 1033", _PAYLOAD], "url": 'https://example.org/"' + _PAYLOAD},
            {"title": "Rule", "kind": "Rule", "articles": [], "url": "javascript:alert(1)"},
            {"title": "Standard", "kind": "Standard", "articles": ["art. 5"], "url": None},
        ],
    }
    return {"meta": {"kb": kb, "comments": True}, "is_homepage": False}


def _context(lang: str) -> dict[str, Any]:
    return {
        "page": _page(lang),
        "base_url": "../..",
        "lang": _Lang(),
        "config": {
            "theme": {"icon": {}},
            "extra": {
                "alternate": [{"name": "中文" + _PAYLOAD, "link": "/", "lang": "zh"}, {"name": "English", "link": "x/", "lang": "en"}],
                "comments": {"enabled": True, "repo": "o/r" + _PAYLOAD, "repo_id": "R", "category": "C", "category_id": "D"},
            },
        },
        "i18n_config": {"languages": [{"locale": "zh", "link": "/", "build": True}, {"locale": "en", "link": "/en/", "build": True}]},
        "i18n_page_locale": lang,
    }


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("name", ["partials/source-file.html", "partials/actions.html", "partials/alternate.html", "partials/comments.html", "partials/search-lang.html"])
def test_partials_render_the_same_under_both_engines(name: str, lang: str) -> None:
    templates = {p.relative_to(OVERRIDES).as_posix(): p.read_text(encoding="utf-8") for p in TEMPLATES}
    templates[".icons/material/translate.svg"] = "<svg></svg>"
    jinja = jinja2.Environment(loader=jinja2.DictLoader(templates), autoescape=False)  # as MkDocs configures it
    jinja.filters["url"] = _url
    context = _context(lang)
    expected = jinja.get_template(name).render(**context)
    got = _minijinja(templates).render_template(name, **context)
    # minijinja spells some entities differently (&#x27; for &#39;, &quot; for &#34;) and escapes
    # "/" as well; white space differs in places. What is escaped must be the same.
    spellings = {"&#x27;": "&#39;", "&quot;": "&#34;", "&#x2f;": "/"}
    normal = [re.sub(r"\s+", "", re.sub("|".join(spellings), lambda m: spellings[m.group(0)], html)) for html in (expected, got)]
    assert normal[0] == normal[1], f"{name} ({lang}) renders differently:\nJinja2:\n{expected}\nminijinja:\n{got}"
    assert "<script>alert(1)" not in expected and 'href="javascript:' not in expected, f"{name}: unescaped payload:\n{expected}"
