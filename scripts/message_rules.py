"""The message checker's rules (data/message-rules.yml, issue 14): loading, validation, and what the
build makes of them.

Generator-independent, like kb/registry.py:
- `validate()` is a pure function: parsed rules, the registry and facts about the pages in, problems
  with line and column out. `scripts/kb.py check` reports them.
- `client_data()` is what the page's JavaScript loads (assets/javascripts/message-rules.json).
- `render_markdown()` is the list of rules shown on the checker page, readable without JavaScript;
  the MkDocs hook puts it where the page has the placeholder line.
Everything printed from the data file is escaped; links are Markdown links, so the strict build
checks them as well.
"""

from __future__ import annotations

import html
import json
import os
import posixpath
import re
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from kb.registry import NOT_CURRENT, Registry, format_article

# The languages the rules file, the checker page and its script are written in.
LANGS = ("zh", "en")

# The finding codes of the contract (issue 14), in the order the page lists them.
CODES: tuple[str, ...] = (
    "third-party",
    "workplace",
    "impersonation",
    "fake-legal-process",
    "threat",
    "insult",
    "false-consequence",
    "fake-law",
    "public-shaming",
    "scam-sign",
    "hours",
)
# Codes the checker may add on top of the contract, only when the reader gives the numbers.
OPTIONAL_CODES: tuple[str, ...] = ("frequency",)
PLACEHOLDER = "<!-- kb:message-rules -->"
JSON_PATH = "assets/javascripts/message-rules.json"
DEFAULT_PATH = "data/message-rules.yml"
UI_KEYS = (
    "result_title",
    "found",
    "none_title",
    "none_body",
    "empty",
    "your_text",
    "matched",
    "time",
    "urgent",
    "next",
    "next_link",
)
# Labels of the rendered list (not shown by the script, so not in the data file).
_LABELS = {
    "zh": {"examples": "例如：", "basis": "规则性质和出处：", "more": "详细解释：", "see_also": "另见：", "sep": "；", "colon": "：", "end": "。", "article_sep": "、"},
    "en": {"examples": "For example: ", "basis": "Kind of rule and source:", "more": "Read more: ", "see_also": "see also: ", "sep": "; ", "colon": ": ", "end": ".", "article_sep": ", "},
}
_TERM = re.compile(r"\{([a-z][a-z0-9-]*)\}")
_TIME = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")
# Regular-expression syntax that Python accepts but JavaScript (without the u flag, on older
# phones) does not.
_NOT_JS = (
    (re.compile(r"\(\?<[=!]"), "look-behind ((?<= or (?<!) does not compile on older iPhones"),
    (re.compile(r"\(\?P"), "(?P...) is Python-only syntax"),
    (re.compile(r"\(\?[aiLmsux-]+[:)]"), "inline flags are not JavaScript"),
    (re.compile(r"\(\?>"), "atomic groups are not JavaScript"),
    (re.compile(r"(?<!\\)\\[AZz]"), "\\A, \\Z and \\z are not JavaScript"),
    (re.compile(r"(?<!\\)\\[pP]\{"), "\\p{...} needs the u flag"),
)
_UPPER = re.compile(r"(?<!\\)[A-Z]")
_PREFIX_ZH = "中华人民共和国"
_SUFFIX_EN = re.compile(r"\s+of the People's Republic of China$", re.IGNORECASE)
_PARENS = re.compile(r"[（(].*?[）)]\s*$")


class RulesError(Exception):
    """The rules file cannot be read or parsed (the build stops with this message)."""


@dataclass(frozen=True)
class Problem:
    line: int
    col: int
    code: str
    message: str
    severity: str = "error"


@dataclass(frozen=True)
class PageFacts:
    """What validation needs to know about one page of one language."""

    anchors: frozenset[str]
    basis: tuple[str, ...] = ()
    text: str = ""


