"""Python-Markdown's inline pass without the calls that cannot match.

`InlineProcessor.__handleInline` tries every inline pattern, in priority order, on every piece of
text: about 16 patterns here, each a Python call that runs the pattern's regex over the text. Most
text (a sentence, a list item) contains none of the characters a pattern can start with, so most of
those calls find nothing, and they are 40 % of the whole parse.

`FastInlineProcessor` runs the same loop, with the same patterns in the same order, but first asks
two cheap questions of each pattern: is any character its regex can start with in the text at all
(a set test), and can its regex start anywhere from here? Each pattern's *prefix* (the characters
its first matched positions can be, read from the compiled regex by `prefix_regex`) is searched
for; when either answer is no, `finditer` would have found nothing either, and the loop moves on
exactly as `__applyPattern` does when nothing matches (next pattern, search from the start). When
both are yes, the stock `__applyPattern` runs. The result is therefore the same tree, which
tests/test_kb_fastparse.py checks against the stock processor (every page of this site, the
divergence corpus, generated Markdown).

A regex whose start cannot be read exactly (a category such as \\w, a negated class, `.`, a group
reference, ignore-case, a pattern that can match the empty string, an old-style `Pattern`) gets no
prefix and is always tried. The replacement is installed only where Python-Markdown's loop is the
one this module reproduces (its source is compared), so an upgrade falls back to the stock loop.
"""

from __future__ import annotations

import hashlib
import inspect
import re
import xml.etree.ElementTree as etree
from re import _constants as sre  # type: ignore[attr-defined]
from re import _parser as sre_parse  # type: ignore[attr-defined]
from typing import Any

import markdown
from markdown import util
from markdown.treeprocessors import InlineProcessor

# sha256 of the sources of InlineProcessor.__handleInline, whose loop FastInlineProcessor
# reproduces, and __applyPattern, which puts only a placeholder into the text it matches in
# (Python-Markdown 3.11.3). Another source: the stock processor is kept.
_SOURCE_SHA256 = "119948d21d8e3ab99cadd369c859cfd212a2fd7352592a61508a204f9d0e0ebf"
# The characters of util.INLINE_PLACEHOLDER, the only ones __applyPattern adds to the text.
_PLACEHOLDER_CHARS = frozenset(util.INLINE_PLACEHOLDER % "0123456789")
_RANGE_LIMIT = 256  # characters of a class range spelled out; wider ranges give no prefix

_ZERO_WIDTH = (sre.AT, sre.ASSERT, sre.ASSERT_NOT)


def _class_chars(items: list[tuple[Any, Any]]) -> set[str] | None:
    """The characters of a character class [..], or None (negated, categories, wide ranges)."""
    chars: set[str] = set()
    for op, av in items:
        if op is sre.LITERAL:
            chars.add(chr(av))
        elif op is sre.RANGE and av[1] - av[0] < _RANGE_LIMIT:
            chars.update(chr(code) for code in range(av[0], av[1] + 1))
        else:
            return None
    return chars


def _single(op: Any, av: Any) -> set[str] | None:
    """The characters one item consumes when it is exactly one character, else None."""
    if op is sre.LITERAL:
        return {chr(av)}
    if op is sre.IN:
        return _class_chars(av)
    return None


def _first(items: Any) -> tuple[set[str] | None, bool]:
    """(the characters a match of this sequence can start with or None if unknown, whether the
    sequence can match the empty string)."""
    chars: set[str] = set()
    for op, av in items:
        if op in _ZERO_WIDTH:
            continue  # consumes nothing: the first character comes later (any assertion only narrows it)
        single = _single(op, av)
        if single is not None:
            return chars | single, False
        if op is sre.SUBPATTERN:
            _group, add_flags, _del_flags, inner = av
            if add_flags & re.IGNORECASE:
                return None, True
            found, empty = _first(inner)
        elif op is sre.ATOMIC_GROUP:
            found, empty = _first(av)
        elif op in (sre.MAX_REPEAT, sre.MIN_REPEAT, sre.POSSESSIVE_REPEAT):
            low, _high, inner = av
            found, empty = _first(inner)
            empty = empty or low == 0
        elif op is sre.BRANCH:
            found, empty = set(), False
            for branch in av[1]:
                branch_chars, branch_empty = _first(branch)
                if branch_chars is None:
                    return None, True
                found |= branch_chars
                empty = empty or branch_empty
        else:  # ANY, NOT_LITERAL, GROUPREF, GROUPREF_EXISTS, ...: not read
            return None, True
        if found is None:
            return None, True
        chars |= found
        if not empty:
            return chars, False
    return chars, True


def _class(chars: set[str]) -> str:
    return "[" + "".join(re.escape(char) for char in sorted(chars)) + "]"


