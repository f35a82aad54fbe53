"""The computed records of ``report``: a row per series, a summary per benchmark and member, a verdict per goal."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from aseanwp.plan import Plan
from aseanwp.progress import NOT_AVAILABLE

Note = dict[str, Any]  # a data note: {"code": ..., facts as fields}; the renderers word it (SPEC 3, rev. 2)


@dataclass(slots=True)  # a report on 1,000 districts has 23,000 rows: slots are a third of the memory
class Row:
    """One series (a member's or the region's) at the requested year: figures, change and status."""

    benchmark: str
    indicator: str
    country: str
    dimensions: dict[str, str]
    unit: str
    direction: str  # of this series: a dimension value may override the indicator's (SPEC 2.2, rev. 2)
    base_year: int | None = None
    base_value: float | None = None
    year: int | None = None
    value: float | None = None
    lower: float | None = None  # the range published for ``year`` (never another year's)
    upper: float | None = None
    change: float | None = None
    change_pct: float | None = None
    change_pp: float | None = None
    prev_year: int | None = None
    prev_value: float | None = None
    prev_change_pct: float | None = None
    target: float | None = None
    target_year: int | None = None
    progress_value: float | None = None
    status: str = NOT_AVAILABLE
    score: float | None = None
    flags: list[str] = field(default_factory=list)
    coverage: list[str] | None = None
    excluded: list[dict[str, str]] | None = None
    counts: dict[str, int] | None = None
    sources: list[str] = field(default_factory=list)
    break_year: int | None = None
    since_break: dict[str, Any] | None = None  # {year, value, change_pct}: the comparable change after a break
    all_value: float | None = None  # region sums: every member's latest figure
    coverage_share: float | None = None  # region sums: value / all_value
    notes: list[Note] = field(default_factory=list)
    # beyond SPEC 3's fields
    target_path: bool = False  # rated against a path to a target (rule 7): the words may say "on track"
    headline: bool = False  # the series that stands for its indicator in summaries
    region: bool = False
    history: list[tuple[int, float]] = field(default_factory=list)  # (year, value) up to the requested year
    history_sources: list[str] = field(default_factory=list)  # file:line of every figure in ``history``
    illustrative: bool = False

    @property
    def total(self) -> bool:
        return not self.dimensions

    def note(self, code: str) -> Note | None:
        """The first note of ``code``."""
        return next((n for n in self.notes if n["code"] == code), None)

    def as_dict(self) -> dict[str, Any]:
        """The JSON fields (SPEC 3) and the history, in JSON_FIELDS order."""
        return {
            "benchmark": self.benchmark,
            "indicator": self.indicator,
            "country": self.country,
            "dimensions": self.dimensions,
            "unit": self.unit,
            "direction": self.direction,
            "base_year": self.base_year,
            "base_value": self.base_value,
            "year": self.year,
            "value": self.value,
            "lower": self.lower,
            "upper": self.upper,
            "change": self.change,
            "change_pct": self.change_pct,
            "change_pp": self.change_pp,
            "prev_year": self.prev_year,
            "prev_value": self.prev_value,
            "prev_change_pct": self.prev_change_pct,
            "target": self.target,
            "target_year": self.target_year,
            "progress_value": self.progress_value,
            "status": self.status,
            "score": self.score,
            "flags": self.flags,
            "coverage": self.coverage,
            "excluded": self.excluded,
            "counts": self.counts,
            "sources": self.sources,
            "break_year": self.break_year,
            "since_break": self.since_break,
            "all_value": self.all_value,
            "coverage_share": self.coverage_share,
            "notes": self.notes,
            "target_path": self.target_path,
            "headline": self.headline,
            "illustrative": self.illustrative,
            "history": [{"year": y, "value": v} for y, v in self.history],
        }


JSON_FIELDS = (
    "benchmark",
    "indicator",
    "country",
    "dimensions",
    "unit",
    "direction",
    "base_year",
    "base_value",
    "year",
    "value",
    "lower",
    "upper",
    "change",
    "change_pct",
    "change_pp",
    "prev_year",
    "prev_value",
    "prev_change_pct",
    "target",
    "target_year",
    "progress_value",
    "status",
    "score",
    "flags",
    "coverage",
    "excluded",
    "counts",
    "sources",
    "break_year",
    "since_break",
    "all_value",
    "coverage_share",
    "notes",
    "target_path",
    "headline",
    "illustrative",
)


@dataclass
class Summary:
    """A benchmark's status for one member or the region, from its headline series (SPEC 4)."""

    benchmark: str
    country: str
    status: str
    score: float | None
    counts: dict[str, int]
    target_path: bool = False  # every rated series was rated against a path to a target

    def as_dict(self) -> dict[str, Any]:
        return {
            "benchmark": self.benchmark,
            "country": self.country,
            "status": self.status,
            "score": self.score,
            "counts": self.counts,
            "target_path": self.target_path,
        }


@dataclass
class Verdict:
    """A goal's status, from its benchmarks' region scores; the benchmarks without one are named (SPEC 4, rev. 2)."""

    goal: str
    status: str
    score: float | None
    rated: list[str]  # benchmark ids with a region score
    unrated: dict[str, str]  # benchmark id -> its region status (context, insufficient coverage, ...)
    target_path: bool = False

    def as_dict(self) -> dict[str, Any]:
        return {
            "goal": self.goal,
            "status": self.status,
            "score": self.score,
            "rated": self.rated,
            "unrated": self.unrated,
            "target_path": self.target_path,
        }


@dataclass
class Report:
    plan: Plan
    year: int
    rows: list[Row]
    summaries: list[Summary]
    verdicts: list[Verdict] = field(default_factory=list)
    #: file:line of every figure whose source says it is illustrative (SPEC 5, rev. 2: every output warns)
    illustrative_refs: frozenset[str] = frozenset()

    def figures(self) -> tuple[int, int]:
        """(figures used by the rows, of which illustrative): the counts behind the illustrative warning."""
        used = {s for r in self.rows for s in r.sources}
        return len(used), len(used & self.illustrative_refs)

    def summary(self, benchmark: str, country: str) -> Summary | None:
        return self._summary_index.get((benchmark, country))

    @cached_property
    def _summary_index(self) -> dict[tuple[str, str], Summary]:
        return {(s.benchmark, s.country): s for s in reversed(self.summaries)}  # the first of a pair, as a scan
