"""scripts/letters.py: placeholders of the letter templates, their fields, the `kb.py check` part,
and the markup the build adds for the form."""

from __future__ import annotations

import json
import re
from pathlib import Path

import letters  # kbsite puts scripts/ on sys.path
import pytest
from kbsite import FRONT, both, check, write_site

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
DATA = ROOT / "data" / "letter-fields.yml"
LETTER_PAGES = sorted(p.name for p in (DOCS / "zh" / "act" / "letters").glob("*.md") if p.name != "index.md")


def block_text(text: str) -> list[tuple[int, str]]:
    """The lines inside the letter block, found without scripts/letters.py."""
    lines = text.split("\n")
    start = next(i for i, line in enumerate(lines) if line.startswith('<div class="kb-letter"'))
    end = next(i for i in range(start, len(lines)) if lines[i].strip() == "</div>")
    return [(i + 1, lines[i]) for i in range(start + 1, end)]


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("name", LETTER_PAGES)
def test_placeholders_are_extracted_from_every_template(lang: str, name: str) -> None:
    text = (DOCS / lang / "act" / "letters" / name).read_text(encoding="utf-8")
    opening, closing = letters.BRACKETS[lang]
    inside = block_text(text)
    found = list(letters.placeholders_of(text, lang))
    # One placeholder per opening bracket in the block, counted here independently.
    assert len(found) == sum(line.count(opening) for _, line in inside) > 3
    assert sum(line.count(closing) for _, line in inside) == len(found)
    # Innermost placeholders (no bracket inside) are exactly the bracketed texts of the source.
    innermost = [match for _, line in inside for match in re.findall(re.escape(opening) + "([^" + re.escape(opening + closing) + "]*)" + re.escape(closing), line)]
    assert sorted(innermost) == sorted(p for p in found if opening not in p)
    # Every placeholder is a field or a condition of the data file, in this language.
    data = letters.load_fields(DATA)
    assert data.problems == []
    for body in found:
        assert data.field_for(lang, body) or data.condition_for(lang, body), f"{name} ({lang}): {opening}{body}{closing} has no field"


@pytest.mark.parametrize("name", LETTER_PAGES)
def test_both_languages_of_a_letter_ask_for_the_same_fields(name: str) -> None:
    data = letters.load_fields(DATA)
    shapes = {}
    for lang in ("zh", "en"):
        blocks, problems = letters.letter_blocks((DOCS / lang / "act" / "letters" / name).read_text(encoding="utf-8"), lang)
        assert len(blocks) == 1 and problems == []
        uses, unresolved = letters.resolve(blocks[0].placeholders, lang, data)
        assert unresolved == []
        shapes[lang] = letters.signature(uses)
    assert shapes["zh"] == shapes["en"]
    assert "field:name" in shapes["zh"] and "field:lender" in shapes["zh"] and "field:date" in shapes["zh"]


def test_every_field_has_labels_in_both_languages() -> None:
    data = letters.load_fields(DATA)
    assert data.fields and data.conditions
    for field in data.fields.values():
        for lang in ("zh", "en"):
            assert field.text[lang].strip() and field.label[lang].strip(), f"{field.key} lacks {lang}"
        assert len(field.options("zh")) == len(field.options("en"))


def test_parse_line_nests_and_reports_unbalanced_brackets() -> None:
    nodes, problems = letters.parse_line("a【如适用：我的【家人 / 朋友】在【日期】】b【x】", 7, "zh")
    assert [n.body for n in nodes] == ["如适用：我的【家人 / 朋友】在【日期】", "x"]
    assert [c.body for c in nodes[0].children] == ["家人 / 朋友", "日期"]
    assert (nodes[0].line, nodes[0].col) == (7, 2)
    _, problems = letters.parse_line("a】b【c", 1, "zh")
    assert [col for col, _ in problems] == [2, 4]
    nodes, _ = letters.parse_line("To [Lender's name]: [If applicable: on [Date]]", 1, "en")
    assert [n.body for n in nodes] == ["Lender's name", "If applicable: on [Date]"]


def test_marking_keeps_the_text_and_lists_the_fields() -> None:
    data = letters.load_fields(DATA)
    source = (DOCS / "zh" / "act" / "letters" / "complaint.md").read_text(encoding="utf-8")
    marked = letters.mark_letter(source, "zh", data, "complaint")
    island = re.search(r'<script type="application/json" class="kb-letter-data">(.*?)</script>', marked)
    assert island
    without = marked.replace(island.group(0), "").replace("\n\n\n", "\n\n")
    without = re.sub(r"</?span[^>]*>", "", without).replace(' data-letter="complaint"', "")
    assert without.split() == source.split(), "marking changed the letter's text"
    spec = json.loads(island.group(1))
    assert "<" not in island.group(1) and spec["letter"] == "complaint" and spec["lang"] == "zh"
    keys = [i["key"] for i in spec["items"] if i["kind"] == "field"]
    assert len(keys) == len(set(keys)), "a field appears twice in the form"
    marked_keys = set(re.findall(r'data-key="([a-z_]+)"', marked))
    assert marked_keys == set(keys)
    nested = [i for i in spec["items"] if i["parent"]]
    assert nested and all(any(c["kind"] == "if" and c["id"] == i["parent"] for c in spec["items"]) for i in nested)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_condition_checkbox_is_labelled_as_an_action_without_brackets(lang: str) -> None:
    """The complaint's third fact holds two fields: its checkbox names neither with brackets."""
    data = letters.load_fields(DATA)
    text = (DOCS / lang / "act" / "letters" / "complaint.md").read_text(encoding="utf-8")
    blocks, _ = letters.letter_blocks(text, lang)
    uses, _ = letters.resolve(blocks[0].placeholders, lang, data)
    own = [i["label"] for i in letters.form_items(uses, lang) if i["kind"] == "if"]
    opening, closing = letters.BRACKETS[lang]
    assert own, "the complaint has no optional sentence"
    for label in own:
        assert label.startswith({"zh": "在信里加上：", "en": "Add to the letter: "}[lang]), label
        assert opening not in label and closing not in label, label
        assert label.count({"zh": "……", "en": "…"}[lang]) == 2, label


