"""MkDocs hooks: the thin adapter between our data (front matter, data/laws.yml) and the theme.

It prepares values for the templates in overrides/ (page language, reviewed date, resolved legal
basis, edit and report links), expands the tools' Markdown (`kb_page_markdown`) and serves the
generated FAQ and law index from memory. All checking and generating lives in the package
scripts/kb/. The hooks run once per language build (mkdocs-static-i18n).

`import kb` works because MkDocs puts this file's folder (scripts/) on sys.path while it imports a
hook (mkdocs.config.config_options.Hooks); scripts/kb.py is the command line, the package wins.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode

import message_rules
import page_tools
from kb.hook import generated_files
from kb.registry import Registry, RegistryError, format_article, format_date, load_registry, normalise_basis
from markupsafe import Markup, escape
from mkdocs.plugins import event_priority

# For scripts/kb: on_files adds no file (it only serves generated pages' text), and on_page_markdown
# changes a page's Markdown exactly as kb_page_markdown does, which kb.py applies before parsing.
KB_MODELLED = True

_registry: Registry | None = None
_languages: list[str] = []
_message_rules: message_rules.SiteRules | None = None  # the message checker's rules (issue 14)


def on_config(config: Any) -> Any:
    global _registry, _languages
    i18n = config.plugins.get("i18n")
    _languages = [str(lang.locale) for lang in i18n.config.languages] if i18n is not None else [str(config.theme.get("language") or "en")]
    root = Path(config.config_file_path).resolve().parent
    settings = (config.extra.get("kb") or {}) if config.extra else {}
    path = root / settings.get("registry", "data/laws.yml")
    try:
        _registry = load_registry(path, _languages, strict=False)
    except RegistryError as exc:
        from mkdocs.exceptions import PluginError

        raise PluginError(str(exc)) from None
    try:
        _site_rules(root, _registry)
    except ValueError as exc:
        from mkdocs.exceptions import PluginError

        raise PluginError(str(exc)) from None
    return config


@event_priority(-110)  # after mkdocs-static-i18n (-100) has chosen this language's files
def on_files(files: Any, config: Any) -> Any:
    """Serve the FAQ and law index generated from the current pages, from memory: the build never
    writes into docs/ (the committed copies are for review; `kb.py faq --check` keeps them current)."""
    by_uri = {file.src_uri: file for file in files}
    try:
        contents = generated_files(Path(config.config_file_path), set(by_uri))
    except ValueError as exc:
        from mkdocs.exceptions import PluginError

        raise PluginError(f"scripts/kb: {exc}") from None
    for src_uri, content in contents.items():
        by_uri[src_uri].content_string = content
    return files


def page_language(src_uri: str) -> str:
    first = src_uri.split("/", 1)[0]
    return first if first in _languages else (_languages[0] if _languages else "")


def _site_rules(root: Path, registry: Registry | None) -> message_rules.SiteRules:
    """The message rules, loaded once per registry (the build loads them in on_config)."""
    global _message_rules
    if _message_rules is None or _message_rules.registry is not registry or _message_rules.path != root / message_rules.DEFAULT_PATH:
        try:
            _message_rules = message_rules.SiteRules(root, registry)
        except message_rules.RulesError as exc:
            raise ValueError(str(exc)) from None
    return _message_rules


def kb_page_markdown(markdown: str, *, lang: str, src_uri: str, docs_dir: Path, root: Path, registry: Registry | None) -> str:
    """What on_page_markdown does to a page's Markdown. scripts/kb applies it too before it parses a
    page, so that the pages it checks are the pages the build renders. Problems raise ValueError."""
    markdown = _site_rules(root, registry).expand(markdown, lang)  # the checker page's list of rules
    # Tools (issue 15): letter forms and cards; the logic is in scripts/page_tools.py.
    try:
        return page_tools.prepare(markdown, docs_dir, lang, src_uri.removeprefix(f"{lang}/"), root)
    except page_tools.ToolsError as exc:
        raise ValueError(str(exc)) from None


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
    for entry in normalise_basis(meta.get("legal_basis"))[0]:
        inst = _registry.instruments.get(entry.id) if _registry else None
        if inst is None:
            continue  # reported by scripts/kb.py check; the build does not guess
        basis.append(
            {
                "title": inst.title[lang],
                "kind": _registry.kind_label(inst.kind, lang) if _registry else inst.kind,
                "articles": [format_article(a, lang) for a in entry.articles],
                "url": inst.url,
            }
        )
    info["basis"] = basis
    # The law index of the page's own language (the template cannot tell the language folders).
    settings = (config.extra.get("kb") or {}) if config.extra else {}
    laws = files.get_file_from_path(f"{lang}/{settings.get('laws_page') or 'reference/laws.md'}")
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
    try:
        root = Path(config.config_file_path).resolve().parent
        return kb_page_markdown(markdown, lang=lang, src_uri=page.file.src_uri, docs_dir=Path(config.docs_dir), root=root, registry=_registry)
    except ValueError as exc:
        from mkdocs.exceptions import PluginError

        raise PluginError(str(exc)) from None


def on_post_build(config: Any) -> None:
    """The message checker's patterns as the JSON its page loads (never written into docs/)."""
    if _message_rules is not None:
        _message_rules.write_json(Path(config.site_dir))
