"""Findings: one record type for every problem the tool reports, and its renderings (text, json, github)."""

from __future__ import annotations

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
    #: 1-based character position in ``line`` where the cell starts, for GitHub's ``col=`` (set from ``field``
    #: by ``positions.locate``); None when no cell is concerned or the cell starts on a later line.
    col: int | None = None
    #: 1-based number of the cell in its record; neither is part of the JSON record.
    field: int | None = None
    cell: str | None = None

    def sort_key(self) -> tuple[str, str, int, str, int]:
        # a workbook's findings are ordered sheet by sheet: rows of two sheets would otherwise interleave
        sheet = self.cell.rpartition("!")[0] if self.cell else ""
        return (self.file, sheet, self.line or 0, self.code, self.field or 0)

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
    field: int | None = None,
    cell: str | None = None,
) -> Finding:
    """Build a finding, taking its severity from its code. ``field`` is the cell's 1-based number in its record."""
    severity: Severity = "warning" if code in WARNING_CODES else "error"
    return Finding(file, line, code, message, hint, column, severity, field=field, cell=cell)


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
    from aseanwp.textsafe import visible

    out: list[str] = []
    current: str | None = None
    for f in findings:
        if f.file != current:
            if current is not None:
                out.append("")
            current = f.file
        where = visible(f"{f.file}:{f.cell}" if f.cell else f"{f.file}:{f.line}" if f.line is not None else f.file)
        out.append(f"{where}: {f.severity}[{f.code}] {visible(f.message)}")
        if f.column:
            out.append(f"    column: {visible(f.column)}")
        if f.hint:
            out.append(f"    hint: {visible(f.hint)}")
    return "\n".join(out) + ("\n" if out else "")


def is_valid(findings: Sequence[Finding], strict: bool = False) -> bool:
    """No errors; under ``strict`` (the gate on submissions) no warnings either."""
    errors, warnings = count(findings)
    return not errors and not (strict and warnings)


def summary_line(findings: Sequence[Finding], files: int, strict: bool = False) -> str:
    errors, warnings = count(findings)

    def n(k: int, word: str) -> str:
        return f"{k} {word}" + ("" if k == 1 else "s")

    if is_valid(findings, strict):
        verdict = "valid"
    elif errors:
        verdict = "invalid"
    else:
        verdict = "invalid: --strict fails on warnings"
    return f"plan and {n(files, 'report file')} checked: {n(errors, 'error')}, {n(warnings, 'warning')} ({verdict})"


def render_json(findings: Sequence[Finding], files: int, strict: bool = False) -> str:
    errors = [f.to_dict() for f in findings if f.severity == "error"]
    warnings = [f.to_dict() for f in findings if f.severity == "warning"]
    doc = {
        "format_version": 1,
        "valid": is_valid(findings, strict),
        "strict": strict,
        "files": files,
        "errors": errors,
        "warnings": warnings,
    }
    from aseanwp import jsontext
    from aseanwp.textsafe import json_safe

    return json_safe(jsontext.dumps(doc)) + "\n"


def _escape_data(s: str) -> str:
    return s.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(s: str) -> str:
    return _escape_data(s).replace(":", "%3A").replace(",", "%2C")


def render_github(findings: Sequence[Finding]) -> str:
    """GitHub Actions workflow commands, one per finding, escaped as the runner requires."""
    from aseanwp.textsafe import clean, visible

    lines = []
    for f in findings:
        props = [f"file={_escape_property(clean(f.file, keep_line_breaks=True))}"]  # the real name: GitHub finds it
        if f.line is not None:
            props.append(f"line={f.line}")
        if f.col is not None:
            props.append(f"col={f.col}")
        props.append(f"title={_escape_property('aseanwp ' + f.code)}")
        message = visible(f.message + (f" ({f.hint})" if f.hint else ""), keep_line_breaks=True)
        lines.append(f"::{f.severity} {','.join(props)}::{_escape_data(message)}")
    return "\n".join(lines) + ("\n" if lines else "")


# GitHub's job summary is Markdown with HTML: cell text must neither end its cell ('|', a line break) nor become
# markup (emphasis, code, links, autolinks, mentions, math, HTML). CommonMark lets a backslash escape any ASCII
# punctuation; these are the ones with a meaning there or in GitHub's extensions, '<', '>' and '&' as entities.
_MD_ESCAPES = {c: "\\" + c for c in "\\`*_{}[]()#+-.!|~:@$^"}
_MD_ESCAPES.update({"&": "&amp;", "<": "&lt;", ">": "&gt;", "\r": " ", "\n": " "})
_MD_TABLE = str.maketrans(_MD_ESCAPES)
SUMMARY_ROWS = 1000  # a job summary is at most 1 MiB


def markdown_cell(text: str) -> str:
    """Text made safe for one cell of a Markdown table: shown literally, on one line."""
    from aseanwp.textsafe import visible

    return visible(text).translate(_MD_TABLE)


def render_summary(findings: Sequence[Finding], files: int, strict: bool = False) -> str:
    """Every finding as a Markdown table, for GitHub's job summary (annotations stop at 10 of each kind)."""
    out = [f"### aseanwp validate: {markdown_cell(summary_line(findings, files, strict))}", ""]
    if findings:
        out += ["| | file | line | column | code | message | hint |", "|---|---|---|---|---|---|---|"]
        for f in findings[:SUMMARY_ROWS]:
            cells = [
                f.severity,
                f.file,
                "" if f.line is None else str(f.line),
                f.column or "",
                f.code,
                f.message,
                f.hint,
            ]
            out.append("| " + " | ".join(markdown_cell(c) for c in cells) + " |")
        if len(findings) > SUMMARY_ROWS:
            out += ["", f"and {len(findings) - SUMMARY_ROWS:,} more findings: run `aseanwp validate` to see them all."]
    return "\n".join(out) + "\n\n"
