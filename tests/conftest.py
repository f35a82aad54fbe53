"""Shared fixtures: the shipped plan, tiny report folders in tmp_path, and a CLI runner for `validate`."""

from __future__ import annotations

import csv
import json
import os
import shutil
import tempfile
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from aseanwp.cli import cli
from aseanwp.plan import Plan, load_plan

# The tests never read or write the user's cache: each run starts from an empty one of its own.
os.environ["ASEANWP_CACHE_DIR"] = tempfile.mkdtemp(prefix="aseanwp-test-cache-")
os.environ.pop("ASEANWP_NO_CACHE", None)

ROOT = Path(__file__).resolve().parent.parent
PLAN = ROOT / "data" / "workplan.yaml"
SHIPPED_REPORTS = ROOT / "data" / "reports"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
SEED = FIXTURES / "asean-work-plan-2009-2015.txt"

#: A header with every optional column of an indicator file, in the template's order.
HEADER = "indicator,population,modality,chemical,value,lower,upper,unit,source,flag,notes"


@pytest.fixture()
def cache_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A cache folder of the test's own, with the cache turned on (whatever --no-cache did before)."""
    from aseanwp import cache

    where = tmp_path / "cache"
    monkeypatch.setenv("ASEANWP_CACHE_DIR", str(where))
    monkeypatch.delenv("ASEANWP_NO_CACHE", raising=False)
    monkeypatch.setattr(cache, "_disabled", False)
    return where


@pytest.fixture(scope="session")
def plan() -> Plan:
    return load_plan(PLAN)


@dataclass
class Workspace:
    """A temporary current folder holding ``workplan.yaml`` and a ``reports`` folder."""

    root: Path

    @property
    def reports(self) -> Path:
        return self.root / "reports"

    @property
    def plan(self) -> Path:
        return self.root / "workplan.yaml"

    def write(self, rel: str, content: str | bytes) -> Path:
        """Write ``reports/<rel>``; text is written byte for byte (no newline translation)."""
        path = self.reports / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        data = content.encode("utf-8") if isinstance(content, str) else content
        path.write_bytes(data)
        return path

    def invoke(self, *args: str, env: dict[str, str] | None = None) -> Result:
        """Run ``aseanwp --plan workplan.yaml --reports reports validate ARGS`` in this folder."""
        return invoke_cli("--plan", str(self.plan), "--reports", str(self.reports), "validate", *args, env=env)

    def validate_json(self, *args: str) -> tuple[int, dict[str, Any]]:
        result = self.invoke("--format", "json", *args)
        assert "Traceback" not in result.output, result.output
        return result.exit_code, json.loads(result.stdout)


def invoke_cli(*args: str, env: dict[str, str] | None = None) -> Result:
    runner = CliRunner(env={"NO_COLOR": "1", "ASEANWP_PLAN": None, "ASEANWP_REPORTS": None, **(env or {})})
    return runner.invoke(cli, list(args), catch_exceptions=False)


@pytest.fixture
def ws(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Workspace:
    """An empty workspace (a copy of the shipped plan, an empty reports folder), made the current folder."""
    shutil.copyfile(PLAN, tmp_path / "workplan.yaml")
    (tmp_path / "reports").mkdir()
    monkeypatch.chdir(tmp_path)
    return Workspace(tmp_path)


def all_findings(doc: dict[str, Any]) -> list[dict[str, Any]]:
    return [*doc["errors"], *doc["warnings"]]


def only(doc: dict[str, Any], code: str | None = None) -> dict[str, Any]:
    """The one finding in a JSON document (of ``code`` when given); fails when there are none or several."""
    found = [f for f in all_findings(doc) if code is None or f["code"] == code]
    assert len(found) == 1, json.dumps(doc, indent=1)
    return found[0]


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder`` with its bytes, to prove that nothing was changed."""
    out = {}
    for dirpath, _dirs, files in os.walk(folder):
        for name in files:
            p = Path(dirpath) / name
            out[str(p.relative_to(folder))] = p.read_bytes()
    return out


@cache
def csv_records(path: Path) -> dict[int, dict[str, str]]:
    """A report file read independently of aseanwp: each record by the physical line it starts on, as
    lower-cased header -> trimmed cell (for checking that a cited file:line holds the figure)."""
    text = path.read_bytes().decode("utf-8-sig")
    lines = text.splitlines(keepends=True)
    reader = csv.reader(iter(lines), delimiter=max((",", ";", "\t"), key=lines[0].count))
    header = [h.strip().lower() for h in next(reader)]
    out: dict[int, dict[str, str]] = {}
    start = reader.line_num + 1
    for cells in reader:
        out[start] = dict(zip(header, (c.strip() for c in cells), strict=False))
        start = reader.line_num + 1
    return out
