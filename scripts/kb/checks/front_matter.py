"""This project's front matter rules (extra.kb): title, description, reviewed and legal_basis on every
page, plain text where templates print a value, real and current citations."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator

from ..generate import generated_paths
from ..model import Finding, Page, Site
from ..registry import NOT_CURRENT, Registry, normalise_basis

# Fields templates print: markup in them would reach the HTML (MkDocs' Jinja does not escape).
_PRINTED = ("title", "subtitle", "status", "description")
_MARKUP = re.compile(r"[<>]|&(?:#[0-9]+|#[xX][0-9a-fA-F]+|[A-Za-z][A-Za-z0-9]*);|[\x00-\x08\x0b-\x1f\x7f]")


def _year_before(today: dt.date) -> dt.date:
    try:
        return today.replace(year=today.year - 1)
    except ValueError:  # 29 February
        return today.replace(year=today.year - 1, day=28)


def check(site: Site, registry: Registry | None, today: dt.date) -> Iterator[Finding]:
    config = site.config
    if config.kb is None:
        return
    generated = set(generated_paths(config))
    for page in sorted(site.pages.values(), key=lambda p: p.file.uri):
        if page.meta is None:
            if not page.problems:
                yield Finding(page.rel, 1, 1, "missing-field", "no front matter: every page needs title, description, reviewed and legal_basis")
            continue
        if not page.meta and any(p.code in ("front-matter-invalid", "yaml-alias") for p in page.problems):
            continue
        yield from _fields(page, today)
        yield from _basis(site, page, registry, generated)


def _fields(page: Page, today: dt.date) -> Iterator[Finding]:
    meta, lines = page.meta or {}, page.meta_lines
    for key in ("title", "description"):
        if key not in meta or meta[key] is None or meta[key] == "":
            yield Finding(page.rel, lines.get(key, 1), 1, "missing-field", f"front matter needs a {key}")
        elif not isinstance(meta[key], str):
            yield Finding(page.rel, lines.get(key, 1), 1, "front-matter-invalid", f"{key} must be text, not {type(meta[key]).__name__}")
    for key in _PRINTED:
        value = meta.get(key)
        if key in ("subtitle", "status") and value is not None and not isinstance(value, str):
            yield Finding(page.rel, lines.get(key, 1), 1, "front-matter-invalid", f"{key} must be text, not {type(value).__name__}")
        elif isinstance(value, str) and _MARKUP.search(value):
            yield Finding(page.rel, lines.get(key, 1), 1, "markup-in-field", f"{key} must be plain text: no <, >, character references or control characters (templates print it as it is)")
    reviewed = meta.get("reviewed")
    line = lines.get("reviewed", 1)
    if reviewed is None:
        yield Finding(page.rel, line, 1, "missing-field", "front matter needs reviewed: YYYY-MM-DD (the date the page was last checked)")
    elif not isinstance(reviewed, dt.date):
        yield Finding(page.rel, line, 1, "front-matter-invalid", f"reviewed must be a date written YYYY-MM-DD without quotes, not {str(reviewed)[:40]!r}")
    else:
        day = reviewed.date() if isinstance(reviewed, dt.datetime) else reviewed
        if day > today:
            yield Finding(page.rel, line, 1, "reviewed-future", f"reviewed {day.isoformat()} is in the future (today is {today.isoformat()})")
        elif day < _year_before(today):
            yield Finding(page.rel, line, 1, "reviewed-stale", f"reviewed {day.isoformat()} is more than 12 months ago: check the page and update the date", "warning")


def _basis(site: Site, page: Page, registry: Registry | None, generated: set[str]) -> Iterator[Finding]:
    meta, lines = page.meta or {}, page.meta_lines
    if "legal_basis" not in meta:
        yield Finding(page.rel, 1, 1, "missing-field", "front matter needs legal_basis: a list of {id, articles} from the registry ([] only on about/ and generated pages)")
        return
    line = lines.get("legal_basis", 1)
    entries, problems = normalise_basis(meta["legal_basis"])

    def entry_line(index: int | None) -> int:
        return page.basis_lines[index] if index is not None and index < len(page.basis_lines) else line

    for problem in problems:
        yield Finding(page.rel, entry_line(problem.index), 1, problem.code, problem.message)
    exempt = page.vpath.startswith("about/") or page.vpath in generated
    if (meta["legal_basis"] is None or meta["legal_basis"] == []) and not exempt:
        yield Finding(page.rel, line, 1, "missing-field", "legal_basis is empty: cite at least one instrument (an empty list is only for about/ and generated pages)")
    if registry is None:
        return
    myths = site.config.kb.myths_page if site.config.kb else None
    for entry in entries:
        instrument = registry.instruments.get(entry.id)
        if instrument is None:
            yield Finding(page.rel, entry_line(entry.index), 1, "unknown-instrument", f"{entry.id[:80]!r} is not in {site.config.rel(registry.path).as_posix()}")
        elif instrument.status in NOT_CURRENT and page.vpath != myths:
            yield Finding(
                page.rel, entry_line(entry.index), 1, "repealed-instrument", f"{entry.id} is {instrument.status}; cite the instrument in force (only {myths or 'the myths page'} may cite it)"
            )
