"""The shipped Country Reports, the blank template and the completeness grid.

The published figures in data/reports/ must equal the public-figures table (a copy ships as a fixture), name
their source, and every other figure must say `illustrative`.
"""

from __future__ import annotations

import csv
import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from aseanwp.cli import cli

ROOT = Path(__file__).resolve().parent.parent
REPORTS = ROOT / "data" / "reports"
FIGURES = Path(__file__).parent / "fixtures" / "public-figures.md"
MEMBERS = ["BRN", "KHM", "IDN", "LAO", "MYS", "MMR", "PHL", "SGP", "THA", "VNM"]
COUNTRY = {"Myanmar": "MMR", "Lao PDR": "LAO", "Thailand": "THA", "Indonesia": "IDN", "Philippines": "PHL"}
PUBLISHERS = ("UNODC", "BNN national survey", "Dangerous Drugs Board", "ONCB", "Lao authorities")


def rows_of(code: str, year: int) -> list[dict[str, str]]:
    path = REPORTS / code / f"{year}.csv"
    text = path.read_text(encoding="utf-8-sig")
    delimiter = ";" if text.split("\n", 1)[0].count(";") > text.split("\n", 1)[0].count(",") else ","
    return list(csv.DictReader(text.splitlines(), delimiter=delimiter))


def total_row(code: str, year: int, indicator: str) -> dict[str, str]:
    rows = [
        r
        for r in rows_of(code, year)
        if r["indicator"] == indicator and not any(r.get(d) for d in ("population", "modality", "chemical"))
    ]
    assert len(rows) == 1, (code, year, indicator)
    return rows[0]


def number(text: str) -> float:
    return float(text.replace(",", ""))


def survey_tables() -> list[tuple[str, list[str], list[list[str]]]]:
    """The three UNODC tables of the fixture: (indicator, countries, rows)."""
    text = FIGURES.read_text(encoding="utf-8")
    headings = {
        "## Opium poppy cultivation": "opium_poppy_area_ha",
        "## Opium poppy eradication": "opium_poppy_eradicated_ha",
        "## Potential opium production": "opium_production_t",
    }
    out = []
    for heading, indicator in headings.items():
        block = text.split(heading, 1)[1].split("\n## ", 1)[0]
        lines = [ln for ln in block.splitlines() if ln.startswith("|")]
        countries = [c.strip() for c in lines[0].strip("|").split("|")][1:]
        rows = [[c.strip() for c in ln.strip("|").split("|")] for ln in lines[2:]]
        out.append((indicator, countries, rows))
    return out


def test_unodc_figures_are_shipped_exactly_with_their_source():
    checked = 0
    for indicator, countries, rows in survey_tables():
        for row in rows:
            year = int(row[0])
            if year < 2008:
                continue
            for country, cell in zip(countries, row[1:], strict=True):
                shipped = total_row(COUNTRY[country], year, indicator)
                if cell.startswith("not found"):
                    assert shipped["value"] == "" and shipped["lower"] == "", (country, year, indicator)
                    continue
                ranged = re.match(r"([\d,]+) to ([\d,]+)", cell)
                if ranged:
                    assert shipped["value"] == ""
                    assert (number(shipped["lower"]), number(shipped["upper"])) == (
                        number(ranged.group(1)),
                        number(ranged.group(2)),
                    )
                else:
                    assert number(shipped["value"]) == number(cell.split(" ")[0]), (country, year, indicator)
                assert "UNODC" in shipped["source"] and "illustrative" not in shipped["source"].lower()
                if "not comparable" in cell:
                    assert "break" in shipped["flag"]
                checked += 1
    assert checked >= 30


@pytest.mark.parametrize(
    ("code", "years", "indicator", "values"),
    [
        # ONCB counts arrests for all drug offences (SPEC 2.2, rev. 2): not trafficking arrests
        ("THA", [2011, 2012, 2013], "drug_offence_arrests", [224000, 386000, 431000]),
        ("THA", [2011, 2012, 2013], "treatment_admissions", [203000, 560000, 485000]),
        ("THA", [2011, 2012, 2013], "meth_tablets_seized", [55e6, 83e6, 120e6]),
        ("LAO", [2008, 2010], "meth_tablets_seized", [1e6, 24e6]),
        ("IDN", [2008, 2011], "drug_use_prevalence_pct", [1.9, 2.2]),
        ("PHL", [2008, 2012, 2015], "drug_users_estimated", [1.7e6, 1.3e6, 1.8e6]),
        ("PHL", [2015], "drug_use_prevalence_pct", [2.3]),
    ],
)
def test_national_figures_are_shipped_exactly(code, years, indicator, values):
    for year, value in zip(years, values, strict=True):
        row = total_row(code, year, indicator)
        assert number(row["value"]) == value
        assert row["source"].startswith(PUBLISHERS) and "illustrative" not in row["source"].lower()


