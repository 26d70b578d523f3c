"""Knowledge-base checks and generated indexes for an i18n (folder structure) MkDocs site.

    python scripts/kb.py check [--config PATH] [--format text|github|json]
    python scripts/kb.py faq   [--config PATH] [--check]
    python scripts/kb.py laws  [--config PATH] [--check]

`check` reads the config (docs_dir, mkdocs-static-i18n languages, nav, Markdown extensions), parses
every page into a model (front matter, headings and their ids, raw-HTML ids, links, FAQ questions)
without building, and reports findings as `PATH:LINE:COL: CODE MESSAGE`. Exit status: 0 no errors,
1 errors, 2 usage or configuration problem. `faq` and `laws` write the generated index pages
(docs/<lang>/faq.md, docs/<lang>/reference/laws.md); with `--check` they only compare.

Layout: configuration, the page model and its parser, the checks (which only read the model),
the generators, reporting and the command line.
"""

from __future__ import annotations

import argparse
import datetime as dt
import html
import importlib
import json
import os
import posixpath
import re
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote, unquote, urlsplit

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))

import page_tools  # letters and cards (issue 15)
from registry import NOT_CURRENT, Registry, RegistryError, basis_entries, format_article, format_date, load_registry
from search_keywords import PageInput, check_keywords

# ----------------------------------------------------------------------------------------------
# Configuration
# ----------------------------------------------------------------------------------------------

Slugify = Callable[[str, str], str]
GENERATED_FAQ = "faq.md"
GENERATED_LAWS = "reference/laws.md"
# Modules a `!!python/...` slugify in the config may name; anything else falls back to the default.
_SLUGIFY_MODULES = ("markdown.", "pymdownx.")
_CSafeLoader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class ConfigError(Exception):
    """A usage or configuration problem: reported in one line, exit status 2."""


@dataclass(frozen=True)
class PyTag:
    """A `!!python/...` value from the config, kept as data and never executed blindly."""

    tag: str
    value: Any
    line: int


class _ConfigLoader(yaml.SafeLoader):
    """Safe loader that tolerates the tags MkDocs configs use (`!ENV`, `!relative`, `!!python/...`)."""


def _construct_env(loader: _ConfigLoader, node: yaml.Node) -> Any:
    if isinstance(node, yaml.ScalarNode):
        names: list[Any] = [loader.construct_scalar(node)]
        default: Any = None
    elif isinstance(node, yaml.SequenceNode):
        items = [loader.construct_object(child) for child in node.value]
        names, default = (items[:-1], items[-1]) if len(items) > 1 else (items, None)
    else:
        raise yaml.constructor.ConstructorError(None, None, "!ENV expects a name or a list", node.start_mark)
    for name in names:
        if isinstance(name, str) and name in os.environ:
            return yaml.safe_load(os.environ[name]) if os.environ[name] else ""
    return default


def _construct_other(loader: _ConfigLoader, suffix: str, node: yaml.Node) -> Any:
    value: Any
    if isinstance(node, yaml.MappingNode):
        value = loader.construct_mapping(node, deep=True)
    elif isinstance(node, yaml.SequenceNode):
        value = loader.construct_sequence(node, deep=True)
    else:
        value = loader.construct_scalar(node)  # type: ignore[arg-type]
    return PyTag(suffix, value, node.start_mark.line + 1)


_ConfigLoader.add_constructor("!ENV", _construct_env)
_ConfigLoader.add_multi_constructor("tag:yaml.org,2002:python/", _construct_other)
_ConfigLoader.add_multi_constructor("!", _construct_other)


@dataclass
class Config:
    path: Path
    root: Path
    docs_dir: Path
    langs: list[str]  # folder names; [""] for a project without mkdocs-static-i18n
    default_lang: str
    fallback: bool
    nav: dict[str, list[tuple[str, str]]]  # lang -> [(page path, top-level section title)]
    nav_defined: bool
    nav_line: int
    text: str  # the config file's text, to point at nav lines
    slugify: Slugify
    sep: str
    attr_list: bool
    extensions: list[tuple[str, dict[str, Any]]]
    validation: dict[str, str]
    registry_path: Path | None
    myths_page: str | None
    front_matter_rules: bool  # extra.kb is set: pages need title, description, reviewed, legal_basis
    findings: list[Finding] = field(default_factory=list)


def _load_yaml_file(path: Path) -> Any:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise ConfigError(f"config file not found: {path}") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"cannot read config {path}: {exc}") from None
    try:
        return yaml.load(text, Loader=_ConfigLoader)  # noqa: S506 - a SafeLoader subclass
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f":{mark.line + 1}" if mark else ""
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise ConfigError(f"{path}{where}: invalid YAML: {problem}") from None


def _merge(base: dict[str, Any], over: dict[str, Any]) -> dict[str, Any]:
    merged = dict(base)
    for key, value in over.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = _merge(merged[key], value)
        else:
            merged[key] = value
    return merged


def _read_config_data(path: Path, depth: int = 0) -> dict[str, Any]:
    loaded = _load_yaml_file(path)
    if loaded is None:
        loaded = {}
    if not isinstance(loaded, dict):
        raise ConfigError(f"{path}: the config must be a mapping")
    data: dict[str, Any] = loaded
    parent = data.pop("INHERIT", None)
    if isinstance(parent, str):
        if depth > 5:
            raise ConfigError(f"{path}: INHERIT nests too deeply")
        data = _merge(_read_config_data((path.parent / parent).resolve(), depth + 1), data)
    return data


def _named_items(raw: Any) -> list[tuple[str, dict[str, Any]]]:
    """`plugins` / `markdown_extensions`: a list of names or one-key mappings, or a mapping."""
    pairs: list[tuple[Any, Any]] = []
    if isinstance(raw, dict):
        pairs = list(raw.items())
    elif isinstance(raw, list):
        for item in raw:
            if isinstance(item, str):
                pairs.append((item, {}))
            elif isinstance(item, dict) and item:
                pairs.append(next(iter(item.items())))
    return [(str(name), options if isinstance(options, dict) else {}) for name, options in pairs if isinstance(name, str) and name]


def _plugin(data: dict[str, Any], name: str) -> dict[str, Any] | None:
    return next((options for key, options in _named_items(data.get("plugins")) if key == name), None)


