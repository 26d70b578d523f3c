"""Small bilingual MkDocs sites for the scripts/kb.py tests, written into a temporary folder.

`import kb` finds the package scripts/kb/: pyproject.toml puts scripts/ on pytest's pythonpath."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import kb

ROOT = Path(__file__).resolve().parent.parent

TODAY = dt.date(2026, 11, 28)

CONFIG = """\
site_name: Fixture
site_url: !ENV [KB_FIXTURE_SITE_URL, "http://127.0.0.1:8000/"]
docs_dir: docs
strict: true
validation:
  nav:
    omitted_files: warn
    not_found: warn
    absolute_links: warn
  links:
    not_found: warn
    anchors: warn
    absolute_links: warn
    unrecognized_links: warn
theme:
  name: material
  language: zh
  font: false
plugins:
  - i18n:
      docs_structure: folder
      fallback_to_default: false
      languages:
        - locale: zh
          default: true
          name: 中文
          build: true
        - locale: en
          name: English
          build: true
          nav_translations:
            话题: Topics
            关于: About
markdown_extensions:
  - abbr
  - admonition
  - attr_list
  - def_list
  - footnotes
  - md_in_html
  - tables
  - toc:
      permalink: true
      slugify: !!python/object/apply:pymdownx.slugs.slugify
        kwds:
          case: lower
  - pymdownx.details
  - pymdownx.superfences
  - pymdownx.tilde
extra:
  kb:
    registry: data/laws.yml
    myths_page: reference/myths.md
    labels: data/kb-labels.yml
"""

REGISTRY = """\
kinds:
  law: {zh: 法律, en: Law}
  department-rule: {zh: 部门规章, en: Department rule}
statuses:
  in-force: {zh: 现行有效, en: In force}
  superseded: {zh: 已被修订版本取代, en: Replaced by a revised version}
  repealed: {zh: 已废止, en: Repealed}
instruments:
  - id: civil-code
    title: {zh: 中华人民共和国民法典, en: Civil Code}
    kind: law
    issuer: {zh: 全国人民代表大会, en: National People's Congress}
    adopted: 2020-05-28
    effective: 2021-01-01
    status: in-force
    url: https://www.npc.gov.cn/example
    confidence: VERIFIED
  - id: old-rule
    title: {zh: 旧规则, en: Old rule}
    kind: department-rule
    issuer: {zh: 某部门, en: Some department}
    status: superseded
    confidence: REPORTED
  - id: contract-law
    title: {zh: 中华人民共和国合同法, en: Contract Law}
    kind: law
    issuer: {zh: 全国人民代表大会, en: National People's Congress}
    status: repealed
    confidence: VERIFIED
"""


def front(title: str = "T", reviewed: str = "2026-11-01", basis: str = "  - id: civil-code\n") -> str:
    return f"---\ntitle: {title}\ndescription: D\nreviewed: {reviewed}\nlegal_basis:\n{basis}---\n"


FRONT = front()


def write_site(root: Path, pages: dict[str, str], nav: str | None = None, config: str = CONFIG, registry: str | None = REGISTRY) -> Path:
    """Write mkdocs.yml, data/laws.yml and the given pages (paths relative to docs/); return the config path."""
    root.mkdir(parents=True, exist_ok=True)
    text = config + (f"nav:\n{textwrap.indent(nav.strip(), '  ')}\n" if nav else "")
    (root / "mkdocs.yml").write_text(text, encoding="utf-8")
    (root / "data").mkdir(exist_ok=True)
    (root / "data" / "kb-labels.yml").write_bytes((ROOT / "data" / "kb-labels.yml").read_bytes())
    if registry is not None:
        (root / "data" / "laws.yml").write_text(registry, encoding="utf-8")
    for rel, content in pages.items():
        path = root / "docs" / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(content, encoding="utf-8")
    return root / "mkdocs.yml"


def both(rel: str, content: str) -> dict[str, str]:
    """The same page in zh and en."""
    return {f"zh/{rel}": content, f"en/{rel}": content}


def check(config: Path, today: dt.date = TODAY) -> list[kb.Finding]:
    return kb.run_check(kb.load_config(config), today=today)


def codes(findings: list[kb.Finding]) -> list[tuple[str, str, int]]:
    """(code, path, line) of every finding, paths as POSIX strings."""
    return [(f.code, f.path.as_posix(), f.line) for f in findings]


def run_cli(*args: str, cwd: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "kb.py"), *args],
        cwd=cwd,
        env={**os.environ, **(env or {})},
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )


def build(config: Path, dest: Path) -> subprocess.CompletedProcess[str]:
    """`mkdocs build --strict` run from the fixture folder."""
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--config-file", str(config), "--site-dir", str(dest)],
        cwd=config.parent,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
