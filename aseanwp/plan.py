"""The plan as data: pydantic models of ``workplan.yaml``, its cross-checks, and loading with findings."""

from __future__ import annotations

import datetime as dt
import os
import stat
from collections.abc import Iterable
from difflib import get_close_matches
from functools import cached_property
from typing import Annotated, Any, Literal, get_args

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from aseanwp.findings import Finding, display_path, finding, ordered
from aseanwp.yamlload import Located, YamlProblem, load

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

Code = Annotated[str, Field(pattern=r"^[A-Z0-9-]{2,12}$")]
Ident = Annotated[str, Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]*$", max_length=64)]
IndicatorId = Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*$", max_length=64)]
Name = Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*$", max_length=64)]
Text = Annotated[str, Field(min_length=1)]
Year = Annotated[int, Field(ge=1900, le=2200)]


# The columns of an indicator file (SPEC 2.3); the plan's dimensions add one column each, so none may take
# one of these names.
INDICATOR_COLUMNS = ("indicator", "value", "lower", "upper", "unit", "source", "flag", "notes", "country", "year")


def D(text: str, **kwargs: Any) -> Any:  # noqa: N802 - reads as a field declaration
    """A field with its description, which `aseanwp schema plan` gives editors."""
    return Field(description=text, **kwargs)


class _Model(BaseModel):
    # strict: the tool accepts exactly what the JSON Schema says (no '2008' for a year, no 1 for true), so an
    # editor and `aseanwp validate` never disagree about a plan.
    # No .inf or .nan: a target or threshold of infinity rated nothing and wrote `Infinity` (not JSON) in reports.
    model_config = ConfigDict(extra="forbid", frozen=True, strict=True, allow_inf_nan=False)


class Adopted(_Model):
    """Who adopted the plan, when and where."""

    by: Text = D("the meeting or body that adopted the plan")
    # a date written plainly (YAML reads a date) or quoted (YAML 1.2 and JSON read text): both are the same date
    date: dt.date = D("the date of adoption, YYYY-MM-DD", strict=False)
    place: Text = D("where the plan was adopted")


class Period(_Model):
    """The years the plan runs."""

    start: Year = D("the first year of the plan")
    end: Year = D("the last year of the plan, the year of the final assessment")

    @model_validator(mode="after")
    def _ordered(self) -> Period:
        if self.end < self.start:
            raise ValueError(f"the period ends ({self.end}) before it starts ({self.start})")
        return self


class Review(_Model):
    """A review of the monitoring mechanism."""

    kind: ReviewKind = D("annual, midterm or final")
    year: Year = D("the year of the meeting")
    data_year: Year | None = D("the latest year of figures the review covers (default: its year)", default=None)
    title: Text = D("the review's title, as its heading")

    @property
    def figures_year(self) -> int:
        """The latest year of figures the review covers."""
        return self.data_year if self.data_year is not None else self.year


class Member(_Model):
    """A reporting member (a country, or a province in a national plan)."""

    code: Code = D("2 to 12 of A-Z, 0-9 and -: the name of the member's reports folder (ISO 3166-1 alpha-3 here)")
    name: Text = D("the name shown in reports and reviews")


class Goal(_Model):
    """An element of the plan's vision."""

    id: Ident = D("the goal's id, e.g. I")
    title: Text = D("the goal as the plan words it")


class Benchmark(_Model):
    """An agreed benchmark of a goal."""

    id: Ident = D("the benchmark's id, e.g. I.a")
    goal: Ident = D("the id of the goal it belongs to")
    text: Text = D("the benchmark as the plan words it")


class Action(_Model):
    """An action of an objective."""

    id: Ident = D("the action's id, e.g. II.1.8")
    text: Text = D("the action's text, verbatim")


class Objective(_Model):
    """A numbered heading of the plan, with the benchmarks it serves and its actions."""

    id: Ident = D("the objective's id, e.g. II.1")
    goal: Ident = D("the id of the goal it belongs to")
    title: Text = D("the heading as the plan words it")
    benchmarks: list[Ident] = D("the ids of the benchmarks it serves", min_length=1)
    actions: list[Action] = D("its actions, in the plan's order", default_factory=list)


