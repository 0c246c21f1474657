"""Headless Chromium (Debian's ``chromium``) driven by Playwright for Python.

Playwright's own browser download is never used (it cannot be fetched here);
the tests launch /usr/bin/chromium. Without it, or without the playwright
package, the tests skip on a developer's machine and fail under CI=1, where
scripts/system-deps installs it.
"""

from __future__ import annotations

import os
import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("CLUSTERKG_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]


def _missing(reason: str):
    if os.environ.get("CI"):
        pytest.fail(f"browser tests need {reason} (CI=1: not skipping)", pytrace=False)
    pytest.skip(f"needs {reason}")


@pytest.fixture(scope="session")
def browser():
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _missing("the playwright package (pip install -e '.[test]')")
    if not Path(CHROMIUM).exists():
        _missing("Debian's chromium (scripts/system-deps installs it)")
    playwright = sync_playwright().start()
    chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
    yield chromium
    chromium.close()
    playwright.stop()


@dataclass
class OpenedMap:
    page: object
    requests: list[str] = field(default_factory=list)
    blocked: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)

    def js(self, expression: str, arg=None):
        return self.page.evaluate(expression, arg)


@pytest.fixture
def open_map(browser, tmp_path):
    """``open_map(html, bypass_csp=False)``: the page loaded from a file:// URL and drawn once.

    Every request is recorded and any that is not file:// is aborted; console
    errors, uncaught exceptions and dialogs (alert, confirm) are recorded too.
    """
    contexts = []

    def opener(html: str, *, bypass_csp: bool = False, name: str = "map.html", width: int = 1400,
               height: int = 900) -> OpenedMap:
        path = tmp_path / name
        path.write_text(html, encoding="utf-8")
        context = browser.new_context(viewport={"width": width, "height": height}, bypass_csp=bypass_csp)
        contexts.append(context)
        page = context.new_page()
        opened = OpenedMap(page)

        def route(route):
            opened.blocked.append(route.request.url)
            route.abort()

        context.route(re.compile(r"^(?!file:)"), route)
        page.on("request", lambda request: opened.requests.append(request.url))
        page.on("console", lambda message: message.type == "error" and opened.errors.append(message.text))
        page.on("pageerror", lambda error: opened.errors.append(str(error)))

        def dialog(d):
            opened.dialogs.append(d.message)
            d.dismiss()

        page.on("dialog", dialog)
        page.goto(path.as_uri())
        # Not wait_for_function: it evaluates a string, which the page's CSP forbids.
        page.wait_for_selector("body[data-ready]", state="attached", timeout=60_000)
        return opened

    yield opener
    for context in contexts:
        context.close()
