"""MkDocs hook: minify our own stylesheets and scripts in the built site (scripts/minify.py).

`import minify` works because MkDocs puts this file's folder (scripts/) on sys.path while it
imports a hook.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from minify import minify_assets

# For scripts/kb: this hook adds no page and changes none (it runs after the build only).
KB_MODELLED = True


def on_post_build(config: Any) -> None:
    minify_assets(Path(config.docs_dir), Path(config.site_dir))
