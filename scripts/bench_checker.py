"""Benchmark (not a test): how well the message checker works on wording it was not tuned for.

    .venv/bin/python scripts/bench_checker.py [--misses]

Runs the checker's real JavaScript (docs/assets/javascripts/check-message.js, in Node or headless
Chromium as tests/checker_js.py does) on the held-out messages in tests/data/messages-heldout.yml
and, for comparison, on the corpus the patterns were written for (tests/data/messages.yml). Prints
recall per code, and the lawful messages that got a finding (false alarms), per batch. `--misses`
lists the missed problems and the false alarms. Exits 0 whatever the figures: they describe the
checker, they are not a gate (the corpus test in tests/test_message_corpus.py is the gate).
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

HELDOUT = ROOT / "tests" / "data" / "messages-heldout.yml"
CORPUS = ROOT / "tests" / "data" / "messages.yml"


def report(name: str, messages: list[dict[str, Any]], results: list[list[dict[str, Any]]], misses: bool) -> None:
    expected: Counter[str] = Counter()
    found: Counter[str] = Counter()
    missed: list[tuple[str, str]] = []
    alarms: list[tuple[list[str], str]] = []
    for message, findings in zip(messages, results, strict=True):
        got = {finding["code"] for finding in findings}
        want = set(message["expect"])
        for code in want:
            expected[code] += 1
            if code in got:
                found[code] += 1
            else:
                missed.append((code, message["text"]))
        if not want and got:
            alarms.append((sorted(got), message["text"]))
    total, hits = sum(expected.values()), sum(found.values())
    lawful = sum(1 for message in messages if not message["expect"])
    print(f"{name}: {len(messages)} messages; recall {hits}/{total} = {hits / total:.0%}; false alarms on {len(alarms)} of {lawful} lawful messages")
    for code in sorted(expected):
        print(f"  {code:<20} {found[code]:>3}/{expected[code]:<3} {found[code] / expected[code]:.0%}")
    if misses:
        for code, text in sorted(missed):
            print(f"  missed {code}: {text}")
        for codes, text in alarms:
            print(f"  false alarm {', '.join(codes)}: {text}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--misses", action="store_true", help="list missed problems and false alarms")
    args = parser.parse_args(argv)
    import checker_js  # tests/, on sys.path above

    reason = checker_js.unavailable_reason()
    if reason:
        print(f"bench_checker: {reason}", file=sys.stderr)
        return 2
    batches: dict[str, list[dict[str, Any]]] = dict(yaml.safe_load(HELDOUT.read_text(encoding="utf-8"))["batches"])
    batches["corpus (tuned)"] = list(yaml.safe_load(CORPUS.read_text(encoding="utf-8"))["messages"])
    for name, messages in batches.items():
        out = checker_js.run([{"text": m["text"], "opts": {"time": m.get("time")}} for m in messages])
        if out["errors"]:
            print(f"bench_checker: the checker reported errors: {out['errors']}", file=sys.stderr)
            return 2
        report(name if name.startswith("corpus") else f"held-out batch {name}", messages, out["results"], args.misses)
    return 0


if __name__ == "__main__":
    sys.exit(main())
