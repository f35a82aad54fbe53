"""The plan file: the shipped plan is the seed; a broken plan gets the right finding on the right line."""

from __future__ import annotations

import json
import re
import time
from pathlib import Path

import jsonschema
import pytest
import yaml
from conftest import PLAN, SEED, invoke_cli

from aseanwp.plan import Plan, PlanError, load_plan
from aseanwp.yamlload import load as load_yaml

# --- the seed -----------------------------------------------------------------------------------------------

_PART = re.compile(r"^Part (I{1,3})\b")
_ACTION = re.compile(r"^\s*-\s+(\d+)\.(\d+)\s+(.*\S)\s*$")
_OBJECTIVE = re.compile(r"^\s*(?:-\s+)?(\d+)\.\s+\S")
_CONTINUATION = re.compile(r"^\s*-\s+([a-z].*\S)\s*$")


def seed_plan() -> tuple[list[str], dict[str, str], list[str]]:
    """From the seed: objective ids, action texts by id, and the actions continued on a later line."""
    objectives: list[str] = []
    actions: dict[str, str] = {}
    continued: list[str] = []
    part = None
    last = None
    for line in SEED.read_text(encoding="utf-8").splitlines():
        m = _PART.match(line)
        if m:
            part, last = m.group(1), None
            continue
        if part is None:
            continue
        m = _ACTION.match(line)
        if m:
            last = f"{part}.{m.group(1)}.{m.group(2)}"
            actions[last] = m.group(3)
            continue
        m = _CONTINUATION.match(line)
        if m and last is not None:
            actions[last] += " " + m.group(1)
            continued.append(last)
            continue
        m = _OBJECTIVE.match(line)
        if m:
            objectives.append(f"{part}.{m.group(1)}")
            last = None
    return objectives, actions, continued


def test_seed_parser_reads_the_whole_seed() -> None:
    objectives, actions, continued = seed_plan()
    assert objectives == ["I.1", "I.2", "II.1", "II.2", "II.3", "III.1", "III.2", "III.3"]
    assert len(actions) == 55
    assert continued == ["II.2.3"]


# --- the shipped plan ---------------------------------------------------------------------------------------


def test_shipped_plan_loads(plan: Plan) -> None:
    assert plan.format_version == 1
    assert (plan.period.start, plan.period.end, plan.baseline_year) == (2009, 2015, 2008)
    assert str(plan.adopted.date) == "2009-07-01"
    assert "Ha Noi" in plan.adopted.place


def test_counts(plan: Plan) -> None:
    assert [g.id for g in plan.goals] == ["I", "II", "III"]
    assert len(plan.benchmarks) == 10
    assert len(plan.objectives) == 8
    assert sum(len(o.actions) for o in plan.objectives) == 55
    assert len(plan.action_ids) == 55


def test_members_and_region(plan: Plan) -> None:
    assert {m.code: m.name for m in plan.members} == {
        "BRN": "Brunei Darussalam",
        "KHM": "Cambodia",
        "IDN": "Indonesia",
        "LAO": "Lao PDR",
        "MYS": "Malaysia",
        "MMR": "Myanmar",
        "PHL": "Philippines",
        "SGP": "Singapore",
        "THA": "Thailand",
        "VNM": "Viet Nam",
    }
    assert plan.region.code == "ASEAN"
    assert plan.member("ASEAN") is None


def test_reviews(plan: Plan) -> None:
    annual = sorted(r.year for r in plan.reviews if r.kind == "annual")
    assert annual == list(range(2009, 2016))
    midterm = plan.review("midterm")
    assert midterm is not None and (midterm.year, midterm.figures_year) == (2012, 2011)
    final = plan.review("final")
    assert final is not None and (final.year, final.figures_year) == (2015, 2015)


def test_benchmark_ids(plan: Plan) -> None:
    ids = ["I.a", "I.b", "I.c", "II.a", "II.b", "II.c", "II.d", "III.a", "III.b", "III.c"]
    assert [b.id for b in plan.benchmarks] == ids
    for b in plan.benchmarks:
        assert b.goal == b.id.split(".")[0]


def test_benchmark_texts_are_the_seeds(plan: Plan) -> None:
    seed = " ".join(SEED.read_text(encoding="utf-8").split())
    for b in plan.benchmarks:
        assert b.text in seed, b.id


