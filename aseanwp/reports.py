"""Finding country report files and reading them as a stream of records with their physical line numbers.

Nothing here knows the plan's indicators: this module turns bytes from spreadsheets into (line, cells), and
reports what cannot be read unambiguously as findings.
"""

from __future__ import annotations

import csv
import os
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from itertools import chain
from typing import Literal

from aseanwp.findings import Finding, display_path, finding

MAX_CELL = 1024 * 1024  # SPEC 2.3: a cell over 1 MiB is too large to be real
MAX_FILE = 1024 * 1024 * 1024  # a whole report file over 1 GiB is refused unread
csv.field_size_limit(MAX_CELL)

Kind = Literal["indicators", "actions"]
_NAME = re.compile(r"^(\d{4})(-actions)?\.csv$")
_CODE = re.compile(r"^[A-Z0-9-]{2,12}$")


@dataclass(frozen=True, slots=True)
class ReportFile:
    """A report file, understood from the last two parts of its path: ``<CODE>/<YEAR>[-actions].csv``."""

    path: str
    file: str  # as shown in findings: relative to the current folder, with '/'
    country: str
    year: int
    kind: Kind

    @property
    def key(self) -> tuple[str, int, Kind]:
        return (self.country, self.year, self.kind)


def identify(path: str) -> ReportFile | None:
    """Read country, year and kind from a path's last two parts; None when it does not fit the pattern."""
    parts = os.path.normpath(path).replace(os.sep, "/").split("/")
    if len(parts) < 2:
        return None
    code, name = parts[-2], parts[-1]
    m = _NAME.match(name)
    if not m or not _CODE.match(code):
        return None
    kind: Kind = "actions" if m.group(2) else "indicators"
    return ReportFile(path, display_path(path), code, int(m.group(1)), kind)


def bad_path(path: str, why: str = "") -> Finding:
    return finding(
        display_path(path),
        None,
        "bad-path",
        why or "not a report file: expected <CODE>/<YEAR>.csv or <CODE>/<YEAR>-actions.csv",
        "name it like MMR/2012.csv or MMR/2012-actions.csv, inside the member's folder",
    )


def _ignored(name: str) -> bool:
    # Hidden files (.gitkeep, editor swap files) and READMEs are not reports.
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
    Symbolic links are followed only when they stay inside the folder, and never into a loop.
    """
    found = Discovery()
    real_root = os.path.realpath(root)
    for dirpath, dirnames, filenames in os.walk(root, followlinks=False, onerror=None):
        dirnames.sort()
        depth = 0 if os.path.samefile(dirpath, root) else os.path.relpath(dirpath, root).count(os.sep) + 1
        for d in list(dirnames):
            full = os.path.join(dirpath, d)
            if _ignored(d):
                dirnames.remove(d)
            elif os.path.islink(full):
                dirnames.remove(d)
                found.findings.append(bad_path(full, "a symbolic link to a folder: report folders must be real folders"))
            elif depth >= level:
                dirnames.remove(d)
                found.findings.append(bad_path(full, "a folder inside a member's folder: reports sit directly in it"))
        for name in sorted(filenames):
            if _ignored(name):
                continue
            full = os.path.join(dirpath, name)
            if os.path.islink(full):
                target = os.path.realpath(full)
                if not target.startswith(real_root + os.sep) or not os.path.isfile(target):
                    found.findings.append(
                        bad_path(full, "a symbolic link that points outside the reports folder or nowhere")
                    )
                    continue
            report = identify(full) if depth == level else None
            if report is None:
                found.findings.append(bad_path(full))
            else:
                found.files.append(report)
    return found


# --- reading -------------------------------------------------------------------------------------------------

Sink = Callable[[Finding], None]


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


def records(path: str, file: str, sink: Sink) -> Iterator[tuple[int, list[str]]]:
    """Yield ``(line, cells)`` for the header and then each record, skipping blank and all-empty rows.

    ``line`` is the physical line where the record starts. What cannot be read goes to ``sink`` as a finding;
    an encoding error or an oversized cell ends the file, since nothing after it can be trusted.
    """
    try:
        size = os.stat(path).st_size
    except OSError as exc:
        sink(finding(file, None, "unreadable", f"cannot read the file: {exc.strerror}", "check its permissions"))
        return
    if size > MAX_FILE:
        sink(finding(file, None, "too-large", f"the file is {size:,} bytes, over {MAX_FILE:,}", "split the file"))
        return
    try:
        fh = open(path, encoding="utf-8-sig", newline="")  # noqa: SIM115 - closed in finally
    except OSError as exc:
        sink(finding(file, None, "unreadable", f"cannot read the file: {exc.strerror}", "check its permissions"))
        return
    offset = 0  # blank lines before the header
    reader = None
    try:
        for first in fh:
            if first.strip():
                break
            offset += 1
        else:
            sink(finding(file, None, "empty-file", "the file has no header and no rows", "start from `aseanwp template`"))
            return
        reader = csv.reader(chain([first], fh), delimiter=_detect_delimiter(first), strict=True)
        before = 0
        while True:
            try:
                row = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:
                line = offset + before + 1
                text = str(exc)
                if "field larger" in text:
                    sink(
                        finding(
                            file,
                            line,
                            "too-large",
                            f"a cell is over {MAX_CELL // 1024} KiB: too large to be real",
                            "look for a quote that is opened but never closed, or text pasted by mistake",
                        )
                    )
                    return
                if "unexpected end of data" in text:
                    sink(
                        finding(
                            file,
                            line,
                            "unreadable",
                            f"a quote opened in the record on line {line} is never closed",
                            'close the quote, or double it ("") if it is part of the text',
                        )
                    )
                    return
                sink(
                    finding(
                        file,
                        line,
                        "unreadable",
                        f"malformed quoting: {text}",
                        'a quoted cell must end right after its closing quote; write a quote inside text as ""',
                    )
                )
                before = reader.line_num
                continue
            start = offset + before + 1
            before = reader.line_num
            if any(row):
                yield start, row
    except UnicodeDecodeError:
        sink(_encoding_finding(path, file))
    except OSError as exc:
        sink(finding(file, None, "unreadable", f"cannot read the file: {exc.strerror}", "check its permissions"))
    finally:
        fh.close()
