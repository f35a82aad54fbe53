"""`aseanwp validate` end to end: each finding code on a tiny file, spreadsheet flavours, formats, exits."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from conftest import HEADER, ROOT, SHIPPED_REPORTS, Workspace, all_findings, invoke_cli, only, snapshot

from aseanwp.findings import Finding, finding, ordered, render_github, render_text

F = "reports/BRN/2008.csv"  # the baseline year's file: no cross-file warnings about it


def check_one(ws: Workspace, content: str | bytes, code: str, rel: str = "BRN/2008.csv") -> dict[str, Any]:
    """Validate one file given by path; it must have exactly one finding, of ``code``."""
    ws.write(rel, content)
    exit_code, doc = ws.validate_json(f"reports/{rel}")
    finding = only(doc, code)
    assert len(all_findings(doc)) == 1, doc
    assert exit_code == (1 if finding["severity"] == "error" else 0)
    assert doc["valid"] is (finding["severity"] != "error")
    assert doc["files"] == (0 if code == "bad-path" else 1)
    assert finding["file"] == f"reports/{rel}"
    assert finding["message"] and isinstance(finding["hint"], str)
    return finding


def where(f: dict[str, Any]) -> tuple[Any, Any, str]:
    return f["line"], f["column"], f["severity"]


# --- cells --------------------------------------------------------------------------------------------------

CELL_CASES = [
    # (code, file content, expected line, expected column)
    ("unknown-indicator", "indicator,value,source\nopium_poppy_area,5,s\n", 2, "indicator"),
    ("bad-number", "indicator,value,source\nheroin_seized_kg,12,s\ncannabis_area_ha,1e3,s\n", 3, "value"),
    ("bad-number", "indicator,value,source\ncannabis_area_ha,nan,s\n", 2, "value"),
    ("bad-number", "indicator,value,source\ncannabis_area_ha,inf,s\n", 2, "value"),
    ("bad-number", "indicator,value,source\ncannabis_area_ha,1_000,s\n", 2, "value"),
    ("bad-number", "indicator,value,source\ncannabis_area_ha,\u0663,s\n", 2, "value"),
    ("bad-number", "indicator,value,source\ncannabis_area_ha,5%,s\n", 2, "value"),
    ("bad-number", "indicator,value,source\npen_implemented,1,s\n", 2, "value"),
    ("bad-number", "indicator,value,source\ncannabis_area_ha,1" + "0" * 400 + ",s\n", 2, "value"),
    ("ambiguous-number", 'indicator,value,source\ncannabis_area_ha,"28,500",s\n', 2, "value"),
    ("negative-value", "indicator,value,source\ncannabis_area_ha,-5,s\n", 2, "value"),
    ("not-whole", "indicator,value,source\nmeth_tablets_seized,1.5,s\n", 2, "value"),
    ("percent-out-of-range", "indicator,value,source\ndrug_use_prevalence_pct,150,s\n", 2, "value"),
    ("bad-range", "indicator,value,lower,upper,source\nopium_production_t,7,10,5,s\n", 2, "lower"),
    ("bad-range", "indicator,value,lower,upper,source\nopium_production_t,70,10,50,s\n", 2, "lower"),
    ("bad-range", "indicator,value,lower,upper,source\nopium_production_t,,10,,s\n", 2, "lower"),
    ("bad-number", "indicator,value,lower,upper,source\nopium_production_t,,ten,50,s\n", 2, "lower"),
    ("unit-mismatch", "indicator,value,unit,source\ncannabis_area_ha,5,kg,s\n", 2, "unit"),
    ("unknown-dimension", "indicator,population,value,source\ncannabis_area_ha,youth,5,s\n", 2, "population"),
    (
        "unknown-dimension-value",
        "indicator,population,value,source\ndrug_use_prevalence_pct,adults,5,s\n",
        2,
        "population",
    ),
    ("missing-source", "indicator,value,source\ncannabis_area_ha,5,\n", 2, "source"),
    ("missing-source", "indicator,value,source\ncannabis_area_ha,5,   \n", 2, "source"),
    ("bad-flag", "indicator,value,source,flag\ncannabis_area_ha,5,s,estimated\n", 2, "flag"),
    ("bad-flag", "indicator,value,source,flag\ncannabis_area_ha,5,s,not_applicable\n", 2, "flag"),
    ("country-mismatch", "indicator,value,source,country\ncannabis_area_ha,5,s,KHM\n", 2, "country"),
    ("year-mismatch", "indicator,value,source,year\ncannabis_area_ha,5,s,2009\n", 2, "year"),
    (
        "duplicate-row",
        "indicator,value,source\ncannabis_area_ha,5,s\nheroin_seized_kg,1,s\ncannabis_area_ha,6,s\n",
        4,
        "indicator",
    ),
]


@pytest.mark.parametrize(("code", "content", "line", "column"), CELL_CASES, ids=[c[0] for c in CELL_CASES])
def test_cell_findings(ws: Workspace, code: str, content: str, line: int, column: str) -> None:
    f = check_one(ws, content, code)
    assert where(f) == (line, column, "error")


def test_unknown_indicator_suggests_the_closest(ws: Workspace) -> None:
    f = check_one(ws, "indicator,value,source\nopium_poppy_area,5,s\n", "unknown-indicator")
    assert "'opium_poppy_area'" in f["message"]
    assert "opium_poppy_area_ha" in f["hint"]


def test_ambiguous_number_hint_shows_the_plain_form(ws: Workspace) -> None:
    f = check_one(ws, 'indicator,value,source\ncannabis_area_ha,"1.234,5",s\n', "ambiguous-number")
    assert "1234.5" in f["hint"]
    f = check_one(ws, 'indicator,value,source\ncannabis_area_ha,"28,500",s\n', "ambiguous-number")
    assert "28500" in f["hint"]


def test_duplicate_row_names_the_first(ws: Workspace) -> None:
    content = "indicator,value,source\ncannabis_area_ha,5,s\nheroin_seized_kg,1,s\ncannabis_area_ha,6,s\n"
    f = check_one(ws, content, "duplicate-row")
    assert "line 2" in f["message"]


def test_duplicate_row_with_dimensions(ws: Workspace) -> None:
    content = (
        "indicator,population,value,source\n"
        "drug_use_prevalence_pct,,1.2,s\n"
        "drug_use_prevalence_pct,youth,2.5,s\n"
        "drug_use_prevalence_pct, youth ,2.6,s\n"
    )
    f = check_one(ws, content, "duplicate-row")
    assert where(f) == (4, "indicator", "error")
    assert "line 3" in f["message"]


def test_duplicate_row_skips_malformed_rows_when_naming_the_first(ws: Workspace) -> None:
    content = "indicator,value,source\ncannabis_area_ha,5\ncannabis_area_ha,5,s\ncannabis_area_ha,6,s\n"
    ws.write("BRN/2008.csv", content)
    _, doc = ws.validate_json(F)
    assert [(f["line"], f["code"]) for f in doc["errors"]] == [(2, "row-length"), (4, "duplicate-row")]
    assert "first on line 3" in doc["errors"][1]["message"]


def test_valid_cells_pass(ws: Workspace) -> None:
    content = (
        "indicator,population,modality,value,lower,upper,unit,source,flag,notes,country,year\n"
        "opium_poppy_area_ha,,,0,,,ha,s,,,BRN,2008\n"
        "opium_production_t,,,,84,176,t,UNODC,estimate,range only,brn,\n"
        "drug_use_prevalence_pct,,,1.5%,,,percent,s,estimate;provisional,,,\n"
        "drug_use_prevalence_pct,youth,,2.5 %,,,,s, estimate ; break ,,,\n"
        "treatment_admissions,,compulsory,12,,,persons,s,,,,\n"
        "pen_implemented,,,Yes,,,yes_no,s,,,,\n"
        "cannabis_area_ha,,,-0,,,,s,,,,\n"
        "heroin_seized_kg,,,NA,,,,,,,,\n"
        "crystal_meth_seized_kg,,,..,,,,,,,,\n"
        "meth_tablets_seized,,,,,,,,not_applicable,,,\n"
        "precursors_seized_kg,,,12.500,,,kg,s,,,,\n"
    )
    ws.write("BRN/2008.csv", content)
    exit_code, doc = ws.validate_json(F)
    assert all_findings(doc) == []
    assert exit_code == 0 and doc["valid"] is True


# --- actions files ------------------------------------------------------------------------------------------

ACTION_CASES = [
    ("unknown-action", "action,status\nI.1.1,ongoing\nI.1.9,ongoing\n", 3, "action"),
    ("unknown-action", "action,status\n,ongoing\n", 2, "action"),
    ("bad-status", "action,status\nI.1.1,done\n", 2, "status"),
    ("duplicate-row", "action,status\nI.1.1,ongoing\nI.1.2,planned\nI.1.1,completed\n", 4, "action"),
    ("year-mismatch", "action,status,year\nI.1.1,ongoing,2012\n", 2, "year"),
    ("missing-column", "action,notes\nI.1.1,s\n", 1, "status"),
    ("unknown-column", "action,status,value\nI.1.1,ongoing,3\n", 1, "value"),
]


@pytest.mark.parametrize(("code", "content", "line", "column"), ACTION_CASES, ids=[c[0] for c in ACTION_CASES])
def test_action_findings(ws: Workspace, code: str, content: str, line: int, column: str) -> None:
    f = check_one(ws, content, code, rel="BRN/2011-actions.csv")
    assert where(f) == (line, column, "error")


def test_valid_actions_pass(ws: Workspace) -> None:
    content = "Action ,STATUS,source,notes\nI.1.1,ongoing,s,\nII.1.8,Not Started,,\nIII.3.6,not_applicable,,n\n"
    ws.write("BRN/2011-actions.csv", content)
    exit_code, doc = ws.validate_json("reports/BRN/2011-actions.csv")
    assert (exit_code, all_findings(doc)) == (0, [])


def test_bad_status_suggests(ws: Workspace) -> None:
    f = check_one(ws, "action,status\nI.1.1,complete\n", "bad-status", rel="BRN/2011-actions.csv")
    assert "completed" in f["hint"]


# --- structure ----------------------------------------------------------------------------------------------

STRUCTURE_CASES = [
    ("missing-column", "indicator,value\ncannabis_area_ha,5\n", 1, "source"),
    ("unknown-column", "indicator,populaton,value,source\ncannabis_area_ha,,5,s\n", 1, "populaton"),
    ("duplicate-column", "indicator,value,source,Value\ncannabis_area_ha,5,s,5\n", 1, "value"),
    ("blank-header", "indicator,value,,source\ncannabis_area_ha,5,,s\n", 1, None),
    ("row-length", "indicator,value,source\ncannabis_area_ha,5,s\nheroin_seized_kg,5,s,extra\n", 3, None),
    ("row-length", "indicator,value,source\ncannabis_area_ha,5\n", 2, None),
]


@pytest.mark.parametrize(("code", "content", "line", "column"), STRUCTURE_CASES, ids=[c[0] for c in STRUCTURE_CASES])
def test_structure_findings(ws: Workspace, code: str, content: str, line: int, column: str | None) -> None:
    f = check_one(ws, content, code)
    assert where(f) == (line, column, "error")


def test_unknown_column_suggests_the_dimension(ws: Workspace) -> None:
    f = check_one(ws, "indicator,populaton,value,source\ncannabis_area_ha,,5,s\n", "unknown-column")
    assert f["hint"] == "did you mean 'population'?"


def test_header_after_blank_lines_is_found(ws: Workspace) -> None:
    f = check_one(ws, "\n\nindicator,value\ncannabis_area_ha,5\n", "missing-column")
    assert f["line"] == 3


# --- files --------------------------------------------------------------------------------------------------


def test_encoding_cp1252(ws: Workspace) -> None:
    content = "indicator,value,source,notes\ncannabis_area_ha,5,s,\nheroin_seized_kg,1,s,caf\u00e9\n".encode("cp1252")
    f = check_one(ws, content, "encoding")
    assert where(f) == (3, None, "error")
    assert "0xe9" in f["message"] and "UTF-8" in f["hint"]


def test_encoding_error_far_down_a_big_file(ws: Workspace) -> None:
    rows = "cannabis_area_ha,1,s,\n" + ",,,\n" * 3000  # all-empty rows are skipped, but counted as lines
    content = b"indicator,value,source,notes\n" + rows.encode() + b"heroin_seized_kg,1,s,\x93quoted\x94\n"
    f = check_one(ws, content, "encoding")
    assert f["line"] == 3003


def test_encoding_error_in_the_header(ws: Workspace) -> None:
    f = check_one(ws, b"indicator,value,source,not\xe9s\n", "encoding")
    assert f["line"] == 1


def test_encoding_utf16(ws: Workspace) -> None:
    content = "indicator,value,source\ncannabis_area_ha,5,s\n".encode("utf-16")
    f = check_one(ws, content, "encoding")
    assert f["line"] == 1 and "UTF-16" in f["message"]


@pytest.mark.parametrize("content", [b"", b"\n\n  \r\n", b"\xef\xbb\xbf"])
def test_empty_file(ws: Workspace, content: bytes) -> None:
    f = check_one(ws, content, "empty-file")
    assert where(f) == (None, None, "error")


def test_unclosed_quote_is_unreadable_at_its_line(ws: Workspace) -> None:
    content = 'indicator,value,source,notes\ncannabis_area_ha,5,s,\nheroin_seized_kg,1,s,"open\nmore\n'
    f = check_one(ws, content, "unreadable")
    assert f["line"] == 3


def test_malformed_quoting_is_unreadable(ws: Workspace) -> None:
    content = 'indicator,value,source\ncannabis_area_ha,"5"x,s\nheroin_seized_kg,1,s\n'
    f = check_one(ws, content, "unreadable")
    assert f["line"] == 2


def test_cell_too_large(ws: Workspace) -> None:
    content = "indicator,value,source,notes\ncannabis_area_ha,5,s,\nheroin_seized_kg,1,s," + "n" * (1024 * 1024 + 10)
    f = check_one(ws, content + "\n", "too-large")
    assert f["line"] == 3


def test_missing_path_is_unreadable(ws: Workspace) -> None:
    exit_code, doc = ws.validate_json("reports/BRN/2009.csv")
    f = only(doc, "unreadable")
    assert (exit_code, f["file"], f["line"]) == (1, "reports/BRN/2009.csv", None)


@pytest.mark.parametrize(
    ("rel", "code"),
    [
        ("XYZ/2009.csv", "unknown-country"),
        ("BRN/2016.csv", "year-out-of-range"),
        ("BRN/2007.csv", "year-out-of-range"),
        ("BRN/2016-actions.csv", "year-out-of-range"),
        ("BRN/notes.txt", "bad-path"),
        ("BRN/2009.CSV", "bad-path"),
        ("BRN/2009-action.csv", "bad-path"),
        ("brn/2009.csv", "bad-path"),
    ],
)
def test_path_findings(ws: Workspace, rel: str, code: str) -> None:
    f = check_one(ws, "indicator,value,source\ncannabis_area_ha,5,s\n", code, rel=rel)
    assert where(f) == (None, None, "error")


def test_unknown_country_suggests(ws: Workspace) -> None:
    f = check_one(ws, "indicator,value,source\n", "unknown-country", rel="BRM/2009.csv")
    assert "BRN" in f["hint"]


def test_bad_paths_in_the_folder(ws: Workspace) -> None:
    ws.write("BRN/2008.csv", "indicator,value,source\ncannabis_area_ha,5,s\n")
    ws.write("2008.csv", "indicator,value,source\n")
    ws.write("BRN/old/2008.csv", "indicator,value,source\n")
    ws.write("BRN/.hidden.csv", "junk")
    ws.write("README.md", "about")
    _, doc = ws.validate_json()
    bad = sorted((f["file"], f["line"]) for f in all_findings(doc) if f["code"] == "bad-path")
    assert bad == [("reports/2008.csv", None), ("reports/BRN/old", None)]


# --- spreadsheet flavours that must pass --------------------------------------------------------------------

GOOD_ROWS = [
    ["opium_poppy_area_ha", "", "12.5", "ha", "UNODC, Southeast Asia Opium Survey; 2008"],
    ["drug_use_prevalence_pct", "youth", "2.5", "", "s"],
    ["heroin_seized_kg", "", "", "", ""],
]


def flavour(delimiter: str = ",", newline: str = "\n", header: str = "indicator,population,value,unit,source") -> str:
    def cell(c: str) -> str:
        return f'"{c}"' if any(ch in c for ch in ',;\t\n"') else c

    names = header.split(",")
    lines = [delimiter.join(names)] + [delimiter.join(cell(c) for c in row) for row in GOOD_ROWS]
    return newline.join(lines) + newline


FLAVOURS = {
    "plain": flavour(),
    "bom": "\ufeff" + flavour(),
    "crlf": flavour(newline="\r\n"),
    "bom-crlf-semicolon": "\ufeff" + flavour(";", "\r\n"),
    "semicolon": flavour(";"),
    "tab": flavour("\t"),
    "header-spaces-capitals": flavour(header=" Indicator ,POPULATION,Value , unit,Source "),
    "blank-lines": "\n\n" + flavour().replace("\n", "\n\n"),
    "all-empty-rows": flavour() + ",,,,\n,,,,\n" + ",,,,\r\n",
    "embedded-newline-and-delimiter": (
        "indicator,value,source,notes\n"
        'cannabis_area_ha,5,"Survey, 2008","line one\nline two, with a comma; and a semicolon"\n'
        'heroin_seized_kg,1,s,"say ""hi"""\n'
    ),
    "semicolon-with-decimal-point": "indicator;value;source\ncannabis_area_ha;5.5;Survey, 2008\n",
    "no-final-newline": flavour().rstrip("\n"),
    "stray-spaces-in-cells": "indicator,value,source\n  cannabis_area_ha , 5 , s \n",
    # Excel's line naming the delimiter, written for a locale whose list separator differs
    "excel-sep-line": "\ufeffsep=;\r\n" + flavour(";", "\r\n"),
    "excel-sep-line-comma": "sep=,\n" + flavour(),
}