def test_objectives_as_in_the_seed(plan: Plan) -> None:
    objectives, actions, _ = seed_plan()
    assert [o.id for o in plan.objectives] == objectives
    for o in plan.objectives:
        assert o.goal == o.id.split(".")[0]
        assert [a.id for a in o.actions] == [a for a in actions if a.rsplit(".", 1)[0] == o.id]
    served = {b for o in plan.objectives for b in o.benchmarks}
    assert served == {b.id for b in plan.benchmarks}


def test_action_texts_are_verbatim(plan: Plan) -> None:
    _, actions, _ = seed_plan()
    ours = {a.id: a.text for o in plan.objectives for a in o.actions}
    assert list(ours) == list(actions)
    for ident, text in actions.items():
        assert ours[ident] == text, ident


def test_joined_action(plan: Plan) -> None:
    action = plan.action("II.2.3")
    assert action is not None
    assert "criminal organizations involved in trafficking" in action.text


INDICATOR_TABLE = """
opium_poppy_area_ha I.a ha decrease sum
opium_production_t I.a t decrease sum
opium_poppy_eradicated_ha I.a ha none sum
cannabis_area_ha I.b ha decrease sum
cannabis_eradicated_ha I.b ha none sum
ad_households_supported I.c households increase sum
clandestine_labs_dismantled II.a count none sum
production_syndicates_dismantled II.a count none sum
trafficking_syndicates_dismantled II.b count none sum
drug_trafficking_arrests II.b persons none sum
meth_tablets_seized II.b tablets none sum
crystal_meth_seized_kg II.b kg none sum
heroin_seized_kg II.b kg none sum
precursors_seized_kg II.c kg none sum
pen_implemented II.c yes_no increase sum
border_liaison_offices II.d count increase sum
joint_operations II.d count increase sum
drug_use_prevalence_pct III.a percent decrease none
drug_users_identified III.a persons none sum
treatment_admissions III.b persons increase sum
aftercare_completions III.b persons increase sum
cso_partnerships III.c count increase sum
"""


@pytest.mark.parametrize("row", INDICATOR_TABLE.split("\n")[1:-1], ids=lambda r: r.split()[0])
def test_fixed_indicator_table(plan: Plan, row: str) -> None:
    ident, benchmark, unit, direction, aggregate = row.split()
    ind = plan.indicator(ident)
    assert ind is not None, ident
    assert (ind.benchmark, ind.unit, ind.direction, ind.aggregate) == (benchmark, unit, direction, aggregate)


def test_indicator_dimensions(plan: Plan) -> None:
    def dims(ident: str) -> list[str]:
        ind = plan.indicator(ident)
        assert ind is not None
        return ind.dimensions

    assert dims("drug_use_prevalence_pct") == ["population"]
    assert dims("treatment_admissions") == ["modality"]
    assert dims("precursors_seized_kg") == ["chemical"]
    assert plan.dimensions["population"] == [
        "students",
        "youth",
        "street_children",
        "sex_workers",
        "labour_intensive_workers",
    ]
    assert plan.dimensions["modality"] == ["voluntary", "compulsory"]


def test_every_benchmark_has_an_indicator(plan: Plan) -> None:
    for b in plan.benchmarks:
        assert plan.benchmark_indicators(b.id), b.id


def test_no_numeric_target_on_insignificant_cultivation(plan: Plan) -> None:
    for ident in ("opium_poppy_area_ha", "cannabis_area_ha"):
        ind = plan.indicator(ident)
        assert ind is not None and ind.target is None


# --- broken plans: each finding code on its line ------------------------------------------------------------

MINIMAL = """\
format_version: 1
title: Test plan
adopted: {by: Workshop, date: 2009-07-01, place: Ha Noi}
source: a test
period: {start: 2009, end: 2015}
baseline_year: 2008
members:
  - {code: AAA, name: Alpha}
  - {code: BBB, name: Beta}
region: {code: REG, name: Region}
goals:
  - {id: G1, title: Goal one}
benchmarks:
  - {id: B1, goal: G1, text: Bench one}
objectives:
  - id: O1
    goal: G1
    title: Objective one
    benchmarks: [B1]
    actions:
      - {id: O1.1, text: Do it}
indicators:
  - id: area_ha
    name: Area
    benchmark: B1
    unit: ha
    direction: decrease
    aggregate: sum
"""


