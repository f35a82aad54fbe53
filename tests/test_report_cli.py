"""``aseanwp report`` through the command line: SPEC 3's JSON fields, figures traceable to their CSV lines,
selection, usage errors, CSV neutralisation, the Markdown renderer (golden), determinism and ``-o``."""

from __future__ import annotations

import csv
import io
import json
import shutil
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result
from conftest import csv_records

from aseanwp.cli import cli
from aseanwp.render.report_views import safe_cell

ROOT = Path(__file__).resolve().parent.parent
PLAN = "data/workplan.yaml"  # relative: the tests run in ROOT, so sources read data/reports/...
SMALL = Path(__file__).resolve().parent / "fixtures" / "report_small"

ROW_FIELDS = {
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
    "progress_value",
    "status",
    "score",
    "flags",
    "coverage",
    "excluded",
    "counts",
    "sources",
    # rev. 2
    "break_year",
    "since_break",
    "all_value",
    "coverage_share",
    "notes",
}
STATUSES = {
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
}
FLAGS = {
    "baseline_substituted",
    "stale",
    "break",
    "estimate",
    "provisional",
    "not_applicable",
    "range",
    "target_year_passed",
}
MEMBERS = ["BRN", "KHM", "IDN", "LAO", "MYS", "MMR", "PHL", "SGP", "THA", "VNM"]


def run(*args: str) -> Result:
    runner = CliRunner(env={"NO_COLOR": "1", "ASEANWP_PLAN": None, "ASEANWP_REPORTS": None})
    return runner.invoke(cli, list(args), catch_exceptions=False)


@pytest.fixture(autouse=True)
def in_root(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)


@cache
def shipped(*args: str) -> Result:
    """One run per argument list on the shipped data (cached: the shipped data does not change)."""
    with pytest.MonkeyPatch.context() as mp:
        mp.chdir(ROOT)
        result = run("--plan", PLAN, "report", *args)
    assert result.exit_code == 0, result.output
    return result


def shipped_json(*args: str) -> dict[str, Any]:
    return json.loads(shipped("--format", "json", *args).stdout)


# --- JSON on the shipped data ---------------------------------------------------------------------


def test_json_document_and_every_row_has_the_spec_fields():
    doc = shipped_json()
    assert doc["format_version"] == 1
    assert doc["plan"].startswith("ASEAN Work Plan")
    assert (doc["baseline_year"], doc["year"]) == (2008, 2015)  # default: the latest year with any value
    assert doc["rows"] and doc["benchmarks"]
    for row in doc["rows"]:
        assert set(row) >= ROW_FIELDS, ROW_FIELDS - set(row)
        assert row["status"] in STATUSES
        assert set(row["flags"]) <= FLAGS
        assert isinstance(row["dimensions"], dict) and isinstance(row["sources"], list)
        for f in ("base_value", "value", "change", "change_pct", "score", "progress_value", "prev_value"):
            assert row[f] is None or isinstance(row[f], int | float), (f, row[f])  # numbers, never strings
        if row["unit"] == "yes_no" and row["country"] != "ASEAN":
            assert row["value"] in (0, 1, None)
        if row["country"] == "ASEAN":
            assert isinstance(row["coverage"], list) and isinstance(row["excluded"], list)
            assert all(set(e) == {"code", "reason"} for e in row["excluded"])
            reasons = {"no_baseline", "no_value", "range", "break", "not_applicable"}
            assert all(e["reason"] in reasons for e in row["excluded"])
        else:
            assert row["coverage"] is None and row["excluded"] is None
        if row["score"] is not None:
            assert -5 <= row["score"] <= 5
        assert all(isinstance(n, dict) and isinstance(n["code"], str) for n in row["notes"])  # records, not prose
        if row["status"] == "held_at_zero" and row["all_value"] is not None:
            assert row["all_value"] == 0
        if row["break_year"] is not None:
            assert row["change"] is None and row["change_pct"] is None and row["progress_value"] is None
        if row["lower"] is not None and row["value"] is not None:
            assert row["lower"] <= row["value"] <= row["upper"]
    for s in doc["benchmarks"]:
        assert set(s) >= {"benchmark", "country", "status", "score", "counts"}
        assert s["status"] in STATUSES


