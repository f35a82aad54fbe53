"""No input, however malformed, ends in a traceback: arbitrary bytes and text, mutations of a valid file,
mutated plans, and the number parser against the grammar of SPEC 2.3."""

from __future__ import annotations

import math
import re
from pathlib import Path

import pytest
from conftest import PLAN, Workspace, all_findings
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from aseanwp.checks import check_file
from aseanwp.findings import WARNING_CODES, Finding
from aseanwp.plan import COUNTED_UNITS, Plan, PlanError, load_plan
from aseanwp.reports import ReportFile, identify
from aseanwp.values import parse

FUZZ = settings(
    max_examples=60,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

CODES = set(
    [
        "unreadable",
        "encoding",
        "empty-file",
        "bad-path",
        "unknown-country",
        "year-out-of-range",
        "too-large",
        "missing-column",
        "unknown-column",
        "duplicate-column",
        "blank-header",
        "row-length",
        "unknown-indicator",
        "bad-number",
        "ambiguous-number",
        "negative-value",
        "not-whole",
        "percent-out-of-range",
        "bad-range",
        "unit-mismatch",
        "unknown-dimension",
        "unknown-dimension-value",
        "missing-source",
        "bad-flag",
        "country-mismatch",
        "year-mismatch",
        "unknown-action",
        "bad-status",
        "duplicate-row",
        "missing-baseline",
        "missing-report",
        "jump",
        "no-figures",  # beyond SPEC 2.4: a file without a single figure (a blank template) is worth a warning
        "workbook",  # beyond SPEC 2.4 too: a file named for what it is rather than for its first bad byte
        "lfs-pointer",
        "merge-conflict",
    ]
)

VALID = (
    "indicator,population,modality,chemical,value,lower,upper,unit,source,flag,notes\n"
    "opium_poppy_area_ha,,,,120,,,ha,UNODC,,\n"
    'opium_production_t,,,,,84,176,t,"UNODC, survey",estimate,range only\n'
    "drug_use_prevalence_pct,,,,1.5,,,percent,s,,\n"
    "drug_use_prevalence_pct,youth,,,2.5%,,,percent,s,estimate;provisional,\n"
    "treatment_admissions,,voluntary,,300,,,persons,s,,\n"
    "precursors_seized_kg,,,ephedrine,12.5,,,kg,s,,\n"
    "pen_implemented,,,,yes,,,yes_no,s,,\n"
    'meth_tablets_seized,,,,1000000,,,tablets,s,,"a note, with ""quotes"""\n'
    "heroin_seized_kg,,,,NA,,,kg,,,\n"
)


def report(tmp_path: Path, rel: str = "BRN/2009.csv") -> ReportFile:
    path = tmp_path / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    rf = identify(str(path))
    assert rf is not None
    return rf


def check_bytes(plan: Plan, rf: ReportFile, data: bytes) -> list[Finding]:
    Path(rf.path).write_bytes(data)
    out: list[Finding] = []
    check_file(plan, rf, out)
    physical = data.count(b"\n") + data.count(b"\r") + 2
    for f in out:
        assert f.code in CODES, f
        assert f.severity == ("warning" if f.code in WARNING_CODES else "error")
        assert f.file == rf.file
        assert f.line is None or 1 <= f.line <= physical, (f, physical)
        assert f.col is None or f.col >= 1
        assert f.message
    return out


def test_valid_base_is_valid(plan: Plan, tmp_path: Path) -> None:
    assert check_bytes(plan, report(tmp_path), VALID.encode()) == []


# --- arbitrary input ----------------------------------------------------------------------------------------


@FUZZ
@given(data=st.binary(max_size=600))
@example(data=b"\xff\xfe\x00\x00")
@example(data=b'"' * 50)
@example(data=b"indicator,value,source\n\x00,\x00,\x00\n")
@example(data=b"\r\r\r\n\n\r")
@example(data=b"indicator\tvalue;source,\n")
def test_arbitrary_bytes_never_raise(plan: Plan, tmp_path: Path, data: bytes) -> None:
    rf = report(tmp_path)
    check_bytes(plan, rf, data)
    check_bytes(plan, report(tmp_path, "BRN/2011-actions.csv"), data)


@FUZZ
@given(text=st.text(max_size=400))
def test_arbitrary_text_never_raises(plan: Plan, tmp_path: Path, text: str) -> None:
    check_bytes(plan, report(tmp_path), text.encode("utf-8", "surrogatepass"))


@FUZZ
@given(rows=st.lists(st.lists(st.text(alphabet=st.characters(codec="utf-8"), max_size=12), max_size=8), max_size=8))
def test_arbitrary_cells_under_a_real_header_never_raise(plan: Plan, tmp_path: Path, rows: list[list[str]]) -> None:
    body = "".join(",".join(cells) + "\n" for cells in rows)
    check_bytes(plan, report(tmp_path), (VALID.splitlines()[0] + "\n" + body).encode("utf-8", "surrogatepass"))


@settings(max_examples=25, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))
@given(data=st.binary(max_size=300), text=st.text(max_size=200))
def test_cli_never_tracebacks(tmp_path_factory: pytest.TempPathFactory, data: bytes, text: str) -> None:
    root = tmp_path_factory.mktemp("cli")
    ws = Workspace(root)
    (root / "workplan.yaml").write_bytes(PLAN.read_bytes())
    ws.write("BRN/2008.csv", VALID)
    ws.write("BRN/2009.csv", data)
    ws.write("KHM/2010.csv", text.encode("utf-8", "surrogatepass"))
    for args in (["--format", "json"], ["--format", "github", str(ws.reports / "BRN" / "2009.csv")]):
        result = ws.invoke(*args)
        assert result.exit_code in (0, 1), result.output
        assert "Traceback" not in result.output
        assert "internal error" not in result.output


