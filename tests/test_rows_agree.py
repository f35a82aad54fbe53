"""The documented row model (`aseanwp schema report`) and the streaming checks agree on the syntax of cells.

A few thousand generated rows mix valid and invalid value, lower, upper, unit and flag cells. For each
of those cells: when the model rejects it, the checker reports a syntax finding on that column; when the
checker reports a syntax finding, the model rejects it, except where the verdict depends on the indicator's
unit, which the model does not know (yes/no on a numeric indicator, a % sign off a percent indicator, a
number on a yes/no indicator, a unit name that is valid but not the indicator's).
"""

from __future__ import annotations

import csv
import io
import json
import random
import re
from collections import defaultdict
from pathlib import Path

import jsonschema
import pytest
from conftest import invoke_cli
from pydantic import ValidationError

from aseanwp.checks import check_file, sink
from aseanwp.findings import Finding
from aseanwp.plan import Plan
from aseanwp.reports import identify
from aseanwp.rows import IndicatorRow

ROWS = 4000
COLUMNS = ("indicator", "value", "lower", "upper", "unit", "source", "flag")
SYNTAX = {"bad-number", "ambiguous-number"}

NUMBERS = [
    "0",
    "12",
    "3.5",
    "0.25",
    "-0",
    "-2",
    "1.5",
    "150",
    "007",
    "123456789012345678901234567890",
    "12.500",
]
PERCENT = ["5%", "5 %", "2.5%", "100%", "-1%"]
YES_NO = ["yes", "no", "Yes", "NO", "yEs", "nO"]
MISSING = ["", "NA", "na", "N/A", "n/a", ".."]
BAD = [
    "1e3", "1E3", "nan", "NaN", "inf", "-inf", "Infinity", "1_000", "28,500", "1.234,5", "1,5", "\u0663",
    "\uff15", "1.", ".5", "+5", "5-", "0x10", "1 000", "12abc", "--1", "%5", "5%%", "\u200f5", "5\u202e",
    "N/a", "...", "-", "yes!", "y", "n", "true", "\u00a0", "1\u00a0000", "five", "5\x00",
]  # fmt: skip
SPACES = [" ", "  ", "\t"]
UNITS = ["ha", "t", "kg", "tablets", "count", "persons", "households", "percent", "yes_no"]
BAD_UNITS = ["HA", "hectares", "Kg", "%", "tonnes", "yes/no", "persons;count"]
FLAGS = [
    "", "estimate", "provisional", "break", "not_applicable", "estimate;provisional", "estimate ; break",
    "estimate;", ";estimate", "estimate;;break", ";", " ; ", "Estimate", "estimated", "estimate provisional",
    "break,estimate", "estimate;bogus", "provisional;estimate;break",
]  # fmt: skip


def number_cell(rng: random.Random) -> str:
    pool = rng.choice([NUMBERS, NUMBERS, PERCENT, YES_NO, MISSING, BAD, BAD])
    cell = rng.choice(pool)
    if rng.random() < 0.15:
        cell = rng.choice(SPACES) + cell
    if rng.random() < 0.15:
        cell = cell + rng.choice(SPACES)
    return cell


def unit_cell(rng: random.Random, unit: str) -> str:
    cell = rng.choice(["", unit, unit, rng.choice(UNITS), rng.choice(BAD_UNITS)])
    if rng.random() < 0.15:
        cell = f" {cell} "
    return cell


def flag_cell(rng: random.Random) -> str:
    cell = rng.choice(FLAGS)
    if rng.random() < 0.1:
        cell = f" {cell}\t"
    return cell


def generate(plan: Plan, seed: int) -> list[dict[str, str]]:
    rng = random.Random(seed)
    rows = []
    for _ in range(ROWS):
        ind = rng.choice(plan.indicators)
        rows.append(
            {
                "indicator": ind.id,
                "value": number_cell(rng),
                "lower": number_cell(rng) if rng.random() < 0.3 else "",
                "upper": number_cell(rng) if rng.random() < 0.3 else "",
                "unit": unit_cell(rng, ind.unit),
                "source": "s",
                "flag": flag_cell(rng),
            }
        )
    return rows


