"""`aseanwp template --format xlsx`: the Country Report as a workbook, with the CSV template's rows, locked fixed
cells, a validation and an input message on every input cell, and the same bytes every time."""

from __future__ import annotations

import csv
import hashlib
import io
import os
import pty
import subprocess
import sys
import zipfile
from typing import Any

import openpyxl
from conftest import ROOT, Workspace, invoke_cli
from workbooks import rows_of


def cli(ws: Workspace, *args: str) -> Any:
    return invoke_cli("--plan", str(ws.plan), "--reports", str(ws.reports), *args)


def test_template_xlsx_needs_o_and_an_xlsx_name(ws: Workspace) -> None:
    for args, message in (
        ([], "Error: --format xlsx writes a binary workbook: give -o FILE.xlsx\n"),
        (
            ["-o", "t.csv"],
            "Error: -o t.csv: a workbook's name must end in .xlsx (Excel refuses to open it otherwise)\n",
        ),
        (
            ["--actions", "-o", "t.xlsx"],
            "Error: --actions is for CSV: the workbook holds the indicators and the actions on two sheets\n",
        ),
    ):
        result = cli(ws, "template", "BRN", "2009", "--format", "xlsx", *args)
        assert result.exit_code == 2
        assert result.stderr.endswith(message)
    result = cli(ws, "template", "BRN", "2009", "-o", "t.xlsx")
    assert (result.exit_code, result.stderr.splitlines()[-1]) == (
        2,
        "Error: -o t.xlsx names a workbook: add --format xlsx (or name the file .csv)",
    )


def test_template_xlsx_writes_to_a_pipe_but_not_to_a_terminal(ws: Workspace) -> None:
    result = cli(ws, "template", "BRN", "2009", "--format", "xlsx", "-o", "-")
    assert result.exit_code == 0 and result.stdout_bytes[:2] == b"PK"  # a pipe takes the bytes
    leader, follower = pty.openpty()  # a real terminal as standard output
    try:
        proc = subprocess.run(
            [sys.executable, "-m", "aseanwp", "--plan", str(ws.plan), "template", "BRN", "2009", "--format", "xlsx"]
            + ["-o", "-"],
            stdout=follower,
            stderr=subprocess.PIPE,
            env={**os.environ, "PYTHONPATH": str(ROOT)},
            timeout=60,
        )
    finally:
        os.close(follower)
        os.close(leader)
    assert proc.returncode == 2
    assert proc.stderr.decode().endswith("Error: will not write a binary workbook to a terminal: give -o FILE.xlsx\n")


def test_template_xlsx_never_overwrites_without_force(ws: Workspace) -> None:
    assert cli(ws, "template", "BRN", "2009", "--format", "xlsx", "-o", "t.xlsx").exit_code == 0
    (ws.root / "t.xlsx").write_bytes(b"filled in")
    result = cli(ws, "template", "BRN", "2009", "--format", "xlsx", "-o", "t.xlsx")
    assert (result.exit_code, result.stderr) == (1, "aseanwp: t.xlsx already exists; use --force to replace it\n")
    assert (ws.root / "t.xlsx").read_bytes() == b"filled in"
    assert cli(ws, "template", "BRN", "2009", "--format", "xlsx", "-o", "t.xlsx", "--force").exit_code == 0
    assert (ws.root / "t.xlsx").read_bytes()[:2] == b"PK"


def test_the_template_workbook_is_the_same_bytes_every_time(ws: Workspace) -> None:
    digests = set()
    for name in ("a.xlsx", "b.xlsx"):
        assert cli(ws, "template", "LAO", "2015", "--format", "xlsx", "-o", name).exit_code == 0
        digests.add(hashlib.sha256((ws.root / name).read_bytes()).hexdigest())
    assert len(digests) == 1
    with zipfile.ZipFile(ws.root / "a.xlsx") as z:
        assert {i.date_time for i in z.infolist()} == {(1980, 1, 1, 0, 0, 0)}
        core = z.read("docProps/core.xml").decode()
    # both dates fixed (wb.save stamps the modified date with the time of the run)
    assert core.count("2000-01-01T00:00:00Z") == 2


