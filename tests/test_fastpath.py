"""The fast path of the indicator checks agrees with the authoritative one.

``IndicatorFile.accept`` tests a whole chunk of rows with set operations and joined regular expressions;
``check_row`` checks one row at a time and alone writes findings. Whenever ``accept`` says yes, the row checks
must find nothing and ``take`` must hand on exactly the rows ``check_row`` would have handed on. Whole files
must give the same findings and rows whatever the chunk size, and with the fast path switched off.
"""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import pytest
from conftest import PLAN
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from aseanwp.checks import check_file
from aseanwp.checks.header import header_columns
from aseanwp.checks.indicator_rows import IndicatorFile
from aseanwp.checks.sink import CappedSink
from aseanwp.findings import Finding
from aseanwp.plan import COUNTED_UNITS, Plan, load_plan
from aseanwp.reports import CsvFile, ReportFile, identify

THE_PLAN: Plan = load_plan(PLAN)
RF = ReportFile("reports/BRN/2009.csv", "reports/BRN/2009.csv", "BRN", 2009, "indicators")

OPTIONAL = ("population", "modality", "chemical", "lower", "upper", "unit", "flag", "notes", "country", "year")
REQUIRED = ("indicator", "value", "source")

SETTINGS = settings(
    max_examples=250,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.filter_too_much],
)

INDICATORS = {i.id: i for i in THE_PLAN.indicators}
UNITS = sorted({i.unit for i in THE_PLAN.indicators})


class Recorder:
    """An emitter that keeps everything it is given, exactly."""

    per_row = True

    def __init__(self) -> None:
        self.rows: list[tuple[Any, ...]] = []
        self.firsts: list[tuple[str, list[tuple[str, int]]]] = []
        self.actions: list[tuple[Any, ...]] = []

    def indicators(self, rf: ReportFile, first_value: dict[str, int]) -> None:
        self.firsts.append((rf.file, list(first_value.items())))

    def values(self, rf: ReportFile, rows: list[Any]) -> None:
        # repr tells -0.0 from 0.0 and keeps the type: the two paths must agree to the bit
        for line, indicator, dims, value, lower, upper, flags, source, notes in rows:
            self.rows.append(
                (rf.file, line, indicator, dims, repr(value), repr(lower), repr(upper), flags, source, notes)
            )

    def action(self, rf: ReportFile, line: int, action: str, status: str, source: str, notes: str) -> None:
        self.actions.append((rf.file, line, action, status, source, notes))


# --- cell strategies ------------------------------------------------------------------------------------

TRICKY_VALUES = [
    "-1", "-0", "-0.0", "1.5", "101", "100", "100.0", "100.000000000000001", "12 ", " 12", "1,5", "28,500",
    "%", "5%", "5 %", "yes", "no", "YES", "No", "NA", "na", "N/A", "..", "", " ", "1e3", "nan", "inf",
    "1234567890123456", "123456789012345", "0.1234567890123456", "9" * 40, "007", ".5", "5.", "\n",
    "12\n13", "12\n", "\n12", "1\r", "\x00", "1\x002", "\u0663", "\u202e12", "12\u200f", "1_000", "+5",
]  # fmt: skip


def valid_value(unit: str) -> st.SearchStrategy[str]:
    if unit == "yes_no":
        return st.sampled_from(["yes", "no", "NA", "", ".."])
    if unit in COUNTED_UNITS:
        return st.one_of(st.integers(0, 10**15).map(str), st.sampled_from(["0", "NA", "", ".."]))
    if unit == "percent":
        return st.one_of(
            st.integers(0, 100).map(str),
            st.decimals(0, 100, places=3, allow_nan=False, allow_infinity=False).map(str),
            st.sampled_from(["0.5", "99.9", "100", "2.5%", "NA", ""]),
        )
    return st.one_of(
        st.integers(0, 10**12).map(str),
        st.decimals(0, 10**9, places=2, allow_nan=False, allow_infinity=False).map(str),
        st.sampled_from(["0", "0.0", "NA", "", ".."]),
    )


