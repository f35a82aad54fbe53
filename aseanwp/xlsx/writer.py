"""The Country Report template as a workbook: `aseanwp template CODE YEAR --format xlsx`.

The Indicators sheet has the CSV template's columns and rows (``aseanwp.template``), so an imported workbook
gives the same file as the CSV template filled in. Fixed cells (indicator, breakdown, unit, action, text) are
locked and the sheet protected without a password; every input cell has a data validation (a drop-down, or a
number rule for its indicator's unit) with an input message naming the indicator. The member and year are
custom document properties, read back by ``aseanwp validate`` and ``aseanwp import``.
"""

from __future__ import annotations

import datetime as dt
import io
import math
import textwrap
import zipfile
from typing import Any

from aseanwp.checks import ACTION_STATUSES, FLAGS
from aseanwp.plan import COUNTED_UNITS, Indicator, Plan
from aseanwp.template import ACTION_HEADER, indicator_header, indicator_rows
from aseanwp.xlsx import layout, require

# Excel's limits on a data validation (longer ones make Excel report the file as damaged)
TITLE_MAX, MESSAGE_MAX, LIST_MAX = 32, 255, 255
FIXED_TIME = dt.datetime(2000, 1, 1)  # document created/modified: the same bytes for the same inputs
ZIP_TIME = (1980, 1, 1, 0, 0, 0)

FIXED_FILL, HEADER_FILL, INPUT_FILL = "EDEDED", "1F4E79", "FFFFFF"
WIDTHS = {"indicator": 34, "value": 13, "lower": 11, "upper": 11, "unit": 11, "source": 40, "flag": 20}
WIDTHS |= {"notes": 40, "action": 10, "text": 80, "status": 16}
DIMENSION_WIDTH = 22
TEXT_CHARS_PER_LINE = 85  # of the 80-wide text column in the default font, for the row heights
PROMPT_LINE = 60  # characters a line of an input message: LibreOffice does not wrap them itself
INSTRUCTIONS_WIDTH = 75  # characters: the width of a portrait page
RULES = {
    "whole": "a whole number, 0 or more",
    "decimal": "a number, 0 or more (decimals allowed)",
    "percent": "a percentage from 0 to 100 (write 2.5 for 2.5%)",
    "yes_no": "yes or no, from the list",
}
FLAG_CHOICES = [*FLAGS, "estimate;provisional", "break;estimate", "break;provisional", "break;estimate;provisional"]


def shorten(text: str, limit: int) -> str:
    """Text cut at a word boundary to ``limit`` characters, with an ellipsis when cut."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    if " " in cut[limit // 2 :]:
        cut = cut[: cut.rfind(" ")]
    return cut.rstrip(" ,;:.") + "…"


def _list(choices: list[str]) -> str:
    formula = '"' + ",".join(choices) + '"'
    if len(formula) > LIST_MAX:  # a plan with many choices: keep those that fit (the validator checks all)
        while len(formula) > LIST_MAX:
            choices = choices[:-1]
            formula = '"' + ",".join(choices) + '"'
    return formula


def template_workbook(plan: Plan, code: str, year: int) -> bytes:
    """The template workbook for member ``code`` and ``year``, as the bytes of an .xlsx file."""
    require("writing a workbook")
    from openpyxl import Workbook
    from openpyxl.packaging.custom import IntProperty, StringProperty
    from openpyxl.writer.excel import ExcelWriter

    wb: Any = Workbook()  # Any: the type stubs lack custom_doc_props
    member = plan.name_of(code)
    wb.properties.title = f"Country Report {code} {year}"
    wb.properties.subject = plan.title
    wb.properties.creator = "aseanwp"
    wb.properties.lastModifiedBy = "aseanwp"
    wb.properties.created = wb.properties.modified = FIXED_TIME
    wb.custom_doc_props.append(StringProperty(name=layout.MEMBER_PROPERTY, value=code))
    wb.custom_doc_props.append(IntProperty(name=layout.YEAR_PROPERTY, value=year))

    _indicators(wb.active, plan, code, member, year)
    _actions(wb.create_sheet(layout.ACTIONS), plan, code, member, year)
    _instructions(wb.create_sheet(layout.INSTRUCTIONS), plan, code, member, year)
    wb.active = 0
    buf = io.BytesIO()
    # ExcelWriter, not wb.save: save stamps the document's modified date with the current time
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as archive:
        ExcelWriter(wb, archive).save()
    return _fixed_zip(buf.getvalue())


def _fixed_zip(data: bytes) -> bytes:
    """The same parts, in the same order, with fixed timestamps: openpyxl stamps each with the current time."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=ZIP_TIME)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o644 << 16
            dst.writestr(fixed, src.read(info.filename))
    return out.getvalue()


