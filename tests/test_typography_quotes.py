"""The typography lint's own rule: straight double quotes in Chinese text (scripts/typography.py)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))

from typography import straight_quote_findings  # noqa: E402


@pytest.mark.parametrize(
    ("text", "quoted"),
    [
        ('例如信用卡"恶意透支"。', '"恶意透支"'),
        ('不要付钱给承诺"停息挂账""征信修复"的中介。', '"停息挂账"'),
        ('"停息挂账"不是法律用语。', '"停息挂账"'),
        ('可以拨打 "12378" 投诉。', '"12378"'),
        ('- 说明"尚无定论"', '"尚无定论"'),
        ('    请他们说"我不是借款人"。', '"我不是借款人"'),
        ('《关于办理实施"软暴力"的刑事案件若干问题的意见》', '"软暴力"'),
    ],
)
def test_flags_straight_quotes_in_chinese_text(text: str, quoted: str) -> None:
    findings = straight_quote_findings(text)
    assert findings, text
    line, col, found = findings[0]
    assert (line, found) == (1, quoted)
    assert text[col - 1] == '"'


def test_flags_every_pair_and_reports_its_line() -> None:
    text = '第一行没有问题。\n承诺"停息挂账""征信修复"的中介\n'
    assert [(line, quoted) for line, _, quoted in straight_quote_findings(text)] == [(2, '"停息挂账"'), (2, '"征信修复"')]


def test_flags_a_quote_inside_a_front_matter_value() -> None:
    plain = '---\ntitle: 协商\ndescription: 为什么没人能保证"停息挂账"。\n---\n'
    escaped = '---\ntitle: 协商\ndescription: "为什么没人能保证\\"停息挂账\\"。"\n---\n'
    assert [line for line, _, _ in straight_quote_findings(plain)] == [3]
    assert [(line, quoted) for line, _, quoted in straight_quote_findings(escaped)] == [(3, '"停息挂账"')]


@pytest.mark.parametrize(
    "text",
    [
        '---\ntitle: "法规索引"\ndescription: "本站引用的全部法律文件。"\nlegal_basis:\n  - id: civil-code\n    articles: ["1033"]\n---\n',
        '---\ntitle: {zh: "中文标题", en: "English"}\n---\n',
        '---\ndescription: "What \\"allow contacts\\" covers, and which rules \\"爆通讯录\\" breaks."\n---\n',
        '用代码写成 `"中文"` 的不算。',
        '```yaml\ntitle: 中文"引号"中文\n```\n',
        '<span title="中文说明">说明</span>',
        '<!-- 注释里的"引号" -->',
        '见[协商还款](negotiate.md "协商还款")。',
        '[协商]: negotiate.md "协商还款"',
        '## 标题 {: title="中文" }',
        '!!! note "和支付宝的产品不要混淆"',
        '??? tip "你可以这样说"',
        'The term "停息挂账" is not a legal term.',
        'A "case filed" (已立案) text message.',
        "中文里用中文引号：“停息挂账”。",
    ],
)
def test_leaves_syntax_and_english_prose_alone(text: str) -> None:
    assert straight_quote_findings(text) == []


def test_cli_reports_file_line_and_column(tmp_path: Path) -> None:
    bad = tmp_path / "bad.md"
    bad.write_text('# 标题\n\n信用卡"恶意透支"。\n', encoding="utf-8")
    result = subprocess.run([sys.executable, str(ROOT / "scripts" / "typography.py"), str(bad)], capture_output=True, text=True, check=False)
    assert result.returncode == 1
    assert "bad.md:3:4: typography straight quotes" in result.stdout
    assert "“恶意透支”" in result.stdout
    good = tmp_path / "good.md"
    good.write_text("# 标题\n\n信用卡“恶意透支”。\n", encoding="utf-8")
    result = subprocess.run([sys.executable, str(ROOT / "scripts" / "typography.py"), str(good)], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout
