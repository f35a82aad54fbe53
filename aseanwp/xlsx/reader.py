"""A workbook's Indicators and Actions sheets as report sources: ``(row, cells)`` for the same checks as a CSV.

openpyxl reads the package (sheet names, shared strings, number formats, document properties); each sheet's
XML is streamed by ``sheetxml`` and its cells given their meaning by ``cells``. Every finding names its cell.
"""

from __future__ import annotations

import warnings
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import replace
from typing import IO, TYPE_CHECKING, Any

from aseanwp.findings import Finding, display_path, finding
from aseanwp.reports import Chunk, Kind, ReportFile, Sink
from aseanwp.textsafe import quote
from aseanwp.xlsx import layout, require, safety, sheetxml
from aseanwp.xlsx.cells import Formats, percent_styles, plain_text, render
from aseanwp.xlsx.sheetxml import Raw, letter

if TYPE_CHECKING:
    from aseanwp.plan import Plan

HEADER_SEARCH = 20  # rows searched for the header (the template has two title rows above it)


# --- opening -------------------------------------------------------------------------------------------------


class Book:
    """An open workbook: its sheets' parts, shared strings, number formats and document properties.

    openpyxl reads the package's parts one by one (its ``ExcelReader`` steps), not ``load_workbook``: that
    would also parse every sheet in full whenever its XML lacks a ``<dimension>`` element, before any cap of
    ours could stop it.
    """

    def __init__(self, path: str, file: str) -> None:
        safety.check(path, file)  # first: an .xls or a zip bomb is refused even without openpyxl
        require("reading a workbook")
        from defusedxml import DefusedXmlException
        from openpyxl.reader.excel import ExcelReader
        from openpyxl.styles.stylesheet import apply_stylesheet

        self.path, self.file = path, file
        # a file object, not the name: openpyxl would refuse a workbook by its name's ending alone
        self._fh = open(path, "rb")  # noqa: SIM115 - closed by close()
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")  # openpyxl warns about extensions it drops; nothing for a user
                reader = ExcelReader(self._fh, read_only=True, data_only=True, keep_links=False)
                reader.read_manifest()
                reader.read_strings()
                reader.read_workbook()
                reader.read_custom()
                apply_stylesheet(reader.archive, reader.wb)
                self.parts = {
                    sheet.name: rel.target
                    for sheet, rel in reader.parser.find_sheets()
                    if rel.Type.endswith("/worksheet") and rel.target in reader.valid_files
                }
        except Exception as exc:  # noqa: BLE001 - openpyxl raises many types on damaged input; each is a finding
            self._fh.close()
            cause = exc.__cause__ or exc
            if isinstance(cause, DefusedXmlException) or isinstance(exc, DefusedXmlException):
                raise safety.Refusal(
                    finding(
                        file,
                        None,
                        "unsafe-workbook",
                        "the workbook's XML declares entities or a document type, which are refused",
                        "spreadsheet programs never write this: ask for the report again",
                    )
                ) from None
            raise safety.Refusal(
                finding(
                    file,
                    None,
                    "unreadable",
                    f"the workbook is damaged and cannot be read ({type(cause).__name__}: {quote(str(cause), 120)})",
                    "open it in Excel or LibreOffice and save it again as 'Excel Workbook (.xlsx)'",
                )
            ) from None
        self.archive = reader.archive
        self.wb: Any = reader.wb
        self.strings: list[Any] = reader.shared_strings

    def close(self) -> None:
        self.archive.close()
        self._fh.close()

    def __enter__(self) -> Book:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def identity(self) -> tuple[str, int] | None:
        """Member and year from the document properties the template writes."""
        props = {p.name: p.value for p in getattr(self.wb, "custom_doc_props", [])}
        member, year = props.get(layout.MEMBER_PROPERTY), props.get(layout.YEAR_PROPERTY)
        if not isinstance(member, str) or not member.strip():
            return None
        try:  # LibreOffice saves the year as a real number (2015.0), others as text
            number = float(str(year).strip())
        except ValueError:
            return None
        if not number.is_integer():
            return None
        return member.strip().upper(), int(number)

    def sheets(self) -> dict[str, str]:
        """The report sheets present: kind -> the sheet's name as written."""
        found: dict[str, str] = {}
        for name in self.parts:
            kind = layout.REPORT_SHEETS.get(name.strip().lower())
            if kind is not None and kind not in found:
                found[kind] = name
        return found