def prefix_regex(compiled: re.Pattern[str]) -> str | None:
    """A regex that finds, at or before every position where `compiled` can match, the start of
    that match (its leading fixed characters, else its first character); None when it cannot be read."""
    if not isinstance(compiled.pattern, str) or compiled.flags & re.IGNORECASE:
        return None
    try:
        items = list(sre_parse.parse(compiled.pattern, compiled.flags))
    except Exception:  # noqa: BLE001 - a pattern the parser of this Python does not read: no prefix
        return None
    fixed: list[str] = []
    for op, av in items:
        if op in _ZERO_WIDTH:
            continue
        single = _single(op, av)
        if single is None:
            break
        fixed.append(_class(single))
    if fixed:
        return "".join(fixed)
    chars, empty = _first(items)
    if chars is None or empty or not chars:
        return None
    return _class(chars)


def _first_chars(compiled: re.Pattern[str]) -> frozenset[str] | None:
    """The characters a match of `compiled` can start with, or None when they cannot be read."""
    if not isinstance(compiled.pattern, str) or compiled.flags & re.IGNORECASE:
        return None
    try:
        items = list(sre_parse.parse(compiled.pattern, compiled.flags))
    except Exception:  # noqa: BLE001 - a pattern the parser of this Python does not read
        return None
    chars, empty = _first(items)
    return None if chars is None or empty or not chars else frozenset(chars)


def _source_hash() -> str:
    try:
        sources = [inspect.getsource(getattr(InlineProcessor, name)) for name in ("_InlineProcessor__handleInline", "_InlineProcessor__applyPattern")]
    except (AttributeError, OSError, TypeError):
        return ""
    return hashlib.sha256("\n".join(inspect.cleandoc(source) for source in sources).encode()).hexdigest()


def supported() -> bool:
    """Whether Python-Markdown's inline loop is the one FastInlineProcessor reproduces."""
    return _source_hash() == _SOURCE_SHA256


class FastInlineProcessor(InlineProcessor):  # type: ignore[misc]
    """InlineProcessor that skips the patterns whose regex cannot start in the rest of the text."""

    def __init__(self, md: markdown.Markdown) -> None:
        super().__init__(md)
        self._key: tuple[tuple[int, int], ...] = ()
        self._patterns: list[Any] = []
        self._firsts: list[frozenset[str] | None] = []  # the characters a match can start with, per pattern
        self._prefixes: list[Any] = []  # compiled prefix per pattern, None: always tried
        self._any: re.Pattern[str] | None = None  # any pattern's prefix (None: some pattern has none)

    def _refresh(self) -> None:
        """The patterns in priority order and their prefixes, read again when the registry or a
        pattern's regex has changed since the last page."""
        patterns = list(self.inlinePatterns)
        compiled = [pattern.getCompiledRegExp() for pattern in patterns]
        key = tuple((id(pattern), id(regex)) for pattern, regex in zip(patterns, compiled, strict=True))
        if key == self._key:
            return
        sources = [prefix_regex(regex) if isinstance(pattern, markdown.inlinepatterns.InlineProcessor) else None for pattern, regex in zip(patterns, compiled, strict=True)]
        self._patterns = patterns
        self._firsts = [_first_chars(regex) if source is not None else None for regex, source in zip(compiled, sources, strict=True)]
        self._prefixes = [re.compile(source) if source is not None else None for source in sources]
        self._any = re.compile("|".join(sources)) if sources and all(source is not None for source in sources) else None  # type: ignore[arg-type]
        self._key = key

    def run(self, tree: etree.Element, ancestors: list[str] | None = None) -> etree.Element:
        self._refresh()
        result: etree.Element = super().run(tree, ancestors)
        return result

    def _InlineProcessor__handleInline(self, data: str, patternIndex: int = 0) -> str:
        """InlineProcessor.__handleInline, with a pattern whose prefix is absent treated as the
        stock `__applyPattern` treats a pattern that does not match: (data, False, 0)."""
        if not isinstance(data, util.AtomicString):
            if self._any is not None and self._any.search(data) is None:
                return data
            startIndex = 0
            patterns = self._patterns
            firsts = self._firsts
            prefixes = self._prefixes
            count = len(patterns)
            apply = self._InlineProcessor__applyPattern
            present = set(data)  # a superset of the characters from startIndex on, then and after each match
            while patternIndex < count:
                first = firsts[patternIndex]
                prefix = prefixes[patternIndex]
                if (first is not None and first.isdisjoint(present)) or (prefix is not None and prefix.search(data, startIndex) is None):
                    patternIndex += 1
                    startIndex = 0
                    continue
                data, matched, startIndex = apply(patterns[patternIndex], data, patternIndex, startIndex)
                if matched:  # the text now also holds a placeholder, and no character it did not hold before
                    present |= _PLACEHOLDER_CHARS
                else:
                    patternIndex += 1
        return data


def install(md: markdown.Markdown) -> bool:
    """Put FastInlineProcessor in the place of the stock 'inline' tree processor (same priority)."""
    if "inline" not in md.treeprocessors or type(md.treeprocessors["inline"]) is not InlineProcessor or not supported():
        return False
    priority = next(item.priority for item in md.treeprocessors._priority if item.name == "inline")
    md.treeprocessors.register(FastInlineProcessor(md), "inline", priority)
    return True