def _extensions(data: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    return _named_items(data.get("markdown_extensions"))


def _import_attr(dotted: str) -> Any:
    module, _, attr = dotted.rpartition(".")
    return getattr(importlib.import_module(module), attr)


def _default_slugify() -> Slugify:
    from markdown.extensions.toc import slugify

    return slugify  # type: ignore[no-any-return]


def _configured_slugify(value: Any, config_path: Path, findings: list[Finding]) -> Slugify:
    """Reproduce the toc `slugify` option: a `!!python/name:` function or `!!python/object/apply:` factory."""
    if value is None:
        return _default_slugify()
    problem = "the toc slugify setting is not a !!python/name or !!python/object/apply value"
    line = 1
    if isinstance(value, PyTag):
        line = value.line
        kind, _, dotted = value.tag.partition(":")
        if not dotted.startswith(_SLUGIFY_MODULES):
            problem = f"slugify {dotted!r} is not from markdown or pymdownx"
        else:
            try:
                func = _import_attr(dotted)
                if kind == "name":
                    return func  # type: ignore[no-any-return]
                if kind == "object/apply":
                    args = value.value if isinstance(value.value, list) else []
                    kwds: dict[str, Any] = {}
                    if isinstance(value.value, dict):
                        args = list(value.value.get("args") or [])
                        kwds = dict(value.value.get("kwds") or {})
                    return func(*args, **kwds)  # type: ignore[no-any-return]
                problem = f"unsupported tag !!python/{kind}"
            except Exception as exc:  # noqa: BLE001 - any import or call failure falls back
                problem = f"cannot load slugify {dotted!r}: {exc}"
    findings.append(Finding(config_path, line, 1, "config-unsupported", f"{problem}; using the default slugify, anchors may differ from the build", "warning"))
    return _default_slugify()


def _nav_entries(nav: Any, section: str | None, out: list[tuple[str, str]]) -> None:
    if isinstance(nav, str):
        if not urlsplit(nav).scheme:
            out.append((nav, section or ""))
        return
    if isinstance(nav, list):
        for item in nav:
            _nav_entries(item, section, out)
        return
    if isinstance(nav, dict):  # {title: page} or {title: [children]}; the top-level title is the section
        for title, value in nav.items():
            _nav_entries(value, section if section is not None else str(title), out)


def _validation(data: dict[str, Any]) -> dict[str, str]:
    levels = {"links.not_found": "warn", "links.anchors": "info", "links.absolute_links": "info", "links.unrecognized_links": "info", "nav.omitted_files": "info", "nav.not_found": "warn"}
    raw = data.get("validation")
    if not isinstance(raw, dict):
        return levels
    for key, value in raw.items():  # the shorthand `validation: {not_found: warn}` sets both groups
        if not isinstance(value, dict):
            for group in ("links", "nav"):
                if f"{group}.{key}" in levels:
                    levels[f"{group}.{key}"] = str(value)
    for group in ("links", "nav"):
        if isinstance(raw.get(group), dict):
            levels.update({f"{group}.{key}": str(level) for key, level in raw[group].items()})
    return levels


def _nav_line(text: str) -> int:
    match = re.search(r"^nav:", text, re.MULTILINE)
    return text.count("\n", 0, match.start()) + 1 if match else 1


def load_config(path: Path) -> Config:
    path = path.resolve() if path.exists() else path
    if path.is_dir():
        raise ConfigError(f"{path} is a folder, not a config file")
    data = _read_config_data(path)
    root = path.parent
    docs_dir = (root / str(data.get("docs_dir") or "docs")).resolve()
    if not docs_dir.is_dir():
        raise ConfigError(f"docs folder not found: {docs_dir}")
    findings: list[Finding] = []
    i18n = _plugin(data, "i18n")
    nav_translations: dict[str, dict[str, str]] = {}
    lang_navs: dict[str, Any] = {}
    if i18n is None:
        langs, default, fallback = [""], "", False
    else:
        if i18n.get("docs_structure", "suffix") != "folder":
            raise ConfigError("mkdocs-static-i18n must use `docs_structure: folder` (the suffix structure is not supported)")
        langs, default = [], ""
        for item in i18n.get("languages") or []:
            if isinstance(item, dict) and isinstance(item.get("locale"), str):
                langs.append(item["locale"])
                if item.get("default") and not default:
                    default = item["locale"]
                if isinstance(item.get("nav_translations"), dict):
                    nav_translations[item["locale"]] = {str(k): str(v) for k, v in item["nav_translations"].items()}
                if item.get("nav") is not None:
                    lang_navs[item["locale"]] = item["nav"]
        if not langs:
            raise ConfigError("the i18n plugin lists no languages")
        default = default or langs[0]
        fallback = bool(i18n.get("fallback_to_default", True))
    navs: dict[str, list[tuple[str, str]]] = {}
    for lang in langs:
        entries: list[tuple[str, str]] = []
        _nav_entries(lang_navs.get(lang, data.get("nav")), None, entries)
        table = nav_translations.get(lang, {})
        navs[lang] = [(p, table.get(s, s)) for p, s in entries]
    exts = _extensions(data)
    toc = next((opts for name, opts in exts if name in ("toc", "markdown.extensions.toc")), {})
    slugify = _configured_slugify(toc.get("slugify"), Path(path.name), findings)
    extra: dict[str, Any] = data["extra"] if isinstance(data.get("extra"), dict) else {}
    kb: dict[str, Any] = extra["kb"] if isinstance(extra.get("kb"), dict) else {}
    registry = kb.get("registry")
    myths = kb.get("myths_page")
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError):
        text = ""
    return Config(
        path=path,
        root=root,
        docs_dir=docs_dir,
        langs=langs,
        default_lang=default,
        fallback=fallback,
        nav=navs,
        nav_defined=data.get("nav") is not None or bool(lang_navs),
        nav_line=_nav_line(text),
        text=text,
        slugify=slugify,
        sep=str(toc.get("separator", "-")),
        attr_list=any(name in ("attr_list", "markdown.extensions.attr_list") for name, _ in exts),
        extensions=exts,
        validation=_validation(data),
        registry_path=(root / registry) if isinstance(registry, str) else None,
        myths_page=myths if isinstance(myths, str) else None,
        front_matter_rules="kb" in extra,
        findings=findings,
    )


# ----------------------------------------------------------------------------------------------
# The model
# ----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Finding:
    path: Path
    line: int
    col: int
    code: str
    message: str
    severity: str = "error"


@dataclass
class Heading:
    level: int
    text: str  # the Markdown source of the heading text, attribute list removed
    id: str
    explicit: bool
    classes: list[str]
    line: int
    col: int


@dataclass
class Link:
    target: str
    line: int
    col: int
    image: bool = False


@dataclass
class Question:
    heading: Heading
    answer: str | None  # Markdown source of the first paragraph under the heading


@dataclass
class Page:
    path: Path
    lang: str
    vpath: str  # path inside the language folder, POSIX
    meta: dict[str, Any] | None = None
    meta_lines: dict[str, int] = field(default_factory=dict)
    basis_lines: list[int] = field(default_factory=list)
    headings: list[Heading] = field(default_factory=list)
    anchors: set[str] = field(default_factory=set)
    links: list[Link] = field(default_factory=list)
    questions: list[Question] = field(default_factory=list)
    problems: list[Finding] = field(default_factory=list)

    @property
    def title(self) -> str:
        value = (self.meta or {}).get("title")
        if isinstance(value, str) and value.strip():
            return value.strip()
        first = next((h for h in self.headings if h.level == 1), None)
        return plain_text(first.text) if first else self.vpath

    @property
    def reviewed(self) -> dt.date | None:
        value = (self.meta or {}).get("reviewed")
        if isinstance(value, dt.datetime):
            return value.date()
        return value if isinstance(value, dt.date) else None


@dataclass
class Site:
    config: Config
    pages: dict[str, dict[str, Page]]  # lang -> vpath -> page
    files: dict[str, set[str]]  # lang -> every file (any type) inside the language folder
    shared: set[str]  # files under docs/ outside every language folder
    problems: list[Finding]

    def all_pages(self) -> Iterator[Page]:
        for lang in self.config.langs:
            yield from self.pages[lang].values()

    def lang_dir(self, lang: str) -> Path:
        return self.config.docs_dir / lang if lang else self.config.docs_dir

    def nav_order(self, lang: str) -> dict[str, tuple[int, str]]:
        order: dict[str, tuple[int, str]] = {}
        for index, (path, section) in enumerate(self.config.nav[lang]):
            order.setdefault(posixpath.normpath(path), (index, section))
        return order


# ----------------------------------------------------------------------------------------------
# Markdown parsing
# ----------------------------------------------------------------------------------------------

_FRONT = re.compile(r"\A-{3}[ \t]*\n(.*?\n)?(?:\.{3}|-{3})[ \t]*(?:\n|\Z)", re.DOTALL)
_FENCE = re.compile(r"^([ \t]*)(`{3,}|~{3,})(.*)$")
_ATX = re.compile(r"^(#{1,6})(.*?)#*\s*$")
_SETEXT = re.compile(r"^ {0,3}(=+|-+)[ \t]*$")
_LIST = re.compile(r"^[ \t]{0,3}(?:[-*+]|\d+[.)])[ \t]+")
_CONTAINER = re.compile(r"^[ \t]*(?:!!!|\?\?\?\+?)[ \t]|^\[\^[^\]]+\]:|^:[ \t]")
_BLOCK_START = re.compile(r"^[ \t]{0,3}(?:[-*+][ \t]|\d+[.)][ \t]|>|\||!!!|\?\?\?|<|:[ \t]|\[\^|\*\[|\{:?[ \t]*[#.]|(?:[-*_][ \t]*){3,}$)")
_REFDEF = re.compile(r"^ {0,3}\[([^\[\]^][^\[\]]*)\]:[ \t]*(\S+)")
_HEADER_ATTR = re.compile(r"[ ]+\{\:?[ ]*([^\}\n ][^\n]*)[ ]*\}[ ]*$")
_ANY_ATTR = re.compile(r"\{\:?[ ]*([^\}\n ][^\n}]*)\}")
_HTML_ID = re.compile(r"<([A-Za-z][A-Za-z0-9-]*)\b[^>]*?\s(id|name)\s*=\s*(?:\"([^\"]*)\"|'([^']*)'|([^\s>\"']+))", re.IGNORECASE)
_FOOTNOTE_DEF = re.compile(r"^\[\^([^\]]+)\]:")
_CODE_SPAN = re.compile(r"(`+)(.+?)(?<!`)\1(?!`)")
_PLAIN_HEADING = re.compile(r"^[^<>&\[\]`*_~\\^=+{}!]*$")
_LINK_HEADING = re.compile(r"^\[([^<>&\[\]`*_~\\^=+{}!]*)\]\([^()\s]*\)$")  # e.g. the FAQ index's headings
_IDCOUNT = re.compile(r"^(.*)_([0-9]+)$")