NonNegative = Annotated[float, Field(ge=0)]


class Target(_Model):
    """A numeric target of an indicator."""

    value: NonNegative = D("the target of every member's series (1 for yes, 0 for no)")
    year: Year | None = D("the year the target is due (default: the period's end)", default=None)
    members: dict[Code, NonNegative] = D("a member's own target, overriding value", default_factory=dict)
    region: NonNegative | None = D(
        "the target of the region's row (member targets do not add up; default: none)", default=None
    )


class Indicator(_Model):
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

    @model_validator(mode="after")
    def _coherent(self) -> Indicator:
        if self.unit == "percent" and self.aggregate == "sum":
            raise ValueError("a percent indicator cannot be summed across members: use aggregate: none")
        if self.target is not None and self.direction == "none":
            raise ValueError("a context indicator (direction: none) is not rated, so it cannot have a target")
        if self.headline is not None and not self.headline:
            raise ValueError("headline names no dimension value: leave it out for the total")
        return self

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


class Thresholds(_Model):
    """The cut points of limited, moderate and substantial progress."""

    low: float = D("at or above: limited progress (below: deterioration)")
    med: float = D("at or above: moderate progress")
    high: float = D("at or above: substantial progress")

    @model_validator(mode="after")
    def _ordered(self) -> Thresholds:
        if not self.low < self.med < self.high:
            raise ValueError("thresholds must rise: low < med < high")
        return self


class Progress(_Model):
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


class Region(_Model):
    """The region, whose code names the aggregate rows."""

    code: Code = D("the code of the region's rows; no member may use it")
    name: Text = D("the name shown in reports and reviews")


class Plan(_Model):
    """A work plan: its goals, benchmarks, objectives, actions, indicators and monitoring mechanism."""

    # (lookup tables are built once, after validation: see below)
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

    # lookups -------------------------------------------------------------------------------------------
    # Cached properties, not pydantic private attributes: those are read through BaseModel.__getattr__, which
    # cost about 3 us a lookup, and the engine looks up an indicator and a member for every series.
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

    @property
    def member_codes(self) -> list[str]:
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
    file = display_path(path)
    try:
        if not stat.S_ISREG(os.stat(path).st_mode):  # a FIFO or device would block or never end
            raise PlanError([finding(file, None, "unreadable", "the plan is not a regular file", "give a file")])
        with open(path, "rb") as fh:
            raw = fh.read(64 * 1024 * 1024 + 1)
    except FileNotFoundError:
        raise PlanError(
            [
                finding(
                    file,
                    None,
                    "unreadable",
                    "the plan file does not exist",
                    "give the right path with --plan",
                )
            ]
        ) from None
    except OSError as exc:
        raise PlanError([finding(file, None, "unreadable", f"cannot read the plan: {exc.strerror}", "")]) from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise PlanError(
            [finding(file, line, "encoding", f"byte {exc.start + 1} is not UTF-8", "save the file as UTF-8")]
        ) from None
    try:
        located = load(text, file)
    except YamlProblem as problem:
        raise PlanError([problem.finding]) from None
    return plan_from_data(located, file)


def plan_from_data(located: Located, file: str) -> Plan:
    """Validate located data into a Plan; raise PlanError with line-numbered findings."""
    if not isinstance(located.data, dict):
        raise PlanError(
            [finding(file, 1, "schema", "the plan must be a YAML mapping", "start from data/workplan.yaml")]
        )
    try:
        plan = Plan.model_validate(located.data)
    except ValidationError as exc:
        raise PlanError(ordered(_schema_findings(exc, located, file))) from None
    problems = list(_cross_checks(plan, located, file))
    if problems:
        raise PlanError(ordered(problems))
    return plan


