"""The command line: `python scripts/kb.py check|faq|laws` (see scripts/kb.py)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from .checks import check_site, load_labels_for, load_registry_for
from .checks.generated import failed_pages
from .config import ConfigError, load_config
from .generate import outputs
from .report import clean, report
from .site import load_site
from .write import WriteFailed, WriteRefused, current_text, write_pages


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> Any:  # one line, exit status 2
        self.exit(2, f"kb.py: {clean(message)} (see `python scripts/kb.py --help`)\n")


def _parser() -> _Parser:
    parser = _Parser(prog="kb.py", description="Check the knowledge base and regenerate its indexes.")
    commands = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    check = commands.add_parser("check", help="report broken links and anchors, front matter and FAQ problems")
    check.add_argument("--config", default="mkdocs.yml", type=Path)
    check.add_argument("--format", choices=("text", "github", "json"), default="text")
    for name, what in (("faq", "the FAQ index (docs/<lang>/faq.md)"), ("laws", "the law index (docs/<lang>/reference/laws.md)")):
        sub = commands.add_parser(name, help=f"write {what}")
        sub.add_argument("--config", default="mkdocs.yml", type=Path)
        sub.add_argument("--check", action="store_true", help="write nothing; exit 1 when an index is missing or out of date")
    return parser


def _generate(args: argparse.Namespace) -> int:
    command = args.command
    config = load_config(args.config)
    if config.kb is None:
        raise ConfigError(f"`{command}` needs this project's settings: extra.kb in {config.rel(config.path)}")
    if command == "laws" and config.kb.registry is None:
        raise ConfigError("no registry configured: set extra.kb.registry in the config")
    if command == "faq" and not config.kb.faq_page:
        raise ConfigError("no FAQ page configured: extra.kb.faq_page is empty")
    site = load_site(config)
    failed = failed_pages(site)
    if failed:
        for problem in failed:
            print(f"kb.py: {clean(problem.path.as_posix())}:{problem.line}: {problem.code} {clean(problem.message)}", file=sys.stderr)
        print(f"kb.py: nothing written: {len(failed)} page problem(s) above make the {command} index unreliable", file=sys.stderr)
        return 1
    registry, problems = load_registry_for(site)
    if problems and command == "laws":
        raise ConfigError(f"{problems[0].path.as_posix()}:{problems[0].line}: {problems[0].message}")
    labels, problems = load_labels_for(site)
    if labels is None:
        raise ConfigError(f"{problems[0].path.as_posix()}:{problems[0].line}: {problems[0].message}")
    pages = outputs(site, registry, labels, (command,))
    if args.check:
        stale = [path for path, content in pages.items() if current_text(path) != content]
        for path in stale:
            print(f"{clean(config.rel(path).as_posix())} is missing or out of date; run `python scripts/kb.py {command}`")
        return 1 if stale else 0
    try:
        written = write_pages(config, pages)
    except WriteRefused as exc:
        print(f"kb.py: {clean(str(exc))}", file=sys.stderr)
        return 2
    except WriteFailed as exc:
        print(f"kb.py: {clean(str(exc))}", file=sys.stderr)
        return 1
    for path in written:
        print(f"wrote {clean(config.rel(path).as_posix())}")
    return 0


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        if args.command == "check":
            config = load_config(args.config)
            site = load_site(config)
            findings = check_site(site)
            print(report(findings, args.format, len(site.pages)))
            return 1 if any(f.severity == "error" for f in findings) else 0
        return _generate(args)
    except ConfigError as exc:
        print(f"kb.py: {clean(str(exc))}", file=sys.stderr)
        return 2
