"""MkDocs hooks for reading on a phone (issue 13): the thin adapter between scripts/phone.py and the
build. Listed in mkdocs.yml `hooks:` after scripts/mkdocs_hooks.py, whose page facts (`page.meta.kb`)
it extends. Runs once per language build (mkdocs-static-i18n).

- tap to call: every number of data/hotlines.yml in a page's text becomes a tel: link;
- tables: body cells carry their column's header as `data-label` (stacked cards in extra.css);
- jump lists: pages with questions open with a list of them, section index pages with the
  questions of the whole section;
- feedback: `extra.feedback_email` adds a mailto: link beside the report link.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import phone

_hotlines: list[phone.Hotline] = []


# For scripts/kb: on_page_markdown reads the front matter and returns the Markdown unchanged, and no
# file is added, so kb.py's model of the pages and their ids stays the build's.
KB_MODELLED = True


def _fail(message: str) -> None:
    from mkdocs.exceptions import PluginError

    raise PluginError(message)


def on_config(config: Any) -> Any:
    global _hotlines
    root = Path(config.config_file_path).resolve().parent
    try:
        _hotlines = phone.load_hotlines(root / "data" / "hotlines.yml")
    except phone.HotlineError as exc:
        _fail(str(exc))
    return config


def on_page_markdown(markdown: str, page: Any, config: Any, files: Any) -> str:
    info = page.meta.get("kb")
    if isinstance(info, dict):
        try:
            url = phone.feedback_mailto((config.extra or {}).get("feedback_email"), info.get("lang", "zh"), str(page.meta.get("title") or page.file.src_uri), (config.site_url or "") + page.url)
        except ValueError as exc:
            _fail(f"mkdocs.yml: {exc}")
        if url:
            info["feedback_url"] = url
    return markdown


def on_page_content(html: str, page: Any, config: Any, files: Any) -> str:
    return phone.label_tables(html)


def _section_groups(page: Any, nav: Any) -> list[phone.JumpGroup]:
    """On a section's index page (not a language's home page): the questions of the other pages of
    the section, in navigation order."""
    from mkdocs.utils import get_relative_url

    src = page.file.src_uri
    info = page.meta.get("kb") if isinstance(page.meta.get("kb"), dict) else {}
    if not src.endswith("/index.md") or info.get("home"):
        return []
    folder = src[: -len("index.md")]
    groups = []
    for other in nav.pages if nav else []:
        if other is page or not other.file.src_uri.startswith(folder) or not other.content:
            continue
        questions = [h for h in phone.headings(other.content) if h.question]
        groups.append(phone.JumpGroup(str(other.title), get_relative_url(other.url, page.url), questions))
    return groups


def on_page_context(context: Any, page: Any, config: Any, nav: Any) -> Any:
    """All pages are rendered by now, so an index page can list its section's questions."""
    if page.content:
        lang = (page.meta.get("kb") or {}).get("lang", "zh") if isinstance(page.meta.get("kb"), dict) else "zh"
        groups = _section_groups(page, nav)
        block = phone.jump_list(lang, phone.headings(page.content), groups)
        page.content = phone.insert_after_h1(page.content, block, after_emergency=bool(groups))
    return context


def on_post_page(output: str, page: Any, config: Any) -> str:
    return phone.link_hotlines(output, _hotlines)


def on_post_template(output: str, template_name: str, config: Any) -> str:
    """Static templates: the bilingual 404 page names 110 too."""
    return phone.link_hotlines(output, _hotlines) if template_name.endswith(".html") else output