# --- sheets --------------------------------------------------------------------------------------------------


def _styles() -> dict[str, Any]:
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side

    thin = Side(style="thin", color="BFBFBF")
    return {
        "border": Border(left=thin, right=thin, top=thin, bottom=thin),
        "fixed": PatternFill("solid", fgColor=FIXED_FILL),
        "input": PatternFill("solid", fgColor=INPUT_FILL),
        "header_fill": PatternFill("solid", fgColor=HEADER_FILL),
        "header_font": Font(bold=True, color="FFFFFF"),
        "title_font": Font(bold=True, size=14),
        "note_font": Font(italic=True, color="595959"),
        "wrap": Alignment(wrap_text=True, vertical="top"),
        "top": Alignment(vertical="top"),
        "unlocked": Protection(locked=False),
    }


def _frame(ws: Any, header: list[str], member: str, code: str, year: int, note: str, st: dict[str, Any]) -> None:
    """Title and note rows, the header row, column widths, frozen panes, protection and page setup."""
    from openpyxl.utils import get_column_letter

    ws.cell(layout.TITLE_ROW, 1, f"{member} ({code}): Country Report for {year}").font = st["title_font"]
    ws.cell(layout.NOTE_ROW, 1, note).font = st["note_font"]
    for i, name in enumerate(header, start=1):
        cell = ws.cell(layout.HEADER_ROW, i, name)
        cell.font, cell.fill, cell.border = st["header_font"], st["header_fill"], st["border"]
        ws.column_dimensions[get_column_letter(i)].width = WIDTHS.get(name, DIMENSION_WIDTH)
    ws.freeze_panes = ws.cell(layout.FIRST_ROW, 2)  # the header rows and the first column stay in view
    # protected without a password: fixed cells cannot be typed over by mistake, and anyone can lift it
    ws.protection.sheet = True
    ws.protection.formatColumns = False  # widths and heights may still be changed
    ws.protection.formatRows = False
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = f"{layout.HEADER_ROW}:{layout.HEADER_ROW}"


def _validation(kind: Any, title: str, prompt: str, **rule: Any) -> Any:
    from openpyxl.worksheet.datavalidation import DataValidation

    dv = DataValidation(
        type=kind,
        allow_blank=True,
        showInputMessage=True,
        showErrorMessage=True,
        errorStyle="stop",
        promptTitle=shorten(title, TITLE_MAX),
        # line breaks instead of spaces: the same length, and a readable box in LibreOffice as in Excel
        prompt="\n".join(
            textwrap.wrap(shorten(prompt, MESSAGE_MAX), PROMPT_LINE, break_long_words=False, break_on_hyphens=False)
        ),
        errorTitle=shorten(title, TITLE_MAX),
        **rule,
    )
    return dv


def _figure_rule(ind: Indicator) -> tuple[str, dict[str, Any]]:
    if ind.unit == "yes_no":
        return "yes_no", {"type": "list", "formula1": _list(["yes", "no"])}
    if ind.unit == "percent":
        return "percent", {"type": "decimal", "operator": "between", "formula1": "0", "formula2": "100"}
    if ind.unit in COUNTED_UNITS:
        return "whole", {"type": "whole", "operator": "greaterThanOrEqual", "formula1": "0"}
    return "decimal", {"type": "decimal", "operator": "greaterThanOrEqual", "formula1": "0"}


