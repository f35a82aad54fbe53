"""``validate``: which files to check, the per-file checks in order, and the warnings across files."""

from __future__ import annotations

import gc
import os
from collections import defaultdict
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from aseanwp.checked import CheckedFiles
from aseanwp.findings import Finding, display_path, finding, ordered
from aseanwp.meter import measuring
from aseanwp.plan import Plan
from aseanwp.reports import ReportFile, bad_path, discover, identify, is_member_folder
from aseanwp.xlsx import is_workbook_path

if TYPE_CHECKING:
    from aseanwp.checks import Emitted, Emitter


class InputError(Exception):
    """A missing or unreadable input (exit code 1)."""


@dataclass
class Outcome:
    findings: list[Finding]
    files: int  # report files reported on
    invalid: set[str] = field(default_factory=set)  # files (as shown) with errors
    found: list[ReportFile] = field(default_factory=list)  # every report file of the reports folder

    @property
    def errors(self) -> int:
        return sum(1 for f in self.findings if f.severity == "error")

    @property
    def warnings(self) -> int:
        return len(self.findings) - self.errors


class CrossFile:
    """The warnings across files (SPEC 2.4), from a stream of valid rows in (country, year) order.

    Memory is held to what the checks need: per member, the last value of each series, and only while a later
    file of that member is still to come.

    A finding that involves two files is said on both (``echoes``): a pull request that revises only the
    earlier year must not pass green because the warning lands on a later file it did not touch.
    """

    def __init__(self, plan: Plan, then: Emitter | None = None, enabled: bool = True) -> None:
        self.plan = plan
        self.then = then
        self.enabled = enabled  # False: only forward to ``then`` (a caller with no use for the warnings)
        self.factor = plan.progress.jump_factor
        self.findings: list[Finding] = []
        # the same findings said from the other file's side: (finding, the first finding's file, always shown)
        self.echoes: list[tuple[Finding, str, bool]] = []
        self.country = ""
        self.keep = False
        # by series: the last value, with its year, file and line
        self.last: dict[tuple[str, tuple[str, ...]], tuple[int, float | None, str, int]] = {}
        self.baseline: dict[str, set[str]] = defaultdict(set)  # by member: indicators with a baseline value
        self.baseline_file: dict[str, str] = {}  # by member: its baseline report, as shown
        # by member: each indicator's first value after the baseline year, as (file, line)
        self.first_value: dict[str, dict[str, tuple[str, int]]] = defaultdict(dict)

    def start_file(self, rf: ReportFile, later_files: bool) -> None:
        if rf.country != self.country:
            self.country = rf.country
            self.last = {}
        self.keep = later_files and self.enabled

    @property
    def per_row(self) -> bool:
        """Rows are needed for the jump check only when an earlier or a later file of the member exists."""
        return self.then is not None or self.keep or bool(self.last)

    def indicators(self, rf: ReportFile, first_value: dict[str, int]) -> None:
        if self.enabled and rf.year == self.plan.baseline_year:
            self.baseline[rf.country].update(first_value)
            self.baseline_file[rf.country] = rf.file
        elif self.enabled:
            known = self.first_value[rf.country]
            for indicator in first_value.keys() - known.keys():  # after a member's first file, usually none
                known[indicator] = (rf.file, first_value[indicator])
        if self.then is not None:
            self.then.indicators(rf, first_value)

    def values(self, rf: ReportFile, rows: list[Emitted]) -> None:
        if self.keep or self.last:  # the jump check needs an earlier or a later file of the member
            last, factor, keep, year = self.last, self.factor, self.keep, rf.year
            for line, indicator, dims, value, _, _, flags, _, _ in rows:
                key = (indicator, dims)
                if flags and "break" in flags:
                    last.pop(key, None)
                elif value is not None:
                    prev = last.get(key)
                    if prev is not None and prev[1] and value:
                        ratio = value / prev[1] if value > prev[1] else prev[1] / value
                        if ratio > factor:
                            self._jump(rf, line, indicator, prev, value, ratio)
                if keep and value is not None:
                    last[key] = (year, value, rf.file, line)
        if self.then is not None:
            self.then.values(rf, rows)

    def _jump(
        self,
        rf: ReportFile,
        line: int,
        indicator: str,
        prev: tuple[int, float | None, str, int],
        value: float,
        ratio: float,
    ) -> None:
        hint = "check the unit (kg or t? tablets or millions?); if the figure is right, note why"
        year, before, file, at = prev
        times = f"{indicator} changes {ratio:,.1f} times"
        self.findings.append(
            finding(
                rf.file, line, "jump", f"{times} from {_figure(before)} in {year} to {_figure(value)}", hint, "value"
            )
        )
        self.echoes.append(
            (
                finding(
                    file,
                    at,
                    "jump",
                    f"{times} from {_figure(before)} here to {_figure(value)} in {rf.year} ({rf.file}:{line})",
                    hint,
                    "value",
                ),
                rf.file,
                True,
            )
        )

    def action(self, rf: ReportFile, line: int, action: str, status: str, source: str, notes: str) -> None:
        if self.then is not None:
            self.then.action(rf, line, action, status, source, notes)

    def close(self) -> None:
        found = ((c, i, at) for c, known in self.first_value.items() for i, at in known.items())
        base = self.plan.baseline_year
        for country, indicator, (file, line) in sorted(found):
            if indicator not in self.baseline.get(country, ()):
                self.findings.append(
                    finding(
                        file,
                        line,
                        "missing-baseline",
                        f"{country} reports {indicator} but has no {base} (baseline) value for it",
                        f"add the {base} figure to {country}/{base}.csv if one "
                        "exists; otherwise progress is measured from the earliest later year",
                        "indicator",
                    )
                )
                baseline_file = self.baseline_file.get(country)
                if baseline_file is not None:  # said there only when the later file is not reported on
                    self.echoes.append(
                        (
                            finding(
                                baseline_file,
                                None,
                                "missing-baseline",
                                f"{country} reports {indicator} from {file} line {line} on, but this baseline "
                                "report gives no value for it",
                                "add the figure if one exists (a row removed or emptied by mistake?); otherwise "
                                "progress is measured from the earliest later year",
                                "indicator",
                            ),
                            file,
                            False,
                        )
                    )