def test_conflicting_sources_are_noted():
    note = total_row("THA", 2012, "meth_tablets_seized")["notes"]
    assert "82.2" in note and "95.3" in note


def test_every_figure_names_its_source_and_invented_ones_say_illustrative():
    figures = 0
    for path in sorted(REPORTS.glob("*/*.csv")):
        if path.name.endswith("-actions.csv"):
            continue
        for row in rows_of(path.parent.name, int(path.stem)):
            if not (row["value"] or row["lower"]):
                continue
            figures += 1
            source = row["source"]
            assert source, (path, row)
            assert "illustrative" in source.lower() or source.startswith(PUBLISHERS), (path, row)
    assert figures > 1500


def test_the_interesting_cases_are_there():
    assert total_row("SGP", 2015, "opium_poppy_area_ha")["flag"] == "not_applicable"
    assert total_row("BRN", 2008, "opium_poppy_area_ha")["value"] == "0"
    assert total_row("THA", 2008, "opium_poppy_area_ha")["value"] == ""
    population = {r["population"] for r in rows_of("IDN", 2011) if r["indicator"] == "drug_use_prevalence_pct"}
    assert {"students", "youth"} <= population
    modality = {r["modality"] for r in rows_of("THA", 2012) if r["indicator"] == "treatment_admissions"}
    assert modality == {"", "voluntary", "compulsory"}
    assert sorted(p.name for p in (REPORTS / "MMR").glob("*-actions.csv")) == [
        "2011-actions.csv",
        "2012-actions.csv",
        "2015-actions.csv",
    ]


def test_shipped_data_validates_clean():
    result = CliRunner().invoke(cli, ["--plan", str(ROOT / "data" / "workplan.yaml"), "validate"])
    assert result.exit_code == 0, result.output
    assert "0 errors" in result.stderr


# --- template ----------------------------------------------------------------------------------------------


def _fill(template: str) -> str:
    """Fill a blank indicator template as a focal point would: a figure and a source on every row."""
    rows = list(csv.reader(template.splitlines()))
    header = rows[0]
    unit_at, value_at, source_at = header.index("unit"), header.index("value"), header.index("source")
    for row in rows[1:]:
        row[value_at] = {"yes_no": "yes", "percent": "1.5"}.get(row[unit_at], "12")
        row[source_at] = "national report 2012"
    return "\n".join(",".join(r) for r in rows) + "\n"


@pytest.mark.parametrize("code", MEMBERS)
def test_filled_template_validates(tmp_path, code):
    runner = CliRunner()
    plan = str(ROOT / "data" / "workplan.yaml")
    blank = runner.invoke(cli, ["--plan", plan, "template", code, "2012"])
    assert blank.exit_code == 0
    actions = runner.invoke(cli, ["--plan", plan, "template", code, "2012", "--actions"])
    folder = tmp_path / "reports" / code
    folder.mkdir(parents=True)
    (folder / "2012.csv").write_text(_fill(blank.stdout), encoding="utf-8")
    filled_actions = actions.stdout.replace(",,,\n", ",ongoing,national report,\n")
    (folder / "2012-actions.csv").write_text(filled_actions, encoding="utf-8")
    result = runner.invoke(
        cli, ["--plan", plan, "--reports", str(tmp_path / "reports"), "validate", "--format", "json", str(folder)]
    )
    assert result.exit_code == 0, result.stdout
    # also the blank template as it comes: nothing to report yet, nothing wrong
    (folder / "2012.csv").write_text(blank.stdout, encoding="utf-8")
    assert runner.invoke(cli, ["--plan", plan, "--reports", str(tmp_path / "reports"), "validate"]).exit_code == 0


def test_template_rows_follow_the_plan():
    text = CliRunner().invoke(cli, ["--plan", str(ROOT / "data" / "workplan.yaml"), "template", "MMR", "2012"]).stdout
    rows = list(csv.DictReader(text.splitlines()))
    assert rows[0]["indicator"] == "opium_poppy_area_ha" and rows[0]["unit"] == "ha"
    prevalence = [r["population"] for r in rows if r["indicator"] == "drug_use_prevalence_pct"]
    assert prevalence == ["", "students", "youth", "street_children", "sex_workers", "labour_intensive_workers"]
    assert all(r["value"] == "" and r["source"] == "" for r in rows)