def test_myanmar_opium_poppy_2015():
    doc = shipped_json()
    (row,) = [r for r in doc["rows"] if r["country"] == "MMR" and r["indicator"] == "opium_poppy_area_ha"]
    # 28,500 ha (2008) -> 55,500 ha (2015): (55500 - 28500) / 28500 * 100 = 94.736... -> 94.7
    assert (row["base_year"], row["base_value"], row["year"], row["value"]) == (2008, 28500, 2015, 55500)
    assert row["change"] == 27000
    assert round(row["change_pct"], 1) == 94.7
    # v = -1 * ((55500/28500)^(1/7) - 1) = -0.099891: deterioration, score clipped to -5
    assert row["progress_value"] == pytest.approx(-((55500 / 28500) ** (1 / 7) - 1))
    assert (row["status"], row["score"]) == ("deterioration", -5)


def _number(cell: str) -> float | None:
    cell = cell.strip()
    if cell in ("", "NA", ".."):
        return None
    return {"yes": 1.0, "no": 0.0}.get(cell) if cell in ("yes", "no") else float(cell.rstrip("%"))


def _cited(row: dict[str, Any]) -> Iterator[tuple[str, int, dict[str, str]]]:
    for ref in row["sources"]:
        path, _, line = ref.rpartition(":")
        yield path, int(line), csv_records(ROOT / path)[int(line)]


def test_every_member_figure_is_traceable_to_the_csv_lines_its_sources_name():
    doc = shipped_json()
    dims = ("population", "modality", "chemical")
    checked = 0
    for row in doc["rows"]:
        if row["country"] == "ASEAN" or not row["sources"]:
            continue
        by_year: dict[int, float | None] = {}
        for path, _line, rec in _cited(row):
            country, name = path.split("/")[-2:]
            assert country == row["country"], (row["sources"], row["country"])
            assert rec["indicator"] == row["indicator"]
            assert {d: rec[d] for d in dims if rec.get(d)} == row["dimensions"]
            by_year[int(name[:4])] = _number(rec["value"])
            if int(name[:4]) == row["year"]:  # a range belongs to its own year's line
                assert (_number(rec.get("lower", "")), _number(rec.get("upper", ""))) == (row["lower"], row["upper"])
        if row["base_year"] is None:
            continue
        # base_value, value and prev_value are the values on the cited lines of their years
        assert by_year[row["base_year"]] == pytest.approx(row["base_value"]), row
        assert by_year[row["year"]] == (None if row["value"] is None else pytest.approx(row["value"])), row
        if row["prev_year"] is not None:
            assert by_year[row["prev_year"]] == pytest.approx(row["prev_value"]), row
        # and every derived number follows from them; none across a break, none from a range
        if row["break_year"] is not None or row["value"] is None:
            assert (row["change"], row["change_pct"], row["change_pp"]) == (None, None, None), row
        elif row["year"] != row["base_year"]:
            assert row["change"] == pytest.approx(row["value"] - row["base_value"])
            if row["base_value"]:
                pct = (row["value"] - row["base_value"]) / row["base_value"] * 100
                assert row["change_pct"] == pytest.approx(pct)
            else:
                assert row["change_pct"] is None
            assert row["change_pp"] == (pytest.approx(row["change"]) if row["unit"] == "percent" else None)
        across = row["break_year"] is not None and row["prev_year"] is not None and row["break_year"] > row["prev_year"]
        if row["prev_value"] and row["value"] is not None and not across:
            assert row["prev_change_pct"] == pytest.approx((row["value"] - row["prev_value"]) / row["prev_value"] * 100)
        checked += 1
    assert checked > 100


