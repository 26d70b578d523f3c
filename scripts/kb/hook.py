"""What the MkDocs hook (scripts/mkdocs_hooks.py) asks of the package: the generated pages of the
files a language build is about to read, as text, so the build serves them without writing docs/."""

from __future__ import annotations

from pathlib import Path

from .checks import load_labels_for, load_registry_for
from .checks.generated import failed_pages
from .config import ConfigError, load_config
from .generate import generated_paths, output_path, outputs
from .site import load_site


def generated_files(config_path: Path, present: set[str]) -> dict[str, str]:
    """src_uri -> content for each generated page among `present` (src_uris of this build's files).
    Problems raise ValueError with a one-line message."""
    try:
        config = load_config(config_path)
        wanted: dict[str, Path] = {}
        langs: list[str] = []
        for page in generated_paths(config):
            for lang in config.langs:
                path = output_path(config, lang, page)
                uri = path.relative_to(config.docs_dir).as_posix()
                if uri in present:
                    wanted[uri] = path
                    langs.append(lang)
    except ConfigError as exc:
        raise ValueError(str(exc)) from None
    if not wanted:
        return {}
    site = load_site(config, sorted(set(langs)))
    failed = failed_pages(site)
    if failed:
        first = failed[0]
        raise ValueError(f"cannot generate the indexes: {first.path.as_posix()}:{first.line}: {first.code} {first.message}")
    registry, problems = load_registry_for(site, strict=False)
    labels, label_problems = load_labels_for(site)
    problems += label_problems
    if problems or labels is None:
        raise ValueError(f"{problems[0].path.as_posix()}:{problems[0].line}: {problems[0].message}")
    contents = outputs(site, registry, labels, langs=sorted(set(langs)))
    return {uri: contents[path] for uri, path in wanted.items() if path in contents}
