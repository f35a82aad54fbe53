"""Naming what a person cannot see or would not guess: invisible characters, merge conflicts, Git LFS pointers,
workbooks under a .csv name, spreadsheet errors and placeholders as sources, paths from the environment, and
one case rule for flags, units, statuses and member folders."""

from __future__ import annotations

import json
import sys
import unicodedata

import pytest
from conftest import PLAN, Workspace, all_findings, invoke_cli, only

from aseanwp.textsafe import visible

F = "reports/BRN/2008.csv"


def one(ws: Workspace, content: str | bytes, rel: str = "BRN/2008.csv") -> dict[str, object]:
    ws.write(rel, content)
    _, doc = ws.validate_json(f"reports/{rel}")
    assert len(all_findings(doc)) == 1, json.dumps(doc, indent=1)
    return all_findings(doc)[0]


# --- invisible characters --------------------------------------------------------------------------------------


def test_a_zero_width_space_is_shown_and_named(ws: Workspace) -> None:
    f = one(ws, "indicator,value,source,country\nheroin_seized_kg,5,s,BRN\u200b\n")
    assert f["code"] == "country-mismatch"
    assert f["message"] == "country 'BRN<U+200B>' differs from the folder 'BRN'"
    f = one(ws, "indicator,value,source\nheroin_seized_kg,28500\u200b,s\n")
    assert f["message"] == "'28500<U+200B>' is not a number"
    assert str(f["hint"]).endswith("(it holds U+200B ZERO WIDTH SPACE, which cannot be seen: retype the cell)")


@pytest.mark.parametrize(
    ("char", "shown"),
    [("\u00a0", "<U+00A0>"), ("\u00ad", "<U+00AD>"), ("\u2060", "<U+2060>"), ("\ufeff", "<U+FEFF>")],
    ids=["no-break space", "soft hyphen", "word joiner", "BOM inside text"],
)
def test_invisible_characters_in_text_output(ws: Workspace, char: str, shown: str) -> None:
    ws.write("BRN/2008.csv", f"indicator,value,source\nheroin{char}_seized_kg,5,s\n")
    result = ws.invoke(F)
    assert f"'heroin{shown}_seized_kg' is not an indicator of the plan" in result.stdout
    assert char not in result.stdout
    github = ws.invoke("--format", "github", F)
    assert shown in github.stdout and char not in github.stdout


def test_every_invisible_character_of_unicode_is_named() -> None:
    """The list in textsafe against the Unicode database of this Python: every format character (Cf) and every
    space but U+0020 (Zs), and the line and paragraph separators."""
    missed = [
        f"U+{cp:04X}"
        for cp in range(0xA0, sys.maxunicode + 1)
        if unicodedata.category(chr(cp)) in ("Cf", "Zs", "Zl", "Zp") and visible(chr(cp)) == chr(cp)
    ]
    assert missed == []
    assert visible("Vi\u1ec7t Nam \u0e44\u0e17\u0e22") == "Vi\u1ec7t Nam \u0e44\u0e17\u0e22"  # visible letters stay


# --- files that are something else -----------------------------------------------------------------------------


def test_a_merge_conflict_is_called_one(ws: Workspace) -> None:
    content = (
        "indicator,value,source\n"
        "heroin_seized_kg,5,s\n"
        "<<<<<<< HEAD\n"
        "cannabis_area_ha,10,UNODC\n"
        "=======\n"
        "cannabis_area_ha,12,UNODC 2009\n"
        ">>>>>>> origin/main\n"
    )
    ws.write("BRN/2008.csv", content)
    _, doc = ws.validate_json(F)
    found = [(f["line"], f["code"]) for f in all_findings(doc)]
    assert found == [(3, "merge-conflict"), (6, "duplicate-row")]
    f = only(doc, "merge-conflict")
    assert f["message"] == "the file holds an unresolved merge conflict: '<<<<<<< HEAD' is a line git wrote"


def test_a_merge_conflict_in_the_header_and_in_an_actions_file(ws: Workspace) -> None:
    f = one(ws, "<<<<<<< HEAD\nindicator,value,source\n=======\nindicator,value,source,notes\n>>>>>>> x\n")
    assert (f["code"], f["line"]) == ("merge-conflict", 1)
    ws.write(
        "BRN/2011-actions.csv", "action,status\n<<<<<<< ours\nI.1.1,ongoing\n=======\nI.1.1,completed\n>>>>>>> b\n"
    )
    _, doc = ws.validate_json("reports/BRN/2011-actions.csv")
    assert [(f["line"], f["code"]) for f in all_findings(doc)] == [(2, "merge-conflict"), (5, "duplicate-row")]


