"""`aseanwp validate FILE.xlsx`: a workbook has the findings a CSV has, each at its cell, with Excel's meaning of
numbers, dates, booleans, errors and formulas."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
from conftest import Workspace
from workbooks import fill, header_row, inline, package, row, sheet, template

from aseanwp.xlsx.cells import number_text
from aseanwp.xlsx.sheetxml import letter

BOOK = "BRN-2008.xlsx"  # the baseline year: no warnings across files unless a test adds other years
HEROIN = row("heroin_seized_kg")  # the sheet row of heroin_seized_kg's total


def validate(ws: Workspace, *args: str) -> tuple[int, dict[str, Any]]:
    return ws.validate_json(*args)


def findings(doc: dict[str, Any]) -> list[tuple[str | None, str]]:
    return [(f.get("cell"), f["code"]) for f in doc["errors"] + doc["warnings"]]


def book(ws: Workspace, name: str = BOOK, year: int = 2008, **cells: Any) -> Path:
    return fill(template(ws.root / name, "BRN", year), **cells)


def test_the_blank_template_gives_only_the_no_figures_warning(ws: Workspace) -> None:
    template(ws.root / BOOK, "BRN", 2008)
    result = ws.invoke(BOOK)
    assert result.exit_code == 0
    assert result.stdout == (
        "BRN-2008.xlsx: warning[no-figures] the file gives no figure: every value is empty or marked not available\n"
        "    hint: fill in value and source from the Country Report (see `aseanwp template`)\n"
    )
    assert result.stderr == "plan and 1 report file checked: 0 errors, 1 warning (valid)\n"


def test_findings_name_their_cell_in_text(ws: Workspace) -> None:
    book(
        ws,
        indicators={
            ("opium_production_t", ""): {"value": "28,500", "source": "UNODC"},
            ("heroin_seized_kg", ""): {"value": 12.5},
        },
        actions={"I.1.2": {"status": "done"}},
    )
    result = ws.invoke(BOOK)
    assert result.exit_code == 1
    assert result.stdout == (
        f"BRN-2008.xlsx:Actions!C{row('I.1.2')}: error[bad-status] 'done' is not an action status\n"
        "    column: status\n"
        "    hint: use one of: not_started, planned, ongoing, completed, not_applicable\n"
        f"BRN-2008.xlsx:Indicators!E{row('opium_production_t')}: error[ambiguous-number] '28,500' contains a comma\n"
        "    column: value\n"
        "    hint: write 28500 if the comma separates thousands, or 28.500 if it is the decimal mark\n"
        f"BRN-2008.xlsx:Indicators!I{row('heroin_seized_kg')}: error[missing-source] the figure has no source\n"
        "    column: source\n"
        "    hint: name the report the figure comes from, or write 'illustrative' for a made-up figure\n"
    )


def test_json_findings_carry_the_row_and_the_cell(ws: Workspace) -> None:
    book(ws, indicators={("heroin_seized_kg", ""): {"value": -3, "source": "UNODC"}})
    code, doc = validate(ws, BOOK)
    assert code == 1 and doc["files"] == 1
    assert doc["errors"] == [
        {
            "file": "BRN-2008.xlsx",
            "line": HEROIN,
            "column": "value",
            "code": "negative-value",
            "severity": "error",
            "message": "'-3' is negative",
            "hint": "figures are counts or sizes >= 0",
            "cell": f"Indicators!E{HEROIN}",
        }
    ]


def test_github_annotations_use_the_row(ws: Workspace) -> None:
    book(ws, indicators={("heroin_seized_kg", ""): {"value": -3, "source": "UNODC"}})
    result = ws.invoke("--format", "github", BOOK)
    assert result.stdout == (
        f"::error file=BRN-2008.xlsx,line={HEROIN},title=aseanwp negative-value::'-3' is negative "
        "(figures are counts or sizes >= 0)\n"
    )


def test_csv_findings_keep_their_shape(ws: Workspace) -> None:
    ws.write("BRN/2008.csv", "indicator,value,source\nheroin_seized_kg,-3,x\n")
    _, doc = validate(ws, "reports/BRN/2008.csv")
    assert "cell" not in doc["errors"][0]


# --- what cells mean -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("x", "text"),
    [
        (28.5, "28.5"),
        (28500.0, "28500"),
        (0.1 + 0.2, "0.3"),  # Excel keeps 15 significant digits
        (28.499999999999996, "28.5"),
        (1e-7, "0.0000001"),
        (1e16, "10000000000000000"),
        (1234567.891, "1234567.891"),
        (-0.0, "0"),
    ],
)
def test_numbers_read_as_written_in_plain_notation(x: float, text: str) -> None:
    assert number_text(x) == text


def test_numbers_stored_as_numbers_are_never_ambiguous(ws: Workspace) -> None:
    book(
        ws,
        indicators={
            ("opium_poppy_area_ha", ""): {"value": 28.5, "source": "UNODC"},
            ("meth_tablets_seized", ""): {"value": 28500.0, "source": "UNODC"},
            ("heroin_seized_kg", ""): {"value": 0.1 + 0.2, "source": "UNODC"},
        },
    )
    code, doc = validate(ws, BOOK)
    assert (code, findings(doc)) == (0, [])


def test_numbers_stored_as_text_are_checked_like_csv_cells(ws: Workspace) -> None:
    book(
        ws,
        indicators={
            ("opium_poppy_area_ha", ""): {"value": "28,500", "source": "UNODC"},
            ("heroin_seized_kg", ""): {"value": "1e3", "source": "UNODC"},
            ("cannabis_area_ha", ""): {"value": " 12.5 ", "source": "UNODC"},
        },
    )
    _, doc = validate(ws, BOOK)
    assert findings(doc) == [
        (f"Indicators!E{row('opium_poppy_area_ha')}", "ambiguous-number"),
        (f"Indicators!E{HEROIN}", "bad-number"),
    ]


def test_a_date_in_a_figure_cell_is_a_finding(ws: Workspace) -> None:
    book(ws, indicators={("heroin_seized_kg", ""): {"value": dt.date(2015, 5, 1), "source": "UNODC"}})
    _, doc = validate(ws, BOOK)
    (f,) = doc["errors"]
    assert (f["cell"], f["code"], f["message"]) == (
        f"Indicators!E{HEROIN}",
        "bad-number",
        "'2015-05-01' is a date, not a number",
    )
    assert "format the cell as Number" in f["hint"]


def test_a_date_in_a_text_cell_is_its_date(ws: Workspace) -> None:
    book(ws, indicators={("heroin_seized_kg", ""): {"value": 3, "source": dt.date(2015, 5, 1)}})
    code, doc = validate(ws, BOOK)
    assert (code, findings(doc)) == (0, [])


def test_excel_error_values_are_findings_as_in_a_csv(ws: Workspace) -> None:
    book(
        ws,
        indicators={
            ("heroin_seized_kg", ""): {"value": "#DIV/0!", "source": "UNODC"},  # openpyxl stores these as errors
            ("cannabis_area_ha", ""): {"value": 3, "source": "#N/A"},
        },
    )
    _, doc = validate(ws, BOOK)
    assert [(f["cell"], f["code"], f["message"]) for f in doc["errors"]] == [
        (
            f"Indicators!I{row('cannabis_area_ha')}",
            "missing-source",
            "the source '#N/A' is a spreadsheet error (a formula that failed), not where the figure comes from",
        ),
        (
            f"Indicators!E{HEROIN}",
            "bad-number",
            "'#DIV/0!' is a spreadsheet error (a formula that failed), not a number",
        ),
    ]


def test_a_formula_never_calculated_is_a_finding(ws: Workspace) -> None:
    book(ws, indicators={("heroin_seized_kg", ""): {"value": "=2+3", "source": "UNODC"}})
    _, doc = validate(ws, BOOK)
    (f,) = doc["errors"]
    assert (f["cell"], f["code"]) == (f"Indicators!E{HEROIN}", "uncalculated-formula")
    assert f["message"] == (
        "the formula =2+3 has no calculated value (the file was written by a program and never opened in a spreadsheet)"
    )


def test_a_formula_with_its_calculated_value_gives_the_value(ws: Workspace) -> None:
    rows = (
        header_row()
        + '<row r="2">'
        + inline("A2", "heroin_seized_kg")
        + '<c r="B2"><f>SUM(1,2)</f><v>3</v></c>'
        + inline("C2", "UNODC")
        + "</row>"
        + '<row r="3">'
        + inline("A3", "cannabis_area_ha")
        + '<c r="B3" t="str"><f>IF(1,"","")</f><v></v></c>'
        + "</row>"
    )
    package(ws.root / BOOK, {"xl/worksheets/sheet1.xml": sheet(rows)})
    code, doc = validate(ws, BOOK)
    assert (code, findings(doc)) == (0, [])


def test_booleans_are_yes_or_no_only_in_a_yes_no_figure(ws: Workspace) -> None:
    book(
        ws,
        indicators={
            ("pen_implemented", ""): {"value": True, "source": "UNODC"},
            ("heroin_seized_kg", ""): {"value": False, "source": "UNODC"},
        },
    )
    _, doc = validate(ws, BOOK)
    (f,) = doc["errors"]
    assert (f["cell"], f["code"], f["message"]) == (f"Indicators!E{HEROIN}", "bad-number", "'FALSE' is not a number")


def test_a_percentage_shown_with_a_percent_sign_is_read_as_shown(ws: Workspace) -> None:
    book(
        ws,
        indicators={
            ("drug_use_prevalence_pct", ""): {"value": 0.025, "source": "UNODC"},
            ("heroin_seized_kg", ""): {"value": 0.5, "source": "UNODC"},
        },
        formats={("drug_use_prevalence_pct", ""): "0.0%", ("heroin_seized_kg", ""): "0%"},
    )
    _, doc = validate(ws, BOOK)
    (f,) = doc["errors"]
    assert (f["cell"], f["message"]) == (
        f"Indicators!E{HEROIN}",
        "'50%': a % sign is only allowed on percent indicators",
    )


def test_a_cell_outside_the_table_is_a_finding(ws: Workspace) -> None:
    book(ws, indicators={("heroin_seized_kg", ""): {"value": 3, "source": "UNODC"}})
    import openpyxl

    wb = openpyxl.load_workbook(ws.root / BOOK)
    wb["Indicators"][f"N{HEROIN}"] = "stray"
    wb.save(ws.root / BOOK)
    _, doc = validate(ws, BOOK)
    (f,) = doc["errors"]
    assert (f["cell"], f["code"], f["line"]) == (f"Indicators!N{HEROIN}", "row-length", HEROIN)


def test_header_findings_point_at_the_header_row(ws: Workspace) -> None:
    package(ws.root / BOOK, {"xl/worksheets/sheet1.xml": sheet(header_row("indicator,valeu,source"))})
    _, doc = validate(ws, BOOK)
    assert findings(doc) == [("Indicators!1:1", "missing-column"), ("Indicators!B1", "unknown-column")]


# --- which report a workbook is ------------------------------------------------------------------------------


def test_member_and_year_come_from_the_workbook_not_its_name(ws: Workspace) -> None:
    ws.write("BRN/2008.csv", "indicator,value,source\nheroin_seized_kg,10,UNODC\n")
    fill(
        template(ws.root / "THA" / "2013.xlsx", "BRN", 2009),
        {("heroin_seized_kg", ""): {"value": 200, "source": "UNODC"}},
    )
    _, doc = validate(ws, "THA/2013.xlsx")
    (f,) = doc["warnings"]
    assert (f["code"], f["cell"], f["message"]) == (
        "jump",
        f"Indicators!E{HEROIN}",
        "heroin_seized_kg changes 20.0 times from 10 in 2008 to 200",
    )


def test_without_its_properties_the_path_says_member_and_year(ws: Workspace) -> None:
    package(ws.root / "BRN" / "2011.xlsx", {"docProps/custom.xml": custom_without_identity()})
    _, doc = validate(ws, "BRN/2011.xlsx")
    assert findings(doc) == [(None, "no-figures")]
    package(ws.root / "book.xlsx", {"docProps/custom.xml": custom_without_identity()})
    _, doc = validate(ws, "book.xlsx")
    (f,) = doc["errors"]
    assert (f["code"], f["line"]) == ("bad-path", None)
    assert "does not say which member and year" in f["message"]


def custom_without_identity() -> str:
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/custom-properties"/>'
    )


def test_a_workbook_stands_for_the_members_report_of_its_year(ws: Workspace) -> None:
    ws.write("BRN/2008.csv", "indicator,value,source\nheroin_seized_kg,10,UNODC\n")
    ws.write("BRN/2009.csv", "indicator,value,source\nheroin_seized_kg,1000,UNODC\n")  # replaced by the workbook
    ws.write("BRN/2010.csv", "indicator,value,source\nheroin_seized_kg,12,UNODC\n")
    fill(template(ws.root / "b.xlsx", "BRN", 2009), {("heroin_seized_kg", ""): {"value": 11, "source": "UNODC"}})
    code, doc = validate(ws, "b.xlsx")
    assert (code, findings(doc)) == (0, [])


def test_an_unknown_member_is_reported_once(ws: Workspace) -> None:
    template(ws.root / BOOK, "BRN", 2008)
    import openpyxl

    wb = openpyxl.load_workbook(ws.root / BOOK)
    for p in wb.custom_doc_props:
        if p.name == "aseanwp.member":
            p.value = "BRM"
    wb.save(ws.root / BOOK)
    _, doc = validate(ws, BOOK)
    assert findings(doc) == [(None, "unknown-country")]
    assert doc["errors"][0]["hint"] == "did you mean 'BRN'?"


def test_a_workbook_without_report_sheets(ws: Workspace) -> None:
    package(ws.root / BOOK, {"xl/workbook.xml": WORKBOOK_SHEET1})
    _, doc = validate(ws, BOOK)
    (f,) = doc["errors"]
    assert (f["code"], f["message"]) == ("missing-sheet", "the workbook has no sheet named Indicators or Actions")


WORKBOOK_SHEET1 = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    '<sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>'
)


def test_findings_of_two_sheets_come_sheet_by_sheet(ws: Workspace) -> None:
    book(
        ws,
        indicators={("heroin_seized_kg", ""): {"value": -1, "source": "UNODC"}},
        actions={"I.1.1": {"status": "x"}, "III.3.6": {"status": "y"}},
    )
    _, doc = validate(ws, BOOK)
    assert [f["cell"] for f in doc["errors"]] == [
        f"Actions!C{row('I.1.1')}",
        f"Actions!C{doc['errors'][1]['line']}",
        f"Indicators!E{HEROIN}",
    ]


def test_letters_of_columns() -> None:
    assert [letter(n) for n in (1, 26, 27, 52, 256)] == ["A", "Z", "AA", "AZ", "IV"]


def test_json_of_a_workbook_is_valid_json_with_cells(ws: Workspace) -> None:
    book(ws, indicators={("heroin_seized_kg", ""): {"value": "x", "source": "y"}})
    result = ws.invoke("--format", "json", BOOK)
    assert json.loads(result.stdout)["errors"][0]["cell"] == f"Indicators!E{HEROIN}"


def test_a_workbook_in_the_reports_folder_is_to_be_imported(ws: Workspace) -> None:
    template(ws.reports / "BRN" / "2008.xlsx", "BRN", 2008)
    ws.write("BRN/2008.csv", "indicator,value,source\nheroin_seized_kg,3,UNODC\n")
    _, doc = validate(ws)
    (f,) = [f for f in doc["errors"] if f["code"] == "bad-path"]
    assert (f["file"], f["message"], f["hint"]) == (
        "reports/BRN/2008.xlsx",
        "a workbook in the reports folder: the reports kept here are CSV files",
        "write the CSV files from it with `aseanwp import reports/BRN/2008.xlsx`, then remove the workbook",
    )
