"""The message checker on the labelled corpus (tests/data/messages.yml), running its real JavaScript.

Reports recall per code, findings on lawful messages and extra findings on the others; fails
under 90 % recall for any code or on any finding on a lawful message.
"""

from __future__ import annotations

import os
from collections import Counter
from pathlib import Path
from typing import Any

import checker_js
import pytest
import yaml

CORPUS = Path(__file__).resolve().parent / "data" / "messages.yml"
MIN_RECALL = 0.90


def corpus() -> list[dict[str, Any]]:
    data = yaml.safe_load(CORPUS.read_text(encoding="utf-8"))
    return list(data["messages"])


@pytest.fixture(scope="module")
def results() -> list[tuple[dict[str, Any], list[dict[str, Any]]]]:
    reason = checker_js.unavailable_reason()
    if reason:
        if os.environ.get("KB_REQUIRE_BROWSER") == "1":
            pytest.fail(reason, pytrace=False)
        pytest.skip(reason)
    messages = corpus()
    out = checker_js.run([{"text": m["text"], "opts": {"time": m.get("time")}} for m in messages])
    assert not out["errors"], f"the checker reported errors: {out['errors']}"
    return list(zip(messages, out["results"], strict=True))


def test_corpus_is_large_varied_and_labelled_with_known_codes() -> None:
    messages = corpus()
    import message_rules

    known = set(message_rules.CODES)
    assert len(messages) >= 80, f"only {len(messages)} messages"
    lawful = [m for m in messages if not m["expect"]]
    assert len(lawful) / len(messages) >= 0.25, f"only {len(lawful)} of {len(messages)} messages are lawful reminders"
    english = [m for m in messages if not any("\u4e00" <= c <= "\u9fff" for c in m["text"])]
    assert len(english) >= 20, "too few English messages"
    counts = Counter(code for m in messages for code in m["expect"])
    for message in messages:
        assert set(message["expect"]) <= known, f"unknown code in {message}"
    for code in known:
        assert counts[code] >= 8, f"only {counts[code]} messages expect {code!r}: recall would mean little"
    texts = [m["text"] for m in messages]
    assert len(texts) == len(set(texts)), "a message appears twice"


def test_recall_per_code_and_no_finding_on_lawful_messages(results: list[tuple[dict[str, Any], list[dict[str, Any]]]]) -> None:
    expected: Counter[str] = Counter()
    found: Counter[str] = Counter()
    extra: Counter[str] = Counter()
    false_on_lawful: list[str] = []
    misses: list[str] = []
    for message, findings in results:
        got = {f["code"] for f in findings}
        want = set(message["expect"])
        for code in want:
            expected[code] += 1
            found[code] += code in got
            if code not in got:
                misses.append(f"  missed {code}: {message['text']}")
        for code in got - want:
            extra[code] += 1
            if not want:
                words = [m["text"] for f in findings if f["code"] == code for m in f["matches"]] or [str(message.get("time"))]
                false_on_lawful.append(f"  {code} on a lawful message ({'/'.join(words)}): {message['text']}")
    lines = [f"{'code':<20} recall   extra findings on other messages"]
    for code in sorted(expected):
        lines.append(f"{code:<20} {found[code]:>3}/{expected[code]:<3} {found[code] / expected[code]:6.1%}   {extra[code]}")
    lawful = sum(1 for m, _ in results if not m["expect"])
    lines.append(f"{len(results)} messages, {lawful} lawful; findings on lawful messages: {len(false_on_lawful)}")
    print("\n" + "\n".join(lines + misses + false_on_lawful))
    low = [code for code in expected if found[code] / expected[code] < MIN_RECALL]
    assert not low, "recall under 90 % for " + ", ".join(low) + "\n" + "\n".join(misses)
    assert not false_on_lawful, "findings on lawful messages:\n" + "\n".join(false_on_lawful)