def edited(replace: dict[int, str] | None = None, insert: dict[int, list[str]] | None = None) -> str:
    """MINIMAL with line N replaced, and lines inserted after line N (numbers of the original, 1-based)."""
    out: list[str] = []
    for number, line in enumerate(MINIMAL.splitlines(), start=1):
        out.append((replace or {}).get(number, line))
        out.extend((insert or {}).get(number, []))
    return "\n".join(out) + "\n"


def problems(tmp_path: Path, text: str | bytes) -> list[tuple[int | None, str, str, str]]:
    path = tmp_path / "plan.yaml"
    path.write_bytes(text.encode("utf-8") if isinstance(text, str) else text)
    with pytest.raises(PlanError) as info:
        load_plan(path)
    return [(f.line, f.code, f.message, f.hint) for f in info.value.findings]


def codes_and_lines(found: list[tuple[int | None, str, str, str]]) -> list[tuple[int | None, str]]:
    return [(line, code) for line, code, _, _ in found]


def test_minimal_plan_loads(tmp_path: Path) -> None:
    path = tmp_path / "plan.yaml"
    path.write_text(MINIMAL, encoding="utf-8")
    plan = load_plan(path)
    assert plan.member_codes == ["AAA", "BBB"]
    assert plan.action_ids == ["O1.1"]


def test_duplicate_key(tmp_path: Path) -> None:
    found = problems(tmp_path, edited(insert={26: ["    unit: t"]}))
    assert codes_and_lines(found) == [(27, "duplicate-key")]
    assert "'unit'" in found[0][2] and "line 26" in found[0][2]


def test_duplicate_key_at_top_level(tmp_path: Path) -> None:
    found = problems(tmp_path, edited(insert={2: ["title: Another title"]}))
    assert codes_and_lines(found) == [(3, "duplicate-key")]


def test_duplicate_id(tmp_path: Path) -> None:
    found = problems(tmp_path, edited(replace={9: "  - {code: AAA, name: Beta}"}))
    assert codes_and_lines(found) == [(9, "duplicate-id")]
    assert "'AAA'" in found[0][2] and "line 8" in found[0][2]


def test_duplicate_action_id(tmp_path: Path) -> None:
    found = problems(tmp_path, edited(insert={21: ["      - {id: O1.1, text: Do it again}"]}))
    assert codes_and_lines(found) == [(22, "duplicate-id")]


def test_region_code_is_a_member_code(tmp_path: Path) -> None:
    found = problems(tmp_path, edited(replace={10: "region: {code: AAA, name: Region}"}))
    assert codes_and_lines(found) == [(10, "duplicate-id")]


def test_dangling_reference_with_hint(tmp_path: Path) -> None:
    found = problems(tmp_path, edited(replace={25: "    benchmark: B11"}))
    dangling = [f for f in found if f[1] == "dangling-reference"]
    assert [(line, code) for line, code, _, _ in dangling] == [(25, "dangling-reference")]
    assert "'B11'" in dangling[0][2]
    assert dangling[0][3] == "did you mean 'B1'?"
    # B1 then has no indicator, which is said on B1's line
    assert (14, "schema") in codes_and_lines(found)


def test_dangling_reference_in_a_list(tmp_path: Path) -> None:
    found = problems(tmp_path, edited(replace={19: "    benchmarks: [b1]"}))
    dangling = [f for f in found if f[1] == "dangling-reference"]
    assert [(f[0], f[3]) for f in dangling] == [(19, "did you mean 'B1'?")]


def test_dangling_goal(tmp_path: Path) -> None:
    found = problems(tmp_path, edited(replace={14: "  - {id: B1, goal: G2, text: Bench one}"}))
    assert codes_and_lines(found) == [(14, "dangling-reference")]


def test_schema_unknown_key(tmp_path: Path) -> None:
    found = problems(tmp_path, edited(insert={24: ["    colour: red"]}))
    assert codes_and_lines(found) == [(25, "schema")]
    assert "'colour'" in found[0][2]


def test_schema_unknown_top_level_key(tmp_path: Path) -> None:
    found = problems(tmp_path, edited(insert={6: ["baseline: 2008"]}))
    assert codes_and_lines(found) == [(7, "schema")]
    assert "'baseline'" in found[0][2]


