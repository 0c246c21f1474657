"""Render the sample map (data/) in headless Chromium and save what users see to docs/map.png.

    scripts/map-screenshot [--out docs/map.png] [--data data] [--width 1400 --height 860]

Needs Debian's chromium (scripts/system-deps) and the playwright package (the test extra); it
never downloads a browser. The page is opened from a file:// URL with every other request refused.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "map.png")
    parser.add_argument("--data", type=Path, default=ROOT / "data")
    parser.add_argument("--width", type=int, default=1400)
    parser.add_argument("--height", type=int, default=860)
    parser.add_argument("--focus", default="", help="Organisation to open in the details panel (default: none, the first view).")
    args = parser.parse_args()

    from clusterkg.graph.map.render import render
    from clusterkg.loaders.assemble import load_dataset
    from playwright.sync_api import sync_playwright

    chromium = os.environ.get("CLUSTERKG_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
    ds = load_dataset([args.data])
    if not ds.valid:
        print(f"{args.data}: {len(ds.problems)} problem(s); run clusterkg validate", file=sys.stderr)
        return 1
    with tempfile.TemporaryDirectory() as folder:
        page_file = Path(folder) / "map.html"
        page_file.write_text(render(ds, size_by="degree", title="Sample: life-science cluster agreements"),
                             encoding="utf-8")
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=chromium, args=ARGS)
            page = browser.new_page(viewport={"width": args.width, "height": args.height})
            page.route(re.compile(r"^(?!file:)"), lambda route: route.abort())
            page.goto(page_file.as_uri())
            page.wait_for_selector("body[data-ready]", state="attached", timeout=60_000)
            if args.focus:
                page.evaluate("(id) => clusterMap.focusNode(id)", args.focus)  # centred on it, details open
                page.wait_for_timeout(600)
            page.wait_for_timeout(300)
            args.out.parent.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(args.out))
            browser.close()
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
