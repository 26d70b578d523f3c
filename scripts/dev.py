"""One entry point for editors: set up a virtual environment, then serve the site or run the tests.

    python scripts/dev.py serve [mkdocs serve options]   # preview at http://127.0.0.1:8000
    python scripts/dev.py test [pytest options]          # every test, as CI runs them
    python scripts/dev.py build [mkdocs build options]   # the static site in site/

Needs only Python 3.11+ with pip. It creates `.venv/` in the repository on first use and
reinstalls the pinned requirements only when a requirements file changes.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV = ROOT / ".venv"
REQUIREMENTS = {"serve": "requirements.txt", "build": "requirements.txt", "test": "requirements-dev.txt"}


def venv_python() -> Path:
    if os.name == "nt":
        return VENV / "Scripts" / "python.exe"
    return VENV / "bin" / "python"


def requirements_digest(name: str) -> str:
    digest = hashlib.sha256()
    for path in sorted(ROOT.glob("requirements*.txt")):
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    digest.update(name.encode())
    return digest.hexdigest()


def ensure_environment(requirements: str) -> Path:
    python = venv_python()
    if not python.exists():
        print(f"Creating the virtual environment in {VENV} ...", flush=True)
        venv.EnvBuilder(with_pip=True).create(VENV)
    stamp = VENV / f".installed-{requirements}"
    wanted = requirements_digest(requirements)
    if not stamp.exists() or stamp.read_text(encoding="utf-8") != wanted:
        print(f"Installing {requirements} ...", flush=True)
        subprocess.run([str(python), "-m", "pip", "install", "--disable-pip-version-check", "-q", "-r", str(ROOT / requirements)], check=True, cwd=ROOT)
        stamp.write_text(wanted, encoding="utf-8")
    return python


def main(argv: list[str]) -> int:
    if sys.version_info < (3, 11):
        print("Python 3.11 or newer is needed (Material for MkDocs 9.8 requires it).", file=sys.stderr)
        return 2
    if not argv or argv[0] not in REQUIREMENTS:
        print(__doc__, file=sys.stderr)
        return 2
    command, rest = argv[0], argv[1:]
    python = ensure_environment(REQUIREMENTS[command])
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    if command == "test":
        args = [str(python), "-m", "pytest", *rest]
    else:
        args = [str(python), "-m", "mkdocs", command, *rest]
    # Run from the repository root: jieba's user dictionary and the hooks resolve paths there.
    return subprocess.run(args, cwd=ROOT, env=env, check=False).returncode


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
