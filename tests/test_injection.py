"""Front matter, registry and FAQ payloads stay text in the built site (issue 11).

tests/hostile_site.py plants tag injections, attribute breakouts and script URLs in a copy of the
project; the `hostile_site` fixture builds it with the real build. Every HTML file (and the search
index, whose titles Material inserts as HTML) is parsed: no payload may become an element, an
event-handler attribute or a script URL, and every payload that is meant to be shown must appear
as text. tests/browser/test_browser_injection.py opens the pages in Chromium.
"""

from __future__ import annotations

import json
from html.parser import HTMLParser
from pathlib import Path

from hostile_site import MARK, SHOWN

_URL_ATTRS = {"href", "src", "action", "formaction", "data", "poster", "xlink:href"}
_ACTIVE_TAGS = {"script", "img", "svg", "iframe", "object", "embed", "style", "link", "meta", "base", "form", "input", "video", "audio", "math"}


class Scan(HTMLParser):
    """Finds markup made from payloads, and collects the markers shown as text or attribute values."""

    def __init__(self, where: str) -> None:
        super().__init__(convert_charrefs=True)
        self.where = where
        self.problems: list[str] = []
        self.shown: set[str] = set()
        self._raw: str | None = None  # the tag of an open <script>/<style>

    def _note(self, text: str) -> None:
        for part in text.split(MARK + "-")[1:]:
            self.shown.add(part.split('"')[0].split("'")[0].split(")")[0])

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        line = self.getpos()[0]
        values = {name: value or "" for name, value in attrs}
        marked = any(MARK in value for value in values.values())
        for name, value in values.items():
            if name.startswith("on"):
                self.problems.append(f"{self.where}:{line}: <{tag}> has an event-handler attribute {name}={value!r}")
            if name in _URL_ATTRS:
                scheme = value.strip().lower().split(":", 1)[0] if ":" in value else ""
                if scheme in ("javascript", "vbscript") or (scheme == "data" and tag in ("script", "iframe", "object", "embed")):
                    self.problems.append(f"{self.where}:{line}: <{tag} {name}={value!r}> runs code")
                if MARK in value and tag in ("script", "link") and (scheme or value.lstrip()[:2] in ("//", "\\\\")):
                    self.problems.append(f"{self.where}:{line}: <{tag} {name}={value!r}> loads from elsewhere")
            if name not in ("src", "href") or tag not in ("script", "link"):
                self._note(value)
        if marked and tag in _ACTIVE_TAGS and tag not in ("link", "meta"):
            self.problems.append(f"{self.where}:{line}: payload became a <{tag}> element: {values}")
        if tag == "img" and values.get("src") == "x":
            self.problems.append(f"{self.where}:{line}: payload became <img src=x>")
        if tag in ("script", "style"):
            self._raw = tag
        if tag == "link":
            self._note(values.get("href", ""))

    def handle_endtag(self, tag: str) -> None:
        if tag == self._raw:
            self._raw = None

    def handle_data(self, data: str) -> None:
        if self._raw and MARK in data:
            self.problems.append(f"{self.where}:{self.getpos()[0]}: payload inside <{self._raw}>: {data.strip()[:120]!r}")
        elif not self._raw:
            self._note(data)


def scan(text: str, where: str) -> Scan:
    scanner = Scan(where)
    scanner.feed(text)
    scanner.close()
    return scanner


def test_the_scanner_finds_what_it_looks_for() -> None:
    """The checks below can fail: raw payloads are caught, escaped ones are read as text."""
    raw = scan(f'<title>x <script>alert("{MARK}-a")</script></title><a href="javascript:alert(1)">y</a><span class="new" onmouseover="alert(1)">', "raw")
    assert len(raw.problems) == 3, raw.problems
    escaped = scan(f"<title>x &lt;script&gt;alert(&#34;{MARK}-a&#34;)&lt;/script&gt;</title><span class='new&#34; onmouseover=&#34;{MARK}-b'>", "escaped")
    assert not escaped.problems and escaped.shown == {"a", "b"}


def test_no_payload_becomes_markup_in_any_output_file(hostile_site: Path) -> None:
    problems: list[str] = []
    shown: set[str] = set()
    pages = sorted(hostile_site.rglob("*.html"))
    assert len(pages) > 50, f"only {len(pages)} HTML files built"
    for path in pages:
        result = scan(path.read_text(encoding="utf-8"), str(path.relative_to(hostile_site)))
        problems += result.problems
        shown |= result.shown
    # Material inserts search result titles and texts as HTML.
    index = json.loads((hostile_site / "search" / "search_index.json").read_text(encoding="utf-8"))
    for doc in index["docs"]:
        for key in ("title", "text"):
            result = scan(doc[key], f"search index {doc['location']} {key}")
            problems += result.problems
            shown |= result.shown
    assert not problems, "unescaped payloads:\n" + "\n".join(problems[:40])
    missing = sorted(set(SHOWN) - shown)
    assert not missing, f"payloads that never reached the output as text (the test would prove nothing for them): {missing}"


def test_the_payloads_reach_the_templates_that_print_them(hostile_site: Path) -> None:
    """Each template-printed field, on the page whose front matter carries it (both languages)."""
    for prefix in ("", "en/"):
        page = hostile_site / prefix / "channels" / "sms" / "index.html"
        html = page.read_text(encoding="utf-8")
        result = scan(html, str(page))
        assert not result.problems
        # <title>, the description, the nav (title, subtitle, status), the legal basis (registry
        # title, kind, URL, the cited article).
        for marker in ("title", "title2", "title3", "description", "subtitle", "status", "article", "url", "kind-zh" if not prefix else "kind-en"):
            assert marker in result.shown, f"{page}: {MARK}-{marker} not shown"
        assert f"<title>Texts &lt;script&gt;alert(&#34;{MARK}-title&#34;)" in html, f"{page}: <title> does not hold the escaped title"
        # The front matter styles/scripts entries with a scheme or a leading // or \\ are dropped.
        assert f"{MARK}-script" not in html and f'{MARK}-style"' not in html and "data:text/javascript" not in html
