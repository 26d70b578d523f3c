"""The bad-input corpus (issue 11): broken, hostile or pathological input gives a specific finding at
a specific place (or a one-line error with the right exit status), never a traceback, and never
changes a file: every case snapshots the project before and after."""

from __future__ import annotations

import os
import resource
import signal
import stat
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from kbsite import CONFIG, FRONT, REGISTRY, both, check, front, run_cli, write_site

POSIX = os.name == "posix"


def snapshot(root: Path) -> dict[str, object]:
    """Every path under root: a symlink's target, a regular file's bytes, or the kind of file (nothing is read through a link)."""
    state: dict[str, object] = {}
    for folder, dirs, files in os.walk(root, followlinks=False):
        for name in dirs + files:
            path = Path(folder) / name
            rel = path.relative_to(root).as_posix()
            mode = os.lstat(path).st_mode
            if stat.S_ISLNK(mode):
                state[rel] = ("link", os.readlink(path))
            elif stat.S_ISREG(mode):
                state[rel] = path.read_bytes()
            else:
                state[rel] = ("kind", stat.S_IFMT(mode))
    return state


def base(root: Path) -> Path:
    """A valid bilingual project with its generated pages up to date."""
    config = write_site(
        root, {**both("index.md", FRONT + "\n# Home\n\n## Q? {#q .faq}\n\nA.\n"), **both("about/index.md", front(basis="").replace("legal_basis:\n", "legal_basis: []\n") + "# About\n")}
    )
    for command in ("faq", "laws"):
        assert run_cli(command, cwd=root).returncode == 0
    return config


def page(root: Path, text: str | bytes, rel: str = "docs/zh/bad.md") -> None:
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")


def line_of(text: str, marker: str) -> int:
    return next(number for number, line in enumerate(text.splitlines(), 1) if marker in line)


@dataclass(frozen=True)
class Finding:
    """A case whose `kb.py check` must exit 1 with this finding (code, path, line)."""

    name: str
    setup: Callable[[Path], object]
    code: str
    path: str
    line: int


def with_page(text: str | bytes, rel: str = "docs/zh/bad.md") -> Callable[[Path], object]:
    return lambda root: page(root, text, rel)


def symlink(target: str, rel: str = "docs/zh/link.md") -> Callable[[Path], object]:
    return lambda root: (root / rel).symlink_to(target)


def registry_with(old: str, new: str) -> Callable[[Path], object]:
    return lambda root: (root / "data" / "laws.yml").write_text(REGISTRY.replace(old, new, 1), encoding="utf-8")


BOMB = "---\ntitle: T\na: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: [*c, *c, *c, *c, *c, *c, *c, *c, *c]\n---\n# B\n"
NESTED = "".join("  " * depth + "- x\n" for depth in range(1000))
FM_DATE = front(reviewed="2026-02-30") + "# D\n"
FM_FUTURE = front(reviewed="2027-01-01") + "# D\n"
FM_SYNTAX = "---\ntitle: [unclosed\ndescription: D\n---\n# S\n"
FM_ALIAS = "---\ntitle: &t T\ndescription: *t\nreviewed: 2026-11-01\nlegal_basis: []\n---\n# A\n"
TITLE_MARKUP = front(title="'<script>alert(1)</script>'") + "# T\n"
SUBTITLE_MARKUP = FRONT.replace("title: T\n", "title: T\nsubtitle: <img src=x onerror=alert(1)>\n") + "# T\n"
STATUS_MARKUP = FRONT.replace("title: T\n", "title: T\nstatus: '\"><svg onload=alert(1)>'\n") + "# T\n"
TITLE_LIST = FRONT.replace("title: T\n", "title: [1, 2]\n") + "# T\n"
BASIS_SCALAR = front(basis="").replace("legal_basis:\n", "legal_basis: civil-code\n") + "# B\n"
BASIS_NO_ID = front(basis="  - articles: ['1']\n") + "# B\n"
BASIS_ARTICLE = front(basis="  - id: civil-code\n    articles: ['12<script>']\n") + "# B\n"
BASIS_UNKNOWN = front(basis="  - id: no-such-law\n") + "# B\n"
KEY_NEWLINE = front(basis='  - id: civil-code\n    "x\\n::add-mask::secret": 1\n') + "# K\n"
LONG_LINE = FRONT + "\n# L\n\n" + "a" * 20_001 + "\n"
BRACKETS = FRONT + "\n# B\n\n" + "[" * 100_000 + "\n"
ANCHORS = FRONT + "\n# A\n\n" + "<a x" * 25_000 + "\n"
UNCLOSED = FRONT + "\n# U\n\n" + ("[" * 900 + "\n") * 12 + "\n"
LINKS = FRONT + '\n# L\n\n[a](javascript:alert(1))\n\n[b](data:text/html,<script>x</script>)\n\n[c](vbscript:x)\n\n[d](file:///etc/passwd)\n\n<a href="java&#115;cript:alert(1)">e</a>\n'


