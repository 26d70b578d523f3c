"""Letter templates: their placeholders, the form fields behind them, and the markup the build adds.

A letter template is the block of a page between `<div class="kb-letter" markdown>` and the next
`</div>` at the start of a line. Inside it, a placeholder is written 【…】 on Chinese pages and […]
on English pages; `data/letter-fields.yml` says what each one is:

- 【你的姓名】 / [Your name]: a field the reader fills in (text, date, number ...);
- 【信用卡 / 贷款】 / [credit card / loan]: a field of type `choice` (pick one) or `multi` (pick
  any), whose options are the parts between " / ";
- 【如适用：…】 / [If applicable: …]: a condition, text kept only when the reader ticks it; it may
  hold fields of its own. Its prefix (如适用, If applicable) is listed under `conditions`.

The same text is the same field: 【你的姓名】 twice in a letter is one field. Nothing here builds the
letter: the Markdown stays the only copy of it. `mark_letter` only wraps each placeholder in a
<span> that names its field (the text inside is unchanged, so the page reads the same without
JavaScript) and adds the fields' labels, types and defaults as a JSON island for the form
(docs/assets/javascripts/letter.js). `check` is the `kb.py check` part: every placeholder has a
field with labels in both languages, and the two languages of a letter use the same fields.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from kb.model import Finding

LANGS = ("zh", "en")
BRACKETS = {"zh": ("【", "】"), "en": ("[", "]")}
SEPARATOR = {"zh": "：", "en": ": "}
OPTION_SEPARATOR = " / "
FIELD_TYPES = ("text", "textarea", "date", "time", "number", "tel", "choice", "multi")
DATA_FILE = "data/letter-fields.yml"
LETTER_DIR = "act/letters/"

_KEY = re.compile(r"^[a-z][a-z0-9_]*$")
_OPEN_DIV = re.compile(r"^<div\s+class=\"kb-letter\"(?:\s+data-letter=\"[^\"]*\")?\s+markdown(?:=\"1\")?\s*>\s*$")
_CLOSE_DIV = re.compile(r"^</div>\s*$")


class LetterError(Exception):
    """A template or the data file cannot be used; the message names the file and line."""


# ----------------------------------------------------------------------------------------------
# The data file
# ----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Field:
    key: str
    type: str
    text: dict[str, str]  # the placeholder as written in each language (without brackets)
    label: dict[str, str]  # the form's label; the placeholder text when not given
    hint: dict[str, str]
    default: dict[str, str]
    today: bool  # a date field that starts at today's date
    optional: bool  # may stay empty: the letter then leaves it out
    option_labels: dict[str, list[str]]
    line: int

    def options(self, lang: str) -> list[str]:
        return self.text[lang].split(OPTION_SEPARATOR) if self.type in ("choice", "multi") else []


@dataclass(frozen=True)
class Condition:
    key: str
    prefix: dict[str, str]
    label: dict[str, str]  # empty: every occurrence gets its own checkbox, labelled with its text
    follows: tuple[str, int] | None  # ticked while this choice field has this option (until changed)
    line: int


@dataclass
class FieldData:
    path: Path
    fields: dict[str, Field] = field(default_factory=dict)
    conditions: dict[str, Condition] = field(default_factory=dict)
    problems: list[Finding] = field(default_factory=list)

    def field_for(self, lang: str, text: str) -> Field | None:
        return next((f for f in self.fields.values() if f.text.get(lang) == text), None)

    def condition_for(self, lang: str, body: str) -> Condition | None:
        return next((c for c in self.conditions.values() if c.prefix.get(lang) and body.startswith(c.prefix[lang] + SEPARATOR[lang])), None)


def _node_lines(node: yaml.Node) -> dict[str, int]:
    if not isinstance(node, yaml.MappingNode):
        return {}
    return {str(k.value): k.start_mark.line + 1 for k, _ in node.value}


def _section_lines(root: yaml.Node | None, name: str) -> dict[str, int]:
    if not isinstance(root, yaml.MappingNode):
        return {}
    for key, value in root.value:
        if key.value == name:
            return _node_lines(value)
    return {}


def load_fields(path: Path, display: Path | None = None) -> FieldData:
    """Read data/letter-fields.yml. Problems are collected (with lines), not raised."""
    shown = display or path
    data = FieldData(shown)

    def problem(line: int, code: str, message: str) -> None:
        data.problems.append(Finding(shown, line, 1, code, message))

    try:
        source = path.read_text(encoding="utf-8")
        root = yaml.compose(source, Loader=yaml.SafeLoader)
        raw = yaml.safe_load(source)
    except (OSError, UnicodeDecodeError) as exc:
        problem(1, "letter-data-invalid", f"cannot read: {exc}")
        return data
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        problem(mark.line + 1 if mark else 1, "letter-data-invalid", f"not valid YAML: {getattr(exc, 'problem', None) or exc}")
        return data
    if not isinstance(raw, dict):
        problem(1, "letter-data-invalid", "the file must be a mapping with `fields:` and `conditions:`")
        return data
    field_lines = _section_lines(root, "fields")
    condition_lines = _section_lines(root, "conditions")

    def both(entry: dict[str, Any], name: str, key: str, line: int, required: bool) -> dict[str, str]:
        value = entry if name == "" else entry.get(name)
        if value is None and not required:
            return {}
        what = f"{key}: the placeholder text" if name == "" else f"{key}.{name}"
        if not isinstance(value, dict):
            problem(line, "letter-field-label", f"{what} needs zh and en")
            return {}
        out: dict[str, str] = {}
        for lang in LANGS:
            item = value.get(lang)
            if isinstance(item, (int, float)) and not isinstance(item, bool):
                item = str(item)
            if not isinstance(item, str) or not item.strip():
                problem(line, "letter-field-label", f"{what} has no {lang} text: every field needs a label in both languages")
            else:
                out[lang] = item
        return out

    for key, entry in (raw.get("fields") or {}).items():
        line = field_lines.get(str(key), 1)
        if not isinstance(entry, dict) or not _KEY.match(str(key)):
            problem(line, "letter-data-invalid", f"field {key!r}: a lowercase key with a mapping of zh, en, type ...")
            continue
        kind = entry.get("type", "text")
        if kind not in FIELD_TYPES:
            problem(line, "letter-data-invalid", f"field {key}: type {kind!r} is not one of {', '.join(FIELD_TYPES)}")
            continue
        text = both(entry, "", key, line, True)
        label = both(entry, "label", key, line, False) or dict(text)
        hint = both(entry, "hint", key, line, False)
        default_raw = entry.get("default")
        today = default_raw == "today"
        if today and kind != "date":
            problem(line, "letter-data-invalid", f"field {key}: default today is only for dates")
        if default_raw == "text":
            default = dict(text)
        elif default_raw is None or today:
            default = {}
        else:
            default = both(entry, "default", key, line, True) if isinstance(default_raw, dict) else {lang: str(default_raw) for lang in LANGS}
        option_labels: dict[str, list[str]] = {}
        if kind in ("choice", "multi"):
            counts = {lang: len(text[lang].split(OPTION_SEPARATOR)) for lang in text}
            if default_raw is not None and not (kind == "choice" and isinstance(default_raw, int) and 0 <= default_raw < min(counts.values(), default=0)):
                problem(line, "letter-data-invalid", f"field {key}: the default of a choice is the index of an option (0 for the first); a multi has none")
            if any(n < 2 for n in counts.values()):
                problem(line, "letter-data-invalid", f"field {key}: a {kind} needs at least two options separated by {OPTION_SEPARATOR!r}")
            if len(set(counts.values())) > 1:
                problem(line, "letter-field-label", f"field {key}: the options differ in number between languages ({counts})")
            labels = entry.get("option_labels")
            if labels is not None:
                for lang in LANGS:
                    items = labels.get(lang) if isinstance(labels, dict) else None
                    if not isinstance(items, list) or len(items) != counts.get(lang, -1):
                        problem(line, "letter-field-label", f"field {key}: option_labels.{lang} needs one label per option")
                    else:
                        option_labels[lang] = [str(i) for i in items]
        if len(text) == len(LANGS):
            data.fields[key] = Field(key, kind, text, label, hint, default, today, bool(entry.get("optional")), option_labels, line)

    for key, entry in (raw.get("conditions") or {}).items():
        line = condition_lines.get(str(key), 1)
        if not isinstance(entry, dict) or not _KEY.match(str(key)):
            problem(line, "letter-data-invalid", f"condition {key!r}: a lowercase key with a mapping of zh, en ...")
            continue
        prefix = both(entry, "", key, line, True)
        label = both(entry, "label", key, line, False)
        follows: tuple[str, int] | None = None
        raw_follows = entry.get("follows")
        if raw_follows is not None:
            target = data.fields.get(str(raw_follows.get("field"))) if isinstance(raw_follows, dict) else None
            option = raw_follows.get("option") if isinstance(raw_follows, dict) else None
            if target is None or target.type != "choice" or not isinstance(option, int) or not 0 <= option < len(target.options("zh")):
                problem(line, "letter-data-invalid", f"condition {key}: follows needs {{field: <a choice field>, option: <its index from 0>}}")
            else:
                follows = (target.key, option)
        if len(prefix) == len(LANGS):
            data.conditions[key] = Condition(key, prefix, label, follows, line)

    for lang in LANGS:
        seen: dict[str, str] = {}
        for f in data.fields.values():
            if f.text[lang] in seen:
                problem(f.line, "letter-data-invalid", f"fields {seen[f.text[lang]]} and {f.key} have the same {lang} text {f.text[lang]!r}")
            seen[f.text[lang]] = f.key
    return data


# ----------------------------------------------------------------------------------------------
# Templates
# ----------------------------------------------------------------------------------------------


@dataclass
class Placeholder:
    body: str  # the text between the brackets, nested placeholders included
    line: int  # 1-based line in the page
    start: int  # offset of the opening bracket in its line
    end: int  # offset just after the closing bracket
    children: list[Placeholder] = field(default_factory=list)

    @property
    def col(self) -> int:
        return self.start + 1


@dataclass
class LetterBlock:
    open_line: int  # 1-based line of <div class="kb-letter" markdown>
    close_line: int  # 1-based line of its </div>
    placeholders: list[Placeholder]


def parse_line(line: str, lineno: int, lang: str) -> tuple[list[Placeholder], list[tuple[int, str]]]:
    """The placeholders of one line, nested ones as children; problems as (column, message)."""
    opening, closing = BRACKETS[lang]
    top: list[Placeholder] = []
    stack: list[Placeholder] = []
    problems: list[tuple[int, str]] = []
    for index, char in enumerate(line):
        if char == opening:
            stack.append(Placeholder("", lineno, index, -1))
        elif char == closing:
            if not stack:
                problems.append((index + 1, f"{closing} closes no placeholder"))
                continue
            node = stack.pop()
            node.end = index + 1
            node.body = line[node.start + len(opening) : index]
            (stack[-1].children if stack else top).append(node)
    for node in stack:
        problems.append((node.col, f"{opening} is never closed on this line (a placeholder stays on one line)"))
    return top, problems


def letter_blocks(text: str, lang: str) -> tuple[list[LetterBlock], list[tuple[int, int, str]]]:
    """Every letter block of a page with its placeholders; problems as (line, column, message)."""
    lines = text.split("\n")
    blocks: list[LetterBlock] = []
    problems: list[tuple[int, int, str]] = []
    index = 0
    while index < len(lines):
        if not _OPEN_DIV.match(lines[index]):
            index += 1
            continue
        start = index
        end = next((j for j in range(index + 1, len(lines)) if _CLOSE_DIV.match(lines[j])), -1)
        if end < 0:
            problems.append((start + 1, 1, "the letter block is never closed: end it with </div> at the start of a line"))
            break
        placeholders: list[Placeholder] = []
        for j in range(start + 1, end):
            found, line_problems = parse_line(lines[j], j + 1, lang)
            placeholders += found
            problems += [(j + 1, col, message) for col, message in line_problems]
        blocks.append(LetterBlock(start + 1, end + 1, placeholders))
        index = end + 1
    return blocks, problems


@dataclass
class Use:
    """One placeholder of a template, resolved against the data file."""

    placeholder: Placeholder
    entry: Field | None = None
    condition: Condition | None = None
    ident: str = ""  # the condition occurrence's id in the form, or the field's key
    parent: str | None = None  # the condition occurrence it sits in
    children: list[Use] = field(default_factory=list)


def resolve(placeholders: list[Placeholder], lang: str, data: FieldData) -> tuple[list[Use], list[tuple[Placeholder, str]]]:
    """Match placeholders to fields and conditions; problems as (placeholder, message)."""
    problems: list[tuple[Placeholder, str]] = []
    counter: dict[str, int] = {}

    def walk(nodes: list[Placeholder], parent: str | None) -> list[Use]:
        uses: list[Use] = []
        for node in nodes:
            condition = data.condition_for(lang, node.body)
            if condition is not None:
                counter[condition.key] = counter.get(condition.key, 0) + 1
                ident = condition.key if condition.label else f"{condition.key}-{counter[condition.key]}"
                use = Use(node, condition=condition, ident=ident, parent=parent)
                use.children = walk(node.children, ident)
                uses.append(use)
                continue
            found = data.field_for(lang, node.body)
            opening, closing = BRACKETS[lang]
            if found is None:
                problems.append((node, f"placeholder {opening}{node.body}{closing} has no field in {DATA_FILE}: add it there with a label in both languages"))
            elif node.children:
                problems.append(
                    (
                        node,
                        f"placeholder {opening}{node.body}{closing} is a field and cannot hold other placeholders; only a condition ({', '.join(c.prefix[lang] for c in data.conditions.values())}) can",
                    )
                )
            else:
                uses.append(Use(node, entry=found, ident=found.key, parent=parent))
        return uses

    return walk(placeholders, None), problems


def signature(uses: list[Use]) -> list[str]:
    """What the form of a letter asks for, in order; the same in both languages."""
    out: list[str] = []
    for use in uses:
        out.append(f"if:{use.ident}" if use.condition else f"field:{use.ident}")
        out += signature(use.children)
    return out


# ----------------------------------------------------------------------------------------------
# The check (kb.py check)
# ----------------------------------------------------------------------------------------------


def check(pages: Iterable[tuple[Path, str, str, str]], data_path: Path, data_display: Path | None = None) -> list[Finding]:
    """Check the letter templates of the site.

    `pages` holds (path to show, language, path inside the language folder, Markdown text). Every
    page under act/letters/ except index.md must hold one letter block; every placeholder in a
    block must have a field or condition in the data file, with its text and labels in both
    languages; the Chinese and English letter of the same path must ask for the same fields.
    """
    findings: list[Finding] = []
    data: FieldData | None = None
    shapes: dict[str, dict[str, tuple[Path, list[str]]]] = {}
    used: set[str] = set()
    for shown, lang, vpath, text in pages:
        if lang not in LANGS:
            continue
        blocks, problems = letter_blocks(text, lang)
        findings += [Finding(shown, line, col, "letter-placeholder", message) for line, col, message in problems]
        if vpath.startswith(LETTER_DIR) and not vpath.endswith("index.md") and not blocks:
            findings.append(Finding(shown, 1, 1, "letter-missing", 'a letter page needs its letter between <div class="kb-letter" markdown> and </div>'))
        if not blocks:
            continue
        if data is None:
            data = load_fields(data_path, data_display)
            findings += data.problems
        uses: list[Use] = []
        for block in blocks:
            block_uses, unresolved = resolve(block.placeholders, lang, data)
            uses += block_uses
            findings += [Finding(shown, node.line, node.col, "letter-placeholder", message) for node, message in unresolved]
        shape = signature(uses)
        used.update(item.split(":", 1)[1].split("-")[0] for item in shape)
        shapes.setdefault(vpath, {})[lang] = (shown, shape)
    for _vpath, by_lang in sorted(shapes.items()):
        if len(by_lang) == len(LANGS):
            (zh_path, zh_shape), (en_path, en_shape) = by_lang["zh"], by_lang["en"]
            if zh_shape != en_shape:
                only_zh = [s for s in zh_shape if s not in en_shape]
                only_en = [s for s in en_shape if s not in zh_shape]
                detail = f"only in zh: {only_zh}; only in en: {only_en}" if only_zh or only_en else "the same fields in a different order"
                findings.append(Finding(en_path, 1, 1, "letter-fields-differ", f"the English letter asks for other fields than {zh_path.as_posix()}: {detail}"))
    if data is not None:
        for key, f in data.fields.items():
            if key not in used:
                findings.append(Finding(data.path, f.line, 1, "letter-field-unused", f"field {key} is used by no letter", "warning"))
    return findings


# ----------------------------------------------------------------------------------------------
# The build: markup for the form
# ----------------------------------------------------------------------------------------------


def _wrap(line: str, uses: list[Use], lang: str, offset: int = 0) -> str:
    """The line with each placeholder wrapped in a span naming its field; text unchanged."""
    out: list[str] = []
    position = offset
    for use in uses:
        node = use.placeholder
        out.append(line[position : node.start])
        original = line[node.start : node.end]
        if use.condition is not None:
            opening, closing = BRACKETS[lang]
            prefix_end = node.start + len(opening) + len(use.condition.prefix[lang]) + len(SEPARATOR[lang])
            inner = _wrap(line[: node.end - len(closing)], use.children, lang, prefix_end)
            out.append(f'<span class="kb-if" data-if="{use.ident}"><span class="kb-mark">{line[node.start : prefix_end]}</span>{inner}<span class="kb-mark">{closing}</span></span>')
        else:
            out.append(f'<span class="kb-ph" data-key="{use.ident}">{original}</span>')
        position = node.end
    out.append(line[position:])
    return "".join(out)


# What a condition's own checkbox says before its text, so that ticking it reads as an action.
ADD_TO_LETTER = {"zh": "在信里加上：", "en": "Add to the letter: "}
ELLIPSIS = {"zh": "……", "en": "…"}


def _plain(text: str, lang: str) -> str:
    """A condition's text as its checkbox label: "Add to the letter: ", its text without closing
    punctuation, and "……" / "…" for each placeholder inside it (their fields follow the checkbox),
    so that the label shows no brackets."""
    opening, closing = BRACKETS[lang]
    inner = re.compile(re.escape(opening) + "[^" + re.escape(opening + closing) + "]*" + re.escape(closing))
    label = text
    while inner.search(label):
        label = inner.sub(ELLIPSIS[lang], label)
    label = label.strip().rstrip("；;。.，,").strip()
    return ADD_TO_LETTER[lang] + label


def form_items(uses: list[Use], lang: str) -> list[dict[str, Any]]:
    """The form's controls in the order their placeholders first appear (nested ones after theirs)."""
    items: list[dict[str, Any]] = []
    seen: set[str] = set()

    def walk(nodes: list[Use]) -> None:
        for use in nodes:
            if use.ident in seen:
                walk(use.children)
                continue
            seen.add(use.ident)
            if use.condition is not None:
                c = use.condition
                body = use.placeholder.body[len(c.prefix[lang]) + len(SEPARATOR[lang]) :]
                items.append(
                    {
                        "kind": "if",
                        "id": use.ident,
                        "label": c.label.get(lang) or _plain(body, lang),
                        "follows": {"field": c.follows[0], "option": c.follows[1]} if c.follows else None,
                        "parent": use.parent,
                    }
                )
            elif use.entry is not None:
                f = use.entry
                items.append(
                    {
                        "kind": "field",
                        "key": f.key,
                        "type": f.type,
                        "label": f.label[lang],
                        "hint": f.hint.get(lang, ""),
                        "default": f.default.get(lang, ""),
                        "today": f.today,
                        "optional": f.optional,
                        "options": f.options(lang),
                        "optionLabels": f.option_labels.get(lang) or f.options(lang),
                        "parent": use.parent,
                    }
                )
            walk(use.children)

    walk(uses)
    return items


