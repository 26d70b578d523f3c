"""The message checker's rules: validation (scripts/message_rules.py, wired into kb.py check), what
the build makes of them (the list on the page, the JSON), and the JavaScript engine's normalisation,
negation, time and count rules and API, run for real in Node or Chromium."""

from __future__ import annotations

import copy
import json
import os
import re
import shutil
from pathlib import Path
from typing import Any

import autocorrect_py
import checker_js
import message_rules
import pytest
import yaml
from kb.registry import load_registry
from kbsite import ROOT, run_cli

RULES = ROOT / message_rules.DEFAULT_PATH
REGISTRY = load_registry(ROOT / "data" / "laws.yml", list(message_rules.LANGS))


def real_rules() -> message_rules.RulesFile:
    return message_rules.load(RULES)


def rules_from(data: dict[str, Any], tmp_path: Path) -> message_rules.RulesFile:
    path = tmp_path / "message-rules.yml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=1000), encoding="utf-8")
    return message_rules.load(path)


def pages_facts() -> dict[str, dict[str, message_rules.PageFacts]]:
    """Facts about the real pages, taken from kb.py's own model."""
    import kb

    site = kb.load_site(kb.load_config(ROOT / "mkdocs.yml"))
    checker = real_rules().data["page"]
    out: dict[str, dict[str, message_rules.PageFacts]] = {lang: {} for lang in site.config.langs}
    for page in site.all_pages():
        basis = tuple(e["id"] for e in (page.meta or {}).get("legal_basis") or [] if isinstance(e, dict))
        text = page.path.read_text(encoding="utf-8") if page.vpath == checker else ""
        out[page.lang][page.vpath] = message_rules.PageFacts(frozenset(page.anchors), basis, text)
    return out


@pytest.fixture(scope="module")
def pages() -> dict[str, dict[str, message_rules.PageFacts]]:
    return pages_facts()


def codes_of(problems: list[message_rules.Problem]) -> set[str]:
    return {p.code for p in problems}


def rule_index(data: dict[str, Any], code: str) -> int:
    return next(i for i, r in enumerate(data["rules"]) if r["code"] == code)


# --- validation ---------------------------------------------------------------------------------


def test_the_real_rules_are_valid(pages: dict[str, dict[str, message_rules.PageFacts]]) -> None:
    problems = message_rules.validate(real_rules(), REGISTRY, pages, "reference/myths.md")
    assert not problems, "\n".join(f"{RULES}:{p.line}:{p.col}: {p.code} {p.message}" for p in problems)


def test_every_contract_code_has_a_rule_and_nothing_else_does() -> None:
    codes = [r["code"] for r in real_rules().rules]
    assert set(message_rules.CODES) <= set(codes)
    assert set(codes) <= set(message_rules.CODES) | set(message_rules.OPTIONAL_CODES)