@pytest.mark.parametrize("name", list(FLAVOURS))
def test_spreadsheet_flavours_pass(ws: Workspace, name: str) -> None:
    ws.write("BRN/2008.csv", FLAVOURS[name])
    exit_code, doc = ws.validate_json(F)
    assert all_findings(doc) == [], name
    assert exit_code == 0


def test_lines_stay_right_after_multiline_cells_and_blank_lines(ws: Workspace) -> None:
    content = (
        "\ufeffindicator;value;source;notes\r\n"
        "\r\n"
        'cannabis_area_ha;5;s;"a note\r\nover\r\nthree lines"\r\n'
        ";;;\r\n"
        "heroin_seized_kg;-1;s;\r\n"
        '"heroin_seized_kg";"1e3";s;"again\nand again"\r\n'
        "opium_poppy_area_ha;2,5;s;\r\n"
    )
    ws.write("BRN/2008.csv", content)
    _, doc = ws.validate_json(F)
    got = [(f["line"], f["code"]) for f in doc["errors"]]
    assert got == [(7, "negative-value"), (8, "bad-number"), (8, "duplicate-row"), (10, "ambiguous-number")]


def test_lines_stay_right_after_an_excel_sep_line(ws: Workspace) -> None:
    ws.write(
        "BRN/2008.csv", "sep=;\r\n\r\nindicator;value;source\r\ncannabis_area_ha;5;s\r\nheroin_seized_kg;1e3;s\r\n"
    )
    _, doc = ws.validate_json(F)
    assert [(f["line"], f["code"], f["column"]) for f in doc["errors"]] == [(5, "bad-number", "value")]


