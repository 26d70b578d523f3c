"""The project's mkdocs.yml, loaded the way `mkdocs.config.load_config` loads it, plus `extra.kb`.

`load_config` below is MkDocs 1.6's `load_config` (mkdocs/config/base.py) with one difference: the
YAML loader. MkDocs builds `!!python/...` objects from any module; this loader builds them only from
markdown, pymdownx, material and mkdocs and keeps anything else as an `Unloaded` placeholder (a
`config-unsupported` warning), so that checking a pull request never runs code named in its config.
It also refuses YAML aliases in `nav` and alias expansion past a limit, and reports impossible dates
and bad YAML in one line. Everything else (INHERIT, !ENV, !relative, defaults, plugin and
extension validation) is MkDocs' own code. tests/test_kb_config.py compares the two loaders.
"""

from __future__ import annotations

import logging
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

import yaml

from . import yamlsafe
from .model import Finding

CONFIG_LIMIT = 1_000_000  # bytes
NODE_LIMIT = 100_000  # YAML nodes once aliases are expanded
_ALLOWED_MODULES = ("markdown", "pymdownx", "material", "mkdocs")
_PYTHON = "tag:yaml.org,2002:python/"
# Plugins whose effect on files and pages kb.py models itself (layout.py, markdown_model.py).
_MODELLED_PLUGINS = ("i18n", "search", "material/search")
# Events after which a page or the files the build sees may differ from what kb.py reads. A hook
# that sets KB_MODELLED = True says it adds no file and changes Markdown only through the function
# `kb_page_markdown(markdown, *, lang, src_uri, docs_dir, root, registry)`, which kb.py applies too.
_FILE_EVENTS = ("on_files",)
_PAGE_EVENTS = ("on_page_read_source", "on_page_markdown")


class ConfigError(Exception):
    """A usage or configuration problem: reported in one line, exit status 2."""


@dataclass(frozen=True)
class Unloaded:
    """A `!!python/...` value from the config that kb.py did not import."""

    tag: str
    line: int


@dataclass(frozen=True)
class Language:
    code: str  # the folder (or file suffix) of the language; "" without mkdocs-static-i18n
    default: bool = True
    build: bool = True
    nav: Any = None  # the language's own nav, if the i18n plugin sets one
    nav_translations: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class KbSettings:
    """`extra.kb`: this project's own rules and generated pages (absent: links and anchors only)."""

    registry: Path | None
    myths_page: str | None
    faq_page: str | None  # path inside each language folder
    laws_page: str | None
    labels: Path | None


