"""Shared fixtures: the real site, built strictly once per test session."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def build_site(dest: Path, config: Path | None = None, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """Run `mkdocs build --strict` from the repo root (jieba and the hooks resolve paths there)."""
    full_env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--config-file", str(config or ROOT / "mkdocs.yml"), "--site-dir", str(dest)],
        cwd=ROOT,
        env=full_env,
        capture_output=True,
        text=True,
        check=False,
    )


@pytest.fixture(scope="session")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The real site built with --strict into a temporary directory; fails on any warning."""
    dest = tmp_path_factory.mktemp("site")
    result = build_site(dest)
    output = result.stdout + result.stderr
    assert result.returncode == 0, f"strict build failed:\n{output}"
    warnings = [line for line in output.splitlines() if line.startswith("WARNING")]
    assert not warnings, "build printed warnings:\n" + "\n".join(warnings)
    return dest
