"""scripts/kb.py on the real docs, and the lint of scripts/ (mypy --strict, ruff)."""

from __future__ import annotations

import subprocess
import sys

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


def test_mypy_strict_passes_on_scripts() -> None:
    result = subprocess.run([sys.executable, "-m", "mypy", "--strict", "scripts/"], cwd=ROOT, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr


def test_ruff_passes_on_scripts() -> None:
    result = subprocess.run([sys.executable, "-m", "ruff", "check", "scripts/"], cwd=ROOT, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
