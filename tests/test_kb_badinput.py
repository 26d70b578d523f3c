"""Bad input never gives a traceback: a finding with file and line, or a one-line usage error (exit 2)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from kbsite import CONFIG, FRONT, both, check, run_cli, write_site


def assert_clean_failure(result: object, code: int) -> None:
    stdout, stderr, returncode = result.stdout, result.stderr, result.returncode  # type: ignore[attr-defined]
    assert "Traceback" not in stdout + stderr
    assert returncode == code, stdout + stderr


def findings_for(tmp_path: Path, rel: str) -> list[tuple[str, int]]:
    config = tmp_path / "mkdocs.yml"
    return [(f.code, f.line) for f in check(config) if f.path.as_posix() == rel]


def test_non_utf8_page(tmp_path: Path) -> None:
    write_site(tmp_path, both("index.md", FRONT + "# I\n"))
    (tmp_path / "docs/zh/latin1.md").write_bytes(b"---\ntitle: T\n---\n\ncaf\xe9\n")
    assert ("unreadable-file", 5) in findings_for(tmp_path, "docs/zh/latin1.md")
    assert_clean_failure(run_cli("check", cwd=tmp_path), 1)


def test_empty_page(tmp_path: Path) -> None:
    write_site(tmp_path, {**both("index.md", FRONT + "# I\n"), **both("empty.md", "")})
    assert ("missing-field", 1) in findings_for(tmp_path, "docs/zh/empty.md")
    assert_clean_failure(run_cli("check", cwd=tmp_path), 1)


def test_binary_page(tmp_path: Path) -> None:
    write_site(tmp_path, both("index.md", FRONT + "# I\n"))
    (tmp_path / "docs/zh/binary.md").write_bytes(bytes(range(256)) * 4)
    assert ("unreadable-file", 1) in findings_for(tmp_path, "docs/zh/binary.md")
    assert_clean_failure(run_cli("check", cwd=tmp_path), 1)


@pytest.mark.parametrize("front", ["---\n- a list\n---\n", "---\njust a string\n---\n", "---\n42\n---\n", "---\n---\n"])
def test_front_matter_that_is_not_a_mapping(tmp_path: Path, front: str) -> None:
    write_site(tmp_path, {**both("index.md", FRONT + "# I\n"), **both("odd.md", front + "# Odd\n")})
    found = findings_for(tmp_path, "docs/zh/odd.md")
    assert found and all(line >= 1 for _, line in found)
    assert {"front-matter-invalid", "missing-field"} & {code for code, _ in found}
    assert_clean_failure(run_cli("check", cwd=tmp_path), 1)


def test_unterminated_fences(tmp_path: Path) -> None:
    page = FRONT + "\n# I\n\n~~~~\nnever closed\n\n```\nalso open\n"
    write_site(tmp_path, both("index.md", page))
    found = findings_for(tmp_path, "docs/zh/index.md")
    assert ("unclosed-fence", 11) in found and ("unclosed-fence", 14) in found
    assert_clean_failure(run_cli("check", cwd=tmp_path), 1)


def test_links_with_spaces_and_angle_brackets(tmp_path: Path) -> None:
    page = FRONT + "\n# I\n\n[a](<has space.md>) [b](has space.md) [c](<unclosed [d](<> ) [e]( ) [f](<a>b>) <not a link.md> [g](a.md#<x>)\n"
    write_site(tmp_path, both("index.md", page))
    found = findings_for(tmp_path, "docs/zh/index.md")
    assert {code for code, _ in found} <= {"broken-link", "broken-anchor", "faq-stale", "laws-stale"}
    assert all(line == 11 for code, line in found if code.startswith("broken"))
    assert_clean_failure(run_cli("check", cwd=tmp_path), 1)


@pytest.mark.skipif(os.name == "nt", reason="symlinks")
def test_symlink_loops(tmp_path: Path) -> None:
    # Issue 11: every symlink is a `symlink` error and is never read through (no loop is followed).
    write_site(tmp_path, both("index.md", FRONT + "# I\n"))
    (tmp_path / "docs/zh/loop").symlink_to(tmp_path / "docs/zh")
    (tmp_path / "docs/zh/self.md").symlink_to(tmp_path / "docs/zh/self.md")
    (tmp_path / "docs/zh/a.md").symlink_to(tmp_path / "docs/zh/b.md")
    (tmp_path / "docs/zh/b.md").symlink_to(tmp_path / "docs/zh/a.md")
    result = run_cli("check", cwd=tmp_path)
    assert_clean_failure(result, 1)
    for name in ("loop", "self.md", "a.md", "b.md"):
        assert f"docs/zh/{name}:1:1: symlink " in result.stdout


def test_config_with_unknown_python_tags(tmp_path: Path) -> None:
    text = CONFIG + "extra_stuff: !!python/object:some.module.Thing {a: 1}\nother: !!python/name:os.system\nrel: !relative $config_dir\n"
    write_site(tmp_path, both("index.md", FRONT + "# I\n"), config=text)
    result = run_cli("check", cwd=tmp_path)
    assert_clean_failure(result, 1)  # laws-stale / faq-stale only: the config itself loads


def test_env_tag_uses_the_environment_and_the_default(tmp_path: Path) -> None:
    text = CONFIG.replace("docs_dir: docs", "docs_dir: !ENV [KB_TEST_DOCS, docs]")
    write_site(tmp_path, both("index.md", FRONT + "# I\n"), config=text)
    assert_clean_failure(run_cli("check", cwd=tmp_path), 1)
    result = run_cli("check", cwd=tmp_path, env={"KB_TEST_DOCS": "elsewhere"})
    assert_clean_failure(result, 2)
    assert "elsewhere" in result.stderr and len(result.stderr.strip().splitlines()) == 1


@pytest.mark.parametrize(
    ("setup", "args"),
    [
        (lambda root: None, ["check"]),  # no mkdocs.yml
        (lambda root: None, ["check", "--config", "missing.yml"]),
        (lambda root: (root / "mkdocs.yml").write_text("site_name: [unclosed\n", encoding="utf-8"), ["check"]),
        (lambda root: (root / "mkdocs.yml").write_bytes(b"site_name: \xff\xfe\n"), ["check"]),
        (lambda root: (root / "mkdocs.yml").write_text("- a list\n", encoding="utf-8"), ["check"]),
        (lambda root: (root / "mkdocs.yml").write_text("site_name: x\n", encoding="utf-8"), ["check"]),  # no docs folder
        (lambda root: (root / "mkdocs.yml").mkdir(), ["check"]),
        (lambda root: None, ["faq"]),
        (lambda root: None, ["laws", "--check"]),
        (lambda root: None, ["check", "--format", "xml"]),
        (lambda root: None, ["nonsense"]),
        (lambda root: None, []),
    ],
)
def test_usage_and_config_problems_exit_2(tmp_path: Path, setup: object, args: list[str]) -> None:
    setup(tmp_path)  # type: ignore[operator]
    result = run_cli(*args, cwd=tmp_path)
    assert_clean_failure(result, 2)
    assert result.stdout == ""
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr


def test_laws_without_a_registry_setting_is_a_usage_error(tmp_path: Path) -> None:
    write_site(tmp_path, both("index.md", FRONT + "# I\n"), config=CONFIG.replace("    registry: data/laws.yml\n", ""), registry=None)
    assert_clean_failure(run_cli("laws", cwd=tmp_path), 2)
