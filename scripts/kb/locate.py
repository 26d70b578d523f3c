"""The cheap line pass: where in the file a link or a question heading the parser found is written,
code fences that never close, and lines too long to parse in bounded time.

Python-Markdown does not keep source positions, so the tree tells *what* is on a page and this
module tells *where*. Every function here is linear in the size of the page.
"""

from __future__ import annotations

import bisect
import html
import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

LINE_LIMIT = 20_000  # characters; longer lines are reported and the page is not parsed
# Python-Markdown's inline parser rescans the rest of a paragraph for every `[` or `(` it cannot
# close, which is quadratic; past this many characters rescanned the page is reported, not parsed.
RESCAN_LIMIT = 2_000_000
# Deeply nested lists and quotes are also super-linear (300 list levels take seconds); past these
# the page is reported, not parsed.
INDENT_LIMIT = 400  # columns of leading white space
QUOTE_LIMIT = 100  # leading `>`

_FENCE_OPEN = re.compile(r"^[ \t]*(`{3,}|~{3,})(.*)$")
_FENCE_CLOSE = re.compile(r"^[ \t]*(`{3,}|~{3,})[ \t]*$")
_INLINE_DEST = re.compile(r"\]\([ \t]*(<[^>\n]*>|(?:[^\s()]|\([^\s()]*\))*)")
_REFDEF = re.compile(r"^[ \t]*(?:>[ \t]*)*\[([^\]\n]+)\]:[ \t]*(<[^>\n]*>|\S+)")
_HTML_ATTR = re.compile(r"""\b(?:href|src)[ \t]*=[ \t]*(?:"([^"\n]*)"|'([^'\n]*)'|([^\s"'>]+))""", re.IGNORECASE)
_FAQ_ATTR = re.compile(r"\{[^{}\n]*\.faq(?![\w-])[^{}\n]*\}")
_ATTR_ID = re.compile(r"""(?:^|[\s{])#([^\s}#.]+)|\bid=["']?([^"'\s}]+)""")
_NESTED = re.compile(r"\[[^\]]*\[")  # a bracket opened inside another
_ESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])")


@dataclass
class LineScan:
    fenced: list[bool]  # per line: inside a fenced code block (delimiters included)
    unclosed: list[tuple[int, int, str]] = field(default_factory=list)  # (line index, col, marker)
    long_lines: list[tuple[int, int]] = field(default_factory=list)  # (line index, length)
    rescan: int = 0  # estimated characters Python-Markdown's inline parser rescans (see RESCAN_LIMIT)
    rescan_line: int = 0  # line index where the paragraph costing the most starts
    too_deep: int | None = None  # line index of the first line nested past INDENT_LIMIT or QUOTE_LIMIT


def _indent(line: str) -> int:
    stripped = line.lstrip(" \t")
    width = len(line[: len(line) - len(stripped)].expandtabs(4))
    return width if width >= 4 else 0  # 0-3 spaces are the same level for a fence


def scan(lines: list[str]) -> LineScan:
    """Fences, over-long lines and the inline parser's rescanning cost, in one linear pass. A fence
    closes with at least as many of the same character at the same indentation, before its
    container ends (a later line indented less than the fence)."""
    result = LineScan([False] * len(lines))
    closers: dict[tuple[str, int, int], list[int]] = defaultdict(list)
    indents = [_indent(line) if line.strip() else -1 for line in lines]
    for index, line in enumerate(lines):
        if len(line) > LINE_LIMIT:
            result.long_lines.append((index, len(line)))
        if result.too_deep is None and line[:1] in (" ", "\t", ">") and _depth(line):
            result.too_deep = index
        if "`" in line or "~" in line:
            close = _FENCE_CLOSE.match(line)
            if close:
                closers[(close.group(1)[0], indents[index], len(close.group(1)))].append(index)
    # The first later non-blank line indented less than each line: where its container ends.
    container_end = [len(lines)] * len(lines)
    stack: list[int] = []
    for index in range(len(lines) - 1, -1, -1):
        if indents[index] < 0:
            continue
        while stack and indents[stack[-1]] >= indents[index]:
            stack.pop()
        container_end[index] = stack[-1] if stack else len(lines)
        stack.append(index)
    index = 0
    while index < len(lines):
        match = _FENCE_OPEN.match(lines[index]) if ("`" in lines[index] or "~" in lines[index]) else None
        if match and not (match.group(1)[0] == "`" and "`" in match.group(2)):
            marker = match.group(1)
            end = _next_closer(closers, marker[0], indents[index], len(marker), index)
            if end is None or end >= container_end[index]:
                result.unclosed.append((index, lines[index].index(marker) + 1, marker))
            else:
                for inner in range(index, end + 1):
                    result.fenced[inner] = True
                index = end + 1
                continue
        index += 1
    result.rescan, result.rescan_line = _rescan_cost(lines, result.fenced)
    return result