def cell_for(column: str, indicator: str, unit: str, dirty: bool) -> st.SearchStrategy[str]:
    """A cell of ``column`` for a row of ``indicator``: valid, or (when ``dirty``) likely subtly wrong."""
    takes = INDICATORS[indicator].dimensions if indicator in INDICATORS else ()
    if column == "value":
        return st.one_of(valid_value(unit), st.sampled_from(TRICKY_VALUES)) if dirty else valid_value(unit)
    if column in ("lower", "upper"):
        return st.sampled_from(["", "", "", "1", "5", "-1", "x", "0"]) if dirty else st.just("")
    if column in THE_PLAN.dimensions:
        allowed = list(THE_PLAN.dimensions[column])
        good = st.sampled_from(["", *allowed]) if column in takes else st.just("")
        bad = st.sampled_from(["", " ", "bogus", f" {allowed[0]}", allowed[0].upper(), allowed[-1]])
        return st.one_of(good, bad) if dirty else good
    if column == "unit":
        good = st.sampled_from(["", unit])
        return st.one_of(good, st.sampled_from([*UNITS, f" {unit}", unit.upper(), "x"])) if dirty else good
    if column == "source":
        good = st.sampled_from(["s", "UNODC", "illustrative (demo)", " padded "])
        bad = st.sampled_from(["", " ", "\t", "\n", "\x00", "\u200b", "x", " - ", "TBD", "#REF!", "#n/a"])
        return st.one_of(good, bad) if dirty else good
    if column == "flag":
        good = st.sampled_from(["", "estimate", "provisional", "break", "estimate;provisional", " estimate ", ";"])
        bad = st.sampled_from(["not_applicable", "estimate;not_applicable", "bogus", "Estimate", "estimate,break"])
        return st.one_of(good, bad) if dirty else good
    if column == "notes":
        return st.sampled_from(["", "n", "=1+1", "a\nb", " spaced ", "\x00", "\u202e", "x;y"])
    if column == "country":
        good = st.sampled_from(["", "BRN"])
        return st.one_of(good, st.sampled_from(["brn", " BRN", "MMR", "XXX"])) if dirty else good
    if column == "year":
        good = st.sampled_from(["", "2009"])
        return st.one_of(good, st.sampled_from([" 2009", "2010", "09", "2009.0"])) if dirty else good
    raise AssertionError(column)


@st.composite
def headers(draw: st.DrawFn) -> list[str]:
    """Required columns and a subset of the optional ones, in any order (notes first sometimes)."""
    chosen = draw(st.lists(st.sampled_from(OPTIONAL), unique=True))
    return draw(st.permutations([*REQUIRED, *chosen]))


INDICATOR_IDS = sorted(INDICATORS)
DIMENSIONED = [i.id for i in THE_PLAN.indicators if i.dimensions]


@st.composite
def rows_for(draw: st.DrawFn, header: Sequence[str], n: int) -> list[list[str]]:
    rows = []
    for _ in range(n):
        dirty = draw(st.integers(0, 3)) == 0  # most rows are clean, so that the fast path says yes
        indicator = draw(st.one_of(st.sampled_from(INDICATOR_IDS), st.sampled_from(DIMENSIONED)))
        shown = indicator
        if dirty and draw(st.booleans()):
            shown = draw(st.sampled_from([f" {indicator}", indicator.upper(), indicator[:-1], "", "bogus"]))
        unit = INDICATORS[indicator].unit
        row = []
        for column in header:
            if column == "indicator":
                row.append(shown)
            else:
                # a dirty row spoils one or two cells, not all of them
                spoil = dirty and draw(st.integers(0, 2)) == 0
                row.append(draw(cell_for(column, indicator, unit, spoil)))
        if dirty and draw(st.integers(0, 5)) == 0:
            row = row[:-1] if draw(st.booleans()) and len(row) > 1 else [*row, ""]
        rows.append(row)
    return rows


def checker(header: Sequence[str], emit: Recorder, out: list[Finding]) -> IndicatorFile:
    sink = CappedSink(out)
    columns = header_columns(THE_PLAN, RF, 1, list(header), sink)
    assert columns is not None, out
    return IndicatorFile(THE_PLAN, RF, columns, len(header), sink, emit)


def state(c: IndicatorFile) -> tuple[Any, ...]:
    return (set(c.seen), list(c.first_value.items()), list(c.suspects))


# --- the property, chunk by chunk -------------------------------------------------------------------------


@st.composite
def chunk_cases(draw: st.DrawFn) -> tuple[list[str], list[list[str]], list[list[str]], list[int]]:
    header = draw(headers())
    before = draw(rows_for(header, draw(st.integers(0, 4))))  # an earlier chunk, read row by row
    rows = draw(rows_for(header, draw(st.integers(1, 8))))
    if draw(st.integers(0, 4)) == 0 and before:  # a duplicate across chunks
        rows[draw(st.integers(0, len(rows) - 1))] = list(draw(st.sampled_from(before)))
    if draw(st.integers(0, 4)) == 0 and len(rows) > 1:  # a duplicate within the chunk
        rows[-1] = list(rows[0])
    start = 2 + len(before) + draw(st.integers(0, 3))
    gaps = draw(st.lists(st.integers(1, 3), min_size=len(rows), max_size=len(rows)))
    lines = [start + sum(gaps[:i]) for i in range(len(rows))]
    return header, before, rows, lines