def test_template_output_never_clobbers(tmp_path):
    target = tmp_path / "2012.csv"
    target.write_text("indicator,value,source\nopium_poppy_area_ha,5,filled in by hand\n")
    before = target.read_bytes()
    runner = CliRunner()
    plan = str(ROOT / "data" / "workplan.yaml")
    refused = runner.invoke(cli, ["--plan", plan, "template", "MMR", "2012", "-o", str(target)])
    assert refused.exit_code == 1 and "already exists" in refused.stderr
    assert target.read_bytes() == before
    forced = runner.invoke(cli, ["--plan", plan, "template", "MMR", "2012", "-o", str(target), "--force"])
    assert forced.exit_code == 0 and target.read_text().startswith("indicator,")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["template", "XXX", "2012"], "unknown member 'XXX'"),
        (["template", "MMR", "2016"], "outside the plan's years"),
        (["template", "ASEAN", "2012"], "region's code"),
    ],
)
def test_template_refuses_arguments_outside_the_plan(args, message):
    result = CliRunner().invoke(cli, ["--plan", str(ROOT / "data" / "workplan.yaml"), *args])
    assert result.exit_code == 2 and message in result.output


# --- status --------------------------------------------------------------------------------------------------

STATUS_PLAN = """\
format_version: 1
title: Small plan
adopted: {by: test, date: 2009-07-01, place: here}
source: test
period: {start: 2009, end: 2011}
baseline_year: 2008
members: [{code: AAA, name: Aland}, {code: BBB, name: Bee}]
region: {code: ALL, name: All}
goals: [{id: I, title: Goal}]
benchmarks: [{id: I.a, goal: I, text: Benchmark}]
objectives: [{id: I.1, goal: I, title: Objective, benchmarks: [I.a], actions: [{id: I.1.1, text: Act}]}]
indicators:
  - {id: area_ha, name: Area, benchmark: I.a, unit: ha, direction: decrease, aggregate: sum, core: true}
  - {id: labs, name: Labs, benchmark: I.a, unit: count, direction: none, aggregate: sum, core: true}
  - {id: extra, name: Extra, benchmark: I.a, unit: count, direction: none, aggregate: sum, core: false}
"""


def test_status_grid_exact(tmp_path):
    (tmp_path / "plan.yaml").write_text(STATUS_PLAN)
    reports = tmp_path / "reports"
    for code, year, body in [
        ("AAA", 2008, "area_ha,10,s\nlabs,2,s\n"),
        ("AAA", 2009, "area_ha,9,s\nlabs,,,\n"),
        ("AAA", 2010, "area_ha,,,not_applicable\nlabs,3,s\n"),
        ("BBB", 2008, "area_ha,,,\nextra,4,s\n"),
        ("BBB", 2010, "area_ha,7,s\n"),
    ]:
        (reports / code).mkdir(parents=True, exist_ok=True)
        (reports / code / f"{year}.csv").write_text("indicator,value,source,flag\n" + body.replace(",s\n", ",s,\n"))
    result = CliRunner().invoke(cli, ["--plan", str(tmp_path / "plan.yaml"), "status", "--format", "markdown"])
    assert result.exit_code == 0, result.output
    # AAA: 2008 both core filled; 2009 one of two; 2010 area not applicable (counts as filled) and labs.
    # BBB: 2008 no core figure (extra is not core); 2009 no file; 2010 area only.
    assert result.stdout == (
        "Share of the 2 core indicators filled per member and year (not applicable counts as filled).\n"
        "\n"
        "| Member | 2008 | 2009 | 2010 |\n"
        "| --- | ---: | ---: | ---: |\n"
        "| Aland | 100% | 50% | 100% |\n"
        "| Bee | 0% | missing | 50% |\n"
    )
    data = CliRunner().invoke(cli, ["--plan", str(tmp_path / "plan.yaml"), "status", "--format", "json"])
    import json

    doc = json.loads(data.stdout)
    assert doc["members"][1]["years"]["2009"] == {"file": False, "filled": None, "share": None, "invalid": False}


def test_status_marks_invalid_files(tmp_path):
    (tmp_path / "plan.yaml").write_text(STATUS_PLAN)
    (tmp_path / "reports" / "AAA").mkdir(parents=True)
    (tmp_path / "reports" / "AAA" / "2008.csv").write_text("indicator,value,source\narea_ha,-1,s\nlabs,2,s\n")
    result = CliRunner().invoke(cli, ["--plan", str(tmp_path / "plan.yaml"), "status", "--format", "markdown"])
    assert "| Aland | 50% ! |" in result.stdout


def test_shipped_data_is_not_touched(tmp_path):
    copy = tmp_path / "data"
    shutil.copytree(ROOT / "data", copy)
    before = {p: p.read_bytes() for p in copy.rglob("*") if p.is_file()}
    plan = str(copy / "workplan.yaml")
    runner = CliRunner()
    for args in (["validate"], ["report"], ["status"], ["review", "final"], ["report", "--format", "json"]):
        assert runner.invoke(cli, ["--plan", plan, *args]).exit_code == 0
    assert {p: p.read_bytes() for p in copy.rglob("*") if p.is_file()} == before