@dataclass
class RulesFile:
    path: Path
    data: dict[str, Any]
    node: yaml.Node
    problems: list[Problem] = field(default_factory=list)

    def pos(self, *keys: str | int) -> tuple[int, int]:
        """Line and column (1-based) of the value at a path of keys, or of its nearest parent."""
        node = self.node
        for key in keys:
            child: yaml.Node | None = None
            if isinstance(node, yaml.MappingNode):
                child = next((v for k, v in node.value if isinstance(k, yaml.ScalarNode) and k.value == key), None)
            elif isinstance(node, yaml.SequenceNode) and isinstance(key, int) and 0 <= key < len(node.value):
                child = node.value[key]
            if child is None:
                break
            node = child
        return node.start_mark.line + 1, node.start_mark.column + 1

    @property
    def rules(self) -> list[dict[str, Any]]:
        items = self.data.get("rules")
        return [r for r in items if isinstance(r, dict)] if isinstance(items, list) else []

    def rule(self, code: str) -> dict[str, Any] | None:
        return next((r for r in self.rules if r.get("code") == code), None)


def load(path: Path) -> RulesFile:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise RulesError(f"{path}:0: cannot read the message rules: {exc}") from None
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise RulesError(f"{path}:{mark.line + 1 if mark else 0}: invalid YAML: {exc}") from None
    if not isinstance(data, dict) or node is None:
        raise RulesError(f"{path}:1: the message rules must be a mapping with 'page', 'terms', 'ui' and 'rules'")
    return RulesFile(path, data, node)


# ----------------------------------------------------------------------------------------------
# Patterns
# ----------------------------------------------------------------------------------------------


def _alternatives(values: Sequence[str]) -> str:
    """A non-capturing group of literal alternatives, longest first (as the JavaScript builds it)."""
    ordered = sorted(dict.fromkeys(values), key=lambda v: (-len(v), v))
    return "(?:" + "|".join(re.escape(v) for v in ordered) + ")"


def expand(pattern: str, terms: Mapping[str, Sequence[str]]) -> str:
    return _TERM.sub(lambda m: _alternatives(terms[m.group(1)]) if m.group(1) in terms else m.group(0), pattern)


def _terms(data: Mapping[str, Any]) -> dict[str, list[str]]:
    raw = data.get("terms")
    if not isinstance(raw, dict):
        return {}
    return {str(k): [str(v) for v in vals if isinstance(v, str) and v] for k, vals in raw.items() if isinstance(vals, list)}


def registry_laws(registry: Registry) -> list[dict[str, Any]]:
    """Repealed (and superseded, where the name is not also that of an instrument in force)
    instruments of the registry, with the patterns that find them cited in a message."""
    current = {_base_name(i.title["zh"]) for i in registry.instruments.values() if i.current}
    laws = []
    for inst in registry.instruments.values():
        if inst.current:
            continue
        base = _base_name(inst.title["zh"])
        if base in current:
            continue
        short_zh = base.removeprefix(_PREFIX_ZH)
        zh = f"(?:{re.escape(_PREFIX_ZH)})?{re.escape(short_zh)}(?!律|院)"
        short_en = _SUFFIX_EN.sub("", _PARENS.sub("", inst.title["en"]).strip()).lower()
        en = r"\b" + r"\s+".join(re.escape(w) for w in short_en.split()) + r"\b"
        laws.append({"id": inst.id, "patterns": [zh, en]})
    return laws


def _base_name(title: str) -> str:
    return _PARENS.sub("", title).strip()


def _check_pattern(pattern: object, terms: Mapping[str, Sequence[str]]) -> str | None:
    """None if the pattern is usable, else what is wrong with it."""
    if not isinstance(pattern, str) or not pattern:
        return "a pattern must be a non-empty string"
    unknown = [name for name in _TERM.findall(pattern) if name not in terms]
    if unknown:
        return f"unknown term {{{unknown[0]}}}; define it under 'terms'"
    for check, why in _NOT_JS:
        if check.search(pattern):
            return why
    if _UPPER.search(_TERM.sub("", pattern)):
        return "write patterns in lower case: the text is lower-cased before matching"
    try:
        compiled = re.compile(expand(pattern, terms))
    except re.error as exc:
        return f"does not compile: {exc}"
    if compiled.search("") is not None:
        return "matches empty text, so it would match every message"
    return None


