"""Benchmark: Lighthouse scores and page weight of the built site, against stock Material.

    .venv/bin/python scripts/bench_site.py [--runs 3] [--article contacts/address-book]

A benchmark, not a test: it takes a few minutes. It

1. builds the site (strict) into bench-out/site, with site_url set to the local server's address
   so that canonical links point at the pages measured;
2. builds stock Material for MkDocs (`theme: material`, default features, no overrides or extra
   CSS) from the same Markdown as the measured article, into bench-out/stock;
3. serves both from 127.0.0.1 with gzip, as a static host does;
4. installs Lighthouse (npm lighthouse@12.2.3, pinned) into .cache/lighthouse if it is missing,
   and runs it with Debian's chromium (CHROME_PATH=/usr/bin/chromium), mobile settings, three runs
   per page, on the home page, one article, the FAQ and one English page, then on stock Material's
   copy of the article;
5. prints the median scores and transferred bytes per page, and the article's bytes beside stock
   Material's;
6. prints each language's search index size and the time from opening search to the first results
   on a throttled phone (scripts/bench_search.py), and exits with 1 if a budget is missed.

Budgets (issue 7): accessibility, best practices and SEO 100 and performance at least 95 on
every measured page; our article transfers less than stock Material's; search shows its first
results within 3 s (issue 12). Reports are kept in bench-out/lighthouse/ for a closer look.
`--search-only` builds the site and measures search only.
"""

from __future__ import annotations

import argparse
import functools
import gzip
import http.server
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
from pathlib import Path
from typing import Any

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))
import bench_search

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench-out"
LIGHTHOUSE_VERSION = "12.2.3"
LIGHTHOUSE_DIR = ROOT / ".cache" / "lighthouse"
CHROME = os.environ.get("CHROME_PATH", "/usr/bin/chromium")
CHROME_FLAGS = "--headless=new --no-sandbox --disable-gpu --disable-background-networking --disable-component-update --no-first-run"
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
TARGETS = {"performance": 95, "accessibility": 100, "best-practices": 100, "seo": 100}
COMPRESSIBLE = (".html", ".css", ".js", ".json", ".xml", ".svg", ".txt", ".map")


# --- serving -----------------------------------------------------------------------------------


class GzipHandler(http.server.SimpleHTTPRequestHandler):
    """Static files; text gzipped when the client accepts it; 404.html for missing paths."""

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def end_headers(self) -> None:
        self.send_header("Cache-Control", "max-age=600")
        super().end_headers()

    def send_head(self) -> Any:
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            if not self.path.split("?", 1)[0].endswith("/"):
                return super().send_head()  # the redirect to the address with a slash
            path = path / "index.html"
        status = 200
        if not path.is_file():
            path, status = Path(self.directory) / "404.html", 404
            if not path.is_file():
                self.send_error(404)
                return None
        body = path.read_bytes()
        ctype = self.guess_type(str(path))
        if ctype.startswith("text/") or ctype in ("application/javascript", "application/json"):
            ctype += "; charset=utf-8"
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        if path.suffix in COMPRESSIBLE and "gzip" in self.headers.get("Accept-Encoding", ""):
            body = gzip.compress(body, 6)
            self.send_header("Content-Encoding", "gzip")
        self.send_header("Vary", "Accept-Encoding")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        return _Body(body)


class _Body:
    def __init__(self, data: bytes) -> None:
        self.data = data

    def read(self, *_: Any) -> bytes:
        data, self.data = self.data, b""
        return data

    def close(self) -> None:
        pass


