"""scripts/minify.py: the built copies of our own CSS and JavaScript are minified; nothing else is
touched, file modes are kept, and a symlink is never followed. (That the minified scripts still run
is what every browser test sees: they load the built site.)"""

from __future__ import annotations

import stat
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "scripts"))

from minify import minify_assets

CSS = "/* A comment that explains the rule. */\n.kb-x {\n  color: red;   /* why red */\n}\n"
JS = "/* What this does. */\n(function () {\n  // a note\n  var answer = 42;\n  window.kbAnswer = answer;\n})();\n"


def make_site(tmp_path: Path) -> tuple[Path, Path]:
    docs, site = tmp_path / "docs", tmp_path / "site"
    for root in (docs, site):
        (root / "assets" / "stylesheets").mkdir(parents=True)
        (root / "assets" / "javascripts").mkdir(parents=True)
        (root / "assets" / "stylesheets" / "x.css").write_text(CSS, encoding="utf-8")
        (root / "assets" / "javascripts" / "x.js").write_text(JS, encoding="utf-8")
    (site / "assets" / "stylesheets" / "x.css").chmod(0o644)
    return docs, site


def test_our_assets_are_minified_and_keep_their_mode(tmp_path: Path) -> None:
    docs, site = make_site(tmp_path)
    changed = minify_assets(docs, site)
    css = (site / "assets" / "stylesheets" / "x.css").read_text(encoding="utf-8")
    js = (site / "assets" / "javascripts" / "x.js").read_text(encoding="utf-8")
    assert len(changed) == 2
    assert "comment" not in css and "why red" not in css and ".kb-x{color:red}" in css
    assert "a note" not in js and "What this does" not in js and len(js) < len(JS)
    assert stat.S_IMODE((site / "assets" / "stylesheets" / "x.css").stat().st_mode) == 0o644
    assert (docs / "assets" / "stylesheets" / "x.css").read_text(encoding="utf-8") == CSS, "the source changed"


def test_files_that_are_not_ours_and_symlinks_are_left_alone(tmp_path: Path) -> None:
    docs, site = make_site(tmp_path)
    theirs = site / "assets" / "stylesheets" / "main.css"  # a theme file: not in docs/assets
    theirs.write_text(CSS, encoding="utf-8")
    outside = tmp_path / "outside.css"
    outside.write_text(CSS, encoding="utf-8")
    built = site / "assets" / "stylesheets" / "x.css"
    built.unlink()
    built.symlink_to(outside)
    minify_assets(docs, site)
    assert theirs.read_text(encoding="utf-8") == CSS
    assert outside.read_text(encoding="utf-8") == CSS, "minify wrote through a symlink"