def test_schema_bad_value(tmp_path: Path) -> None:
    found = problems(tmp_path, edited(replace={26: "    unit: hectares"}))
    assert codes_and_lines(found) == [(26, "schema")]
    assert "hectares" in found[0][2]


def test_schema_missing_key(tmp_path: Path) -> None:
    found = problems(tmp_path, edited(replace={28: "    core: true"}))
    assert codes_and_lines(found) == [(23, "schema")]
    assert "aggregate" in found[0][2]


def test_schema_benchmark_without_indicator(tmp_path: Path) -> None:
    text = edited(
        insert={14: ["  - {id: B2, goal: G1, text: Bench two}"]},
        replace={19: "    benchmarks: [B1, B2]"},
    )
    found = problems(tmp_path, text)
    assert codes_and_lines(found) == [(15, "schema")]
    assert "'B2' has no indicator" in found[0][2]


def test_schema_benchmark_without_objective(tmp_path: Path) -> None:
    text = edited(
        insert={
            14: ["  - {id: B2, goal: G1, text: Bench two}"],
            28: ["  - {id: b2_count, name: Count, benchmark: B2, unit: count, direction: none, aggregate: sum}"],
        }
    )
    found = problems(tmp_path, text)
    assert codes_and_lines(found) == [(15, "schema")]
    assert "served by no objective" in found[0][2]


def test_schema_review_outside_the_period(tmp_path: Path) -> None:
    found = problems(tmp_path, edited(insert={6: ["reviews:", "  - {kind: annual, year: 2020, title: Late}"]}))
    assert codes_and_lines(found) == [(8, "schema")]


def test_yaml_syntax(tmp_path: Path) -> None:
    found = problems(tmp_path, edited(replace={4: "source: a: b"}))
    assert codes_and_lines(found) == [(4, "yaml-syntax")]


def test_yaml_syntax_tab(tmp_path: Path) -> None:
    found = problems(tmp_path, edited(replace={24: "\tname: Area"}))
    assert codes_and_lines(found) == [(24, "yaml-syntax")]


def test_yaml_syntax_unclosed_quote_names_where_it_opened(tmp_path: Path) -> None:
    found = problems(tmp_path, edited(replace={2: 'title: "Test plan'}))
    assert [code for _, code, _, _ in found] == ["yaml-syntax"]
    assert "line 2" in found[0][2]


def test_plan_not_utf8(tmp_path: Path) -> None:
    found = problems(tmp_path, edited(replace={4: "source: caf\udce9"}).encode("utf-8", "surrogateescape"))
    assert codes_and_lines(found) == [(4, "encoding")]


def test_plan_missing(tmp_path: Path) -> None:
    with pytest.raises(PlanError) as info:
        load_plan(tmp_path / "nowhere.yaml")
    assert [(f.line, f.code) for f in info.value.findings] == [(None, "unreadable")]


def test_plan_empty(tmp_path: Path) -> None:
    assert codes_and_lines(problems(tmp_path, "# nothing\n")) == [(None, "empty-file")]


def test_plan_not_a_mapping(tmp_path: Path) -> None:
    assert codes_and_lines(problems(tmp_path, "- a\n- b\n")) == [(1, "schema")]


BILLION_LAUGHS = "format_version: 1\n" + "\n".join(
    ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    + [f"{c}: &{c} [{','.join(['*' + p] * 9)}]" for p, c in zip("abcdefgh", "bcdefghi", strict=True)]
)


def test_billion_laughs_is_refused_quickly(tmp_path: Path) -> None:
    start = time.perf_counter()
    found = problems(tmp_path, BILLION_LAUGHS + "\n")
    assert time.perf_counter() - start < 5
    # the line is where the expanded content is defined (the first anchor)
    assert codes_and_lines(found) == [(2, "too-complex")]


@pytest.mark.parametrize("depth", [100, 5000])
def test_deep_nesting_is_too_complex(tmp_path: Path, depth: int) -> None:
    found = problems(tmp_path, "format_version: 1\ntitle: " + "[" * depth + "]" * depth + "\n")
    assert codes_and_lines(found) == [(2, "too-complex")]


def test_merge_keys_are_refused(tmp_path: Path) -> None:
    text = edited(replace={10: "region: {<<: {code: REG}, name: Region}"})
    assert codes_and_lines(problems(tmp_path, text)) == [(10, "yaml-syntax")]


