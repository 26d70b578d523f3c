"""Benchmark (not a test): `kb.py check` against `mkdocs build --strict` on a synthetic bilingual site.

    .venv/bin/python scripts/bench_kb.py [--pages 2000] [--runs 3] [--keep DIR]

Writes N pages per language (zh and en, so 2N Markdown files) with front matter, Chinese and
English headings, FAQ questions, links and anchors between pages, lists, tables, admonitions and
code blocks, under a config like ours (Material, mkdocs-static-i18n folder structure, the search
plugin with jieba, our toc slugify and validation settings, the registry). The project hooks are
left out of the build, so the build does not run kb.py itself; the comparison favours MkDocs.

Both commands run cold in fresh processes: the bytecode goes to an empty PYTHONPYCACHEPREFIX and
nothing is kept between runs. kb.py parses pages in worker processes (one per CPU, at most four).
`kb.py check` runs `--runs` times (its median counts), the build once. Prints wall-clock and CPU
seconds (the processes' user + system time, which other work on a shared machine does not inflate
as much) and the ratios; exits 1 if check is not at least 10 times faster by the clock, or if either
command does not accept the site.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SECTIONS = ["channels", "messages", "contacts", "privacy", "act", "lenders"]
ZH_WORDS = ["催收", "短信", "电话", "上门", "单位", "通讯录", "紧急联系人", "征信", "投诉", "协商", "分期", "证据", "录音", "报警", "个人信息", "贷款", "逾期", "利息", "合同", "法院"]
EN_WORDS = [
    "collection",
    "text",
    "call",
    "visit",
    "workplace",
    "contacts",
    "consent",
    "credit",
    "complaint",
    "negotiate",
    "instalment",
    "evidence",
    "record",
    "police",
    "data",
    "loan",
    "overdue",
    "interest",
    "contract",
    "court",
]


def config_text(sections: dict[str, list[str]]) -> str:
    ours = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    head = ours.split("\nhooks:", 1)[0]  # everything up to the hooks: same theme, extra, validation
    rest = ours.split("\nplugins:", 1)[1].split("\nnav:", 1)[0]  # plugins and markdown_extensions
    nav = ["nav:", "  - 首页: index.md", "  - faq.md"]
    for section, pages in sections.items():
        nav.append(f"  - {section}:")
        nav += [f"      - {page}" for page in pages]
    nav += ["  - 参考:", "      - reference/laws.md"]
    head = head.replace("  custom_dir: overrides\n", "")  # the templates need our hooks
    head = re.sub(r"^watch:\n(?:  - .*\n)+", "", head, flags=re.MULTILINE)  # folders the synthetic site lacks
    return head + "\nplugins:" + rest + "\n" + "\n".join(nav) + "\n"


def page_text(rng: random.Random, lang: str, path: str, all_pages: list[str], ids: dict[str, list[str]], number: int) -> str:
    words = ZH_WORDS if lang == "zh" else EN_WORDS
    join = "" if lang == "zh" else " "

    def sentence(n: int = 12) -> str:
        return join.join(rng.choice(words) for _ in range(n)) + ("。" if lang == "zh" else ".")

    depth = path.count("/")
    up = "../" * depth
    lines = [
        "---",
        f"title: {'页面' if lang == 'zh' else 'Page'} {number}",
        f"description: {sentence(8)}",
        "reviewed: 2026-11-01",
        "legal_basis:",
        "  - id: civil-code",
        '    articles: ["1033"]',
        "  - id: pipl",
        "---",
        "",
        f"# {'页面' if lang == 'zh' else 'Page'} {number}",
        "",
        sentence(30),
        "",
    ]
    for index, ident in enumerate(ids[path]):
        lines += [f"## {sentence(4)[:-1]}？ {{#{ident} .faq}}", "", sentence(25), "", sentence(40), ""]
        lines += [f"### {rng.choice(words)} {index}", "", f"- {sentence(6)}", f"- {sentence(6)} **{rng.choice(words)}**", ""]
        other = rng.choice(all_pages)
        anchor = rng.choice(ids[other])
        lines += [f"见 [{rng.choice(words)}]({up}{other}#{anchor}) 和 [{rng.choice(words)}]({up}{rng.choice(all_pages)})。", ""]
    lines += ["!!! note", "", f"    {sentence(15)}", "", "| a | b |", "|---|---|", f"| {rng.choice(words)} | {rng.choice(words)} |", ""]
    lines += ["```text", f"[{rng.choice(words)}](not-a-link.md)", "```", "", f"[ref]({up}index.md)", ""]
    return "\n".join(lines) + "\n"


def write_site(root: Path, pages_per_lang: int) -> None:
    rng = random.Random(20261128)
    paths = [f"{SECTIONS[i % len(SECTIONS)]}/page-{i:05d}.md" for i in range(pages_per_lang - 1)]
    ids = {p: [f"q{i}-{j}" for j in range(3)] for i, p in enumerate(paths)}
    sections: dict[str, list[str]] = {s: [] for s in SECTIONS}
    for path in paths:
        sections[path.split("/")[0]].append(path)
    (root / "data").mkdir(parents=True)
    for name in ("laws.yml", "kb-labels.yml", "jieba-user-dict.txt"):  # the registry, the indexes' words, jieba's dictionary
        shutil.copy(ROOT / "data" / name, root / "data" / name)
    root.mkdir(parents=True, exist_ok=True)
    (root / "mkdocs.yml").write_text(config_text(sections), encoding="utf-8")
    for lang in ("zh", "en"):
        base = root / "docs" / lang
        for number, path in enumerate(paths):
            target = base / path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(page_text(rng, lang, path, paths, ids, number), encoding="utf-8")
        home = "---\ntitle: Home\ndescription: D\nreviewed: 2026-11-01\nlegal_basis:\n  - id: civil-code\n---\n\n# Home\n\n" + "".join(f"- [{p}]({p})\n" for p in paths[:50])
        (base / "index.md").write_text(home, encoding="utf-8")
    assets = ROOT / "docs" / "assets"
    if assets.is_dir():
        shutil.copytree(assets, root / "docs" / "assets")


def timed(command: list[str], cwd: Path, env: dict[str, str]) -> tuple[float, float, subprocess.CompletedProcess[str]]:
    """(wall seconds, CPU seconds of the command and its children, result)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    result = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, check=False)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime), result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--pages", type=int, default=2000, help="pages per language (default 2000)")
    parser.add_argument("--runs", type=int, default=3, help="cold runs of kb.py check; the median counts (default 3)")
    parser.add_argument("--keep", type=Path, help="write the site here and keep it (default: a temporary folder)")
    args = parser.parse_args(argv)
    if args.pages < 2:
        parser.error("--pages must be at least 2")
    work = Path(tempfile.mkdtemp(prefix="bench-kb-"))
    site = args.keep or work / "site"
    if site.exists():
        parser.error(f"{site} exists; give a new folder")
    try:
        write_site(site, args.pages)
        env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PYTHONPYCACHEPREFIX": str(work / "pycache")}
        kb = [sys.executable, str(ROOT / "scripts" / "kb.py")]
        for command in ("faq", "laws"):  # the generated indexes, as committed in a real project
            subprocess.run([*kb, command], cwd=site, env={**env, "PYTHONPYCACHEPREFIX": str(work / "pycache-setup")}, check=True, capture_output=True)
        files = sum(1 for _ in (site / "docs").rglob("*.md"))
        runs = []
        for number in range(max(1, args.runs)):
            runs.append(timed([*kb, "check"], site, {**env, "PYTHONPYCACHEPREFIX": str(work / f"pycache-{number}")}))
        check_time, check_cpu, check = sorted(runs, key=lambda run: run[0])[len(runs) // 2]
        build_time, build_cpu, build = timed([sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(work / "out")], site, env)
    finally:
        if args.keep is None:
            shutil.rmtree(work, ignore_errors=True)
    summary = check.stdout.strip().splitlines()[-1] if check.stdout.strip() else check.stderr.strip()
    print(f"synthetic site: {args.pages} pages per language, {files} Markdown files")
    print(f"kb.py check (cold, median of {len(runs)}): {check_time:8.2f} s  ({check_cpu:.2f} s CPU)  exit {check.returncode}  [{summary}]")
    print(f"  all runs: {', '.join(f'{run[0]:.2f} s' for run in runs)}")
    print(f"mkdocs build --strict (cold):     {build_time:8.2f} s  ({build_cpu:.2f} s CPU)  exit {build.returncode}")
    ratio = build_time / check_time if check_time else float("inf")
    cpu_ratio = build_cpu / check_cpu if check_cpu else float("inf")
    print(f"ratio: check is {ratio:.1f} times faster by the clock, {cpu_ratio:.1f} times in CPU time")
    ok = check.returncode == 0 and build.returncode == 0 and ratio >= 10
    if build.returncode != 0:
        print("\n".join(line for line in (build.stdout + build.stderr).splitlines() if line.startswith(("WARNING", "ERROR", "Aborted")))[:3000])
    if check.returncode != 0:
        print(check.stdout[:3000])
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