def clean_chunk(header: Sequence[str]) -> list[list[str]]:
    values = {"indicator": "opium_poppy_area_ha", "value": "120", "source": "UNODC", "unit": "ha"}
    second = {"indicator": "meth_tablets_seized", "value": "1000", "source": "s", "flag": "estimate"}
    return [[values.get(c, "") for c in header], [second.get(c, "") for c in header]]


@SETTINGS
@given(case=chunk_cases())
@example(case=(["indicator", "value", "source"], [], [["opium_poppy_area_ha", "12\n13", "s"]], [2]))
@example(case=(["indicator", "value", "source"], [], [["cannabis_area_ha", "\n", "s"]], [2]))
@example(case=(["indicator", "value", "source"], [], [["drug_use_prevalence_pct", "12\n13", "s"]], [2]))
@example(case=(["notes", "indicator", "value", "source"], [], [["a note", "opium_poppy_area_ha", "5", "s"]], [2]))
@example(
    case=(
        ["indicator", "value", "source"],
        [[" opium_poppy_area_ha", "1", "s"]],
        [["opium_poppy_area_ha", "2", "s"]],
        [5],
    )
)
def test_an_accepted_chunk_is_valid_and_emits_what_the_row_checks_emit(
    case: tuple[list[str], list[list[str]], list[list[str]], list[int]],
) -> None:
    header, before, rows, lines = case
    fast_out: list[Finding] = []
    slow_out: list[Finding] = []
    fast_emit, slow_emit = Recorder(), Recorder()
    fast = checker(header, fast_emit, fast_out)
    slow = checker(header, slow_emit, slow_out)
    for i, row in enumerate(before):  # both have read the same earlier rows, row by row
        fast.check_row(2 + i, row)
        slow.check_row(2 + i, row)
    assert fast_out == slow_out
    assert state(fast) == state(slow)
    n_findings, n_rows = len(slow_out), len(slow_emit.rows)
    before_state = state(fast)

    accepted = fast.accept(rows, lines)
    for row, line in zip(rows, lines, strict=True):
        slow.check_row(line, row)
    if not accepted:
        # a refused chunk goes row by row through the same checker: accept must have changed nothing
        assert state(fast) == before_state
        return
    fast.take(rows, lines)
    assert slow_out[n_findings:] == [], (rows, slow_out[n_findings:])
    assert fast_out[n_findings:] == []
    assert fast_emit.rows[n_rows:] == slow_emit.rows[n_rows:]
    assert len(fast_emit.rows) - n_rows == len(rows)
    assert state(fast) == state(slow)
    fast.finish()
    slow.finish()
    assert fast_emit.firsts == slow_emit.firsts


@pytest.mark.parametrize(
    "header",
    [
        ["indicator", "value", "source"],
        ["notes", "indicator", "value", "source", "unit", "flag"],
        [
            "indicator",
            "population",
            "modality",
            "chemical",
            "value",
            "lower",
            "upper",
            "unit",
            "source",
            "flag",
            "notes",
            "country",
            "year",
        ],
    ],
)
def test_a_clean_chunk_is_accepted(header: list[str]) -> None:
    """The property above is not vacuous: the fast path does say yes to plain rows."""
    out: list[Finding] = []
    c = checker(header, Recorder(), out)
    rows = clean_chunk(header)
    assert c.accept(rows, [2, 3])
    assert not c.accept(rows, [4, 5])  # the same keys again are duplicates: refused


# --- whole files ------------------------------------------------------------------------------------------


@st.composite
def files(draw: st.DrawFn) -> bytes:
    header = draw(headers())
    delimiter = draw(st.sampled_from([",", ";", "\t"]))
    newline = draw(st.sampled_from(["\n", "\r\n"]))
    rows = draw(rows_for(header, draw(st.integers(0, 25))))
    if rows and draw(st.booleans()):  # duplicates far apart, across chunk boundaries
        for _ in range(draw(st.integers(1, 3))):
            rows.insert(draw(st.integers(0, len(rows))), list(draw(st.sampled_from(rows))))
    buf = io.StringIO()
    writer = csv.writer(buf, delimiter=delimiter, lineterminator=newline)
    writer.writerow(header)
    for row in rows:
        extra = draw(st.integers(0, 9))
        if extra == 0:
            buf.write(newline)  # a blank line
        elif extra == 1:
            buf.write(delimiter * (len(header) - 1) + newline)  # a row of empty cells
        writer.writerow(row)
    text = buf.getvalue()
    if draw(st.integers(0, 9)) == 0:
        text = "\ufeff" + text
    if draw(st.integers(0, 9)) == 0:
        text = newline + text  # blank lines before the header
    return text.encode("utf-8")