@dataclass
class Config:
    path: Path
    root: Path
    docs_dir: Path
    layout: str  # "none", "folder" or "suffix" (mkdocs-static-i18n docs_structure)
    languages: list[Language]
    default_lang: str
    fallback: bool  # mkdocs-static-i18n fallback_to_default
    nav: Any  # the config's nav (None: MkDocs builds it from the files)
    text: str  # the config file's text, to point at lines
    extensions: list[Any]
    extension_configs: dict[str, dict[str, Any]]
    levels: dict[str, int]  # validation setting -> logging level (absolute_links may be -1: relative_to_docs)
    use_directory_urls: bool
    exclude: Any  # pathspec specs (GitIgnoreSpec) or None
    drafts: Any
    not_in_nav: Any
    theme_dirs: list[str]
    theme_static_templates: list[str]
    anchors_verifiable: bool  # False when the configured slugify or an extension option could not be loaded
    file_plugins: list[str]  # plugins and hooks that may add files kb.py cannot see
    page_plugins: list[str]  # plugins and hooks that may change a page's Markdown
    page_transforms: list[Any]  # hooks' `kb_page_markdown`: what their on_page_markdown does, applied before parsing
    kb: KbSettings | None
    site_language: str = "en"  # the theme's language: the language of texts on a site without i18n
    mkdocs: Any = None  # the validated MkDocsConfig
    findings: list[Finding] = field(default_factory=list)
    _theme_files: set[str] | None = None
    _values: dict[str, int] | None = None
    _lines: list[str] | None = None
    nav_orders: dict[str, dict[str, tuple[int, str]]] = field(default_factory=dict)  # computed once per language (generate.nav_order)

    @property
    def langs(self) -> list[str]:
        """Codes of the languages built (every language, when none is marked `build: false`)."""
        return [lang.code for lang in self.languages if lang.build]

    @property
    def text_langs(self) -> list[str]:
        """The languages texts (registry, labels) are written in."""
        return [self.text_lang(lang) for lang in self.langs]

    def text_lang(self, lang: str) -> str:
        return lang or self.site_language

    def language(self, code: str) -> Language:
        return next((lang for lang in self.languages if lang.code == code), Language(code))

    def rel(self, path: Path) -> Path:
        """A path as findings show it: relative to the config's folder."""
        try:
            return path.relative_to(self.root)
        except ValueError:
            return Path(os.path.relpath(path, self.root))

    def lang_dir(self, lang: str) -> Path:
        return self.docs_dir / lang if lang and self.layout == "folder" else self.docs_dir

    def severity(self, level: int) -> str | None:
        """What the strict build does with a message at this logging level."""
        if level >= logging.WARNING:
            return "error"
        if level >= logging.INFO:
            return "warning"
        return None

    def level(self, name: str) -> int:
        return self.levels.get(name, logging.WARNING)

    def config_line(self, needle: str, after: int = 0) -> int:
        """The first line after line `after` of the config file that contains `needle` (a YAML value
        such as a nav entry is found through an index of the values on each line)."""
        if self._lines is None:
            self._lines = self.text.splitlines()
        lines = self._lines
        if self._values is None:
            self._values = {}
            for number, line in enumerate(lines, 1):
                value = line.strip().removeprefix("- ").rsplit(": ", 1)[-1].strip().strip("'\"")
                self._values.setdefault(value, number)
        indexed = self._values.get(needle)
        if indexed is not None and indexed > after:
            return indexed
        for number, line in enumerate(lines, 1):
            if number > after and needle in line:
                return number
        return max(after, 1)

    def theme_file(self, uri: str) -> bool:
        """Whether the theme provides a static file at this path (MkDocs' Files.add_files_from_theme)."""
        if self._theme_files is None:
            self._theme_files = _theme_files(self.theme_dirs, self.theme_static_templates)
        return uri in self._theme_files


def _theme_files(dirs: list[str], static_templates: list[str]) -> set[str]:
    import fnmatch

    from mkdocs.utils import markdown_extensions

    patterns = [".*", "*/.*", "*.py", "*.pyc", "*.html", "*readme*", "mkdocs_theme.yml", "locales/*"]
    patterns += [f"*{x}" for x in markdown_extensions] + list(static_templates)
    found: set[str] = set()
    for base in dirs:
        for folder, subdirs, names in os.walk(base):
            subdirs[:] = [d for d in subdirs if not d.startswith(".")]
            for name in names:
                rel = PurePosixPath(Path(os.path.relpath(os.path.join(folder, name), base)).as_posix()).as_posix()
                if not any(fnmatch.fnmatch(rel.lower(), pattern) for pattern in patterns):
                    found.add(rel)
    return found


# ----------------------------------------------------------------------------------------------
# The YAML loader
# ----------------------------------------------------------------------------------------------


def _loader_class(mkdocs_config: Any, path: Path, findings: list[Finding]) -> type[yaml.Loader]:
    from mkdocs.utils.yaml import get_yaml_loader

    base: type[yaml.Loader] = get_yaml_loader(config=mkdocs_config)

    class Loader(base):  # type: ignore[valid-type,misc]
        """MkDocs' loader (with !ENV and !relative) that imports Python objects only from trusted packages."""

    def python(kind: str) -> Any:
        def construct(loader: Any, suffix: str, node: yaml.Node) -> Any:
            line = node.start_mark.line + 1
            module = suffix.split(".", 1)[0].split(":", 1)[0]
            tag = f"!!python/{kind}:{suffix}"
            if module in _ALLOWED_MODULES and kind in ("name", "module", "object/apply"):
                method = getattr(yaml.constructor.UnsafeConstructor, f"construct_python_{kind.replace('/', '_')}")
                try:
                    return method(loader, suffix, node)
                except (yaml.YAMLError, ImportError, AttributeError, TypeError, ValueError) as exc:
                    _, problem = yamlsafe.one_line(exc)
                    findings.append(Finding(path, line, 1, "config-unsupported", f"cannot load {tag}: {problem}; what depends on it cannot be verified", "warning"))
                    return Unloaded(tag, line)
            findings.append(
                Finding(
                    path, line, 1, "config-unsupported", f"{tag} is not loaded (kb.py imports Python objects only from {', '.join(_ALLOWED_MODULES)}); what depends on it cannot be verified", "warning"
                )
            )
            return Unloaded(tag, line)

        return construct

    for kind in ("name", "module", "object", "object/apply", "object/new"):
        Loader.add_multi_constructor(f"{_PYTHON}{kind}:", python(kind))

    def timestamp(loader: Any, node: yaml.ScalarNode) -> Any:
        return yamlsafe._construct_timestamp(loader, node)

    Loader.add_constructor("tag:yaml.org,2002:timestamp", timestamp)
    return Loader