def _fifo(root: Path) -> None:
    os.mkfifo(root / "docs/zh/fifo.md")


def _loop(root: Path) -> None:
    (root / "docs/zh/loop").symlink_to(root / "docs/zh")


def _big(root: Path) -> None:
    page(root, FRONT + "# Big\n\n" + ("text " * 200 + "\n\n") * 4100)


FINDINGS = [
    Finding("non-utf8-page", with_page(b"---\ntitle: T\n---\n\ncaf\xe9\n"), "unreadable-file", "docs/zh/bad.md", 5),
    Finding("binary-page", with_page(bytes(range(256)) * 4), "unreadable-file", "docs/zh/bad.md", 1),
    Finding("fifo-page", _fifo, "special-file", "docs/zh/fifo.md", 1),
    Finding("page-symlink-to-dev-zero", symlink("/dev/zero"), "symlink", "docs/zh/link.md", 1),
    Finding("page-symlink-outside", symlink("/etc/hostname"), "symlink", "docs/zh/link.md", 1),
    Finding("asset-symlink-to-environ", symlink("/proc/self/environ", "docs/zh/environ.txt"), "symlink", "docs/zh/environ.txt", 1),
    Finding("folder-symlink-loop", _loop, "symlink", "docs/zh/loop", 1),
    Finding("page-too-large", _big, "file-too-large", "docs/zh/bad.md", 1),
    Finding("front-matter-syntax", with_page(FM_SYNTAX), "front-matter-invalid", "docs/zh/bad.md", 3),
    Finding("front-matter-impossible-date", with_page(FM_DATE), "front-matter-invalid", "docs/zh/bad.md", line_of(FM_DATE, "reviewed")),
    Finding("front-matter-future-date", with_page(FM_FUTURE), "reviewed-future", "docs/zh/bad.md", line_of(FM_FUTURE, "reviewed")),
    Finding("front-matter-list", with_page("---\n- a\n- b\n---\n# L\n"), "front-matter-invalid", "docs/zh/bad.md", 1),
    Finding("front-matter-alias", with_page(FM_ALIAS), "yaml-alias", "docs/zh/bad.md", line_of(FM_ALIAS, "description")),
    Finding("front-matter-alias-bomb", with_page(BOMB), "yaml-alias", "docs/zh/bad.md", line_of(BOMB, "b: &b")),
    Finding("title-markup", with_page(TITLE_MARKUP), "markup-in-field", "docs/zh/bad.md", line_of(TITLE_MARKUP, "title")),
    Finding("subtitle-markup", with_page(SUBTITLE_MARKUP), "markup-in-field", "docs/zh/bad.md", line_of(SUBTITLE_MARKUP, "subtitle")),
    Finding("status-markup", with_page(STATUS_MARKUP), "markup-in-field", "docs/zh/bad.md", line_of(STATUS_MARKUP, "status")),
    Finding("title-not-text", with_page(TITLE_LIST), "front-matter-invalid", "docs/zh/bad.md", line_of(TITLE_LIST, "title")),
    Finding("legal-basis-not-a-list", with_page(BASIS_SCALAR), "front-matter-invalid", "docs/zh/bad.md", line_of(BASIS_SCALAR, "legal_basis")),
    Finding("legal-basis-without-id", with_page(BASIS_NO_ID), "front-matter-invalid", "docs/zh/bad.md", line_of(BASIS_NO_ID, "- articles")),
    Finding("legal-basis-bad-article", with_page(BASIS_ARTICLE), "invalid-article", "docs/zh/bad.md", line_of(BASIS_ARTICLE, "- id")),
    Finding("legal-basis-unknown-instrument", with_page(BASIS_UNKNOWN), "unknown-instrument", "docs/zh/bad.md", line_of(BASIS_UNKNOWN, "no-such-law")),
    Finding("javascript-link", with_page(LINKS), "unsafe-link", "docs/zh/bad.md", line_of(LINKS, "[a]")),
    Finding("data-link", with_page(LINKS), "unsafe-link", "docs/zh/bad.md", line_of(LINKS, "[b]")),
    Finding("vbscript-link", with_page(LINKS), "unsafe-link", "docs/zh/bad.md", line_of(LINKS, "[c]")),
    Finding("file-link", with_page(LINKS), "unsafe-link", "docs/zh/bad.md", line_of(LINKS, "[d]")),
    Finding("raw-html-javascript-link", with_page(LINKS), "unsafe-link", "docs/zh/bad.md", line_of(LINKS, "<a href")),
    Finding("line-over-the-limit", with_page(LONG_LINE), "line-too-long", "docs/zh/bad.md", line_of(LONG_LINE, "aaaa")),
    Finding("100kb-line-of-brackets", with_page(BRACKETS), "line-too-long", "docs/zh/bad.md", line_of(BRACKETS, "[[[[")),
    Finding("100kb-line-of-a-tags", with_page(ANCHORS), "line-too-long", "docs/zh/bad.md", line_of(ANCHORS, "<a x")),
    Finding("unclosed-brackets-paragraph", with_page(UNCLOSED), "too-complex", "docs/zh/bad.md", line_of(UNCLOSED, "[[[[")),
    Finding("nesting-too-deep", with_page(FRONT + "# N\n\n" + NESTED), "too-complex", "docs/zh/bad.md", FRONT.count("\n") + 3 + 201),
    Finding("quotes-too-deep", with_page(FRONT + "# Q\n\n" + ">" * 5000 + " x\n"), "too-complex", "docs/zh/bad.md", FRONT.count("\n") + 3),
    Finding("recursion-in-python-markdown", with_page(FRONT + "# R\n\n" + "*" * 3000 + "x" + "*" * 3000 + "\n"), "parse-failed", "docs/zh/bad.md", FRONT.count("\n") + 1),
    Finding("nested-brackets", with_page(FRONT + "# B\n\n" + "[" * 3000 + "x" + "]" * 3000 + "\n"), "too-complex", "docs/zh/bad.md", FRONT.count("\n") + 3),
    Finding("unclosed-fence", with_page(FRONT + "# F\n\n```\nnever closed\n"), "unclosed-fence", "docs/zh/bad.md", FRONT.count("\n") + 3),
    Finding("empty-page", with_page(""), "missing-field", "docs/zh/bad.md", 1),
    Finding("registry-impossible-date", registry_with("adopted: 2020-05-28", "adopted: 2020-02-30"), "registry-invalid", "data/laws.yml", line_of(REGISTRY, "adopted: 2020-05-28")),
    Finding("registry-future-date", registry_with("adopted: 2020-05-28", "adopted: 2099-01-01"), "registry-invalid", "data/laws.yml", line_of(REGISTRY, "- id: civil-code")),
    Finding("registry-http-url", registry_with("https://www.npc.gov.cn/example", "http://www.npc.gov.cn/example"), "registry-invalid", "data/laws.yml", line_of(REGISTRY, "- id: civil-code")),
    Finding(
        "registry-url-with-quote",
        registry_with("https://www.npc.gov.cn/example", "'https://x.cn/\"onmouseover=\"alert(1)'"),
        "registry-invalid",
        "data/laws.yml",
        line_of(REGISTRY, "- id: civil-code"),
    ),
    Finding("registry-javascript-url", registry_with("https://www.npc.gov.cn/example", "javascript:alert(1)"), "registry-invalid", "data/laws.yml", line_of(REGISTRY, "- id: civil-code")),
    Finding(
        "registry-kinds-malformed", registry_with("kinds:\n  law: {zh: 法律, en: Law}\n  department-rule: {zh: 部门规章, en: Department rule}\n", "kinds: 5\n"), "registry-invalid", "data/laws.yml", 1
    ),
    Finding("registry-kind-without-english", registry_with("law: {zh: 法律, en: Law}", "law: {zh: 法律}"), "registry-invalid", "data/laws.yml", line_of(REGISTRY, "law: {zh")),
    Finding("registry-alias", registry_with("    kind: law\n", "    kind: &k law\n    issuer2: *k\n"), "registry-invalid", "data/laws.yml", line_of(REGISTRY, "    kind: law") + 1),
    Finding("registry-symlink", lambda root: replace_with_link(root / "data/laws.yml", Path("/etc/hostname")), "registry-invalid", "data/laws.yml", 1),
    Finding("hand-written-faq", lambda root: (root / "docs/zh/faq.md").write_text(FRONT + "# My own FAQ\n", encoding="utf-8"), "generated-unmarked", "docs/zh/faq.md", 1),
    Finding(
        "labels-missing-key",
        lambda root: (root / "data/kb-labels.yml").write_text((root / "data/kb-labels.yml").read_text(encoding="utf-8").replace("  faq_title: 常见问题\n", ""), encoding="utf-8"),
        "labels-invalid",
        "data/kb-labels.yml",
        5,
    ),
]


