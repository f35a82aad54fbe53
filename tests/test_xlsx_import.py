"""`aseanwp import FILE.xlsx`: a valid workbook written as the member's CSV report files, the same bytes as the
CSV template filled in with the same figures."""

from __future__ import annotations

import csv
import io
from typing import Any

from conftest import Workspace, invoke_cli
from workbooks import fill, template
from workbooks import row as sheet_row

from aseanwp.dataset import Dataset
from aseanwp.plan import load_plan
from aseanwp.validation import run


def cli(ws: Workspace, *args: str) -> Any:
    return invoke_cli("--plan", str(ws.plan), "--reports", str(ws.reports), *args)


# the same figures, as a focal point types them into the CSV template and into the workbook
FIGURES: dict[tuple[str, str], dict[str, Any]] = {
    ("opium_poppy_area_ha", ""): {"value": 28500, "source": "UNODC Opium Survey 2009", "flag": "estimate"},
    ("opium_production_t", ""): {"lower": 84, "upper": 176, "source": "UNODC", "notes": "a range only, no point"},
    ("heroin_seized_kg", ""): {"value": 12.5, "source": 'ONCB "Annual Report", 2009'},
    ("pen_implemented", ""): {"value": "yes", "source": "INCB"},
    ("drug_use_prevalence_pct", "youth"): {"value": 2.5, "source": "survey", "flag": "estimate;break"},
    ("treatment_admissions", "voluntary"): {"value": 1200, "source": "MoH", "notes": "line one\nline two"},
    ("meth_tablets_seized", ""): {"flag": "not_applicable"},
}
STATUSES = {"I.1.1": {"status": "ongoing", "source": "decree 12/2009"}, "II.1.8": {"status": "completed"}}


def csv_text(value: Any) -> str:
    return str(value)


def fill_csv_template(ws: Workspace, code: str, year: int) -> tuple[bytes, bytes]:
    """The CSV path: `aseanwp template`, then the figures typed into it."""
    out = {}
    for actions in (False, True):
        args = ["template", code, str(year)] + (["--actions"] if actions else [])
        text = cli(ws, *args).stdout
        rows = list(csv.reader(io.StringIO(text)))
        header = rows[0]
        for row in rows[1:]:
            if actions:
                cells = STATUSES.get(row[0], {})
            else:
                dim = next(
                    (row[header.index(d)] for d in ("population", "modality", "chemical") if row[header.index(d)]), ""
                )
                cells = FIGURES.get((row[0], dim), {})
            for name, value in cells.items():
                row[header.index(name)] = csv_text(value)
        buf = io.StringIO()
        csv.writer(buf, lineterminator="\n").writerows(rows)
        out[actions] = buf.getvalue().encode()
    return out[False], out[True]


def test_a_workbook_imports_to_the_bytes_of_the_csv_template_filled_in(ws: Workspace) -> None:
    indicators, actions = fill_csv_template(ws, "BRN", 2009)
    fill(template(ws.root / "BRN-2009.xlsx", "BRN", 2009), FIGURES, STATUSES)
    result = cli(ws, "import", "BRN-2009.xlsx")
    assert result.exit_code == 0, result.output
    assert (ws.reports / "BRN" / "2009.csv").read_bytes() == indicators
    assert (ws.reports / "BRN" / "2009-actions.csv").read_bytes() == actions
    # warnings are shown, and the import goes on
    assert result.stderr.startswith(
        f"BRN-2009.xlsx:Indicators!A{sheet_row('opium_poppy_area_ha')}: warning[missing-baseline] BRN reports opium_poppy_area_ha but has no 2008 "
        "(baseline) value for it\n"
    )
    assert result.stderr.endswith("aseanwp: wrote reports/BRN/2009.csv\naseanwp: wrote reports/BRN/2009-actions.csv\n")


def test_the_csv_written_validates_and_gives_the_workbooks_figures(ws: Workspace) -> None:
    fill(template(ws.root / "b.xlsx", "BRN", 2008), FIGURES, STATUSES)
    plan = load_plan(ws.plan)
    from_book, from_csv = Dataset(), Dataset()
    run(plan, str(ws.reports), ["b.xlsx"], from_book)
    assert cli(ws, "import", "b.xlsx").exit_code == 0
    outcome = run(plan, str(ws.reports), ["reports/BRN/2008.csv", "reports/BRN/2008-actions.csv"], from_csv)
    assert outcome.findings == []

    def figures(data: Dataset) -> list[Any]:
        return [
            (key, p.value, p.lower, p.upper, p.flags, p.source, p.notes)
            for key, points in data.series().items()
            for p in points
        ]

    assert figures(from_book) == figures(from_csv)
    assert len([f for f in figures(from_csv) if f[1] is not None or f[2] is not None or f[4]]) == 7
    assert [(a.action, a.status, a.source) for a in from_book.actions()] == [
        (a.action, a.status, a.source) for a in from_csv.actions()
    ]


def test_an_invalid_workbook_writes_nothing(ws: Workspace) -> None:
    fill(template(ws.root / "b.xlsx", "BRN", 2008), {("heroin_seized_kg", ""): {"value": "12,5", "source": "UNODC"}})
    result = cli(ws, "import", "b.xlsx")
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr == (
        f"b.xlsx:Indicators!E{sheet_row('heroin_seized_kg')}: error[ambiguous-number] '12,5' contains a comma\n"
        "    column: value\n"
        "    hint: write it without separators and with a point for decimals: 12.5\n"
        "plan and 1 report file checked: 1 error, 0 warnings (invalid)\n"
        "aseanwp: b.xlsx is not valid: nothing imported; fix the errors above and run again\n"
    )
    assert list(ws.reports.iterdir()) == []


