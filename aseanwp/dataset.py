"""The validated figures, gathered by series: what ``report``, ``review`` and ``status`` compute from."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from aseanwp.reports import ReportFile

if TYPE_CHECKING:
    from aseanwp.checks import Emitted

SeriesKey = tuple[str, str, tuple[str, ...]]  # (country, indicator, dimension values in the indicator's order)


def ref_order(ref: str) -> tuple[str, int]:
    """Sort key of a ``file:line`` reference: by file, then line as a number (``:10`` after ``:9``)."""
    file, _, line = ref.rpartition(":")
    return (file, int(line) if line.isdigit() else 0)


@dataclass(slots=True)  # not frozen: a frozen dataclass is markedly slower to create, and millions are made
class Point:
    """One reported figure of a series."""

    year: int
    value: float | None
    lower: float | None
    upper: float | None
    flags: frozenset[str]
    source: str
    notes: str
    ref: str  # file:line

    @property
    def illustrative(self) -> bool:
        """The source says the figure was made up for demonstration."""
        return "illustrative" in self.source.lower()


def _year(p: Point) -> int:
    return p.year


def _exact(x: float | None) -> float | None:
    """Whole figures as integers, so sums stay exact and JSON shows 55500, not 55500.0."""
    return int(x) if x is not None and x.is_integer() else x


@dataclass(frozen=True, slots=True)
class ActionStatus:
    country: str
    year: int
    action: str
    status: str
    source: str
    notes: str
    ref: str


@dataclass
class Dataset:
    """Collects valid rows from the validator (an ``Emitter``), file by file so invalid files can be dropped."""

    by_file: dict[str, list[tuple[SeriesKey, Point]]] = field(default_factory=lambda: defaultdict(list))
    actions_by_file: dict[str, list[ActionStatus]] = field(default_factory=lambda: defaultdict(list))
    files: dict[str, ReportFile] = field(default_factory=dict)
    per_row: bool = True
    # what is derived from the rows, made once: a review asks for the series six times. Kept with the row
    # counts it was made from, so rows added later (even straight into by_file) make it again.
    _derived: dict[str, tuple[tuple[int, int], Any]] = field(default_factory=dict, repr=False, compare=False)

    def indicators(self, rf: ReportFile, first_value: dict[str, int]) -> None:
        self.files[rf.file] = rf

    def values(self, rf: ReportFile, rows: list[Emitted]) -> None:
        self.files[rf.file] = rf
        country, year, prefix = rf.country, rf.year, rf.file + ":"
        add = self.by_file[rf.file].append
        for line, indicator, dims, value, lower, upper, flags, source, notes in rows:
            if value is not None and value.is_integer():  # _exact, inline: this runs once per figure
                value = int(value)
            if lower is not None or upper is not None:
                lower, upper = _exact(lower), _exact(upper)
            add(((country, indicator, dims), Point(year, value, lower, upper, flags, source, notes, f"{prefix}{line}")))

    def action(self, rf: ReportFile, line: int, action: str, status: str, source: str, notes: str) -> None:
        self.files[rf.file] = rf
        self.actions_by_file[rf.file].append(
            ActionStatus(rf.country, rf.year, action, status, source, notes, f"{rf.file}:{line}")
        )

    def without(self, invalid: Iterable[str]) -> Dataset:
        """The same data less the given files."""
        drop = set(invalid)
        out = Dataset()
        for f, rows in self.by_file.items():
            if f not in drop:
                out.by_file[f] = rows
        for f, acts in self.actions_by_file.items():
            if f not in drop:
                out.actions_by_file[f] = acts
        out.files = {f: rf for f, rf in self.files.items() if f not in drop}
        return out

    def _stamp(self) -> tuple[int, int]:
        return len(self.by_file), sum(map(len, self.by_file.values()))

    def _cached(self, name: str) -> Any:
        hit = self._derived.get(name)
        return hit[1] if hit is not None and hit[0] == self._stamp() else None

    def series(self) -> dict[SeriesKey, list[Point]]:
        """Every series with its points in year order (independent of the order files were read).

        Made once and shared: callers read it and never change it.
        """
        hit = self._cached("series")
        if hit is not None:
            return hit  # type: ignore[no-any-return]
        out: dict[SeriesKey, list[Point]] = defaultdict(list)
        for rows in self.by_file.values():
            for key, point in rows:
                out[key].append(point)
        for points in out.values():
            points.sort(key=_year)
        series = dict(sorted(out.items()))
        self._derived["series"] = (self._stamp(), series)
        return series

    def illustrative_refs(self) -> frozenset[str]:
        """``file:line`` of every figure whose source says it is illustrative."""
        hit = self._cached("illustrative")
        if hit is not None:
            return hit  # type: ignore[no-any-return]
        marked: dict[str, bool] = {}  # by source text: a few distinct sources among many figures
        found = []
        for rows in self.by_file.values():
            for _, p in rows:
                flag = marked.get(p.source)
                if flag is None:
                    flag = marked[p.source] = p.illustrative
                if flag:
                    found.append(p.ref)
        refs = frozenset(found)
        self._derived["illustrative"] = (self._stamp(), refs)
        return refs

    def actions(self) -> list[ActionStatus]:
        return sorted(
            (a for acts in self.actions_by_file.values() for a in acts),
            key=lambda a: (a.country, a.year, a.action),
        )

    def latest_year(self) -> int | None:
        """The latest year with any value."""
        years = [p.year for rows in self.by_file.values() for _, p in rows if p.value is not None]
        return max(years) if years else None
