"""Blank standard Country Reports: `aseanwp template CODE YEAR [--actions]`.

The rows are made once here, for the CSV template and for the workbook (``aseanwp.xlsx.writer``) alike, so
that a workbook imported as CSV gives the same file as the CSV template filled in.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence

from aseanwp.plan import Plan

ACTION_HEADER = ["action", "status", "source", "notes"]
FILLED = ("value", "lower", "upper", "source", "flag", "notes")  # what a focal point fills in


def indicator_header(plan: Plan) -> list[str]:
    """The columns of the template: indicator, the plan's dimensions in use, then the figure's cells."""
    dims = [d for d in plan.dimensions if any(d in i.dimensions for i in plan.indicators)]
    return ["indicator", *dims, "value", "lower", "upper", "unit", "source", "flag", "notes"]


def indicator_rows(plan: Plan) -> list[list[str]]:
    """One row per indicator for the total, then one per value of each of its dimensions; unit filled as a
    reminder."""
    header = indicator_header(plan)
    dims = header[1 : header.index("value")]
    rows = []
    for ind in plan.indicators:
        rows.append([ind.id, *([""] * len(dims)), "", "", "", ind.unit, "", "", ""])
        for d in ind.dimensions:
            for v in plan.dimensions.get(d, []):
                rows.append([ind.id, *[v if x == d else "" for x in dims], "", "", "", ind.unit, "", "", ""])
    return rows


def as_csv(header: Sequence[str], rows: Iterable[Sequence[str]]) -> str:
    """A report file's text: comma, LF, quoting only where needed, UTF-8 when written."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(header)
    w.writerows(rows)
    return buf.getvalue()


def indicator_template(plan: Plan, code: str, year: int) -> str:
    return as_csv(indicator_header(plan), indicator_rows(plan))


def actions_template(plan: Plan, code: str, year: int) -> str:
    """Every action of the plan, status to be filled in (not_started, planned, ongoing, completed, not_applicable)."""
    return as_csv(ACTION_HEADER, [[a, "", "", ""] for a in plan.action_ids])
