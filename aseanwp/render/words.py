"""The words around a row's figures (SPEC 5, rev. 2): what each figure and change is compared with, how much of
what members report a region sum covers, and the data notes worded from their records.

Shared by the report and review renderers, which hold rows either as ``Row`` objects or as their JSON dicts.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from aseanwp.engine import Row
from aseanwp.plan import COUNTED_UNITS, Plan
from aseanwp.render import fmt

RowLike = Row | Mapping[str, Any]
SMALL_BASE = 10  # counts whose baseline is under 10 show the absolute change: +1 from 2 is not "+50%"


def get(r: RowLike, key: str) -> Any:
    if r.__class__ is dict:  # the review's rows: a plain dict is asked first (an ABC check is slow, 600,000 calls)
        return r[key]
    return r[key] if isinstance(r, Mapping) else getattr(r, key)


def is_region(plan: Plan, r: RowLike) -> bool:
    return bool(get(r, "country") == plan.region.code)


def members_counted(plan: Plan, r: RowLike) -> bool:
    """A region row of a yes/no indicator counts the members at yes."""
    return bool(get(r, "unit") == "yes_no" and is_region(plan, r))


def display_unit(plan: Plan, r: RowLike) -> str:
    return "count" if members_counted(plan, r) else str(get(r, "unit"))


def number(plan: Plan, r: RowLike, x: float | None) -> str:
    return fmt.number(x, display_unit(plan, r))


def figure(plan: Plan, r: RowLike, expected_year: int | None = None, with_year: bool = False) -> str:
    """The latest figure: '55,500', '84-176 (range)', '3.3 (3.1-3.6)', '209 in 2012' when older than expected;
    ``with_year``: '55,500 (2015)', '84-176 (2015, range)'."""
    if "not_applicable" in get(r, "flags"):
        return "n/a"
    year, value, lower, upper = get(r, "year"), get(r, "value"), get(r, "lower"), get(r, "upper")
    if year is None:
        return "–"
    said = [str(year)] if with_year else []
    if value is None:
        text = f"{number(plan, r, lower)}-{number(plan, r, upper)}"
        said.append("range")
    elif lower is not None and upper is not None:
        text = f"{number(plan, r, value)} ({number(plan, r, lower)}-{number(plan, r, upper)})"
    else:
        text = number(plan, r, value)
    if said:
        text += f" ({', '.join(said)})"
    if expected_year is not None and year != expected_year:
        text += f" in {year}"
    return text


def _absolute(plan: Plan, r: RowLike) -> bool:
    """Counts of members, counts from a small baseline and changes from zero read as absolute changes."""
    base = get(r, "base_value")
    if members_counted(plan, r) or get(r, "change_pct") is None:
        return True
    return get(r, "unit") in COUNTED_UNITS and base is not None and abs(base) < SMALL_BASE


def _signed_number(x: float) -> str:
    if x == 0:
        return "0"
    return ("+" if x > 0 else "-") + fmt.number(abs(x))


def change(plan: Plan, r: RowLike, with_since: bool = True) -> str:
    """The change from the baseline, saying what it compares: '+94.7%', '-0.5 pp (-25.0%)', '+7 members',
    '+1', 'series break 2013', '+12.0% since 2011' (a substituted baseline)."""
    flags = get(r, "flags")
    if "not_applicable" in flags:
        return "n/a"
    break_year = get(r, "break_year")
    if break_year is not None:
        text = f"series break {break_year}"
        since = get(r, "since_break")
        if since and since.get("change_pct") is not None:
            text += f"; {fmt.signed(since['change_pct'], '%')} since {since['year']}"
        return text
    amount = get(r, "change")
    if amount is None:
        return "–"
    unit = get(r, "unit")
    if unit == "yes_no" and not members_counted(plan, r):
        if amount == 0:
            text = f"{'yes' if get(r, 'value') else 'no'} (unchanged)"
        else:
            text = "no → yes" if amount > 0 else "yes → no"
    elif members_counted(plan, r):
        n = _signed_number(amount)
        text = "no change" if amount == 0 else f"{n} member{'' if abs(amount) == 1 else 's'}"
    elif get(r, "change_pp") is not None:
        pp, pct = get(r, "change_pp"), get(r, "change_pct")
        text = f"{fmt.signed_pp(pp)} ({fmt.signed(pct, '%')})" if pct is not None else fmt.signed_pp(pp)
    elif _absolute(plan, r):
        text = _signed_number(amount)
    else:
        text = fmt.signed(get(r, "change_pct"), "%")
    if with_since and "baseline_substituted" in flags and get(r, "base_year") is not None:
        text += f" since {get(r, 'base_year')}"
    return text


def members_text(plan: Plan, covered: list[str], excluded: list[dict[str, str]] | None, short: bool = False) -> str:
    """'7 of 10 members', or '7 of 7 applicable' when members that are not applicable are left out."""
    n = len(covered)
    applicable = len(plan.members) - sum(1 for e in excluded or [] if e["reason"] == "not_applicable")
    if short:
        return f"{n}/{applicable}" + ("*" if applicable < len(plan.members) else "")
    if applicable < len(plan.members):
        return f"{n} of {applicable} applicable"
    return f"{n} of {applicable} members"


def coverage(plan: Plan, r: RowLike, short: bool = False) -> str:
    """A region cell's coverage: '7 of 10 members, 93% of reported volume'; '7 of 7 applicable' when members that
    are not applicable are left out; '6 members rated' for a rate. ``short``: '7/10, 93%' for narrow columns."""
    covered = get(r, "coverage")
    if covered is None:
        return ""
    if get(r, "counts") is not None:  # a rate: never summed, rated by its members
        if get(r, "status") == "context":
            return "not summed"
        n = len(covered)
        return f"{n} rated" if short else f"{n} member{'' if n == 1 else 's'} rated"
    text = members_text(plan, covered, get(r, "excluded"), short)
    share, total = get(r, "coverage_share"), get(r, "all_value")
    if share is not None and total and not members_counted(plan, r):  # a count of members has no volume
        text += f", {fmt.share(share)}" + ("" if short else " of reported volume")
        low = share < plan.progress.region_min_coverage - 1e-9
        if low and get(r, "status") != "insufficient_coverage":  # too little to speak for the region
            text += " ◌" if short else ", too little to speak for the region"
    return text


def dominant(plan: Plan, r: RowLike, of: str = "value", short: bool = False) -> str:
    """'Myanmar is 100% of the sum': the member that makes up 90% or more of the like-for-like sum (``of="value"``)
    or of every member's latest figures (``of="all_value"``), when one does."""
    shown = next((n for n in get(r, "notes") or [] if n["code"] == "dominant" and n["of"] == of), None)
    if shown is None:
        return ""
    if short:
        return f"{shown['member']} {fmt.share(shown['share'])}"
    whole = "the sum" if of == "value" else "all members' figures"
    return f"{plan.name_of(shown['member'])} is {fmt.share(shown['share'])} of {whole}"