def unique_id(ident: str, used: set[str]) -> str:
    """Python-Markdown's toc rule: a taken or empty id gets `_1`, `_2`..."""
    while ident in used or not ident:
        match = _IDCOUNT.match(ident)
        ident = f"{match.group(1)}_{int(match.group(2)) + 1}" if match else f"{ident}_1"
    used.add(ident)
    return ident


def parse_attrs(text: str) -> tuple[str | None, list[str]]:
    """`#id .class key=value` -> (id, classes) as attr_list reads them."""
    ident: str | None = None
    classes: list[str] = []
    for token in re.findall(r"[^\s\"']+=\"[^\"]*\"|[^\s\"']+='[^']*'|\S+", text):
        if token.startswith("#") and len(token) > 1:
            ident = token[1:]
        elif token.startswith(".") and len(token) > 1:
            classes.append(token[1:])
    return ident, classes


class HeadingText:
    """The text the toc extension slugifies for a heading: plain headings directly, headings with
    inline Markdown or HTML by rendering them with the configured extensions (recorded slugify)."""

    def __init__(self, config: Config) -> None:
        self.config = config
        self._md: Any = None
        self._seen: list[str] = []

    def _markdown(self) -> Any:
        if self._md is None:
            import markdown

            def record(text: str, sep: str) -> str:
                self._seen.append(text)
                return "x"

            names: list[Any] = []
            configs: dict[str, dict[str, Any]] = {}
            for name, options in self.config.extensions:
                if name in ("toc", "markdown.extensions.toc"):
                    continue
                clean = {k: v for k, v in options.items() if not isinstance(v, PyTag)}
                try:
                    markdown.Markdown(extensions=[name], extension_configs={name: clean})
                except Exception:  # noqa: BLE001, S112 - an extension we cannot load does not change heading text much
                    continue
                names.append(name)
                configs[name] = clean
            names.append("toc")
            configs["toc"] = {"slugify": record}
            self._md = markdown.Markdown(extensions=names, extension_configs=configs)
        return self._md

    def text(self, source: str) -> str:
        if _PLAIN_HEADING.match(source):
            return source.strip()
        link = _LINK_HEADING.match(source.strip())
        if link:
            return link.group(1).strip()
        md = self._markdown()
        self._seen.clear()
        try:
            md.reset().convert("# " + source.strip())
        except Exception:  # noqa: BLE001 - fall back to the plain text
            return plain_text(source)
        return self._seen[0] if self._seen else plain_text(source)

    def slug(self, source: str) -> str:
        return self.config.slugify(self.text(source), self.config.sep)


def _mask_code_spans(line: str) -> str:
    if "`" not in line and "\\" not in line:
        return line
    line = re.sub(r"\\[\\`*_{}\[\]()#+\-.!<>]", lambda m: "  ", line)
    return _CODE_SPAN.sub(lambda m: " " * len(m.group(0)), line)


def _match_bracket(line: str, start: int) -> int:
    depth = 0
    for index in range(start, len(line)):
        char = line[index]
        if char == "[":
            depth += 1
        elif char == "]":
            depth -= 1
            if depth == 0:
                return index
    return -1


def _link_destination(line: str, start: int) -> tuple[str, int] | None:
    """Parse `(dest "title")` at line[start] == '('; return (dest, index after ')')."""
    index = start + 1
    while index < len(line) and line[index] in " \t":
        index += 1
    if index < len(line) and line[index] == "<":
        close = line.find(">", index)
        end = line.find(")", close if close > 0 else index)
        if close < 0 or end < 0:
            return None
        return line[index + 1 : close], end + 1
    depth = 1
    for pos in range(index, len(line)):
        if line[pos] == "(":
            depth += 1
        elif line[pos] == ")":
            depth -= 1
            if depth == 0:
                inner = line[index:pos].strip()
                title = re.match(r"^(.*?)\s+(?:\"[^\"]*\"|'[^']*')$", inner)
                return (title.group(1) if title else inner).strip(), pos + 1
    return None


def _scan_links(line: str, lineno: int, links: list[Link], refs: list[tuple[str, int, int]]) -> None:
    if "[" not in line:
        return
    masked = _mask_code_spans(line)
    pos = 0
    while True:
        start = masked.find("[", pos)
        if start < 0:
            return
        pos = start + 1
        if masked.startswith("[^", start):
            continue
        close = _match_bracket(masked, start)
        if close < 0:
            continue
        image = start > 0 and masked[start - 1] == "!"
        col = start if image else start + 1
        after = close + 1
        if after < len(masked) and masked[after] == "(":
            parsed = _link_destination(line, after)
            if parsed is not None:
                links.append(Link(parsed[0], lineno, col, image))
                continue
        if after < len(masked) and masked[after] == "[":
            end = masked.find("]", after)
            if end > 0:
                label = masked[after + 1 : end] or masked[start + 1 : close]
                refs.append((" ".join(label.split()).lower(), lineno, col))
                pos = end + 1
                continue
        refs.append((" ".join(masked[start + 1 : close].split()).lower(), lineno, col))


def _is_paragraph_line(line: str) -> bool:
    return bool(line.strip()) and not _BLOCK_START.match(line) and not _FENCE.match(line) and not line.lstrip().startswith("#") and not _REFDEF.match(line)


def _indent(line: str) -> int:
    return len(line.expandtabs(4)) - len(line.lstrip(" \t").expandtabs(4)) if line.strip() else 0


def parse_front_matter(page: Page, text: str, rel: Path) -> int:
    """Fill page.meta (and the lines of its keys); return the 0-based index of the first body line."""
    match = _FRONT.match(text)
    if not match:
        return 0
    body = match.group(1) or ""
    loader = _CSafeLoader(body)
    try:
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 2 if mark else 1
        problem = getattr(exc, "problem", None) or "unparseable"
        page.problems.append(Finding(rel, line, 1, "front-matter-invalid", f"front matter is not valid YAML: {problem}"))
        page.meta = {}
        return text.count("\n", 0, match.end())
    finally:
        loader.dispose()
    if not isinstance(data, dict):
        page.problems.append(Finding(rel, 1, 1, "front-matter-invalid", f"front matter must be a mapping of fields, not {type(data).__name__}"))
        page.meta = {}
        return text.count("\n", 0, match.end())
    page.meta = data
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            if isinstance(key.value, str):
                page.meta_lines[key.value] = key.start_mark.line + 2
                if key.value == "legal_basis" and isinstance(value, yaml.SequenceNode):
                    page.basis_lines = [child.start_mark.line + 2 for child in value.value]
    return text.count("\n", 0, match.end())