def _indicators(ws: Any, plan: Plan, code: str, member: str, year: int) -> None:
    st = _styles()
    ws.title = layout.INDICATORS
    header = indicator_header(plan)
    note = (
        f"{plan.title}. Fill in the white cells: value and source for each row; grey cells are fixed. "
        f"See the {layout.INSTRUCTIONS} sheet."
    )
    _frame(ws, header, member, code, year, note, st)
    col = {name: i for i, name in enumerate(header, start=1)}
    rows = indicator_rows(plan)
    spans: dict[str, list[int]] = {}
    for r, row in enumerate(rows, start=layout.FIRST_ROW):
        spans.setdefault(row[0], []).append(r)
        ind = plan.indicator(row[0])
        assert ind is not None
        whole = ind.unit in COUNTED_UNITS
        for c, text in enumerate(row, start=1):
            name = header[c - 1]
            cell = ws.cell(r, c, text or None)
            cell.border = st["border"]
            if name in layout.FIGURE_COLUMNS or name in ("source", "flag", "notes"):
                cell.fill, cell.protection = st["input"], st["unlocked"]
                if name in layout.FIGURE_COLUMNS:
                    cell.number_format = "0" if whole else "General"
                else:
                    cell.number_format = "@"  # text: a source like "2015 survey" or "3/2014" stays as typed
            else:
                cell.fill = st["fixed"]
    from openpyxl.utils import get_column_letter

    def spans_of(names: tuple[str, ...], first: int, last: int) -> list[str]:
        return [f"{get_column_letter(col[n])}{first}:{get_column_letter(col[n])}{last}" for n in names]

    for ind in plan.indicators:
        lines = spans.get(ind.id)
        if not lines:
            continue
        first, last = lines[0], lines[-1]  # an indicator's rows are consecutive (total, then breakdowns)
        about = ind.description or ind.name  # the message's title is the name
        rule_name, rule = _figure_rule(ind)
        figure = _validation(
            title=ind.name,
            prompt=f"Unit: {ind.unit}; {RULES[rule_name]}. Leave empty when not available. {about}",
            error=f"{ind.name} takes {RULES[rule_name]} (unit: {ind.unit}).",
            kind=rule.pop("type"),
            **rule,
        )
        source = _validation(
            "textLength",
            ind.name,
            f"Where the figure comes from (report, agency, year); needed whenever a figure is given. {about}",
            operator="lessThanOrEqual",
            formula1="1000",
            error="A source is at most 1,000 characters.",
        )
        flag = _validation(
            "list",
            ind.name,
            "Optional. estimate; provisional; break: not comparable with earlier years (the method changed); "
            f"not_applicable: {ind.name} does not apply to {member} (leave the value empty).",
            formula1=_list(FLAG_CHOICES),
            error="Choose a flag from the list.",
        )
        notes = _validation(
            "textLength",
            ind.name,
            f"Optional: what a reader of {ind.name} should know (definitions, coverage, why a figure changed).",
            operator="lessThanOrEqual",
            formula1="32767",
            error="Notes are at most 32,767 characters.",
        )
        for dv, names in (
            (figure, tuple(n for n in header if n in layout.FIGURE_COLUMNS)),
            (source, ("source",)),
            (flag, ("flag",)),
            (notes, ("notes",)),
        ):
            ws.add_data_validation(dv)
            for cells in spans_of(names, first, last):
                dv.add(cells)