def model_rejects(row: dict[str, str]) -> set[str]:
    try:
        IndicatorRow.model_validate(row)
    except ValidationError as exc:
        return {str(e["loc"][0]) for e in exc.errors()}
    return set()


_NUMBER = re.compile(r"-?[0-9]+(\.[0-9]+)?")


def depends_on_unit(column: str, cell: str, unit: str) -> bool:
    """Cells whose syntax the model cannot judge without the indicator's unit."""
    text = cell.strip()
    if column == "unit":
        return "_".join(text.lower().split()) in UNITS  # the case rule (values.word)
    if column == "flag":
        return False
    if text.lower() in ("yes", "no"):
        return unit != "yes_no"
    if text.endswith("%") and _NUMBER.fullmatch(text[:-1].rstrip()):
        return unit != "percent"
    if _NUMBER.fullmatch(text):
        return unit == "yes_no"
    return False


def checker_flags(findings: list[Finding]) -> dict[int, set[str]]:
    """Per line, the columns with a syntax finding."""
    out: dict[int, set[str]] = defaultdict(set)
    for f in findings:
        syntax = (
            f.code in SYNTAX
            or f.code == "unit-mismatch"
            or (f.code == "bad-flag" and f.message.startswith("unknown flag"))
        )
        if syntax and f.line is not None and f.column is not None:
            out[f.line].add(f.column)
    return out


@pytest.mark.parametrize("seed", [1, 2])
def test_model_and_checker_agree(plan: Plan, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, seed: int) -> None:
    monkeypatch.setattr(sink, "PER_CODE_LIMIT", 10**9)  # every finding, not the first 200 of each code
    rows = generate(plan, seed)
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(COLUMNS)
    lines = []
    line = 2
    for row in rows:
        writer.writerow([row[c] for c in COLUMNS])
        lines.append(line)
        line += 1
    path = tmp_path / "BRN" / "2009.csv"
    path.parent.mkdir()
    path.write_text(buf.getvalue(), encoding="utf-8")
    rf = identify(str(path))
    assert rf is not None
    findings: list[Finding] = []
    check_file(plan, rf, findings)
    assert not any(f.code == "row-length" or f.code == "unknown-indicator" for f in findings)
    flagged = checker_flags(findings)

    disagreements = []
    rejected_somewhere = accepted_somewhere = 0
    for at, row in zip(lines, rows, strict=True):
        unit = plan.indicator(row["indicator"]).unit  # type: ignore[union-attr]
        rejected = model_rejects(row)
        rejected_somewhere += bool(rejected)
        accepted_somewhere += not rejected
        for column in ("value", "lower", "upper", "unit", "flag"):
            by_model = column in rejected
            by_checker = column in flagged.get(at, set())
            if by_model and not by_checker:
                disagreements.append(("model rejects, checker accepts", at, column, row[column], unit))
            if by_checker and not by_model and not depends_on_unit(column, row[column], unit):
                disagreements.append(("checker rejects, model accepts", at, column, row[column], unit))
    assert disagreements[:20] == []
    # the sample is a real mix
    assert rejected_somewhere > ROWS // 4 and accepted_somewhere > ROWS // 20


def test_report_schema_is_the_model(plan: Plan) -> None:
    """The JSON Schema printed by `aseanwp schema report` judges cells as the model does."""
    result = invoke_cli("schema", "report")
    assert result.exit_code == 0
    schema = json.loads(result.stdout)
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema)
    for row in generate(plan, 3)[:1500]:
        row = {k: v for k, v in row.items() if "\x00" not in v}
        assert validator.is_valid(row) == (not model_rejects(row)), row