def _depth(line: str) -> bool:
    """Whether a line is nested past the limits (leading white space, or `>` quote markers)."""
    stripped = line.lstrip(" \t")
    if len(line[: len(line) - len(stripped)].expandtabs(4)) > INDENT_LIMIT:
        return True
    quotes = 0
    for char in stripped:
        if char == ">":
            quotes += 1
            if quotes > QUOTE_LIMIT:
                return True
        elif char not in " \t":
            break
    return False


def _next_closer(closers: dict[tuple[str, int, int], list[int]], char: str, indent: int, length: int, after: int) -> int | None:
    best: int | None = None
    for (kind, level, size), positions in closers.items():
        if kind != char or level != indent or size < length:
            continue
        at = bisect.bisect_right(positions, after)
        if at < len(positions) and (best is None or positions[at] < best):
            best = positions[at]
    return best


def _rescan_cost(lines: list[str], fenced: list[bool]) -> tuple[int, int]:
    """Estimated characters Python-Markdown's link parser rescans: for each paragraph, unclosed `[`
    and `](` times the paragraph's length, plus the span of every nested bracket pair; and the line
    where the costliest paragraph starts."""
    total = worst = worst_line = 0
    block_len = open_count = spans = start = 0
    for index, line in enumerate([*lines, ""]):
        if index == len(lines) or fenced[index] or not line.strip():
            cost = open_count * block_len + spans
            total += cost
            if cost > worst:
                worst, worst_line = cost, start
            block_len = open_count = spans = 0
            start = index + 1
            continue
        block_len += len(line) + 1
        # The exact count only for lines whose brackets nest or do not balance.
        if "[" in line and (_NESTED.search(line) or line.count("[") != line.count("]") or line.count("](") > line.count(")")):
            unclosed, spanned = _brackets_cost(line)
            open_count += unclosed
            spans += spanned
    return total, worst_line


def _brackets_cost(line: str) -> tuple[int, int]:
    """(`[` never closed on the line plus `](` whose `)` never comes, sum of the spans of bracket
    pairs that contain other brackets)."""
    stack: list[int] = []
    inner: list[bool] = []
    parens = spanned = 0
    previous = ""
    for index, char in enumerate(line):
        if char == "[":
            if inner:
                inner[-1] = True
            stack.append(index)
            inner.append(False)
        elif char == "]" and stack:
            opened = stack.pop()
            if inner.pop():
                spanned += index - opened
        elif char == "(" and previous == "]":
            parens += 1
        elif char == ")" and parens:
            parens -= 1
        previous = char
    return len(stack) + parens, spanned


def _key(text: str) -> str:
    text = text.strip()
    if text.startswith("<") and text.endswith(">"):
        text = text[1:-1]
    return html.unescape(_ESCAPE.sub(r"\1", text)).strip()


