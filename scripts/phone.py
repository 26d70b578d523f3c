"""Reading on a phone (issue 13): tap-to-call links, labels that let wide tables become stacked cards,
question jump lists, and the feedback e-mail link.

Generator-independent: every function takes and returns plain strings and data. The MkDocs adapter
(scripts/mkdocs_hooks.py) calls them with a line each, so another generator can call them the same
way. HTML is changed by splicing into the original text at offsets found by Python's HTMLParser:
nothing is re-serialised, so the rest of a page stays byte for byte as the generator wrote it.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import quote

import yaml

# ----------------------------------------------------------------------------------------------
# Walking HTML with offsets
# ----------------------------------------------------------------------------------------------

_VOID = frozenset(["area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source", "track", "wbr"])


@dataclass(frozen=True)
class Event:
    kind: str  # "start", "end" or "data"
    start: int  # offset of the construct in the source
    end: int  # offset just after it
    tag: str = ""  # start and end events
    attrs: tuple[tuple[str, str], ...] = ()  # start events
    text: str = ""  # data events: the raw text (character references are separate events)
    open: tuple[str, ...] = ()  # the elements open around this event, outermost first


class _Walker(HTMLParser):
    def __init__(self, source: str) -> None:
        super().__init__(convert_charrefs=False)
        self.source = source
        self.lines = [0] + [m.end() for m in re.finditer("\n", source)]
        self.stack: list[str] = []
        self.events: list[Event] = []

    def _offset(self) -> int:
        line, col = self.getpos()
        return self.lines[line - 1] + col

    def _start(self, tag: str, attrs: list[tuple[str, str | None]], void: bool) -> None:
        start = self._offset()
        raw = self.get_starttag_text() or ""
        clean = tuple((k, v or "") for k, v in attrs)
        self.events.append(Event("start", start, start + len(raw), tag=tag, attrs=clean, open=tuple(self.stack)))
        if not void:
            self.stack.append(tag)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._start(tag, attrs, tag in _VOID)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._start(tag, attrs, True)

    def handle_endtag(self, tag: str) -> None:
        start = self._offset()
        close = self.source.find(">", start)
        end = close + 1 if close >= 0 else len(self.source)
        if tag in self.stack:
            while self.stack.pop() != tag:
                pass
        self.events.append(Event("end", start, end, tag=tag, open=tuple(self.stack)))

    def handle_data(self, data: str) -> None:
        start = self._offset()
        self.events.append(Event("data", start, start + len(data), text=data, open=tuple(self.stack)))

    def _ref(self, raw: str) -> None:
        start = self._offset()
        self.events.append(Event("data", start, start + len(raw), text=html.unescape(raw), open=tuple(self.stack)))

    def handle_entityref(self, name: str) -> None:
        self._ref(f"&{name};" if self.source.startswith(f"&{name};", self._offset()) else f"&{name}")

    def handle_charref(self, name: str) -> None:
        self._ref(f"&#{name};" if self.source.startswith(f"&#{name};", self._offset()) else f"&#{name}")


def walk(source: str) -> list[Event]:
    """The start tags, end tags and text of an HTML string, with their offsets."""
    walker = _Walker(source)
    walker.feed(source)
    walker.close()
    return walker.events


def splice(source: str, edits: list[tuple[int, int, str]]) -> str:
    """Replace source[start:end] by text for each (start, end, text); edits must not overlap."""
    out, pos = [], 0
    for start, end, text in sorted(edits, key=lambda e: (e[0], e[1])):
        out += [source[pos:start], text]
        pos = end
    out.append(source[pos:])
    return "".join(out)


def _attr(attrs: tuple[tuple[str, str], ...], name: str) -> str | None:
    for key, value in attrs:
        if key == name:
            return value
    return None


def _classes(attrs: tuple[tuple[str, str], ...]) -> list[str]:
    return (_attr(attrs, "class") or "").split()


def _tag_end(source: str, event: Event) -> int:
    """Where to insert an attribute into a start tag: before its `>` or `/>`."""
    end = event.end - 1
    if source[end - 1 : end] == "/":
        end -= 1
    return end


# ----------------------------------------------------------------------------------------------
# Tap to call
# ----------------------------------------------------------------------------------------------


class HotlineError(Exception):
    """A problem in data/hotlines.yml, with its file and line."""

    def __init__(self, path: Path, line: int, message: str) -> None:
        super().__init__(f"{path}:{line}: {message}")


@dataclass(frozen=True)
class Hotline:
    number: str  # as the pages write it
    dial: str  # what the tel: link dials


_NUMBER = re.compile(r"^[0-9][0-9-]*[0-9]$")


def load_hotlines(path: Path) -> list[Hotline]:
    """Read data/hotlines.yml; a missing or malformed file raises HotlineError naming the line."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise HotlineError(path, 0, f"cannot read: {exc.strerror or exc}") from None
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise HotlineError(path, mark.line + 1 if mark else 0, f"not valid YAML: {getattr(exc, 'problem', exc)}") from None
    if not isinstance(root, yaml.MappingNode):
        raise HotlineError(path, 1, "expected a mapping with a `hotlines:` list")
    entries = next((value for key, value in root.value if key.value == "hotlines"), None)
    if not isinstance(entries, yaml.SequenceNode):
        raise HotlineError(path, root.start_mark.line + 1, "expected a `hotlines:` list")
    found: list[Hotline] = []
    for node in entries.value:
        line = node.start_mark.line + 1
        if not isinstance(node, yaml.MappingNode):
            raise HotlineError(path, line, "each hotline is a mapping with `number:`")
        fields = {key.value: value for key, value in node.value}
        values: dict[str, str] = {}
        for name in ("number", "dial"):
            value = fields.get(name)
            if value is None:
                continue
            if not isinstance(value, yaml.ScalarNode) or not value.tag.endswith(":str") or not _NUMBER.match(str(value.value)):
                raise HotlineError(path, value.start_mark.line + 1, f"`{name}` must be digits, optionally with '-', in quotes (e.g. \"12378\")")
            values[name] = str(value.value)
        if "number" not in values:
            raise HotlineError(path, line, "hotline without `number:`")
        if any(h.number == values["number"] for h in found):
            raise HotlineError(path, line, f"{values['number']} is listed twice")
        found.append(Hotline(values["number"], values.get("dial", values["number"])))
    return found


