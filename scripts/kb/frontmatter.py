"""Front matter, split from the Markdown exactly as MkDocs does it (mkdocs.utils.meta.get_data), with
the line of every key and a finding instead of an exception for anything unreadable."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import yaml

from . import yamlsafe

# mkdocs.utils.meta (MkDocs 1.6.1): YAML between --- lines, else MultiMarkdown `key: value` lines.
_YAML_RE = re.compile(r"^-{3}[ \t]*\n(.*?\n)(?:\.{3}|-{3})[ \t]*\n", re.UNICODE | re.DOTALL)
_META_RE = re.compile(r"^[ ]{0,3}(?P<key>[A-Za-z0-9_-]+):\s*(?P<value>.*)")
_META_MORE_RE = re.compile(r"^([ ]{4}|\t)(\s*)(?P<value>.*)")


@dataclass
class FrontMatter:
    body: str  # the Markdown the build converts
    offset: int  # lines of the file before the body
    meta: dict[str, Any] | None  # None: no front matter; {} when it could not be read
    lines: dict[str, int] = field(default_factory=dict)  # key -> line in the file
    basis_lines: list[int] = field(default_factory=list)  # line of each legal_basis entry
    problems: list[tuple[int, str, str]] = field(default_factory=list)  # (line, code, message)


def _suffix_offset(text: str, body: str) -> int:
    return text.count("\n", 0, len(text) - len(body))


def split(text: str) -> FrontMatter:
    """`text` has Unix line endings (MkDocs reads pages in text mode)."""
    match = _YAML_RE.match(text)
    if match:
        return _yaml_front_matter(text, match)
    return _multimarkdown(text)


def _yaml_front_matter(text: str, match: re.Match[str]) -> FrontMatter:
    source = match.group(1)
    stripped = text[match.end() :].lstrip("\n")
    found = yamlsafe.aliases(source) if "*" in source else []
    if found:
        # MkDocs would build the aliases; the checks do not (an alias can expand without bound).
        # The body is what the build converts when the YAML is a mapping.
        body = stripped if yamlsafe.is_mapping(source) else text
        problem = (found[0][1] + 1, "yaml-alias", "front matter uses a YAML alias (*name); write the value out")
        return FrontMatter(body, _suffix_offset(text, body), {}, problems=[problem])
    try:
        data, node = yamlsafe.load(source)
    except yamlsafe.YamlProblem as exc:
        # The build silently keeps such front matter as text; the checks report it.
        problem = (exc.line + 1, "front-matter-invalid", f"front matter is not valid YAML: {exc.message}")
        return FrontMatter(text, 0, {}, problems=[problem])
    if not isinstance(data, dict):
        problem = (1, "front-matter-invalid", f"front matter must be a mapping of fields, not {type(data).__name__}")
        return FrontMatter(text, 0, {}, problems=[problem])
    result = FrontMatter(stripped, _suffix_offset(text, stripped), data)
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            if isinstance(key, yaml.ScalarNode) and isinstance(key.value, str):
                result.lines.setdefault(key.value, key.start_mark.line + 2)
                if key.value == "legal_basis" and isinstance(value, yaml.SequenceNode):
                    result.basis_lines = [child.start_mark.line + 2 for child in value.value]
    return result


def _multimarkdown(text: str) -> FrontMatter:
    lines = text.split("\n")
    data: dict[str, Any] = {}
    key_lines: dict[str, int] = {}
    key: str | None = None
    index = 0
    while index < len(lines):
        line = lines[index]
        if line.strip() == "":
            index += 1
            break
        if m1 := _META_RE.match(line):
            key = m1.group("key").lower().strip()
            value = m1.group("value").strip()
            data[key] = f"{data[key]} {value}" if key in data else value
            key_lines.setdefault(key, index + 1)
        else:
            m2 = _META_MORE_RE.match(line)
            if m2 and key:
                data[key] += " {}".format(m2.group("value").strip())
            else:
                break
        index += 1
    body = "\n".join(lines[index:]).lstrip("\n")
    if not data:
        return FrontMatter(body, _suffix_offset(text, body), None)
    return FrontMatter(body, _suffix_offset(text, body), data, key_lines)
