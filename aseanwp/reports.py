"""Finding country report files and reading them as a stream of records with their physical line numbers.

Nothing here knows the plan's indicators: this module turns bytes from spreadsheets into (line, cells), and
reports what cannot be read unambiguously as findings.
"""

from __future__ import annotations

import csv
import io
import os
import re
import stat
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from itertools import chain, islice
from typing import Literal, Protocol, cast

from aseanwp.findings import Finding, display_path, finding

MAX_CELL = 1024 * 1024  # SPEC 2.3: a cell over 1 MiB is too large to be real
MAX_FILE = 1024 * 1024 * 1024  # a whole report file over 1 GiB is refused unread
csv.field_size_limit(MAX_CELL)

Kind = Literal["indicators", "actions"]
_NAME = re.compile(r"^(\d{4})(-actions)?\.csv$")
_CODE = re.compile(r"^[A-Z0-9-]{2,12}$")


@dataclass(frozen=True, slots=True)
class ReportFile:
    """A report file, understood from the last two parts of its path: ``<CODE>/<YEAR>[-actions].csv``.

    A sheet of a workbook (``aseanwp.xlsx``) is a report file too: ``sheet`` then reads it, and ``country`` and
    ``year`` come from the workbook.
    """

    path: str
    file: str  # as shown in findings: relative to the current folder, with '/'
    country: str
    year: int
    kind: Kind
    sheet: Sheet | None = None

    @property
    def key(self) -> tuple[str, int, Kind]:
        return (self.country, self.year, self.kind)


def identify(path: str, shown: str | None = None) -> ReportFile | None:
    """Read country, year and kind from a path's last two parts; None when it does not fit the pattern.

    ``shown`` is the path as findings show it, when the caller already has it (``display_path`` by default).
    """
    # The absolute path: `validate 2015.csv` run inside the member's folder has only one part of its own.
    parts = os.path.abspath(path).replace(os.sep, "/").split("/")
    if len(parts) < 2:
        return None
    code, name = parts[-2], parts[-1]
    m = _NAME.match(name)
    if not m or not _CODE.match(code):
        return None
    kind: Kind = "actions" if m.group(2) else "indicators"
    return ReportFile(path, shown if shown is not None else display_path(path), code, int(m.group(1)), kind)


def bad_path(path: str, why: str = "") -> Finding:
    hint = "name it like MMR/2012.csv or MMR/2012-actions.csv, inside the member's folder"
    if not why:
        parts = os.path.abspath(path).replace(os.sep, "/").split("/")
        folder, name = (parts[-2], parts[-1]) if len(parts) >= 2 else ("", parts[-1])
        upper = folder.upper()
        if folder != upper and _CODE.match(upper) and _NAME.match(name.lower()):
            # the one case rule: member codes are upper case (MMR, TH-10); a folder mmr/ is MMR's, misnamed
            why = f"the member folder '{folder}' is not in upper case"
            hint = f"rename the folder to {upper} (member codes are upper case)"
        elif _CODE.match(folder) and name != name.lower() and _NAME.match(name.lower()):
            why = f"the file name '{name}' is not in lower case"
            hint = f"rename the file to {name.lower()}"
    shown = display_path(path)
    return finding(
        shown,
        None,
        "bad-path",
        why or "not a report file: expected <CODE>/<YEAR>.csv or <CODE>/<YEAR>-actions.csv",
        hint,
    )


def ignored(name: str) -> bool:
    """Hidden files (.gitkeep, editor swap files) and READMEs in a reports folder are not reports."""
    return name.startswith(".") or name.lower().startswith("readme")


@dataclass
class Discovery:
    files: list[ReportFile] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)


def is_member_folder(path: str) -> bool:
    """Whether a folder is one member's folder (``<reports>/<CODE>``) rather than a reports folder."""
    name = os.path.basename(os.path.normpath(os.path.abspath(path)))
    if not _CODE.match(name):
        return False
    try:
        return any(_NAME.match(entry) for entry in os.listdir(path))
    except OSError:
        return False