def _schema_findings(exc: ValidationError, located: Located, file: str) -> Iterable[Finding]:
    for err in exc.errors(include_url=False):
        loc = tuple(err["loc"])
        where = ".".join(str(p) for p in loc) or "(top level)"
        line = located.line_of(loc)
        if err["type"] == "extra_forbidden":
            yield finding(
                file,
                line,
                "schema",
                f"unknown key '{loc[-1]}' at {where}",
                "remove it or correct its spelling (see `aseanwp schema plan`)",
            )
        elif err["type"] == "missing":
            yield finding(
                file, line, "schema", f"{where} is required but missing", "add it (see `aseanwp schema plan`)"
            )
        else:
            shown = err.get("input")
            value = f" (got {shown!r})" if isinstance(shown, str | int | float) and len(repr(shown)) < 80 else ""
            yield finding(file, line, "schema", f"{where}: {err['msg']}{value}", _type_hint(err["type"], shown))


_YAML11_BOOLS = frozenset({"yes", "no", "on", "off", "y", "n"})


def _type_hint(kind: str, given: object) -> str:
    """How to write a value of the right type, for the mistakes YAML makes easy."""
    if kind == "string_type" and isinstance(given, bool | int | float):
        return "quote it (e.g. code: 'NO' or title: '2009'): unquoted, YAML reads it as a boolean or number"
    if kind == "bool_type" and isinstance(given, str) and given.lower() in _YAML11_BOOLS:
        return f"write true or false: YAML 1.2 reads '{given}' as text"
    if kind in ("int_type", "float_type") and isinstance(given, str):
        plain = given.replace("_", "").replace(",", "").strip()
        if plain.lstrip("-").replace(".", "", 1).isdigit():
            return f"write the number without quotes or separators: {plain}"
        return "write a number"
    if kind == "bool_type":
        return "write true or false"
    return "see `aseanwp schema plan`"


