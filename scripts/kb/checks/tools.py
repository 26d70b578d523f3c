"""This project's tools (extra.kb): the message checker's rules file (scripts/message_rules.py,
issue 14), the letters' placeholders and cards' sources (scripts/page_tools.py, issue 15) and the
search keywords in front matter (scripts/search_keywords.py, issue 12).
Those modules are pure functions; this one hands them the model and turns their problems into
findings. They are this site's own rules, so they run only where extra.kb is configured."""

from __future__ import annotations

from collections.abc import Iterator

from ..generate import generated_paths
from ..model import Finding, Site
from ..registry import Registry, normalise_basis


def check_message_rules(site: Site, registry: Registry | None) -> Iterator[Finding]:
    import message_rules

    config = site.config
    path = config.root / message_rules.DEFAULT_PATH
    if config.kb is None or not path.is_file():
        return
    rel = config.rel(path)
    try:
        rules = message_rules.load(path)
    except message_rules.RulesError as exc:
        yield Finding(rel, 1, 1, "rules-invalid", str(exc))
        return
    checker = rules.data.get("page")
    pages: dict[str, dict[str, message_rules.PageFacts]] = {lang: {} for lang in config.langs}
    for lang in config.langs:
        for page in site.pages_of(lang):
            basis = tuple(entry.id for entry in normalise_basis((page.meta or {}).get("legal_basis"))[0])
            text = page.read_text() if page.vpath == checker else ""
            pages[lang][page.vpath] = message_rules.PageFacts(frozenset(page.ids), basis, text)
    for problem in message_rules.validate(rules, registry, pages, config.kb.myths_page):
        yield Finding(rel, problem.line, problem.col, problem.code, problem.message, problem.severity)


def check_tools(site: Site) -> Iterator[Finding]:
    import page_tools

    config = site.config
    if config.kb is None:
        return
    pages = [(page.rel, lang, page.vpath, page.path) for lang in config.langs for page in site.pages_of(lang)]
    for found in page_tools.check(config.root, pages):
        yield Finding(found.path, found.line, found.col, found.code, found.message, found.severity)


def check_keywords(site: Site) -> Iterator[Finding]:
    from search_keywords import PageInput, check_keywords

    config = site.config
    if config.kb is None:
        return
    generated = set(generated_paths(config))
    pages = [PageInput(page.rel, lang, page.read_text(), page.vpath in generated) for lang in config.langs for page in site.pages_of(lang)]
    for found in check_keywords(pages):
        yield Finding(found.path, found.line, found.col, found.code, found.message, found.severity)