def all_members(plan: Plan, r: RowLike, year: int | None = None) -> str:
    """Every member's latest figure, saying which are older than the year and which ranges count at their midpoint:
    '59,609 ha (Lao PDR 2013, Thailand 2012)', '780 t (Lao PDR 84-176 counted at 130; Thailand 2012)'."""
    total = get(r, "all_value")
    if total is None:
        return "–"
    year = year if year is not None else get(r, "year")
    stale, ranges = [], []
    for n in get(r, "notes") or []:
        if n["code"] != "excluded" or "year" not in n:
            continue
        if n.get("value") is None and n.get("lower") is not None:
            mid = (n["lower"] + n["upper"]) / 2
            ranges.append(f"{plan.name_of(n['member'])} {number(plan, r, n['lower'])}-{number(plan, r, n['upper'])}"
                          f" counted at {number(plan, r, mid)}")  # fmt: skip
        if year is not None and n["year"] != year:
            stale.append(f"{plan.name_of(n['member'])} {n['year']}")
    said = "; ".join(x for x in (", ".join(ranges), ", ".join(stale)) if x)
    shown = fmt.with_unit(total, display_unit(plan, r))
    return f"{shown} ({said})" if said else shown


def target_missed(r: RowLike) -> str:
    """' (target 10 not met by 2015)' when a target's year has come and the figure falls short of it."""
    due, target = get(r, "target_year"), get(r, "target")
    year = get(r, "year")
    if due is None or target is None or year is None or year < due or get(r, "status") == "target_achieved":
        return ""
    return f" (target {fmt.number(target)} not met by {due})"


REASONS = {
    "not_applicable": "not applicable",
    "no_baseline": "no {baseline} figure",
    "no_value": "no {year} figure",
    "range": "a range, not a figure, in {range_year}",
    "break": "series break",
}