# --- cross-file warnings ------------------------------------------------------------------------------------


def test_missing_baseline(ws: Workspace) -> None:
    ws.write("BRN/2008.csv", "indicator,value,source\nheroin_seized_kg,1,s\nmeth_tablets_seized,,,\n")
    ws.write("BRN/2009.csv", "indicator,value,source\nheroin_seized_kg,2,s\ncannabis_area_ha,5,s\n")
    exit_code, doc = ws.validate_json("reports/BRN/2009.csv")
    f = only(doc, "missing-baseline")
    assert len(all_findings(doc)) == 1
    assert (f["file"], *where(f)) == ("reports/BRN/2009.csv", 3, "indicator", "warning")
    assert "cannabis_area_ha" in f["message"]
    assert exit_code == 0 and doc["valid"] is True


def test_not_applicable_baseline_is_a_baseline(ws: Workspace) -> None:
    ws.write("BRN/2008.csv", "indicator,value,source,flag\nopium_poppy_area_ha,,,not_applicable\n")
    ws.write("BRN/2009.csv", "indicator,value,source\nopium_poppy_area_ha,0,s\n")
    exit_code, doc = ws.validate_json("reports/BRN/2009.csv")
    assert (exit_code, all_findings(doc)) == (0, [])


def test_missing_report(ws: Workspace) -> None:
    for code in ("BRN", "KHM", "IDN", "LAO", "MYS", "MMR", "PHL", "SGP", "THA", "VNM"):
        ws.write(f"{code}/2008.csv", "indicator,value,source\nheroin_seized_kg,1,s\n")
    ws.write("BRN/2010.csv", "indicator,value,source\nheroin_seized_kg,2,s\n")
    ws.write("KHM/2009.csv", "indicator,value,source\nheroin_seized_kg,2,s\n")
    ws.write("KHM/2010-actions.csv", "action,status\nI.1.1,ongoing\n")
    exit_code, doc = ws.validate_json()
    missing = sorted((f["file"], f["line"], f["severity"]) for f in doc["warnings"] if f["code"] == "missing-report")
    expected = {
        f"reports/{c}/{y}.csv"
        for c in ("BRN", "IDN", "LAO", "MYS", "MMR", "PHL", "SGP", "THA", "VNM")
        for y in (2009, 2010)
    } | {"reports/KHM/2010.csv"}
    expected -= {"reports/BRN/2010.csv"}
    assert missing == sorted((p, None, "warning") for p in expected)
    assert doc["errors"] == [] and exit_code == 0
    # only when the whole folder is checked
    _, doc = ws.validate_json("reports/BRN/2010.csv")
    assert all_findings(doc) == []


