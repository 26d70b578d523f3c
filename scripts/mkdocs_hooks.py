"""MkDocs hooks: the thin adapter between our data (front matter, data/laws.yml) and the theme.

It only prepares values for the templates in overrides/ (page language, reviewed date, resolved
legal basis, edit and report links). All checking lives in scripts/kb.py. The hooks run once
per language build (mkdocs-static-i18n).
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode

from markupsafe import Markup, escape

sys.path.insert(0, str(Path(__file__).resolve().parent))

import kb
import message_rules
from registry import (
    LANGS,
    Registry,
    RegistryError,
    basis_entries,
    format_article,
    format_date,
    load_registry,
)

_registry: Registry | None = None
_message_rules: message_rules.SiteRules | None = None  # the message checker's rules (issue 14)


def on_config(config: Any) -> Any:
    global _registry
    root = Path(config.config_file_path).resolve().parent
    settings = (config.extra.get("kb") or {}) if config.extra else {}
    path = root / settings.get("registry", "data/laws.yml")
    try:
        _registry = load_registry(path)
    except RegistryError as exc:
        from mkdocs.exceptions import PluginError

        raise PluginError(str(exc)) from None
    global _message_rules
    try:
        _message_rules = message_rules.SiteRules(root, _registry)
    except message_rules.RulesError as exc:
        from mkdocs.exceptions import PluginError

        raise PluginError(str(exc)) from None
    return config


def on_pre_build(config: Any) -> None:
    """Regenerate the FAQ and law indexes (scripts/kb.py) before the pages are read. Only changed
    files are written, so `mkdocs serve` settles after one rebuild and the committed files stay the
    source the build reads."""
    try:
        kb.regenerate(Path(config.config_file_path))
    except kb.ConfigError as exc:
        from mkdocs.exceptions import PluginError

        raise PluginError(f"scripts/kb.py: {exc}") from None


def page_language(src_uri: str) -> str:
    first = src_uri.split("/", 1)[0]
    return first if first in LANGS else LANGS[0]


def on_page_markdown(markdown: str, page: Any, config: Any, files: Any) -> str:
    lang = page_language(page.file.src_uri)
    meta = page.meta
    # Material prints page titles unescaped (navigation, header, footer, <title>, search results);
    # MkDocs' own titles taken from an H1 are already HTML text. Front matter titles become HTML
    # text too, as Markup so that templates that do escape (`| e`) do not escape twice.
    raw_title = meta.get("title")
    if raw_title is not None and not isinstance(raw_title, Markup):
        meta["title"] = escape(str(raw_title))
    # The home page of each language (zh/index.md, en/index.md): the templates title it with the site name alone.
    info: dict[str, Any] = {"lang": lang, "home": page.file.src_uri == f"{lang}/index.md"}
    reviewed = meta.get("reviewed")
    if isinstance(reviewed, dt.date):
        info["reviewed"] = format_date(reviewed, lang)
        info["reviewed_iso"] = reviewed.isoformat()
    basis = []
    for ident, articles in basis_entries(meta.get("legal_basis")):
        inst = _registry.instruments.get(ident) if _registry else None
        if inst is None:
            continue  # reported by scripts/kb.py check; the build does not guess
        basis.append(
            {
                "title": inst.title[lang],
                "kind": _registry.kind_label(inst.kind, lang) if _registry else inst.kind,
                "articles": [format_article(a, lang) for a in articles],
                "url": inst.url,
            }
        )
    info["basis"] = basis
    # The law index of the page's own language (the template cannot tell the language folders).
    laws = files.get_file_from_path(f"{lang}/{kb.GENERATED_LAWS}")
    if laws is not None:
        info["laws_url"] = laws.url_relative_to(page.file)
    repo = str(config.extra.get("repository") or "").rstrip("/")
    if repo:
        branch = config.extra.get("branch") or "main"
        info["edit_url"] = f"{repo}/edit/{branch}/docs/{quote(page.file.src_uri)}"
        page_address = (config.site_url or "") + page.url
        query = urlencode(
            {
                "template": "content-error.yml",
                "title": f"[内容有误 / content error] {raw_title or page.file.src_uri}",
                "page": page_address or page.file.src_uri,
            }
        )
        info["report_url"] = f"{repo}/issues/new?{query}"
    meta["kb"] = info
    if _message_rules is not None:  # the checker page's list of rules (data/message-rules.yml)
        markdown = _message_rules.expand(markdown, lang)
    return markdown


def on_post_build(config: Any) -> None:
    """The message checker's patterns as the JSON its page loads (never written into docs/)."""
    if _message_rules is not None:
        _message_rules.write_json(Path(config.site_dir))
