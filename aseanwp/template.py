"""Blank standard Country Reports: `aseanwp template CODE YEAR [--actions]`."""

from __future__ import annotations

import csv
import io

from aseanwp.plan import Plan


def indicator_template(plan: Plan, code: str, year: int) -> str:
    """One row per indicator for the total, then one per value of each of its dimensions; unit filled as a reminder."""
    dims = [d for d in plan.dimensions if any(d in i.dimensions for i in plan.indicators)]
    header = ["indicator", *dims, "value", "lower", "upper", "unit", "source", "flag", "notes"]
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(header)
    blank = ["", "", "", "", "", "", ""]
    for ind in plan.indicators:
        w.writerow([ind.id, *([""] * len(dims)), "", "", "", ind.unit, "", "", ""])
        for d in ind.dimensions:
            for v in plan.dimensions.get(d, []):
                w.writerow([ind.id, *[v if x == d else "" for x in dims], *blank[:3], ind.unit, *blank[:3]])
    return buf.getvalue()


def actions_template(plan: Plan, code: str, year: int) -> str:
    """Every action of the plan, status to be filled in (not_started, planned, ongoing, completed, not_applicable)."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["action", "status", "source", "notes"])
    for a in plan.action_ids:
        w.writerow([a, "", "", ""])
    return buf.getvalue()