# Elements whose text is never linked: links and controls (no link inside a link or a button),
# code, headings (the page outline and the jump lists repeat them), the document head and scripts.
NO_LINK_INSIDE = frozenset(
    [
        "a",
        "button",
        "label",
        "select",
        "option",
        "textarea",
        "summary",
        "code",
        "pre",
        "kbd",
        "samp",
        "script",
        "style",
        "template",
        "title",
        "head",
        "svg",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "header",
    ]
)
# A number is part of something else when it touches these (12378-2, www.12321.cn, #110, 1.110) ...
_JOINED_BEFORE = frozenset("-./+#@:%&_")
_JOINED_AFTER = frozenset("-./:@%_")
# ... or when it is an article number, an order number, an amount or a date.
_WORD_BEFORE = re.compile(r"(?:第|No\.|no\.|arts?\.|articles?|¥|￥|RMB|order)\s*$", re.IGNORECASE)
_WORD_AFTER = re.compile(r"^\s*(?:条|款|项|号|元|年|月|日|%|％|yuan)")


def hotline_pattern(hotlines: list[Hotline]) -> re.Pattern[str]:
    numbers = sorted({h.number for h in hotlines}, key=len, reverse=True)
    return re.compile(r"(?<![0-9A-Za-z])(?:" + "|".join(re.escape(n) for n in numbers) + r")(?![0-9A-Za-z])")


def hotline_matches(text: str, pattern: re.Pattern[str]) -> Iterator[re.Match[str]]:
    """The matches of known numbers in a text that stand on their own as telephone numbers."""
    for match in pattern.finditer(text):
        before, after = text[: match.start()], text[match.end() :]
        if before[-1:] in _JOINED_BEFORE or (after[:1] in _JOINED_AFTER and after[1:2].isalnum()):
            continue
        if _WORD_BEFORE.search(before[-12:]) or _WORD_AFTER.match(after[:6]):
            continue
        yield match


