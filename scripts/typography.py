"""Chinese typography lint of docs/ with AutoCorrect (autocorrect-py).

Reports missing spaces between Chinese and Latin letters or digits and half-width punctuation in
Chinese text as PATH:LINE:COL findings; exits 1 when there are any. Run it from the repo root:

    python scripts/typography.py [PATH ...]
"""

from __future__ import annotations

import sys
from pathlib import Path

import autocorrect_py


def lint(paths: list[Path]) -> list[str]:
    findings: list[str] = []
    for path in paths:
        files = sorted(path.rglob("*.md")) if path.is_dir() else [path]
        for file in files:
            result = autocorrect_py.lint_for(file.read_text(encoding="utf-8"), file.name)
            for line in result.lines:
                findings.append(f"{file.as_posix()}:{line.line}:{line.col}: typography {line.old.strip()!r} -> {line.new.strip()!r}")
    return findings


def main(argv: list[str]) -> int:
    findings = lint([Path(a) for a in argv] or [Path("docs")])
    for finding in findings:
        print(finding)
    print(f"{len(findings)} typography finding(s)")
    return 1 if findings else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
