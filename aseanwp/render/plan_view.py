"""``aseanwp plan``: the plan as a tree (terminal), a Markdown document, or JSON."""

from __future__ import annotations

import json

from aseanwp.plan import Plan
from aseanwp.render.md import esc, table
from aseanwp.textsafe import json_safe


def as_json(plan: Plan) -> str:
    return json_safe(json.dumps(plan.model_dump(mode="json"), indent=2, ensure_ascii=False)) + "\n"


def as_table(plan: Plan, to_file: bool = False) -> str:
    from rich.text import Text
    from rich.tree import Tree

    from aseanwp.render.console import render

    root = Tree(Text(plan.title, style="bold"))
    root.add(
        Text(
            f"Adopted {plan.adopted.date:%d %B %Y} by the {plan.adopted.by}, {plan.adopted.place}; "
            f"period {plan.period.start}-{plan.period.end}, baseline {plan.baseline_year}; "
            f"{len(plan.members)} members",
            style="dim",
        )
    )
    for goal in plan.goals:
        g = root.add(Text(f"Goal {goal.id}: {goal.title}", style="bold"))
        for b in (b for b in plan.benchmarks if b.goal == goal.id):
            node = g.add(Text(f"Benchmark {b.id}: {b.text}", style="cyan"))
            for ind in plan.benchmark_indicators(b.id):
                extra = f", by {', '.join(ind.dimensions)}" if ind.dimensions else ""
                rated = "context" if ind.direction == "none" else ind.direction
                node.add(Text(f"indicator {ind.id} ({ind.unit}, {rated}{extra}): {ind.name}", style="green"))
        for o in (o for o in plan.objectives if o.goal == goal.id):
            node = g.add(Text(f"Objective {o.id} ({', '.join(o.benchmarks)}): {o.title}", style="magenta"))
            for a in o.actions:
                node.add(f"{a.id} {a.text}")
    return render(root, to_file=to_file)


def as_markdown(plan: Plan) -> str:
    out = [f"# {esc(plan.title)}", ""]
    out.append(
        f"Adopted by the {esc(plan.adopted.by)} on {plan.adopted.date:%d %B %Y}, {esc(plan.adopted.place)}. "
        f"Period {plan.period.start}-{plan.period.end}; baseline year {plan.baseline_year}."
    )
    out.append("")
    out.append("## Monitoring")
    out.append("")
    out.append(
        table(
            ["Review", "Year", "Data year", "Title"],
            [[r.kind, r.year, r.figures_year, esc(r.title)] for r in plan.reviews],
            "lrrl",
        )
    )
    out.append("## Members")
    out.append("")
    out.append(table(["Code", "Name"], [[m.code, esc(m.name)] for m in plan.members]))
    for goal in plan.goals:
        out += [f"## Goal {goal.id}: {esc(goal.title)}", "", "### Benchmarks", ""]
        for b in (b for b in plan.benchmarks if b.goal == goal.id):
            out.append(f"- **{b.id}** {esc(b.text)}")
        out.append("")
        rows = [
            [
                f"`{i.id}`",
                esc(i.name),
                i.benchmark,
                i.unit,
                i.direction,
                i.aggregate,
                "yes" if i.core else "no",
                ", ".join(i.dimensions),
            ]
            for b in plan.benchmarks
            if b.goal == goal.id
            for i in plan.benchmark_indicators(b.id)
        ]
        out += [
            "### Indicators",
            "",
            table(
                ["Indicator", "Name", "Benchmark", "Unit", "Direction", "Aggregate", "Core", "Dimensions"],
                rows,
            ),
        ]
        for o in (o for o in plan.objectives if o.goal == goal.id):
            out += [f"### Objective {o.id}: {esc(o.title)}", "", f"Serves {', '.join(o.benchmarks)}.", ""]
            out += [f"- **{a.id}** {esc(a.text)}" for a in o.actions]
            out.append("")
    return "\n".join(out).rstrip("\n") + "\n"
