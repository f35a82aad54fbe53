"""The benchmark scripts run from a fresh clone: a smoke test on tiny data, one run each (no timing is asserted)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT

BENCH = ROOT / "bench"


def bench(script: str, *args: str, out: Path) -> str:
    env = {**os.environ, "ASEANWP_BENCH_OUT": str(out), "ASEANWP_BENCH_RUNS": "1"}
    proc = subprocess.run(
        [sys.executable, str(BENCH / script), *args], cwd=ROOT, env=env, capture_output=True, text=True, check=False
    )
    assert proc.returncode == 0, proc.stderr
    assert "Traceback" not in proc.stderr
    return proc.stdout


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("bench")


@pytest.fixture(scope="module")
def generated(out: Path) -> dict[str, str]:
    """The two scripts that generate data, on tiny sizes; floor.py reads what they leave."""
    return {
        "validate_1m": bench("validate_1m.py", "200", out=out),
        "report_1000": bench("report_1000.py", "2", out=out),
    }


def test_startup(out: Path) -> None:
    text = bench("startup.py", "1", out=out)
    assert "aseanwp --help" in text and "x wall" in text and "target <= 3x" in text


def test_validate_1m_on_200_rows(out: Path, generated: dict[str, str]) -> None:
    assert "file: 200 rows" in generated["validate_1m"] and "target <= 2.5x" in generated["validate_1m"]
    assert (out / "validate_1m" / "reports" / "XX" / "2009.csv").read_text().count("\n") == 201


def test_report_1000_on_two_units(generated: dict[str, str]) -> None:
    text = generated["report_1000"]
    assert "2 units x 8 years: 16 files" in text
    for view in ("report --format json", "report --format markdown", "review final", "status"):
        assert f"aseanwp {view}" in text


def test_floor(out: Path, generated: dict[str, str]) -> None:
    text = bench("floor.py", out=out)
    assert "report floor" in text and "validate floor" in text