def workbook_reports(path: str, plan: Plan) -> tuple[list[ReportFile], list[Finding]]:
    """The report files a workbook stands for (its Indicators and Actions sheets), or the findings that stop it.

    Raises MissingDependency when openpyxl or defusedxml is not installed.
    """
    file = display_path(path)
    try:
        with Book(path, file) as book:
            identity = book.identity() or layout.identity_from_path(path)
            sheets = book.sheets()
    except safety.Refusal as refusal:
        return [], [refusal.finding]
    if identity is None:
        return [], [
            finding(
                file,
                None,
                "bad-path",
                "the workbook does not say which member and year it reports (it was not made by `aseanwp template "
                "--format xlsx`), and its name is not <CODE>/<YEAR>.xlsx",
                "start from `aseanwp template CODE YEAR --format xlsx`, or name the file like LAO/2015.xlsx",
            )
        ]
    if not sheets:
        return [], [
            finding(
                file,
                None,
                "missing-sheet",
                f"the workbook has no sheet named {layout.INDICATORS} or {layout.ACTIONS}",
                f"put the figures on a sheet named {layout.INDICATORS} (and the actions on one named "
                f"{layout.ACTIONS}), as in `aseanwp template CODE YEAR --format xlsx`",
            )
        ]
    code, year = identity
    yes_no = frozenset(i.id for i in plan.indicators if i.unit == "yes_no")
    kinds: tuple[Kind, ...] = ("indicators", "actions")
    files = [
        ReportFile(path, file, code, year, kind, WorkbookSheet(path, file, sheets[kind], kind, yes_no))
        for kind in kinds
        if kind in sheets
    ]
    return files, []


# --- one sheet -----------------------------------------------------------------------------------------------


class WorkbookSheet:
    """One report sheet of a workbook (a ``reports.Sheet``): opened for reading, and where findings point.

    After it has been opened, it knows which sheet column each cell of a record came from, so that every
    finding can name its cell (``Indicators!E12``).
    """

    def __init__(self, path: str, file: str, name: str, kind: Kind, yes_no: frozenset[str]) -> None:
        self.path, self.file, self.name, self.kind, self.yes_no = path, file, name, kind, yes_no
        self.columns: list[int] = []  # for each cell of a record, its sheet column (1-based)
        self.by_name: dict[str, int] = {}  # header name (trimmed, lower case) -> sheet column

    def open(self, sink: Sink) -> SheetSource:
        return SheetSource(self, sink)

    def cell(self, row: int, column: int | None) -> str:
        return f"{self.name}!{letter(column)}{row}" if column else f"{self.name}!{row}:{row}"

    def locate(self, f: Finding) -> Finding:
        """The finding with its cell; findings about the whole file are kept as they are.

        ``col`` (a character position in a CSV line, for GitHub) has no meaning in a workbook and is left out."""
        if f.cell is not None or f.line is None:
            return f
        column = None
        if f.field is not None and 0 < f.field <= len(self.columns):
            column = self.columns[f.field - 1]
        elif f.column:
            column = self.by_name.get(f.column.strip().lower())
        return replace(f, cell=self.cell(f.line, column), col=None)


