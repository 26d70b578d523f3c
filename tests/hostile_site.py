"""A copy of the project whose front matter, registry and FAQ carry script payloads (issue 11).

The payloads are what a hostile pull request could put where a template prints data: tag
injection, attribute breakouts with `"` and `'`, `javascript:` and `data:` URLs. Each carries a
marker ("kbxss-<where>") so the tests can find where it ended up. The copy is built by the real
build (hook included) without `kb.py check`, which on its own may reject such input: the tests are
about what the build writes.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from typing import Any

import yaml

MARK = "kbxss"
PAGE = "channels/sms.md"  # the page, in both languages, whose front matter carries payloads
INSTRUMENT = "civil-code"  # the registry entry that carries payloads (cited by PAGE)
KIND = "law"  # the registry kind whose labels carry payloads


def _alert(where: str) -> str:
    return f'alert("{MARK}-{where}")'


# Front matter of PAGE (both languages).
FRONT_MATTER: dict[str, Any] = {
    "title": f"Texts <script>{_alert('title')}</script> \"><img src=x onerror={_alert('title2')}> '><svg onload={_alert('title3')}>",
    "subtitle": f'"><img src=x onerror={_alert("subtitle")}>',
    "status": f'new" onmouseover="{_alert("status")}" x=\' onfocus=\'{_alert("status2")}',
    "description": f'"><script>{_alert("description")}</script>',
    "styles": [f"javascript:{_alert('style')}", f'"><script>{_alert("style2")}</script>'],
    "scripts": [f"data:text/javascript,{_alert('script')}", f"//example.org/{MARK}-script2.js", f"\\\\example.org/{MARK}-script3.js"],
}
ARTICLE = f'1033"><img src=x onerror={_alert("article")}>'

# Registry entry INSTRUMENT and kind KIND.
REGISTRY_URL = f'https://example.org/"><img src=x onerror={_alert("url")}>'
REGISTRY_TITLE = {"zh": f"民法典<script>{_alert('law-zh')}</script>", "en": f"Civil Code '><svg onload={_alert('law-en')}>"}
KIND_LABEL = {"zh": f'法律"><img src=x onerror={_alert("kind-zh")}>', "en": f"Law<script>{_alert('kind-en')}</script>"}

# A question in PAGE (both languages): the FAQ index is generated from it. On the article the
# markup is text (code spans, entities); the generator must not turn it back into markup.
QUESTION_ID = f"{MARK}-question"
QUESTION = f"## Is `<script>{_alert('faq')}</script>` a question? {{#{QUESTION_ID} .faq}}\n\nYes: `<img src=x onerror={_alert('faq2')}>` and &lt;svg onload={_alert('faq3')}&gt; are text here.\n"

# Markers that must show up as text (an element's text or an attribute's value) somewhere in the
# output: proof that the payload reached the page and was escaped, not dropped. The `data:`,
# `javascript:` and off-site `styles`/`scripts` entries are dropped instead (no marker expected).
SHOWN = ["title", "title2", "title3", "subtitle", "status", "description", "style2", "article", "url", "law-zh", "law-en", "kind-zh", "kind-en", "faq", "faq3"]

_FRONT = re.compile(r"\A---\n(.*?\n)---\n", re.DOTALL)


def _edit_page(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    match = _FRONT.match(text)
    assert match, f"{path} has no front matter"
    meta = yaml.safe_load(match.group(1))
    meta.update(FRONT_MATTER)
    for entry in meta["legal_basis"]:
        if isinstance(entry, dict) and entry.get("id") == INSTRUMENT:
            entry["articles"] = [*entry.get("articles", []), ARTICLE]
    body = text[match.end() :].rstrip("\n") + "\n\n" + QUESTION
    path.write_text("---\n" + yaml.safe_dump(meta, allow_unicode=True, sort_keys=False) + "---\n" + body, encoding="utf-8")


def _edit_registry(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    data = yaml.safe_load(text)
    data["kinds"][KIND] = dict(KIND_LABEL)
    for item in data["instruments"]:
        if item["id"] == INSTRUMENT:
            item["url"] = REGISTRY_URL
            item["title"] = dict(REGISTRY_TITLE)
            item["note_en"] = f"<script>{_alert('note')}</script>"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def make_project(dest: Path, root: Path) -> Path:
    """Copy the project from root to dest, plant the payloads, return the copy's mkdocs.yml."""
    for name in ("docs", "overrides", "data", "scripts"):
        shutil.copytree(root / name, dest / name, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(root / "mkdocs.yml", dest / "mkdocs.yml")
    for lang in ("zh", "en"):
        _edit_page(dest / "docs" / lang / PAGE)
    _edit_registry(dest / "data" / "laws.yml")
    return dest / "mkdocs.yml"
