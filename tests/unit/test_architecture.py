"""The layering rules of STYLE.md, checked rather than remembered."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _imports(file: Path) -> set[str]:
    tree = ast.parse(file.read_text(), filename=str(file))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module.split(".")[0])
    return names


def test_lib_outside_ui_never_imports_streamlit():
    offenders = [
        str(f.relative_to(ROOT))
        for f in (ROOT / "lib").rglob("*.py")
        if "ui" not in f.relative_to(ROOT / "lib").parts[:1] and "streamlit" in _imports(f)
    ]
    assert offenders == []


def test_pages_never_touch_duckdb_directly():
    offenders = [str(f.relative_to(ROOT)) for f in (ROOT / "pages").glob("*.py") if "duckdb" in _imports(f)]
    assert offenders == []


def test_no_sql_built_with_fstrings():
    """`execute(f"...")` would splice values into SQL; queries take bound parameters."""
    offenders = []
    for file in [*(ROOT / "lib").rglob("*.py"), *(ROOT / "pages").glob("*.py")]:
        for node in ast.walk(ast.parse(file.read_text())):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr in ("execute", "sql", "query")
                and node.args
                and isinstance(node.args[0], ast.JoinedStr)
            ):
                offenders.append(f"{file.relative_to(ROOT)}:{node.lineno}")
    assert offenders == []


def test_dashboard_stays_small():
    assert len((ROOT / "dashboard.py").read_text().splitlines()) <= 80


def test_tables_and_downloads_leave_the_app_only_through_the_safe_helpers():
    """`st.dataframe`'s toolbar and download buttons export cells as given: only
    lib/ui/layout.py (table, csv_download, file_download) may call them (SPEC §6)."""
    offenders = []
    files = [ROOT / "dashboard.py", *(ROOT / "pages").glob("*.py"), *(ROOT / "lib" / "ui").rglob("*.py")]
    for file in files:
        if file == ROOT / "lib" / "ui" / "layout.py":
            continue
        for node in ast.walk(ast.parse(file.read_text())):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr in ("dataframe", "data_editor", "download_button")
            ):
                offenders.append(f"{file.relative_to(ROOT)}:{node.lineno} {node.func.attr}")
    assert offenders == []


def test_pages_reach_the_data_only_through_lib_ui_data():
    """lib/ui/data.py hands out connections restricted to the signed-in person's org units
    (lib/access.py); any other way to the database in the app would skip that rule."""
    opening = {("duckdb", "connect"), ("db", "connect"), ("access", "open_restricted")}
    opening |= {("store", name) for name in ("reading", "current", "open_snapshot", "writing")}
    offenders = []
    files = [ROOT / "dashboard.py", *(ROOT / "pages").glob("*.py"), *(ROOT / "lib" / "ui").rglob("*.py")]
    for file in files:
        if file == ROOT / "lib" / "ui" / "data.py":
            continue
        for node in ast.walk(ast.parse(file.read_text())):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and isinstance(node.func.value, ast.Name)
                and (node.func.value.id, node.func.attr) in opening
            ):
                offenders.append(
                    f"{file.relative_to(ROOT)}:{node.lineno} {node.func.value.id}.{node.func.attr}"
                )
    assert offenders == []


def test_opening_a_page_does_not_import_scipy_stats():
    """Importing scipy.stats takes about 0.9 s: a freshly started server paid it on the first
    visit of every chart page, through the chart registry. Only the views that use it import it."""
    import subprocess
    import sys

    probe = (
        "import sys, lib.charts.registry as r, lib.ui.board_pack_page, lib.ui.overview_page; "
        "r.get('overview.headlines'); print('scipy.stats' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
