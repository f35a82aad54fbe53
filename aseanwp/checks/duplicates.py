"""Duplicate rows of an indicator file, confirmed by a second read that names each first occurrence."""

from __future__ import annotations

from collections.abc import Callable

from aseanwp.findings import Finding, finding
from aseanwp.reports import ReportFile, report_records
from aseanwp.textsafe import quote


def duplicates(
    rf: ReportFile,
    columns: dict[str, int],
    dim_all: tuple[int, ...],
    suspects: list[tuple[int, tuple[str, ...]]],
    sink: Callable[[Finding], None],
) -> None:
    """Confirm rows whose key hash was seen before, re-reading the file to name each first occurrence.

    Keeping only hashes in the main pass holds memory to a few bytes per series; duplicates are rare.
    """
    wanted = {key for _, key in suspects}
    first: dict[tuple[str, ...], int] = {}
    c_ind = columns["indicator"]
    width = -1
    for line, row in report_records(rf, lambda f: None):
        if width < 0:  # the header (not always on line 1: blank lines may come first)
            width = len(row)
            continue
        if len(row) != width:  # a malformed row was not counted in the main pass either
            continue
        key = (row[c_ind].strip(), *[row[c].strip() for c in dim_all])
        if key in wanted and key not in first:
            first[key] = line
    for line, key in suspects:
        at = first.get(key)
        if at is None or at == line:
            continue  # a hash collision, not a duplicate
        what = key[0] + "".join(f", {d}" for d in key[1:] if d)
        sink(
            finding(
                rf.file,
                line,
                "duplicate-row",
                f"{quote(what)} is reported twice; first on line {at}",
                "keep one row per indicator and breakdown; delete or correct the other",
                "indicator",
                c_ind + 1,
            )
        )