def parse_page(page: Page, text: str, rel: Path, headings_text: HeadingText, attr_list: bool) -> None:
    """Parse one page into headings, anchors, links and questions (front matter included)."""
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    start = parse_front_matter(page, text, rel)
    lines = text.split("\n")
    refdefs: dict[str, tuple[str, int, int]] = {}
    refs: list[tuple[str, int, int]] = []
    explicit: set[str] = set()
    pending: list[Heading] = []  # headings without an explicit id, in order
    question: Question | None = None
    fence: tuple[str, int] | None = None
    fence_end = -1
    prev_blank = True
    container = False
    in_code = False
    in_comment = False
    paragraph = False
    index = start
    while index < len(lines):
        line = lines[index]
        lineno = index + 1
        index += 1
        if fence is not None:
            if index - 1 == fence_end:
                fence = None
            continue
        if in_comment:
            if "-->" in line:
                in_comment = False
            prev_blank = False
            continue
        if not line.strip():
            prev_blank, paragraph = True, False
            continue
        indent = _indent(line)
        base = 4 if container else 0
        if in_code and indent >= base + 4:
            continue
        in_code = False
        if indent >= base + 4 and prev_blank:
            in_code = True
            continue
        fence_match = _FENCE.match(line)
        if fence_match and not (fence_match.group(2)[0] == "`" and "`" in fence_match.group(3)):
            marker = fence_match.group(2)
            closing = re.compile(r"^[ \t]*" + re.escape(marker[0]) + "{" + str(len(marker)) + r",}[ \t]*$")
            end = next((j for j in range(index, len(lines)) if closing.match(lines[j])), -1)
            if end < 0:
                page.problems.append(Finding(rel, lineno, indent + 1, "unclosed-fence", f"code fence {marker} is never closed; the build shows the rest of the page as text"))
            else:
                fence, fence_end = (marker, end), end
                prev_blank, paragraph = False, False
                continue
        stripped = line.lstrip()
        if indent < 4 and stripped.startswith("<!--") and not paragraph:
            in_comment = "-->" not in stripped[4:]
            prev_blank = False
            continue
        if indent < 4 and (_LIST.match(line) or _CONTAINER.match(line)):
            container = True
        elif indent == 0 and prev_blank:
            container = False
        footnote = _FOOTNOTE_DEF.match(line)
        if footnote:
            page.anchors.add(f"fn:{footnote.group(1)}")
        refdef = _REFDEF.match(line)
        if refdef:
            url = refdef.group(2)
            if url.startswith("<") and url.endswith(">"):
                url = url[1:-1]
            refdefs.setdefault(" ".join(refdef.group(1).split()).lower(), (url, lineno, line.index("[") + 1))
            prev_blank = False
            continue
        heading: Heading | None = None
        atx = _ATX.match(stripped) if (indent == 0 or container) else None
        setext = None
        if not atx and prev_blank and indent < 4 and index < len(lines) and _is_paragraph_line(line):
            setext = _SETEXT.match(lines[index])
        if atx or setext:
            level = len(atx.group(1)) if atx else (1 if setext and setext.group(1)[0] == "=" else 2)
            source = (atx.group(2) if atx else line).strip()
            ident: str | None = None
            classes: list[str] = []
            attrs = _HEADER_ATTR.search(source) if attr_list else None
            if attrs:
                ident, classes = parse_attrs(attrs.group(1))
                source = source[: attrs.start()].strip()
            heading = Heading(level, source, ident or "", ident is not None, classes, lineno, indent + 1)
            page.headings.append(heading)
            if ident is not None:
                explicit.add(ident)
            else:
                pending.append(heading)
            question = None
            if "faq" in classes:
                question = Question(heading, None)
                page.questions.append(question)
            if setext:
                index += 1
        elif question is not None and question.answer is None and prev_blank and indent < 4 and _is_paragraph_line(line):
            answer = [line.strip()]
            while index < len(lines) and _is_paragraph_line(lines[index]) and not _SETEXT.match(lines[index]):
                answer.append(lines[index].strip())
                index += 1
            question.answer = "\n".join(answer)
            for offset, text_line in enumerate(answer):
                _scan_links(lines[lineno - 1 + offset], lineno + offset, page.links, refs)
                _collect_ids(lines[lineno - 1 + offset], page, explicit, attr_list)
            prev_blank, paragraph = False, True
            continue
        _scan_links(line, lineno, page.links, refs)
        _collect_ids(line, page, explicit if heading is None else set(), attr_list)
        prev_blank = False
        paragraph = heading is None
    # Ids: explicit attr_list ids are taken first, then headings get slugs in order (toc's rule).
    used = set(explicit)
    for heading in pending:
        heading.id = unique_id(headings_text.slug(heading.text), used)
    page.anchors |= {h.id for h in page.headings} | explicit
    seen: set[str] = set()
    for label, _line, _col in refs:
        if label in refdefs and label not in seen:
            seen.add(label)
            url, line_no, col = refdefs[label]
            page.links.append(Link(url, line_no, col))


def _collect_ids(line: str, page: Page, explicit: set[str], attr_list: bool) -> None:
    if "<" in line:
        for match in _HTML_ID.finditer(line):
            if match.group(2).lower() == "id" or match.group(1).lower() == "a":
                page.anchors.add(match.group(3) or match.group(4) or match.group(5) or "")
    if attr_list and "{" in line:
        for match in _ANY_ATTR.finditer(line):
            ident, _ = parse_attrs(match.group(1))
            if ident:
                explicit.add(ident)
                page.anchors.add(ident)


# ----------------------------------------------------------------------------------------------
# Reading the site
# ----------------------------------------------------------------------------------------------


def _walk(folder: Path, rel: Path, seen: set[str], out: list[tuple[Path, str]], problems: list[Finding], root: Path) -> None:
    try:
        real = os.path.realpath(folder)
        if real in seen:
            problems.append(Finding(_display(folder, root), 1, 1, "symlink-loop", "this folder links back to a folder already read; skipped"))
            return
        seen.add(real)
        entries = sorted(os.scandir(folder), key=lambda e: e.name)
    except OSError as exc:
        problems.append(Finding(_display(folder, root), 1, 1, "unreadable-file", f"cannot read folder: {exc.strerror or exc}"))
        return
    for entry in entries:
        if entry.name.startswith("."):
            continue
        child_rel = rel / entry.name
        try:
            is_dir = entry.is_dir()
        except OSError:
            is_dir = False
        if is_dir:
            if child_rel.as_posix() == "templates":
                continue
            _walk(Path(entry.path), child_rel, seen, out, problems, root)
        else:
            out.append((Path(entry.path), child_rel.as_posix()))


def _display(path: Path, root: Path) -> Path:
    try:
        return path.relative_to(root)
    except ValueError:
        return Path(os.path.relpath(path, root))


def read_text(path: Path, rel: Path) -> tuple[str | None, Finding | None]:
    try:
        data = path.read_bytes()
    except OSError as exc:
        return None, Finding(rel, 1, 1, "unreadable-file", f"cannot read: {exc.strerror or exc}")
    if b"\x00" in data:
        return None, Finding(rel, 1, 1, "unreadable-file", "binary file (contains NUL bytes), not Markdown")
    try:
        return data.decode("utf-8"), None
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        col = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        return None, Finding(rel, line, col, "unreadable-file", f"not UTF-8 (byte 0x{data[exc.start]:02x}); save the file as UTF-8")


def load_site(config: Config) -> Site:
    problems: list[Finding] = list(config.findings)
    files: list[tuple[Path, str]] = []
    _walk(config.docs_dir, Path(), set(), files, problems, config.root)
    langs = config.langs
    by_lang: dict[str, set[str]] = {lang: set() for lang in langs}
    shared: set[str] = set()
    pages: dict[str, dict[str, Page]] = {lang: {} for lang in langs}
    headings_text = HeadingText(config)
    for path, rel_docs in files:
        lang = next((lang for lang in langs if lang and rel_docs.startswith(lang + "/")), "" if langs == [""] else None)
        if lang is None:
            shared.add(rel_docs)
            continue
        vpath = rel_docs[len(lang) + 1 :] if lang else rel_docs
        by_lang[lang].add(vpath)
        if not vpath.endswith(".md"):
            continue
        rel = _display(path, config.root)
        page = Page(path, lang, vpath)
        pages[lang][vpath] = page
        text, problem = read_text(path, rel)
        if problem is not None:
            page.problems.append(problem)
            continue
        assert text is not None
        try:
            parse_page(page, text, rel, headings_text, config.attr_list)
        except RecursionError:  # pragma: no cover - defensive: pathological nesting
            page.problems.append(Finding(rel, 1, 1, "unreadable-file", "page too deeply nested to parse"))
    return Site(config, pages, by_lang, shared, problems)


