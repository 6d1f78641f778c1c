"""A real `streamlit run` server on a loopback port, driven by Debian's Chromium.

The browser is never downloaded: Playwright launches /usr/bin/chromium (or
$PILLARS_CHROMIUM). Without it every browser test fails, on a laptop as in CI: a suite
that passes without having opened a page would say nothing about the pages.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "tests" / "browser" / "screenshots"
# Screenshots are for a person to look at, so they are taken only when asked for
# (`PILLARS_SCREENSHOTS=1 scripts/test tests/browser`): the tests assert on the page, not on
# the pictures, and some 90 full-page screenshots cost the suite about 1 min of CPU.
TAKE_SCREENSHOTS = os.environ.get("PILLARS_SCREENSHOTS", "") not in ("", "0")
CHROMIUM = os.environ.get("PILLARS_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_healthy(url: str, proc: subprocess.Popen, timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"streamlit exited with {proc.returncode}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                if response.read().decode().strip() == "ok":
                    return
        except OSError:
            pass
        time.sleep(0.3)
    raise TimeoutError(f"streamlit did not answer at {url} within {timeout}s")


@pytest.fixture(scope="session")
def chromium_path() -> str:
    if not Path(CHROMIUM).exists():
        pytest.fail(
            f"no Chromium at {CHROMIUM}: install Debian's (apt-get install -y chromium, or run scripts/test, "
            "which does) or point PILLARS_CHROMIUM at one. The browser tests never skip."
        )
    return CHROMIUM


@contextlib.contextmanager
def serve(
    db_file: Path,
    workdir: Path,
    env: dict | None = None,
    args: tuple[str, ...] = (),
    port: int | None = None,
    address: str | None = "127.0.0.1",
    host: str = "127.0.0.1",
):
    """`streamlit run dashboard.py` on `db_file` (at `port`, else a free one, bound to
    `address`, or Streamlit's choice when None); yields (url as `http://host:port`, process)."""
    port = port or _free_port()
    url = f"http://{host}:{port}"
    full_env = {**os.environ, "PILLARS_DB": str(db_file), **(env or {})}
    log = open(workdir / "streamlit.log", "w")  # noqa: SIM115 - closed below
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "streamlit",
            "run",
            str(ROOT / "dashboard.py"),
            "--server.port",
            str(port),
            *(("--server.address", address) if address is not None else ()),
            "--server.headless",
            "true",
            "--browser.gatherUsageStats",
            "false",
            *args,
        ],
        cwd=ROOT,
        env=full_env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        _wait_healthy(url, proc)
        yield url, proc
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()


def demo_server(demo_db, tmp_path_factory):
    """A streamlit server on its own copy of the demo database; yields its base URL.

    Registered below as the fixture `server` at session scope: every test module of a worker
    that only reads the demo shares one start and one set of warm caches. A module that
    uploads, undoes or otherwise changes data registers it again at module scope, for a copy
    and a process of its own (see test_journeys.py)."""
    workdir = tmp_path_factory.mktemp("server")
    db_file = workdir / "pillars.duckdb"
    shutil.copy(demo_db, db_file)
    with serve(db_file, workdir) as (url, _):
        yield url


server = pytest.fixture(demo_server, scope="session", name="server")


class _ReducedMotion:
    """A Playwright Browser whose new contexts and pages prefer reduced motion unless told
    otherwise. With software rendering, Streamlit's animations (skeletons, spinners, fades)
    took a third to a half of Chromium's CPU over the same eight page loads (18.7, 19.1 and
    15.7 CPU s against 12.3 and 11.3), and the suite is CPU-bound on two cores; the time to
    a drawn page did not change (bench/ measures pages without this, as a VP's browser runs).
    Chromium's own --force-prefers-reduced-motion switch is overridden by Playwright."""

    def __init__(self, browser):
        self._browser = browser

    def new_context(self, **options):
        return self._browser.new_context(**{"reduced_motion": "reduce", **options})

    def new_page(self, **options):
        return self._browser.new_page(**{"reduced_motion": "reduce", **options})

    def __getattr__(self, name):
        return getattr(self._browser, name)


@pytest.fixture(scope="module")
def browser(chromium_path):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        instance = pw.chromium.launch(executable_path=chromium_path, args=CHROMIUM_ARGS, headless=True)
        yield _ReducedMotion(instance)
        instance.close()


@pytest.fixture(scope="module")
def viewport() -> dict:
    """The tabs' size (a laptop's): a module may override it. A taller tab costs Chromium's
    software raster more on every paint."""
    return {"width": 1440, "height": 1000}


@pytest.fixture(scope="module")
def _module_context(browser, viewport):
    """One browser context per test module: its HTTP cache keeps Streamlit's and Plotly's
    bundles parsed between tests, as a VP's browser does. Each test still gets its own tab,
    hence its own Streamlit session (sessions are per connection, not per cookie jar)."""
    context = browser.new_context(viewport=viewport)
    yield context
    context.close()


@pytest.fixture
def page(_module_context):
    tab = _module_context.new_page()
    yield tab
    tab.close()


def screenshot(tab, name: str) -> Path | None:
    """A full-page screenshot at tests/browser/screenshots/<name>.png, when asked for
    (TAKE_SCREENSHOTS); None otherwise."""
    if not TAKE_SCREENSHOTS:
        return None
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    tab.screenshot(path=str(path), full_page=True)
    return path


APP_IDLE = """() => !!document.querySelector('[data-testid="stApp"][data-test-script-state="notRunning"]')
    && !document.querySelector('[data-testid="stStatusWidget"]')"""


def wait_for_app(tab) -> None:
    """Wait until the script finished running and at least the page title is drawn."""
    from playwright.sync_api import expect

    expect(tab.get_by_test_id("stApp")).to_be_visible(timeout=30_000)
    # One condition polled every 50 ms in the page: Playwright's own assertions back off to a
    # poll every 500 ms, which the suite's hundreds of page loads and clicks paid each time.
    tab.wait_for_function(APP_IDLE, polling=50, timeout=60_000)
    # then as before (a rerun may start just after, e.g. once an upload is taken): at once when idle
    expect(tab.locator('[data-testid="stApp"][data-test-script-state="notRunning"]')).to_have_count(
        1, timeout=60_000
    )
    expect(tab.get_by_test_id("stStatusWidget")).to_have_count(0, timeout=60_000)


def press_import(tab, files: int | str, timeout: int = 60_000) -> None:
    """Press the Data page's Import button and wait for its summary: '1 file loaded…',
    '5 files loaded…' (`files` may be an expression the summary's count matches, as text)."""
    import re

    from playwright.sync_api import expect

    tab.get_by_role("button", name=re.compile("^.*Import$")).click()
    wait_for_app(tab)
    expect(tab.get_by_text(re.compile(rf"^{files} files? loaded"))).to_be_visible(timeout=timeout)
