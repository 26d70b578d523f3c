"""What the build does for the tools (issue 15), called by scripts/mkdocs_hooks.py for each page:
mark up letter templates for their form (scripts/letters.py) and put the cards' texts on a cards
page (scripts/cards.py). Plain functions of Markdown text and paths, without MkDocs objects.
"""

from __future__ import annotations

from pathlib import Path

import cards
import letters
from kb.model import Finding


class ToolsError(Exception):
    """A letter or card cannot be built; the message names the file and line."""


_fields: dict[Path, tuple[float, letters.FieldData]] = {}


def _field_data(root: Path) -> letters.FieldData:
    path = root / letters.DATA_FILE
    mtime = path.stat().st_mtime if path.is_file() else -1.0
    cached = _fields.get(path)
    if cached is None or cached[0] != mtime:
        data = letters.load_fields(path, Path(letters.DATA_FILE))
        if data.problems:
            first = data.problems[0]
            raise ToolsError(f"{first.path.as_posix()}:{first.line}: {first.message}")
        _fields[path] = (mtime, data)
        cached = _fields[path]
    return cached[1]


def prepare(markdown: str, docs_dir: Path, lang: str, vpath: str, root: Path) -> str:
    """The page's Markdown as the build should render it. `vpath` is the path inside the language
    folder `docs_dir/lang`; `root` is the repository (for data/letter-fields.yml)."""
    source = f"docs/{lang}/{vpath}"
    if 'class="kb-letter"' in markdown:
        letter = Path(vpath).stem
        try:
            markdown = letters.mark_letter(markdown, lang, _field_data(root), letter, source)
        except letters.LetterError as exc:
            raise ToolsError(str(exc)) from None
    if ".kb-card-from" in markdown:
        lang_dir = (docs_dir / lang).resolve()

        def read(target: str) -> str | None:
            raw = docs_dir / lang / target
            path = raw.resolve()
            if raw.is_symlink() or lang_dir not in path.parents or not path.is_file():
                return None
            return path.read_text(encoding="utf-8")

        try:
            markdown = cards.expand(markdown, vpath, read, source)
        except cards.CardError as exc:
            raise ToolsError(str(exc)) from None
    return markdown


def check(root: Path, pages: list[tuple[Path, str, str, Path]]) -> list[Finding]:
    """The `kb.py check` part of the tools: letter placeholders and card sources.

    `pages` holds (path to show, language, path inside the language folder, file to read);
    unreadable files are left to kb.py, which reports them."""
    texts: list[tuple[Path, str, str, str]] = []
    for shown, lang, vpath, path in pages:
        try:
            texts.append((shown, lang, vpath, path.read_text(encoding="utf-8")))
        except (OSError, UnicodeDecodeError):
            continue
    found: list[Finding] = []
    found += letters.check(texts, root / letters.DATA_FILE, Path(letters.DATA_FILE))
    found += cards.check(texts)
    return found