@pytest.mark.parametrize(
    ("change", "code", "needle"),
    [
        ("unknown code", "rules-unknown-code", "no-such-code"),
        ("missing code", "rules-missing-code", "insult"),
        ("duplicate code", "rules-duplicate-code", "threat"),
        ("bad regex", "rules-bad-pattern", "does not compile"),
        ("look-behind", "rules-bad-pattern", "look-behind"),
        ("upper case", "rules-bad-pattern", "lower case"),
        ("empty match", "rules-bad-pattern", "empty text"),
        ("unknown term", "rules-bad-pattern", "unknown term"),
        ("unknown instrument", "unknown-instrument", "no-such-law"),
        ("repealed basis", "repealed-instrument", "contract-law"),
        ("broken page", "rules-broken-link", "no-such-page.md"),
        ("broken anchor", "rules-broken-anchor", "no-such-anchor"),
        ("bad time", "rules-invalid", "HH:MM"),
        ("missing ui text", "rules-invalid", "ui.en.none_title"),
    ],
)
def test_validation_reports_each_problem_at_its_line(tmp_path: Path, pages: dict[str, dict[str, message_rules.PageFacts]], change: str, code: str, needle: str) -> None:
    data = copy.deepcopy(real_rules().data)
    threat = data["rules"][rule_index(data, "threat")]
    marker = None
    if change == "unknown code":
        data["rules"][0]["code"] = "no-such-code"
    elif change == "missing code":
        del data["rules"][rule_index(data, "insult")]
    elif change == "duplicate code":
        data["rules"].append(copy.deepcopy(threat))
    elif change in ("bad regex", "look-behind", "upper case", "empty match", "unknown term"):
        marker = {"bad regex": "小心(", "look-behind": "(?<!不)小心", "upper case": "Watch out", "empty match": "(?:小心)?", "unknown term": "{no-such-term}小心"}[change]
        threat["patterns"]["zh"].append(marker)
    elif change == "unknown instrument":
        threat["basis"].append({"id": "no-such-law"})
    elif change == "repealed basis":
        threat["basis"].append({"id": "contract-law"})
        marker = "contract-law"
    elif change == "broken page":
        threat["link"]["to"] = "messages/no-such-page.md#x"
        marker = "no-such-page.md"
    elif change == "broken anchor":
        threat["link"]["to"] = "messages/content-and-language.md#no-such-anchor"
        marker = "no-such-anchor"
    elif change == "bad time":
        data["rules"][rule_index(data, "hours")]["window"]["from"] = "10pm"
    elif change == "missing ui text":
        del data["ui"]["en"]["none_title"]
    rules = rules_from(data, tmp_path)
    problems = message_rules.validate(rules, REGISTRY, pages, "reference/myths.md")
    matching = [p for p in problems if p.code == code and needle in p.message]
    assert matching, f"{change}: expected {code} mentioning {needle!r}, got {[(p.code, p.message) for p in problems]}"
    if marker:
        line = rules.path.read_text(encoding="utf-8").splitlines()[matching[0].line - 1]
        assert marker in line, f"{change}: reported line {matching[0].line} is {line!r}"


def test_checker_page_must_cite_what_the_rules_cite(tmp_path: Path, pages: dict[str, dict[str, message_rules.PageFacts]]) -> None:
    data = copy.deepcopy(real_rules().data)
    data["rules"][rule_index(data, "threat")]["basis"].append({"id": "illegal-lending-opinion"})
    problems = message_rules.validate(rules_from(data, tmp_path), REGISTRY, pages, "reference/myths.md")
    assert any(p.code == "rules-basis-mismatch" and "illegal-lending-opinion" in p.message for p in problems)
    no_placeholder = {
        lang: {**facts, "tools/check-message.md": message_rules.PageFacts(facts["tools/check-message.md"].anchors, facts["tools/check-message.md"].basis, "")} for lang, facts in pages.items()
    }
    problems = message_rules.validate(real_rules(), REGISTRY, no_placeholder, "reference/myths.md")
    assert any(message_rules.PLACEHOLDER in p.message for p in problems)


def test_kb_check_reports_a_broken_rules_link_with_file_line_and_column(tmp_path: Path) -> None:
    project = tmp_path / "project"
    project.mkdir()
    shutil.copy(ROOT / "mkdocs.yml", project / "mkdocs.yml")
    shutil.copytree(ROOT / "docs", project / "docs")
    shutil.copytree(ROOT / "data", project / "data")
    # kb.py loads the config as MkDocs does: the theme's custom_dir and the hooks must exist.
    shutil.copytree(ROOT / "overrides", project / "overrides")
    shutil.copytree(ROOT / "scripts", project / "scripts", ignore=shutil.ignore_patterns("__pycache__"))
    path = project / "data" / "message-rules.yml"
    text = path.read_text(encoding="utf-8").replace("messages/content-and-language.md#impersonation", "messages/content-and-language.md#gone", 1)
    path.write_text(text, encoding="utf-8")
    line = next(n for n, t in enumerate(text.splitlines(), 1) if "#gone" in t)
    result = run_cli("check", cwd=project)
    assert result.returncode == 1, result.stdout + result.stderr
    assert re.search(rf"^data/message-rules\.yml:{line}:\d+: rules-broken-anchor .*'gone'", result.stdout, re.MULTILINE), result.stdout


# --- what the build makes of the rules -----------------------------------------------------------