def _read_text(path: Path, what: str) -> str:
    try:
        if path.is_dir():
            raise ConfigError(f"{path} is a folder, not a {what}")
        with open(path, "rb") as handle:
            data = handle.read(CONFIG_LIMIT + 1)
    except FileNotFoundError:
        raise ConfigError(f"{what} not found: {path}") from None
    except OSError as exc:
        raise ConfigError(f"cannot read {what} {path}: {exc.strerror or exc}") from None
    if len(data) > CONFIG_LIMIT:
        raise ConfigError(f"{path}: {what} larger than {CONFIG_LIMIT} bytes")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise ConfigError(f"{path}:{line}: {what} is not UTF-8 (byte 0x{data[exc.start]:02x})") from None


def _check_structure(text: str, path: Path) -> None:
    """Aliases in the nav and alias bombs anywhere, found before anything is built."""
    found = yamlsafe.aliases(text)
    if not found:
        return
    try:
        root = yaml.compose(text, Loader=yamlsafe.SafeLoader)
    except (yaml.YAMLError, RecursionError):
        return  # the loader reports it with its line
    if root is None:
        return
    if yamlsafe.expanded_size(root, NODE_LIMIT) > NODE_LIMIT:
        raise ConfigError(f"{path}:{found[0][1]}: YAML aliases expand to more than {NODE_LIMIT} values; write the values out")
    spans: list[yaml.Node] = []
    if isinstance(root, yaml.MappingNode):
        for key, value in root.value:
            if isinstance(key, yaml.ScalarNode) and key.value == "nav":
                spans.append(value)
            if isinstance(key, yaml.ScalarNode) and key.value == "plugins":
                spans += [n for n in _walk_nodes(value) if isinstance(n, yaml.MappingNode) and any(isinstance(k, yaml.ScalarNode) and k.value == "nav" for k, _ in n.value)]
    for node in spans:
        for index, line in found:
            if node.start_mark.index <= index < node.end_mark.index:
                raise ConfigError(f"{path}:{line}: YAML alias (*name) in the nav; write the nav entries out")


def _walk_nodes(node: yaml.Node) -> list[yaml.Node]:
    out: list[yaml.Node] = []
    stack = [node]
    seen: set[int] = set()
    while stack:
        current = stack.pop()
        if id(current) in seen:
            continue
        seen.add(id(current))
        out.append(current)
        if isinstance(current, yaml.SequenceNode):
            stack.extend(current.value)
        elif isinstance(current, yaml.MappingNode):
            stack.extend(part for pair in current.value for part in pair)
    return out


def _yaml_load(path: Path, loader: type[yaml.Loader], root: Path, depth: int = 0) -> dict[str, Any]:
    """mkdocs.utils.yaml.yaml_load: load, then deep-merge over the INHERIT parent."""
    import mergedeep

    shown = Path(os.path.relpath(path, root))
    text = _read_text(path, "config file")
    _check_structure(text, shown)
    instance = loader(text)
    try:
        result = instance.get_single_data()
    except (yaml.YAMLError, RecursionError, ValueError, TypeError, OverflowError) as exc:
        line, problem = yamlsafe.one_line(exc)
        raise ConfigError(f"{shown}:{line}: invalid YAML: {problem}") from None
    finally:
        instance.dispose()
    if result is None:
        return {}
    if not isinstance(result, dict):
        raise ConfigError(f"{shown}: the configuration must be a mapping of settings, not {type(result).__name__}")
    data: dict[str, Any] = result
    if "INHERIT" in data:
        relpath = data.pop("INHERIT")
        if not isinstance(relpath, str):
            raise ConfigError(f"{shown}: INHERIT must be a path")
        if depth >= 10:
            raise ConfigError(f"{shown}: INHERIT nests more than 10 files deep")
        parent = Path(os.path.normpath(path.parent / relpath))
        if not parent.exists():
            raise ConfigError(f"{shown}: inherited config file '{relpath}' does not exist at '{parent}'")
        data = mergedeep.merge(_yaml_load(parent, loader, root, depth + 1), data)
    return data


class _Capture(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


def _mkdocs_config(path: Path, shown: Path, findings: list[Finding]) -> Any:
    """MkDocs' load_config with the loader above; config warnings become findings."""
    from mkdocs import exceptions
    from mkdocs.config.defaults import MkDocsConfig

    logger = logging.getLogger("mkdocs")
    capture = _Capture()
    propagate = logger.propagate
    logger.addHandler(capture)
    logger.propagate = False
    try:
        cfg = MkDocsConfig(config_file_path=str(path))
        data = _yaml_load(path, _loader_class(cfg, shown, findings), path.parent)
        try:
            cfg.load_dict(data)
            errors, warnings = cfg.validate()
        except (exceptions.ConfigurationError, exceptions.MkDocsException) as exc:
            raise ConfigError(f"{shown}: {' '.join(str(exc).split())}") from None
        except Exception as exc:  # noqa: BLE001 - a plugin's own validation may raise anything; one line, exit 2
            raise ConfigError(f"{shown}: cannot load the configuration: {type(exc).__name__}: {' '.join(str(exc).split())}") from None
    finally:
        logger.removeHandler(capture)
        logger.propagate = propagate
    if errors:
        name, error = errors[0]
        raise ConfigError(f"{shown}:{_key_line(cfg, name, path)}: {name}: {' '.join(str(error).split())}")
    for name, warning in warnings:
        findings.append(Finding(shown, _key_line(cfg, name, path), 1, "config-warning", f"{name}: {' '.join(str(warning).split())}", "warning"))
    for record in capture.records:
        if record.levelno >= logging.WARNING:
            findings.append(Finding(shown, 1, 1, "config-warning", " ".join(record.getMessage().split()), "warning"))
    return cfg


def _key_line(cfg: Any, name: str, path: Path) -> int:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError):
        return 1
    top = name.split(".", 1)[0]
    match = re.search(rf"^{re.escape(top)}\s*:", text, re.MULTILINE)
    return text.count("\n", 0, match.start()) + 1 if match else 1


# ----------------------------------------------------------------------------------------------
# From the MkDocs config to kb.py's settings
# ----------------------------------------------------------------------------------------------


def _i18n(cfg: Any) -> tuple[str, Any]:
    for name, plugin in cfg.plugins.items():
        if name == "i18n" or name.endswith("/i18n"):
            return name, plugin
    return "", None


def _languages(cfg: Any, shown: Path) -> tuple[str, list[Language], str, bool]:
    _, plugin = _i18n(cfg)
    if plugin is None:
        return "none", [Language("")], "", False
    settings = plugin.config
    layout = str(settings.docs_structure)
    languages = []
    for item in settings.languages:
        translations = item.nav_translations if isinstance(item.nav_translations, dict) else {}
        languages.append(Language(str(item.locale), bool(item.default), bool(item.build), item.nav, {str(k): str(v) for k, v in translations.items()}))
    if not languages:
        raise ConfigError(f"{shown}: the i18n plugin lists no languages")
    default = next((lang.code for lang in languages if lang.default), languages[0].code)
    return layout, languages, default, bool(settings.fallback_to_default)


def _plugins_with(cfg: Any, events: tuple[str, ...]) -> list[str]:
    names = []
    for name, plugin in cfg.plugins.items():
        if name in _MODELLED_PLUGINS or name.endswith("/i18n") or getattr(plugin, "KB_MODELLED", False):
            continue
        if any(callable(getattr(plugin, event, None)) for event in events):
            names.append(name)
    return names