def discover(root: str, level: int = 1) -> Discovery:
    """Every report file under the reports folder; anything else there becomes a finding.

    ``level`` is the depth of the report files: 1 under a reports folder, 0 in one member's folder.
    Symbolic links are followed only when they point to a file inside the folder: never to folders, so never
    into a loop.
    """
    found = Discovery()
    real_root = os.path.realpath(root)

    def visit(folder: str, depth: int) -> None:
        try:
            with os.scandir(folder) as it:
                entries = sorted(it, key=lambda e: e.name)
        except OSError as exc:
            found.findings.append(
                finding(
                    display_path(folder),
                    None,
                    "unreadable",
                    f"cannot read the folder: {exc.strerror}",
                    "check its permissions",
                )
            )
            return
        shown = display_path(folder)  # once per folder: relpath is slow, and there may be thousands of files
        for entry in entries:
            if ignored(entry.name):
                continue
            full = os.path.join(folder, entry.name)
            if entry.is_symlink():
                try:
                    to_folder = entry.is_dir()
                except OSError:  # a link to itself, or a loop of links (ELOOP)
                    to_folder = False
                if to_folder:
                    found.findings.append(
                        bad_path(full, "a symbolic link to a folder: report folders must be real folders")
                    )
                    continue
                target = os.path.realpath(full)
                if not target.startswith(real_root + os.sep) or not os.path.isfile(target):
                    found.findings.append(
                        bad_path(full, "a symbolic link that points outside the reports folder or nowhere")
                    )
                    continue
            elif entry.is_dir(follow_symlinks=False):
                if depth >= level:
                    found.findings.append(
                        bad_path(full, "a folder inside a member's folder: reports sit directly in it")
                    )
                else:
                    visit(full, depth + 1)
                continue
            name = entry.name if shown == "." else f"{shown}/{entry.name}"
            report = identify(full, name) if depth == level else None
            if report is None:
                found.findings.append(bad_path(full))
            else:
                found.files.append(report)

    visit(root, 0)
    return found


# --- reading -------------------------------------------------------------------------------------------------

Sink = Callable[[Finding], None]


class Source(Protocol):
    """An open report: its header, then its records with the line (or sheet row) where each starts."""

    header: list[str] | None
    header_line: int

    def __enter__(self) -> Source: ...

    def __exit__(self, *exc: object) -> None: ...

    def records(self) -> Iterator[tuple[int, list[str]]]: ...

    def chunks(self, size: int = 2048) -> Iterator[Chunk]: ...


class Sheet(Protocol):
    """A report that is not a CSV file (a workbook's sheet): opened as a ``Source``; places findings at cells."""

    def open(self, sink: Sink) -> Source: ...

    def locate(self, f: Finding) -> Finding: ...


_EXCEL_SEP = re.compile(r"sep=([,;\t|])", re.IGNORECASE)


def _detect_delimiter(header: str) -> str:
    """The delimiter of a file, decided from its header line: the most frequent of ',', ';' and tab."""
    counts = {d: header.count(d) for d in (",", ";", "\t")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] > counts[","] else ","


def _locate_bad_byte(path: str) -> tuple[int, int, bytes]:
    """Line (1-based), byte within the line (1-based) and the bytes of the first invalid UTF-8 sequence."""
    with open(path, "rb") as fh:
        for number, raw in enumerate(fh, start=1):
            try:
                raw.decode("utf-8")
            except UnicodeDecodeError as exc:
                return number, exc.start + 1, raw[exc.start : exc.end]
    return 1, 1, b""


def _encoding_finding(path: str, file: str) -> Finding:
    with open(path, "rb") as fh:
        start = fh.read(4)
    if start[:2] in (b"\xff\xfe", b"\xfe\xff"):
        return finding(
            file,
            1,
            "encoding",
            "the file is UTF-16 ('Unicode Text'), not UTF-8",
            "save it as 'CSV UTF-8 (Comma delimited)' from the spreadsheet",
        )
    line, byte, bad = _locate_bad_byte(path)
    shown = " ".join(f"0x{b:02x}" for b in bad[:4])
    return finding(
        file,
        line,
        "encoding",
        f"byte {byte} of line {line} ({shown}) is not UTF-8: the file was saved in another encoding",
        "save it as 'CSV UTF-8' (Excel) or choose the UTF-8 character set (LibreOffice)",
    )


def _not_csv(file: str, head: bytes) -> Finding | None:
    """A file that is not CSV text at all, named for what it is: a workbook saved under a .csv name, or the
    pointer Git LFS leaves in place of a file it stores elsewhere."""
    if head.startswith(b"PK\x03\x04"):
        what = "a spreadsheet workbook (.xlsx or .ods: a zip file), not CSV text"
    elif head.startswith(b"\xd0\xcf\x11\xe0"):
        what = "an old Excel workbook (.xls), not CSV text"
    else:
        what = ""
    if what:
        return finding(
            file,
            None,
            "workbook",
            f"the file is {what}, saved with a .csv name",
            "open it in the spreadsheet and use Save As > 'CSV UTF-8 (Comma delimited) (*.csv)'",
        )
    if head.startswith(b"version https://git-lfs.github.com/spec/"):
        return finding(
            file,
            None,
            "lfs-pointer",
            "the file is a Git LFS pointer, not the report: its content is stored in Git LFS",
            "run `git lfs pull` to fetch it, and keep report files out of LFS (.gitattributes): they are small text",
        )
    return None


