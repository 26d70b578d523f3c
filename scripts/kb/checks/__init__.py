"""The checks: each module reads the Site and yields Findings; `check_site` runs them all."""

from __future__ import annotations

import datetime as dt

from ..config import Config
from ..labels import Labels, LabelsError, load_labels
from ..model import Finding, Site
from ..registry import Registry, RegistryError, load_registry
from ..site import load_site
from . import front_matter, generated, links, nav, questions, tools, translations


def load_registry_for(site: Site, today: dt.date | None = None, strict: bool = True) -> tuple[Registry | None, list[Finding]]:
    config = site.config
    if config.kb is None or config.kb.registry is None:
        return None, []
    try:
        return load_registry(config.kb.registry, config.text_langs, today, strict), []
    except RegistryError as exc:
        return None, [Finding(config.rel(exc.path), exc.line, 1, "registry-invalid", exc.message)]


def load_labels_for(site: Site) -> tuple[Labels | None, list[Finding]]:
    config = site.config
    if config.kb is None:
        return None, []
    try:
        return load_labels(config.kb.labels, config.text_langs), []
    except LabelsError as exc:
        return None, [Finding(config.rel(exc.path), exc.line, 1, "labels-invalid", exc.message)]


def check_site(site: Site, today: dt.date | None = None) -> list[Finding]:
    today = today or dt.date.today()
    text_checks = tools.start_text_checks(site)  # issues 12 and 15: letters, cards, keywords
    registry, findings = load_registry_for(site, today)
    labels, problems = load_labels_for(site)
    findings += problems
    findings += site.problems
    for page in site.pages.values():
        findings += page.problems
    findings += front_matter.check(site, registry, today)
    findings += links.check(site)
    findings += translations.check(site)
    findings += questions.check(site)
    findings += nav.check(site)
    findings += generated.check(site, registry, labels)
    findings += tools.check_message_rules(site, registry)  # issue 14: data/message-rules.yml
    findings += text_checks.result()
    return sorted(set(findings), key=lambda f: (f.path.as_posix(), f.line, f.col, f.code, f.message))


def run_check(config: Config, today: dt.date | None = None) -> list[Finding]:
    return check_site(load_site(config), today)