def link_hotlines(source: str, hotlines: list[Hotline]) -> str:
    """Make every known number in the text of an HTML page a tel: link (class kb-tel)."""
    if not hotlines:
        return source
    pattern = hotline_pattern(hotlines)
    dial = {h.number: h.dial for h in hotlines}
    events = walk(source)
    edits: list[tuple[int, int, str]] = []
    # Adjacent text events (split by character references) are read together, so that "第&nbsp;110"
    # is seen whole; only plain-text events are ever rewritten.
    run: list[Event] = []

    def flush() -> None:
        if not run:
            return
        text = "".join(e.text for e in run)
        offsets, pos = [], 0
        for e in run:
            offsets.append((pos, pos + len(e.text), e))
            pos += len(e.text)
        for match in hotline_matches(text, pattern):
            for lo, hi, e in offsets:
                if lo <= match.start() and match.end() <= hi and e.end - e.start == len(e.text):
                    start = e.start + match.start() - lo
                    number = match.group(0)
                    href = "tel:" + dial[number]
                    edits.append((start, start + len(number), f'<a class="kb-tel" href="{html.escape(href)}">{number}</a>'))
                    break
        run.clear()

    for event in events:
        if event.kind == "data" and not NO_LINK_INSIDE.intersection(event.open):
            run.append(event)
        else:
            flush()
    flush()
    return splice(source, edits) if edits else source


# ----------------------------------------------------------------------------------------------
# Tables: labels for stacked cards
# ----------------------------------------------------------------------------------------------


def _text(parts: list[str]) -> str:
    return re.sub(r"\s+", " ", "".join(parts)).strip()


def label_tables(source: str) -> str:
    """Give each body cell the text of its column header (`data-label`), each table of three or more
    columns `data-kb-cards`, and each body row without any text `data-kb-blank`. CSS (extra.css) turns
    the marked tables into one card per row on small screens, each value under its label, and hides
    the blank rows (kept for printing) there."""
    events = walk(source)
    edits: list[tuple[int, int, str]] = []
    depth = 0  # only top-level tables; a nested table is left alone
    table: Event | None = None
    headers: list[str] = []
    cell: list[str] | None = None
    in_head = False
    row: list[tuple[Event, list[str]]] = []
    row_start: Event | None = None
    for event in events:
        if event.kind == "start" and event.tag == "table":
            depth += 1
            if depth == 1:
                table, headers, row = event, [], []
            continue
        if event.kind == "end" and event.tag == "table":
            if depth == 1 and table is not None and len(headers) >= 3:
                edits.append((_tag_end(source, table), _tag_end(source, table), " data-kb-cards"))
            depth = max(depth - 1, 0)
            continue
        if depth != 1:
            continue
        if event.kind == "start" and event.tag == "thead":
            in_head = True
        elif event.kind == "end" and event.tag == "thead":
            in_head = False
        elif event.kind == "start" and event.tag == "tr":
            row, row_start = [], event
        elif event.kind == "start" and event.tag in ("th", "td"):
            cell = []
            if not in_head:
                row.append((event, cell))
        elif event.kind == "end" and event.tag in ("th", "td"):
            if in_head and cell is not None:
                headers.append(_text(cell))
            cell = None
        elif event.kind == "data" and cell is not None:
            cell.append(event.text)
        elif event.kind == "end" and event.tag == "tr" and not in_head and headers:
            for index, (start, parts) in enumerate(row):
                if index < len(headers) and headers[index]:
                    at = _tag_end(source, start)
                    edits.append((at, at, f' data-label="{html.escape(headers[index])}"'))
            if row_start is not None and row and not any(_text(parts).replace("\xa0", "") for _, parts in row):
                at = _tag_end(source, row_start)
                edits.append((at, at, " data-kb-blank"))
    return splice(source, edits) if edits else source


# ----------------------------------------------------------------------------------------------
# Jump lists
# ----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Heading:
    level: int
    id: str
    text: str
    question: bool  # has the `faq` class


def headings(source: str) -> list[Heading]:
    """The h2 and h3 headings of rendered page content that have an id, with their plain text
    (without the permalink sign)."""
    found: list[Heading] = []
    current: tuple[int, str, bool, list[str]] | None = None
    skip = 0
    for event in walk(source):
        if event.kind == "start" and event.tag in ("h2", "h3") and current is None:
            ident = _attr(event.attrs, "id")
            if ident:
                current = (int(event.tag[1]), ident, "faq" in _classes(event.attrs), [])
        elif current is None:
            continue
        elif event.kind == "start" and event.tag == "a" and "headerlink" in _classes(event.attrs):
            skip += 1
        elif event.kind == "end" and event.tag == "a" and skip:
            skip -= 1
        elif event.kind == "data" and not skip:
            current[3].append(event.text)
        elif event.kind == "end" and event.tag == f"h{current[0]}":
            found.append(Heading(current[0], current[1], _text(current[3]), current[2]))
            current = None
    return found