# ----------------------------------------------------------------------------------------------
# Validation
# ----------------------------------------------------------------------------------------------


def validate(rules: RulesFile, registry: Registry | None, pages: Mapping[str, Mapping[str, PageFacts]], myths_page: str | None = None) -> list[Problem]:
    """Every problem in the rules file, as (line, col, code, message). Pure: reads nothing."""
    out: list[Problem] = []

    def problem(keys: Sequence[str | int], code: str, message: str, severity: str = "error") -> None:
        line, col = rules.pos(*keys)
        out.append(Problem(line, col, code, message, severity))

    data = rules.data
    terms = _terms(data)
    raw_terms = data.get("terms")
    if not isinstance(raw_terms, dict):
        problem(["terms"], "rules-invalid", "'terms' must map names to lists of words")
    else:
        for name, values in raw_terms.items():
            if not re.fullmatch(r"[a-z][a-z0-9-]*", str(name)) or not isinstance(values, list) or not values or not all(isinstance(v, str) and v for v in values):
                problem(["terms", str(name)], "rules-invalid", f"term {name!r} needs a lower-case name and a list of non-empty words")
    _validate_text_settings(data, problem)
    _validate_ui(data, problem)
    seen: dict[str, int] = {}
    for index, rule in enumerate(data.get("rules") or []):
        if not isinstance(rule, dict):
            problem(["rules", index], "rules-invalid", "every rule must be a mapping with a code")
            continue
        code = rule.get("code")
        if code not in CODES and code not in OPTIONAL_CODES:
            problem(["rules", index, "code"], "rules-unknown-code", f"unknown code {code!r}; the codes are {', '.join(CODES + OPTIONAL_CODES)}")
            continue
        if code in seen:
            problem(["rules", index, "code"], "rules-duplicate-code", f"code {code!r} already has a rule (rule {seen[code] + 1})")
            continue
        seen[str(code)] = index
        _validate_rule(rules, index, rule, terms, registry, pages, myths_page, problem)
    for code in CODES:
        if code not in seen:
            problem(["rules"], "rules-missing-code", f"no rule for the contract code {code!r}")
    _validate_page(rules, registry, pages, problem)
    return out


def _validate_text_settings(data: Mapping[str, Any], problem: Any) -> None:
    norm = data.get("normalise")
    if not isinstance(norm, dict):
        problem(["normalise"], "rules-invalid", "'normalise' needs traditional, fillers and counters")
    else:
        table = norm.get("traditional")
        if not isinstance(table, str) or len(table) % 2:
            problem(["normalise", "traditional"], "rules-invalid", "'traditional' must be pairs of characters, traditional first")
        elif any(table[i] == table[i + 1] for i in range(0, len(table), 2)):
            problem(["normalise", "traditional"], "rules-invalid", "a pair in 'traditional' maps a character to itself")
        for key in ("fillers", "counters"):
            if not isinstance(norm.get(key), str) or not norm.get(key):
                problem(["normalise", key], "rules-invalid", f"'{key}' must be a non-empty string of characters")
    neg = data.get("negation")
    scope = neg.get("scope") if isinstance(neg, dict) else None
    if not isinstance(neg, dict) or not isinstance(scope, dict) or not all(isinstance(scope.get(lang), int) and not isinstance(scope.get(lang), bool) and scope[lang] > 0 for lang in LANGS):
        problem(["negation"], "rules-invalid", "'negation' needs a positive 'scope' per language and zh/en negators and breakers")
        return
    for lang in LANGS:
        for key in ("negators", "breakers"):
            value = (neg.get(lang) or {}).get(key) if isinstance(neg.get(lang), dict) else None
            why = _check_pattern(value, {})
            if why:
                problem(["negation", lang, key], "rules-bad-pattern", f"negation {lang}.{key}: {why}")


def _validate_ui(data: Mapping[str, Any], problem: Any) -> None:
    ui = data.get("ui")
    for lang in LANGS:
        texts = ui.get(lang) if isinstance(ui, dict) else None
        if not isinstance(texts, dict):
            problem(["ui"], "rules-invalid", f"'ui' needs the {lang} texts")
            continue
        for key in UI_KEYS:
            if not isinstance(texts.get(key), str) or not texts[key].strip():
                problem(["ui", lang], "rules-invalid", f"ui.{lang}.{key} is missing")