@pytest.mark.parametrize("case", FINDINGS, ids=lambda case: case.name)
def test_bad_input_gives_a_finding_at_its_place_and_changes_nothing(tmp_path: Path, case: Finding) -> None:
    if not POSIX:
        pytest.skip("symlinks, FIFOs and /proc are POSIX")
    root = tmp_path / "project"
    base(root)
    case.setup(root)
    before = snapshot(root)
    started = time.perf_counter()
    result = run_cli("check", cwd=root)
    elapsed = time.perf_counter() - started
    assert "Traceback" not in result.stdout + result.stderr
    assert result.returncode == 1, result.stdout + result.stderr
    assert f"{case.path}:{case.line}:" in result.stdout and f" {case.code} " in result.stdout, result.stdout
    found = [line for line in result.stdout.splitlines() if line.startswith(f"{case.path}:{case.line}:") and f" {case.code} " in line]
    assert found, result.stdout
    assert snapshot(root) == before
    assert elapsed < 60, f"{case.name}: {elapsed:.1f} s"


def test_a_yaml_key_cannot_start_a_line_of_output(tmp_path: Path) -> None:
    root = tmp_path / "project"
    base(root)
    page(root, KEY_NEWLINE)
    for fmt in ("text", "github"):
        result = run_cli("check", "--format", fmt, cwd=root)
        assert result.returncode == 1
        assert "::add-mask::" in result.stdout  # reported, escaped inside its line
        assert not [line for line in result.stdout.splitlines() if line.startswith("::add-mask::")]


