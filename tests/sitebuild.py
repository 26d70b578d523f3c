"""Building the real site for tests (imported by tests/conftest.py and the test modules).

Kept out of conftest.py so that test modules never import a module named `conftest`: there are
two of them (tests/ and tests/browser/) and the name would resolve to whichever loaded last.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def build_site(dest: Path, config: Path | None = None, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """Run `mkdocs build --strict` from the repo root (jieba and the hooks resolve paths there)."""
    full_env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--config-file", str(config or ROOT / "mkdocs.yml"), "--site-dir", str(dest)],
        cwd=ROOT,
        env=full_env,
        capture_output=True,
        text=True,
        check=False,
    )