def test_an_existing_report_is_replaced_only_with_force_and_the_changes_are_listed(ws: Workspace) -> None:
    fill(template(ws.root / "b.xlsx", "BRN", 2008), FIGURES)
    assert cli(ws, "import", "b.xlsx").exit_code == 0
    before = (ws.reports / "BRN" / "2008.csv").read_bytes()
    changed = dict(FIGURES)
    changed[("heroin_seized_kg", "")] = {"value": 13, "source": 'ONCB "Annual Report", 2009'}
    changed[("opium_poppy_area_ha", "")] = {"value": 28500.0, "source": "UNODC Opium Survey 2009", "flag": "estimate"}
    changed[("cannabis_area_ha", "")] = {"value": 7, "source": "UNODC"}
    fill(ws.root / "b.xlsx", changed)
    result = cli(ws, "import", "b.xlsx")
    assert result.exit_code == 1
    assert result.stdout == (
        # a CSV line is the sheet row less the two title rows
        f"reports/BRN/2008.csv:{sheet_row('cannabis_area_ha') - 2}: cannabis_area_ha value: (empty) -> 7\n"
        f"reports/BRN/2008.csv:{sheet_row('cannabis_area_ha') - 2}: cannabis_area_ha source: (empty) -> UNODC\n"
        f"reports/BRN/2008.csv:{sheet_row('heroin_seized_kg') - 2}: heroin_seized_kg value: 12.5 -> 13\n"
    )
    assert result.stderr == (
        "aseanwp: no action has a status: reports/BRN/2008-actions.csv is left as it is\n"
        "aseanwp: reports/BRN/2008.csv: would be replaced\n"
        "aseanwp: reports/BRN/2008.csv exists; add --force to replace (changes above)\n"
    )
    assert (ws.reports / "BRN" / "2008.csv").read_bytes() == before
    result = cli(ws, "import", "--force", "b.xlsx")
    assert result.exit_code == 0
    assert result.stderr.endswith("aseanwp: wrote reports/BRN/2008.csv (replaced)\n")
    assert "heroin_seized_kg,,,,13," in (ws.reports / "BRN" / "2008.csv").read_text()


def test_importing_the_same_workbook_again_changes_nothing(ws: Workspace) -> None:
    fill(template(ws.root / "b.xlsx", "BRN", 2008), FIGURES, STATUSES)
    assert cli(ws, "import", "b.xlsx").exit_code == 0
    result = cli(ws, "import", "b.xlsx")
    assert (result.exit_code, result.stdout) == (0, "")
    assert result.stderr == (
        "aseanwp: reports/BRN/2008.csv is unchanged\naseanwp: reports/BRN/2008-actions.csv is unchanged\n"
    )


def test_dry_run_writes_nothing(ws: Workspace) -> None:
    fill(template(ws.root / "b.xlsx", "BRN", 2008), FIGURES, STATUSES)
    result = cli(ws, "import", "--dry-run", "b.xlsx")
    assert result.exit_code == 0
    assert result.stderr == ("aseanwp: reports/BRN/2008.csv: new\naseanwp: reports/BRN/2008-actions.csv: new\n")
    assert list(ws.reports.iterdir()) == []


def test_no_actions_file_without_a_status(ws: Workspace) -> None:
    fill(template(ws.root / "b.xlsx", "BRN", 2008), FIGURES, {"I.1.1": {"source": "a source, no status"}})
    result = cli(ws, "import", "b.xlsx")
    assert result.exit_code == 0
    assert "aseanwp: no action has a status: reports/BRN/2008-actions.csv is left as it is\n" in result.stderr
    assert sorted(p.name for p in (ws.reports / "BRN").iterdir()) == ["2008.csv"]


def test_import_takes_only_workbooks_and_an_existing_reports_folder(ws: Workspace) -> None:
    ws.write("BRN/2008.csv", "indicator,value,source\n")
    result = cli(ws, "import", "reports/BRN/2008.csv")
    assert result.exit_code == 2
    assert "is not a workbook: import reads .xlsx files" in result.stderr
    template(ws.root / "b.xlsx", "BRN", 2008)
    result = invoke_cli("--plan", str(ws.plan), "--reports", "nowhere", "import", "b.xlsx")
    assert (result.exit_code, result.stderr) == (
        1,
        "aseanwp: the reports folder nowhere does not exist or is not a folder\n",
    )


def test_a_hostile_workbook_is_not_imported(ws: Workspace) -> None:
    (ws.root / "b.xlsx").write_bytes(b"<html>not a workbook</html>")
    result = cli(ws, "import", "b.xlsx")
    assert result.exit_code == 1
    assert result.stderr.startswith("b.xlsx: error[unsupported-workbook] not an Excel workbook")
    assert list(ws.reports.iterdir()) == []


def test_a_report_that_cannot_be_written_is_exit_1(ws: Workspace) -> None:
    fill(template(ws.root / "b.xlsx", "BRN", 2008), FIGURES)
    (ws.reports / "BRN").write_text("a file where the member's folder should be")
    result = cli(ws, "import", "b.xlsx")
    assert (result.exit_code, result.stderr.splitlines()[-1]) == (
        1,
        "aseanwp: cannot write reports/BRN/2008.csv: File exists",
    )
