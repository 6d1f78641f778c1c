"""AppTest helpers: run dashboard.py on a given database and switch to a page."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from tests.browser import navigation

ROOT = Path(__file__).resolve().parents[2]
# each page's heading: its title in dashboard.PAGES, but the Overview's
TITLES = {info["file"]: info["title"] for info in navigation.pages()} | {
    "pages/overview.py": "Engineering at a glance"
}


@pytest.fixture(autouse=True)
def navigation_mode(monkeypatch):
    """Behave as a running server does after its first page view.

    A server switches Streamlit's process-wide "pages/ folder" flag off once
    (`lib.ui.use_navigation`); AppTest resets it before every run, which would make each
    run rerun once and drop one-shot widget events such as a button click.
    """
    from streamlit.runtime.pages_manager import PagesManager

    original = PagesManager.__init__

    def init(self, *args, **kwargs):
        original(self, *args, **kwargs)
        PagesManager.uses_pages_directory = False

    monkeypatch.setattr(PagesManager, "__init__", init)


@pytest.fixture
def run_page(monkeypatch):
    """run_page(db_path, "pages/delivery.py", query={"team": "payments"}) -> AppTest after running."""

    def run(db_path: Path, page: str = "pages/overview.py", query: dict | None = None, timeout: float = 60):
        monkeypatch.setenv("PILLARS_DB", str(db_path))
        monkeypatch.chdir(ROOT)
        at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=timeout)
        for key, value in (query or {}).items():
            at.query_params[key] = value
        if page != "pages/overview.py":
            # straight to the page, as a link opened in a new tab: the page's own file name is
            # its url_path in dashboard.PAGES, which is what AppTest hashes before a first run
            at.switch_page(page)
        at.run()
        # the page asked for, not the default one (a wrong hash would open the Overview)
        assert not at.title or at.title[0].value == TITLES[page], (page, at.title[0].value)
        return at

    return run


def assert_no_exception(at: AppTest) -> None:
    assert not at.exception, [e.message for e in at.exception]