def test_jump(ws: Workspace) -> None:
    ws.write("BRN/2008.csv", "indicator,value,source\nheroin_seized_kg,10,s\ncannabis_area_ha,0,s\n")
    ws.write("BRN/2009.csv", "indicator,value,source\nheroin_seized_kg,11,s\ncannabis_area_ha,500,s\n")
    ws.write("BRN/2010.csv", "indicator,value,source\ncannabis_area_ha,5,s\nheroin_seized_kg,1100,s\n")
    exit_code, doc = ws.validate_json("reports/BRN/2009.csv", "reports/BRN/2010.csv")
    jumps = [(f["file"], *where(f)) for f in all_findings(doc) if f["code"] == "jump"]
    # 0 -> 500 is not a jump (from zero); 500 -> 5 is; 11 -> 1100 is; each is said on both files
    assert jumps == [
        ("reports/BRN/2009.csv", 2, "value", "warning"),
        ("reports/BRN/2009.csv", 3, "value", "warning"),
        ("reports/BRN/2010.csv", 2, "value", "warning"),
        ("reports/BRN/2010.csv", 3, "value", "warning"),
    ]
    assert exit_code == 0


def test_jump_message_writes_figures_out(ws: Workspace) -> None:
    """Found trying the tool: 'from 57,600 in 2014 to 5.55e+06' lost the digits the reader needs to check."""
    ws.write("BRN/2008.csv", "indicator,value,source\nmeth_tablets_seized,57600,s\nheroin_seized_kg,0.4,s\n")
    ws.write("BRN/2009.csv", "indicator,value,source\nmeth_tablets_seized,5550000,s\nheroin_seized_kg,12.5,s\n")
    _, doc = ws.validate_json("reports/BRN/2009.csv")
    messages = sorted(f["message"] for f in all_findings(doc) if f["code"] == "jump")
    assert messages == [
        "heroin_seized_kg changes 31.2 times from 0.4 in 2008 to 12.5",
        "meth_tablets_seized changes 96.4 times from 57,600 in 2008 to 5,550,000",
    ]