@pytest.mark.parametrize(
    "tagged",
    [
        'title: !!python/object/apply:os.system ["touch PWNED"]',
        "title: !!python/name:os.system",
        'title: !!python/object/new:subprocess.check_output [["touch", "PWNED"]]',
        "title: !custom thing",
    ],
)
def test_tags_are_refused_and_nothing_runs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, tagged: str) -> None:
    monkeypatch.chdir(tmp_path)
    found = problems(tmp_path, edited(replace={2: tagged}))
    assert codes_and_lines(found) == [(2, "yaml-syntax")]
    assert "tag" in found[0][2]
    assert not (tmp_path / "PWNED").exists()


def test_findings_are_ordered_by_line(tmp_path: Path) -> None:
    text = edited(replace={9: "  - {code: AAA, name: Beta}", 25: "    benchmark: B11"})
    lines = [line or 0 for line, _, _, _ in problems(tmp_path, text)]
    assert lines == sorted(lines) and len(lines) >= 2


def test_validate_reports_plan_findings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "plan.yaml").write_text(edited(insert={26: ["    unit: t"]}), encoding="utf-8")
    (tmp_path / "reports").mkdir()
    result = invoke_cli("--plan", "plan.yaml", "--reports", "reports", "validate", "--format", "json")
    assert result.exit_code == 1
    doc = json.loads(result.stdout)
    assert doc["valid"] is False
    assert [(f["file"], f["line"], f["code"]) for f in doc["errors"]] == [("plan.yaml", 27, "duplicate-key")]


# --- JSON Schema --------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def plan_validator() -> jsonschema.Draft202012Validator:
    result = invoke_cli("schema", "plan")
    assert result.exit_code == 0
    schema = json.loads(result.stdout)
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def shipped_data() -> dict:
    data = yaml.safe_load(PLAN.read_text(encoding="utf-8"))
    data["adopted"]["date"] = data["adopted"]["date"].isoformat()
    return data


def test_json_schema_accepts_the_shipped_plan(plan_validator: jsonschema.Draft202012Validator) -> None:
    errors = [e.message for e in plan_validator.iter_errors(shipped_data())]
    assert errors == []


@pytest.mark.parametrize("where", ["top", "indicator", "member", "objective"])
def test_json_schema_rejects_unknown_keys(plan_validator: jsonschema.Draft202012Validator, where: str) -> None:
    data = shipped_data()
    target = {
        "top": data,
        "indicator": data["indicators"][0],
        "member": data["members"][0],
        "objective": data["objectives"][0],
    }[where]
    target["colour"] = "red"
    errors = [e.message for e in plan_validator.iter_errors(data)]
    assert errors and all("colour" in e for e in errors)


def test_json_schema_rejects_a_bad_unit(plan_validator: jsonschema.Draft202012Validator) -> None:
    data = shipped_data()
    data["indicators"][0]["unit"] = "hectares"
    assert not plan_validator.is_valid(data)