# ----------------------------------------------------------------------------------------------
# Checks (each reads the model and yields findings)
# ----------------------------------------------------------------------------------------------


def _rel(site: Site, page: Page) -> Path:
    return _display(page.path, site.config.root)


def _resolve(site: Site, page: Page, target: str) -> tuple[str, str | None]:
    """Return (status, key): status ok/outside/missing/folder; key = vpath of the target when ok."""
    lang = page.lang
    prefix = f"{lang}/" if lang else ""
    uri = posixpath.normpath(posixpath.join(posixpath.dirname(prefix + page.vpath), target))
    if uri == ".." or uri.startswith("../"):
        return "outside", None
    if uri.startswith(prefix) or not prefix:
        inner = uri[len(prefix) :]
        if inner in site.files[lang]:
            return "ok", inner
        if site.config.fallback and lang != site.config.default_lang and inner in site.files[site.config.default_lang]:
            return "ok", None
        if lang == site.config.default_lang and inner in site.shared:
            return "ok", None
        folder = (site.lang_dir(lang) / inner).is_dir() if inner else True
        return ("folder" if folder else "missing"), None
    if lang == site.config.default_lang and uri in site.shared:
        return "ok", None
    return "outside", None


def check_links(site: Site) -> Iterator[Finding]:
    absolute = site.config.validation.get("links.absolute_links") == "warn"
    strict_anchors = site.config.validation.get("links.anchors") == "warn"
    for page in site.all_pages():
        rel = _rel(site, page)
        lang_dir = f"{_display(site.lang_dir(page.lang), site.config.root).as_posix()}/"
        for link in page.links:
            target = link.target.strip()
            if target.startswith("<") and target.endswith(">"):
                target = target[1:-1]
            what = "image" if link.image else "link"
            try:
                parts = urlsplit(target)
            except ValueError:
                yield Finding(rel, link.line, link.col, "broken-link", f"{what} {target!r} is not a valid address")
                continue
            if parts.scheme or parts.netloc:
                continue
            if target.startswith(("/", "\\")):
                if absolute:
                    yield Finding(rel, link.line, link.col, "absolute-link", f"{what} {target!r} is absolute; use a path relative to this page")
                continue
            fragment = unquote(parts.fragment)
            if fragment != parts.fragment and strict_anchors:
                # The id exists once decoded, but MkDocs compares the raw fragment: the strict build rejects it.
                yield Finding(rel, link.line, link.col, "encoded-anchor", f"write the fragment as #{fragment}: MkDocs does not decode #{parts.fragment} and the strict build rejects it")
            if not parts.path:
                if fragment and fragment not in page.anchors:
                    yield Finding(rel, link.line, link.col, "broken-anchor", f"link to {target!r}: no heading with id {fragment!r} on this page")
                continue
            path = unquote(parts.path)
            status, key = _resolve(site, page, path)
            if status == "outside":
                yield Finding(rel, link.line, link.col, "broken-link", f"{what} {target!r} points outside {lang_dir}")
            elif status == "folder":
                hint = posixpath.join(path, "index.md")
                yield Finding(rel, link.line, link.col, "broken-link", f"{what} {target!r} points at a folder; link the page, e.g. {hint!r}")
            elif status == "missing":
                yield Finding(rel, link.line, link.col, "broken-link", f"{what} {target!r}: no such file in {lang_dir}")
            elif fragment and key in site.pages[page.lang] and fragment not in site.pages[page.lang][key or ""].anchors:
                where = _display(site.lang_dir(page.lang) / (key or ""), site.config.root).as_posix()
                yield Finding(rel, link.line, link.col, "broken-anchor", f"link to {target!r}: no heading with id {fragment!r} in {where}")


def check_translations(site: Site) -> Iterator[Finding]:
    langs = [lang for lang in site.config.langs if lang]
    if len(langs) < 2:
        return
    every = sorted(set().union(*(site.pages[lang].keys() for lang in langs)))
    for vpath in every:
        missing = [lang for lang in langs if vpath not in site.pages[lang]]
        if not missing:
            continue
        others = ", ".join(_display(site.lang_dir(m) / vpath, site.config.root).as_posix() for m in missing)
        for lang in langs:
            if vpath in site.pages[lang]:
                yield Finding(_rel(site, site.pages[lang][vpath]), 1, 1, "missing-translation", f"no translation: {others} does not exist")
    # FAQ ids must exist in every language, on the same page.
    where: dict[str, dict[str, tuple[Page, Heading]]] = {lang: {} for lang in langs}
    for lang in langs:
        for page in site.pages[lang].values():
            for question in page.questions:
                if question.heading.explicit:
                    where[lang].setdefault(question.heading.id, (page, question.heading))
    for lang in langs:
        for ident, (page, heading) in sorted(where[lang].items()):
            for other in langs:
                if other == lang:
                    continue
                found = where[other].get(ident)
                if found is None and page.vpath in site.pages[other]:
                    yield Finding(_rel(site, page), heading.line, heading.col, "faq-translation-mismatch", f"question #{ident} has no counterpart in {other}: add the same id to {other}/{page.vpath}")
                elif found is not None and found[0].vpath != page.vpath:
                    yield Finding(_rel(site, page), heading.line, heading.col, "faq-translation-mismatch", f"question #{ident} is on {page.vpath} here but on {found[0].vpath} in {other}")


def _generated(site: Site) -> set[str]:
    names = {GENERATED_FAQ}
    if site.config.registry_path is not None:
        names.add(GENERATED_LAWS)
    return names


def check_front_matter(site: Site, registry: Registry | None, today: dt.date) -> Iterator[Finding]:
    generated = _generated(site)
    try:
        stale_before = today.replace(year=today.year - 1)
    except ValueError:  # 29 February
        stale_before = today.replace(year=today.year - 1, day=28)
    if not site.config.front_matter_rules:
        return
    for page in site.all_pages():
        if page.meta is None:
            if not page.problems:
                yield Finding(_rel(site, page), 1, 1, "missing-field", "no front matter: every page needs title, description, reviewed and legal_basis")
            continue
        if not page.meta and page.problems:
            continue
        rel = _rel(site, page)
        meta, lines = page.meta, page.meta_lines
        for key in ("title", "description"):
            if key not in meta or meta[key] is None or meta[key] == "":
                yield Finding(rel, lines.get(key, 1), 1, "missing-field", f"front matter needs a {key}")
            elif not isinstance(meta[key], str):
                yield Finding(rel, lines[key], 1, "front-matter-invalid", f"{key} must be text, not {type(meta[key]).__name__}")
        reviewed = meta.get("reviewed")
        if reviewed is None:
            yield Finding(rel, lines.get("reviewed", 1), 1, "missing-field", "front matter needs reviewed: YYYY-MM-DD (the date the page was last checked)")
        elif not isinstance(reviewed, dt.date):
            yield Finding(rel, lines["reviewed"], 1, "front-matter-invalid", f"reviewed must be a date written YYYY-MM-DD without quotes, not {reviewed!r}")
        elif (reviewed.date() if isinstance(reviewed, dt.datetime) else reviewed) < stale_before:
            yield Finding(rel, lines["reviewed"], 1, "reviewed-stale", f"reviewed {reviewed.isoformat()} is more than 12 months ago: check the page and update the date", "warning")
        yield from _check_basis(site, page, rel, registry, generated)