# --- mutations of a valid file ------------------------------------------------------------------------------

TRICKY = [
    "NaN", "nan", "inf", "-inf", "Infinity", "1e309", "1E3", "-0", "-0.0", "0" * 400, "9" * 400,
    "1" + "0" * 309, "\u200f12", "12\u200e", "\u202e21", "\u0663", "\x00", "1\x001", '"', '""',
    "12%", "\u066b5",
]  # fmt: skip


@st.composite
def mutated(draw: st.DrawFn) -> bytes:
    lines = VALID.encode().split(b"\n")[:-1]
    for _ in range(draw(st.integers(1, 4))):
        kind = draw(st.sampled_from(["flip", "quote", "nul", "dup", "delim", "digits", "tricky", "cut", "crlf"]))
        i = draw(st.integers(0, len(lines) - 1))
        line = bytearray(lines[i])
        pos = draw(st.integers(0, max(len(line) - 1, 0)))
        if kind == "flip" and line:
            line[pos] ^= 1 << draw(st.integers(0, 7))
        elif kind == "quote":
            line.insert(pos, ord('"'))
        elif kind == "nul":
            line.insert(pos, 0)
        elif kind == "dup":
            lines.insert(i, bytes(line))
        elif kind == "delim":
            line = bytearray(line.replace(b",", draw(st.sampled_from([b";", b"\t"])), draw(st.integers(1, 3))))
        elif kind == "digits":
            line[pos:pos] = b"9" * draw(st.integers(20, 500))
        elif kind == "tricky":
            cells = bytes(line).split(b",")
            j = draw(st.integers(0, len(cells) - 1))
            cells[j] = draw(st.sampled_from(TRICKY)).encode()
            line = bytearray(b",".join(cells))
        elif kind == "cut":
            del line[pos:]
        elif kind == "crlf":
            line += b"\r"
        lines[i] = bytes(line)
    return b"\n".join(lines) + b"\n"


@FUZZ
@given(data=mutated())
def test_mutations_never_raise(plan: Plan, tmp_path: Path, data: bytes) -> None:
    check_bytes(plan, report(tmp_path), data)