def test_the_template_workbook_has_the_csv_templates_rows(ws: Workspace) -> None:
    assert cli(ws, "template", "LAO", "2015", "--format", "xlsx", "-o", "t.xlsx").exit_code == 0
    wb = openpyxl.load_workbook(ws.root / "t.xlsx")
    assert wb.sheetnames == ["Indicators", "Actions", "Instructions"]
    ws_ = wb["Indicators"]
    assert ws_["A1"].value == "Lao PDR (LAO): Country Report for 2015"
    grid = [["" if c is None else str(c) for c in row] for row in ws_.iter_rows(min_row=3, values_only=True)]
    expected = list(csv.reader(io.StringIO(cli(ws, "template", "LAO", "2015").stdout)))
    assert grid == expected
    props = {p.name: p.value for p in wb.custom_doc_props}
    assert props == {"aseanwp.member": "LAO", "aseanwp.year": 2015}
    actions = wb["Actions"]
    assert [c.value for c in actions[3]] == ["action", "text", "status", "source", "notes"]
    assert actions["A4"].value == "I.1.1" and actions["B4"].value.startswith("To analyze the root causes")


def test_fixed_cells_are_locked_and_input_cells_are_not(ws: Workspace) -> None:
    assert cli(ws, "template", "LAO", "2015", "--format", "xlsx", "-o", "t.xlsx").exit_code == 0
    wb = openpyxl.load_workbook(ws.root / "t.xlsx")
    for sheet, editable in (
        ("Indicators", {"value", "lower", "upper", "source", "flag", "notes"}),
        ("Actions", {"status", "source", "notes"}),
    ):
        s = wb[sheet]
        assert s.protection.sheet and not s.protection.password
        assert s.freeze_panes == "B4"
        header, rows = rows_of(s)
        for row in rows.values():
            for name, col in header.items():
                assert s.cell(row, col).protection.locked == (name not in editable), (sheet, name, row)
        assert s.cell(3, 1).protection.locked  # the header


def test_every_input_cell_has_a_validation_with_a_message_within_excels_limits(ws: Workspace) -> None:
    assert cli(ws, "template", "LAO", "2015", "--format", "xlsx", "-o", "t.xlsx").exit_code == 0
    wb = openpyxl.load_workbook(ws.root / "t.xlsx")
    for sheet in ("Indicators", "Actions"):
        s = wb[sheet]
        covered: dict[str, Any] = {}
        for dv in s.data_validations.dataValidation:
            assert dv.showInputMessage and dv.prompt and dv.promptTitle
            assert len(dv.promptTitle) <= 32 and len(dv.prompt) <= 255 and len(dv.errorTitle or "") <= 32
            if dv.type == "list":
                assert len(dv.formula1) <= 255
            for rng in dv.sqref.ranges:
                for row in s.iter_rows(
                    min_row=rng.min_row, max_row=rng.max_row, min_col=rng.min_col, max_col=rng.max_col
                ):
                    for cell in row:
                        covered[cell.coordinate] = dv
        for row in s.iter_rows(min_row=4):
            for cell in row:
                if not cell.protection.locked:
                    assert cell.coordinate in covered, (sheet, cell.coordinate)
    rules = {}
    s = wb["Indicators"]
    header, rows = rows_of(s)
    for key in (
        ("meth_tablets_seized", ""),
        ("heroin_seized_kg", ""),
        ("drug_use_prevalence_pct", "youth"),
        ("pen_implemented", ""),
    ):
        dv = next(dv for dv in s.data_validations.dataValidation if f"E{rows[key]}" in dv.sqref)
        rules[key[0]] = (dv.type, dv.operator, dv.formula1, dv.formula2)
    assert rules == {
        "meth_tablets_seized": ("whole", "greaterThanOrEqual", "0", None),
        "heroin_seized_kg": ("decimal", "greaterThanOrEqual", "0", None),
        "drug_use_prevalence_pct": ("decimal", "between", "0", "100"),
        "pen_implemented": ("list", None, '"yes,no"', None),
    }
    flag = next(dv for dv in s.data_validations.dataValidation if f"J{rows[('heroin_seized_kg', '')]}" in dv.sqref)
    assert flag.formula1.startswith('"estimate,provisional,break,not_applicable,')
    heroin = next(dv for dv in s.data_validations.dataValidation if f"E{rows[('heroin_seized_kg', '')]}" in dv.sqref)
    assert heroin.promptTitle == "Heroin seized"
    assert heroin.prompt == (
        "Unit: kg; a number, 0 or more (decimals allowed). Leave\n"
        "empty when not available. Heroin seized during the year, in\n"
        "kilograms. Context, not rated."
    )


def test_shorten_cuts_at_a_word() -> None:
    from aseanwp.xlsx.writer import shorten

    assert shorten("Potential opium production", 32) == "Potential opium production"
    assert shorten("Households supported by alternative development", 32) == "Households supported by…"
    assert len(shorten("x" * 300, 255)) == 255