def _check_basis(site: Site, page: Page, rel: Path, registry: Registry | None, generated: set[str]) -> Iterator[Finding]:
    meta, lines = page.meta or {}, page.meta_lines
    if "legal_basis" not in meta:
        yield Finding(rel, 1, 1, "missing-field", "front matter needs legal_basis: a list of {id, articles} from the registry ([] only on about/ and generated pages)")
        return
    basis = meta["legal_basis"]
    line = lines.get("legal_basis", 1)
    if basis is None:
        basis = []
    if not isinstance(basis, list):
        yield Finding(rel, line, 1, "front-matter-invalid", "legal_basis must be a list of entries like {id: civil-code, articles: [\"1033\"]}")
        return
    if not basis and not (page.vpath.startswith("about/") or page.vpath in generated):
        yield Finding(rel, line, 1, "missing-field", "legal_basis is empty: cite at least one instrument (an empty list is only for about/ and generated pages)")
    myths = site.config.myths_page
    for number, entry in enumerate(basis):
        entry_line = page.basis_lines[number] if number < len(page.basis_lines) else line
        if not isinstance(entry, dict) or not isinstance(entry.get("id"), str):
            yield Finding(rel, entry_line, 1, "front-matter-invalid", f"legal_basis entry {number + 1} needs an id, e.g. `- id: civil-code`")
            continue
        articles = entry.get("articles")
        if articles is not None and not (isinstance(articles, list) and all(isinstance(a, (str, int)) and not isinstance(a, bool) for a in articles)):
            yield Finding(rel, entry_line, 1, "front-matter-invalid", f"{entry['id']}: articles must be a list of article numbers as text, e.g. [\"1033\", \"50(1)(5)\"]")
        unknown_keys = sorted(set(entry) - {"id", "articles"})
        if unknown_keys:
            yield Finding(rel, entry_line, 1, "front-matter-invalid", f"{entry['id']}: unknown key(s) {', '.join(map(str, unknown_keys))}; an entry has id and articles")
        if registry is None:
            continue
        instrument = registry.instruments.get(entry["id"])
        if instrument is None:
            yield Finding(rel, entry_line, 1, "unknown-instrument", f"{entry['id']!r} is not in {_display(registry.path, site.config.root).as_posix()}")
        elif instrument.status in NOT_CURRENT and page.vpath != myths:
            yield Finding(rel, entry_line, 1, "repealed-instrument", f"{entry['id']} is {instrument.status}; cite the instrument in force (only {myths or 'the myths page'} may cite it)")


def check_questions(site: Site) -> Iterator[Finding]:
    for lang in site.config.langs:
        first: dict[str, tuple[Page, Heading]] = {}
        for page in site.pages[lang].values():
            rel = _rel(site, page)
            for question in page.questions:
                heading = question.heading
                if not heading.explicit:
                    yield Finding(rel, heading.line, heading.col, "faq-missing-id", "question heading needs an explicit id, e.g. {#can-they-text-me .faq}")
                elif heading.id in first:
                    other_page, other = first[heading.id]
                    yield Finding(rel, heading.line, heading.col, "faq-duplicate-id", f"question id #{heading.id} is already used at {_rel(site, other_page).as_posix()}:{other.line}")
                else:
                    first[heading.id] = (page, heading)
                if not question.answer:
                    yield Finding(rel, heading.line, heading.col, "faq-missing-answer", "question has no paragraph under it: start with a short answer (the FAQ index shows it)")


def check_nav(site: Site) -> Iterator[Finding]:
    config = site.config
    if not config.nav_defined:
        return
    config_rel = _display(config.path, config.root)
    reported: set[str] = set()
    for lang in config.langs:
        for path, _section in config.nav[lang]:
            norm = posixpath.normpath(path)
            if all(norm not in site.files[other] for other in config.langs) and norm not in reported and config.validation.get("nav.not_found") == "warn":
                reported.add(norm)
                line = next((n for n, t in enumerate(config.text.splitlines(), 1) if n > config.nav_line and path in t), config.nav_line)
                yield Finding(config_rel, line, 1, "broken-nav-link", f"nav lists {path!r}, which does not exist in any language folder")
        if config.validation.get("nav.omitted_files") == "warn":
            listed = {posixpath.normpath(p) for p, _ in config.nav[lang]}
            for page in site.pages[lang].values():
                if page.vpath not in listed:
                    yield Finding(_rel(site, page), 1, 1, "not-in-nav", "page is not in the nav of mkdocs.yml (the strict build rejects it)")


def check_generated(site: Site, registry: Registry | None) -> Iterator[Finding]:
    for code, command, outputs in (("faq-stale", "faq", faq_pages(site)), ("laws-stale", "laws", laws_pages(site, registry))):
        for path, content in outputs.items():
            current = _read_existing(path)
            if current != content:
                state = "is missing" if current is None else "is out of date"
                yield Finding(_display(path, site.config.root), 1, 1, code, f"generated index {state}; run `python scripts/kb.py {command}`")


def load_registry_for(site: Site) -> tuple[Registry | None, list[Finding]]:
    if site.config.registry_path is None:
        return None, []
    try:
        return load_registry(site.config.registry_path), []
    except RegistryError as exc:
        return None, [Finding(_display(exc.path, site.config.root), max(exc.line, 1), 1, "registry-invalid", exc.message)]


def check_message_rules(site: Site, registry: Registry | None) -> list[Finding]:
    """The message checker's rules file, validated by scripts/message_rules.py (a pure function)."""
    import message_rules

    path = site.config.root / message_rules.DEFAULT_PATH
    if not path.is_file() or not site.config.front_matter_rules:
        return []
    rel = _display(path, site.config.root)
    try:
        rules = message_rules.load(path)
    except message_rules.RulesError as exc:
        return [Finding(rel, 1, 1, "rules-invalid", str(exc))]
    checker = rules.data.get("page")
    pages: dict[str, dict[str, message_rules.PageFacts]] = {lang: {} for lang in site.config.langs}
    for page in site.all_pages():
        basis = tuple(ident for ident, _ in basis_entries((page.meta or {}).get("legal_basis")))
        text = (read_text(page.path, rel)[0] or "") if page.vpath == checker else ""
        pages[page.lang][page.vpath] = message_rules.PageFacts(frozenset(page.anchors), basis, text)
    problems = message_rules.validate(rules, registry, pages, site.config.myths_page)
    return [Finding(rel, p.line, p.col, p.code, p.message, p.severity) for p in problems]


def run_check(config: Config, today: dt.date | None = None) -> list[Finding]:
    return check_site(load_site(config), today)


def check_site(site: Site, today: dt.date | None = None) -> list[Finding]:
    registry, findings = load_registry_for(site)
    findings += site.problems
    for page in site.all_pages():
        findings += page.problems
    findings += check_front_matter(site, registry, today or dt.date.today())
    findings += check_links(site)
    findings += check_translations(site)
    findings += check_questions(site)
    findings += check_nav(site)
    findings += check_generated(site, registry)  # without a valid registry only the FAQ index
    findings += check_message_rules(site, registry)  # issue 14: data/message-rules.yml
    # Letters and cards (issue 15): scripts/page_tools.py, scripts/letters.py, scripts/cards.py.
    tool_pages = [(_rel(site, page), page.lang, page.vpath, page.path) for page in site.all_pages()]
    findings += [Finding(f.path, f.line, f.col, f.code, f.message, f.severity) for f in page_tools.check(site.config.root, tool_pages)]
    # Front matter `keywords` for search (scripts/search_keywords.py).
    texts = ((p, read_text(p.path, _rel(site, p))[0]) for p in site.all_pages())
    inputs = (PageInput(_rel(site, p), p.lang, text, p.vpath in _generated(site)) for p, text in texts if text is not None)
    findings += [Finding(f.path, f.line, f.col, f.code, f.message, f.severity) for f in check_keywords(inputs)]
    return sorted(set(findings), key=lambda f: (f.path.as_posix(), f.line, f.col, f.code, f.message))


# ----------------------------------------------------------------------------------------------
# Generated pages
# ----------------------------------------------------------------------------------------------