def _figure(x: float | None) -> str:
    """A figure in a message as written in a report: 5,550,000 (not 5.55e+06), 0.4, 12.5."""
    if x is None:
        return "nothing"
    if float(x).is_integer():
        return f"{int(x):,}"
    return f"{x:,}"  # the shortest form that reads back as the same number


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector while rows stream past or figures are computed.

    The row loop makes millions of short-lived lists and tuples and no reference cycles (reference counting
    frees them), so the collector would only walk them, and the data set already held, again and again: it
    doubled the time of a 1,000,000-row file (bench/validate_1m.py) and added a third to a report on 1,000
    reporting units (bench/report_1000.py).
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _targets(plan: Plan, paths: Sequence[str]) -> tuple[list[ReportFile], list[Finding]]:
    files: list[ReportFile] = []
    problems: list[Finding] = []
    for p in paths:
        if is_workbook_path(p) and os.path.exists(p) and not os.path.isdir(p):
            # a workbook stands for the member's report of its year: its sheets are report files
            from aseanwp.xlsx import MissingDependency
            from aseanwp.xlsx.reader import workbook_reports

            try:
                sheets, refused = workbook_reports(p, plan)
            except MissingDependency as exc:
                raise InputError(str(exc)) from None
            files.extend(sheets)
            problems.extend(refused)
        elif os.path.isdir(p):
            found = discover(p, level=0 if is_member_folder(p) else 1)
            files.extend(found.files)
            problems.extend(found.findings)
        elif os.path.exists(p):
            rf = identify(p)
            if rf is None:
                problems.append(bad_path(p))
            else:
                files.append(rf)
        else:
            problems.append(finding(display_path(p), None, "unreadable", "no such file or folder", "check the path"))
    return files, problems