def test_a_lone_marker_is_still_a_conflict_and_seven_equals_in_a_cell_is_not(ws: Workspace) -> None:
    f = one(ws, "indicator,value,source\nheroin_seized_kg,5,s\n>>>>>>> theirs\n")
    assert (f["code"], f["line"]) == ("merge-conflict", 3)
    f = one(ws, "indicator,value,source,notes\nheroin_seized_kg,5,s,=======\n=======x,1,s,\n")
    assert f["code"] == "unknown-indicator"


def test_a_git_lfs_pointer_is_named(ws: Workspace) -> None:
    pointer = "version https://git-lfs.github.com/spec/v1\noid sha256:" + "a" * 64 + "\nsize 1234\n"
    f = one(ws, pointer)
    assert (f["code"], f["line"], f["severity"]) == ("lfs-pointer", None, "error")
    assert f["message"] == "the file is a Git LFS pointer, not the report: its content is stored in Git LFS"


@pytest.mark.parametrize(
    ("head", "what"),
    [(b"PK\x03\x04\x14\x00\x06\x00", "(.xlsx or .ods: a zip file)"), (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "(.xls)")],
    ids=["xlsx", "xls"],
)
def test_a_workbook_saved_as_csv_is_named(ws: Workspace, head: bytes, what: str) -> None:
    f = one(ws, head + bytes(range(256)) * 4)
    assert f["code"] == "workbook" and f["line"] is None
    assert what in str(f["message"]) and "saved with a .csv name" in str(f["message"])
    assert "CSV UTF-8" in str(f["hint"])


# --- sources that name nothing -------------------------------------------------------------------------------


@pytest.mark.parametrize("source", ["#N/A", "#REF!", "#VALUE!", "#DIV/0!", "#NAME?", "#NULL!", "#NUM!", "#ref!"])
def test_a_spreadsheet_error_is_not_a_source(ws: Workspace, source: str) -> None:
    f = one(ws, f"indicator,value,source\nheroin_seized_kg,5,{source}\n")
    assert (f["code"], f["column"]) == ("missing-source", "source")
    assert (
        f["message"]
        == f"the source '{source}' is a spreadsheet error (a formula that failed), not where the figure comes from"
    )


@pytest.mark.parametrize("source", ["-", "--", "?", "TBD", "x", "X", "n/a", " - "])
def test_a_placeholder_is_not_a_source(ws: Workspace, source: str) -> None:
    f = one(ws, f"indicator,value,source\nheroin_seized_kg,5,{source}\n")
    assert f["code"] == "missing-source"
    assert f["message"] == f"the source '{source.strip()}' is a placeholder, not where the figure comes from"


def test_placeholders_are_fine_where_no_figure_is_given(ws: Workspace) -> None:
    ws.write(
        "BRN/2008.csv",
        "indicator,value,source\nheroin_seized_kg,5,UNODC\ncannabis_area_ha,NA,-\nopium_poppy_area_ha,,#N/A\n",
    )
    exit_code, doc = ws.validate_json("--strict", F)
    assert (exit_code, all_findings(doc)) == (0, [])


def test_a_spreadsheet_error_as_a_value(ws: Workspace) -> None:
    f = one(ws, "indicator,value,source\nheroin_seized_kg,#DIV/0!,s\n")
    assert f["code"] == "bad-number"
    assert f["message"] == "'#DIV/0!' is a spreadsheet error (a formula that failed), not a number"


# --- paths from the environment -------------------------------------------------------------------------------


def test_a_plan_path_from_the_environment_is_named(ws: Workspace) -> None:
    result = invoke_cli("validate", env={"ASEANWP_PLAN": "/nowhere/plan.yaml"})
    assert result.exit_code == 1
    assert result.stdout == (
        "/nowhere/plan.yaml: error[unreadable] the plan file does not exist\n"
        "    hint: the path comes from ASEANWP_PLAN: correct the variable or unset it\n"
    )
    result = invoke_cli("report", env={"ASEANWP_PLAN": "/nowhere/plan.yaml"})
    assert result.stderr.endswith(
        "aseanwp: the plan /nowhere/plan.yaml (from the environment variable ASEANWP_PLAN) is not valid "
        "(see `aseanwp validate`)\n"
    )
    # the same path on the command line says nothing of the environment
    assert "ASEANWP_PLAN" not in invoke_cli("--plan", "/nowhere/plan.yaml", "validate").output


