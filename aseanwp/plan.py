"""The plan as data: what ``workplan.yaml`` holds, as plain frozen dataclasses with the lookups the tool needs.

The classes are the single description of the plan file. Each field's ``metadata`` holds its description and its
constraints, from which ``plan_schema`` builds the pydantic models that validate a file and give its JSON Schema;
``plan_load`` reads and checks a file. Nothing here imports pydantic or YAML: a command that finds the plan in the
cache (see ``plan_load``) starts without either, which is most of a short command's start-up time.
"""

from __future__ import annotations

import datetime as dt
import os
import types
import typing
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field, fields, is_dataclass
from functools import cached_property
from typing import TYPE_CHECKING, Annotated, Any, Literal, Union, get_args, get_origin

from aseanwp.frozen import Frozen

if TYPE_CHECKING:
    from aseanwp.findings import Finding
    from aseanwp.yamlload import Located

Unit = Literal["ha", "t", "kg", "tablets", "count", "persons", "households", "percent", "yes_no"]
COUNTED_UNITS: frozenset[str] = frozenset({"tablets", "count", "persons", "households"})
Direction = Literal["decrease", "increase", "none"]
Aggregate = Literal["sum", "none"]
ReviewKind = Literal["annual", "midterm", "final"]
Status = Literal[
    "target_achieved",
    "substantial_progress",
    "moderate_progress",
    "limited_progress",
    "deterioration",
    "held_at_zero",
    "not_comparable",
    "not_available",
    "context",
    "insufficient_coverage",
    "mixed",
    "uncertain",
]
STATUSES: tuple[str, ...] = get_args(Status)
#: The banded statuses of rules 7 and 8, whose words differ with and without a target (SPEC 4, rev. 2).
Banded = Literal["substantial_progress", "moderate_progress", "limited_progress", "deterioration"]

#: The words shown for each status when the plan gives none. "On track" and "acceleration needed" speak of a path to
#: a target, so they are the words of rows rated against one; rows without a target take LABELS_NO_TARGET.
LABELS: dict[str, str] = {
    "target_achieved": "Target achieved",
    "substantial_progress": "On track",
    "moderate_progress": "Progress, acceleration needed",
    "limited_progress": "Limited progress",
    "deterioration": "Deterioration",
    "held_at_zero": "Held at zero",
    "not_comparable": "Not comparable (series break)",
    "not_available": "Not available",
    "context": "Context (not rated)",
    "insufficient_coverage": "Too few members reporting",
    "mixed": "Mixed: members diverge",
    "uncertain": "Uncertain: range straddles",
}
LABELS_NO_TARGET: dict[str, str] = {
    "substantial_progress": "Strong improvement",
    "moderate_progress": "Moderate improvement",
    "limited_progress": "Little or no improvement",
    "deterioration": "Deterioration",
}

# The columns of an indicator file (SPEC 2.3); the plan's dimensions add one column each, so none may take
# one of these names.
INDICATOR_COLUMNS = ("indicator", "value", "lower", "upper", "unit", "source", "flag", "notes", "country", "year")


@dataclass(init=False, repr=False, eq=False, kw_only=True)  # the methods: Frozen's
class Rule(Frozen):
    """Constraints on a value, for the schema (``plan_schema`` turns them into pydantic's)."""

    pattern: str | None = None
    min_length: int | None = None
    max_length: int | None = None
    ge: float | None = None
    le: float | None = None
    gt: float | None = None
    strict: bool | None = None


