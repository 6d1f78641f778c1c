"""Static chart images: Plotly's own export (kaleido 1.x) driving Debian's Chromium.

Why this shape:
- Nothing is downloaded at run time. Kaleido is pointed at the installed browser
  (`chromium_path`: $PILLARS_CHROMIUM, else $BROWSER_PATH, else `chromium` on PATH, else
  /usr/bin/chromium); `scripts/start` and `scripts/test` install Debian's `chromium` when
  it is missing. Plotly.js comes from the plotly package (kaleido's default page).
- MathJax off: kaleido's page would otherwise load MathJax from a CDN (no charts here
  use LaTeX). `calc_fig_sync(..., kopts={"mathjax": False})` is ignored while a sync server
  runs (kaleido 1.5.0 `_sync_server.GlobalKaleidoServer.call_function` drops `kopts` with
  a warning), so `mathjax=False` goes to `kaleido.start_sync_server`, which passes its
  keyword arguments to `Kaleido(...)` (`kaleido/__init__.py`), which hands them to
  `PageGenerator(mathjax=False)` when it writes the page (`kaleido/kaleido.py: open`).
- One browser per batch: `Renderer` starts kaleido's sync server once, renders every
  chart of a deck (about 0.3 s each on 2 cores, after a 2.4 s browser start), then stops
  it. The sync server is a process-wide singleton, so a lock serialises batches: two
  sessions building decks at once take turns instead of stopping each other's browser.

No streamlit here.
"""

from __future__ import annotations

import os
import shutil
import threading
from pathlib import Path

import plotly.graph_objects as go

_LOCK = threading.Lock()  # one kaleido sync server per process: one batch at a time


class ChromiumMissing(RuntimeError):
    """No Chromium to render images with; the message says how to install or point to one."""


def chromium_path() -> str:
    """The Chromium kaleido drives; raises ChromiumMissing when none is installed."""
    for candidate in (
        os.environ.get("PILLARS_CHROMIUM"),
        os.environ.get("BROWSER_PATH"),
        shutil.which("chromium"),
        "/usr/bin/chromium",
    ):
        if candidate and Path(candidate).exists():
            return candidate
    raise ChromiumMissing(
        "no Chromium to draw chart images with: install Debian's chromium (`apt-get install -y chromium`, "
        "which scripts/start does) or set PILLARS_CHROMIUM to a Chromium or Chrome executable."
    )


class Renderer:
    """PNG images of plotly figures from one browser: `with Renderer() as r: r.png(fig, w, h)`.

    Sizes are in CSS pixels; `scale` multiplies them (a 960 × 385 figure at scale 2.5 is a
    2400 × 963 px image). Raises ChromiumMissing on entry without a browser.
    """

    def __init__(self) -> None:
        self._held = False

    def __enter__(self) -> Renderer:
        import kaleido

        path = chromium_path()
        _LOCK.acquire()
        try:
            kaleido.start_sync_server(mathjax=False, path=path, silence_warnings=True)
        except BaseException:
            _LOCK.release()
            raise
        self._held = True
        return self

    def png(self, fig: go.Figure, width: int, height: int, scale: float = 2.0) -> bytes:
        import kaleido

        if not self._held:
            raise RuntimeError("Renderer.png outside `with Renderer() as r:`")
        opts = {"format": "png", "width": width, "height": height, "scale": scale}
        return kaleido.calc_fig_sync(fig, opts=opts)

    def __exit__(self, *exc) -> None:
        import kaleido

        try:
            kaleido.stop_sync_server(silence_warnings=True)
        finally:
            self._held = False
            _LOCK.release()