def test_a_reports_path_from_the_environment_is_named(ws: Workspace) -> None:
    result = invoke_cli("--plan", str(PLAN), "validate", env={"ASEANWP_REPORTS": "/nowhere"})
    assert result.exit_code == 1
    assert result.stderr == (
        "aseanwp: the reports folder /nowhere does not exist or is not a folder (from the environment variable "
        "ASEANWP_REPORTS)\n"
    )
    result = invoke_cli("status", env={"ASEANWP_PLAN": str(ws.root / "elsewhere" / "workplan.yaml")})
    assert "ASEANWP_PLAN" in result.output


def test_the_reports_folder_beside_a_plan_from_the_environment(ws: Workspace) -> None:
    (ws.root / "p").mkdir()
    (ws.root / "p" / "workplan.yaml").write_bytes(PLAN.read_bytes())
    result = invoke_cli("validate", env={"ASEANWP_PLAN": "p/workplan.yaml"})
    assert result.stderr == (
        "aseanwp: the reports folder p/reports does not exist or is not a folder (beside the plan named by the "
        "environment variable ASEANWP_PLAN)\n"
    )


# --- one case rule -------------------------------------------------------------------------------------------


def test_flags_units_and_statuses_in_any_case(ws: Workspace) -> None:
    ws.write(
        "BRN/2008.csv",
        "indicator,value,unit,source,flag\n"
        "heroin_seized_kg,5,KG,s,Estimate\n"
        "cannabis_area_ha,,Ha,,Not applicable\n"
        "opium_poppy_area_ha,7, ha ,s,PROVISIONAL; Break\n",
    )
    ws.write("BRN/2011-actions.csv", "action,status\nI.1.1,Ongoing\nI.1.2,Not Started\nI.1.3,COMPLETED\n")
    for rel in ("BRN/2008.csv", "BRN/2011-actions.csv"):
        exit_code, doc = ws.validate_json("--strict", f"reports/{rel}")
        assert (exit_code, all_findings(doc)) == (0, []), rel


def test_flags_read_in_any_case_reach_the_report_as_flags(ws: Workspace) -> None:
    from aseanwp.dataset import Dataset
    from aseanwp.plan import load_plan
    from aseanwp.validation import run

    ws.write("BRN/2008.csv", "indicator,value,source,flag\nheroin_seized_kg,5,s,Estimate; BREAK\n")
    data = Dataset()
    run(load_plan(str(ws.plan)), str(ws.reports), (), data)
    assert [p.flags for points in data.series().values() for p in points] == [frozenset({"estimate", "break"})]


def test_an_ambiguous_or_unknown_flag_is_still_refused(ws: Workspace) -> None:
    f = one(ws, "indicator,value,source,flag\nheroin_seized_kg,5,s,Estimated\n")
    assert (f["code"], f["message"]) == ("bad-flag", "unknown flag 'Estimated'")


def test_a_lower_case_member_folder_says_upper_case(ws: Workspace) -> None:
    ws.write("BRN/2008.csv", "indicator,value,source\nheroin_seized_kg,5,s\n")
    ws.write("mmr/2015.csv", "indicator,value,source\nheroin_seized_kg,5,s\n")
    ws.write("MMR/2015.CSV", "indicator,value,source\nheroin_seized_kg,5,s\n")
    _, doc = ws.validate_json()
    paths = [(f["file"], f["message"], f["hint"]) for f in doc["errors"] if f["code"] == "bad-path"]
    assert paths == [
        ("reports/MMR/2015.CSV", "the file name '2015.CSV' is not in lower case", "rename the file to 2015.csv"),
        (
            "reports/mmr/2015.csv",
            "the member folder 'mmr' is not in upper case",
            "rename the folder to MMR (member codes are upper case)",
        ),
    ]
    _, doc = ws.validate_json("reports/mmr/2015.csv")
    assert only(doc, "bad-path")["hint"] == "rename the folder to MMR (member codes are upper case)"
