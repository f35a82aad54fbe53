"""The submitter's path: what `validate` says on a pull request's files (strictness, revised years, deletions,
paths given from inside a member's folder, the job summary)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import Workspace, all_findings, invoke_cli

BASE = "indicator,value,source\nheroin_seized_kg,10,s\n"
JUMPED = "indicator,value,source\nheroin_seized_kg,10000,s\n"


# --- point 9: --strict says what it does ---------------------------------------------------------------------


def test_strict_with_warnings_says_invalid(ws: Workspace) -> None:
    ws.write("BRN/2008.csv", BASE)
    ws.write("BRN/2009.csv", JUMPED)
    result = ws.invoke("--strict", "reports/BRN/2009.csv")
    assert result.exit_code == 1
    assert result.stderr == (
        "plan and 1 report file checked: 0 errors, 1 warning (invalid: --strict fails on warnings)\n"
    )
    lenient = ws.invoke("reports/BRN/2009.csv")
    assert lenient.exit_code == 0
    assert lenient.stderr == "plan and 1 report file checked: 0 errors, 1 warning (valid)\n"


def test_strict_json_valid_is_false_with_warnings(ws: Workspace) -> None:
    ws.write("BRN/2008.csv", BASE)
    ws.write("BRN/2009.csv", JUMPED)
    strict = ws.invoke("--format", "json", "--strict", "reports/BRN/2009.csv")
    doc = json.loads(strict.stdout)
    assert (strict.exit_code, doc["valid"], doc["strict"], len(doc["warnings"])) == (1, False, True, 1)
    lenient = ws.invoke("--format", "json", "reports/BRN/2009.csv")
    doc = json.loads(lenient.stdout)
    assert (lenient.exit_code, doc["valid"], doc["strict"]) == (0, True, False)


def test_strict_without_findings_is_valid(ws: Workspace) -> None:
    ws.write("BRN/2008.csv", BASE)
    result = ws.invoke("--strict", "reports/BRN/2008.csv")
    assert (result.exit_code, result.stderr) == (0, "plan and 1 report file checked: 0 errors, 0 warnings (valid)\n")


# --- point 8: run inside a member's folder -------------------------------------------------------------------


def test_a_file_named_from_inside_its_member_folder(ws: Workspace, monkeypatch: pytest.MonkeyPatch) -> None:
    ws.write("BRN/2008.csv", BASE)
    ws.write("BRN/2009.csv", JUMPED)
    monkeypatch.chdir(ws.reports / "BRN")
    result = invoke_cli("--plan", "../../workplan.yaml", "validate", "--format", "json", "2009.csv")
    doc = json.loads(result.stdout)
    assert [(f["file"], f["line"], f["code"]) for f in all_findings(doc)] == [("2009.csv", 2, "jump")]
    assert doc["files"] == 1
    assert result.exit_code == 0
    for args in (["2008.csv"], ["./2008.csv"], ["."], ["../BRN/2008.csv"]):
        result = invoke_cli("--plan", "../../workplan.yaml", "validate", "--strict", *args)
        assert "bad-path" not in result.stdout, args