@dataclass(frozen=True)
class Refusal:
    """A case whose command must exit with `status`, one line on stderr naming `where`, nothing changed."""

    name: str
    setup: Callable[[Path], object]
    args: tuple[str, ...]
    status: int
    where: str


def replace_with_link(path: Path, target: Path, content: str | None = None) -> None:
    path.unlink()
    path.symlink_to(target)
    if content is not None:
        target.write_text(content, encoding="utf-8")


def folder_instead(path: Path) -> None:
    path.unlink()
    path.mkdir()


def link_folder(root: Path) -> None:
    (root / "docs/en/reference/laws.md").unlink()
    (root / "docs/en/reference").rmdir()
    (root / "elsewhere").mkdir()
    (root / "docs/en/reference").symlink_to(root / "elsewhere")


def docs_outside(root: Path) -> None:
    (root / "mkdocs.yml").write_text(CONFIG.replace("docs_dir: docs", f"docs_dir: {root.parent / 'outside'}"), encoding="utf-8")
    (root / "docs").rename(root.parent / "outside")
    (root.parent / "outside/zh/index.md").write_text(FRONT + "# Changed\n\n## Q? {#q .faq}\n\nNew.\n", encoding="utf-8")


def _config_text(old: str, new: str) -> Callable[[Path], object]:
    return lambda root: (root / "mkdocs.yml").write_text((root / "mkdocs.yml").read_text(encoding="utf-8").replace(old, new, 1), encoding="utf-8")


