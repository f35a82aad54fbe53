"""``aseanwp status``: the completeness grid as a terminal table, Markdown or JSON."""

from __future__ import annotations

from aseanwp import jsontext
from aseanwp.completeness import Cell, cell_text
from aseanwp.plan import Plan
from aseanwp.render.md import esc, table
from aseanwp.textsafe import json_safe


def as_json(plan: Plan, cells: dict[tuple[str, int], Cell], years: range) -> str:
    members = []
    for m in plan.members:
        row = {}
        for y in years:
            c = cells[(m.code, y)]
            row[str(y)] = {
                "file": c.file,
                "filled": c.filled if c.file else None,
                "share": c.share,
                "invalid": c.invalid,
            }
        members.append({"code": m.code, "name": m.name, "years": row})
    core = next(iter(cells.values())).core if cells else 0
    doc = {"format_version": 1, "years": list(years), "core_indicators": core, "members": members}
    return json_safe(jsontext.dumps(doc)) + "\n"


def as_markdown(plan: Plan, cells: dict[tuple[str, int], Cell], years: range) -> str:
    header = ["Member", *[str(y) for y in years]]
    rows = [[esc(m.name), *[cell_text(cells[(m.code, y)]) for y in years]] for m in plan.members]
    core = next(iter(cells.values())).core if cells else 0
    note = f"Share of the {core} core indicators filled per member and year (not applicable counts as filled)."
    return note + "\n\n" + table(header, rows, "l" + "r" * len(years))


def as_table(plan: Plan, cells: dict[tuple[str, int], Cell], years: range, to_file: bool = False) -> str:
    from rich.table import Table
    from rich.text import Text

    from aseanwp.render.console import render

    core = next(iter(cells.values())).core if cells else 0
    t = Table(
        title=f"Core indicators filled ({core} core indicators)",
        header_style="bold",
        box=None,
        padding=(0, 1),
    )
    t.add_column("member")
    for y in years:
        t.add_column(str(y), justify="right")
    for m in plan.members:
        row = []
        for y in years:
            c = cells[(m.code, y)]
            share = c.share
            style = "red" if not c.file or c.invalid else ("green" if share == 1 else "yellow")
            row.append(Text(cell_text(c), style=style))
        t.add_row(f"{m.code} {m.name}", *row)
    return render(t, to_file=to_file)
