"""The fallback generator: ProperDocs (a maintained fork of MkDocs 1.6, pinned in
requirements-dev.txt) builds this site strictly, and its output is MkDocs' output.

Material for MkDocs reaches end of life on 2027-05-05 and MkDocs 1.6.1 is the last 1.x release;
should `mkdocs` stop installing or change under us, `properdocs build` is the switch
(CONTRIBUTING.md, "Building with ProperDocs"). This test keeps that switch proven: both builds
of the same sources, compared file by file, ignoring only build dates (the sitemap's lastmod).
"""

from __future__ import annotations

import difflib
import gzip
import os
import re
import subprocess
import sys
from pathlib import Path

from sitebuild import ROOT

_LASTMOD = re.compile(rb"<lastmod>[^<]*</lastmod>")


def normalised(path: Path) -> bytes:
    """A built file's bytes without build dates."""
    data = path.read_bytes()
    if path.suffix == ".gz":
        data = gzip.decompress(data)
    if path.name.startswith("sitemap.xml"):
        data = _LASTMOD.sub(b"<lastmod/>", data)
    return data


def tree_differences(left: Path, right: Path) -> list[str]:
    """What differs between two built sites, one line per file (with the first changed lines)."""
    files_left = {p.relative_to(left).as_posix() for p in left.rglob("*") if p.is_file()}
    files_right = {p.relative_to(right).as_posix() for p in right.rglob("*") if p.is_file()}
    out = [f"only in {left.name}: {name}" for name in sorted(files_left - files_right)]
    out += [f"only in {right.name}: {name}" for name in sorted(files_right - files_left)]
    for name in sorted(files_left & files_right):
        a, b = normalised(left / name), normalised(right / name)
        if a != b:
            diff = difflib.unified_diff(a.decode("utf-8", "replace").splitlines(), b.decode("utf-8", "replace").splitlines(), lineterm="", n=0)
            out.append(f"differs: {name}\n    " + "\n    ".join(list(diff)[2:8]))
    return out


def test_tree_differences_ignores_build_dates_only(tmp_path: Path) -> None:
    left, right = tmp_path / "left", tmp_path / "right"
    for site, day in ((left, "2026-11-28"), (right, "2026-11-29")):
        site.mkdir()
        sitemap = f"<urlset><url><loc>x</loc><lastmod>{day}</lastmod></url></urlset>".encode()
        (site / "sitemap.xml").write_bytes(sitemap)
        (site / "sitemap.xml.gz").write_bytes(gzip.compress(sitemap, mtime=0 if site is left else 1))
        (site / "index.html").write_text("<p>same</p>\n", encoding="utf-8")
    assert tree_differences(left, right) == []
    (right / "index.html").write_text("<p>other</p>\n", encoding="utf-8")
    (right / "extra.css").write_text("", encoding="utf-8")
    found = tree_differences(left, right)
    assert len(found) == 2 and "only in right: extra.css" in found[0] and "differs: index.html" in found[1], found


def test_properdocs_builds_the_same_site_as_mkdocs(built_site: Path, tmp_path: Path) -> None:
    """`properdocs build --strict` of the repository equals the session's `mkdocs build --strict`."""
    dest = tmp_path / "properdocs"
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "DISABLE_MKDOCS_2_WARNING": "true"}
    result = subprocess.run(
        [sys.executable, "-m", "properdocs", "build", "--strict", "--config-file", str(ROOT / "mkdocs.yml"), "--site-dir", str(dest)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, f"properdocs build --strict failed:\n{result.stdout}{result.stderr}"
    assert (dest / "index.html").is_file() and (dest / "en" / "index.html").is_file()
    differences = tree_differences(built_site, dest)
    assert not differences, f"{len(differences)} files differ between MkDocs and ProperDocs:\n" + "\n".join(differences[:20])


def test_properdocs_is_pinned_beside_mkdocs() -> None:
    """Installed in the same environment, each command is still its own generator."""
    pins = (ROOT / "requirements-dev.txt").read_text(encoding="utf-8")
    assert re.search(r"^properdocs==\d+\.\d+\.\d+$", pins, re.MULTILINE), "properdocs is not pinned in requirements-dev.txt"
    versions = {}
    for tool in ("mkdocs", "properdocs"):
        out = subprocess.run([sys.executable, "-m", tool, "--version"], capture_output=True, text=True, check=True).stdout
        versions[tool] = out
        assert f"/site-packages/{tool}" in out.replace("\\", "/"), f"`python -m {tool}` runs {out!r}"
    assert "version 1.6.1" in versions["mkdocs"], versions