@pytest.mark.parametrize(
    ("cell", "code"),
    [
        ("NaN", "bad-number"),
        ("nan", "bad-number"),
        ("inf", "bad-number"),
        ("-inf", "bad-number"),
        ("1e309", "bad-number"),
        ("1" + "0" * 309, "bad-number"),
        ("9" * 400, "bad-number"),
        ("\u200f12", "bad-number"),
        ("12\u200e", "bad-number"),
        ("\u202e21", "bad-number"),
        ("1\x001", "bad-number"),
        ("-0", None),
        ("-0.0", None),
        ("0" * 400, None),
        ("1" + "0" * 300, None),
    ],
)
def test_tricky_values(plan: Plan, tmp_path: Path, cell: str, code: str | None) -> None:
    data = VALID.replace("opium_poppy_area_ha,,,,120,", f"opium_poppy_area_ha,,,,{cell},").encode()
    found = [(f.line, f.code, f.column) for f in check_bytes(plan, report(tmp_path), data)]
    assert found == ([] if code is None else [(2, code, "value")])


def test_tricky_messages_carry_no_controls(plan: Plan, tmp_path: Path) -> None:
    data = VALID.replace("opium_poppy_area_ha,,,,120,", "opium_poppy_area_ha,,,,\u202e21\x1b[2J,").encode()
    (f,) = check_bytes(plan, report(tmp_path), data)
    assert "\u202e" not in f.message and "\x1b" not in f.message


def test_duplicated_lines_are_duplicate_rows(plan: Plan, tmp_path: Path) -> None:
    lines = VALID.splitlines(keepends=True)
    data = "".join(lines[:3] + [lines[2]] + lines[3:]).encode()
    found = [(f.line, f.code) for f in check_bytes(plan, report(tmp_path), data)]
    assert found == [(4, "duplicate-row")]


def test_mixed_delimiters_are_row_length(plan: Plan, tmp_path: Path) -> None:
    lines = VALID.splitlines(keepends=True)
    lines[3] = lines[3].replace(",", ";")
    found = [(f.line, f.code) for f in check_bytes(plan, report(tmp_path), "".join(lines).encode())]
    assert found == [(4, "row-length")]


def test_stray_quote_is_reported_where_it_opens(plan: Plan, tmp_path: Path) -> None:
    lines = VALID.splitlines(keepends=True)
    lines[5] = lines[5].replace("300", '"300')
    found = [(f.line, f.code) for f in check_bytes(plan, report(tmp_path), "".join(lines).encode())]
    assert found and found[0] == (6, "unreadable")


def test_nul_in_a_cell_is_not_a_traceback(plan: Plan, tmp_path: Path) -> None:
    data = VALID.replace("UNODC,,", "UN\x00ODC,,").encode()
    assert check_bytes(plan, report(tmp_path), data) == []


def test_huge_file_of_garbage_is_capped(plan: Plan, tmp_path: Path) -> None:
    data = VALID.encode() + b"opium_poppy_area_ha,,,,1e3,,,ha,s,,\n" * 2000
    found = check_bytes(plan, report(tmp_path), data)
    bad = [f for f in found if f.code == "bad-number"]
    assert len(bad) == 201 and "more" in bad[-1].message
    assert len([f for f in found if f.code == "duplicate-row"]) <= 201


