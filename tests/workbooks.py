"""Workbooks for the tests: the template filled in with openpyxl (standing in for Excel), and packages written
part by part for what no spreadsheet program writes (cached formula values, hostile XML)."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import openpyxl
from conftest import PLAN

from aseanwp.plan import load_plan
from aseanwp.xlsx.writer import template_workbook

Key = tuple[str, ...]  # (indicator, dimension value or "") or (action,)


def _rows() -> dict[Key, int]:
    wb = openpyxl.load_workbook(io.BytesIO(template_workbook(load_plan(PLAN), "BRN", 2008)))
    return {**rows_of(wb["Indicators"])[1], **rows_of(wb["Actions"])[1]}


def row(key: str, dimension: str = "") -> int:
    """The sheet row of an indicator's row (or an action's) in the template, whatever the plan's order."""
    global _ROWS
    if _ROWS is None:
        _ROWS = _rows()
    return _ROWS[(key, dimension)] if (key, dimension) in _ROWS else _ROWS[(key,)]


_ROWS: dict[Key, int] | None = None


def template(path: Path, code: str = "BRN", year: int = 2009) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(template_workbook(load_plan(PLAN), code, year))
    return path


def rows_of(ws: Any, header_row: int = 3) -> tuple[dict[str, int], dict[Key, int]]:
    """The columns by name and the rows by key (indicator and breakdown, or action) of a template sheet."""
    header = {str(c.value): c.column for c in ws[header_row] if c.value}
    first = "indicator" if "indicator" in header else "action"
    dims = [n for n in header if n not in {"indicator", "value", "lower", "upper", "unit", "source", "flag", "notes"}]
    dims = [d for d in dims if d not in {"action", "text", "status"}]
    rows = {}
    for r in range(header_row + 1, ws.max_row + 1):
        ident = ws.cell(r, header[first]).value
        if ident is None:
            continue
        dim = next((ws.cell(r, header[d]).value for d in dims if ws.cell(r, header[d]).value), "")
        rows[(ident, dim) if first == "indicator" else (ident,)] = r
    return header, rows


def fill(
    path: Path,
    indicators: Mapping[Key, Mapping[str, Any]] = {},
    actions: Mapping[str, Mapping[str, Any]] = {},
    formats: Mapping[Key, str] = {},
    out: Path | None = None,
) -> Path:
    """Type cells into a template workbook: ``{("heroin_seized_kg", ""): {"value": 12.5, "source": "UNODC"}}``."""
    wb = openpyxl.load_workbook(path)
    ws = wb["Indicators"]
    header, rows = rows_of(ws)
    for key, cells in indicators.items():
        for name, value in cells.items():
            cell = ws.cell(rows[key], header[name])
            cell.value = value
            if key in formats and name == "value":
                cell.number_format = formats[key]
    wa = wb["Actions"]
    header, rows = rows_of(wa)
    for action, cells in actions.items():
        for name, value in cells.items():
            wa.cell(rows[(action,)], header[name]).value = value
    target = out or path
    wb.save(target)
    return target


CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    '<Override PartName="/xl/styles.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
    '<Override PartName="/docProps/custom.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.custom-properties+xml"/>'
    "</Types>"
)
ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
    'officeDocument" Target="xl/workbook.xml"/>'
    '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
    'custom-properties" Target="docProps/custom.xml"/>'
    "</Relationships>"
)
WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    '<sheets><sheet name="Indicators" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" '
    'Target="worksheets/sheet1.xml"/>'
    '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" '
    'Target="styles.xml"/>'
    "</Relationships>"
)
# style 0: General; style 1: a date (numFmt 14); style 2: a percentage (numFmt 10)
STYLES = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    '<fonts count="1"><font><sz val="11"/><name val="Calibri"/></font></fonts>'
    '<fills count="1"><fill><patternFill patternType="none"/></fill></fills>'
    '<borders count="1"><border/></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="3"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/>'
    '<xf numFmtId="14" fontId="0" fillId="0" borderId="0" applyNumberFormat="1"/>'
    '<xf numFmtId="10" fontId="0" fillId="0" borderId="0" applyNumberFormat="1"/></cellXfs>'
    "</styleSheet>"
)


def custom(member: str = "BRN", year: str = "2008") -> str:
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/custom-properties" '
        'xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">'
        '<property fmtid="{D5CDD505-2E9C-101B-9397-08002B2CF9AE}" pid="2" name="aseanwp.member">'
        f"<vt:lpwstr>{member}</vt:lpwstr></property>"
        '<property fmtid="{D5CDD505-2E9C-101B-9397-08002B2CF9AE}" pid="3" name="aseanwp.year">'
        f"<vt:lpwstr>{year}</vt:lpwstr></property></Properties>"
    )


def sheet(rows: str, prologue: str = "") -> str:
    """A worksheet part around ``rows`` (``<row>`` elements)."""
    return (
        f'<?xml version="1.0" encoding="UTF-8"?>{prologue}'
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        f"<sheetData>{rows}</sheetData></worksheet>"
    )


def inline(ref: str, text: str) -> str:
    return f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>'


def header_row(names: str = "indicator,value,source") -> str:
    cells = "".join(inline(f"{chr(65 + i)}1", n) for i, n in enumerate(names.split(",")))
    return f'<row r="1">{cells}</row>'


def package(path: Path, parts: Mapping[str, str | bytes] = {}) -> Path:
    """A workbook written part by part: one Indicators sheet (``sheet1``), member BRN, year 2008; ``parts`` adds
    or replaces parts by name."""
    base: dict[str, str | bytes] = {
        "[Content_Types].xml": CONTENT_TYPES,
        "_rels/.rels": ROOT_RELS,
        "xl/workbook.xml": WORKBOOK,
        "xl/_rels/workbook.xml.rels": WORKBOOK_RELS,
        "xl/styles.xml": STYLES,
        "docProps/custom.xml": custom(),
        "xl/worksheets/sheet1.xml": sheet(header_row()),
    }
    base.update(parts)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in base.items():
            z.writestr(name, data)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(buf.getvalue())
    return path