def _bilingual_ok(value: object) -> bool:
    return isinstance(value, dict) and all(isinstance(value.get(lang), str) and value[lang].strip() for lang in LANGS)


def _validate_rule(
    rules: RulesFile,
    index: int,
    rule: dict[str, Any],
    terms: Mapping[str, Sequence[str]],
    registry: Registry | None,
    pages: Mapping[str, Mapping[str, PageFacts]],
    myths_page: str | None,
    problem: Any,
) -> None:
    code = str(rule["code"])
    base: list[str | int] = ["rules", index]
    for key in ("title", "explanation"):
        if not _bilingual_ok(rule.get(key)):
            problem([*base, key], "rules-invalid", f"{code}: {key} needs non-empty zh and en texts")
    examples = rule.get("examples")
    if examples is not None and not (isinstance(examples, dict) and all(isinstance(examples.get(lang), list) and all(isinstance(e, str) and e for e in examples[lang]) for lang in LANGS)):
        problem([*base, "examples"], "rules-invalid", f"{code}: examples needs zh and en lists of messages")
    basis = rule.get("basis")
    if not isinstance(basis, list) or not basis:
        problem([*base, "basis"], "rules-invalid", f"{code}: basis needs at least one {{id, articles}} from the registry")
    else:
        for number, entry in enumerate(basis):
            ident = entry.get("id") if isinstance(entry, dict) else None
            articles = entry.get("articles") if isinstance(entry, dict) else None
            if not isinstance(ident, str) or (articles is not None and not (isinstance(articles, list) and all(isinstance(a, str) and a for a in articles))):
                problem([*base, "basis", number], "rules-invalid", f"{code}: basis entry {number + 1} needs an id and articles as a list of text")
            elif registry is not None and ident not in registry.instruments:
                problem([*base, "basis", number, "id"], "unknown-instrument", f"{code}: {ident!r} is not in the registry")
            elif registry is not None and registry.instruments[ident].status in NOT_CURRENT:
                problem([*base, "basis", number, "id"], "repealed-instrument", f"{code}: {ident} is {registry.instruments[ident].status}; cite the instrument in force")
    links = [("link", rule.get("link"))] + [(f"see_also[{i}]", item) for i, item in enumerate(rule.get("see_also") or [])]
    if rule.get("see_also") is not None and not isinstance(rule.get("see_also"), list):
        problem([*base, "see_also"], "rules-invalid", f"{code}: see_also must be a list of links")
    for where, link in links:
        keys = [*base, "link"] if where == "link" else [*base, "see_also", int(where[9:-1])]
        _validate_link(link, keys, f"{code}: {where}", pages, problem)
    if code == "hours":
        window = rule.get("window")
        if not (isinstance(window, dict) and all(isinstance(window.get(k), str) and _TIME.match(window[k]) for k in ("from", "to"))):
            problem([*base, "window"], "rules-invalid", "hours: window needs from and to as HH:MM")
        return
    if code == "frequency":
        limits = rule.get("limits")
        if not (isinstance(limits, dict) and all(isinstance(limits.get(k), int) and not isinstance(limits.get(k), bool) and limits[k] > 0 for k in ("connected", "unanswered"))):
            problem([*base, "limits"], "rules-invalid", "frequency: limits needs positive connected and unanswered counts")
        return
    if code == "fake-law":
        _validate_laws(rule, base, terms, registry, pages, myths_page, problem)
        return
    patterns = rule.get("patterns")
    if not isinstance(patterns, dict) or not all(isinstance(patterns.get(lang), list) and patterns[lang] for lang in LANGS):
        problem([*base, "patterns"], "rules-invalid", f"{code}: patterns needs zh and en lists")
    else:
        _validate_patterns(patterns, [*base, "patterns"], code, terms, problem)


