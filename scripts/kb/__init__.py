"""Knowledge-base checks and generated indexes for a MkDocs site; `python scripts/kb.py` runs them.

The package reads as parse -> model -> checks -> report:

- config.py       mkdocs.yml loaded as MkDocs loads it (plugins, extensions, validation), plus extra.kb
- walk.py         the docs folder as MkDocs lists it, without following symlinks; bounded reads
- layout.py       languages (mkdocs-static-i18n): which files each language build sees, how links resolve
- frontmatter.py  front matter split as MkDocs splits it, with the line of every key
- markdown_model.py  one page through Python-Markdown with the site's extensions: ids, links, questions
- fastinline.py   Python-Markdown's inline pass without the pattern calls that cannot match (same result)
- locate.py       the cheap line pass: where each finding is, fences, over-long lines
- site.py         every page parsed (worker processes for large sites) into the model (model.py)
- checks/         one module per check, each reading the model and yielding findings (checks/tools.py
                  hands the model to this site's tool modules: message rules, letters, cards, keywords)
- registry.py, labels.py, generate.py, write.py   the law registry, UI labels, generated pages, safe writes
- report.py, cli.py   output and the command line
- hook.py         what scripts/mkdocs_hooks.py asks of the package (generated pages, served from memory)
"""

from .checks import check_site, run_check
from .config import Config, ConfigError, load_config
from .model import Finding, Heading, Link, Page, Question, Site, SiteFile
from .site import load_site

__all__ = ["Config", "ConfigError", "Finding", "Heading", "Link", "Page", "Question", "Site", "SiteFile", "check_site", "load_config", "load_site", "run_check"]
