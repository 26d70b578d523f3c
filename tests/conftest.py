"""Shared fixtures: the real site, built strictly once per test session."""

from __future__ import annotations

from pathlib import Path

import pytest
from sitebuild import build_site


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