def _code_spans(line: str) -> list[tuple[int, int]]:
    """Code spans of one line, linear: a run of n backticks closes at the next run of exactly n."""
    runs: list[tuple[int, int]] = []
    index = 0
    while True:
        start = line.find("`", index)
        if start < 0:
            break
        end = start
        while end < len(line) and line[end] == "`":
            end += 1
        runs.append((start, end - start))
        index = end
    following: list[int | None] = [None] * len(runs)
    last: dict[int, int] = {}
    for number in range(len(runs) - 1, -1, -1):
        following[number] = last.get(runs[number][1])
        last[runs[number][1]] = number
    spans = []
    number = 0
    while number < len(runs):
        match = following[number]
        if match is None:
            number += 1
            continue
        spans.append((runs[number][0], runs[match][0] + runs[match][1]))
        number = match + 1
    return spans


def _in_spans(spans: list[tuple[int, int]], starts: list[int], pos: int) -> bool:
    at = bisect.bisect_right(starts, pos) - 1
    return at >= 0 and pos < spans[at][1]


def _brackets(line: str) -> dict[int, int]:
    """Index of each `]` -> index of the `[` it closes (backslash escapes skipped)."""
    pairs: dict[int, int] = {}
    stack: list[int] = []
    index = 0
    while index < len(line):
        char = line[index]
        if char == "\\":
            index += 2
            continue
        if char == "[":
            stack.append(index)
        elif char == "]" and stack:
            pairs[index] = stack.pop()
        index += 1
    return pairs


_UNSAFE = re.compile(r"^\s*(javascript|vbscript|data|file)\s*:", re.IGNORECASE)


def unsafe_attributes(lines: list[str], fenced: list[bool]) -> list[tuple[int, int, str, str]]:
    """(line index, col, scheme, value) of href/src attributes in raw HTML with a scheme that runs
    code or reads local files: raw HTML reaches the page as written, so the tree never sees them."""
    found = []
    for index, line in enumerate(lines):
        if fenced[index] or ("href" not in line.lower() and "src" not in line.lower()):
            continue
        spans = _code_spans(line) if "`" in line else []
        starts = [start for start, _ in spans]
        for match in _HTML_ATTR.finditer(line):
            if _in_spans(spans, starts, match.start()):
                continue
            value = html.unescape(next(group for group in match.groups() if group is not None))
            value = "".join(char for char in value if char not in "\t\n\r")
            unsafe = _UNSAFE.match(value)
            if unsafe and not (unsafe.group(1).lower() == "data" and match.group(0).lower().startswith("src")):
                found.append((index, match.start(), unsafe.group(1).lower(), value))
    return found


class Source:
    """Where a page's links are written, found on demand. The page text is dropped once parsing is
    done (pages travel back from worker processes) and read again only for a page with a finding."""

    def __init__(self, path: Path, rel: Path, lines: list[str] | None = None, offset: int = 0, fenced: list[bool] | None = None) -> None:
        self.path = path
        self.rel = rel
        self._parsed = (lines, offset, fenced) if lines is not None and fenced is not None else None
        self._locator: Locator | None = None

    def __getstate__(self) -> dict[str, object]:
        return {"path": self.path, "rel": self.rel, "_parsed": None, "_locator": None}

    def release(self) -> None:
        self._parsed = None

    def _get(self) -> Locator:
        if self._locator is None:
            if self._parsed is not None and self._parsed[0] is not None and self._parsed[2] is not None:
                self._locator = Locator(self._parsed[0], self._parsed[1], self._parsed[2])
            else:
                from . import frontmatter, walk

                front = frontmatter.split(walk.read_page(self.path, self.rel)[0] or "")
                lines = front.body.split("\n")
                self._locator = Locator(lines, front.offset, scan(lines).fenced)
        return self._locator

    def locate(self, target: str) -> tuple[int, int]:
        return self._get().link(target)

    def question(self, ident: str | None) -> tuple[int, int]:
        return self._get().question(ident)