def test_jump_skips_gaps_but_not_breaks(ws: Workspace) -> None:
    ws.write("BRN/2008.csv", "indicator,value,source,flag\nheroin_seized_kg,10,s,\ncannabis_area_ha,10,s,\n")
    ws.write("BRN/2009.csv", "indicator,value,source,flag\nheroin_seized_kg,,,\ncannabis_area_ha,1000,s,break\n")
    ws.write("BRN/2010.csv", "indicator,value,source,flag\nheroin_seized_kg,1000,s,\ncannabis_area_ha,900,s,\n")
    _, doc = ws.validate_json()
    jumps = [(f["file"], f["line"]) for f in doc["warnings"] if f["code"] == "jump"]
    assert jumps == [("reports/BRN/2008.csv", 2), ("reports/BRN/2010.csv", 2)]


def test_jump_factor_comes_from_the_plan(ws: Workspace) -> None:
    ws.plan.write_text(ws.plan.read_text().replace("jump_factor: 10", "jump_factor: 2"), encoding="utf-8")
    ws.write("BRN/2008.csv", "indicator,value,source\nheroin_seized_kg,10,s\n")
    ws.write("BRN/2009.csv", "indicator,value,source\nheroin_seized_kg,25,s\n")
    _, doc = ws.validate_json("reports/BRN/2009.csv")
    assert [f["code"] for f in all_findings(doc)] == ["jump"]


def test_validate_path_reads_the_folder_but_reports_only_the_file(ws: Workspace) -> None:
    ws.write("BRN/2008.csv", "indicator,value,source\nheroin_seized_kg,10,s\ncannabis_area_ha,-1,s\n")
    ws.write("BRN/2009.csv", "indicator,value,source\nheroin_seized_kg,1000,s\n")
    ws.write("KHM/2009.csv", "indicator,value,source\nbogus,1,s\n")
    exit_code, doc = ws.validate_json("reports/BRN/2009.csv")
    assert doc["files"] == 1
    # the jump needs 2008 from the folder; its error and KHM's are not reported; no missing-baseline either
    assert [(f["file"], f["line"], f["code"]) for f in all_findings(doc)] == [("reports/BRN/2009.csv", 2, "jump")]
    assert exit_code == 0


def test_validate_path_outside_the_folder_stands_in_for_the_folders_file(ws: Workspace) -> None:
    ws.write("BRN/2008.csv", "indicator,value,source\nheroin_seized_kg,10,s\n")
    ws.write("BRN/2009.csv", "indicator,value,source\nheroin_seized_kg,11,s\n")
    submitted = ws.root / "submission" / "BRN" / "2009.csv"
    submitted.parent.mkdir(parents=True)
    submitted.write_text("indicator,value,source\nheroin_seized_kg,1100,s\n", encoding="utf-8")
    exit_code, doc = ws.validate_json("submission/BRN/2009.csv")
    assert [(f["file"], f["line"], f["code"]) for f in all_findings(doc)] == [("submission/BRN/2009.csv", 2, "jump")]
    assert doc["files"] == 1 and exit_code == 0


def test_validate_folder_argument(ws: Workspace) -> None:
    ws.write("BRN/2008.csv", "indicator,value,source\nheroin_seized_kg,-1,s\n")
    ws.write("KHM/2008.csv", "indicator,value,source\nheroin_seized_kg,-2,s\n")
    exit_code, doc = ws.validate_json("reports/KHM")
    assert [(f["file"], f["code"]) for f in all_findings(doc)] == [("reports/KHM/2008.csv", "negative-value")]
    assert doc["files"] == 1 and exit_code == 1


# --- ordering -----------------------------------------------------------------------------------------------


def test_findings_ordered_by_file_line_code(ws: Workspace) -> None:
    ws.write(
        "BRN/2008.csv",
        "indicator,value,unit,source,flag\n"
        "heroin_seized_kg,-1,t,s,bogus\n"  # negative-value, unit-mismatch, bad-flag on one line
        "cannabis_area_ha,1e3,,s,\n",
    )
    ws.write("BRN/2009.csv", "indicator,value,unit,source,flag\nheroin_seized_kg,1,,s,\nopium,1,,s,\n")
    ws.write("ABC/2009.csv", "x\n")
    exit_code, doc = ws.validate_json("reports/BRN", "reports/ABC/2009.csv")
    keys = [(f["file"], f["line"] or 0, f["code"]) for f in doc["errors"]]
    assert keys == sorted(keys)
    assert keys == [
        ("reports/ABC/2009.csv", 0, "unknown-country"),
        ("reports/BRN/2008.csv", 2, "bad-flag"),
        ("reports/BRN/2008.csv", 2, "negative-value"),
        ("reports/BRN/2008.csv", 2, "unit-mismatch"),
        ("reports/BRN/2008.csv", 3, "bad-number"),
        ("reports/BRN/2009.csv", 3, "unknown-indicator"),
    ]
    # the text output interleaves errors and warnings in the same order
    result = ws.invoke("reports/BRN", "reports/ABC/2009.csv")
    heads = [line for line in result.stdout.splitlines() if line and not line.startswith(" ")]
    assert len(heads) == len(all_findings(doc))
    assert exit_code == 1


