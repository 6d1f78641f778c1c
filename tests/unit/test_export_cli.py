"""`python -m lib export`: one line per slide, and a clear refusal (exit 1) naming what is wrong."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from pptx import Presentation

from lib.cli import main
from tests.unit.fixtures import make_db
from tests.unit.test_boardpack import chromium  # noqa: F401 - skip without Chromium, fail in CI
from tests.unit.test_chart_registry import DEPLOYS, TEAMS

ROOT = Path(__file__).resolve().parents[2]
TWO = "delivery.deployment_frequency_trend,delivery.recovery_time_trend"


@pytest.fixture
def fixture_db(tmp_path) -> str:
    con = make_db(tmp_path, teams=TEAMS, deployments=DEPLOYS)
    path = con.execute(
        "select path from duckdb_databases() where database_name = current_database()"
    ).fetchone()[0]
    con.close()
    return path


def export(db: str, *args: str) -> int:
    return main(["export", "--db", db, *args])


def test_export_prints_one_line_per_slide_and_writes_the_deck(fixture_db, tmp_path, capsys):
    out = tmp_path / "pack.pptx"
    code = export(
        fixture_db, "--start", "2025-01-01", "--end", "2025-03-01", "--charts", TWO, "--out", str(out)
    )
    printed = capsys.readouterr().out.splitlines()
    assert code == 0
    slides = [line for line in printed if line.startswith("slide ")]
    prs = Presentation(str(out))
    assert len(slides) == len(prs.slides) == 4  # title, two charts, definitions
    assert slides[0].startswith("slide  1/4  title") and "Engineering board pack" in slides[0]
    assert "delivery.deployment_frequency_trend" in slides[1] and "Deployment frequency" in slides[1]
    assert "delivery.recovery_time_trend" in slides[2] and "no data: No incident data" in slides[2]
    assert slides[3].startswith("slide  4/4  closing")
    assert printed[-1].startswith(f"wrote {out}")
    assert not (tmp_path / "pack.pptx.part").exists()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--charts", "delivery.deployment_frequency_trend,delivery.lead_time"], "unknown chart id 'delivery.lead_time'"),
        (["--start", "2024-01-01", "--end", "2024-04-01", "--charts", TWO],
         "no data in 01 Jan 2024 – 31 Mar 2024: the data runs from 02 Jan 2025 to 10 Feb 2025"),
        (["--team", "checkout"], "no team 'checkout' in the data (teams: payments, search)"),
        (["--start", "2025-03-01", "--end", "2025-01-01"], "is not after its start"),
    ],
)  # fmt: skip
def test_export_refuses_with_a_clear_message(fixture_db, tmp_path, capsys, args, message):
    out = tmp_path / "pack.pdf"
    assert export(fixture_db, *args, "--out", str(out)) == 1
    error = capsys.readouterr().err
    assert error.startswith("error: ") and message in error
    assert not out.exists()


def test_empty_period_message_names_the_charts(fixture_db, tmp_path, capsys):
    export(
        fixture_db,
        "--start",
        "2024-01-01",
        "--end",
        "2024-04-01",
        "--charts",
        TWO,
        "--out",
        str(tmp_path / "x.pdf"),
    )
    assert f"(charts: {TWO.replace(',', ', ')})" in capsys.readouterr().err


def test_out_must_be_pptx_or_pdf(fixture_db, tmp_path, capsys):
    assert export(fixture_db, "--out", str(tmp_path / "pack.key")) == 1
    assert "--out must name a .pptx or .pdf file" in capsys.readouterr().err


def test_list_names_every_chart_and_the_default_set(fixture_db, capsys):
    assert export(fixture_db, "--list") == 0
    lines = capsys.readouterr().out.splitlines()
    assert any(line.startswith("delivery.lead_time_trend") and "(default)" in line for line in lines)
    assert any(line.startswith("engagement.team_heatmap") and "(default)" not in line for line in lines)


def test_fresh_clone_exports_the_demo_organisation_as_pdf(tmp_path):
    """`python -m lib export --out pack.pdf` with no database yet: the demo, then the deck."""
    env = {**os.environ, "PILLARS_DB": str(tmp_path / "pillars.duckdb"), "PILLARS_SALT": "test-salt"}
    done = subprocess.run(
        [sys.executable, "-m", "lib", "export", "--out", str(tmp_path / "pack.pdf")],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0].startswith("no data yet: created the demo organisation")
    slides = [line for line in lines if line.startswith("slide ")]
    assert len(slides) >= 14 and all("no data:" not in line for line in slides)
    from pypdf import PdfReader

    assert len(PdfReader(str(tmp_path / "pack.pdf")).pages) == len(slides)


def test_a_browser_that_will_not_start_is_a_clear_error(fixture_db, tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("PILLARS_CHROMIUM", "/bin/false")
    out = tmp_path / "pack.pptx"
    code = export(
        fixture_db, "--start", "2025-01-01", "--end", "2025-03-01", "--charts", TWO, "--out", str(out)
    )
    assert code == 1
    error = capsys.readouterr().err
    assert error.startswith("error: Chromium (/bin/false) could not start")
    assert "get_chrome" not in error  # nothing is ever downloaded
    assert not out.exists()


def test_no_chromium_at_all_is_a_clear_error(fixture_db, tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("PILLARS_CHROMIUM", str(tmp_path / "none"))
    monkeypatch.setenv("BROWSER_PATH", str(tmp_path / "none"))
    monkeypatch.setenv("PATH", str(tmp_path))  # no chromium on the PATH
    monkeypatch.setattr("lib.boardpack.render.DEBIAN_CHROMIUM", str(tmp_path / "none"))
    assert export(fixture_db, "--charts", TWO, "--out", str(tmp_path / "pack.pdf")) == 1
    assert "install Debian's chromium" in capsys.readouterr().err


def test_metrics_refuses_a_team_the_data_does_not_name(fixture_db, capsys):
    """`metrics --team` on a misspelt team printed a catalog of zeros (0 deployments, 0/wk)."""
    from lib import cli

    assert cli.main(["metrics", "--db", str(fixture_db), "--team", "doesnotexist"]) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err == "error: no team 'doesnotexist' in the data (teams: payments, search)\n"
    assert cli.main(["metrics", "--db", str(fixture_db), "--team", "payments"]) == 0