def _unreadable(file: str, exc: OSError) -> Finding:
    return finding(file, None, "unreadable", f"cannot read the file: {exc.strerror}", "check its permissions")


Chunk = tuple[list[list[str]], Sequence[int]]


def _breaks(row: list[str]) -> int:
    """Physical line breaks inside a record's cells (a quoted cell may hold CRLF, LF or CR)."""
    return sum(c.count("\n") + c.count("\r") - c.count("\r\n") for c in row)


class CsvFile:
    """One report file opened for reading: the header, then the records, one by one or in chunks.

    Every record comes with the physical line where it starts. What cannot be read goes to ``sink`` as a
    finding; an encoding error or an oversized cell ends the file, since nothing after it can be trusted.
    """

    def __init__(self, path: str, file: str, sink: Sink) -> None:
        self.path, self.file, self.sink = path, file, sink
        self.header: list[str] | None = None
        self.header_line = 0
        self.delimiter = ","
        self._fh: io.TextIOWrapper | None = None
        self._reader: Iterator[list[str]] | None = None
        self._offset = 0  # blank lines before the header
        self._before = 0  # the reader's line count after the last record
        self._done = 0  # records read after the header
        self._ended = False
        self._encoding: Finding | None = None  # an encoding error, reported after the rows before it

    def __enter__(self) -> CsvFile:
        self._open(skip=0)
        return self

    def __exit__(self, *exc: object) -> None:
        if self._fh is not None:
            self._fh.close()

    def _open(self, skip: int) -> None:
        """Open (or reopen) the file, read the header, and pass over ``skip`` records after it."""
        if self._fh is not None:
            self._fh.close()
            self._fh = None
        try:
            st = os.stat(self.path)
            size = st.st_size
            if not stat.S_ISREG(st.st_mode):  # a FIFO or device would block or never end
                self.sink(
                    finding(
                        self.file,
                        None,
                        "unreadable",
                        "not a regular file (a pipe, socket or device)",
                        "save the report as an ordinary file",
                    )
                )
                self._ended = True
                return
            if size > MAX_FILE:
                self.sink(
                    finding(
                        self.file,
                        None,
                        "too-large",
                        f"the file is {size:,} bytes, over {MAX_FILE:,}",
                        "split it",
                    )
                )
                self._ended = True
                return
            self._fh = open(self.path, encoding="utf-8-sig", newline="")  # noqa: SIM115 - closed in __exit__
            # a look at the first bytes, without reading them: the decoder would fail on a workbook's
            head = cast(io.BufferedReader, self._fh.buffer).peek(64)[:64]
            not_csv = _not_csv(self.file, head)
            if not_csv is not None:
                self.sink(not_csv)
                self._ended = True
                return
            self._start(self._fh, skip)
        except UnicodeDecodeError:
            self._start_before_bad_byte(skip)
        except csv.Error as exc:
            self._csv_error(exc)
            self._ended = True
        except OSError as exc:
            self.sink(_unreadable(self.file, exc))
            self._ended = True

    def _start(self, lines: Iterator[str], skip: int) -> None:
        """Read the header from ``lines`` and pass over ``skip`` records after it."""
        self._offset = 0
        delimiter = None
        for first in lines:
            if not first.strip():
                self._offset += 1
                continue
            excel = _EXCEL_SEP.fullmatch(first.strip()) if delimiter is None else None
            if excel is None:
                break
            # Excel's "sep=;" line, written when a sheet is saved for a locale with another list separator:
            # it names the delimiter and is not the header
            delimiter = excel.group(1)
            self._offset += 1
        else:
            if self._encoding is None:  # with an encoding error the file is not empty, only unreadable
                self.sink(
                    finding(
                        self.file,
                        None,
                        "empty-file",
                        "the file has no header and no rows",
                        "start from `aseanwp template`",
                    )
                )
            self._ended = True
            return
        self.delimiter = delimiter or _detect_delimiter(first)
        reader = csv.reader(chain([first], lines), delimiter=self.delimiter, strict=True)
        self._reader = reader
        self.header = next(reader)
        self.header_line = self._offset + 1
        self._before = reader.line_num
        for _ in islice(reader, skip):
            pass
        self._before = reader.line_num
        self._done = skip

    def _start_before_bad_byte(self, skip: int) -> None:
        """Go on with the lines before the first undecodable one; the encoding finding comes at their end.

        The decoder fails a whole block (8 KiB) at a time, so without this the rows just before the bad byte
        would never be checked.
        """
        self._encoding = _encoding_finding(self.path, self.file)
        bad_line = self._encoding.line or 1
        try:
            with open(self.path, "rb") as fh:
                prefix = b"".join(islice(fh, bad_line - 1)).decode("utf-8-sig", errors="replace")
            self._start(io.StringIO(prefix, newline=""), skip)
        except (csv.Error, OSError, StopIteration):
            self._ended = True
        if self._ended:
            self.sink(self._encoding)

    def _csv_error(self, exc: csv.Error) -> bool:
        """Report a csv module error at the current record; True when reading can go on after it."""
        line = self._offset + self._before + 1
        text = str(exc)
        if "field larger" in text:
            self.sink(
                finding(
                    self.file,
                    line,
                    "too-large",
                    f"a cell is over {MAX_CELL // 1024} KiB: too large to be real",
                    "look for a quote that is opened but never closed, or text pasted by mistake",
                )
            )
            return False
        if "unexpected end of data" in text:
            self.sink(
                finding(
                    self.file,
                    line,
                    "unreadable",
                    f"a quote opened in the record on line {line} is never closed",
                    'close the quote, or double it ("") if it is part of the text',
                )
            )
            return False
        self.sink(
            finding(
                self.file,
                line,
                "unreadable",
                f"malformed quoting: {text}",
                'a quoted cell must end right after its closing quote; write a quote inside text as ""',
            )
        )
        return True

    def records(self) -> Iterator[tuple[int, list[str]]]:
        """Each record after the header with its line, skipping blank and all-empty rows."""
        reader = self._reader
        if self._ended or reader is None:
            return
        while True:
            try:
                row = next(reader)
            except StopIteration:
                if self._encoding is not None:
                    self.sink(self._encoding)
                return
            except csv.Error as exc:
                if self._encoding is not None:  # the lines before the bad byte end inside a quoted cell
                    self.sink(self._encoding)
                    return
                self._done += 1
                if not self._csv_error(exc):
                    return
                self._before = reader.line_num  # type: ignore[attr-defined]
                continue
            except UnicodeDecodeError:
                self._start_before_bad_byte(self._done)
                if self._ended or self._reader is None:
                    return
                reader = self._reader
                continue
            except OSError as exc:
                self.sink(_unreadable(self.file, exc))
                return
            start = self._offset + self._before + 1
            self._before = reader.line_num  # type: ignore[attr-defined]
            self._done += 1
            if any(row):
                yield start, row

    def chunks(self, size: int = 2048) -> Iterator[Chunk]:
        """The records in chunks of up to ``size``: ``(rows, lines)``, blank and all-empty rows dropped.

        Reading a chunk is one C-level call, which is most of the speed of ``validate`` on large files. If the
        csv module or the decoder fails inside a chunk, the file is reopened and read record by record from the
        start of that chunk, so every finding keeps its exact line.
        """
        reader = self._reader
        if self._ended or reader is None:
            return
        while True:
            try:
                rows = list(islice(reader, size))
            except (csv.Error, UnicodeDecodeError, OSError):
                self._open(skip=self._done)
                for line, row in self.records():
                    yield [row], (line,)
                return
            if not rows:
                if self._encoding is not None:
                    self.sink(self._encoding)
                return
            after = reader.line_num  # type: ignore[attr-defined]
            start = self._offset + self._before + 1
            lines: Sequence[int]
            if after - self._before == len(rows):
                lines = range(start, start + len(rows))
            else:
                lines = []
                at = start
                for row in rows:
                    lines.append(at)
                    at += 1 + _breaks(row)
            self._done += len(rows)
            self._before = after
            if [] in rows:  # blank lines; rows of empty cells are skipped by the row checks
                keep = [i for i, r in enumerate(rows) if r]
                rows = [rows[i] for i in keep]
                lines = [lines[i] for i in keep]
                if not rows:
                    continue
            yield rows, lines


def open_report(rf: ReportFile, sink: Sink) -> Source:
    """The report's records, from its CSV file or its workbook sheet."""
    return rf.sheet.open(sink) if rf.sheet is not None else CsvFile(rf.path, rf.file, sink)


def report_records(rf: ReportFile, sink: Sink) -> Iterator[tuple[int, list[str]]]:
    """``(line, cells)`` for the header and then each record of a report (see ``CsvFile``)."""
    with open_report(rf, sink) as f:
        if f.header is None:
            return
        yield f.header_line, f.header
        yield from f.records()
