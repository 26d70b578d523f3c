"""The registry of legal instruments (data/laws.yml) and the `legal_basis` front matter that cites it.

Generator-independent: the MkDocs hook and scripts/kb.py both use it, and a move to another
static-site generator only needs a new thin adapter.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

LANGS = ("zh", "en")
NOT_CURRENT = frozenset({"superseded", "repealed"})
_REQUIRED = ("id", "title", "kind", "issuer", "status", "confidence")
_ARTICLE = re.compile(r"^(\d+)(?:-(\d+))?((?:\(\d+\))*)$")
_ZH_DIGITS = "零一二三四五六七八九十"


class RegistryError(Exception):
    """A problem in the registry file, with the line it was found on (1-based, 0 if unknown)."""

    def __init__(self, path: Path, line: int, message: str) -> None:
        super().__init__(f"{path}:{line}: {message}")
        self.path = path
        self.line = line
        self.message = message


@dataclass(frozen=True)
class Instrument:
    id: str
    title: dict[str, str]
    kind: str
    issuer: dict[str, str]
    status: str
    confidence: str
    line: int
    number: dict[str, str] = field(default_factory=dict)
    adopted: dt.date | None = None
    effective: dt.date | None = None
    url: str | None = None
    note: dict[str, str] = field(default_factory=dict)

    @property
    def current(self) -> bool:
        return self.status not in NOT_CURRENT


@dataclass(frozen=True)
class Registry:
    path: Path
    kinds: dict[str, dict[str, str]]
    statuses: dict[str, dict[str, str]]
    instruments: dict[str, Instrument]

    def kind_label(self, kind: str, lang: str) -> str:
        return self.kinds.get(kind, {}).get(lang, kind)

    def status_label(self, status: str, lang: str) -> str:
        return self.statuses.get(status, {}).get(lang, status)


class _LineLoader(yaml.SafeLoader):
    """A safe loader that records the line of every mapping as `__line__`."""


def _construct_mapping(loader: _LineLoader, node: yaml.MappingNode) -> dict[Any, Any]:
    mapping = loader.construct_mapping(node, deep=True)
    mapping["__line__"] = node.start_mark.line + 1
    return mapping


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def _bilingual(path: Path, line: int, value: object, what: str, required: bool = True) -> dict[str, str]:
    if value is None and not required:
        return {}
    if not isinstance(value, dict) or any(not isinstance(value.get(lang), str) or not value.get(lang) for lang in LANGS):
        raise RegistryError(path, line, f"{what} needs a non-empty 'zh' and 'en' text")
    return {lang: str(value[lang]) for lang in LANGS}


def _date(path: Path, line: int, value: object, what: str) -> dt.date | None:
    if value is None or isinstance(value, dt.date):
        return value
    raise RegistryError(path, line, f"{what} must be a date (YYYY-MM-DD) or null, not {value!r}")


def load_registry(path: Path) -> Registry:
    """Read and validate the registry; raise RegistryError naming the file and line of any problem."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise RegistryError(path, 0, f"cannot read the registry: {exc}") from None
    try:
        data = yaml.load(text, Loader=_LineLoader)  # noqa: S506 - _LineLoader is a SafeLoader
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise RegistryError(path, mark.line + 1 if mark else 0, f"invalid YAML: {exc}") from None
    if not isinstance(data, dict):
        raise RegistryError(path, 1, "the registry must be a mapping with 'kinds', 'statuses' and 'instruments'")
    kinds = {k: _bilingual(path, data["__line__"], v, f"kind {k!r}") for k, v in (data.get("kinds") or {}).items() if k != "__line__"}
    statuses = {k: _bilingual(path, data["__line__"], v, f"status {k!r}") for k, v in (data.get("statuses") or {}).items() if k != "__line__"}
    items = data.get("instruments")
    if not isinstance(items, list):
        raise RegistryError(path, data["__line__"], "'instruments' must be a list")
    instruments: dict[str, Instrument] = {}
    for item in items:
        if not isinstance(item, dict):
            raise RegistryError(path, data["__line__"], f"every instrument must be a mapping, not {item!r}")
        line = int(item["__line__"])
        missing = [key for key in _REQUIRED if not item.get(key)]
        if missing:
            raise RegistryError(path, line, f"instrument is missing {', '.join(missing)}")
        ident = str(item["id"])
        if ident in instruments:
            raise RegistryError(path, line, f"duplicate instrument id {ident!r} (first at line {instruments[ident].line})")
        if item["kind"] not in kinds:
            raise RegistryError(path, line, f"{ident}: unknown kind {item['kind']!r}; known: {', '.join(kinds)}")
        if item["status"] not in statuses:
            raise RegistryError(path, line, f"{ident}: unknown status {item['status']!r}; known: {', '.join(statuses)}")
        if item["confidence"] not in ("VERIFIED", "REPORTED"):
            raise RegistryError(path, line, f"{ident}: confidence must be VERIFIED or REPORTED (UNCERTAIN items are not listed)")
        url = item.get("url")
        if url is not None and not (isinstance(url, str) and url.startswith(("http://", "https://"))):
            raise RegistryError(path, line, f"{ident}: url must be an http(s) address or null")
        instruments[ident] = Instrument(
            id=ident,
            title=_bilingual(path, line, item["title"], f"{ident}: title"),
            kind=str(item["kind"]),
            issuer=_bilingual(path, line, item["issuer"], f"{ident}: issuer"),
            status=str(item["status"]),
            confidence=str(item["confidence"]),
            line=line,
            number=_bilingual(path, line, item.get("number"), f"{ident}: number", required=False),
            adopted=_date(path, line, item.get("adopted"), f"{ident}: adopted"),
            effective=_date(path, line, item.get("effective"), f"{ident}: effective"),
            url=url,
            note={lang: str(item[f"note_{lang}"]) for lang in LANGS if item.get(f"note_{lang}")},
        )
    return Registry(path=path, kinds=kinds, statuses=statuses, instruments=instruments)


def format_article(article: str, lang: str) -> str:
    """'293-1' -> '第 293 条之一' / 'art. 293-1'; '50(1)(5)' -> '第 50 条第 1 款第 5 项' / 'art. 50(1)(5)'."""
    match = _ARTICLE.match(article.strip())
    if lang == "en":
        return f"art. {article.strip()}"
    if not match:
        return article.strip()
    number, sub, parts = match.groups()
    text = f"第 {number} 条"
    if sub:
        text += "之" + (_ZH_DIGITS[int(sub)] if int(sub) <= 10 else sub)
    levels = re.findall(r"\((\d+)\)", parts)
    for level, unit in zip(levels, ("款", "项", "目")):
        text += f"第 {level} {unit}"
    return text


def format_date(value: dt.date, lang: str) -> str:
    if lang == "zh":
        return f"{value.year} 年 {value.month} 月 {value.day} 日"
    return f"{value.day} {value.strftime('%B')} {value.year}"


def basis_entries(value: object) -> list[tuple[str, list[str]]]:
    """Normalise a page's `legal_basis` list into (id, [articles]) pairs; invalid items are skipped
    here (scripts/kb.py check reports them)."""
    entries: list[tuple[str, list[str]]] = []
    if not isinstance(value, list):
        return entries
    for item in value:
        if isinstance(item, str):
            entries.append((item, []))
        elif isinstance(item, dict) and isinstance(item.get("id"), str):
            articles = item.get("articles") or []
            if isinstance(articles, (str, int)):
                articles = [articles]
            entries.append((item["id"], [str(a) for a in articles if isinstance(a, (str, int))]))
    return entries
