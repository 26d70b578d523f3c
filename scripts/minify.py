"""Our own stylesheets and scripts, minified in the built site; the sources in docs/assets/ stay
readable. Readers on slow phones download every byte of them on their first visit, and comments
are most of the bytes (scripts/bench_site.py measures the page weight against stock Material's).

Only files that come from docs/assets/ are touched (Material's own are minified already), each is
read from the built site and replaced atomically, and a symlink is never followed.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path

import rcssmin
import rjsmin

MINIFIERS: dict[str, Callable[[str], str]] = {
    ".css": lambda text: str(rcssmin.cssmin(text)),
    ".js": lambda text: str(rjsmin.jsmin(text)),
}


def minify_assets(docs_dir: Path, site_dir: Path) -> list[Path]:
    """Minify the built copies of docs/assets/**.css|js in site_dir; return the files changed."""
    changed = []
    source_root = docs_dir / "assets"
    for folder, dirs, names in os.walk(source_root):  # os.walk does not follow symlinked folders
        dirs[:] = [d for d in dirs if not (Path(folder) / d).is_symlink()]
        for name in sorted(names):
            minify = MINIFIERS.get(Path(name).suffix)
            source = Path(folder) / name
            built = site_dir / source.relative_to(docs_dir)
            if minify is None or source.is_symlink() or built.is_symlink() or not built.is_file():
                continue
            text = built.read_text(encoding="utf-8")
            small = minify(text).strip() + "\n"
            if len(small) < len(text):
                _replace(built, small)
                changed.append(built)
    return changed


def _replace(path: Path, text: str) -> None:
    mode = path.stat().st_mode & 0o777  # the copy MkDocs wrote is readable by a web server: keep it so
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(text)
        os.chmod(temporary, mode)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
