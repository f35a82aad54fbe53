"""The region's row of one indicator and breakdown (SPEC 4): a like-for-like sum that says how much of what members
report it covers, or, for rates, the members' ratings when they agree."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from operator import attrgetter, itemgetter

from aseanwp.dataset import Point, ref_order
from aseanwp.engine.common import (
    any_illustrative,
    apply,
    changes,
    dims_of,
    exact_sum,
    figure,
    has_figure,
    ordered_flags,
    rate_row,
    region_target,
    tidy,
    up_to,
)
from aseanwp.engine.model import Note, Row
from aseanwp.plan import Indicator, Plan
from aseanwp.progress import (
    CONTEXT,
    HELD_AT_ZERO,
    IMPROVING,
    INSUFFICIENT_COVERAGE,
    MIXED,
    NOT_AVAILABLE,
    agreement,
    summarise,
)

DOMINANT = 0.9  # SPEC 5: a member making up 90% or more of a region figure is named


def region_row(
    plan: Plan,
    ind: Indicator,
    dims: tuple[str, ...],
    members: dict[str, Sequence[Point]],
    member_rows: dict[str, Row],
    year: int,
) -> Row:
    """The region's row of one indicator and breakdown: a like-for-like sum, or for rates the members' ratings."""
    d = dims_of(ind, dims)
    row = Row(
        ind.benchmark,
        ind.id,
        plan.region.code,
        d,
        ind.unit,
        ind.direction_of(d),
        region=True,
        headline=ind.is_headline(d),
    )
    if ind.aggregate == "none":
        _rate_of_rates(plan, row, member_rows)
    else:
        _sum(plan, ind, row, members, year)
    return row


def _rate_of_rates(plan: Plan, row: Row, member_rows: dict[str, Row]) -> None:
    """Rates are never added up: the region row shows how members' series are rated, and takes a status only
    when two thirds of the rated members agree (SPEC 4, rev. 2)."""
    rated = {c: r for c, r in member_rows.items() if r.score is not None}
    row.coverage = sorted(rated)
    row.excluded = []
    row.counts = dict(sorted(Counter(r.status for r in member_rows.values()).items()))
    row.sources = sorted({s for r in rated.values() for s in r.sources}, key=ref_order)
    row.illustrative = any(r.illustrative for r in rated.values())
    if row.direction == "none":
        row.status = CONTEXT
        return
    statuses = [r.status for r in rated.values()]
    if not rated:
        held = member_rows and all(r.status == HELD_AT_ZERO for r in member_rows.values())
        row.status = HELD_AT_ZERO if held else NOT_AVAILABLE
        return
    share = plan.progress.region_min_coverage
    side = agreement(statuses, share)
    if side is None:
        row.status = MIXED
        row.notes.append({"code": "mixed", "rated": len(rated), "min_share": share})
        return
    # banded from the members that agree: two falling members and one rising fast are not "moderate progress"
    agreeing = [r for r in rated.values() if (r.status in IMPROVING) == side]
    row.status, row.score = summarise([r.status for r in agreeing], [r.score for r in agreeing if r.score is not None])
    row.target_path = all(r.target_path for r in agreeing)
    row.notes.append({"code": "agreement", "rated": len(rated), "agreeing": len(agreeing), "improving": side})


def _sum(plan: Plan, ind: Indicator, row: Row, members: dict[str, Sequence[Point]], year: int) -> None:
    base_year = plan.baseline_year
    covered: dict[str, tuple[Point, Point]] = {}
    excluded: list[dict[str, str]] = []
    notes: list[Note] = []
    latest: dict[str, Point] = {}  # each member's latest figure (for all_value)
    ranges: dict[str, int] = {}  # the year of the range that keeps a member out of the sum
    for code in sorted(members):
        points = up_to(members[code], year)
        if not points:
            continue
        last = points[-1]
        if "not_applicable" in last.flags:
            excluded.append({"code": code, "reason": "not_applicable"})
            notes.append({"code": "excluded", "member": code, "reason": "not_applicable"})
            continue
        if has_figure(last):
            figured: Point | None = last
        else:
            figured = next((p for p in reversed(points) if has_figure(p)), None)
        if figured is not None:
            latest[code] = figured
        if points[0].year == base_year:
            base: Point | None = points[0]
        else:
            base = next((p for p in points if p.year == base_year), None)
        current = last if last.year == year else None
        if base is None or not has_figure(base):
            reason = "no_baseline"
        elif current is None or not has_figure(current):
            reason = "no_value"
        elif base.value is None or current.value is None:
            reason = "range"
            ranges[code] = base.year if base.value is None else current.year
        elif any(map(_FLAGS, points)) and any(
            p.flags and "break" in p.flags for p in points if base_year < p.year <= year
        ):
            reason = "break"
        else:
            covered[code] = (base, current)
            continue
        excluded.append({"code": code, "reason": reason})
        notes.append(_excluded_note(code, reason, figured, ranges.get(code)))
    row.coverage = sorted(covered)
    row.excluded = excluded
    target = region_target(ind, plan) if row.direction != "none" else None
    if target is not None:
        row.target, row.target_year = target.value, target.year
    used: list[Point] = []
    if latest:
        row.all_value = exact_sum(_figures(latest.values()))
    if covered:
        row.base_year, row.year = base_year, year
        row.base_value = exact_sum(b.value for b, _ in covered.values())
        row.value = exact_sum(c.value for _, c in covered.values())
        used = [p for pair in covered.values() for p in pair]
        flags = [f for p in used for f in ("estimate", "provisional") if f in p.flags]
        # each covered member's figures by year, and the years in which every one of them has a value (one
        # set intersection per member, where asking each member about each year took a fifth of a report)
        valued = {c: {p.year: p for p in members[c] if p.value is not None} for c in covered}
        tables = list(valued.values())
        every = set(range(base_year, year + 1))
        for table in tables:
            every.intersection_update(table.keys())
        # the previous year: the latest earlier year in which every covered member has a value
        prev = max((y for y in every if y < year), default=None)
        if prev is not None:
            at = list(map(itemgetter(prev), tables))
            row.prev_year = prev
            row.prev_value = exact_sum(list(map(_value, at)))
            used.extend(at)
        # the like-for-like sum in every such year, and its sources member by member, year by year (the order of
        # <reports>/<CODE>/<YEAR>.csv references)
        history_years = sorted(every)
        row.history = [(y, exact_sum(list(map(_value, map(itemgetter(y), tables))))) for y in history_years]
        row.history_sources = [table[y].ref for table in tables for y in history_years]
        row.flags = ordered_flags(flags)
        # member by member (codes sorted), year by year: the order of <reports>/<CODE>/<YEAR>.csv references
        years = sorted({base_year, year, *([row.prev_year] if row.prev_year is not None else [])})
        row.sources = [valued[c][y].ref for c in covered for y in years]
    if row.all_value is not None and (row.value is not None or row.all_value):
        row.coverage_share = 1.0 if row.all_value == 0 else tidy((row.value or 0) / row.all_value)
    row.illustrative = any_illustrative(used)
    changes(row)
    notes.extend(_dominant(row, covered, latest))
    row.notes = notes
    # a yes/no region row counts the members at yes and is rated as a count, on a straight path to its target
    # (a count of members has a ceiling and no compound growth)
    yes_no = ind.unit == "yes_no"
    apply(row, rate_row(plan, row, target, False, linear=yes_no))
    _coverage_status(plan, row)


def _coverage_status(plan: Plan, row: Row) -> None:
    """A like-for-like sum speaks for the region only when it covers most of what members report (SPEC 4, rev. 2);
    it is held at zero only when no member reports a non-zero figure."""
    if row.direction == "none" or row.coverage_share is None or not row.all_value:
        return
    short = row.coverage_share < plan.progress.region_min_coverage - 1e-9
    if (short and row.status != NOT_AVAILABLE) or row.status == HELD_AT_ZERO or row.value is None:
        row.status, row.score, row.progress_value, row.target_path = INSUFFICIENT_COVERAGE, None, None, False
        row.notes.append(
            {
                "code": "insufficient_coverage",
                "coverage_share": row.coverage_share,
                "min_share": plan.progress.region_min_coverage,
            }
        )


def _excluded_note(code: str, reason: str, latest: Point | None, range_year: int | None) -> Note:
    note: Note = {"code": "excluded", "member": code, "reason": reason}
    if range_year is not None:
        note["range_year"] = range_year
    if latest is not None:
        note.update(year=latest.year, value=latest.value)
        if latest.value is None:
            note.update(lower=latest.lower, upper=latest.upper)
    return note


def _dominant(row: Row, covered: dict[str, tuple[Point, Point]], latest: dict[str, Point]) -> Iterable[Note]:
    """The member that makes up 90% or more of the like-for-like figure, or of all members' figures (SPEC 5)."""
    wholes = (
        ("value", row.value, {c: cur.value for c, (_, cur) in covered.items()}),
        ("all_value", row.all_value, dict(zip(latest, _figures(latest.values()), strict=True))),
    )
    for of, total, parts in wholes:
        if not total or not parts or (of == "all_value" and total == row.value):
            continue
        code, most = max(parts.items(), key=lambda kv: kv[1] or 0)
        if most and most / total >= DOMINANT:
            yield {"code": "dominant", "member": code, "share": tidy(most / total), "of": of}


_value = attrgetter("value")
_FLAGS = attrgetter("flags")


def _figures(points: Iterable[Point]) -> list[float | None]:
    """``figure`` of each point: their values, when every one has one (the usual case, at C speed)."""
    points = list(points)
    values = list(map(_value, points))
    return values if None not in values else [figure(p) for p in points]
