"""Reporting completeness: for each member and year, the share of core indicators filled (SPEC 3 `status`, 6.2)."""

from __future__ import annotations

from collections.abc import Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass

from aseanwp.dataset import Dataset
from aseanwp.plan import Plan
from aseanwp.reports import ReportFile


@dataclass(frozen=True, slots=True)
class Cell:
    file: bool  # an indicator file exists for this member and year
    filled: int  # core indicators with a figure, a range or not_applicable
    core: int
    invalid: bool = False  # the file has errors (its valid rows still count)

    @property
    def share(self) -> float | None:
        return self.filled / self.core if self.file and self.core else (0.0 if self.file else None)


def completeness(
    plan: Plan,
    data: Dataset,
    present: set[tuple[str, int]],
    years: range,
    invalid: AbstractSet[tuple[str, int]] = frozenset(),
) -> dict[tuple[str, int], Cell]:
    """Cells for every member and year in ``years``; ``present`` holds the (member, year) files that exist."""
    core = {i.id for i in plan.indicators if i.core}
    filled: dict[tuple[str, int], set[str]] = {}
    for (country, indicator, dims), points in data.series().items():
        if indicator not in core or any(dims):
            continue
        for p in points:
            if p.value is not None or p.lower is not None or "not_applicable" in p.flags:
                filled.setdefault((country, p.year), set()).add(indicator)
    return {
        (code, year): Cell(
            (code, year) in present, len(filled.get((code, year), ())), len(core), (code, year) in invalid
        )
        for code in plan.member_codes
        for year in years
    }


def grid(
    plan: Plan,
    data: Dataset,
    found: Sequence[ReportFile],
    invalid_files: AbstractSet[str] = frozenset(),
    up_to: int | None = None,
) -> tuple[dict[tuple[str, int], Cell], range]:
    """The completeness grid of the report files ``found`` (validation's): years from the baseline to ``up_to``
    (default: the latest file)."""
    files = [rf for rf in found if rf.kind == "indicators" and rf.year in plan.years]
    present = {(rf.country, rf.year) for rf in files}
    invalid = {(rf.country, rf.year) for rf in files if rf.file in invalid_files}
    last = up_to if up_to is not None else max((rf.year for rf in files), default=plan.baseline_year)
    years = range(plan.baseline_year, last + 1)
    return completeness(plan, data, present, years, invalid), years


def cell_text(cell: Cell) -> str:
    if not cell.file:
        return "missing"
    share = cell.share or 0.0
    return f"{share:.0%}" + (" !" if cell.invalid else "")
