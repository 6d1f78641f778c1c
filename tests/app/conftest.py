"""AppTest helpers: run dashboard.py on a given database and switch to a page."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parents[2]


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
        at.run()
        if page != "pages/overview.py":
            at.switch_page(page)
            at.run()
        return at

    return run


def assert_no_exception(at: AppTest) -> None:
    assert not at.exception, [e.message for e in at.exception]