_LABELS: dict[str, dict[str, str]] = {
    "en": {
        "faq_title": "Frequently asked questions",
        "faq_description": "Every question this guide answers, with its short answer and a link to the full answer.",
        "faq_intro": "Each answer below is the short answer from the page that explains it; follow the question for the full answer and its legal basis.",
        "faq_none": "No questions yet.",
        "faq_jump": "Jump to a section:",
        "faq_count": " ({n} questions)",
        "other": "Other",
        "laws_title": "Law index",
        "laws_description": "Every legal instrument this guide cites: title, kind of rule, issuer, dates, status and the pages that cite it.",
        "laws_intro": "Every instrument this guide cites, grouped by kind of rule. Confidence: VERIFIED means the provision text was read in a transcription; REPORTED means it rests on consistent secondary sources.",
        "zh_title": "Chinese title",
        "en_title": "English title",
        "kind": "Kind of rule",
        "issuer": "Issued by",
        "number": "Number",
        "adopted": "Adopted",
        "effective": "In force from",
        "status": "Status",
        "link": "Official text",
        "no_link": "no official link known",
        "confidence": "Confidence",
        "note": "Note",
        "cited_by": "Cited on",
        "colon": ": ",
        "comma": ", ",
        "parens": " ({})",
        "not_cited": "not cited on any page",
        "generated": "generated by scripts/kb.py {command} from {source}; do not edit, run `python scripts/kb.py {command}`",
    },
    "zh": {
        "faq_title": "常见问题",
        "faq_description": "本站回答的所有问题：每个问题的简短回答，以及完整回答的链接。",
        "faq_intro": "下面每条回答都是相应页面上的简短回答；点问题可以看完整回答和法律依据。",
        "faq_none": "暂无问题。",
        "faq_jump": "按栏目跳转：",
        "faq_count": "（{n} 个问题）",
        "other": "其他",
        "laws_title": "法规索引",
        "laws_description": "本站引用的全部法律文件：名称、规范类别、制定机关、日期、效力状态，以及引用它的页面。",
        "laws_intro": "本站引用的全部法律文件，按规范类别分组。可信度：VERIFIED 表示读过条文文本；REPORTED 表示依据一致的二手来源。",
        "zh_title": "中文名称",
        "en_title": "英文名称",
        "kind": "规范类别",
        "issuer": "制定机关",
        "number": "文号",
        "adopted": "通过日期",
        "effective": "施行日期",
        "status": "效力状态",
        "link": "官方文本",
        "no_link": "暂无官方链接",
        "confidence": "可信度",
        "note": "说明",
        "cited_by": "本站引用",
        "colon": "：",
        "comma": "，",
        "parens": "（{}）",
        "not_cited": "暂无页面引用",
        "generated": "由 scripts/kb.py {command} 根据 {source} 生成，请勿手工修改；运行 `python scripts/kb.py {command}`",
    },
}
# Characters that start inline Markdown anywhere; those that only matter at the start of a line
# (`#`, `>`, `-`, `+`, `:`, `=`, `1.`) are escaped there.
_SPECIAL = str.maketrans({c: f"&#{ord(c)};" for c in "\\`*_[]{}~^|"})


def _label(lang: str, key: str) -> str:
    return _LABELS.get(lang, _LABELS["en"])[key]


_CJK = "\u2e80-\u9fff\u3000-\u303f\uff00-\uffef"
_CJK_BREAK = re.compile(f"(?<=[{_CJK}])[ \t]*\n[ \t]*(?=[{_CJK}])")


def plain_text(markdown_source: str) -> str:
    """Markdown inline source -> plain text (links and images keep their text; markup is dropped)."""
    text = _CJK_BREAK.sub("", markdown_source)  # a line break between Chinese characters is no space
    text = re.sub(r"\s+", " ", text).strip()
    text = _HEADER_ATTR.sub("", text)
    text = re.sub(r"\{\:?[ ]*[#.][^}]*\}", "", text)
    text = re.sub(r"\[\^[^\]]+\]", "", text)
    text = _CODE_SPAN.sub(lambda m: m.group(2).strip(), text)
    for _ in range(3):
        text = re.sub(r"!?\[([^\[\]]*)\](?:\([^()]*(?:\([^()]*\)[^()]*)*\)|\[[^\]]*\])?", r"\1", text)
    text = re.sub(r"<[^>]+>", "", text)
    text = re.sub(r"(\*\*|__|~~|==)(.+?)\1", r"\2", text)
    text = re.sub(r"(?<![\w*])([*_])(?!\s)(.+?)(?<!\s)\1(?![\w*])", r"\2", text)
    text = re.sub(r"\\([\\`*_{}\[\]()#+\-.!<>|~^=:])", r"\1", text)
    return re.sub(r"\s+", " ", html.unescape(text)).strip()


def safe_text(text: str) -> str:
    """Plain text -> Markdown that renders as exactly that text: HTML and Markdown syntax escaped."""
    escaped = html.escape(text, quote=False)
    escaped = escaped.translate(_SPECIAL)
    escaped = re.sub(r"^(\d+)([.)])", lambda m: m.group(1) + f"&#{ord(m.group(2))};", escaped)
    return re.sub(r"^[-+:=#!]", lambda m: f"&#{ord(m.group(0))};", escaped)


def _href(target: str, fragment: str = "") -> str:
    url = quote(target, safe="/-_.~")
    if fragment:
        url += "#" + fragment
    return f"<{url}>" if re.search(r"[\s()<>]", url) else url


def _front_matter(title: str, description: str, reviewed: dt.date | None) -> list[str]:
    lines = ["---", f"title: {json.dumps(title, ensure_ascii=False)}", f"description: {json.dumps(description, ensure_ascii=False)}"]
    if reviewed is not None:
        lines.append(f"reviewed: {reviewed.isoformat()}")
    lines += ["legal_basis: []", "---"]
    return lines


def _sources(site: Site, lang: str) -> list[Page]:
    """Non-generated pages of a language in nav order, then the rest by path."""
    order = site.nav_order(lang)
    generated = _generated(site)
    pages = [p for p in site.pages[lang].values() if p.vpath not in generated]
    return sorted(pages, key=lambda p: (order.get(p.vpath, (len(order), ""))[0], p.vpath))


def _newest(pages: list[Page]) -> dt.date | None:
    dates = [d for d in (p.reviewed for p in pages) if d is not None]
    return max(dates) if dates else None


def faq_markdown(site: Site, lang: str) -> str:
    order = site.nav_order(lang)
    pages = _sources(site, lang)
    with_questions = [p for p in pages if p.questions]
    source = _display(site.lang_dir(lang), site.config.root).as_posix() + "/"
    lines = _front_matter(_label(lang, "faq_title"), _label(lang, "faq_description"), _newest(with_questions) or _newest(pages))
    # Out of search: every answer is found on its own page, and the index would repeat each one.
    lines[-1:-1] = ["search:", "  exclude: true"]
    lines += ["", f"<!-- {_label(lang, 'generated').format(command='faq', source=source)} -->", "", f"# {safe_text(_label(lang, 'faq_title'))}", "", safe_text(_label(lang, "faq_intro"))]
    section: str | None = None
    # Each section heading gets an id from its first page's folder, the same in every language, and
    # the page opens with a list of the sections (issue 13: a reader on a phone jumps, not scrolls).
    jump: list[list[Any]] = []  # [title, id, number of questions]
    used: set[str] = set()
    for page in with_questions:
        title = order[page.vpath][1] if page.vpath in order else _label(lang, "other")
        if title != section:
            section = title
            ident = unique_id("section-" + re.sub(r"[^a-z0-9-]+", "-", page.vpath.split("/")[0].removesuffix(".md").lower()).strip("-"), used)
            jump.append([section or page.title, ident, 0])
            lines += ["", f"## {safe_text(section or page.title)} {{#{ident}}}"]
        jump[-1][2] += len(page.questions)
        for question in page.questions:
            heading = question.heading
            link = _href(page.vpath, heading.id if heading.explicit else "")
            lines += ["", f"### [{safe_text(plain_text(heading.text))}]({link})"]
            if question.answer:
                lines += ["", safe_text(plain_text(question.answer))]
    if not with_questions:
        lines += ["", safe_text(_label(lang, "faq_none"))]
    if len(jump) > 1:
        at = lines.index(safe_text(_label(lang, "faq_intro"))) + 1
        count = _label(lang, "faq_count")
        lines[at:at] = ["", safe_text(_label(lang, "faq_jump")), ""] + [f"- [{safe_text(title)}](#{ident}){safe_text(count.format(n=n))}" for title, ident, n in jump]
    return "\n".join(lines) + "\n"


