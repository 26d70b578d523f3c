"""This project's FAQ rules (extra.kb): a question is a heading with the `faq` class and an explicit
id, unique in its language, answered in the first paragraph under it."""

from __future__ import annotations

from collections.abc import Iterator

from ..model import Finding, Heading, Page, Site


def check(site: Site) -> Iterator[Finding]:
    if site.config.kb is None:
        return
    for lang in site.config.langs:
        first: dict[str, tuple[Page, Heading]] = {}
        for page in site.pages_of(lang):
            for question in page.questions:
                heading = question.heading
                if not heading.explicit:
                    yield Finding(page.rel, heading.line, heading.col, "faq-missing-id", "question heading needs an explicit id, e.g. {#can-they-text-me .faq}")
                elif heading.id in first:
                    other_page, other = first[heading.id]
                    yield Finding(page.rel, heading.line, heading.col, "faq-duplicate-id", f"question id #{heading.id} is already used at {other_page.rel.as_posix()}:{other.line}")
                else:
                    first[heading.id] = (page, heading)
                if not question.answer:
                    yield Finding(page.rel, heading.line, heading.col, "faq-missing-answer", "question has no paragraph under it: start with a short answer (the FAQ index shows it)")