def mark_letter(markdown: str, lang: str, data: FieldData, letter: str, source: str = "page") -> str:
    """The page's Markdown with its letter blocks marked up for the form (see the module doc).

    Raises LetterError naming `source` and the line when a placeholder has no field."""
    if lang not in LANGS or 'class="kb-letter"' not in markdown:
        return markdown
    blocks, problems = letter_blocks(markdown, lang)
    if problems:
        line, col, message = problems[0]
        raise LetterError(f"{source}:{line}:{col}: {message}")
    lines = markdown.split("\n")
    for block in reversed(blocks):
        uses, unresolved = resolve(block.placeholders, lang, data)
        if unresolved:
            node, message = unresolved[0]
            raise LetterError(f"{source}:{node.line}:{node.col}: {message}")
        by_line: dict[int, list[Use]] = {}
        for use in uses:
            by_line.setdefault(use.placeholder.line, []).append(use)
        for lineno, line_uses in by_line.items():
            lines[lineno - 1] = _wrap(lines[lineno - 1], line_uses, lang)
        lines[block.open_line - 1] = f'<div class="kb-letter" data-letter="{html.escape(letter)}" markdown>'
        payload = json.dumps({"letter": letter, "lang": lang, "items": form_items(uses, lang)}, ensure_ascii=False, separators=(",", ":"))
        payload = payload.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
        lines.insert(block.close_line, f'\n<script type="application/json" class="kb-letter-data">{payload}</script>')
    return "\n".join(lines)


def placeholders_of(text: str, lang: str) -> Iterator[str]:
    """Every placeholder text of a page's letter blocks, outer before inner (for tests and tools)."""
    blocks, _ = letter_blocks(text, lang)

    def walk(nodes: list[Placeholder]) -> Iterator[str]:
        for node in nodes:
            yield node.body
            yield from walk(node.children)

    for block in blocks:
        yield from walk(block.placeholders)