def _inherit_loop(root: Path) -> None:
    (root / "mkdocs.yml").write_text("INHERIT: other.yml\n" + CONFIG, encoding="utf-8")
    (root / "other.yml").write_text("INHERIT: mkdocs.yml\nsite_name: Other\n", encoding="utf-8")


NAV_BOMB = "nav:\n  - &a [index.md, index.md, index.md, index.md, index.md, index.md, index.md, index.md]\n  - &b [*a, *a, *a, *a, *a, *a, *a, *a]\n  - &c [*b, *b, *b, *b, *b, *b, *b, *b]\n  - &d [*c, *c, *c, *c, *c, *c, *c, *c]\n  - &e [*d, *d, *d, *d, *d, *d, *d, *d]\n  - [*e, *e, *e, *e, *e, *e, *e, *e]\n"

REFUSALS = [
    Refusal("config-impossible-date", _config_text("site_name: Fixture\n", "site_name: Fixture\nextra_date: 2026-02-30\n"), ("check",), 2, "mkdocs.yml:2:"),
    Refusal("config-nav-alias-bomb", lambda root: (root / "mkdocs.yml").write_text(CONFIG + NAV_BOMB, encoding="utf-8"), ("check",), 2, "mkdocs.yml:"),
    Refusal("config-nav-alias", lambda root: (root / "mkdocs.yml").write_text(CONFIG + "nav:\n  - &home index.md\n  - *home\n", encoding="utf-8"), ("check",), 2, "mkdocs.yml:"),
    Refusal("config-languages-not-a-list", _config_text("      languages:\n", "      languages: 5\n      unused:\n"), ("check",), 2, "mkdocs.yml"),
    Refusal(
        "config-kb-not-a-mapping", _config_text("  kb:\n    registry: data/laws.yml\n    myths_page: reference/myths.md\n    labels: data/kb-labels.yml\n", "  kb: 5\n"), ("check",), 2, "mkdocs.yml:"
    ),
    Refusal("config-inherit-loop", _inherit_loop, ("check",), 2, "INHERIT"),
    Refusal("config-registry-outside-project", _config_text("registry: data/laws.yml", "registry: ../../etc/hostname"), ("check",), 2, "outside the project"),
    Refusal("faq-over-symlink", lambda root: replace_with_link(root / "docs/zh/faq.md", root / "victim.txt", "keep me"), ("faq",), 2, "docs/zh/faq.md"),
    Refusal("faq-over-hand-written-file", lambda root: (root / "docs/zh/faq.md").write_text(FRONT + "# My own FAQ\n\n" + "Hand-written.\n" * 120, encoding="utf-8"), ("faq",), 2, "docs/zh/faq.md"),
    Refusal("faq-where-a-folder-is", lambda root: folder_instead(root / "docs/zh/faq.md"), ("faq",), 2, "docs/zh/faq.md"),
    Refusal("laws-through-symlinked-folder", lambda root: link_folder(root), ("laws",), 2, "docs/en/reference"),
    Refusal("faq-with-docs-outside-the-project", lambda root: docs_outside(root), ("faq",), 2, "outside the project"),
    Refusal("faq-when-a-page-fails-to-parse", with_page(b"caf\xe9"), ("faq",), 1, "docs/zh/bad.md:1:"),
    Refusal("laws-when-the-registry-is-invalid", registry_with("adopted: 2020-05-28", "adopted: 2020-02-30"), ("laws",), 2, "data/laws.yml:"),
    Refusal("faq-without-extra-kb", _config_text("  kb:\n", "  kb_off:\n"), ("faq",), 2, "extra.kb"),
]