def _kb_settings(cfg: Any, root: Path, shown: Path, text: str) -> KbSettings | None:
    extra = dict(cfg.extra) if isinstance(cfg.extra, Mapping) else {}
    if "kb" not in extra:
        return None
    raw = extra["kb"]
    line = next((n for n, t in enumerate(text.splitlines(), 1) if t.strip().startswith("kb:")), 1)
    if raw is None:
        raw = {}
    if not isinstance(raw, dict):
        raise ConfigError(f"{shown}:{line}: extra.kb must be a mapping of settings, not {type(raw).__name__}")
    known = {"registry", "myths_page", "faq_page", "laws_page", "labels"}
    unknown = sorted(str(k) for k in raw if k not in known)
    if unknown:
        raise ConfigError(f"{shown}:{line}: extra.kb: unknown setting(s) {', '.join(unknown)}; known: {', '.join(sorted(known))}")

    def text_setting(key: str, default: str | None) -> str | None:
        value = raw.get(key, default)
        if value is not None and (not isinstance(value, str) or not value.strip() or "\n" in value):
            raise ConfigError(f"{shown}:{line}: extra.kb.{key} must be a path, not {value!r}")
        return value

    def data_file(key: str) -> Path | None:
        value = text_setting(key, None)
        if value is None:
            return None
        path = Path(os.path.normpath(root / value))
        if not path.is_relative_to(root):
            raise ConfigError(f"{shown}:{line}: extra.kb.{key} {value!r} is outside the project folder")
        return path

    registry = data_file("registry")
    return KbSettings(
        registry=registry,
        myths_page=text_setting("myths_page", None),
        faq_page=text_setting("faq_page", "faq.md"),
        laws_page=text_setting("laws_page", "reference/laws.md" if registry else None),
        labels=data_file("labels"),
    )


def _markdown_settings(cfg: Any) -> tuple[list[Any], dict[str, dict[str, Any]], bool]:
    """The extensions as the build passes them to Python-Markdown; Unloaded options are dropped."""
    verifiable = True
    configs: dict[str, dict[str, Any]] = {}
    for name, options in (cfg["mdx_configs"] or {}).items():
        clean = {}
        for key, value in (options or {}).items():
            if isinstance(value, Unloaded):
                verifiable = False  # ids or text may differ from the build's
                continue
            clean[key] = value
        configs[name] = clean
    return list(cfg["markdown_extensions"]), configs, verifiable


def load_config(path: Path) -> Config:
    """Load and validate mkdocs.yml; raise ConfigError (one line) for what the build would refuse."""
    path = Path(path)
    if path.is_dir():
        raise ConfigError(f"{path} is a folder, not a config file")
    path = path.resolve() if path.exists() else path.absolute()
    root = path.parent
    shown = Path(path.name)
    findings: list[Finding] = []
    cfg = _mkdocs_config(path, shown, findings)
    docs_dir = Path(cfg.docs_dir)
    if not docs_dir.is_dir():
        raise ConfigError(f"docs folder not found: {docs_dir}")
    layout, languages, default, fallback = _languages(cfg, shown)
    if layout not in ("none", "folder", "suffix"):
        raise ConfigError(f"{shown}: unknown docs_structure {layout!r}")
    text = _read_text(path, "config file")
    extensions, configs, verifiable = _markdown_settings(cfg)
    validation = cfg.validation
    levels = {
        "links.not_found": int(validation.links.not_found),
        "links.anchors": int(validation.links.anchors),
        "links.absolute_links": int(validation.links.absolute_links),
        "links.unrecognized_links": int(validation.links.unrecognized_links),
        "nav.omitted_files": int(validation.nav.omitted_files),
        "nav.not_found": int(validation.nav.not_found),
        "nav.absolute_links": int(validation.nav.absolute_links),
    }
    return Config(
        path=path,
        root=root,
        docs_dir=docs_dir,
        layout=layout,
        languages=languages,
        default_lang=default,
        fallback=fallback,
        nav=cfg.nav,
        text=text,
        extensions=extensions,
        extension_configs=configs,
        levels=levels,
        use_directory_urls=bool(cfg.use_directory_urls),
        exclude=cfg.exclude_docs,
        drafts=cfg.draft_docs,
        not_in_nav=cfg.not_in_nav,
        theme_dirs=list(cfg.theme.dirs),
        theme_static_templates=sorted(cfg.theme.static_templates),
        anchors_verifiable=verifiable,
        file_plugins=_plugins_with(cfg, _FILE_EVENTS),
        page_plugins=_plugins_with(cfg, _PAGE_EVENTS),
        page_transforms=[plugin.kb_page_markdown for plugin in cfg.plugins.values() if callable(getattr(plugin, "kb_page_markdown", None))],
        kb=_kb_settings(cfg, root, shown, text),
        site_language=str(cfg.theme.get("language") or cfg.theme.locale or "en"),
        mkdocs=cfg,
        findings=findings,
    )
