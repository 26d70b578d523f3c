"""Shared fixtures: the real site, built strictly once per test session; the staleness checks of the
committed generated pages run before anything builds it."""

from __future__ import annotations

from pathlib import Path

import pytest
from sitebuild import build_site

# `kb.py faq --check` and `laws --check` on the committed docs/ run first. The build serves the
# generated pages from memory and never writes docs/, so order should not matter; running them first
# keeps a stale committed index from ever being hidden by something that does.
FIRST = ("test_kb_real.py::test_faq_index_is_up_to_date", "test_kb_real.py::test_law_index_is_up_to_date")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    items.sort(key=lambda item: not item.nodeid.endswith(FIRST))


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


@pytest.fixture(scope="session")
def hostile_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the project whose front matter, registry and FAQ carry script payloads
    (tests/hostile_site.py), built strictly with the real hook."""
    from hostile_site import make_project
    from sitebuild import ROOT

    config = make_project(tmp_path_factory.mktemp("hostile-project"), ROOT)
    dest = tmp_path_factory.mktemp("hostile-site")
    result = build_site(dest, config)
    assert result.returncode == 0, f"the build of the hostile copy failed:\n{result.stdout}{result.stderr}"
    return dest