def test_cli_on_a_folder_of_mutants(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    ws = Workspace(tmp_path)
    (tmp_path / "workplan.yaml").write_bytes(PLAN.read_bytes())
    for i, cell in enumerate(TRICKY):
        ws.write(f"BRN/{2008 + i % 8}.csv" if i < 8 else f"KHM/{2000 + i}.csv", VALID.replace("120", cell))
    _, doc = ws.validate_json()
    assert all_findings(doc)


# --- the number parser --------------------------------------------------------------------------------------

UNITS = ["ha", "t", "kg", "tablets", "count", "persons", "households", "percent", "yes_no"]
GRAMMAR = re.compile(r"-?[0-9]+(\.[0-9]+)?", re.ASCII)


def oracle(text: str, unit: str) -> tuple[float | None, str | None]:
    """SPEC 2.3, written out independently of aseanwp.values: (value, finding code)."""
    if text in ("", "NA", "na", "N/A", "n/a", ".."):
        return None, None
    if unit == "yes_no":
        return {"yes": (1.0, None), "no": (0.0, None)}.get(text.lower(), (None, "bad-number"))
    number = text[:-1].rstrip() if unit == "percent" and text.endswith("%") else text
    if GRAMMAR.fullmatch(number):
        value = float(number)
        if not math.isfinite(value):
            return None, "bad-number"  # beyond any real figure (and beyond a float)
        if value < 0:
            return None, "negative-value"
        if unit in COUNTED_UNITS and value != int(value):
            return None, "not-whole"
        if unit == "percent" and value > 100:
            return None, "percent-out-of-range"
        return value + 0.0, None
    if "," in text:
        return None, "ambiguous-number"
    return None, "bad-number"


numberish = st.one_of(
    st.text(max_size=20),
    st.from_regex(r"\A-?[0-9]{1,12}(\.[0-9]{1,6})?%?\Z"),
    st.from_regex(r"\A[-+ ]?[0-9,._ %eE]{0,12}\Z"),
    st.sampled_from(TRICKY + ["yes", "No", "YES", "y", "NA", "..", "N/A", "28,500", "1.234,5", "5 %", "100.0%"]),
)


@settings(max_examples=400, deadline=None, derandomize=True)
@given(text=numberish, unit=st.sampled_from(UNITS))
@example(text="-0", unit="ha")
@example(text="1" + "0" * 400, unit="persons")
@example(text="100.00000000000000001", unit="percent")
@example(text="5 %", unit="percent")
@example(text="\uff15", unit="ha")
def test_parse_accepts_exactly_the_grammar(text: str, unit: str) -> None:
    got = parse(text, unit)
    want_value, want_code = oracle(text, unit)
    assert (got.problem.code if got.problem else None) == want_code, (text, unit, got)
    assert got.value == want_value
    if got.value is not None:
        assert math.isfinite(got.value) and got.value >= 0
        assert math.copysign(1, got.value) == 1  # '-0' is zero, not negative zero
    if got.problem is not None:
        assert got.problem.message and got.problem.hint


@settings(max_examples=200, deadline=None, derandomize=True)
@given(text=st.text(max_size=30), unit=st.sampled_from(UNITS))
def test_parse_never_raises_on_any_text(text: str, unit: str) -> None:
    value, problem = parse(text.strip(), unit)
    assert (value is None) or (problem is None)


# --- the plan file ------------------------------------------------------------------------------------------


@st.composite
def mutated_plan(draw: st.DrawFn) -> bytes:
    lines = PLAN.read_bytes().split(b"\n")
    for _ in range(draw(st.integers(1, 3))):
        i = draw(st.integers(0, len(lines) - 1))
        kind = draw(st.sampled_from(["drop", "dup", "flip", "indent", "tricky"]))
        if kind == "drop":
            del lines[i]
        elif kind == "dup":
            lines.insert(i, lines[i])
        elif kind == "flip" and lines[i]:
            line = bytearray(lines[i])
            line[draw(st.integers(0, len(line) - 1))] ^= 1 << draw(st.integers(0, 7))
            lines[i] = bytes(line)
        elif kind == "indent":
            lines[i] = b" " + lines[i]
        else:
            lines[i] += draw(st.sampled_from([b" &a", b" *a", b" !!python/name:os.system", b": x", b" [", b"\t"]))
    return b"\n".join(lines)


@settings(
    max_examples=40,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(data=mutated_plan())
def test_mutated_plans_give_findings_not_tracebacks(tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "plan.yaml"
    path.write_bytes(data)
    try:
        load_plan(path)
    except PlanError as exc:
        assert exc.findings
        lines = data.count(b"\n") + 1
        for f in exc.findings:
            assert f.line is None or 1 <= f.line <= lines + 1, f
