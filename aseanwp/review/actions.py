"""The stock-take of actions (SPEC 6): per action and per objective, how many members report each status in their
latest actions file at or before the review's data year, and the member annex."""

from __future__ import annotations

import re
from collections import Counter
from typing import Any

from aseanwp.checks import ACTION_STATUSES
from aseanwp.dataset import Dataset
from aseanwp.plan import Plan

STARTED = ("ongoing", "completed")
_SENTENCE_END = re.compile(r"(?<=[.;:])\s+(?=[A-Z(])")
_TAIL = re.compile(r"[\s;,]*(?:\band\b|\bor\b)?[\s;,.]*$")


def first_sentence(text: str) -> str:
    """An action's text shortened to its first sentence, without the list's trailing '; and'."""
    first = _SENTENCE_END.split(text.strip(), maxsplit=1)[0]
    return _TAIL.sub("", first) or text.strip()


def latest_statuses(plan: Plan, data: Dataset, data_year: int) -> tuple[dict[str, int], dict[str, dict[str, str]]]:
    """Each member's latest actions file year at or before ``data_year``, and action -> member -> status in it."""
    latest: dict[str, int] = {}
    for a in data.actions():
        if a.year <= data_year:
            latest[a.country] = max(latest.get(a.country, a.year), a.year)
    statuses: dict[str, dict[str, str]] = {}
    for a in data.actions():
        if latest.get(a.country) == a.year:
            statuses.setdefault(a.action, {})[a.country] = a.status
    return dict(sorted(latest.items())), statuses


def _counts(got: dict[str, str], members: int) -> tuple[dict[str, int], int]:
    counts = Counter(got.values())
    return {s: counts.get(s, 0) for s in ACTION_STATUSES}, members - len(got)


def stock_take(plan: Plan, data: Dataset, data_year: int) -> dict[str, Any]:
    """Per action (its first sentence) and per objective (subtotals); the member annex; the actions no member has
    started."""
    latest, statuses = latest_statuses(plan, data, data_year)
    n = len(plan.members)
    objectives = []
    rows: list[dict[str, Any]] = []
    for objective in plan.objectives:
        subtotal: Counter[str] = Counter()
        not_reported = 0
        actions = []
        for action in objective.actions:
            got = statuses.get(action.id, {})
            counts, missing = _counts(got, n)
            subtotal.update(counts)
            not_reported += missing
            row = {
                "id": action.id,
                "text": action.text,
                "short": first_sentence(action.text),
                "counts": counts,
                "not_reported": missing,
                "members": {code: got.get(code) for code in plan.member_codes},
            }
            actions.append(row)
            rows.append(row)
        objectives.append(
            {
                "id": objective.id,
                "title": objective.title,
                "benchmarks": objective.benchmarks,
                "actions": actions,
                "counts": {s: subtotal.get(s, 0) for s in ACTION_STATUSES},
                "not_reported": not_reported,
            }
        )
    return {
        "files": latest,  # member -> year of its latest actions file (a number, not a string)
        "objectives": objectives,
        "rows": rows,
        "not_started_by_any": [r["id"] for r in rows if not any(r["counts"][s] for s in STARTED)],
    }


def serving(plan: Plan, benchmark: str, stock: dict[str, Any]) -> dict[str, Any] | None:
    """The completion of the actions of the objectives that serve ``benchmark`` (member-actions per status)."""
    chosen = [o for o in stock["objectives"] if benchmark in o["benchmarks"]]
    if not chosen or not stock["files"]:
        return None
    counts: Counter[str] = Counter()
    for o in chosen:
        counts.update(o["counts"])
    return {
        "objectives": [o["id"] for o in chosen],
        "counts": {s: counts.get(s, 0) for s in ACTION_STATUSES},
        "not_reported": sum(o["not_reported"] for o in chosen),
        "total": sum(len(o["actions"]) for o in chosen) * len(plan.members),
    }