def _cross_checks(plan: Plan, located: Located, file: str) -> Iterable[Finding]:
    """Uniqueness, references, coverage and years: what a schema alone cannot say."""

    def at(*path: str | int) -> int | None:
        return located.line_of(path)

    def unique(items: list[tuple[str, tuple[str | int, ...]]], what: str) -> Iterable[Finding]:
        seen: dict[str, tuple[str | int, ...]] = {}
        for key, path in items:
            if key in seen:  # lines are looked up only here: a plan may list 50,000 districts
                yield finding(
                    file,
                    at(*path),
                    "duplicate-id",
                    f"{what} '{key}' is defined twice (first on line {at(*seen[key])})",
                    "ids must be unique: rename or remove one",
                )
            else:
                seen[key] = path

    yield from unique([(m.code, ("members", i, "code")) for i, m in enumerate(plan.members)], "member")
    yield from unique([(g.id, ("goals", i, "id")) for i, g in enumerate(plan.goals)], "goal")
    yield from unique([(b.id, ("benchmarks", i, "id")) for i, b in enumerate(plan.benchmarks)], "benchmark")
    yield from unique([(o.id, ("objectives", i, "id")) for i, o in enumerate(plan.objectives)], "objective")
    yield from unique(
        [
            (a.id, ("objectives", i, "actions", j, "id"))
            for i, o in enumerate(plan.objectives)
            for j, a in enumerate(o.actions)
        ],
        "action",
    )
    yield from unique([(x.id, ("indicators", i, "id")) for i, x in enumerate(plan.indicators)], "indicator")
    yield from unique([(f"{r.kind} {r.year}", ("reviews", i, "year")) for i, r in enumerate(plan.reviews)], "review")
    for name, values in plan.dimensions.items():
        yield from unique([(v, ("dimensions", name, j)) for j, v in enumerate(values)], f"value of dimension {name}")
        if name in INDICATOR_COLUMNS:
            yield finding(
                file,
                at("dimensions", name),
                "schema",
                f"the dimension '{name}' has the name of a standard report column",
                f"rename it: a dimension is a column of its own beside {', '.join(INDICATOR_COLUMNS)}",
            )
    if plan.member(plan.region.code):
        yield finding(
            file,
            at("region", "code"),
            "duplicate-id",
            f"the region code '{plan.region.code}' is also a member's code",
            "give the region a code no member uses (e.g. ASEAN)",
        )

    goals = {g.id for g in plan.goals}
    benchmarks = {b.id for b in plan.benchmarks}

    def dangling(value: str, known: set[str], what: str, path: tuple[str | int, ...]) -> Iterable[Finding]:
        if value not in known:
            close = suggest(value, known)
            yield finding(
                file,
                at(*path),
                "dangling-reference",
                f"{what} '{value}' is not defined in the plan",
                f"did you mean '{close}'?" if close else f"define it, or use one of: {', '.join(sorted(known))}",
            )

    for i, b in enumerate(plan.benchmarks):
        yield from dangling(b.goal, goals, "goal", ("benchmarks", i, "goal"))
    for i, o in enumerate(plan.objectives):
        yield from dangling(o.goal, goals, "goal", ("objectives", i, "goal"))
        for j, b_id in enumerate(o.benchmarks):
            yield from dangling(b_id, benchmarks, "benchmark", ("objectives", i, "benchmarks", j))
    for i, ind in enumerate(plan.indicators):
        yield from dangling(ind.benchmark, benchmarks, "benchmark", ("indicators", i, "benchmark"))
        for j, d in enumerate(ind.dimensions):
            yield from dangling(d, set(plan.dimensions), "dimension", ("indicators", i, "dimensions", j))
        own = set(ind.dimensions)
        chosen: list[tuple[str, str, tuple[str, ...]]] = [
            (name, value, ("directions", name, value)) for name, vs in ind.directions.items() for value in vs
        ]
        chosen += [(name, value, ("headline", name)) for name, value in (ind.headline or {}).items()]
        for name, value, path in chosen:
            where: tuple[str | int, ...] = ("indicators", i, *path)
            if name not in own:
                yield from dangling(name, own, f"dimension of {ind.id}", where)
            else:
                yield from dangling(value, set(plan.dimensions.get(name, [])), f"value of dimension {name}", where)
        if ind.headline and ind.direction_of(ind.headline) == "none" and ind.direction != "none":
            yield finding(
                file,
                at("indicators", i, "headline"),
                "schema",
                f"the headline series of {ind.id} is not rated (its direction is none)",
                "choose a headline series that is rated, or leave headline out",
            )
        if ind.target is not None:
            for code in ind.target.members:
                yield from dangling(
                    code, set(plan.member_codes), "member", ("indicators", i, "target", "members", code)
                )
            if ind.target.year is not None and not plan.baseline_year < ind.target.year <= plan.period.end:
                yield finding(
                    file,
                    at("indicators", i, "target", "year"),
                    "schema",
                    f"target year {ind.target.year} is outside {plan.baseline_year + 1}-{plan.period.end}",
                    "a target year falls after the baseline and within the period",
                )
            if ind.unit == "yes_no":
                targets: list[float] = [ind.target.value, *ind.target.members.values()]
                if any(v not in (0, 1) for v in targets):
                    yield finding(
                        file,
                        at("indicators", i, "target"),
                        "schema",
                        "a yes_no target must be 1 (yes) or 0 (no)",
                        "use 1 for yes, 0 for no",
                    )

    for i, b in enumerate(plan.benchmarks):
        if not plan.benchmark_indicators(b.id):
            yield finding(
                file,
                at("benchmarks", i, "id"),
                "schema",
                f"benchmark '{b.id}' has no indicator",
                "add at least one indicator with this benchmark",
            )
        if not any(b.id in o.benchmarks for o in plan.objectives):
            yield finding(
                file,
                at("benchmarks", i, "id"),
                "schema",
                f"benchmark '{b.id}' is served by no objective",
                "list it under the benchmarks of at least one objective",
            )

    if plan.baseline_year > plan.period.start:
        yield finding(
            file,
            at("baseline_year"),
            "schema",
            f"the baseline year {plan.baseline_year} is after the period's start {plan.period.start}",
            "the baseline comes before or at the start of the period",
        )
    for i, r in enumerate(plan.reviews):
        if not plan.period.start <= r.year <= plan.period.end:
            yield finding(
                file,
                at("reviews", i, "year"),
                "schema",
                f"review year {r.year} is outside the period {plan.period.start}-{plan.period.end}",
                "reviews take place within the period",
            )
        if r.data_year is not None and not plan.baseline_year <= r.data_year <= r.year:
            yield finding(
                file,
                at("reviews", i, "data_year"),
                "schema",
                f"data_year {r.data_year} is outside {plan.baseline_year}-{r.year}",
                "a review covers figures from the baseline year up to its own year",
            )