def _validate_patterns(patterns: Mapping[str, Any], keys: list[str | int], what: str, terms: Mapping[str, Sequence[str]], problem: Any) -> None:
    for lang in LANGS:
        for number, pattern in enumerate(patterns.get(lang) or []):
            why = _check_pattern(pattern, terms)
            if why:
                problem([*keys, lang, number], "rules-bad-pattern", f"{what}: {lang} pattern {number + 1}: {why}")


def _validate_link(link: object, keys: Sequence[str | int], what: str, pages: Mapping[str, Mapping[str, PageFacts]], problem: Any) -> None:
    if not (isinstance(link, dict) and isinstance(link.get("to"), str) and _bilingual_ok(link)):
        problem(keys, "rules-invalid", f"{what} needs 'to' (page.md#anchor) and zh and en link texts")
        return
    target, _, anchor = link["to"].partition("#")
    for lang in LANGS:
        facts = pages.get(lang, {}).get(target)
        if facts is None:
            problem([*keys, "to"], "rules-broken-link", f"{what}: no page {target!r} in {lang}")
        elif anchor and anchor not in facts.anchors:
            problem([*keys, "to"], "rules-broken-anchor", f"{what}: no heading with id {anchor!r} in {lang}/{target}")


def _validate_laws(
    rule: Mapping[str, Any],
    base: list[str | int],
    terms: Mapping[str, Sequence[str]],
    registry: Registry | None,
    pages: Mapping[str, Mapping[str, PageFacts]],
    myths_page: str | None,
    problem: Any,
) -> None:
    laws = rule.get("laws")
    if not isinstance(laws, list) or not laws:
        problem([*base, "laws"], "rules-invalid", "fake-law: laws needs the non-existent instruments the myths page corrects")
        laws = []
    ids: set[str] = set()
    for number, law in enumerate(laws):
        keys = [*base, "laws", number]
        if not isinstance(law, dict) or not isinstance(law.get("id"), str) or not _bilingual_ok(law.get("name")) or not _bilingual_ok(law.get("note")):
            problem(keys, "rules-invalid", "fake-law: every law needs an id, a name and a note in zh and en")
            continue
        if law["id"] in ids or (registry is not None and law["id"] in registry.instruments):
            problem([*keys, "id"], "rules-invalid", f"fake-law: id {law['id']!r} is used twice or is a registry id")
        ids.add(law["id"])
        _validate_link(law.get("link"), [*keys, "link"], f"fake-law {law['id']}: link", pages, problem)
        patterns = law.get("patterns")
        if not isinstance(patterns, dict) or not all(isinstance(patterns.get(lang), list) and patterns[lang] for lang in LANGS):
            problem([*keys, "patterns"], "rules-invalid", f"fake-law {law['id']}: patterns needs zh and en lists")
        else:
            _validate_patterns(patterns, [*keys, "patterns"], f"fake-law {law['id']}", terms, problem)
    repealed = rule.get("repealed") or {}
    if not isinstance(repealed, dict):
        problem([*base, "repealed"], "rules-invalid", "fake-law: repealed maps registry ids to links")
        return
    for ident, link in repealed.items():
        keys = [*base, "repealed", str(ident)]
        if registry is not None and (ident not in registry.instruments or registry.instruments[ident].current):
            problem(keys, "rules-invalid", f"fake-law: {ident!r} is not a repealed or superseded instrument of the registry")
        _validate_link(link, keys, f"fake-law {ident}: link", pages, problem)
    if registry is not None:
        for law in registry_laws(registry):
            if law["id"] not in repealed and not myths_page:
                problem([*base, "repealed"], "rules-invalid", f"fake-law: add a link for the repealed instrument {law['id']!r}")


def _validate_page(rules: RulesFile, registry: Registry | None, pages: Mapping[str, Mapping[str, PageFacts]], problem: Any) -> None:
    page = rules.data.get("page")
    if not isinstance(page, str) or not page.endswith(".md"):
        problem(["page"], "rules-invalid", "'page' must name the checker page, e.g. tools/check-message.md")
        return
    cited = sorted({e["id"] for r in rules.rules for e in (r.get("basis") or []) if isinstance(e, dict) and isinstance(e.get("id"), str)})
    for lang in LANGS:
        facts = pages.get(lang, {}).get(page)
        if facts is None:
            problem(["page"], "rules-broken-link", f"the checker page {lang}/{page} does not exist")
            continue
        if PLACEHOLDER not in facts.text:
            problem(["page"], "rules-invalid", f"{lang}/{page} lacks the line {PLACEHOLDER} where the rules are listed")
        missing = [ident for ident in cited if ident not in facts.basis]
        if missing:
            problem(["page"], "rules-basis-mismatch", f"{lang}/{page} legal_basis lacks {', '.join(missing)}, which the rules cite")


