"""The checks of an actions file's rows (SPEC 2.3): action ids, statuses, duplicates."""

from __future__ import annotations

from collections.abc import Iterable

from aseanwp.checks.common_cells import Conflicts, common_cells, row_length
from aseanwp.checks.emitter import Emitter
from aseanwp.checks.sink import CappedSink
from aseanwp.findings import finding
from aseanwp.plan import Plan, suggest
from aseanwp.reports import ReportFile
from aseanwp.textsafe import quote
from aseanwp.values import word

ACTION_STATUSES = ("not_started", "planned", "ongoing", "completed", "not_applicable")


def action_rows(
    plan: Plan,
    rf: ReportFile,
    columns: dict[str, int],
    width: int,
    stream: Iterable[tuple[int, list[str]]],
    sink: CappedSink,
    emit: Emitter | None,
) -> int:
    c_act, c_status = columns["action"], columns["status"]
    c_src, c_notes = columns.get("source"), columns.get("notes")
    first: dict[str, int] = {}
    ids = plan.action_ids
    rows = 0
    conflicts = Conflicts(rf, sink)
    for line, row in stream:
        rows += 1
        if conflicts.marker(line, row):
            continue
        if len(row) != width:
            if any(c.strip() for c in row):
                sink(row_length(rf, line, len(row), width))
            continue
        ok = True
        action = row[c_act].strip()
        if plan.action(action) is None:
            close = "" if sink.full("unknown-action") else suggest(action, ids)
            sink(
                finding(
                    rf.file,
                    line,
                    "unknown-action",
                    f"{quote(action)} is not an action of the plan" if action else "the action id is empty",
                    f"did you mean '{close}'?" if close else "see `aseanwp plan` for the action ids (e.g. II.1.8)",
                    "action",
                    c_act + 1,
                )
            )
            ok = False
        status = word(row[c_status])
        if not status and not any(c.strip() for i, c in enumerate(row) if i not in (c_act, c_src, c_notes)):
            continue  # a template row left blank: the action is not reported
        if status not in ACTION_STATUSES:
            close = "" if sink.full("bad-status") else suggest(status, ACTION_STATUSES)
            sink(
                finding(
                    rf.file,
                    line,
                    "bad-status",
                    f"{quote(row[c_status].strip())} is not an action status",
                    f"did you mean '{close}'?" if close else f"use one of: {', '.join(ACTION_STATUSES)}",
                    "status",
                    c_status + 1,
                )
            )
            ok = False
        if "country" in columns or "year" in columns:
            ok = common_cells(rf, line, row, columns, sink) and ok
        if action in first:
            sink(
                finding(
                    rf.file,
                    line,
                    "duplicate-row",
                    f"action {quote(action)} is listed twice; first on line {first[action]}",
                    "keep one row per action",
                    "action",
                    c_act + 1,
                )
            )
            ok = False
        else:
            first[action] = line
        if ok and emit is not None:
            emit.action(
                rf,
                line,
                action,
                status,
                row[c_src].strip() if c_src is not None else "",
                row[c_notes] if c_notes is not None else "",
            )
    return rows