def test_registry_repealed_laws_are_found_and_superseded_revisions_of_current_laws_are_not() -> None:
    laws = {law["id"]: law for law in message_rules.registry_laws(REGISTRY)}
    assert "contract-law" in laws
    assert "psapl-2012" not in laws, "the 2012 text shares its name with the law in force"
    zh = re.compile(laws["contract-law"]["patterns"][0])
    assert zh.search("依据《合同法》第一百零七条") and zh.search("中华人民共和国合同法")
    assert not zh.search("合同法律关系"), "'合同法律' is not the Contract Law"


def test_json_is_deterministic_and_complete() -> None:
    text = message_rules.json_text(real_rules(), REGISTRY)
    assert text == message_rules.json_text(real_rules(), REGISTRY)
    data = json.loads(text)
    assert {r["code"] for r in data["rules"]} == set(message_rules.CODES) | {"frequency"}
    fake_law = next(r for r in data["rules"] if r["code"] == "fake-law")
    assert {"collection-measures", "law-of-obligations", "contract-law"} <= {law["id"] for law in fake_law["laws"]}
    assert set(data["ui"]) == {"zh", "en"}


def test_rendered_list_escapes_everything_from_the_data_file(tmp_path: Path) -> None:
    data = copy.deepcopy(real_rules().data)
    threat = data["rules"][rule_index(data, "threat")]
    threat["explanation"]["zh"] = "<script>alert(1)</script> *粗体* [链接](http://evil.example) # 标题"
    threat["examples"]["zh"] = ["<img src=x onerror=alert(1)>"]
    out = message_rules.render_markdown(rules_from(data, tmp_path), REGISTRY, "zh")
    assert "<script" not in out and "<img" not in out
    assert "&#60;script&#62;" in out and "&#42;粗体&#42;" in out and "&#91;链接&#93;" in out


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_rendered_list_has_every_rule_with_kind_citation_and_link(lang: str) -> None:
    out = message_rules.render_markdown(real_rules(), REGISTRY, lang)
    for code in message_rules.CODES:
        assert f'data-code="{code}"' in out and f"{{#rule-{code}}}" in out
    kind = "行业自律规范" if lang == "zh" else "Industry self-regulation"
    assert out.count(kind) >= 10
    assert "](../messages/time-and-frequency.md#call-hours)" in out
    assert "8:00" not in out.replace("08:00", ""), "the invented 8:00-21:00 window must never appear"


def test_rendered_chinese_follows_the_typography_rules() -> None:
    out = message_rules.render_markdown(real_rules(), REGISTRY, "zh")
    result = autocorrect_py.lint_for(out, "rules.md")
    assert not result.lines, [(line.line, line.old, line.new) for line in result.lines]


def test_built_site_serves_the_json_and_lists_the_rules_without_javascript(built_site: Path) -> None:
    served = built_site / message_rules.JSON_PATH
    assert served.read_text(encoding="utf-8") == message_rules.json_text(real_rules(), REGISTRY)
    assert oct(served.stat().st_mode & 0o777) == oct(0o644)
    assert not (ROOT / "docs" / message_rules.JSON_PATH).exists(), "the JSON must not be written into docs/"
    for page in (built_site / "tools" / "check-message" / "index.html", built_site / "en" / "tools" / "check-message" / "index.html"):
        html = page.read_text(encoding="utf-8")
        for code in message_rules.CODES:
            assert f'data-code="{code}"' in html, f"{page}: no rule block for {code}"
        assert "check-message.js" in html and "check-message.css" in html
        assert message_rules.PLACEHOLDER not in html
    other = (built_site / "messages" / "index.html").read_text(encoding="utf-8")
    assert "check-message.js" not in other, "the checker's script loads on other pages"


# --- the JavaScript engine -----------------------------------------------------------------------


@pytest.fixture(scope="module")
def js() -> Any:
    reason = checker_js.unavailable_reason()
    if reason:
        if os.environ.get("KB_REQUIRE_BROWSER") == "1":
            pytest.fail(reason, pytrace=False)
        pytest.skip(reason)

    def run(cases: list[dict[str, Any]], data: dict[str, Any] | None = None) -> dict[str, Any]:
        return checker_js.run(cases, data)

    return run


def codes(result: list[dict[str, Any]]) -> set[str]:
    return {f["code"] for f in result}


