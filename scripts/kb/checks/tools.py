"""This project's tools (extra.kb): the message checker's rules file (scripts/message_rules.py,
issue 14), the letters' placeholders and cards' sources (scripts/page_tools.py, issue 15) and the
search keywords in front matter (scripts/search_keywords.py, issue 12).
Those modules are pure functions; this one hands them the model and turns their problems into
findings. They are this site's own rules, so they run only where extra.kb is configured."""

from __future__ import annotations

import multiprocessing
from collections.abc import Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from pathlib import Path

from ..generate import generated_paths
from ..model import Finding, Site
from ..registry import Registry, normalise_basis
from ..site import PARALLEL_FROM


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


# Letters, cards and keywords read every page's text again. On a large site they run in a forked
# process while the other checks run here (they need paths and texts only, not the model).
TextPage = tuple[Path, str, str, Path, bool]  # (path shown, language, path in the language, file, generated)


def _text_checks(root: Path, pages: list[TextPage]) -> list[Finding]:
    import page_tools
    from search_keywords import PageInput, check_keywords

    from ..walk import read_page

    found = page_tools.check(root, [(rel, lang, vpath, path) for rel, lang, vpath, path, _ in pages])
    inputs = [PageInput(rel, lang, read_page(path, rel)[0] or "", generated) for rel, lang, vpath, path, generated in pages]
    found += check_keywords(inputs)
    return found


class Pending:
    """Findings being computed, here or in a forked process."""

    def __init__(self, findings: list[Finding] | None = None, future: Future[list[Finding]] | None = None, pool: ProcessPoolExecutor | None = None) -> None:
        self._findings = findings or []
        self._future = future
        self._pool = pool

    def result(self) -> list[Finding]:
        if self._future is not None and self._pool is not None:
            self._findings = self._future.result()
            self._pool.shutdown()
            self._future = self._pool = None
        return self._findings


def start_text_checks(site: Site) -> Pending:
    """The letters, cards and keywords checks (issues 12 and 15), started."""
    config = site.config
    if config.kb is None:
        return Pending()
    generated = set(generated_paths(config))
    pages: list[TextPage] = [(page.rel, lang, page.vpath, page.path, page.vpath in generated) for lang in config.langs for page in site.pages_of(lang)]
    if len(pages) >= PARALLEL_FROM and "fork" in multiprocessing.get_all_start_methods():
        pool = ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("fork"))
        return Pending(future=pool.submit(_text_checks, config.root, pages), pool=pool)
    return Pending(_text_checks(config.root, pages))