def run(
    plan: Plan,
    reports: str,
    paths: Sequence[str] = (),
    collect: Emitter | None = None,
    warnings: bool = True,
    echoes: bool = True,
) -> Outcome:
    """Check the given paths (default: the whole reports folder), reading the whole folder for the checks across
    files. Valid rows of every file read go to ``collect``.

    ``warnings=False`` skips the checks across files, which give only warnings: for callers that use the
    errors alone (``report``, ``status``), this saves a pass over every row. ``echoes=False`` says each
    finding across files once, on the later file (a review lists each data note once).
    """
    # Naming the reports folder itself is checking all of it (missing-report included).
    if len(paths) == 1 and os.path.isdir(paths[0]) and os.path.isdir(reports) and os.path.samefile(paths[0], reports):
        paths = ()
    whole = not paths
    if not os.path.isdir(reports):
        if whole:
            raise InputError(f"the reports folder {display_path(reports)} does not exist or is not a folder")
        everything: list[ReportFile] = []
        folder_findings: list[Finding] = []
    else:
        found = discover(reports)
        everything, folder_findings = found.files, found.findings
    if whole:
        targets, findings = list(everything), list(folder_findings)
    else:
        targets, findings = _targets(plan, paths)
    # A given file stands in for the folder's file of the same member and year (the submitted version).
    by_key = {rf.key: rf for rf in everything}
    by_key.update((rf.key, rf) for rf in targets)
    shown = {rf.file for rf in targets}
    order = sorted(by_key.values(), key=lambda rf: (rf.country, rf.year, rf.kind))
    remaining: dict[str, int] = defaultdict(int)
    for rf in order:
        if rf.kind == "indicators":
            remaining[rf.country] += 1

    cross = CrossFile(plan, collect, enabled=warnings)
    per_file: list[Finding] = []
    checked = CheckedFiles(plan, reports)
    # one file (of a million rows, say): its rows are counted, not the files
    what, total = ("Checking report files", len(order)) if len(order) > 1 else (f"Checking {shown_one(order)}", None)
    with collector_paused(), measuring(what, total) as meter:
        for rf in order:
            if rf.kind == "indicators":
                remaining[rf.country] -= 1
            cross.start_file(rf, remaining[rf.country] > 0)
            out: list[Finding] = []
            checked.check(rf, out, cross)
            if rf.file in shown:
                per_file.extend(map(rf.sheet.locate, out) if rf.sheet is not None else out)
            meter.advance()
        meter.step("Saving the checked files in the cache")
        checked.save()
    cross.close()
    findings.extend(_once(per_file, {rf.file for rf in targets if rf.sheet is not None}))
    across = [f for f in cross.findings if f.file in shown]
    if echoes:
        across.extend(f for f, other, always in cross.echoes if f.file in shown and (always or other not in shown))
    # the checks across files concern indicator files: in a workbook, its Indicators sheet
    sheets = {rf.file: rf.sheet for rf in order if rf.sheet is not None and rf.kind == "indicators"}
    findings.extend(sheets[f.file].locate(f) if f.file in sheets else f for f in across)
    if whole and warnings:
        findings.extend(_missing_reports(plan, reports, everything))
    result = ordered(findings)
    invalid = {f.file for f in result if f.severity == "error"}
    return Outcome(result, len({rf.file for rf in targets}), invalid, everything)


def _once(findings: list[Finding], workbooks: set[str]) -> list[Finding]:
    """A workbook's findings about the whole file (an unknown member) come once, not once per sheet."""
    if not workbooks:
        return findings
    seen: set[tuple[str, str, str]] = set()
    out = []
    for f in findings:
        if f.file in workbooks and f.line is None:
            key = (f.file, f.code, f.message)
            if key in seen:
                continue
            seen.add(key)
        out.append(f)
    return out


def shown_one(files: list[ReportFile]) -> str:
    return files[0].file if files else "the reports"


def deleted_reports(paths: Sequence[str]) -> list[Finding]:
    """An error for each report file in ``paths`` (the files a change deletes) that is indeed gone.

    Paths that are not report files (a README) or that exist again (deleted, then added back) say nothing.
    """
    out = []
    for p in dict.fromkeys(paths):
        rf = identify(p)
        if rf is None or os.path.lexists(p):
            continue
        out.append(
            finding(
                display_path(p),
                None,
                "deleted-report",
                f"the change deletes (or renames) {rf.country}'s {rf.year} "
                + ("actions file" if rf.kind == "actions" else "report")
                + ": its figures would be lost",
                "restore the file and correct it instead; a report is withdrawn by the secretariat, not by a "
                "pull request",
            )
        )
    return out


def _missing_reports(plan: Plan, reports: str, files: list[ReportFile]) -> list[Finding]:
    members, plan_years = set(plan.member_codes), plan.years
    years = [rf.year for rf in files if rf.kind == "indicators" and rf.year in plan_years and rf.country in members]
    if not years:
        return []
    last = max(years)  # once: it was once taken per member, which made 1,000 members take a tenth of a second
    have = {(rf.country, rf.year) for rf in files if rf.kind == "indicators"}
    out = []
    for code in plan.member_codes:
        for year in range(plan.baseline_year, last + 1):
            if (code, year) not in have:
                expected = display_path(os.path.join(reports, code, f"{year}.csv"))
                out.append(
                    finding(
                        expected,
                        None,
                        "missing-report",
                        f"{plan.name_of(code)} has no report for {year}",
                        f"run `aseanwp template {code} {year} -o {expected}` and fill it in",
                    )
                )
    return out
