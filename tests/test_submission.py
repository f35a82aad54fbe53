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


# --- point 2: a finding across files reaches every file it involves ----------------------------------------


def test_a_slip_in_a_revised_earlier_year_fails_strict(ws: Workspace) -> None:
    """28.500 typed for 28,500 in the baseline: the PR touches only 2008.csv, and the gate must fail on it."""
    ws.write("MMR/2008.csv", "indicator,value,source\nopium_poppy_area_ha,28.500,UNODC\n")
    ws.write("MMR/2009.csv", "indicator,value,source\nopium_poppy_area_ha,31700,UNODC\n")
    result = ws.invoke("--strict", "reports/MMR/2008.csv")
    assert result.exit_code == 1
    assert result.stdout == (
        "reports/MMR/2008.csv:2: warning[jump] opium_poppy_area_ha changes 1,112.3 times from 28.5 here to "
        "31,700 in 2009 (reports/MMR/2009.csv:2)\n"
        "    column: value\n"
        "    hint: check the unit (kg or t? tablets or millions?); if the figure is right, note why\n"
    )
    later = ws.invoke("reports/MMR/2009.csv")
    assert later.stdout.startswith(
        "reports/MMR/2009.csv:2: warning[jump] opium_poppy_area_ha changes 1,112.3 times from 28.5 in 2008 to 31,700\n"
    )


def test_a_jump_between_two_given_files_is_said_on_both_lines(ws: Workspace) -> None:
    ws.write("MMR/2008.csv", "indicator,value,source\nheroin_seized_kg,1,s\nopium_poppy_area_ha,28.500,s\n")
    ws.write("MMR/2009.csv", "indicator,value,source\nopium_poppy_area_ha,31700,s\nheroin_seized_kg,1,s\n")
    result = ws.invoke("--format", "github", "reports/MMR")
    assert [line.split("::")[1] for line in result.stdout.splitlines()] == [
        "warning file=reports/MMR/2008.csv,line=3,title=aseanwp jump",
        "warning file=reports/MMR/2009.csv,line=2,title=aseanwp jump",
    ]


def test_a_baseline_emptied_by_a_revision_is_said_on_the_baseline_file(ws: Workspace) -> None:
    ws.write("MMR/2008.csv", "indicator,value,source\nheroin_seized_kg,1,s\nopium_poppy_area_ha,,\n")
    ws.write("MMR/2009.csv", "indicator,value,source\nheroin_seized_kg,1,s\nopium_poppy_area_ha,31700,s\n")
    alone = ws.invoke("--format", "json", "--strict", "reports/MMR/2008.csv")
    doc = json.loads(alone.stdout)
    assert alone.exit_code == 1
    assert [(f["file"], f["line"], f["code"], f["message"]) for f in doc["warnings"]] == [
        (
            "reports/MMR/2008.csv",
            None,
            "missing-baseline",
            "MMR reports opium_poppy_area_ha from reports/MMR/2009.csv line 3 on, but this baseline report gives "
            "no value for it",
        )
    ]
    # with the later file given (or the whole folder), it is said once, where the figure is
    for args in (["reports/MMR/2008.csv", "reports/MMR/2009.csv"], []):
        doc = json.loads(ws.invoke("--format", "json", *args).stdout)
        found = [(f["file"], f["line"]) for f in doc["warnings"] if f["code"] == "missing-baseline"]
        assert found == [("reports/MMR/2009.csv", 3)]


def test_reviews_list_a_jump_once(ws: Workspace) -> None:
    """The data notes of a review say each finding once (on the later file)."""
    from aseanwp.plan import load_plan
    from aseanwp.validation import run

    ws.write("MMR/2008.csv", "indicator,value,source\nopium_poppy_area_ha,28.500,s\n")
    ws.write("MMR/2009.csv", "indicator,value,source\nopium_poppy_area_ha,31700,s\n")
    plan = load_plan(str(ws.plan))
    once = run(plan, str(ws.reports), echoes=False).findings
    assert [(Path(f.file).name, f.code) for f in once if f.code == "jump"] == [("2009.csv", "jump")]