def test_region_sums_are_the_sums_of_their_covered_members():
    doc = shipped_json()
    members = {(r["indicator"], json.dumps(r["dimensions"]), r["country"]): r for r in doc["rows"]}
    sums = [r for r in doc["rows"] if r["country"] == "ASEAN" and r["base_value"] is not None]
    assert sums
    for reg in sums:
        got = 0.0
        for code in reg["coverage"]:
            m = members[(reg["indicator"], json.dumps(reg["dimensions"]), code)]
            assert (m["base_year"], m["year"]) == (
                2008,
                reg["year"],
            )  # like for like: never substituted or stale
            got += m["value"]
        assert reg["value"] == pytest.approx(got)


# --- selection and usage errors -------------------------------------------------------------------


def test_country_selects_only_that_member():
    doc = shipped_json("--country", "MMR")
    assert doc["rows"] and {r["country"] for r in doc["rows"]} == {"MMR"}
    assert {s["country"] for s in doc["benchmarks"]} == {"MMR"}


def test_country_region_gives_region_rows():
    doc = shipped_json("--country", "ASEAN")
    assert doc["rows"] and {r["country"] for r in doc["rows"]} == {"ASEAN"}
    assert all(r["coverage"] is not None for r in doc["rows"])
    assert {s["country"] for s in doc["benchmarks"]} == {"ASEAN"}


def test_benchmark_selects_rows_and_summaries():
    doc = shipped_json("--benchmark", "I.a", "--country", "MMR", "--country", "ASEAN")
    assert {(r["benchmark"], r["country"]) for r in doc["rows"]} == {("I.a", "MMR"), ("I.a", "ASEAN")}
    assert {(s["benchmark"], s["country"]) for s in doc["benchmarks"]} == {("I.a", "MMR"), ("I.a", "ASEAN")}


@pytest.mark.parametrize(
    "args",
    [
        ("--country", "XXX"),
        ("--country", "MMR", "--country", "Myanmar"),
        ("--benchmark", "IV.z"),
        ("--year", "1999"),
        ("--year", "2016"),
        ("--format", "yaml"),
    ],
)
def test_usage_errors_exit_2(args):
    result = run("--plan", PLAN, "report", *args)
    assert result.exit_code == 2, result.output
    assert result.stdout == ""
    assert "Traceback" not in result.output


def test_a_year_with_older_figures_is_stale():
    doc = shipped_json("--year", "2012", "--country", "THA")
    assert doc["year"] == 2012
    for row in doc["rows"]:
        assert row["year"] is None or row["year"] <= 2012
        assert ("stale" in row["flags"]) == (row["year"] is not None and row["year"] < 2012)


# --- CSV ------------------------------------------------------------------------------------------


def test_safe_cell():
    assert safe_cell('=HYPERLINK("http://x")') == '\'=HYPERLINK("http://x")'
    for text in ("+1", "-1+2", "@SUM(A1)", "\tx", "\rx"):
        assert safe_cell(text) == "'" + text
    assert safe_cell("MMR") == "MMR"
    assert safe_cell("a=b") == "a=b"
    assert safe_cell(-25.0) == -25  # numbers stay numbers, negative ones too
    assert safe_cell(94.5) == 94.5
    assert safe_cell(None) == ""
    assert safe_cell(True) == "true"


def _csv_rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def test_csv_has_the_json_fields_and_numbers_stay_numbers():
    rows = _csv_rows(shipped("--format", "csv").stdout)
    doc = shipped_json()
    assert len(rows) == len(doc["rows"])
    assert set(rows[0]) >= ROW_FIELDS
    (mmr,) = [r for r in rows if r["country"] == "MMR" and r["indicator"] == "opium_poppy_area_ha"]
    assert mmr["base_value"] == "28500" and mmr["value"] == "55500" and mmr["score"] == "-5"
    assert float(mmr["change_pct"]) == pytest.approx(94.7368, abs=1e-4)
    # negative numbers are not neutralised like formulas
    negative = [r for r in rows if r["change"].startswith("-") or r["change"].startswith("'")]
    assert negative and all(not r["change"].startswith("'") for r in negative)
    (region,) = [r for r in rows if r["country"] == "ASEAN" and r["indicator"] == "opium_poppy_area_ha"]
    assert region["excluded"] == "LAO=no_value;SGP=not_applicable;THA=no_baseline"
    assert region["coverage"].split(";") == ["BRN", "IDN", "KHM", "MMR", "MYS", "PHL", "VNM"]


