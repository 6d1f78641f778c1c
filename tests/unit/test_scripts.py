"""The README's test command fails, never skips, when there is no Chromium (issue 8)."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _without_chromium(tmp_path, *args, command=("scripts", "test")) -> subprocess.CompletedProcess:
    """scripts/test (or .ci/run) with PILLARS_CHROMIUM pointing nowhere and apt-get/sudo
    that fail."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    for name in ("apt-get", "sudo"):
        stub = bin_dir / name
        stub.write_text('#!/bin/sh\necho "$0 is stubbed in this test" >&2\nexit 1\n')
        stub.chmod(0o755)
    env = {
        **os.environ,
        "PATH": f"{bin_dir}:{os.environ['PATH']}",
        "PILLARS_CHROMIUM": str(tmp_path / "none"),
    }
    env.pop("CI", None)  # outside CI as well
    return subprocess.run(
        [str(ROOT.joinpath(*command)), *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )


def test_the_whole_suite_fails_without_chromium(tmp_path):
    result = _without_chromium(tmp_path, "-q")
    assert result.returncode == 1
    assert "error: no Chromium at" in result.stderr
    assert "passed" not in result.stdout  # stopped before running anything


def test_ci_fails_without_chromium(tmp_path):
    result = _without_chromium(tmp_path, command=(".ci", "run"))
    assert result.returncode == 1 and "the browser tests cannot run" in result.stderr


def test_the_browser_fixture_fails_rather_than_skips():
    text = (ROOT / "tests" / "browser" / "conftest.py").read_text()
    assert "pytest.fail(" in text and "pytest.skip(" not in text
