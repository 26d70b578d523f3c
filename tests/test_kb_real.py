"""scripts/kb.py on the real docs, and the lint of scripts/ and tests/ (mypy --strict, ruff check,
ruff format --check)."""

from __future__ import annotations

import subprocess
import sys

import pytest
from kbsite import ROOT, run_cli


def test_check_passes_on_the_real_docs() -> None:
    result = run_cli("check", cwd=ROOT)
    assert result.returncode == 0, result.stdout + result.stderr


def test_faq_index_is_up_to_date() -> None:
    result = run_cli("faq", "--check", cwd=ROOT)
    assert result.returncode == 0, result.stdout + result.stderr


def test_law_index_is_up_to_date() -> None:
    result = run_cli("laws", "--check", cwd=ROOT)
    assert result.returncode == 0, result.stdout + result.stderr


def lint(*command: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", *command], cwd=ROOT, capture_output=True, text=True, check=False)


@pytest.mark.parametrize(
    "paths",
    [
        # scripts/kb.py and the package scripts/kb/ share a module name: mypy checks them apart, and
        # tests/browser has its own conftest module.
        ("scripts", "tests", "--exclude", "tests/browser"),
        ("scripts/kb.py",),
        ("tests/browser",),
    ],
    ids=["scripts-and-tests", "kb-entry-point", "browser-tests"],
)
def test_mypy_strict(paths: tuple[str, ...]) -> None:
    result = lint("mypy", "--strict", *paths)
    assert result.returncode == 0, result.stdout + result.stderr


def test_ruff_check() -> None:
    result = lint("ruff", "check", "scripts", "tests")
    assert result.returncode == 0, result.stdout + result.stderr


def test_ruff_format() -> None:
    result = lint("ruff", "format", "--check", "scripts", "tests")
    assert result.returncode == 0, result.stdout + result.stderr
