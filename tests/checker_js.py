"""Run the message checker's real JavaScript outside a page: in Node when it is installed, else in
headless Chromium (the browser tests' Chromium). Used by the corpus and unit tests.

The script is docs/assets/javascripts/check-message.js; the data is what the build writes as
message-rules.json, made here by the same function (scripts/message_rules.py).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))
sys.path.insert(0, str(ROOT / "tests" / "browser"))

import message_rules  # noqa: E402
from kb.registry import load_registry  # noqa: E402

SCRIPT = ROOT / "docs" / "assets" / "javascripts" / "check-message.js"

_NODE_RUNNER = r"""
const fs = require('fs'), vm = require('vm');
const input = JSON.parse(fs.readFileSync(0, 'utf8'));
const errors = [];
const sandbox = {console: {error: (m) => errors.push(String(m)), log: () => {}}};
sandbox.window = sandbox;
vm.runInNewContext(input.script, sandbox, {filename: 'check-message.js'});
const checker = sandbox.kbCreateChecker(input.data);
const out = {errors, results: input.cases.map(c => c.normalise ? checker.normalise(c.text) : checker.check(c.text, c.opts || {}))};
process.stdout.write(JSON.stringify(out));
"""

_BROWSER_RUNNER = """(input) => {
  const errors = [];
  const original = console.error;
  console.error = (m) => errors.push(String(m));
  try {
    const sandbox = {console: console};
    sandbox.window = sandbox;
    (new Function('window', input.script + '\\n//# sourceURL=check-message.js')).call(sandbox, sandbox);
    const checker = sandbox.kbCreateChecker(input.data);
    return {errors, results: input.cases.map(c => c.normalise ? checker.normalise(c.text) : checker.check(c.text, c.opts || {}))};
  } finally { console.error = original; }
}"""


def rules_data() -> dict[str, Any]:
    registry = load_registry(ROOT / "data" / "laws.yml", list(message_rules.LANGS))
    rules = message_rules.load(ROOT / message_rules.DEFAULT_PATH)
    data: dict[str, Any] = json.loads(message_rules.json_text(rules, registry))
    return data


def engine() -> str | None:
    """'node' if Node.js is installed, else 'chromium' if the browser tests' Chromium is, else None.
    KB_CHECKER_ENGINE=chromium skips Node (to exercise the browser path)."""
    from browser_support import chromium_path

    if shutil.which("node") and os.environ.get("KB_CHECKER_ENGINE") != "chromium":
        return "node"
    return "chromium" if chromium_path() else None


def run(cases: list[dict[str, Any]], data: dict[str, Any] | None = None) -> dict[str, Any]:
    """Run check() (or normalise() for cases with normalise: true) on every case."""
    payload = {"script": SCRIPT.read_text(encoding="utf-8"), "data": data if data is not None else rules_data(), "cases": cases}
    kind = engine()
    if kind == "node":
        done = subprocess.run(["node", "-e", _NODE_RUNNER], input=json.dumps(payload), capture_output=True, text=True, check=False, timeout=120)
        if done.returncode != 0:
            raise RuntimeError(f"node failed: {done.stderr}")
        return dict(json.loads(done.stdout))
    if kind == "chromium":
        from browser_support import CHROMIUM_ARGS, chromium_path
        from playwright.sync_api import sync_playwright

        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
            try:
                page = browser.new_page()
                return dict(page.evaluate(_BROWSER_RUNNER, payload))
            finally:
                browser.close()
    raise RuntimeError("neither node nor Chromium is available")


def unavailable_reason() -> str | None:
    if engine() is not None:
        return None
    return "the checker's JavaScript needs Node.js or Chromium (KB_CHROMIUM, /usr/bin/chromium)"
