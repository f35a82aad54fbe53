"""Findings: one record type for every problem the tool reports, and its renderings (text, json, github)."""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Literal

Severity = Literal["error", "warning"]

#: Codes whose findings are warnings; every other code is an error.
WARNING_CODES = frozenset({"missing-baseline", "missing-report", "jump", "no-figures"})

#: Findings only a workbook can have (``aseanwp.xlsx``); listed here so that the codes live in one module.
WORKBOOK_CODES = frozenset(
    {
        "unsafe-workbook",  # a zip bomb, XML entities or a DTD, macros, too many parts
        "encrypted-workbook",  # saved with a password to open
        "unsupported-workbook",  # not an .xlsx: .xls, .xlsb, .ods, a renamed CSV or web page
        "missing-sheet",  # neither an Indicators nor an Actions sheet
        "cell-error",  # an error value such as #N/A or #DIV/0!
        "uncalculated-formula",  # a formula whose result was never calculated and saved
    }
)


@dataclass(frozen=True, slots=True)
class Finding:
    """One problem in one place. ``line`` is 1-based; ``column`` names the column of a cell.

    In a workbook, ``line`` is the sheet's row and ``cell`` says where, as a spreadsheet does: ``Indicators!E12``
    (``Indicators!12:12`` for a whole row).
    """

    file: str
    line: int | None
    code: str
    message: str
    hint: str = ""
    column: str | None = None
    severity: Severity = "error"
    #: 1-based position of ``column`` in the header, for GitHub's ``col=``; not part of the JSON record.
    col: int | None = None
    cell: str | None = None

    def sort_key(self) -> tuple[str, str, int, str, int]:
        # a workbook's findings are ordered sheet by sheet: rows of two sheets would otherwise interleave
        sheet = self.cell.rpartition("!")[0] if self.cell else ""
        return (self.file, sheet, self.line or 0, self.code, self.col or 0)

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "file": self.file,
            "line": self.line,
            "column": self.column,
            "code": self.code,
            "severity": self.severity,
            "message": self.message,
            "hint": self.hint,
        }
        if self.cell is not None:  # workbooks only: CSV findings keep their shape
            out["cell"] = self.cell
        return out


def display_path(path: str | os.PathLike[str]) -> str:
    """A path relative to the current folder, with ``/`` separators; absolute when outside it (`/srv/reports`
    read as `../../srv/reports` is a puzzle) or on another drive."""
    p = os.fspath(path)
    try:
        rel = os.path.relpath(p)
    except ValueError:
        rel = os.path.abspath(p)
    if rel == os.pardir or rel.startswith(os.pardir + os.sep):
        rel = os.path.abspath(p)
    return rel.replace(os.sep, "/")


def finding(
    file: str,
    line: int | None,
    code: str,
    message: str,
    hint: str = "",
    column: str | None = None,
    col: int | None = None,
    cell: str | None = None,
) -> Finding:
    """Build a finding, taking its severity from its code."""
    severity: Severity = "warning" if code in WARNING_CODES else "error"
    return Finding(file, line, code, message, hint, column, severity, col, cell)


def ordered(findings: Iterable[Finding]) -> list[Finding]:
    """Findings ordered by file, line, code (SPEC 2.4); stable for the rest."""
    return sorted(findings, key=Finding.sort_key)


def count(findings: Sequence[Finding]) -> tuple[int, int]:
    """(errors, warnings)."""
    errors = sum(1 for f in findings if f.severity == "error")
    return errors, len(findings) - errors


# --- renderings -------------------------------------------------------------------------------------------


def render_text(findings: Sequence[Finding]) -> str:
    """Human text, grouped by file: ``file:line: error[code] message`` then the column and hint, indented."""
    from aseanwp.textsafe import clean

    out: list[str] = []
    current: str | None = None
    for f in findings:
        if f.file != current:
            if current is not None:
                out.append("")
            current = f.file
        where = clean(f"{f.file}:{f.cell}" if f.cell else f"{f.file}:{f.line}" if f.line is not None else f.file)
        out.append(f"{where}: {f.severity}[{f.code}] {clean(f.message)}")
        if f.column:
            out.append(f"    column: {clean(f.column)}")
        if f.hint:
            out.append(f"    hint: {clean(f.hint)}")
    return "\n".join(out) + ("\n" if out else "")


def summary_line(findings: Sequence[Finding], files: int) -> str:
    errors, warnings = count(findings)

    def n(k: int, word: str) -> str:
        return f"{k} {word}" + ("" if k == 1 else "s")

    verdict = "invalid" if errors else "valid"
    return f"plan and {n(files, 'report file')} checked: {n(errors, 'error')}, {n(warnings, 'warning')} ({verdict})"


def render_json(findings: Sequence[Finding], files: int) -> str:
    errors = [f.to_dict() for f in findings if f.severity == "error"]
    warnings = [f.to_dict() for f in findings if f.severity == "warning"]
    doc = {"format_version": 1, "valid": not errors, "files": files, "errors": errors, "warnings": warnings}
    from aseanwp.textsafe import json_safe

    return json_safe(json.dumps(doc, indent=2, ensure_ascii=False)) + "\n"


def _escape_data(s: str) -> str:
    return s.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(s: str) -> str:
    return _escape_data(s).replace(":", "%3A").replace(",", "%2C")


def render_github(findings: Sequence[Finding]) -> str:
    """GitHub Actions workflow commands, one per finding, escaped as the runner requires."""
    from aseanwp.textsafe import clean

    lines = []
    for f in findings:
        props = [f"file={_escape_property(clean(f.file, keep_line_breaks=True))}"]
        if f.line is not None:
            props.append(f"line={f.line}")
        if f.col is not None:
            props.append(f"col={f.col}")
        props.append(f"title={_escape_property('aseanwp ' + f.code)}")
        message = clean(f.message + (f" ({f.hint})" if f.hint else ""), keep_line_breaks=True)
        lines.append(f"::{f.severity} {','.join(props)}::{_escape_data(message)}")
    return "\n".join(lines) + ("\n" if lines else "")