def test_marking_an_unknown_placeholder_fails_with_its_line() -> None:
    data = letters.load_fields(DATA)
    text = '# T\n\n<div class="kb-letter" markdown>\n\n我是【你的姓名】，住在【不存在的字段】。\n\n</div>\n'
    col = text.split("\n")[4].index("【不存在的字段】") + 1
    with pytest.raises(letters.LetterError, match=rf"^page\.md:5:{col}: placeholder 【不存在的字段】"):
        letters.mark_letter(text, "zh", data, "x", "page.md")


LETTER_ZH = FRONT + '\n# 信\n\n<div class="kb-letter" markdown>\n\n【贷款机构名称】：我是【你的姓名】。\n\n</div>\n'
LETTER_EN = FRONT + '\n# Letter\n\n<div class="kb-letter" markdown>\n\nTo [Lender\'s name]: I am [Your name].\n\n</div>\n'
FIELDS = "fields:\n  lender: {zh: 贷款机构名称, en: Lender's name}\n  name: {zh: 你的姓名, en: Your name}\n"


def fixture(tmp_path: Path, zh: str = LETTER_ZH, en: str = LETTER_EN, fields: str | None = FIELDS) -> Path:
    pages = {**both("index.md", FRONT + "\n# 首页\n"), "zh/act/letters/a.md": zh, "en/act/letters/a.md": en}
    config = write_site(tmp_path, pages)
    if fields is not None:
        (tmp_path / "data" / "letter-fields.yml").write_text(fields, encoding="utf-8")
    return config


def letter_findings(config: Path) -> list[tuple[str, str, int, int]]:
    return [(f.code, f.path.as_posix(), f.line, f.col) for f in check(config) if f.code.startswith("letter-")]


def test_kb_check_accepts_a_complete_letter(tmp_path: Path) -> None:
    assert letter_findings(fixture(tmp_path)) == []


def test_kb_check_reports_a_placeholder_without_a_field(tmp_path: Path) -> None:
    zh = LETTER_ZH.replace("我是【你的姓名】", "我是【你的姓名】，电话【你的电话】")
    line_text = next(x for x in zh.split("\n") if "你的电话" in x)
    found = letter_findings(fixture(tmp_path, zh=zh))
    assert found == [("letter-placeholder", "docs/zh/act/letters/a.md", zh.split("\n").index(line_text) + 1, line_text.index("【你的电话】") + 1)]


def test_kb_check_reports_letters_that_ask_for_different_fields(tmp_path: Path) -> None:
    zh = LETTER_ZH.replace("我是【你的姓名】", "我是【你的姓名】，电话【你的电话】")
    fields = FIELDS + "  phone: {zh: 你的电话, en: Your phone number}\n"
    found = letter_findings(fixture(tmp_path, zh=zh, fields=fields))
    assert found == [("letter-fields-differ", "docs/en/act/letters/a.md", 1, 1)]


def test_kb_check_reports_a_field_without_both_labels(tmp_path: Path) -> None:
    fields = FIELDS.replace("name: {zh: 你的姓名, en: Your name}", "name: {zh: 你的姓名}")
    line = fields.split("\n").index("  name: {zh: 你的姓名}") + 1
    found = letter_findings(fixture(tmp_path, fields=fields))
    assert ("letter-field-label", "data/letter-fields.yml", line, 1) in found
    assert any(code == "letter-placeholder" and path == "docs/en/act/letters/a.md" for code, path, _, _ in found)


def test_kb_check_reports_a_letter_page_without_a_letter_and_a_missing_data_file(tmp_path: Path) -> None:
    found = letter_findings(fixture(tmp_path, en=FRONT + "\n# Letter\n\nNo letter here.\n", fields=None))
    assert ("letter-missing", "docs/en/act/letters/a.md", 1, 1) in found
    assert any(code == "letter-data-invalid" and path == "data/letter-fields.yml" for code, path, _, _ in found)


def test_kb_check_on_the_real_docs_has_no_letter_findings() -> None:
    import kb

    findings = kb.run_check(kb.load_config(ROOT / "mkdocs.yml"))
    assert [f for f in findings if f.code.startswith(("letter-", "card-"))] == []