_JUMP_LABELS = {
    "zh": {"page": "本页回答的问题", "section": "本栏目回答的问题", "more": "本页还有：", "sep": " · "},
    "en": {"page": "Questions on this page", "section": "Questions in this section", "more": "Also on this page: ", "sep": " · "},
}


@dataclass(frozen=True)
class JumpGroup:
    """Questions of one page, for a jump list: `href` is the page's address relative to the page
    that shows the list ("" for the page itself)."""

    title: str
    href: str
    questions: list[Heading]


def jump_list(lang: str, own: list[Heading], groups: list[JumpGroup] | None = None, min_questions: int = 2) -> str:
    """The jump list that opens a page: its own questions (and, on a section's index page, the
    questions of the section's other pages under their titles). Other h2 sections of the page follow
    in one line. Empty when there are fewer than `min_questions` questions in all."""
    labels = _JUMP_LABELS.get(lang, _JUMP_LABELS["en"])
    questions = [h for h in own if h.question]
    others = [g for g in groups or [] if g.questions]
    if len(questions) + sum(len(g.questions) for g in others) < min_questions:
        return ""
    esc = html.escape
    title = labels["section" if others else "page"]
    out = ['<nav class="kb-jump" aria-labelledby="kb-jump-title">', f'<p class="kb-jump__title" id="kb-jump-title">{esc(title)}</p>']
    if questions:
        out.append('<ul class="kb-jump__list">' + "".join(f'<li><a href="#{esc(q.id)}">{esc(q.text)}</a></li>' for q in questions) + "</ul>")
    for group in others:
        out.append(f'<p class="kb-jump__page"><a href="{esc(group.href)}">{esc(group.title)}</a></p>')
        out.append('<ul class="kb-jump__list">' + "".join(f'<li><a href="{esc(group.href)}#{esc(q.id)}">{esc(q.text)}</a></li>' for q in group.questions) + "</ul>")
    rest = [h for h in own if h.level == 2 and not h.question]
    if rest and not others:
        links = labels["sep"].join(f'<a href="#{esc(h.id)}">{esc(h.text)}</a>' for h in rest)
        out.append(f'<p class="kb-jump__more">{esc(labels["more"])}{links}</p>')
    out.append("</nav>")
    return "\n".join(out)


def insert_after_h1(source: str, block: str, after_emergency: bool = False) -> str:
    """Put a block right after the first h1 of page content (at the start if there is none). With
    `after_emergency`, an emergency box between the h1 and the first h2 stays above the block (a
    section's list of questions is long; what to do in danger comes first)."""
    if not block:
        return source
    events = walk(source)
    h1 = next((i for i, e in enumerate(events) if e.kind == "end" and e.tag == "h1"), None)
    if h1 is None:
        return block + "\n" + source
    at = events[h1].end
    for index in range(h1 + 1, len(events) if after_emergency else h1 + 1):
        event = events[index]
        if event.kind == "start" and event.tag == "h2":
            break
        if event.kind == "start" and event.tag == "div" and "emergency" in _classes(event.attrs):
            depth = len(event.open)
            close = next((e for e in events[index + 1 :] if e.kind == "end" and e.tag == "div" and len(e.open) == depth), None)
            if close is not None:
                at = close.end
            break
    return source[:at] + "\n" + block + source[at:]


# ----------------------------------------------------------------------------------------------
# Feedback by e-mail
# ----------------------------------------------------------------------------------------------

_EMAIL = re.compile(r"^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+$")

_MAIL_TEXT = {
    "zh": "页面：{address}\n\n哪里有误，应当怎样写（请不要写你的身份证号、借款合同或其他个人信息）：\n",
    "en": "Page: {address}\n\nWhat is wrong, and what should it say (please leave out your ID number, loan details and other personal information):\n",
}


def feedback_mailto(address: Any, lang: str, title: str, page_address: str) -> str | None:
    """A mailto: link for reporting a problem with a page, or None when no address is configured.
    The page address is in the subject (and the body); an invalid address raises ValueError."""
    if address is None or address == "":
        return None
    if not isinstance(address, str) or not _EMAIL.match(address):
        raise ValueError(f"extra.feedback_email must be an e-mail address such as fixes@example.org, not {address!r}")
    subject = f"[内容有误 / content error] {title} {page_address}".strip()
    body = _MAIL_TEXT.get(lang, _MAIL_TEXT["en"]).format(address=page_address)
    return f"mailto:{address}?subject={quote(subject, safe='')}&body={quote(body, safe='')}"
