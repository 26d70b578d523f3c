"""Knowledge-base checks and generated indexes for a MkDocs site (the code is the package scripts/kb/).

    python scripts/kb.py check [--config PATH] [--format text|github|json]
    python scripts/kb.py faq   [--config PATH] [--check]
    python scripts/kb.py laws  [--config PATH] [--check]

`check` parses every page as MkDocs does (Python-Markdown with the site's own extensions, the
i18n plugin's languages, the `validation:` settings) and reports `PATH:LINE:COL: CODE MESSAGE`.
Exit status: 0 no errors, 1 errors, 2 usage or configuration problem. `faq` and `laws` write the
generated index pages of a project that configures `extra.kb`; with `--check` they only compare.

Running this file puts scripts/ first on the module path, and the package scripts/kb/ takes
precedence over this module of the same name: `runpy` runs the package's __main__.
"""

import runpy

if __name__ == "__main__":
    runpy.run_module("kb", run_name="__main__", alter_sys=True)