class Locator:
    """Lines and columns of what the parser found, for one page body."""

    def __init__(self, lines: list[str], offset: int, fenced: list[bool]) -> None:
        self.lines = lines
        self.offset = offset  # lines of the file before the body
        self.fenced = fenced
        self._links: dict[str, list[tuple[int, int]]] | None = None
        self._used: dict[str, int] = {}
        self._fallback: dict[str, tuple[int, int]] = {}
        self._faq: list[tuple[int, int]] | None = None  # (line index, col) of each question heading
        self._faq_ids: dict[str, list[int]] = defaultdict(list)  # id -> positions in _faq
        self._faq_plain: list[int] = []  # positions in _faq of headings without an id
        self._faq_used: set[int] = set()
        self._faq_next = 0

    def _where(self, index: int, col: int) -> tuple[int, int]:
        return self.offset + index + 1, col + 1

    def _index_links(self) -> dict[str, list[tuple[int, int]]]:
        found: dict[str, list[tuple[int, int]]] = defaultdict(list)
        for index, line in enumerate(self.lines):
            if self.fenced[index] or ("](" not in line and "]:" not in line and "=" not in line):
                continue
            spans = _code_spans(line) if "`" in line else []
            starts = [start for start, _ in spans]

            def in_code(pos: int, spans: list[tuple[int, int]] = spans, starts: list[int] = starts) -> bool:
                return _in_spans(spans, starts, pos)

            if "](" in line:
                pairs = _brackets(line)
                for match in _INLINE_DEST.finditer(line):
                    if in_code(match.start()):
                        continue
                    start = pairs.get(match.start(), match.start())
                    if start > 0 and line[start - 1] == "!":
                        start -= 1
                    found[_key(match.group(1))].append(self._where(index, start))
            if "]:" in line:
                ref = _REFDEF.match(line)
                if ref and not in_code(ref.start(1)):
                    found[_key(ref.group(2))].append(self._where(index, ref.start(1) - 1))
            if "=" in line:
                for match in _HTML_ATTR.finditer(line):
                    if in_code(match.start()):
                        continue
                    value = next(group for group in match.groups() if group is not None)
                    tag = line.rfind("<", 0, match.start())
                    found[_key(value)].append(self._where(index, tag if tag >= 0 else match.start()))
        return found

    def link(self, target: str) -> tuple[int, int]:
        """Line and column of the next occurrence of a link to `target` (the same target twice is
        placed on its first and second occurrence, in order)."""
        if self._links is None:
            self._links = self._index_links()
        key = _key(target)
        places = self._links.get(key)
        if places:
            used = self._used.get(key, 0)
            self._used[key] = used + 1
            return places[min(used, len(places) - 1)]
        if target not in self._fallback:
            self._fallback[target] = (self.offset + 1, 1)
            for index, line in enumerate(self.lines):
                col = line.find(target) if target else -1
                if col >= 0 and not self.fenced[index]:
                    bracket = line.rfind("[", 0, col)
                    self._fallback[target] = self._where(index, bracket if bracket >= 0 else col)
                    break
        return self._fallback[target]

    def question(self, ident: str | None) -> tuple[int, int]:
        """Line and column of a question heading (a line with `.faq` in its attribute list): the
        one with this id, or the next one without an id."""
        if self._faq is None:
            self._faq = []
            for index, line in enumerate(self.lines):
                if ".faq" not in line or self.fenced[index]:
                    continue
                match = _FAQ_ATTR.search(line)
                if match:
                    position = len(self._faq)
                    self._faq.append((index, len(line) - len(line.lstrip())))
                    ids = _ATTR_ID.findall(match.group(0))
                    for found in ids:
                        self._faq_ids[found[0] or found[1]].append(position)
                    if not ids:
                        self._faq_plain.append(position)
        chosen: int | None = None
        if ident:
            chosen = next((n for n in self._faq_ids.get(ident, []) if n not in self._faq_used), None)
        else:
            while self._faq_next < len(self._faq_plain) and self._faq_plain[self._faq_next] in self._faq_used:
                self._faq_next += 1
            if self._faq_next < len(self._faq_plain):
                chosen = self._faq_plain[self._faq_next]
        if chosen is None:
            return self.offset + 1, 1
        self._faq_used.add(chosen)
        return self._where(*self._faq[chosen])