def test_csv_neutralises_a_text_cell_starting_with_equals(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    # the sources cell begins with the reports folder's name, relative to the current folder
    folder = tmp_path / "=HYPERLINK(1)"
    shutil.copytree(SMALL / "reports", folder)
    monkeypatch.chdir(tmp_path)
    result = run("--plan", str(SMALL / "workplan.yaml"), "--reports", str(folder), "report", "--format", "csv")
    assert result.exit_code == 0, result.output
    rows = _csv_rows(result.stdout)
    assert rows
    for r in rows:
        if r["sources"]:
            assert r["sources"].startswith("'=HYPERLINK(1)/"), r["sources"]
        assert not any(v.startswith(("=", "+", "@")) for v in r.values())
    (aaa,) = [r for r in rows if r["country"] == "AAA" and r["indicator"] == "area_ha"]
    assert (aaa["base_value"], aaa["value"], aaa["change"], aaa["change_pct"]) == ("100", "80", "-20", "-20")


# --- Markdown (golden) ----------------------------------------------------------------------------

GOLDEN_MARKDOWN = """# Progress against the 2008 baseline, 2012

Tiny test plan 2009-2012.

Statuses: ✓ Target achieved; ▲ On track (against a target) or Strong improvement (no target); ↗ Progress, acceleration needed (against a target) or Moderate improvement (no target); → Limited progress (against a target) or Little or no improvement (no target); ▼ Deterioration; ○ Held at zero; ⇅ Mixed: members diverge; ≈ Uncertain: range straddles; ≠ Not comparable (series break); ◌ Too few members reporting; ? Not available; · Context (not rated).

## Goal I: Less cultivation

Verdict for Region: **▲ Strong improvement** (score +5.00, from I.a, I.b).

### I.a Less poppy

Region: **▲ Strong improvement** (score +5.00)

| Indicator | Member | Baseline | Latest | Every member's latest | Change | Coverage | Status | Flags |
| --- | --- | ---: | ---: | ---: | ---: | --- | --- | --- |
| `area_ha` | Aland | 100 (2008) | 80 (2012) |   | -20.0% |   | ▲ Strong improvement |   |
| `area_ha` | Bee \\| Co\\* | 0 (2008) | 0 (2012) |   | 0 |   | ○ Held at zero |   |
| `area_ha` | Ceeland | – | n/a |   | n/a |   | n/a (not applicable) | not applicable |
| `area_ha` | Region (like for like) | 100 (2008) | 80 (2012) | 80 ha | -20.0% | 2 of 2 applicable, 100% of reported volume; Aland is 100% of the sum | ▲ Strong improvement |   |

Notes:

- `area_ha`, Ceeland: not applicable to this member
- `area_ha`, Region: Ceeland left out (not applicable)
- `area_ha`, Region: Aland makes up 100% of the like-for-like sum

```mermaid
---
config:
  themeVariables:
    xyChart:
      plotColorPalette: "#0969da, #cf222e"
---
xychart-beta
    title "Area, Region: like-for-like sum (2 of 2 applicable, Aland most)"
    x-axis [2008, 2010, 2012]
    y-axis "ha" 0 --> 100
    line [100, 90, 80]
```

Like-for-like sum of the 2 members with a figure in every year shown (2 of 2 applicable).

| Year | Area, Region like for like (ha) |
| ---: | ---: |
| 2008 | 100 |
| 2010 | 90 |
| 2012 | 80 |

### I.b Policies in place

Region: **▲ Strong improvement** (score +5.00)

| Indicator | Member | Baseline | Latest | Every member's latest | Change | Coverage | Status | Flags |
| --- | --- | ---: | ---: | ---: | ---: | --- | --- | --- |
| `policy` | Aland | no (2008) | yes (2012) |   | no → yes |   | ▲ Strong improvement |   |
| `policy` | Bee \\| Co\\* | no (2008) | no (2012) |   | no (unchanged) |   | → Little or no improvement |   |
| `policy` | Ceeland | yes (2008) | yes (2012) |   | yes (unchanged) |   | ▲ Strong improvement |   |
| `policy` | Region (like for like) | 1 (2008) | 2 (2012) | 2 | +1 member | 3 of 3 members | ▲ Strong improvement |   |

```mermaid
---
config:
  themeVariables:
    xyChart:
      plotColorPalette: "#0969da, #cf222e"
---
xychart-beta
    title "Policy, Region: like-for-like sum (3 of 3 members)"
    x-axis [2008, 2010, 2012]
    y-axis "members at yes" 0 --> 2
    line [1, 1, 2]
```

Like-for-like sum of the 3 members with a figure in every year shown (3 of 3 members).

| Year | Policy, Region like for like (members at yes) |
| ---: | ---: |
| 2008 | 1 |
| 2010 | 1 |
| 2012 | 2 |

## Goal II: Less use

Verdict for Region: **▼ Deterioration** (score -3.75, from II.a); not rated: II.b (Context (not rated)).

### II.a Lower prevalence

Region: **▼ Deterioration** (score -3.75)

| Indicator | Member | Baseline | Latest | Every member's latest | Change | Coverage | Status | Flags |
| --- | --- | ---: | ---: | ---: | ---: | --- | --- | --- |
| `prevalence_pct` | Aland | 2 (2008) | 1.5 (2012) |   | -0.5 pp (-25.0%) |   | ▲ Strong improvement |   |
| `prevalence_pct` | Bee \\| Co\\* | 1 (2008) | 1.2 (2012) |   | +0.2 pp (+20.0%) |   | ▼ Deterioration |   |
| `prevalence_pct` | Ceeland | 3 (2008) | 3 (2012) |   | +0.0 pp (+0.0%) |   | → Little or no improvement |   |
| `prevalence_pct` | Region | – | – |   | – | 3 members rated | ▼ Deterioration |   |
| `prevalence_pct` (youth) | Aland | 4 (2008) | 4 (2012) |   | +0.0 pp (+0.0%) |   | → Little or no improvement |   |
| `prevalence_pct` (youth) | Region | – | – |   | – | 1 member rated | → Little or no improvement |   |

Notes:

- `prevalence_pct`, Region: 2 of 3 rated members do not improve: the region's status is banded from their scores
- `prevalence_pct` (youth), Region: 1 of 1 rated members do not improve: the region's status is banded from their scores

### II.b Seizures recorded

Region: **· Context (not rated)** (score –)

| Indicator | Member | Baseline | Latest | Every member's latest | Change | Coverage | Status | Flags |
| --- | --- | ---: | ---: | ---: | ---: | --- | --- | --- |
| `seized_kg` | Aland | 10 (2008) | 12 (2012) |   | +20.0% |   | · Context (not rated) |   |
| `seized_kg` | Bee \\| Co\\* | 5 (2008) | 4 (2012) |   | -20.0% |   | · Context (not rated) |   |
| `seized_kg` | Ceeland | 1 (2008) | 2 (2012) |   | +100.0% |   | · Context (not rated) |   |
| `seized_kg` | Region (like for like) | 16 (2008) | 18 (2012) | 18 kg | +12.5% | 3 of 3 members, 100% of reported volume | · Context (not rated) |   |

```mermaid
---
config:
  themeVariables:
    xyChart:
      plotColorPalette: "#0969da, #cf222e"
---
xychart-beta
    title "Seizures, Region: like-for-like sum (3 of 3 members)"
    x-axis [2008, 2010, 2012]
    y-axis "kg" 0 --> 20
    line [16, 17, 18]
```

Like-for-like sum of the 3 members with a figure in every year shown (3 of 3 members).

| Year | Seizures, Region like for like (kg) |
| ---: | ---: |
| 2008 | 16 |
| 2010 | 17 |
| 2012 | 18 |
"""
# Hand check of the figures above:
#   area_ha: Aland 100 -> 80, v = 1 - 0.8^(1/4) = 0.0543 (substantial); Bee 0 -> 0 held at zero; Ceeland not
#     applicable. Region = Aland + Bee = 100 -> 80, coverage 2 of 3; Aland's 2010 figure (its previous
#     year) is an estimate, which does not flag the 2008-2012 comparison.
#   policy: members at yes 1 (Ceeland) -> 2 (Aland, Ceeland): a count, v = 2^(1/4) - 1 = 0.189 (substantial).
#   prevalence: Aland 2.0 -> 1.5 (v = 0.0694, 5), Bee 1.0 -> 1.2 (v = -0.0466, -5),
#     Ceeland 3 -> 3 (v = 0, -2.5): two of three do not improve (two thirds agree), so the region is banded:
#     score (5 - 5 - 2.5) / 3 = -0.83 (limited); youth: Aland 4 -> 4 only, -2.5 (limited).
#   No row has a target: the words are those without one ("Strong improvement", not "On track").
#   Goal I: mean of I.a (5) and I.b (5) = 5; goal II: II.a (-0.83), II.b is context.
#   seizures: context; 10 + 5 + 1 = 16 -> 12 + 4 + 2 = 18, +12.5 %.


def test_markdown_golden():
    result = run("--plan", str(SMALL / "workplan.yaml"), "report", "--format", "markdown", "--detail")
    assert result.exit_code == 0, result.output
    assert result.stdout == GOLDEN_MARKDOWN


def test_markdown_tables_have_the_same_number_of_cells_in_every_row():
    width = None
    for line in GOLDEN_MARKDOWN.splitlines():
        if not line.startswith("|"):
            width = None  # a new table starts after any other line
            continue
        cells = line.replace("\\|", "").count("|")
        width = width or cells
        assert cells == width, line


# --- determinism and -o ---------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["json", "csv"])
def test_output_is_deterministic(fmt):
    first = run("--plan", PLAN, "report", "--format", fmt)
    second = run("--plan", PLAN, "report", "--format", fmt)
    assert first.exit_code == second.exit_code == 0
    assert first.stdout_bytes == second.stdout_bytes
    if fmt == "json":
        assert first.stdout_bytes == shipped("--format", "json").stdout_bytes


def test_markdown_is_deterministic():
    args = ("--plan", str(SMALL / "workplan.yaml"), "report", "--format", "markdown")
    assert run(*args).stdout_bytes == run(*args).stdout_bytes


def test_output_file_is_written_and_stdout_is_empty(tmp_path: Path):
    out = tmp_path / "report.json"
    result = run("--plan", str(SMALL / "workplan.yaml"), "report", "--format", "json", "-o", str(out))
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    doc = json.loads(out.read_text(encoding="utf-8"))
    assert doc["plan"] == "Tiny test plan 2009-2012"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.json"]  # no temporary file left behind


def test_output_into_a_missing_folder_exits_1_and_leaves_nothing(tmp_path: Path):
    out = tmp_path / "missing" / "report.json"
    result = run("--plan", str(SMALL / "workplan.yaml"), "report", "--format", "json", "-o", str(out))
    assert result.exit_code == 1
    assert result.stdout == ""
    assert "Traceback" not in result.output
    assert list(tmp_path.iterdir()) == []