# --- formats ------------------------------------------------------------------------------------------------


def test_text_output_exactly(ws: Workspace) -> None:
    ws.write("BRN/2008.csv", "indicator,value,source\ncannabis_area_ha,-5,s\nheroin,1,s\n")
    result = ws.invoke(F)
    assert result.exit_code == 1
    assert result.stdout == (
        "reports/BRN/2008.csv:2: error[negative-value] '-5' is negative\n"
        "    column: value\n"
        "    hint: figures are counts or sizes >= 0\n"
        "reports/BRN/2008.csv:3: error[unknown-indicator] 'heroin' is not an indicator of the plan\n"
        "    column: indicator\n"
        "    hint: did you mean 'heroin_seized_kg'?\n"
    )
    assert result.stderr == "plan and 1 report file checked: 2 errors, 0 warnings (invalid)\n"


def test_text_output_when_valid(ws: Workspace) -> None:
    ws.write("BRN/2008.csv", "indicator,value,source\ncannabis_area_ha,5,s\n")
    result = ws.invoke(F)
    assert (result.exit_code, result.stdout) == (0, "")
    assert result.stderr == "plan and 1 report file checked: 0 errors, 0 warnings (valid)\n"


def test_text_output_neutralises_control_characters(ws: Workspace) -> None:
    ws.write("BRN/2008.csv", "indicator,value,source\ncannabis_area_ha,\x1b[31m5\u202e,s\n")
    result = ws.invoke(F)
    assert "\x1b" not in result.stdout and "\u202e" not in result.stdout
    assert "bad-number" in result.stdout


def test_json_output_shape(ws: Workspace) -> None:
    ws.write("BRN/2008.csv", "indicator,value,source\ncannabis_area_ha,-5,s\n")
    result = ws.invoke("--format", "json", F)
    doc = json.loads(result.stdout)
    assert doc == {
        "format_version": 1,
        "valid": False,
        "strict": False,
        "files": 1,
        "errors": [
            {
                "file": "reports/BRN/2008.csv",
                "line": 2,
                "column": "value",
                "code": "negative-value",
                "severity": "error",
                "message": "'-5' is negative",
                "hint": "figures are counts or sizes >= 0",
            }
        ],
        "warnings": [],
    }
    assert result.stderr == "plan and 1 report file checked: 1 error, 0 warnings (invalid)\n"


def test_github_output_exactly(ws: Workspace) -> None:
    ws.write("BRN/2008.csv", "indicator,source,value\nheroin_seized_kg,s,5%\n")
    ws.write("BRN/2009.csv", "indicator,value,source\nheroin_seized_kg,5000,s\n")
    ws.write("BRN/2010.csv", "")
    result = ws.invoke("--format", "github", "reports/BRN")
    assert result.exit_code == 1
    assert result.stdout_bytes.decode() == (
        "::error file=reports/BRN/2008.csv,line=2,col=20,title=aseanwp bad-number::"
        "'5%25': a %25 sign is only allowed on percent indicators (drop the %25)\n"
        "::warning file=reports/BRN/2009.csv,line=2,title=aseanwp missing-baseline::"
        "BRN reports heroin_seized_kg but has no 2008 (baseline) value for it (add the 2008 figure to "
        "BRN/2008.csv if one exists; otherwise progress is measured from the earliest later year)\n"
        "::error file=reports/BRN/2010.csv,title=aseanwp empty-file::"
        "the file has no header and no rows (start from `aseanwp template`)\n"
    )


@pytest.mark.parametrize(
    ("folder", "escaped"),
    [("a,b:c", "a%2Cb%3Ac"), ("50% x\r\ny", "50%25 x%0D%0Ay")],
    ids=["comma-colon", "percent-crlf"],
)
def test_github_warning_and_escaped_properties(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, folder: str, escaped: str
) -> None:
    ws = Workspace(tmp_path / folder)
    ws.root.mkdir()
    (ws.root / "workplan.yaml").write_bytes((ROOT / "data" / "workplan.yaml").read_bytes())
    monkeypatch.chdir(tmp_path)
    ws.write("BRN/2008.csv", "indicator,value,source\nheroin_seized_kg,5,s\n")
    ws.write("BRN/2009.csv", "indicator,value,source\nheroin_seized_kg,5000,s\n")
    result = ws.invoke("--format", "github", f"{folder}/reports/BRN/2009.csv")
    assert result.exit_code == 0
    out = result.stdout_bytes.decode()
    assert out.startswith(f"::warning file={escaped}/reports/BRN/2009.csv,line=2,title=aseanwp jump::")
    assert out.count("\n") == 1 and out.endswith("\n") and "\r" not in out


def test_github_escaping_of_messages() -> None:
    f = Finding("x,y:z.csv", 3, "bad-number", "50% of\r\nit", "fix: it", "value", "error", 4)
    assert (
        render_github([f])
        == "::error file=x%2Cy%3Az.csv,line=3,col=4,title=aseanwp bad-number::50%25 of%0D%0Ait (fix: it)\n"
    )
    g = Finding("a.csv", None, "missing-report", "none", "", None, "warning", None)
    assert render_github([g]) == "::warning file=a.csv,title=aseanwp missing-report::none\n"
    assert render_github([]) == ""


def test_a_finding_at_a_cell_is_shown_and_ordered_by_its_sheet() -> None:
    """Workbook findings (aseanwp.xlsx) name their cell; CSV findings keep their shape."""
    a = finding("b.xlsx", 12, "bad-number", "'x' is not a number", "write digits", "value", 5, "Indicators!E12")
    b = finding("b.xlsx", 5, "bad-status", "'done' is not an action status", "", "status", 3, "Actions!C5")
    c = finding("b.xlsx", None, "no-figures", "no figure", "")
    assert [f.cell for f in ordered([a, b, c])] == [None, "Actions!C5", "Indicators!E12"]
    assert render_text([a]) == (
        "b.xlsx:Indicators!E12: error[bad-number] 'x' is not a number\n    column: value\n    hint: write digits\n"
    )
    assert a.to_dict()["cell"] == "Indicators!E12" and "cell" not in finding("a.csv", 2, "x", "m").to_dict()