# ----------------------------------------------------------------------------------------------
# What the build makes of the rules
# ----------------------------------------------------------------------------------------------


def client_data(rules: RulesFile, registry: Registry | None) -> dict[str, Any]:
    """The data the page's script loads: patterns (terms not yet expanded), settings, UI texts."""
    data = rules.data
    out_rules: list[dict[str, Any]] = []
    laws: list[dict[str, Any]] = []
    for rule in rules.rules:
        code = rule.get("code")
        if code == "hours":
            window = rule.get("window") or {}
            out_rules.append({"code": code, "window": [window.get("from"), window.get("to")]})
        elif code == "frequency":
            out_rules.append({"code": code, "limits": rule.get("limits")})
        elif code == "fake-law":
            for law in rule.get("laws") or []:
                laws.append({"id": law["id"], "patterns": [*law["patterns"]["zh"], *law["patterns"]["en"]]})
            if registry is not None:
                laws.extend(registry_laws(registry))
            out_rules.append({"code": code, "laws": laws})
        elif isinstance(code, str):
            patterns = rule.get("patterns") or {}
            out_rules.append({"code": code, "patterns": [*(patterns.get("zh") or []), *(patterns.get("en") or [])]})
    return {
        "version": 1,
        "normalise": data.get("normalise"),
        "negation": data.get("negation"),
        "terms": {name: sorted(dict.fromkeys(values), key=lambda v: (-len(v), v)) for name, values in _terms(data).items()},
        "rules": out_rules,
        "ui": data.get("ui"),
    }


def json_text(rules: RulesFile, registry: Registry | None) -> str:
    return json.dumps(client_data(rules, registry), ensure_ascii=False, separators=(",", ":"), sort_keys=True) + "\n"


def write_json(rules: RulesFile, registry: Registry | None, site_dir: Path) -> Path:
    """Write the JSON into the built site; atomically, and only when it changed."""
    target = site_dir / JSON_PATH
    text = json_text(rules, registry)
    if target.is_file() and target.read_text(encoding="utf-8") == text:
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".message-rules-", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        os.chmod(tmp, 0o644)  # mkstemp's 0600 would hide the file from a web server's user
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return target


_MD_SPECIAL = str.maketrans({c: f"&#{ord(c)};" for c in "\\`*_[]{}~^|<>&#"})
_LINE_START = re.compile(r"^(?:[-+=>:]|\d+[.)])")


def md_text(text: str) -> str:
    """Plain text from the data file as inert Markdown: no markup, no HTML, one line."""
    flat = " ".join(str(text).split())
    escaped = flat.translate(_MD_SPECIAL)
    if _LINE_START.match(escaped):
        escaped = f"&#{ord(escaped[0])};" + escaped[1:]
    return escaped


def _href(target: str, page: str) -> str:
    path, _, anchor = target.partition("#")
    rel = posixpath.relpath(path, posixpath.dirname(page) or ".")
    return rel + (f"#{anchor}" if anchor else "")


def _link(link: Mapping[str, str], lang: str, page: str) -> str:
    # The target is checked by validate(); only characters that would end the Markdown link are refused.
    href = _href(link["to"], page)
    if any(c in href for c in " ()<>\n"):
        raise RulesError(f"link target {link['to']!r} cannot be written as a Markdown link")
    return f"[{md_text(link[lang])}]({href})"