def test_normalisation_handles_width_spacing_traditional_and_numerals(js: Any) -> None:
    texts = ["老　赖", "老*赖", "老 . 赖", "你這個騙子", "ＹＯＵ　ＤＥＡＤＢＥＡＴ", "影响 三 代", "交两千元删除记录", "万一", "一个"]
    out = js([{"text": t, "normalise": True} for t in texts])
    normal = [r["text"] for r in out["results"]]
    assert normal[:3] == ["老赖", "老赖", "老赖"]
    assert normal[3] == "你这个骗子"
    assert normal[4] == "you deadbeat"
    assert normal[5] == "影响3代"
    assert "2000元" in normal[6]
    assert normal[7] == "万一" and normal[8] == "一个", "numerals that are not amounts stay words"


def test_findings_point_at_the_readers_own_words(js: Any) -> None:
    texts = ["你这个老 赖，臭不要臉！", "Ｐａｙ　ｏｒ　ｅｌｓｅ.", "影响你的三 代人"]
    out = js([{"text": t} for t in texts])
    assert not out["errors"]
    for text, result in zip(texts, out["results"], strict=True):
        assert result, f"nothing found in {text!r}"
        for finding in result:
            assert finding["match"] == finding["matches"][0]["text"]
            for match in finding["matches"]:
                assert text[match["start"] : match["end"]] == match["text"]
    assert "老 赖" in [m["text"] for m in out["results"][0][0]["matches"]]


def test_negation_only_when_the_sender_negates_its_own_action(js: Any) -> None:
    cases = {
        "我们不会联系您的家人": set(),
        "不还就联系你的家人": {"third-party"},
        "要不要我们通知你家人？": {"third-party"},
        "We will not contact your employer.": set(),
        "If you do not pay, we will contact your employer.": {"workplace"},
        "Don't make us call your family.": {"third-party"},
    }
    out = js([{"text": t} for t in cases])
    for (text, want), result in zip(cases.items(), out["results"], strict=True):
        assert codes(result) == want, f"{text!r}: {codes(result)}"


@pytest.mark.parametrize(
    ("time", "flagged"),
    [("22:00", True), ("21:59", False), ("23:30", True), ("00:00", True), ("07:59", True), ("08:00", False), ("12:00", False), ("", False), ("25:00", False), ("abc", False)],
)
def test_hours_only_between_22_and_08_and_only_with_a_time(js: Any, time: str, flagged: bool) -> None:
    out = js([{"text": "请尽快还款", "opts": {"time": time}}])
    assert ("hours" in codes(out["results"][0])) is flagged


def test_counts_follow_the_standard_and_the_guideline(js: Any) -> None:
    cases = [({"connected": 3}, False), ({"connected": 4}, True), ({"unanswered": 6}, False), ({"unanswered": 7}, True), ({}, False)]
    out = js([{"text": "", "opts": opts} for opts, _ in cases])
    for (opts, flagged), result in zip(cases, out["results"], strict=True):
        assert ("frequency" in codes(result)) is flagged, opts


def test_every_example_on_the_page_is_found_by_its_own_rule(js: Any) -> None:
    cases = [(rule["code"], example) for rule in real_rules().rules for lang in ("zh", "en") for example in (rule.get("examples") or {}).get(lang, [])]
    out = js([{"text": example} for _, example in cases])
    missed = [f"{code}: {example}" for (code, example), result in zip(cases, out["results"], strict=True) if code not in codes(result)]
    assert not missed, "examples the checker does not recognise:\n" + "\n".join(missed)


def test_fake_law_names_the_law(js: Any) -> None:
    out = js([{"text": "依据《合同法》和《债权法》"}])
    finding = next(f for f in out["results"][0] if f["code"] == "fake-law")
    assert set(finding["laws"]) == {"contract-law", "law-of-obligations"}


def test_a_pattern_that_does_not_compile_is_reported_and_skipped(js: Any) -> None:
    data = checker_js.rules_data()
    threat = next(r for r in data["rules"] if r["code"] == "threat")
    threat["patterns"] = ["小心(", *threat["patterns"]]
    out = js([{"text": "小心你的腿"}], data)
    assert any("does not compile" in e for e in out["errors"])
    assert "threat" in codes(out["results"][0]), "the other patterns still work"