def laws_markdown(site: Site, registry: Registry, lang: str) -> str:
    pages = _sources(site, lang)
    cited: dict[str, list[tuple[Page, list[str]]]] = {}
    for page in pages:
        seen: set[str] = set()
        for entry in (page.meta or {}).get("legal_basis") or []:
            if isinstance(entry, dict) and isinstance(entry.get("id"), str) and entry["id"] not in seen:
                seen.add(entry["id"])
                articles = entry.get("articles") if isinstance(entry.get("articles"), list) else []
                cited.setdefault(entry["id"], []).append((page, [str(a) for a in articles or []]))
    source = _display(registry.path, site.config.root).as_posix()
    lines = _front_matter(_label(lang, "laws_title"), _label(lang, "laws_description"), _newest(pages))
    lines += ["", f"<!-- {_label(lang, 'generated').format(command='laws', source=source)} -->", "", f"# {safe_text(_label(lang, 'laws_title'))}", "", safe_text(_label(lang, "laws_intro"))]
    title_lang = lang if lang in ("zh", "en") else "en"
    base = posixpath.dirname(GENERATED_LAWS)
    for kind in registry.kinds:
        members = [i for i in registry.instruments.values() if i.kind == kind]
        if not members:
            continue
        lines += ["", f"## {safe_text(registry.kind_label(kind, title_lang))}"]
        for inst in members:
            lines += ["", f"### {safe_text(inst.title[title_lang])} {{#{inst.id}}}", ""]
            rows = [(_label(lang, "zh_title"), safe_text(inst.title["zh"])), (_label(lang, "en_title"), safe_text(inst.title["en"])), (_label(lang, "kind"), safe_text(registry.kind_label(inst.kind, title_lang))), (_label(lang, "issuer"), safe_text(inst.issuer[title_lang]))]
            if inst.number:
                rows.append((_label(lang, "number"), safe_text(inst.number[title_lang])))
            if inst.adopted:
                rows.append((_label(lang, "adopted"), safe_text(format_date(inst.adopted, title_lang))))
            if inst.effective:
                rows.append((_label(lang, "effective"), safe_text(format_date(inst.effective, title_lang))))
            rows.append((_label(lang, "status"), safe_text(registry.status_label(inst.status, title_lang))))
            rows.append((_label(lang, "link"), f"<{inst.url}>" if inst.url and not re.search(r"[\s<>]", inst.url) else safe_text(_label(lang, "no_link"))))
            rows.append((_label(lang, "confidence"), inst.confidence))
            if inst.note.get(title_lang):
                rows.append((_label(lang, "note"), safe_text(inst.note[title_lang])))
            users = cited.get(inst.id, [])
            colon = _label(lang, "colon")
            lines += [f"- **{safe_text(key)}**{colon}{value}" for key, value in rows]
            if not users:
                lines.append(f"- **{safe_text(_label(lang, 'cited_by'))}**{colon}{safe_text(_label(lang, 'not_cited'))}")
                continue
            lines.append(f"- **{safe_text(_label(lang, 'cited_by'))}**{colon.rstrip()}")
            for page, articles in users:
                where = f"    - [{safe_text(page.title)}]({_href(posixpath.relpath(page.vpath, base))})"
                if articles:
                    where += _label(lang, "parens").format(safe_text(_label(lang, "comma").join(format_article(a, title_lang) for a in articles)))
                lines.append(where)
    return "\n".join(lines) + "\n"


def faq_pages(site: Site) -> dict[Path, str]:
    langs = site.config.langs
    if not any(p.questions for p in site.all_pages()) and not any((site.lang_dir(lang) / GENERATED_FAQ).exists() for lang in langs):
        return {}
    return {site.lang_dir(lang) / GENERATED_FAQ: faq_markdown(site, lang) for lang in langs}


def laws_pages(site: Site, registry: Registry | None) -> dict[Path, str]:
    if registry is None:
        return {}
    return {site.lang_dir(lang) / GENERATED_LAWS: laws_markdown(site, registry, lang) for lang in site.config.langs}


def _read_existing(path: Path) -> str | None:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None


def write_pages(outputs: dict[Path, str]) -> list[Path]:
    """Write the generated pages whose content changed; return the paths written."""
    written = []
    for path, content in outputs.items():
        if _read_existing(path) != content:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(content.encode("utf-8"))
            written.append(path)
    return written


def regenerate(config_path: Path) -> list[Path]:
    """Rewrite every generated index that is out of date (used by the MkDocs hook)."""
    config = load_config(config_path)
    site = load_site(config)
    registry, _ = load_registry_for(site)
    return write_pages({**faq_pages(site), **laws_pages(site, registry)})


# ----------------------------------------------------------------------------------------------
# Reporting and the command line
# ----------------------------------------------------------------------------------------------


def _github_escape(text: str, prop: bool = False) -> str:
    text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    return text.replace(":", "%3A").replace(",", "%2C") if prop else text


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"


def report(findings: list[Finding], fmt: str, pages: int) -> str:
    errors = sum(f.severity == "error" for f in findings)
    warnings = len(findings) - errors
    if fmt == "json":
        return json.dumps([{"path": f.path.as_posix(), "line": f.line, "col": f.col, "code": f.code, "severity": f.severity, "message": f.message} for f in findings], ensure_ascii=False, indent=1)
    out = []
    for f in findings:
        if fmt == "github":
            level = "error" if f.severity == "error" else "warning"
            props = f"file={_github_escape(f.path.as_posix(), True)},line={f.line},col={f.col},title={_github_escape(f.code, True)}"
            out.append(f"::{level} {props}::{_github_escape(f.message)}")
        else:
            suffix = "" if f.severity == "error" else " (warning)"
            out.append(f"{f.path.as_posix()}:{f.line}:{f.col}: {f.code} {f.message}{suffix}")
    out.append(f"{_count(errors, 'error')}, {_count(warnings, 'warning')} in {_count(pages, 'page')}")
    return "\n".join(out)


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> Any:  # one line, exit status 2
        self.exit(2, f"kb.py: {message} (see `python scripts/kb.py --help`)\n")


def main(argv: list[str] | None = None) -> int:
    parser = _Parser(prog="kb.py", description="Check the knowledge base and regenerate its indexes.")
    commands = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    check = commands.add_parser("check", help="report broken links and anchors, front matter and FAQ problems")
    check.add_argument("--config", default="mkdocs.yml", type=Path)
    check.add_argument("--format", choices=("text", "github", "json"), default="text")
    for name, what in (("faq", "the FAQ index (docs/<lang>/faq.md)"), ("laws", "the law index (docs/<lang>/reference/laws.md)")):
        sub = commands.add_parser(name, help=f"write {what}")
        sub.add_argument("--config", default="mkdocs.yml", type=Path)
        sub.add_argument("--check", action="store_true", help="write nothing; exit 1 when an index is missing or out of date")
    args = parser.parse_args(argv)
    try:
        config = load_config(args.config)
        if args.command == "check":
            site = load_site(config)
            findings = check_site(site)
            print(report(findings, args.format, sum(1 for _ in site.all_pages())))
            return 1 if any(f.severity == "error" for f in findings) else 0
        site = load_site(config)
        registry, problems = load_registry_for(site)
        if args.command == "laws" and config.registry_path is None:
            raise ConfigError("no registry configured: set extra.kb.registry in the config")
        if problems and args.command == "laws":
            raise ConfigError(f"{problems[0].path}:{problems[0].line}: {problems[0].message}")
        outputs = faq_pages(site) if args.command == "faq" else laws_pages(site, registry)
        if args.command == "faq" and not outputs:
            outputs = {site.lang_dir(lang) / GENERATED_FAQ: faq_markdown(site, lang) for lang in config.langs}
    except ConfigError as exc:
        print(f"kb.py: {exc}", file=sys.stderr)
        return 2
    if args.check:
        stale = [path for path, content in outputs.items() if _read_existing(path) != content]
        for path in stale:
            print(f"{_display(path, config.root).as_posix()} is missing or out of date; run `python scripts/kb.py {args.command}`")
        return 1 if stale else 0
    for path in write_pages(outputs):
        print(f"wrote {_display(path, config.root).as_posix()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
