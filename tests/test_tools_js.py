"""The tools' JavaScript (docs/assets/javascripts/, issue 15), read as text: Chinese strings follow the
typography rules, both languages are there, and nothing in it can make a request."""

from __future__ import annotations

import re
from pathlib import Path

import autocorrect_py
import pytest

ROOT = Path(__file__).resolve().parent.parent
TOOLS = ["tools.js", "letter.js", "evidence-log.js", "cards.js"]
SOURCES = {name: (ROOT / "docs" / "assets" / "javascripts" / name).read_text(encoding="utf-8") for name in TOOLS}
PAIR = re.compile(r'\[\s*"((?:[^"\\]|\\.)*)"\s*,\s*"((?:[^"\\]|\\.)*)"\s*\]')
CJK = re.compile(r"[\u3400-\u9fff]")


@pytest.mark.parametrize("name", TOOLS)
def test_chinese_strings_follow_the_typography_rules(name: str) -> None:
    pairs = PAIR.findall(SOURCES[name])
    chinese = [zh for zh, _ in pairs if CJK.search(zh)]
    assert chinese, f"{name}: no [zh, en] string pairs found"
    findings = autocorrect_py.lint_for(SOURCES[name], name).lines
    assert not findings, "\n".join(f"{name}:{f.line}:{f.col}: {f.old!r} -> {f.new!r}" for f in findings)
    for zh, en in pairs:
        if CJK.search(zh):
            assert en.strip() and not CJK.search(en), f"{name}: {zh!r} has no English text"


@pytest.mark.parametrize("name", TOOLS)
def test_nothing_in_the_tools_makes_a_request(name: str) -> None:
    code = re.sub(r"/\*.*?\*/", "", SOURCES[name], flags=re.DOTALL)
    for needle in ("fetch(", "XMLHttpRequest", "WebSocket", "sendBeacon", "EventSource", "import(", "http://", "https://", ".src =", "new Image"):
        assert needle not in code, f"{name} uses {needle}"
    # Storage only through the helpers that run after the reader asked (tools.js).
    if name != "tools.js":
        assert "localStorage" not in code and "sessionStorage" not in code and "document.cookie" not in code