Code = Annotated[str, Rule(pattern=r"^[A-Z0-9-]{2,12}$")]
Ident = Annotated[str, Rule(pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]*$", max_length=64)]
IndicatorId = Annotated[str, Rule(pattern=r"^[a-z][a-z0-9_]*$", max_length=64)]
Name = Annotated[str, Rule(pattern=r"^[a-z][a-z0-9_]*$", max_length=64)]
Text = Annotated[str, Rule(min_length=1)]
Year = Annotated[int, Rule(ge=1900, le=2200)]
NonNegative = Annotated[float, Rule(ge=0)]


_REQUIRED = object()


def D(text: str, default: Any = _REQUIRED, default_factory: Any = None, **rules: Any) -> Any:  # noqa: N802
    """A field with its description and constraints (``rules``), which the schema gives editors."""
    metadata = {"description": text, "rule": Rule(**rules) if rules else None}
    if default_factory is not None:
        return field(default_factory=default_factory, metadata=metadata)
    if default is not _REQUIRED:
        return field(default=default, metadata=metadata)
    return field(metadata=metadata)


class Node(Frozen):
    """What every part of the plan shares: a problem check for the schema, and a plain-data view."""

    @staticmethod
    def problem(values: Any) -> str | None:
        """A problem across fields (the schema reports it at this part); ``values`` has this part's fields."""
        return None

    def model_dump(self, mode: str = "python") -> dict[str, Any]:
        """The part as plain data (``mode="json"``: dates as text), with the YAML's field names."""
        data = asdict(self)  # type: ignore[call-overload]
        return _jsonable(data) if mode == "json" else data  # type: ignore[no-any-return]


def _jsonable(x: Any) -> Any:
    if isinstance(x, dict):
        return {k: _jsonable(v) for k, v in x.items()}
    if isinstance(x, list | tuple):
        return [_jsonable(v) for v in x]
    if isinstance(x, dt.date):
        return x.isoformat()
    return x


@dataclass(init=False, repr=False, eq=False, kw_only=True)  # the methods: Frozen's
class Adopted(Node):
    """Who adopted the plan, when and where."""

    by: Text = D("the meeting or body that adopted the plan")
    # a date written plainly (YAML reads a date) or quoted (YAML 1.2 and JSON read text): both are the same date
    date: dt.date = D("the date of adoption, YYYY-MM-DD", strict=False)
    place: Text = D("where the plan was adopted")


@dataclass(init=False, repr=False, eq=False, kw_only=True)  # the methods: Frozen's
class Period(Node):
    """The years the plan runs."""

    start: Year = D("the first year of the plan")
    end: Year = D("the last year of the plan, the year of the final assessment")

    @staticmethod
    def problem(values: Any) -> str | None:
        if values.end < values.start:
            return f"the period ends ({values.end}) before it starts ({values.start})"
        return None


@dataclass(init=False, repr=False, eq=False, kw_only=True)  # the methods: Frozen's
class Review(Node):
    """A review of the monitoring mechanism."""

    kind: ReviewKind = D("annual, midterm or final")
    year: Year = D("the year of the meeting")
    data_year: Year | None = D("the latest year of figures the review covers (default: its year)", default=None)
    title: Text = D("the review's title, as its heading")

    @property
    def figures_year(self) -> int:
        """The latest year of figures the review covers."""
        return self.data_year if self.data_year is not None else self.year


@dataclass(init=False, repr=False, eq=False, kw_only=True)  # the methods: Frozen's
class Member(Node):
    """A reporting member (a country, or a province in a national plan)."""

    code: Code = D("2 to 12 of A-Z, 0-9 and -: the name of the member's reports folder (ISO 3166-1 alpha-3 here)")
    name: Text = D("the name shown in reports and reviews")


@dataclass(init=False, repr=False, eq=False, kw_only=True)  # the methods: Frozen's
class Goal(Node):
    """An element of the plan's vision."""

    id: Ident = D("the goal's id, e.g. I")
    title: Text = D("the goal as the plan words it")


@dataclass(init=False, repr=False, eq=False, kw_only=True)  # the methods: Frozen's
class Benchmark(Node):
    """An agreed benchmark of a goal."""

    id: Ident = D("the benchmark's id, e.g. I.a")
    goal: Ident = D("the id of the goal it belongs to")
    text: Text = D("the benchmark as the plan words it")


@dataclass(init=False, repr=False, eq=False, kw_only=True)  # the methods: Frozen's
class Action(Node):
    """An action of an objective."""

    id: Ident = D("the action's id, e.g. II.1.8")
    text: Text = D("the action's text, verbatim")


@dataclass(init=False, repr=False, eq=False, kw_only=True)  # the methods: Frozen's
class Objective(Node):
    """A numbered heading of the plan, with the benchmarks it serves and its actions."""

    id: Ident = D("the objective's id, e.g. II.1")
    goal: Ident = D("the id of the goal it belongs to")
    title: Text = D("the heading as the plan words it")
    benchmarks: list[Ident] = D("the ids of the benchmarks it serves", min_length=1)
    actions: list[Action] = D("its actions, in the plan's order", default_factory=list)


@dataclass(init=False, repr=False, eq=False, kw_only=True)  # the methods: Frozen's
class Target(Node):
    """A numeric target of an indicator."""

    value: NonNegative = D("the target of every member's series (1 for yes, 0 for no)")
    year: Year | None = D("the year the target is due (default: the period's end)", default=None)
    members: dict[Code, NonNegative] = D("a member's own target, overriding value", default_factory=dict)
    region: NonNegative | None = D(
        "the target of the region's row (member targets do not add up; default: none)", default=None
    )


@dataclass(init=False, repr=False, eq=False, kw_only=True)  # the methods: Frozen's
class Indicator(Node):
    """An indicator of the standardised Country Report."""

    id: IndicatorId = D("the id used in report files, e.g. opium_poppy_area_ha")
    name: Text = D("the name shown in reports and reviews")
    benchmark: Ident = D("the id of the benchmark it measures")
    unit: Unit = D("the unit of its figures; tablets, count, persons and households take whole numbers")
    direction: Direction = D("the desired direction; none for a context indicator, shown but not rated")
    aggregate: Aggregate = D("sum to add members up in the region's row; none for rates, which are never added")
    core: bool = D("every member is expected to report it every year (counted in completeness)", default=False)
    dimensions: list[Name] = D("the breakdowns a report may give, each a column of the report", default_factory=list)
    target: Target | None = D("a numeric target, if the plan sets one", default=None)
    description: str = D("what to report, for the template and focal points", default="")
    directions: dict[Name, dict[Ident, Direction]] = D(
        "a direction per dimension value, overriding direction for the series that carry it "
        "(e.g. {modality: {compulsory: none}})",
        default_factory=dict,
    )
    headline: dict[Name, Ident] | None = D(
        "the breakdown that stands for the indicator in summaries instead of the total, which then is context "
        "(e.g. {modality: voluntary})",
        default=None,
    )

    @staticmethod
    def problem(values: Any) -> str | None:
        if values.unit == "percent" and values.aggregate == "sum":
            return "a percent indicator cannot be summed across members: use aggregate: none"
        if values.target is not None and values.direction == "none":
            return "a context indicator (direction: none) is not rated, so it cannot have a target"
        if values.headline is not None and not values.headline:
            return "headline names no dimension value: leave it out for the total"
        return None

    def direction_of(self, dims: dict[str, str]) -> str:
        """The direction of one series: a dimension value's override, else the indicator's. With a headline,
        the total mixes the headline series with the others (voluntary and compulsory treatment), so it is
        context."""
        if not dims:
            return "none" if self.headline else self.direction
        found = None
        for name, value in dims.items():
            override = self.directions.get(name, {}).get(value)
            if override == "none":
                return "none"
            found = found or override
        return found or self.direction

    def is_headline(self, dims: dict[str, str]) -> bool:
        """Whether a series (by its dimension values) stands for the indicator in summaries."""
        return dims == (self.headline or {})


@dataclass(init=False, repr=False, eq=False, kw_only=True)  # the methods: Frozen's
class Thresholds(Node):
    """The cut points of limited, moderate and substantial progress."""

    low: float = D("at or above: limited progress (below: deterioration)")
    med: float = D("at or above: moderate progress")
    high: float = D("at or above: substantial progress")

    @staticmethod
    def problem(values: Any) -> str | None:
        return None if values.low < values.med < values.high else "thresholds must rise: low < med < high"


@dataclass(init=False, repr=False, eq=False, kw_only=True)  # the methods: Frozen's
class Progress(Node):
    """The progress measure's settings and the words shown for each status."""

    no_target: Thresholds = D(
        "thresholds of v, the annual growth rate in the desired direction, for series without a target",
        default=Thresholds(low=0, med=0.005, high=0.015),
    )
    with_target: Thresholds = D(
        "thresholds of R, the ratio of actual to required growth, for series with a target",
        default=Thresholds(low=0, med=0.6, high=0.95),
    )
    jump_factor: float = D("a figure changing more than this many times in a year is a jump warning", default=10, gt=1)
    region_min_coverage: float = D(
        "the least share of what members report that a region sum must cover to be rated, and the least share "
        "of rated members that must agree for a rate's region row (default two thirds, the World Bank's rule)",
        default=2 / 3,
        gt=0,
        le=1,
    )
    labels: dict[Status, Text] = D(
        "words per status, for rows rated against a target ('On track' promises a path to one)",
        default_factory=dict,
    )
    labels_no_target: dict[Banded, Text] = D(
        "words of the banded statuses for rows without a target (default 'Strong improvement' ...)",
        default_factory=dict,
    )

    def label(self, status: str, target: bool = False) -> str:
        """The words shown for a status; ``target``: the row was rated against a path to a target (rule 7), so
        the words may speak of being on track."""
        if not target and status in LABELS_NO_TARGET:
            return self.labels_no_target.get(status) or LABELS_NO_TARGET[status]  # type: ignore[call-overload]
        words = self.labels.get(status)  # type: ignore[call-overload]
        return str(words or LABELS.get(status) or status.replace("_", " ").capitalize())


@dataclass(init=False, repr=False, eq=False, kw_only=True)  # the methods: Frozen's
class Region(Node):
    """The region, whose code names the aggregate rows."""

    code: Code = D("the code of the region's rows; no member may use it")
    name: Text = D("the name shown in reports and reviews")


@dataclass(init=False, repr=False, eq=False, kw_only=True)  # the methods: Frozen's
class Plan(Node):
    """A work plan: its goals, benchmarks, objectives, actions, indicators and monitoring mechanism."""

    format_version: Literal[1] = D("the version of this file's format: 1")
    title: Text = D("the plan's title")
    adopted: Adopted = D("who adopted the plan, when and where")
    source: Text = D("the document the plan is transcribed from")
    period: Period = D("the years the plan runs")
    baseline_year: Year = D("the year of the baseline Country Report, at or before the period's start")
    reviews: list[Review] = D("the reviews of the monitoring mechanism", default_factory=list)
    members: list[Member] = D("the reporting members", min_length=1)
    region: Region = D("the region, for the aggregate rows")
    goals: list[Goal] = D("the elements of the plan's vision", min_length=1)
    benchmarks: list[Benchmark] = D("the agreed benchmarks", min_length=1)
    objectives: list[Objective] = D("the plan's numbered headings, with their actions", default_factory=list)
    indicators: list[Indicator] = D("the indicators of the standardised Country Report", min_length=1)
    dimensions: dict[Name, list[Ident]] = D(
        "each breakdown's name and its allowed values, e.g. population: [students, youth]", default_factory=dict
    )
    progress: Progress = D("the progress measure's settings and words", default=Progress())

    @classmethod
    def model_validate(cls, data: Any) -> Plan:
        """Validate plain data against the schema (not the checks across parts: see ``plan_from_data``)."""
        from aseanwp.plan_schema import validate

        return validate(data)

    # lookups, built once per plan: the engine looks up an indicator and a member for every series
    @cached_property
    def indicators_by_id(self) -> dict[str, Indicator]:
        return {i.id: i for i in self.indicators}

    @cached_property
    def members_by_code(self) -> dict[str, Member]:
        return {m.code: m for m in self.members}

    @cached_property
    def actions_by_id(self) -> dict[str, Action]:
        return {a.id: a for o in self.objectives for a in o.actions}

    def indicator(self, ident: str) -> Indicator | None:
        return self.indicators_by_id.get(ident)

    def member(self, code: str) -> Member | None:
        return self.members_by_code.get(code)

    def action(self, ident: str) -> Action | None:
        return self.actions_by_id.get(ident)

    @cached_property
    def member_codes(self) -> list[str]:
        """The members' codes (one list, made once: callers read it and do not change it)."""
        return [m.code for m in self.members]

    @property
    def action_ids(self) -> list[str]:
        return list(self.actions_by_id)

    @property
    def years(self) -> range:
        """Every year a report may describe: the baseline year to the end of the period."""
        return range(self.baseline_year, self.period.end + 1)

    def benchmark_indicators(self, benchmark: str) -> list[Indicator]:
        return [i for i in self.indicators if i.benchmark == benchmark]

    def review(self, kind: str, year: int | None = None) -> Review | None:
        for r in self.reviews:
            if r.kind == kind and (year is None or r.year == year):
                return r
        return None

    def name_of(self, code: str) -> str:
        if code == self.region.code:
            return self.region.name
        m = self.member(code)
        return m.name if m else code


def parts() -> list[type[Node]]:
    """Every dataclass of the plan, the plan last (for the schema)."""
    return [Adopted, Period, Review, Member, Goal, Benchmark, Action, Objective, Target, Indicator, Thresholds,
            Progress, Region, Plan]  # fmt: skip


def is_part(tp: Any) -> bool:
    return isinstance(tp, type) and is_dataclass(tp) and issubclass(tp, Node)


def hints(cls: type) -> dict[str, Any]:
    """A part's field types, resolved (with their Annotated constraints)."""
    return typing.get_type_hints(cls, globalns=globals(), include_extras=True)


# --- from validated plain data back to the dataclasses ---------------------------------------------------------


def from_data(cls: type[Any], data: dict[str, Any]) -> Any:
    """A plan dataclass from validated plain data (a model's dump, or the cache's JSON), without checking it again."""
    return _builder(cls)(data)


_BUILDERS: dict[type, Any] = {}


def _builder(cls: type[Any]) -> Any:
    if cls not in _BUILDERS:
        _BUILDERS[cls] = _make_builder(cls)
    return _BUILDERS[cls]


def _make_builder(cls: type[Any]) -> Any:
    types_ = hints(cls)
    convert = {f.name: _converter(types_[f.name]) for f in fields(cls)}

    def build(data: dict[str, Any]) -> Any:
        return cls(**{k: convert[k](v) for k, v in data.items()})

    return build


def _same(x: Any) -> Any:
    return x


def _converter(tp: Any) -> Any:
    """A function turning validated plain data of type ``tp`` into the dataclasses' values."""
    if is_part(tp):
        return _builder(tp)
    origin = get_origin(tp)
    if origin is Annotated:
        return _converter(get_args(tp)[0])
    if origin is list:
        item = _converter(get_args(tp)[0])
        return _same if item is _same else lambda xs: [item(x) for x in xs]
    if origin is dict:
        value = _converter(get_args(tp)[1])
        return _same if value is _same else lambda d: {k: value(v) for k, v in d.items()}
    if origin in (Union, types.UnionType):
        inner = [_converter(a) for a in get_args(tp) if a is not type(None)]
        one = inner[0] if len(inner) == 1 else _same
        return _same if one is _same else lambda x: None if x is None else one(x)
    if tp is dt.date:
        return lambda x: x if isinstance(x, dt.date) else dt.date.fromisoformat(x)
    if tp is float:
        return float
    if origin is Literal or tp in (str, int, bool, Any):
        return _same
    return _same


class PlanError(Exception):
    """The plan could not be loaded; ``findings`` say why."""

    def __init__(self, findings: list[Finding]) -> None:
        super().__init__(f"{len(findings)} problem(s) in the plan")
        self.findings = findings


def suggest(word: str, choices: Iterable[str]) -> str:
    """The closest choice, for hints ('' when nothing is close)."""
    options = list(choices)
    lowered = {c.lower(): c for c in options}
    if word.strip().lower() in lowered:
        return lowered[word.strip().lower()]
    from difflib import get_close_matches  # here: only a finding's hint needs it

    match = get_close_matches(word, options, n=1, cutoff=0.6)
    if match:
        return match[0]
    # a shortened id ('heroin' for heroin_seized_kg) is not close by ratio, but its meaning is plain
    key = word.strip().lower()
    if len(key) >= 3:
        for test in (str.startswith, str.__contains__):
            found = [c for c in options if test(c.lower(), key)]
            if len(found) == 1:
                return found[0]
    return ""


def load_plan(path: str | os.PathLike[str]) -> Plan:
    """Read, parse and check a plan file; raise PlanError with findings (each with its YAML line)."""
    from aseanwp.plan_load import load_plan as load

    return load(path)


def plan_from_data(located: Located, file: str) -> Plan:
    """Validate located data into a Plan; raise PlanError with line-numbered findings."""
    from aseanwp.plan_load import plan_from_data as validate

    return validate(located, file)