class QuietServer(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def serve(directory: Path, port: int) -> QuietServer:
    server = QuietServer(("127.0.0.1", port), functools.partial(GzipHandler, directory=str(directory)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


# --- building ----------------------------------------------------------------------------------


def mkdocs_build(config: Path, dest: Path, env: dict[str, str], strict: bool) -> None:
    if dest.exists():
        shutil.rmtree(dest)
    cmd = [sys.executable, "-m", "mkdocs", "build", "--config-file", str(config), "--site-dir", str(dest), "--strict" if strict else "--no-strict"]
    result = subprocess.run(cmd, cwd=ROOT, env={**os.environ, "NO_MKDOCS_2_WARNING": "1", **env}, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        sys.exit(f"building {config} failed:\n{result.stdout}{result.stderr}")


def stock_config(article_md: Path, work: Path) -> Path:
    """Stock Material: the measured article's Markdown with our Markdown extensions, nothing else."""
    ours = yaml.load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=_Loader)  # noqa: S506 - our own config file (!ENV, !!python tags)
    docs = work / "docs"
    target = docs / article_md.relative_to(ROOT / "docs" / "zh")
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(article_md, target)
    (docs / "index.md").write_text("# Stock Material\n", encoding="utf-8")
    config = work / "mkdocs.yml"
    text = yaml.safe_dump({"site_name": ours["site_name"], "docs_dir": str(docs), "theme": {"name": "material"}}, allow_unicode=True)
    # markdown_extensions contains a !!python/object/apply tag (slugify): copy it as written.
    source = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    start = source.index("\nmarkdown_extensions:")
    end = source.find("\n\n", start + 1)
    config.write_text(text + source[start : end if end != -1 else None] + "\n", encoding="utf-8")
    return config


class _Loader(yaml.SafeLoader):
    pass


_Loader.add_constructor("!ENV", lambda loader, node: None)
_Loader.add_multi_constructor("tag:yaml.org,2002:python/", lambda loader, suffix, node: None)


# --- Lighthouse --------------------------------------------------------------------------------


def lighthouse_cli() -> Path:
    cli = LIGHTHOUSE_DIR / "node_modules" / "lighthouse" / "cli" / "index.js"
    package = LIGHTHOUSE_DIR / "node_modules" / "lighthouse" / "package.json"
    if not package.is_file() or json.loads(package.read_text())["version"] != LIGHTHOUSE_VERSION:
        print(f"Installing lighthouse@{LIGHTHOUSE_VERSION} into {LIGHTHOUSE_DIR.relative_to(ROOT)} ...", flush=True)
        LIGHTHOUSE_DIR.mkdir(parents=True, exist_ok=True)
        subprocess.run(["npm", "install", "--prefix", str(LIGHTHOUSE_DIR), "--no-audit", "--no-fund", f"lighthouse@{LIGHTHOUSE_VERSION}"], check=True)
    return cli


def run_lighthouse(cli: Path, url: str, report: Path) -> dict[str, Any]:
    report.parent.mkdir(parents=True, exist_ok=True)
    cmd = [
        "node",
        str(cli),
        url,
        "--quiet",
        "--output=json",
        f"--output-path={report}",
        f"--only-categories={','.join(CATEGORIES)}",
        f"--chrome-flags={CHROME_FLAGS}",
    ]
    result = subprocess.run(cmd, env={**os.environ, "CHROME_PATH": CHROME}, capture_output=True, text=True, check=False)
    if result.returncode != 0 or not report.is_file():
        sys.exit(f"lighthouse failed on {url}:\n{result.stdout}{result.stderr}")
    data = json.loads(report.read_text(encoding="utf-8"))
    scores = {c: round((data["categories"][c]["score"] or 0) * 100) for c in CATEGORIES}
    failed = sorted(
        ref["id"]
        for c in CATEGORIES
        if c != "performance"
        for ref in data["categories"][c]["auditRefs"]
        if ref["weight"] > 0 and data["audits"][ref["id"]]["score"] is not None and data["audits"][ref["id"]]["score"] < 1
    )
    return {"scores": scores, "bytes": int(data["audits"]["total-byte-weight"]["numericValue"]), "failed": failed}


def measure(cli: Path, name: str, url: str, runs: int) -> dict[str, Any]:
    results = []
    for i in range(runs):
        results.append(run_lighthouse(cli, url, OUT / "lighthouse" / f"{name}-{i + 1}.json"))
        print(f"  {name} run {i + 1}: " + " ".join(f"{c}={results[-1]['scores'][c]}" for c in CATEGORIES) + f" bytes={results[-1]['bytes']}", flush=True)
    return {
        "url": url,
        "scores": {c: statistics.median(r["scores"][c] for r in results) for c in CATEGORIES},
        "bytes": int(statistics.median(r["bytes"] for r in results)),
        "failed": sorted({a for r in results for a in r["failed"]}),
    }


# --- main --------------------------------------------------------------------------------------


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3, help="Lighthouse runs per page (median reported)")
    parser.add_argument("--article", default="contacts/address-book", help="the article measured, as a path under docs/zh without .md")
    parser.add_argument("--english", default=None, help="the English page measured (default: the English article)")
    parser.add_argument("--no-strict", action="store_true", help="build even if the strict build warns (to measure work in progress)")
    parser.add_argument("--search-only", action="store_true", help="measure search only (index sizes, time to the first result), no Lighthouse")
    args = parser.parse_args(argv)

    if not Path(CHROME).is_file():
        sys.exit(f"no Chromium at {CHROME} (apt-get install chromium)")
    if shutil.which("node") is None or shutil.which("npm") is None:
        sys.exit("Node.js and npm are needed for Lighthouse")
    article_md = ROOT / "docs" / "zh" / f"{args.article}.md"
    if not article_md.is_file():
        sys.exit(f"no such article: {article_md.relative_to(ROOT)}")
    article = "/" + args.article.removesuffix("/index") + "/"
    english = args.english or "/en" + article

    ours_port, stock_port = free_port(), free_port()
    OUT.mkdir(exist_ok=True)
    print("Building the site ...", flush=True)
    mkdocs_build(ROOT / "mkdocs.yml", OUT / "site", {"SITE_URL": f"http://127.0.0.1:{ours_port}/"}, strict=not args.no_strict)
    if args.search_only:
        server = serve(OUT / "site", ours_port)
        try:
            missed = bench_search.report(OUT / "site", f"http://127.0.0.1:{ours_port}", args.runs)
        finally:
            server.shutdown()
        print("\nBudgets missed:\n  " + "\n  ".join(missed) if missed else "\nSearch budget met.")
        return 1 if missed else 0
    print("Building stock Material with the same article ...", flush=True)
    with tempfile.TemporaryDirectory(prefix="stock-", dir=OUT) as work:
        mkdocs_build(stock_config(article_md, Path(work)), OUT / "stock", {}, strict=False)
    cli = lighthouse_cli()

    ours, stock = serve(OUT / "site", ours_port), serve(OUT / "stock", stock_port)
    pages = {"home": "/", "article": article, "faq": "/faq/", "english": english}
    results: dict[str, dict[str, Any]] = {}
    try:
        for name, path in pages.items():
            if not (OUT / "site" / path.strip("/") / "index.html").is_file():
                sys.exit(f"{path} was not built")
            print(f"Lighthouse on {path} ({args.runs} runs) ...", flush=True)
            results[name] = measure(cli, name, f"http://127.0.0.1:{ours_port}{path}", args.runs)
        print(f"Lighthouse on stock Material's {article} ({args.runs} runs) ...", flush=True)
        results["stock-article"] = measure(cli, "stock-article", f"http://127.0.0.1:{stock_port}{article}", args.runs)
        print()
        search_missed = bench_search.report(OUT / "site", f"http://127.0.0.1:{ours_port}", args.runs)
    finally:
        ours.shutdown()
        stock.shutdown()

    print()
    print(f"Median of {args.runs} Lighthouse {LIGHTHOUSE_VERSION} runs, mobile settings, gzip:")
    header = f"{'page':<14} {'path':<34} {'perf':>5} {'a11y':>5} {'b.p.':>5} {'seo':>5} {'bytes':>9}"
    print(header)
    print("-" * len(header))
    for name, r in results.items():
        s = r["scores"]
        path = "/" + r["url"].split("/", 3)[3]
        print(f"{name:<14} {path[:33]:<34} {s['performance']:>5g} {s['accessibility']:>5g} {s['best-practices']:>5g} {s['seo']:>5g} {r['bytes']:>9,}")
    ours_bytes, stock_bytes = results["article"]["bytes"], results["stock-article"]["bytes"]
    print()
    print(f"Article {article}: ours {ours_bytes:,} bytes, stock Material {stock_bytes:,} bytes ({ours_bytes / stock_bytes:.0%} of stock)")

    missed = []
    for name, r in results.items():
        if name == "stock-article":
            continue
        for category, target in TARGETS.items():
            if r["scores"][category] < target:
                missed.append(f"{name}: {category} {r['scores'][category]:g} < {target}")
        if r["failed"]:
            missed.append(f"{name}: failing audits {', '.join(r['failed'])}")
    if ours_bytes >= stock_bytes:
        missed.append(f"article: {ours_bytes:,} bytes, not less than stock Material's {stock_bytes:,}")
    missed += search_missed
    (OUT / "bench.json").write_text(json.dumps(results, indent=2), encoding="utf-8")
    if missed:
        print("\nBudgets missed:\n  " + "\n  ".join(missed))
        return 1
    print("\nAll budgets met.")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
