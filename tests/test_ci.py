"""CI that can see a stale index: .ci/run and the Publish workflow run the content checks on the
committed files before anything builds the site; jobs have time limits; the test container is
pinned by digest; CI installs the Chinese font the browser tests need (issues 11 and 13)."""

from __future__ import annotations

import re
from typing import Any

import yaml
from sitebuild import ROOT

CHECK = "python scripts/dev.py check"
BUILDS = re.compile(r"dev\.py (test|build|serve)|mkdocs|properdocs|pytest")


def _commands(script: str) -> list[str]:
    return [line.strip() for line in script.splitlines() if line.strip() and not line.lstrip().startswith("#")]


def _workflow(name: str) -> dict[str, Any]:
    data = yaml.safe_load((ROOT / ".github" / "workflows" / name).read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def test_ci_run_checks_the_committed_files_before_anything_builds() -> None:
    commands = _commands((ROOT / ".ci" / "run").read_text(encoding="utf-8"))
    assert CHECK in commands, f".ci/run does not run `{CHECK}`"
    first_build = next(i for i, c in enumerate(commands) if BUILDS.search(c))
    assert commands.index(CHECK) < first_build, f".ci/run builds before it checks: {commands[first_build]!r}"


def test_ci_run_installs_chromium_and_a_chinese_font() -> None:
    script = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "apt-get install" in script and "chromium" in script and "fonts-noto-cjk" in script
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "apt-get install chromium fonts-noto-cjk" in readme, "the README's browser note does not name the Chinese font"


def test_publish_checks_before_it_builds_and_every_job_has_a_time_limit() -> None:
    publish = _workflow("publish.yml")
    steps = [step.get("run", "") for step in publish["jobs"]["build"]["steps"]]
    assert CHECK in steps, f"the Publish workflow does not run `{CHECK}`"
    first_build = next(i for i, run in enumerate(steps) if BUILDS.search(run))
    assert steps.index(CHECK) < first_build, f"Publish builds before it checks: {steps[first_build]!r}"
    for workflow in ("publish.yml", "tests.yml"):
        for name, job in _workflow(workflow)["jobs"].items():
            limit = job.get("timeout-minutes")
            assert isinstance(limit, int) and 0 < limit <= 90, f"{workflow}: job {name} has no sensible timeout-minutes ({limit!r})"


def test_the_test_container_is_pinned_by_digest() -> None:
    image = _workflow("tests.yml")["jobs"]["test"]["container"]
    assert re.fullmatch(r"python:3\.11-bookworm@sha256:[0-9a-f]{64}", image), f"container image not pinned by digest: {image!r}"