def test_a_long_plan_without_aliases_loads(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Found trying the tool: 250,000 values without a single alias were refused as 'alias expansion'. Only
    values reached again through an alias count towards that bound (lowered here to keep the test fast)."""
    from aseanwp import yamlload

    monkeypatch.setattr(yamlload, "MAX_ALIASED", 10)
    districts = ", ".join(f"d{n:05d}" for n in range(2_000))
    path = tmp_path / "plan.yaml"
    path.write_text(MINIMAL + f"dimensions:\n  district: [{districts}]\n", encoding="utf-8")
    assert len(load_plan(path).dimensions["district"]) == 2_000
    found = problems(tmp_path, MINIMAL + "dimensions:\n  a: &x [v1, v2, v3, v4, v5, v6]\n  b: *x\n  c: *x\n")
    assert [code for _, code, _, _ in found] == ["too-complex"] and "alias expansion" in found[0][2]


def test_too_many_values_are_too_large_not_an_alias_bomb(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from aseanwp import yamlload

    monkeypatch.setattr(yamlload, "MAX_NODES", 1_000)
    found = problems(tmp_path, MINIMAL + f"dimensions:\n  d: [{', '.join(f'v{n}' for n in range(1_000))}]\n")
    assert [code for _, code, _, _ in found] == ["too-large"]
    assert "1,000 values" in found[0][2]


@pytest.mark.parametrize("value", [".inf", "-.inf", ".nan"])
def test_infinite_or_nan_numbers_are_refused(tmp_path: Path, value: str) -> None:
    """Found trying the tool: a target of .inf was accepted and reports then wrote `Infinity` (not JSON)."""
    found = problems(tmp_path, MINIMAL + f"progress: {{jump_factor: {value}}}\n")
    assert [code for _, code, _, _ in found] == ["schema"]
    assert "finite" in found[0][2]


@pytest.mark.parametrize("name", ["value", "source", "country", "year"])
def test_a_dimension_cannot_take_a_standard_column_name(tmp_path: Path, name: str) -> None:
    found = problems(tmp_path, MINIMAL + f"dimensions:\n  {name}: [a, b]\n")
    assert [code for _, code, _, _ in found] == ["schema"]
    assert f"'{name}' has the name of a standard report column" in found[0][2]


# --- one reading of the plan for the tool, editors and JSON Schema tools (YAML 1.2, strict types) ---------------

SCHEMAS = PLAN.parent.parent / "schemas"


def test_the_committed_schemas_are_what_the_tool_prints() -> None:
    """Editors read schemas/*.json (data/workplan.yaml names it in its yaml-language-server modeline)."""
    assert (SCHEMAS / "workplan.schema.json").read_text(encoding="utf-8") == invoke_cli("schema", "plan").stdout
    assert (SCHEMAS / "report-row.schema.json").read_text(encoding="utf-8") == invoke_cli("schema", "report").stdout
    first = PLAN.read_text(encoding="utf-8").splitlines()[0]
    assert first == "# yaml-language-server: $schema=../schemas/workplan.schema.json"


def test_every_schema_property_says_what_it_is() -> None:
    schema = json.loads(invoke_cli("schema", "plan").stdout)
    models = {"Plan": schema, **schema["$defs"]}
    for name, model in models.items():
        assert model.get("description"), name
        assert "Lookup" not in model["description"]  # no developer notes in what editors show
        for prop, spec in model.get("properties", {}).items():
            assert spec.get("description"), f"{name}.{prop}"


@pytest.mark.parametrize(
    ("edit", "hint"),
    [
        ("baseline_year: 2008", "baseline_year: '2008'"),
        ("    core: true", "    core: 1"),
        ("    core: true", "    core: yes"),
    ],
)
def test_the_tool_refuses_what_the_schema_refuses(
    tmp_path: Path, plan_validator: jsonschema.Draft202012Validator, edit: str, hint: str
) -> None:
    text = PLAN.read_text(encoding="utf-8").replace(edit, hint, 1)
    path = tmp_path / "plan.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(PlanError) as exc:
        load_plan(path)
    assert [f.code for f in exc.value.findings] == ["schema"]
    data = load_yaml(text, "plan.yaml").data
    data["adopted"]["date"] = data["adopted"]["date"].isoformat()
    assert not plan_validator.is_valid(data)


def test_yaml_1_2_booleans_only_so_a_member_called_no_stays_text(tmp_path: Path) -> None:
    text = PLAN.read_text(encoding="utf-8").replace("{code: BRN, name: Brunei Darussalam}", "{code: NO, name: Norway}")
    path = tmp_path / "plan.yaml"
    path.write_text(text, encoding="utf-8")
    assert load_plan(path).member("NO") is not None
    data = load_yaml("a: NO\nb: yes\nc: 010\nd: 0o17\ne: true\nf: 1_000\ng: 12:30\n", "x").data
    assert data == {"a": "NO", "b": "yes", "c": 10, "d": 15, "e": True, "f": "1_000", "g": "12:30"}


@pytest.mark.parametrize(
    ("line", "hint"),
    [
        ("baseline_year: '2008'", "write the number without quotes or separators: 2008"),
        ("baseline_year: 2_008", "write the number without quotes or separators: 2008"),
        ("title: 2009", "quote it"),
    ],
)
def test_type_mistakes_get_a_hint(tmp_path: Path, line: str, hint: str) -> None:
    key = line.split(":")[0]
    text = "\n".join(line if x.startswith(f"{key}:") else x for x in PLAN.read_text(encoding="utf-8").splitlines())
    path = tmp_path / "plan.yaml"
    path.write_text(text + "\n", encoding="utf-8")
    with pytest.raises(PlanError) as exc:
        load_plan(path)
    (found,) = exc.value.findings
    assert hint in found.hint
