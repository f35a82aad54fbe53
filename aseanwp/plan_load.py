"""Loading a plan file: bytes to YAML to the validated plan, every problem a finding with its YAML line, and the
checks a schema alone cannot make (unique ids, references, coverage, years).

A plan that passed all of this is remembered in the user's cache, keyed by its bytes and this version of aseanwp,
so that the next command reads it back without YAML or pydantic (most of a short command's start-up time).
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from aseanwp import cache
from aseanwp.findings import Finding, display_path, finding, ordered
from aseanwp.plan import INDICATOR_COLUMNS, Plan, PlanError, from_data, suggest

if TYPE_CHECKING:
    from pydantic import ValidationError

    from aseanwp.yamlload import Located

MAX_PLAN = 64 * 1024 * 1024


def load_plan(path: str | os.PathLike[str]) -> Plan:
    """Read, parse and check a plan file; raise PlanError with findings (each with its YAML line)."""
    file = display_path(path)
    try:
        if not stat.S_ISREG(os.stat(path).st_mode):  # a FIFO or device would block or never end
            raise PlanError([finding(file, None, "unreadable", "the plan is not a regular file", "give a file")])
        with open(path, "rb") as fh:
            raw = fh.read(MAX_PLAN + 1)
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
    entry = cache.key("plan", raw)
    known = cache.get(entry)
    if isinstance(known, dict):
        cached = _from_cache(known)
        if cached is not None:
            return _remember(cached, entry)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise PlanError(
            [finding(file, line, "encoding", f"byte {exc.start + 1} is not UTF-8", "save the file as UTF-8")]
        ) from None
    from aseanwp.yamlload import YamlProblem, load

    try:
        located = load(text, file)
    except YamlProblem as problem:
        raise PlanError([problem.finding]) from None
    plan = plan_from_data(located, file)
    cache.put(entry, plan.model_dump(mode="json"))  # only a plan that passed every check
    return _remember(plan, entry)


# The digest of each loaded plan's bytes, by the plan (its id, with the plan kept so the id stays its own): what
# the cache of checked report files is keyed by, without hashing the plan again.
_DIGESTS: dict[int, tuple[Plan, str]] = {}


def _remember(plan: Plan, digest: str) -> Plan:
    if len(_DIGESTS) > 16:
        _DIGESTS.clear()
    _DIGESTS[id(plan)] = (plan, digest)
    return plan


def plan_digest(plan: Plan) -> str:
    """A digest of the plan: of its file's bytes when it was loaded from one, else of its data."""
    known = _DIGESTS.get(id(plan))
    if known is not None and known[0] is plan:
        return known[1]
    import json

    return cache.key("plan-data", json.dumps(plan.model_dump(mode="json"), sort_keys=True, ensure_ascii=False))


def _from_cache(data: dict[str, Any]) -> Plan | None:
    """A plan read back from the cache (it passed every check when stored); None if the entry does not fit."""
    try:
        return from_data(Plan, data)  # type: ignore[no-any-return]
    except (TypeError, ValueError, KeyError, AttributeError):
        return None


def plan_from_data(located: Located, file: str) -> Plan:
    """Validate located data into a Plan; raise PlanError with line-numbered findings."""
    if not isinstance(located.data, dict):
        raise PlanError(
            [finding(file, 1, "schema", "the plan must be a YAML mapping", "start from data/workplan.yaml")]
        )
    from pydantic import ValidationError

    from aseanwp.plan_schema import validate

    try:
        plan = validate(located.data)
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
