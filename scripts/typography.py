"""Chinese typography lint of docs/ with AutoCorrect (autocorrect-py), plus a quotation-mark rule.

Reports missing spaces between Chinese and Latin letters or digits and half-width punctuation in
Chinese text as PATH:LINE:COL findings; exits 1 when there are any. AutoCorrect leaves straight
double quotes alone, so `straight_quote_findings` adds one rule of our own: a pair of ASCII double
quotes whose nearest visible neighbour outside it is Chinese text must be Chinese quotation marks
(“”). Markdown and YAML syntax is not text and is never flagged: code spans and fences, HTML tags
and comments, link targets and titles, attribute lists, admonition titles, and the quotes that
delimit a front-matter value. Run it from the repo root:

    python scripts/typography.py [PATH ...]
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import autocorrect_py

# Han ideographs, CJK symbols and punctuation (、。「」…), full-width forms (，：；！？（）).
_CJK = re.compile(r"[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef]")
_FENCE = re.compile(r"^\s*(`{3,}|~{3,})")
_CODE_SPAN = re.compile(r"(`+)(?:(?!\1).)+?\1")
_HTML = re.compile(r"<!--.*?-->|<[A-Za-z/!][^>]*>")
_LINK_TARGET = re.compile(r"\]\([^)]*\)")
_LINK_DEFINITION = re.compile(r"^\s{0,3}\[[^\]]+\]:\s.*$")
_ATTR_LIST = re.compile(r"\{:?\s*[#.\w][^{}]*\}")
_ADMONITION_TITLE = re.compile(r'^(\s*(?:!!!|\?\?\?\+?)\s+[\w-]+(?:\s+[\w-]+)*\s+)"[^"]*"')


def _mask(text: str) -> str:
    return "\x00" * len(text)


def _syntax_masked(line: str) -> str:
    """The line with every span that is Markdown syntax, not prose, replaced by NULs (same length)."""
    line = _ADMONITION_TITLE.sub(lambda m: m.group(1) + _mask(m.group(0)[len(m.group(1)) :]), line)
    for pattern in (_CODE_SPAN, _HTML, _LINK_TARGET, _LINK_DEFINITION, _ATTR_LIST):
        line = pattern.sub(lambda m: _mask(m.group(0)), line)
    return line


def _neighbour(line: str, index: int, step: int) -> str:
    """The nearest character from `index` in direction `step` that is not white space or masked."""
    while 0 <= index < len(line):
        if not line[index].isspace() and line[index] != "\x00":
            return line[index]
        index += step
    return ""


def straight_quote_findings(text: str) -> list[tuple[int, int, str]]:
    """(line, column, quoted text) for each pair of ASCII double quotes that sits in Chinese text."""
    lines = text.split("\n")
    found: list[tuple[int, int, str]] = []
    front_matter_end = 0
    if lines and lines[0].strip() == "---":
        front_matter_end = next((i for i in range(1, len(lines)) if lines[i].strip() in ("---", "...")), 0)
    fence: str | None = None
    for number, raw in enumerate(lines, start=1):
        fence_match = _FENCE.match(raw)
        if fence is not None:
            if fence_match and fence_match.group(1)[0] == fence[0] and len(fence_match.group(1)) >= len(fence):
                fence = None
            continue
        if fence_match and number > (front_matter_end + 1 if front_matter_end else 0):
            fence = fence_match.group(1)
            continue
        in_front_matter = 1 < number <= front_matter_end
        line = raw
        if in_front_matter and '\\"' in raw:
            # A double-quoted YAML value: its delimiting quotes are syntax, and a quote in the text
            # is written \" (read it as a quote).
            line = re.sub(r'(?<!\\)"', "\x00", raw).replace('\\"', '\x00"')
        line = _syntax_masked(line)
        quotes = [i for i, ch in enumerate(line) if ch == '"']
        for start, end in zip(quotes[::2], quotes[1::2]):
            outside = _neighbour(line, start - 1, -1) + _neighbour(line, end + 1, 1)
            if _CJK.search(outside):
                found.append((number, start + 1, line[start : end + 1].replace("\x00", "")))
        if len(quotes) % 2:
            last = quotes[-1]
            if _CJK.search(_neighbour(line, last - 1, -1) + _neighbour(line, last + 1, 1)):
                found.append((number, last + 1, '"'))
    return found


def lint(paths: list[Path]) -> list[str]:
    findings: list[str] = []
    for path in paths:
        files = sorted(path.rglob("*.md")) if path.is_dir() else [path]
        for file in files:
            text = file.read_text(encoding="utf-8")
            result = autocorrect_py.lint_for(text, file.name)
            for line in result.lines:
                findings.append(f"{file.as_posix()}:{line.line}:{line.col}: typography {line.old.strip()!r} -> {line.new.strip()!r}")
            for number, col, quoted in straight_quote_findings(text):
                fixed = "“" + quoted[1:-1] + "”" if len(quoted) > 1 else "“ or ”"
                findings.append(f"{file.as_posix()}:{number}:{col}: typography straight quotes in Chinese text {quoted!r} -> {fixed!r}")
    return findings


def main(argv: list[str]) -> int:
    findings = lint([Path(a) for a in argv] or [Path("docs")])
    for finding in findings:
        print(finding)
    print(f"{len(findings)} typography finding(s)")
    return 1 if findings else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