def _actions(ws: Any, plan: Plan, code: str, member: str, year: int) -> None:
    st = _styles()
    header = [ACTION_HEADER[0], "text", *ACTION_HEADER[1:]]
    note = (
        f"The plan's actions: choose each one's status in {year} from the list; leave it empty if not reported. "
        f"See the {layout.INSTRUCTIONS} sheet."
    )
    _frame(ws, header, member, code, year, note, st)
    statuses = _list(list(ACTION_STATUSES))
    for r, action in enumerate((a for o in plan.objectives for a in o.actions), start=layout.FIRST_ROW):
        for c, name in enumerate(header, start=1):
            text = action.id if name == "action" else action.text if name == "text" else None
            cell = ws.cell(r, c, text)
            cell.border = st["border"]
            if name in ("action", "text"):
                cell.fill, cell.alignment = st["fixed"], st["wrap"] if name == "text" else st["top"]
            else:
                cell.fill, cell.protection, cell.alignment = st["input"], st["unlocked"], st["top"]
                cell.number_format = "@"
        # a tenth more for the ends of lines that word wrapping leaves empty; 14.5 points a line of 11-point text
        lines = max(1, math.ceil(len(action.text) * 1.1 / TEXT_CHARS_PER_LINE))
        ws.row_dimensions[r].height = 14.5 * lines + 4
        status = _validation(
            "list",
            f"Action {action.id}",
            f"Status in {year}: not_started, planned, ongoing, completed or not_applicable. {action.text}",
            formula1=statuses,
            error="Choose a status from the list.",
        )
        ws.add_data_validation(status)
        status.add(f"C{r}")
    last = layout.FIRST_ROW + len(plan.action_ids) - 1
    for name, prompt, limit in (
        ("source", "Optional: the document that records the action (law, decree, report).", "1000"),
        ("notes", "Optional: what was done, or why the action does not apply.", "32767"),
    ):
        at = header.index(name) + 1
        from openpyxl.utils import get_column_letter

        dv = _validation(
            "textLength",
            name.capitalize(),
            prompt,
            operator="lessThanOrEqual",
            formula1=limit,
            error=f"At most {int(limit):,} characters.",
        )
        ws.add_data_validation(dv)
        letter = get_column_letter(at)
        dv.add(f"{letter}{layout.FIRST_ROW}:{letter}{last}")


def _instructions(ws: Any, plan: Plan, code: str, member: str, year: int) -> None:
    st = _styles()
    ws.column_dimensions["A"].width = INSTRUCTIONS_WIDTH
    lines: list[tuple[str, str]] = [
        ("title", f"{member} ({code}): Country Report for {year}"),
        ("note", plan.title),
        ("head", "How to fill in this workbook"),
        ("text", "1. On the Indicators sheet, give each row a value and its source. Grey cells are fixed."),
        (
            "text",
            "2. Type figures as plain numbers: the spreadsheet stores them as numbers, whatever your decimal mark. "
            "Do not type units, text or thousands separators into a figure cell. Percentages run from 0 to 100 "
            "(2.5 means 2.5%).",
        ),
        (
            "text",
            "3. Leave value empty when the figure is not available. Give lower and upper when only a range was "
            "published (the value may then stay empty).",
        ),
        ("text", "4. Every figure needs a source: the report, agency and year it comes from."),
        (
            "text",
            "5. On the Actions sheet, choose each action's status from the list; leave it empty if you do not "
            "report on it.",
        ),
        ("head", "Flags (the flag column; several can be combined, separated by ;)"),
        ("text", "estimate: the figure is an estimate, not a count or measurement."),
        ("text", "provisional: the figure may still be revised."),
        (
            "text",
            "break: the figure is not comparable with earlier years (the definition or method changed); "
            "progress is measured only from this year on.",
        ),
        ("text", f"not_applicable: the indicator does not apply to {member}; leave value, lower and upper empty."),
        ("head", "Checking and submitting"),
        (
            "text",
            f"Check the workbook: aseanwp validate {code}-{year}.xlsx (each problem names its cell, e.g. "
            "Indicators!E12). Fix until it says valid.",
        ),
        (
            "text",
            f"Submit it: aseanwp import {code}-{year}.xlsx writes data/reports/{code}/{year}.csv (and "
            f"{year}-actions.csv when an action has a status); commit those files and open a pull request. Or send "
            "the workbook to the secretariat, who do the same.",
        ),
        (
            "text",
            "Keep this workbook as it is: the member and year it belongs to are stored in it. Do not add, move "
            "or rename sheets or columns.",
        ),
    ]
    fonts = {"title": st["title_font"], "note": st["note_font"]}
    from openpyxl.styles import Font

    for r, (kind, text) in enumerate(lines, start=1):
        cell = ws.cell(r, 1, text)
        cell.alignment = st["wrap"]
        cell.font = fonts.get(kind) or (Font(bold=True, size=12) if kind == "head" else Font())
        wrapped = max(1, math.ceil(len(text) * 1.1 / INSTRUCTIONS_WIDTH))
        ws.row_dimensions[r].height = 16 * wrapped + (8 if kind == "head" else 2)
    ws.protection.sheet = True
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