def _citation(entries: Sequence[Mapping[str, Any]], registry: Registry, lang: str) -> list[str]:
    labels = _LABELS[lang]
    by_kind: dict[str, list[str]] = {}
    for entry in entries:
        inst = registry.instruments.get(str(entry.get("id")))
        if inst is None:
            continue
        title = inst.title[lang]
        if lang == "zh" and "《" not in title:
            title = f"《{title}》"
        articles = [format_article(str(a), lang) for a in entry.get("articles") or []]
        text = title + (("" if lang == "zh" else ", ") + labels["article_sep"].join(articles) if articles else "")
        by_kind.setdefault(inst.kind, []).append(text)
    return [f"**{md_text(registry.kind_label(kind, lang))}**{labels['colon']}{labels['sep'].join(md_text(t) for t in by_kind[kind])}" for kind in registry.kinds if kind in by_kind]


def _div(cls: str, body: list[str], attrs: str = "") -> list[str]:
    return [f'<div class="{cls}"{attrs} markdown>', "", *body, "", "</div>", ""]


def render_markdown(rules: RulesFile, registry: Registry, lang: str) -> str:
    """The rules as Markdown for the checker page: one block per rule with its data-code, the
    explanation, examples, the legal basis grouped by kind of rule, and the links."""
    page = str(rules.data.get("page") or "")
    labels = _LABELS[lang]
    out: list[str] = []
    for rule in rules.rules:
        code = str(rule.get("code"))
        if code not in CODES and code not in OPTIONAL_CODES:
            continue
        body = [f"### {md_text(rule['title'][lang])} {{#rule-{code}}}", ""]
        body += _div("kb-rule__text", [md_text(rule["explanation"][lang])])
        examples = (rule.get("examples") or {}).get(lang) or []
        if examples:
            quoted = "".join(f"“{md_text(e)}”" for e in examples) if lang == "zh" else ", ".join(f"“{md_text(e)}”" for e in examples)
            body += _div("kb-rule__examples", [labels["examples"] + quoted])
        if code == "fake-law":
            space = "" if lang == "zh" else " "
            laws: list[str] = []
            for law in rule.get("laws") or []:
                laws += _div("kb-law", [f"{md_text(law['name'][lang])}{labels['colon']}{md_text(law['note'][lang])}{space}{_link(law['link'], lang, page)}"], f' data-law="{html.escape(law["id"])}"')
            for law in registry_laws(registry):
                inst = registry.instruments[law["id"]]
                link = (rule.get("repealed") or {}).get(inst.id) or rule["link"]
                title = inst.title[lang] if (lang != "zh" or "《" in inst.title[lang]) else f"《{inst.title[lang]}》"
                note = inst.note.get(lang, "")
                text = f"{md_text(title)}{labels['colon']}{md_text(registry.status_label(inst.status, lang))}{labels['end']}{space}{md_text(note)}{space}{_link(link, lang, page)}"
                laws += _div("kb-law", [text], f' data-law="{html.escape(inst.id)}"')
            body += _div("kb-rule__laws", laws)
        body += _div("kb-rule__basis", [labels["basis"], "", *[f"- {line}" for line in _citation(rule.get("basis") or [], registry, lang)]])
        links = labels["more"] + _link(rule["link"], lang, page)
        extra = [_link(item, lang, page) for item in rule.get("see_also") or []]
        if extra:
            links += labels["sep"] + labels["see_also"] + labels["sep"].join(extra)
        body += _div("kb-rule__links", [links])
        out += _div("kb-rule", body, f' data-code="{html.escape(code)}"')
    return "\n".join(out).rstrip() + "\n"


class SiteRules:
    """The build's view of the rules: loaded once per build, expanded into the checker page,
    written as JSON into the site."""

    def __init__(self, root: Path, registry: Registry | None, path: str = DEFAULT_PATH) -> None:
        self.path = root / path
        self.registry = registry
        self.rules = load(self.path) if self.path.is_file() else None

    def expand(self, markdown: str, lang: str) -> str:
        if PLACEHOLDER not in markdown or self.rules is None or self.registry is None or lang not in LANGS:
            return markdown
        return markdown.replace(PLACEHOLDER, render_markdown(self.rules, self.registry, lang), 1)

    def write_json(self, site_dir: Path) -> Path | None:
        if self.rules is None:
            return None
        return write_json(self.rules, self.registry, site_dir)