def reason(plan: Plan, code: str, year: int, range_year: int | None = None) -> str:
    words = REASONS.get(code, code.replace("_", " "))
    return words.format(baseline=plan.baseline_year, year=year, range_year=range_year or year)


def note(plan: Plan, r: RowLike, n: Mapping[str, Any], year: int | None = None) -> str:
    """One data note, worded from its record (SPEC 3, rev. 2); ``year`` is the year reported on."""
    code = n["code"]
    unit = display_unit(plan, r)
    if code == "baseline_substituted":
        why = "published as a range only" if n.get("baseline_range") else "no figure"
        return f"baseline {n['base_year']} instead of {plan.baseline_year} ({plan.baseline_year}: {why})"
    if code in ("estimate", "provisional"):
        years, plural = n["years"], len(n["years"]) > 1
        what = ("estimates" if plural else "an estimate") if code == "estimate" else "provisional"
        return f"the {' and '.join(str(y) for y in years)} figure{'s are' if plural else ' is'} {what}"
    if code == "stale":
        return f"latest figure from {n['year']}"
    if code == "break":
        return f"series break in {n['break_year']}: not comparable with earlier years"
    if code == "range":
        lo, hi = fmt.with_unit(n["lower"], unit), fmt.with_unit(n["upper"], unit)
        if n["status_lower"] == n["status_upper"]:
            return f"published as a range, {lo} to {hi} in {n['year']}; both ends give the same status"
        label = plan.progress.label
        return (
            f"published as a range, {lo} to {hi} in {n['year']}: {label(n['status_lower'])} at the lower end, "
            f"{label(n['status_upper'])} at the upper"
        )
    if code == "target_year_passed":
        return f"the target's year {n['target_year']} is at or before the baseline: rated without a path"
    if code == "not_applicable":
        return "not applicable to this member"
    if code == "headline_missing":
        which = ", ".join(v.replace("_", " ") for v in n["headline"].values())
        return f"no {which} series reported, so nothing rated for this indicator"
    if code == "excluded":
        what = plan.name_of(n["member"])
        if "year" not in n and n["reason"] != "not_applicable":
            return f"{what} left out (no figure reported)"
        why = reason(plan, n["reason"], year or plan.baseline_year, n.get("range_year"))
        if n.get("value") is not None:
            return f"{what} left out ({why}): {fmt.with_unit(n['value'], unit)} in {n['year']}"
        if n.get("lower") is not None:
            lo, hi = fmt.with_unit(n["lower"], unit), fmt.with_unit(n["upper"], unit)
            return f"{what} left out ({why}): {lo} to {hi} in {n['year']}"
        return f"{what} left out ({why})"
    if code == "dominant":
        of = "the like-for-like sum" if n["of"] == "value" else "all members' latest figures"
        return f"{plan.name_of(n['member'])} makes up {fmt.share(n['share'])} of {of}"
    if code == "insufficient_coverage":
        return (
            f"the like-for-like sum covers {fmt.share(n['coverage_share'])} of what members report, under the "
            f"{fmt.share_needed(n['min_share'])} needed to speak for the region"
        )
    if code == "mixed":
        return f"the {n['rated']} rated members diverge: fewer than {fmt.share_needed(n['min_share'])} agree"
    if code == "agreement":
        side = "improve" if n["improving"] else "do not improve"
        return f"{n['agreeing']} of {n['rated']} rated members {side}: the region's status is banded from their scores"
    return str(code).replace("_", " ")


def since(plan: Plan, r: RowLike, earlier: Mapping[str, Any] | None) -> str:
    """The change since an earlier review's figure ('+2.3%', '+1 member', 'no new figure', 'series break 2013')."""
    if earlier is None:
        return "–"
    code = earlier["code"]
    if code == "no_new_figure":
        return "no new figure"
    if code == "break":
        return f"series break {earlier['break_year']}"
    if code != "changed":
        return "–"
    members = earlier.get("members")
    as_row = {
        "country": get(r, "country"),
        "unit": get(r, "unit"),
        "flags": [],
        "break_year": None,
        "change": earlier["change"],
        "change_pct": earlier["change_pct"],
        "change_pp": earlier["change_pp"],
        "base_value": earlier["value"],
        "base_year": earlier["year"],
        "value": get(r, "value"),
    }
    text = change(plan, as_row, with_since=False)
    if members is not None and not members_counted(plan, r):  # a sum: like for like over the same members
        n = len(members)
        text += f" (from {number(plan, r, earlier['value'])}, the same {n} member{'' if n == 1 else 's'})"
    return text
