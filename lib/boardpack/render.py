"""Static chart images: Plotly's own export (kaleido 1.x) driving Debian's Chromium.

Why this shape:
- Nothing is downloaded at run time. Kaleido is pointed at the installed browser
  (`chromium_path`: $PILLARS_CHROMIUM, else $BROWSER_PATH, else `chromium` on PATH, else
  /usr/bin/chromium); `scripts/start` and `scripts/test` install Debian's `chromium` when
  it is missing. Plotly.js comes from the plotly package (kaleido's default page).
- MathJax off: kaleido's page would otherwise load MathJax from a CDN (no chart here uses
  LaTeX). `Kaleido(mathjax=False)` hands it to `PageGenerator(mathjax=False)` when it writes
  the page (kaleido 1.5.0 `kaleido.py: open`).
- One browser per batch (a deck, a tab of thumbnails): `Renderer` opens one `kaleido.Kaleido`
  on an event loop of its own, in a background thread, and renders every chart of the
  batch through it (about 0.3 s each on 2 cores, after a 2.4 s browser start, which runs
  while the caller computes its first chart).
- Not kaleido's sync server (`start_sync_server`): it is one per process, so two sessions
  building decks at once would stop each other's browser; it ignores `kopts` (MathJax)
  while running (`_sync_server.GlobalKaleidoServer.call_function`); and when the browser
  fails to start its thread dies while callers wait on its queue forever. Here every wait
  has a timeout and a failure is an error that says what happened.

No streamlit here.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import threading
from concurrent.futures import Future
from concurrent.futures import TimeoutError as FutureTimeout
from pathlib import Path

import plotly.graph_objects as go

DEBIAN_CHROMIUM = "/usr/bin/chromium"
OPEN_TIMEOUT_S = 90  # browser start, generous for a loaded 2-core machine
RENDER_TIMEOUT_S = 120  # one chart
CLOSE_TIMEOUT_S = 30


class ChromiumMissing(RuntimeError):
    """No Chromium to render images with; the message says how to install or point to one."""


def chromium_path() -> str:
    """The Chromium kaleido drives; raises ChromiumMissing when none is installed."""
    for candidate in (
        os.environ.get("PILLARS_CHROMIUM"),
        os.environ.get("BROWSER_PATH"),
        shutil.which("chromium"),
        DEBIAN_CHROMIUM,
    ):
        if candidate and Path(candidate).exists():
            return candidate
    raise ChromiumMissing(
        "no Chromium to draw chart images with: install Debian's chromium (`apt-get install -y chromium`, "
        "which scripts/start does) or set PILLARS_CHROMIUM to a Chromium or Chrome executable."
    )


class RenderError(RuntimeError):
    """Chromium did not start or did not draw a chart in time; the message says which."""


class Renderer:
    """PNG images of plotly figures from one browser: `with Renderer() as r: r.png(fig, w, h)`.

    Sizes are in CSS pixels; `scale` multiplies them (a 960 × 385 figure at scale 2.5 is a
    2400 × 963 px image). Raises ChromiumMissing on entry without a browser, RenderError when
    the browser does not start or draw in time. `png` may be called from any one thread.
    """

    def __enter__(self) -> Renderer:
        import kaleido

        path = chromium_path()
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, name="kaleido", daemon=True)
        self._thread.start()

        async def start() -> kaleido.Kaleido:
            browser = kaleido.Kaleido(mathjax=False, path=path)
            await browser.open()
            return browser

        self._browser: Future = asyncio.run_coroutine_threadsafe(start(), self._loop)
        return self

    def _kaleido(self):
        try:
            return self._browser.result(timeout=OPEN_TIMEOUT_S)
        except FutureTimeout:
            raise RenderError(
                f"Chromium ({chromium_path()}) did not start within {OPEN_TIMEOUT_S} s"
            ) from None
        except RenderError:
            raise
        except Exception as failed:
            reason = failed.args[0] if failed.args else failed  # choreographer adds download advice: not ours
            raise RenderError(f"Chromium ({chromium_path()}) could not start: {reason}") from failed

    def png(self, fig: go.Figure, width: int, height: int, scale: float = 2.0) -> bytes:
        browser = self._kaleido()
        opts = {"format": "png", "width": width, "height": height, "scale": scale}
        drawing = asyncio.run_coroutine_threadsafe(browser.calc_fig(fig, opts=opts), self._loop)
        try:
            return drawing.result(timeout=RENDER_TIMEOUT_S)
        except FutureTimeout:
            drawing.cancel()
            raise RenderError(f"Chromium did not draw a chart within {RENDER_TIMEOUT_S} s") from None

    def __exit__(self, *exc) -> None:
        try:
            browser = self._browser.result(timeout=OPEN_TIMEOUT_S)  # a browser still starting is closed too
            asyncio.run_coroutine_threadsafe(browser.close(), self._loop).result(timeout=CLOSE_TIMEOUT_S)
        except Exception:  # noqa: BLE001, S110 - it never started, or closing failed: the batch's own error matters
            pass
        finally:
            self._loop.call_soon_threadsafe(self._loop.stop)
            self._thread.join(timeout=CLOSE_TIMEOUT_S)
            if not self._thread.is_alive():
                self._loop.close()
