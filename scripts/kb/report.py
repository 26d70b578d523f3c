"""Findings as text (PATH:LINE:COL: CODE MESSAGE), GitHub annotations or JSON.

Text output escapes control characters and line breaks, so nothing read from a page or a YAML key
can start a line of its own (a GitHub workflow command such as `::add-mask::`, for instance).
"""

from __future__ import annotations

import json
import re

from .model import Finding

_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def clean(text: str) -> str:
    """One safe line: control characters, line breaks and bidirectional overrides escaped."""
    return _CONTROL.sub(lambda m: f"\\x{ord(m.group(0)):02x}" if ord(m.group(0)) < 0x100 else f"\\u{ord(m.group(0)):04x}", text)


def _github(text: str, prop: bool = False) -> str:
    text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    return text.replace(":", "%3A").replace(",", "%2C") if prop else text


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"


def report(findings: list[Finding], fmt: str, pages: int) -> str:
    errors = sum(f.severity == "error" for f in findings)
    warnings = len(findings) - errors
    if fmt == "json":
        return json.dumps(
            [{"path": f.path.as_posix(), "line": f.line, "col": f.col, "code": f.code, "severity": f.severity, "message": f.message, **({"target": f.target} if f.target else {})} for f in findings],
            ensure_ascii=False,
            indent=1,
        )
    out = []
    for f in findings:
        if fmt == "github":
            level = "error" if f.severity == "error" else "warning"
            props = f"file={_github(clean(f.path.as_posix()), True)},line={f.line},col={f.col},title={_github(f.code, True)}"
            out.append(f"::{level} {props}::{_github(clean(f.message))}")
        else:
            suffix = "" if f.severity == "error" else " (warning)"
            out.append(f"{clean(f.path.as_posix())}:{f.line}:{f.col}: {f.code} {clean(f.message)}{suffix}")
    out.append(f"{_count(errors, 'error')}, {_count(warnings, 'warning')} in {_count(pages, 'page')}")
    return "\n".join(out)
