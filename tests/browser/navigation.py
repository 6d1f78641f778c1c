"""The pages the app's navigation lists, read from dashboard.py itself.

`dashboard.py` keeps one list, PAGES, of (file, title, icon, url) and shows a page once
its file exists. The journeys take their pages from that list, so a page added to the
navigation is opened by the browser tests without anyone editing them.
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def pages() -> list[dict]:
    """[{"file", "title", "url", "path"}] of the pages the navigation shows, in its order;
    `path` is what the browser opens ("" for the default page, the Overview)."""
    tree = ast.parse((ROOT / "dashboard.py").read_text())
    listed = next(
        node.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Assign) and any(getattr(t, "id", None) == "PAGES" for t in node.targets)
    )
    out = []
    for file, title, _icon, url in ast.literal_eval(listed):
        if (ROOT / file).exists():
            out.append({"file": file, "title": title, "url": url, "path": "" if url == "overview" else url})
    return out
