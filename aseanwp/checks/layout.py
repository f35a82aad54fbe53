"""The plan compiled for one header layout: per-indicator lookups and the fast path's tables (cached)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from aseanwp.plan import COUNTED_UNITS, Indicator, Plan


@dataclass(frozen=True, slots=True)
class IndicatorSpec:
    indicator: Indicator
    unit: str
    dim_cols: tuple[int, ...]  # for each of the indicator's dimensions, its column (-1 when the file lacks it)
    dim_values: tuple[frozenset[str], ...]
    foreign_cols: tuple[tuple[int, str], ...]  # dimension columns in the file this indicator does not take


_COMPILED: dict[tuple[int, tuple[tuple[str, int], ...]], tuple[Plan, dict[str, IndicatorSpec], FastTables]] = {}


def layout(plan: Plan, columns: dict[str, int]) -> tuple[dict[str, IndicatorSpec], FastTables]:
    """The compiled checks of one header layout (cached: most files of a folder share their header)."""
    key = (id(plan), tuple(sorted(columns.items())))
    hit = _COMPILED.get(key)
    if hit is not None and hit[0] is plan:
        return hit[1], hit[2]
    specs = compile_specs(plan, columns)
    fast = fast_tables(plan, columns, specs)
    if len(_COMPILED) > 64:
        _COMPILED.clear()
    _COMPILED[key] = (plan, specs, fast)
    return specs, fast


def compile_specs(plan: Plan, columns: dict[str, int]) -> dict[str, IndicatorSpec]:
    """Per-indicator lookups for one header layout."""
    specs = {}
    file_dims = [d for d in plan.dimensions if d in columns]
    for ind in plan.indicators:
        dim_cols = tuple(columns.get(d, -1) for d in ind.dimensions)
        dim_values = tuple(frozenset(plan.dimensions.get(d, ())) for d in ind.dimensions)
        foreign = tuple((columns[d], d) for d in file_dims if d not in ind.dimensions)
        specs[ind.id] = IndicatorSpec(ind, ind.unit, dim_cols, dim_values, foreign)
    return specs


@dataclass(frozen=True)
class FastTables:
    ids: frozenset[str]
    yes_no: frozenset[str]
    percent: frozenset[str]
    unit: dict[str, str]
    dims: tuple[tuple[int, frozenset[str], dict[str, bool]], ...]  # (column, allowed cells, indicator takes it)
    unit_pairs: frozenset[tuple[str, str]]
    tag: dict[str, str]  # by indicator: the prefix of its values in _TAGGED_LINES
    no_dims: frozenset[str]  # indicators without a breakdown
    canonical: dict[str, str]  # each indicator id to the plan's own string of it
    dim_all: tuple[int, ...]  # the file's dimension columns
    # what the key columns of a chunk allow, by their content (see ``shapes``)
    shapes: dict[Any, Any] = field(default_factory=dict, compare=False, hash=False)


def fast_tables(plan: Plan, columns: dict[str, int], specs: dict[str, IndicatorSpec]) -> FastTables:
    dims = tuple(
        (columns[d], frozenset({"", *values}), {i.id: d in i.dimensions for i in plan.indicators})
        for d, values in plan.dimensions.items()
        if d in columns
    )
    return FastTables(
        ids=frozenset(specs),
        yes_no=frozenset(i.id for i in plan.indicators if i.unit == "yes_no"),
        percent=frozenset(i.id for i in plan.indicators if i.unit == "percent"),
        unit={i.id: i.unit for i in plan.indicators},
        dims=dims,
        unit_pairs=frozenset(p for i in plan.indicators for p in ((i.id, ""), (i.id, i.unit))),
        tag={i.id: "y" if i.unit == "yes_no" else "c" if i.unit in COUNTED_UNITS else "n" for i in plan.indicators},
        no_dims=frozenset(i for i, spec in specs.items() if not spec.dim_cols),
        canonical={i.id: i.id for i in plan.indicators},
        dim_all=tuple(columns[d] for d in plan.dimensions if d in columns),
    )