# --- exit codes ---------------------------------------------------------------------------------------------


def test_exit_codes(ws: Workspace) -> None:
    ws.write("BRN/2008.csv", "indicator,value,source\nheroin_seized_kg,10,s\n")
    ws.write("BRN/2009.csv", "indicator,value,source\nheroin_seized_kg,1000,s\n")
    assert ws.invoke("reports/BRN/2008.csv").exit_code == 0
    assert ws.invoke("--strict", "reports/BRN/2008.csv").exit_code == 1  # the jump is said on 2008 too
    warned = ws.invoke("reports/BRN/2009.csv")
    assert warned.exit_code == 0 and "warning[jump]" in warned.stdout
    assert ws.invoke("--strict", "reports/BRN/2009.csv").exit_code == 1
    ws.write("KHM/2008.csv", "indicator,value,source\nheroin_seized_kg,-1,s\n")
    assert ws.invoke("reports/KHM/2008.csv").exit_code == 1


@pytest.mark.parametrize("args", [["--format", "xml"], ["--bogus"], ["--strict=yes"]])
def test_bad_option_is_a_usage_error(ws: Workspace, args: list[str]) -> None:
    result = ws.invoke(*args)
    assert result.exit_code == 2
    assert "Traceback" not in result.output


def test_missing_reports_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = invoke_cli("--plan", str(ROOT / "data" / "workplan.yaml"), "--reports", "nowhere", "validate")
    assert result.exit_code == 1
    assert "Traceback" not in result.output


def test_missing_plan(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "reports").mkdir()
    result = invoke_cli("--plan", "nowhere.yaml", "--reports", "reports", "validate", "--format", "json")
    assert result.exit_code == 1
    assert only(json.loads(result.stdout), "unreadable")["file"] == "nowhere.yaml"


# --- inputs are never changed; the shipped data set ---------------------------------------------------------


def test_inputs_are_byte_identical_after_validation(ws: Workspace) -> None:
    ws.write("BRN/2008.csv", FLAVOURS["bom-crlf-semicolon"])
    ws.write(
        "BRN/2009.csv",
        "indicator,value,source\nheroin_seized_kg,-1,s\ncannabis_area_ha,5,s\ncannabis_area_ha,5,s\n",
    )
    ws.write("BRN/2010.csv", "caf\xe9\n".encode("latin-1"))
    ws.write("BRN/2011-actions.csv", "action,status\nI.1.1,done\n")
    ws.write("XYZ/2009.csv", "")
    before = snapshot(ws.root)
    for fmt in ("text", "json", "github"):
        ws.invoke("--format", fmt)
        ws.invoke("--format", fmt, "--strict", "reports/BRN/2009.csv")
    assert snapshot(ws.root) == before


def test_output_is_deterministic(ws: Workspace) -> None:
    ws.write("BRN/2008.csv", "indicator,value,source\nheroin_seized_kg,-1,s\n")
    ws.write("KHM/2009.csv", "indicator,value,source\nheroin_seized_kg,5,s\n")
    first = ws.invoke("--format", "json").stdout_bytes
    assert ws.invoke("--format", "json").stdout_bytes == first


