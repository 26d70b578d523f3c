"""Helpers of the search browser tests (issue 12): watching what the page asks the search worker
and what it answers, and reading the result list.

Material's search talks to its worker in messages: {type: 2, data: query} out, {type: 3, data:
{items, query}} back, after {type: 1} once the index is loaded (our worker, docs/assets/javascripts/workers/search-worker.js, names the query
it answers). WATCH_WORKER, added to a page before it loads, records both in window.__kbSearch.
"""

from __future__ import annotations

from typing import Any

WATCH_WORKER = """(() => {
  const seen = window.__kbSearch = { queries: [], answered: [], ready: false };
  const post = Worker.prototype.postMessage;
  Worker.prototype.postMessage = function (message) {
    if (message && message.type === 2) seen.queries.push(String(message.data));
    return post.apply(this, arguments);
  };
  const Original = window.Worker;
  window.Worker = function (url, options) {
    const worker = new Original(url, options);
    worker.addEventListener("message", event => {
      const data = event.data || {};
      if (data.type === 1) seen.ready = true;  // the index is loaded: Material sends queries from now on
      if (data.type === 3) seen.answered.push(String((data.data || {}).query));
    });
    return worker;
  };
  window.Worker.prototype = Original.prototype;
})();"""

# Punctuation that must not start a line (or a snippet): closing marks and pauses.
CLOSING = "、，。；：？！）》」』】〉…,.;:?!)"


def watch(page: Any) -> None:
    page.add_init_script(WATCH_WORKER)


def queries(page: Any) -> list[str]:
    return list(page.evaluate("() => window.__kbSearch.queries"))


def open_search(page: Any) -> Any:
    """Focus the search box (the index starts loading) and return it."""
    box = page.locator("input.md-search__input")
    box.click()
    return box


def wait_ready(page: Any) -> None:
    """Until the worker has loaded the index (Material holds queries back before that)."""
    page.wait_for_function("() => window.__kbSearch.ready")


def wait_answer(page: Any, query: str) -> None:
    """Until the worker has answered `query` (Material shows the answer in the same task)."""
    page.wait_for_function("q => window.__kbSearch.answered.includes(q)", arg=query)


def result_pages(page: Any) -> list[str]:
    """The page path of each result, in order (the first link of a result is its page); not the
    links offered when nothing is found."""
    script = "items => items.map(li => new URL(li.querySelector('a').href).pathname)"
    return list(page.eval_on_selector_all(".md-search-result__item:not([data-kb-search-empty])", script))


def find(page: Any, query: str) -> list[str]:
    """Put `query` in the box as a paste would (one input event, no keys) and return the result pages."""
    box = page.locator("input.md-search__input")
    box.fill(query)
    wait_answer(page, query)
    return result_pages(page)