class SheetSource:
    """The records of one sheet (a ``reports.Source``): the header row, then each row with a cell filled."""

    def __init__(self, sheet: WorkbookSheet, sink: Sink) -> None:
        self.sheet, self.sink = sheet, sink
        self.header: list[str] | None = None
        self.header_line = 0
        self._book: Book | None = None
        self._stream: IO[bytes] | None = None
        self._rows: Iterator[tuple[int, dict[int, Raw]]] = iter(())
        self._pending: list[tuple[int, dict[int, Raw]]] = []
        self._width = 0
        self._index: dict[str, int] = {}
        self._failed = False  # the sheet could not be read (its finding is written)

    def __enter__(self) -> SheetSource:
        sheet = self.sheet
        try:
            self._book = book = Book(sheet.path, sheet.file)
            self._strings: list[Any] = book.strings
            dates = frozenset(getattr(book.wb, "_date_formats", ()))
            self._formats = Formats(dates, percent_styles(book.wb), book.wb.epoch)
            self._stream = book.archive.open(book.parts[sheet.name])
        except safety.Refusal as refusal:
            self.sink(refusal.finding)
            return self
        except (KeyError, OSError, ValueError) as exc:  # a sheet listed but missing from the package
            self.sink(finding(sheet.file, None, "unreadable", f"the sheet {sheet.name} cannot be read ({exc})", ""))
            return self
        self._rows = self._raw_rows(self._stream)
        self._find_header()
        return self

    def __exit__(self, *exc: object) -> None:
        if self._stream is not None:
            self._stream.close()
        if self._book is not None:
            self._book.close()

    # -- the header ---------------------------------------------------------------------------------------
    def _find_header(self) -> None:
        """The header is the first row holding the sheet's key column name (``indicator``, ``action``) among the
        first rows, so title rows above it are passed over; failing that, the first row with anything in it."""
        key = layout.HEADER_KEY[self.sheet.kind]
        at = 0
        for number, raw in self._rows:
            names = {plain_text(c, self._strings).strip().lower() for c in raw.values()} - {""}
            if not names:
                continue
            self._pending.append((number, raw))
            if key in names:
                at = len(self._pending) - 1
                break
            if len(self._pending) >= HEADER_SEARCH:
                break
        if not self._pending:
            if not self._failed:
                self.sink(
                    finding(
                        self.sheet.file,
                        None,
                        "empty-file",
                        f"the sheet {self.sheet.name} is empty",
                        "start from `aseanwp template CODE YEAR --format xlsx`",
                    )
                )
            return
        number, raw = self._pending[at]
        self._pending = self._pending[at + 1 :]
        texts = {c: plain_text(cell, self._strings) for c, cell in raw.items()}
        self._width = max((c for c, t in texts.items() if t.strip()), default=0)
        drop = layout.DISPLAY_COLUMNS[self.sheet.kind]
        kept = [c for c in range(1, self._width + 1) if texts.get(c, "").strip().lower() not in drop]
        self.sheet.columns = kept
        self.sheet.by_name = {texts.get(c, "").strip().lower(): c for c in kept}
        self.header = [texts.get(c, "") for c in kept]
        self.header_line = number
        self._index = {name: i for i, name in enumerate(h.strip().lower() for h in self.header)}

    # -- the rows -----------------------------------------------------------------------------------------
    def records(self) -> Iterator[tuple[int, list[str]]]:
        """Each row after the header with its sheet row number, as cells of text; empty rows are skipped."""
        if self.header is None:
            return
        pending, self._pending = self._pending, []
        for number, raw in pending:
            cells = self._cells(number, raw)
            if any(cells):
                yield number, cells
        for number, raw in self._rows:
            cells = self._cells(number, raw)
            if any(cells):
                yield number, cells

    def chunks(self, size: int = 2048) -> Iterator[Chunk]:
        rows: list[list[str]] = []
        lines: list[int] = []
        for line, row in self.records():
            rows.append(row)
            lines.append(line)
            if len(rows) == size:
                yield rows, lines
                rows, lines = [], []
        if rows:
            yield rows, lines

    def _cells(self, number: int, raw: dict[int, Raw]) -> list[str]:
        columns, sheet = self.sheet.columns, self.sheet
        outside = [c for c in raw if c > self._width and plain_text(raw[c], self._strings).strip()]
        if outside:
            first = min(outside)
            self.sink(
                finding(
                    sheet.file,
                    number,
                    "row-length",
                    f"the row has a cell outside the table, in column {letter(first)}, which has no header",
                    "move it into the notes column, or delete it",
                    cell=sheet.cell(number, first),
                )
            )
        at = self._index.get("indicator")
        yes_no = at is not None and plain_text(raw.get(columns[at]), self._strings).strip() in sheet.yes_no
        cells = []
        for i, column in enumerate(columns):
            cell = raw.get(column)
            if cell is None:
                cells.append("")
                continue
            name = self.header[i].strip().lower() if self.header else ""
            text, problem = render(cell, self._strings, name in layout.FIGURE_COLUMNS, yes_no, self._formats)
            if problem is not None:
                self.sink(
                    finding(
                        sheet.file,
                        number,
                        problem.code,
                        problem.message,
                        problem.hint,
                        self.header[i].strip() if self.header else None,
                        field=i + 1,
                        cell=sheet.cell(number, column),
                    )
                )
            cells.append(text)
        return cells

    def _raw_rows(self, src: IO[bytes]) -> Iterator[tuple[int, dict[int, Raw]]]:
        """``(row number, {column: Raw})`` for each row of the sheet, up to the caps; problems become findings."""
        sheet = self.sheet
        try:
            yield from sheetxml.rows(src)
        except sheetxml.TooLarge as exc:
            self._failed = True  # the rows before it are checked; nothing after it is read
            self.sink(
                finding(
                    sheet.file,
                    exc.row,
                    "too-large",
                    str(exc),
                    exc.hint,
                    cell=sheet.cell(exc.row, None) if exc.row else None,
                )
            )
        except sheetxml.Unsafe:
            self._failed = True
            self.sink(
                finding(
                    sheet.file,
                    None,
                    "unsafe-workbook",
                    f"the sheet {sheet.name} declares XML entities or a document type, which are refused",
                    "spreadsheet programs never write this: ask for the report again",
                )
            )
        except (sheetxml.Damaged, zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError) as exc:
            self._failed = True
            self.sink(
                finding(
                    sheet.file,
                    None,
                    "unreadable",
                    f"the sheet {sheet.name} is damaged ({quote(str(exc), 120)[1:-1]})",
                    "open the workbook in Excel or LibreOffice and save it again",
                )
            )
