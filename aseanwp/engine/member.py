"""A member's row of one series at the requested year (SPEC 4): baseline, latest figure, change and status."""

from __future__ import annotations

from collections.abc import Sequence

from aseanwp.dataset import Point, SeriesKey
from aseanwp.engine.common import (
    any_illustrative,
    apply,
    changes,
    dims_of,
    has_figure,
    member_target,
    ordered_flags,
    range_note,
    rate_bounds,
    rate_row,
    tidy,
    up_to,
    year_of,
)
from aseanwp.engine.model import Note, Row
from aseanwp.plan import Indicator, Plan
from aseanwp.progress import NOT_AVAILABLE, Target, change_pct


def member_row(plan: Plan, ind: Indicator, key: SeriesKey, points: Sequence[Point], year: int) -> Row | None:
    """The row of one member series at ``year``; None when it has no record at or before that year.

    ``points`` are in year order, one per year (one file per member and year). This runs once per series (24,000
    times for 1,000 reporting units): the common case (no flags, a figure every year) takes the short ways.
    """
    country, _, dim_values = key
    upto = up_to(points, year)
    if not upto:
        return None
    dims = dims_of(ind, dim_values) if dim_values else {}
    direction = ind.direction_of(dims)
    row = Row(ind.benchmark, ind.id, country, dims, ind.unit, direction, headline=ind.is_headline(dims))
    target = member_target(ind, plan, country) if direction != "none" else None
    if target is not None:
        row.target, row.target_year = target.value, target.year
    latest = upto[-1]
    if "not_applicable" in latest.flags:
        row.flags = ["not_applicable"]
        row.notes = [{"code": "not_applicable", "year": latest.year}]
        row.sources = [latest.ref]
        row.status = NOT_AVAILABLE  # SPEC 4: whatever the direction; it counts as filled, not as rated
        return row
    valued = [p for p in upto if p.value is not None]
    row.history = [(p.year, p.value) for p in valued]  # type: ignore[misc]  # valued: every value is set
    row.history_sources = [p.ref for p in valued]
    # the latest record with a figure: a point, or a range published alone (SPEC 4, rev. 2: a range belongs to
    # its own year, and is never paired with another year's point)
    if has_figure(latest):
        current: Point | None = latest
    else:
        current = next((p for p in reversed(upto) if has_figure(p)), None)
    if current is None:  # rows without a figure: their line still carries the report's notes
        row.sources = [latest.ref]
        _rate(plan, ind, row, target)
        return row
    ranged = current.value is None
    row.year, row.value, row.lower, row.upper = current.year, current.value, current.lower, current.upper
    used: list[Point] = [current]
    flags: list[str] = []
    notes: list[Note] = []
    if current.year < year:
        flags.append("stale")
    if ranged:
        flags.append("range")
    base = _base(plan, valued, current)
    if base is not None:
        row.base_year, row.base_value = base.year, base.value
        if base is not current:
            used.append(base)
        if base.year != plan.baseline_year:
            flags.append("baseline_substituted")
            note: Note = {"code": "baseline_substituted", "base_year": base.year}
            at_baseline = next((p for p in upto if p.year == plan.baseline_year), None)
            if at_baseline is not None and has_figure(at_baseline):  # a range only: no point to compare with
                note["baseline_range"] = True
            notes.append(note)
        breaks = [p.year for p in upto if p.flags and "break" in p.flags and base.year < p.year <= current.year]
        if breaks:
            row.break_year = breaks[-1]
            flags.append("break")
            notes.append({"code": "break", "break_year": row.break_year})
            _since_break(row, valued, current)
    # estimate/provisional describe the figures compared (base and current), not the previous year's; the notes say
    # which of the two is marked, since a soft baseline and a soft latest figure are not the same warning
    if current.flags or (base is not None and base.flags):
        compared = [p for p in (base, current) if p is not None]
        for mark in ("estimate", "provisional"):
            years = sorted({p.year for p in compared if p.flags and mark in p.flags})
            if years:
                flags.append(mark)
                notes.append({"code": mark, "years": years})
    prev = None
    for p in reversed(valued):
        if p.year < current.year:
            prev = p
            break
    if prev is not None:
        row.prev_year, row.prev_value = prev.year, prev.value
        if prev is not base:
            used.append(prev)
    if "stale" in flags:
        notes.append({"code": "stale", "year": current.year})
    row.flags = ordered_flags(flags) if flags else []
    used.sort(key=year_of)  # one file per year: the points in year order give their file:line references in order
    row.sources = [p.ref for p in used]
    row.illustrative = any_illustrative(used)
    changes(row)
    row.notes = notes
    _rate(plan, ind, row, target)
    return row


def _base(plan: Plan, valued: Sequence[Point], current: Point) -> Point | None:
    """The baseline year's point, else the earliest later one, not after the current figure (SPEC 4).

    Reports start at the baseline year (an older file is year-out-of-range), so that is the first valued point;
    a hand-made series may hold an older one.
    """
    if not valued or valued[0].year > current.year:
        return None
    base = valued[0]
    if base.year < plan.baseline_year:
        base = next((p for p in valued if p.year == plan.baseline_year), base)
    return base


def _since_break(row: Row, valued: Sequence[Point], current: Point) -> None:
    """The comparable change from the break year's figure to the latest, when two values lie from the break on."""
    assert row.break_year is not None
    after = [p for p in valued if row.break_year <= p.year <= current.year]
    if len(after) >= 2 and current.value is not None:
        first = after[0]
        row.since_break = {
            "year": first.year,
            "value": first.value,
            "change_pct": tidy(change_pct(first.value, current.value)),
        }


def _rate(plan: Plan, ind: Indicator, row: Row, target: Target | None) -> None:
    yes_no = ind.unit == "yes_no"
    if row.value is None and row.base_value is not None and (row.lower is not None or row.upper is not None):
        rating, low, high = rate_bounds(plan, row, target, yes_no)
        if row.direction != "none" and rating.rule > 2:
            row.notes.append(range_note(row, low, high))
    else:
        rating = rate_row(plan, row, target, yes_no)
    apply(row, rating)
    if target is not None and "target_year_passed" in rating.flags:
        row.notes.append({"code": "target_year_passed", "target_year": target.year})
