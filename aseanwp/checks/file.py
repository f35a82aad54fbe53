"""One report file checked from end to end: path, header, then its rows as they stream past."""

from __future__ import annotations

from aseanwp import meter
from aseanwp.checks.action_rows import action_rows
from aseanwp.checks.common_cells import Conflicts
from aseanwp.checks.emitter import Emitter
from aseanwp.checks.header import header_columns
from aseanwp.checks.indicator_rows import IndicatorFile
from aseanwp.checks.sink import CappedSink
from aseanwp.findings import Finding, finding
from aseanwp.plan import Plan, suggest
from aseanwp.positions import locate
from aseanwp.reports import CsvFile, ReportFile, open_report


def check_file(plan: Plan, rf: ReportFile, out: list[Finding], emit: Emitter | None = None) -> int:
    """Check one report file, appending findings to ``out``; valid rows go to ``emit``. Returns rows read."""
    sink = CappedSink(out)
    if plan.member(rf.country) is None:
        close = suggest(rf.country, plan.member_codes)
        sink(
            finding(
                rf.file,
                None,
                "unknown-country",
                f"'{rf.country}' is not a member code of the plan",
                f"did you mean '{close}'?" if close else f"use one of: {', '.join(plan.member_codes)}",
            )
        )
        return 0
    if rf.year not in plan.years:
        sink(
            finding(
                rf.file,
                None,
                "year-out-of-range",
                f"{rf.year} is outside the plan's years {plan.baseline_year}-{plan.period.end}",
                "the baseline year's report and one per year of the period",
            )
        )
        return 0
    rows = 0
    start = len(out)
    with open_report(rf, sink) as f:
        if f.header is None:
            sink.close(rf.file)
            return 0
        width = len(f.header)
        if Conflicts(rf, sink).marker(f.header_line, f.header):
            columns = None  # the header itself is in conflict: the rows cannot be read by it
        else:
            columns = header_columns(plan, rf, f.header_line, f.header, sink)
        if columns is None:
            for chunk, _ in f.chunks():  # still read to the end: encoding problems further down are found too
                rows += len(chunk)
                meter.rows(len(chunk))
        elif rf.kind == "indicators":
            checker = IndicatorFile(plan, rf, columns, width, sink, emit)
            for chunk, lines in f.chunks():
                rows += len(chunk)
                meter.rows(len(chunk))
                if checker.accept(chunk, lines):
                    checker.take(chunk, lines)
                else:
                    for row, line in zip(chunk, lines, strict=True):
                        checker.check_row(line, row)
            checker.finish()
        else:
            rows = action_rows(plan, rf, columns, width, f.records(), sink, emit)
    sink.close(rf.file)
    if isinstance(f, CsvFile):  # a workbook's findings are placed at their cells instead (reports.Sheet)
        locate(rf.path, f.delimiter, out, start)
    return rows