@pytest.mark.parametrize("case", REFUSALS, ids=lambda case: case.name)
def test_refusals_are_one_line_and_change_nothing(tmp_path: Path, case: Refusal) -> None:
    if not POSIX:
        pytest.skip("symlinks are POSIX")
    root = tmp_path / "project"
    base(root)
    (root / "docs/zh/index.md").write_text(FRONT + "\n# Home\n\n## Q? {#q .faq}\n\nA changed answer.\n", encoding="utf-8")  # every index is stale now
    case.setup(root)
    before = snapshot(tmp_path)
    result = run_cli(*case.args, cwd=root)
    assert "Traceback" not in result.stdout + result.stderr
    assert result.returncode == case.status, result.stdout + result.stderr
    if case.status == 2:
        assert result.stdout == "" and len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert case.where in result.stderr, result.stderr
    assert snapshot(tmp_path) == before


def _write_limit() -> None:  # runs in the child before kb.py: writes past 64 bytes fail like a full disk
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (64, 64))


def test_a_full_disk_leaves_the_old_index_whole(tmp_path: Path) -> None:
    import subprocess

    root = tmp_path / "project"
    base(root)
    (root / "docs/zh/index.md").write_text(FRONT + "\n# Home\n\n## Q? {#q .faq}\n\nA changed answer.\n", encoding="utf-8")
    before = snapshot(root)
    result = subprocess.run(
        [sys.executable, str(Path(__file__).parent.parent / "scripts" / "kb.py"), "faq"], cwd=root, capture_output=True, text=True, check=False, preexec_fn=_write_limit, timeout=120
    )
    assert "Traceback" not in result.stderr
    assert result.returncode == 1 and len(result.stderr.strip().splitlines()) == 1 and "docs/zh/faq.md" in result.stderr, result.stderr
    assert snapshot(root) == before  # no truncated file, no temporary file left behind


PATHOLOGICAL = {
    "100 KB line of [": BRACKETS,
    "100 KB line of <a x": ANCHORS,
    "10,000 identical headings": FRONT + "\n# H\n\n" + "## Same\n\n" * 10_000,
    "alias bomb in front matter": BOMB,
    "unclosed brackets in a paragraph": UNCLOSED,
    "3,000 nested brackets": FRONT + "# B\n\n" + "[" * 3000 + "x" + "]" * 3000 + "\n",
    "3,000 nested emphasis marks": FRONT + "# E\n\n" + "*" * 3000 + "x" + "*" * 3000 + "\n",
    "1,000 nested lists": FRONT + "# N\n\n" + NESTED,
    "20,000 links on one page": FRONT + "\n# L\n\n" + "".join(f"[l{n}](gone-{n}.md)\n" for n in range(20_000)),
}


@pytest.mark.parametrize("name", PATHOLOGICAL)
def test_pathological_input_is_checked_in_seconds(tmp_path: Path, name: str) -> None:
    config = base(tmp_path / "project")
    page(tmp_path / "project", PATHOLOGICAL[name])
    check(config)  # warm: imports and the config, which are not what this measures
    started = time.perf_counter()
    findings = check(config)
    elapsed = time.perf_counter() - started
    assert [f for f in findings if f.path.as_posix() == "docs/zh/bad.md"], name
    # The budget is 5 s; the limit is generous because test machines are shared and noisy.
    assert elapsed < 15, f"{name}: {elapsed:.1f} s"


def test_nav_alias_bomb_is_refused_in_seconds(tmp_path: Path) -> None:
    import kb

    root = tmp_path / "project"
    base(root)
    (root / "mkdocs.yml").write_text(CONFIG + NAV_BOMB, encoding="utf-8")
    started = time.perf_counter()
    with pytest.raises(kb.ConfigError, match="alias"):
        kb.load_config(root / "mkdocs.yml")
    assert time.perf_counter() - started < 15
