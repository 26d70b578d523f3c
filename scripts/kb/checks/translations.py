"""Translations: every page in every language, and each question with the same id on the same page
in every language. Not something the build checks; an error only under this project's rules
(extra.kb) when the site does not fall back to the default language."""

from __future__ import annotations

from collections.abc import Iterator

from ..model import Finding, Heading, Page, Site


def check(site: Site) -> Iterator[Finding]:
    config = site.config
    langs = [lang for lang in config.langs if lang]
    if len(langs) < 2:
        return
    severity = "error" if config.kb is not None and not config.fallback else "warning"
    every = sorted(set().union(*(site.by_lang.get(lang, {}).keys() for lang in langs)))
    for vpath in every:
        missing = [lang for lang in langs if site.page(lang, vpath) is None]
        if not missing:
            continue
        others = ", ".join(config.rel(config.lang_dir(m) / vpath).as_posix() if config.layout == "folder" else f"{vpath} ({m})" for m in missing)
        note = f"; the build shows the {config.default_lang} page instead" if config.fallback else ""
        for lang in langs:
            page = site.page(lang, vpath)
            if page is not None:
                yield Finding(page.rel, 1, 1, "missing-translation", f"no translation: {others} does not exist{note}", severity)
    if config.kb is None:
        return
    where: dict[str, dict[str, tuple[Page, Heading]]] = {lang: {} for lang in langs}
    for lang in langs:
        for page in site.pages_of(lang):
            for question in page.questions:
                if question.heading.explicit:
                    where[lang].setdefault(question.heading.id, (page, question.heading))
    for lang in langs:
        for ident, (page, heading) in sorted(where[lang].items()):
            for other in langs:
                if other == lang:
                    continue
                found = where[other].get(ident)
                if found is None and site.page(other, page.vpath) is not None:
                    yield Finding(page.rel, heading.line, heading.col, "faq-translation-mismatch", f"question #{ident} has no counterpart in {other}: add the same id to {other}/{page.vpath}")
                elif found is not None and found[0].vpath != page.vpath:
                    yield Finding(page.rel, heading.line, heading.col, "faq-translation-mismatch", f"question #{ident} is on {page.vpath} here but on {found[0].vpath} in {other}")