def run_file(path: Path, chunk: int | None, fast: bool) -> tuple[list[Finding], Recorder, int]:
    rf = identify(str(path))
    assert rf is not None
    out: list[Finding] = []
    emit = Recorder()
    with pytest.MonkeyPatch.context() as mp:
        if chunk is not None:
            original = CsvFile.chunks

            def small(self: CsvFile, size: int = 2048) -> Iterator[Any]:
                return original(self, chunk)

            mp.setattr(CsvFile, "chunks", small)
        if not fast:
            mp.setattr(IndicatorFile, "accept", lambda self, rows, lines: False)
        n = check_file(THE_PLAN, rf, out, emit)
    return out, emit, n


@settings(
    max_examples=80,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=files(), chunk=st.sampled_from([1, 2, 3, 7]))
def test_whole_files_agree_whatever_the_chunks(tmp_path: Path, data: bytes, chunk: int) -> None:
    path = tmp_path / "reports" / "BRN" / "2009.csv"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    slow, slow_emit, n1 = run_file(path, chunk, fast=False)
    small, small_emit, n2 = run_file(path, chunk, fast=True)
    default, default_emit, n3 = run_file(path, None, fast=True)
    assert small == slow
    assert default == slow
    assert small_emit.rows == slow_emit.rows
    assert default_emit.rows == slow_emit.rows
    assert small_emit.firsts == slow_emit.firsts == default_emit.firsts
    assert n1 == n2 == n3


@settings(max_examples=60, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=files(), chunk=st.sampled_from([1, 2, 5]))
def test_chunk_lines_are_the_record_lines(tmp_path: Path, data: bytes, chunk: int) -> None:
    """Every row of a chunk carries the physical line where its record starts, as ``records`` says."""
    path = tmp_path / "2009.csv"
    path.write_bytes(data)
    by_record: list[tuple[int, list[str]]] = []
    by_chunk: list[tuple[int, list[str]]] = []
    with CsvFile(str(path), "f", lambda f: None) as f:
        by_record = list(f.records())
    with CsvFile(str(path), "f", lambda f: None) as f:
        for rows, lines in f.chunks(chunk):
            by_chunk.extend((line, row) for line, row in zip(lines, rows, strict=True) if any(row))
    assert by_chunk == by_record
    text = data.decode("utf-8-sig")
    physical = text.count("\n") + 1
    assert all(1 <= line <= physical for line, _ in by_record)


def test_a_multiline_value_is_not_taken_for_two_numbers(tmp_path: Path) -> None:
    """A quoted cell holding a line break passed the line-wise regular expression of the fast path."""
    path = tmp_path / "reports" / "BRN" / "2009.csv"
    path.parent.mkdir(parents=True)
    path.write_bytes(
        b'indicator,value,source\nopium_poppy_area_ha,"12\n13",s\ndrug_use_prevalence_pct,"1\n2",s\n'
        b'cannabis_area_ha,"\n",s\n'
    )
    out, emit, _ = run_file(path, None, fast=True)
    assert [(f.line, f.code) for f in out] == [(2, "bad-number"), (4, "bad-number")]
    assert [r[1:5] for r in emit.rows] == [(6, "cannabis_area_ha", (), "None")]
    assert [first for _, first in emit.firsts] == [[]]  # no value given: no first line with a value


def test_notes_in_the_first_column_reach_the_emitter(tmp_path: Path) -> None:
    path = tmp_path / "reports" / "BRN" / "2009.csv"
    path.parent.mkdir(parents=True)
    path.write_bytes(b"notes,indicator,value,source\nfirst, opium_poppy_area_ha,5,s\nsecond,cannabis_area_ha,6,s\n")
    for fast in (True, False):
        _, emit, _ = run_file(path, None, fast=fast)
        assert [r[-1] for r in emit.rows] == ["first", "second"]


def test_values_agree_to_the_bit() -> None:
    """'-0' and '0' are both +0.0 on either path; large runs of digits are the same float."""
    header = ["indicator", "value", "source"]
    for text in ("0", "-0", "000", "123456789012345", "0.000000000000001"):
        for fast in (True, False):
            out: list[Finding] = []
            emit = Recorder()
            c = checker(header, emit, out)
            row = ["opium_poppy_area_ha", text, "s"]
            if fast and c.accept([row], [2]):
                c.take([row], [2])
            else:
                c.check_row(2, row)
            assert out == []
            (got,) = emit.rows
            value = float(got[4])
            assert value == float(text) and math.copysign(1.0, value) == 1.0