def test_shipped_data_validates(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    before = snapshot(SHIPPED_REPORTS)
    result = invoke_cli("--plan", "data/workplan.yaml", "--reports", "data/reports", "validate", "--format", "json")
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert doc["valid"] is True and doc["errors"] == []
    assert doc["files"] == sum(1 for _ in SHIPPED_REPORTS.glob("*/*.csv"))
    # the warnings describe real gaps (substituted baselines); never about a missing file
    assert {f["code"] for f in doc["warnings"]} <= {"missing-baseline", "jump"}
    assert all(f["file"].startswith("data/reports/") for f in doc["warnings"])
    assert snapshot(SHIPPED_REPORTS) == before


def test_shipped_data_default_reports_folder(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    result = invoke_cli("validate", "--format", "json")
    assert result.exit_code == 0
    assert json.loads(result.stdout)["errors"] == []


def test_shipped_header(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    assert (SHIPPED_REPORTS / "LAO" / "2015.csv").read_text(encoding="utf-8").splitlines()[0] == HEADER


def test_blank_actions_template_rows_are_not_reported(tmp_path):
    """An actions template left partly blank validates: a row without a status is simply not reported."""
    from aseanwp.cli import cli

    folder = tmp_path / "reports" / "MMR"
    folder.mkdir(parents=True)
    (folder / "2012-actions.csv").write_text("action,status,source,notes\nI.1.1,ongoing,s,\nI.1.2,,,\n")
    result = CliRunner().invoke(
        cli,
        [
            "--plan",
            "data/workplan.yaml",
            "--reports",
            str(tmp_path / "reports"),
            "validate",
            "--format",
            "json",
        ],
    )
    doc = json.loads(result.stdout)
    assert doc["errors"] == [], doc["errors"]


def test_missing_report_ignores_unknown_members(tmp_path):
    from aseanwp.cli import cli

    reports = tmp_path / "reports"
    (reports / "MMR").mkdir(parents=True)
    (reports / "MMR" / "2008.csv").write_text("indicator,value,source\nopium_poppy_area_ha,1,s\n")
    (reports / "XYZ").mkdir()
    (reports / "XYZ" / "2015.csv").write_text("indicator,value,source\n")
    result = CliRunner().invoke(
        cli, ["--plan", "data/workplan.yaml", "--reports", str(reports), "validate", "--format", "json"]
    )
    doc = json.loads(result.stdout)
    missing = [w for w in doc["warnings"] if w["code"] == "missing-report"]
    # only 2008 exists for real members, so only the other members' 2008 reports are missing
    assert missing and all(w["file"].endswith("/2008.csv") for w in missing)
    assert any(e["code"] == "unknown-country" for e in doc["errors"])
    # naming the reports folder itself checks all of it
    again = CliRunner().invoke(
        cli,
        [
            "--plan",
            "data/workplan.yaml",
            "--reports",
            str(reports),
            "validate",
            "--format",
            "json",
            str(reports),
        ],
    )
    assert json.loads(again.stdout)["warnings"] == doc["warnings"]


def test_a_bad_figure_without_source_gets_both_findings(tmp_path):
    """Each problem of a row is reported at once: the user should not fix one to discover the next."""
    folder = tmp_path / "reports" / "MMR"
    folder.mkdir(parents=True)
    (folder / "2012.csv").write_text("indicator,value,source\ntreatment_admissions,1.5,\n")
    result = CliRunner().invoke(
        __import__("aseanwp.cli", fromlist=["cli"]).cli,
        ["--plan", "data/workplan.yaml", "--reports", str(tmp_path / "reports"), "validate", "--format", "json"],
    )
    codes = sorted(e["code"] for e in json.loads(result.stdout)["errors"])
    assert codes == ["missing-source", "not-whole"]


def test_rows_before_a_bad_byte_are_still_checked(tmp_path):
    """The decoder fails a whole 8 KiB block at once; the rows before the bad byte must not be lost."""
    from aseanwp.cli import cli

    folder = tmp_path / "reports" / "MMR"
    folder.mkdir(parents=True)
    filler = "".join(f"cso_partnerships,{n},s\n" for n in range(3000))  # duplicates from line 3 on: capped
    body = "indicator,value,source\ncannabis_area_ha,-5,s\n" + filler + "heroin_seized_kg,1.5.5,s\n"
    (folder / "2012.csv").write_bytes(body.encode() + "heroin_seized_kg,1,caf\u00e9\n".encode("cp1252"))
    result = CliRunner().invoke(
        cli, ["--plan", "data/workplan.yaml", "--reports", str(tmp_path / "reports"), "validate", "--format", "json"]
    )
    found = {(e["code"], e["line"]) for e in json.loads(result.stdout)["errors"]}
    assert ("negative-value", 2) in found  # in the first block
    assert ("bad-number", 3003) in found  # just before the bad byte, in the block that fails to decode
    assert ("encoding", 3004) in found


def test_a_header_problem_is_found_in_every_file_that_has_it(ws: Workspace) -> None:
    """Clean headers are remembered across files (aseanwp.checks.header); a header with a problem never is."""
    clean = "indicator,value,source\ncannabis_area_ha,5,s\n"
    misspelt = "indicator,populaton,value,source\ncannabis_area_ha,,5,s\n"
    for year, content in ((2008, clean), (2009, misspelt), (2010, clean), (2011, misspelt), (2012, clean)):
        ws.write(f"BRN/{year}.csv", content)
    _, doc = ws.validate_json("reports/BRN")
    found = [(f["file"], f["code"]) for f in all_findings(doc) if f["severity"] == "error"]
    assert found == [
        ("reports/BRN/2009.csv", "unknown-column"),
        ("reports/BRN/2011.csv", "unknown-column"),
    ]


def test_without_warnings_the_errors_and_figures_are_the_same(tmp_path: Path) -> None:
    """report and status skip the checks across files (warnings only): nothing else may change."""
    import shutil

    from aseanwp.dataset import Dataset
    from aseanwp.plan import load_plan
    from aseanwp.validation import run

    reports = tmp_path / "reports"
    shutil.copytree(SHIPPED_REPORTS, reports)
    (reports / "BRN" / "2010.csv").write_text("indicator,value,source\ncannabis_area_ha,-5,s\n", encoding="utf-8")
    latest = reports / "BRN" / "2015.csv"  # heroin seized: 0.4 kg in 2014, 4,000 kg in 2015
    latest.write_text(
        latest.read_text(encoding="utf-8").replace("heroin_seized_kg,,,,0.4,", "heroin_seized_kg,,,,4000,")
    )
    plan = load_plan(str(ROOT / "data" / "workplan.yaml"))
    full, lean = Dataset(), Dataset()
    with_warnings = run(plan, str(reports), (), full)
    without = run(plan, str(reports), (), lean, warnings=False)
    assert {f.code for f in with_warnings.findings if f.severity == "warning"} >= {"missing-baseline", "jump"}
    assert [f for f in without.findings if f.severity == "warning"] == []
    assert [f for f in without.findings if f.severity == "error"] == [
        f for f in with_warnings.findings if f.severity == "error"
    ]
    assert without.invalid == with_warnings.invalid
    assert any(f.endswith("BRN/2010.csv") for f in without.invalid)
    assert lean.series() == full.series()
    assert lean.actions() == full.actions()


def test_a_file_without_any_figure_is_a_warning(ws: Workspace) -> None:
    """Found trying the tool: a blank template passed `validate --strict`, the gate on submissions."""
    blank = invoke_cli("--plan", str(ws.plan), "template", "BRN", "2008").stdout
    ws.write("BRN/2008.csv", blank)
    exit_code, doc = ws.validate_json(F)
    assert exit_code == 0
    assert [(f["code"], f["severity"], f["line"]) for f in all_findings(doc)] == [("no-figures", "warning", None)]
    assert ws.invoke("--strict", F).exit_code == 1
    ws.write("BRN/2008.csv", "indicator,value,source\ncannabis_area_ha,NA,\nheroin_seized_kg,..,\n")
    assert [f["code"] for f in all_findings(ws.validate_json(F)[1])] == ["no-figures"]
    ws.write("BRN/2008.csv", "indicator,value,source\ncannabis_area_ha,NA,\nheroin_seized_kg,0,s\n")
    assert all_findings(ws.validate_json(F)[1]) == []
    ws.write("BRN/2008.csv", "indicator,value,source\ncannabis_area_ha,-5,s\n")  # errors say enough
    assert [f["code"] for f in all_findings(ws.validate_json(F)[1])] == ["negative-value"]
