"""Hostile and unlucky inputs (SPEC 2.3, 2.4, 3, 5, 8): no traceback, no hang, no code execution, atomic outputs,
untouched inputs, and nothing from a report reaching a terminal or document raw.

Big inputs are generated in tmp_path (50 MB at most). Hang-prone cases run the command as a subprocess with a
timeout, so a regression fails instead of stalling the suite.
"""

from __future__ import annotations

import csv
import errno
import hashlib
import io
import json
import os
import re
import shutil
import signal
import stat
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import PLAN, ROOT, SHIPPED_REPORTS, invoke_cli

from aseanwp import reports as reports_module
from aseanwp.checks import check_file
from aseanwp.findings import Finding
from aseanwp.plan import PlanError, load_plan
from aseanwp.reports import MAX_CELL, identify

MB = 1024 * 1024
CONTROL = ("\x1b", "\x07", "\x9b", "\u202e", "\x00")


# --- helpers ----------------------------------------------------------------------------------------------


def env() -> dict[str, str]:
    e = {k: v for k, v in os.environ.items() if not k.startswith("ASEANWP_")}
    e.update(NO_COLOR="1", PYTHONPATH=str(ROOT) + os.pathsep + e.get("PYTHONPATH", ""))
    return e


def aseanwp(*args: str, cwd: Path, timeout: float = 120) -> subprocess.CompletedProcess[bytes]:
    """The real command in a subprocess (for signals, pipes, and anything that could hang)."""
    return subprocess.run(
        [sys.executable, "-m", "aseanwp", *args], cwd=cwd, env=env(), capture_output=True, timeout=timeout
    )


@pytest.fixture
def shipped(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the shipped plan and reports, as the current folder."""
    shutil.copyfile(PLAN, tmp_path / "workplan.yaml")
    shutil.copytree(SHIPPED_REPORTS, tmp_path / "reports")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def cli(*args: str):  # type: ignore[no-untyped-def]
    return invoke_cli("--plan", "workplan.yaml", "--reports", "reports", *args)


def tree(folder: Path) -> dict[str, str]:
    """Every file under ``folder`` with the hash of its bytes."""
    out = {}
    for dirpath, _dirs, names in os.walk(folder):
        for name in names:
            p = Path(dirpath) / name
            if p.is_file():
                out[str(p.relative_to(folder))] = hashlib.sha256(p.read_bytes()).hexdigest()
    return out


def check(path: Path) -> list[Finding]:
    rf = identify(str(path))
    assert rf is not None
    out: list[Finding] = []
    check_file(load_plan(PLAN), rf, out)
    return out


def member_file(root: Path, rel: str, data: bytes) -> Path:
    p = root / "reports" / rel
    p.parent.mkdir(parents=True, exist_ok=True)
    p.write_bytes(data)
    return p


def json_findings(result) -> list[dict[str, object]]:  # type: ignore[no-untyped-def]
    doc = json.loads(result.stdout)
    return [*doc["errors"], *doc["warnings"]]


HEADER = b"indicator,value,source,notes\n"


# --- big cells, long lines --------------------------------------------------------------------------------


@pytest.mark.parametrize("quoted", [True, False])
def test_a_50_mb_cell_is_too_large(tmp_path: Path, quoted: bool) -> None:
    cell = b"a" * (50 * MB if quoted else 20 * MB)
    body = b'"' + cell + b'"' if quoted else cell
    path = member_file(
        tmp_path, "BRN/2009.csv", HEADER + b"opium_poppy_area_ha,1,s," + body + b"\ncannabis_area_ha,2,s,\n"
    )
    t = time.perf_counter()
    found = check(path)
    assert time.perf_counter() - t < 20
    assert [(f.line, f.code) for f in found] == [(2, "too-large")]
    assert f"{MAX_CELL // 1024} KiB" in found[0].message


def test_an_unclosed_quote_before_megabytes_of_text(tmp_path: Path) -> None:
    rows = b"".join(b"cannabis_area_ha,%d,s,\n" % i for i in range(300_000))  # ~7 MB swallowed by the quote
    path = member_file(tmp_path, "BRN/2009.csv", HEADER + b'opium_poppy_area_ha,1,s,"oops\n' + rows)
    found = check(path)
    assert [(f.line, f.code) for f in found] == [(2, "too-large")]


def test_megabytes_of_cells_on_one_row(tmp_path: Path) -> None:
    path = member_file(tmp_path, "BRN/2009.csv", HEADER + b"opium_poppy_area_ha,1,s," + b"1," * (10 * MB // 2) + b"\n")
    t = time.perf_counter()
    found = check(path)
    assert time.perf_counter() - t < 20
    assert [(f.line, f.code) for f in found] == [(2, "row-length")]


@pytest.mark.parametrize(
    ("header", "code"),
    [
        (b"indicator,value,source" + b"," * (4 * MB), "blank-header"),
        (b"indicator,value,source," + b",".join(b"col%d" % i for i in range(1_000_000)), "unknown-column"),
        (b"indicator,source," + b",".join([b"value"] * 1_000_000), "duplicate-column"),
    ],
)
def test_a_header_of_megabytes_is_counted_quickly(tmp_path: Path, header: bytes, code: str) -> None:
    """Each column got a finding and a spelling suggestion: a 5 MB header took minutes."""
    path = member_file(tmp_path, "BRN/2009.csv", header + b"\nopium_poppy_area_ha,1,s\n")
    t = time.perf_counter()
    found = check(path)
    assert time.perf_counter() - t < 20
    same = [f for f in found if f.code == code]
    assert len(same) == 201  # 200 shown, then one that counts the rest
    assert same[-1].line == 1 and "more" in same[-1].message


def test_a_whole_report_on_one_line_of_carriage_returns(tmp_path: Path) -> None:
    """Old Mac line ends: many MB on one '\\n'-line, still read record by record with the right lines."""
    rows = [
        b"precursors_seized_kg,,,%s,%d,s" % (c.encode(), i)
        for i, c in enumerate(load_plan(PLAN).dimensions["chemical"])
    ]
    junk = [b"precursors_seized_kg,,,bogus%d,%d,s" % (i, i) for i in range(200_000)]
    data = b"\r".join([b"indicator,population,modality,chemical,value,source", *rows, *junk]) + b"\r"
    assert len(data) > 6 * MB and b"\n" not in data
    path = member_file(tmp_path, "BRN/2009.csv", data)
    found = check(path)
    bad = [f for f in found if f.code == "unknown-dimension-value"]
    assert bad[0].line == len(rows) + 2 and len(bad) == 201
    assert {f.code for f in found} == {"unknown-dimension-value"}


# --- paths: symbolic links, pipes, permissions ------------------------------------------------------------


def test_symlink_loops_and_links_outside_are_bad_paths(tmp_path: Path) -> None:
    shutil.copyfile(PLAN, tmp_path / "workplan.yaml")
    reports = tmp_path / "reports"
    (tmp_path / "outside").mkdir()
    (tmp_path / "outside" / "2008.csv").write_bytes(HEADER + b"opium_poppy_area_ha,1,s,\n")
    member_file(tmp_path, "BRN/2008.csv", HEADER + b"opium_poppy_area_ha,1,s,\n")
    (reports / "MMR").mkdir()
    (reports / "MMR" / "loop").symlink_to("../MMR")  # a loop through the member's own folder
    (reports / "BRN" / "self").symlink_to(".")
    (reports / "LAO").symlink_to(reports)  # a member folder that is the reports folder again
    (reports / "MMR" / "2008.csv").symlink_to(tmp_path / "outside" / "2008.csv")
    (reports / "THA").symlink_to(tmp_path / "outside")
    (reports / "BRN" / "2010.csv").symlink_to("nowhere.csv")
    (reports / "BRN" / "2011.csv").symlink_to("2011.csv")  # a link to itself
    (reports / "BRN" / "2009.csv").symlink_to("2008.csv")  # inside the folder: fine
    result = aseanwp(
        "--plan", "workplan.yaml", "--reports", "reports", "validate", "--format", "json", cwd=tmp_path, timeout=60
    )
    assert result.returncode == 1, result.stderr
    assert b"Traceback" not in result.stderr
    doc = json.loads(result.stdout)
    bad = {f["file"]: f["code"] for f in doc["errors"]}
    for rel in ("MMR/loop", "BRN/self", "LAO", "MMR/2008.csv", "THA", "BRN/2010.csv", "BRN/2011.csv"):
        assert bad.get(f"reports/{rel}") == "bad-path", (rel, bad)
    assert "reports/BRN/2009.csv" not in bad
    # the same, naming the links on the command line
    result = aseanwp(
        "--plan", "workplan.yaml", "--reports", "reports", "validate", "reports/LAO", "reports/MMR", "reports/BRN/2011.csv",
        cwd=tmp_path, timeout=60,
    )  # fmt: skip
    assert result.returncode == 1 and b"Traceback" not in result.stderr, result.stderr


def test_a_fifo_named_like_a_report_does_not_block(tmp_path: Path) -> None:
    shutil.copyfile(PLAN, tmp_path / "workplan.yaml")
    member_file(tmp_path, "BRN/2008.csv", HEADER + b"opium_poppy_area_ha,1,s,\n")
    os.mkfifo(tmp_path / "reports" / "BRN" / "2009.csv")
    (tmp_path / "reports" / "BRN" / "2010.csv").mkdir()  # a folder named like a report
    for args in ([], ["reports/BRN/2009.csv"]):
        result = aseanwp(
            "--plan",
            "workplan.yaml",
            "--reports",
            "reports",
            "validate",
            "--format",
            "json",
            *args,
            cwd=tmp_path,
            timeout=60,
        )
        assert result.returncode == 1, result.stderr
        found = {(f["file"], f["code"], f["line"]) for f in json.loads(result.stdout)["errors"]}
        assert ("reports/BRN/2009.csv", "unreadable", None) in found
        if not args:
            assert ("reports/BRN/2010.csv", "bad-path", None) in found


def _root_can_read(path: Path) -> bool:
    try:
        if path.is_dir():
            os.listdir(path)
        else:
            path.open("rb").close()
        return True
    except PermissionError:
        return False


@pytest.fixture
def restore_modes(tmp_path: Path) -> Iterator[list[Path]]:
    changed: list[Path] = []
    yield changed
    for p in changed:
        p.chmod(0o755)


def test_an_unreadable_file_and_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, restore_modes: list[Path]
) -> None:
    shutil.copyfile(PLAN, tmp_path / "workplan.yaml")
    monkeypatch.chdir(tmp_path)
    member_file(tmp_path, "BRN/2008.csv", HEADER + b"opium_poppy_area_ha,1,s,\n")
    locked_file = member_file(tmp_path, "BRN/2009.csv", HEADER + b"opium_poppy_area_ha,1,s,\n")
    member_file(tmp_path, "KHM/2008.csv", HEADER + b"opium_poppy_area_ha,1,s,\n")
    locked_folder = tmp_path / "reports" / "KHM"
    locked_file.chmod(0)
    locked_folder.chmod(0)
    restore_modes.extend([locked_file, locked_folder])
    result = cli("validate", "--format", "json")
    assert result.exit_code in (0, 1), result.output
    assert "Traceback" not in result.output
    found = {(f["file"], f["code"]) for f in json_findings(result)}
    # Running as root (as CI does) reads them anyway: then only the permission findings cannot be checked.
    if not _root_can_read(locked_file):
        assert ("reports/BRN/2009.csv", "unreadable") in found
    if not _root_can_read(locked_folder):
        assert ("reports/KHM", "unreadable") in found


def test_unreadable_file_and_folder_simulated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The same, with the permission errors simulated, so that root sees them too."""
    shutil.copyfile(PLAN, tmp_path / "workplan.yaml")
    monkeypatch.chdir(tmp_path)
    member_file(tmp_path, "BRN/2008.csv", HEADER + b"opium_poppy_area_ha,1,s,\n")
    locked_file = member_file(tmp_path, "BRN/2009.csv", HEADER + b"opium_poppy_area_ha,1,s,\n")
    member_file(tmp_path, "KHM/2008.csv", HEADER + b"opium_poppy_area_ha,1,s,\n")
    locked_folder = tmp_path / "reports" / "KHM"
    real_open, real_scandir = open, os.scandir

    def fake_open(file, *args, **kwargs):  # type: ignore[no-untyped-def]
        if os.path.abspath(file) == str(locked_file):
            raise PermissionError(errno.EACCES, "Permission denied", str(file))
        return real_open(file, *args, **kwargs)

    def fake_scandir(path=".", *args, **kwargs):  # type: ignore[no-untyped-def]
        if os.path.abspath(path) == str(locked_folder):
            raise PermissionError(errno.EACCES, "Permission denied", str(path))
        return real_scandir(path, *args, **kwargs)

    monkeypatch.setattr(reports_module, "open", fake_open, raising=False)
    monkeypatch.setattr(reports_module.os, "scandir", fake_scandir)
    result = cli("validate", "--format", "json")
    assert result.exit_code == 1, result.output
    found = {(f["file"], f["code"], f["line"]): f["message"] for f in json_findings(result)}
    assert "Permission denied" in found[("reports/BRN/2009.csv", "unreadable", None)]
    assert "Permission denied" in found[("reports/KHM", "unreadable", None)]
    # report and status stop on, or show, the unreadable file: never a traceback
    for args in (["report"], ["report", "--skip-invalid"], ["status"], ["review", "final", "--skip-invalid"]):
        result = cli(*args)
        assert result.exit_code in (0, 1), (args, result.output)
        assert "Traceback" not in result.output and "internal error" not in result.output


# --- the plan file ----------------------------------------------------------------------------------------

LAUGHS = "\n".join(
    [
        'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]',
        *[f"{n}: &{n} [{','.join([f'*{p}'] * 9)}]" for p, n in zip("abcdefgh", "bcdefghi", strict=True)],
        "format_version: 1",
    ]
)


@pytest.mark.parametrize(
    "text",
    [
        LAUGHS,
        # keys and values both expanding
        "a: &a {x: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]}\n"
        + "".join(f"k{i}: &k{i} [{', '.join(['*a' if i == 0 else f'*k{i - 1}'] * 10)}]\n" for i in range(8)),
        "a: " + "[" * 50_000 + "]" * 50_000 + "\n",
        "".join(" " * i + "k:\n" for i in range(2000)),
    ],
    ids=["billion-laughs", "mapping-bomb", "deep-flow", "deep-block"],
)
def test_a_plan_bomb_is_refused_quickly(tmp_path: Path, text: str) -> None:
    path = tmp_path / "workplan.yaml"
    path.write_text(text, encoding="utf-8")
    t = time.perf_counter()
    with pytest.raises(PlanError) as info:
        load_plan(path)
    assert time.perf_counter() - t < 2
    assert [f.code for f in info.value.findings] == ["too-complex"]


def test_yaml_python_tags_do_nothing(tmp_path: Path) -> None:
    sentinel = tmp_path / "PWNED"
    plan_text = PLAN.read_text(encoding="utf-8")
    payloads = [
        f'!!python/object/apply:os.system ["touch {sentinel}"]',
        f'!!python/object/apply:subprocess.check_output [["touch", "{sentinel}"]]',
        "!!python/name:os.system",
        "!!python/object/new:os.system [echo]",
        "!!python/module:os",
        f'!<tag:yaml.org,2002:python/object/apply:os.system> ["touch {sentinel}"]',
        "!custom x",
    ]
    for i, payload in enumerate(payloads):
        path = tmp_path / f"plan{i}.yaml"
        path.write_text(
            plan_text.replace("format_version: 1", f"format_version: 1\nextra: {payload}", 1), encoding="utf-8"
        )
        with pytest.raises(PlanError) as info:
            load_plan(path)
        assert info.value.findings[0].code == "yaml-syntax", (payload, info.value.findings)
        result = invoke_cli("--plan", str(path), "--reports", str(tmp_path), "validate")
        assert result.exit_code == 1 and "Traceback" not in result.output
    assert not sentinel.exists()


# --- what reaches the user: formulas, markup, escape sequences --------------------------------------------


def _poison(root: Path, notes: str, source: str, rel: str = "MMR/2011.csv") -> None:
    """Put ``notes`` and ``source`` on the first data row of a shipped report (kept valid)."""
    path = root / "reports" / rel
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"))))
    header = rows[0]
    rows[1][header.index("notes")] = notes
    rows[1][header.index("source")] = source
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows(rows)
    path.write_text(buf.getvalue(), encoding="utf-8")


@pytest.mark.parametrize("start", ["=", "+", "-", "@"])
def test_formulas_in_reports_are_neutralised_in_csv(shipped: Path, start: str) -> None:
    _poison(shipped, f'{start}HYPERLINK("http://evil","x")', f"{start}cmd|' /C calc'!A0")
    # the sources column begins with the reports folder's name: make it a formula too
    folder = shipped / f"{start}1+1"
    shutil.move(shipped / "reports", folder)
    result = invoke_cli("--plan", "workplan.yaml", f"--reports={folder.name}", "report", "--format", "csv", "--detail")
    assert result.exit_code == 0, result.output
    rows = list(csv.reader(io.StringIO(result.stdout)))
    assert len(rows) > 100
    for row in rows[1:]:
        for cell in row:
            if cell[:1] in ("=", "+", "-", "@", "\t", "\r"):
                float(cell)  # only numbers may start so (negative changes)
    assert any(cell.startswith(f"'{start}1+1/") for row in rows for cell in row)


EVIL_NOTES = "note \x1b[31mRED\x1b[0m \x07bell \x9b2J \u202eevil\u202c <script>alert(1)</script> | *b* `c` _u_\n# H"
EVIL_SOURCE = "src \x1b]8;;http://x\x1b\\link\x1b]8;;\x1b\\ \x9b31m \u202e [x](javascript:alert(1)) <img src=x>"


def strings(obj: object) -> Iterator[str]:
    if isinstance(obj, str):
        yield obj
    elif isinstance(obj, dict):
        for k, v in obj.items():
            yield k
            yield from strings(v)
    elif isinstance(obj, list):
        for v in obj:
            yield from strings(v)


def _assert_clean(text: str, where: str) -> None:
    for ch in CONTROL:
        assert ch not in text, (where, repr(ch))


def test_escape_sequences_and_markup_never_reach_output(shipped: Path) -> None:
    _poison(shipped, EVIL_NOTES, EVIL_SOURCE)
    outputs = {}
    for args in (
        ["report"],
        ["report", "--detail"],
        ["report", "--country", "MMR"],
        ["report", "--format", "markdown", "--detail"],
        ["report", "--format", "csv"],
        ["review", "midterm"],
        ["review", "final"],
        ["review", "annual", "--year", "2012"],
        ["status"],
        ["status", "--format", "markdown"],
        ["validate"],
    ):
        result = cli(*args)
        assert result.exit_code == 0, (args, result.output)
        _assert_clean(result.stdout, " ".join(args))
        _assert_clean(result.stderr, " ".join(args))
        outputs[" ".join(args)] = result.stdout
    review = outputs["review midterm"]
    # the note did reach the review, made harmless
    assert "RED" in review and "\\x1b" in review and "\\u202e" in review
    assert not re.search(r"(?<!\\)<", review), "a '<' from a report is not escaped"
    assert "\\[x\\](javascript" in review  # no link either
    assert "\n# H" not in review
    # JSON keeps the text exactly
    doc = cli("review", "midterm", "--format", "json")
    assert doc.exit_code == 0
    assert any(EVIL_NOTES.split("\n")[0] in text for text in strings(json.loads(doc.stdout)))


def test_json_output_is_terminal_safe_too(shipped: Path) -> None:
    _poison(shipped, EVIL_NOTES, EVIL_SOURCE)
    result = cli("review", "midterm", "--format", "json")
    assert result.exit_code == 0
    _assert_clean(result.stdout, "review midterm --format json")


def test_escape_sequences_in_findings_never_reach_validate_output(shipped: Path) -> None:
    member_file(
        shipped,
        "MMR/2015.csv",
        (
            "indicator,value,source,notes\n"
            "\x1b[31mopium\x07,1,s,\n"
            "opium_poppy_area_ha,\u202e12\x9b,s,\n"
            "opium_production_t,1,\x1b[2J,\n"
            "cannabis_area_ha,1,s,\x1b[2J\n"
            "heroin_seized_kg,1,,\x07\n"
        ).encode(),
    )
    for fmt in ("text", "github", "json"):
        result = cli("validate", "--format", fmt)
        assert result.exit_code == 1
        _assert_clean(result.stdout, fmt)
        _assert_clean(result.stderr, fmt)
    # report and review stop with the findings on stderr: cleaned there too
    for args in (["report"], ["review", "final"], ["report", "--skip-invalid"]):
        result = cli(*args)
        _assert_clean(result.stdout + result.stderr, " ".join(args))


def test_escape_sequences_in_file_names_never_reach_output(shipped: Path) -> None:
    (shipped / "reports" / "MMR" / "\x1b[2J2015.csv").write_bytes(b"indicator,value,source\n")
    (shipped / "reports" / "\u202eMMR").mkdir()
    member_file(shipped, "BRN/2015.csv", b"indicator,value,source\nbogus,1,s\n")
    for args in (["validate"], ["validate", "--format", "github"], ["report", "--skip-invalid"]):
        result = cli(*args)
        assert result.exit_code in (0, 1)
        _assert_clean(result.stdout + result.stderr, " ".join(args))


# --- signals and pipes ------------------------------------------------------------------------------------


def _slow_reports(root: Path) -> None:
    """About 38 MB of reports that take several seconds to validate (invalid rows go row by row)."""
    shutil.copyfile(PLAN, root / "workplan.yaml")
    block = b"".join(b"precursors_seized_kg,c%d,%d,s\n" % (i, i) for i in range(250_000))
    for code in ("BRN", "KHM", "IDN", "LAO"):
        member_file(root, f"{code}/2009.csv", b"indicator,chemical,value,source\n" + block)


def _interrupt(root: Path, *args: str) -> subprocess.CompletedProcess[bytes]:
    proc = subprocess.Popen(
        [sys.executable, "-m", "aseanwp", "--plan", "workplan.yaml", "--reports", "reports", *args],
        cwd=root,
        env=env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        # a shell's background job inherits SIGINT ignored, and Python then keeps it ignored
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    time.sleep(1.5)  # well past start-up: the validation of 38 MB (several seconds) is under way
    assert proc.poll() is None, "the command ended before it could be interrupted: give it more to read"
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=60)
    return subprocess.CompletedProcess(proc.args, proc.returncode, out, err)


def test_ctrl_c_exits_130_with_a_short_message(tmp_path: Path) -> None:
    _slow_reports(tmp_path)
    result = _interrupt(tmp_path, "validate")
    assert result.returncode == 130, result.stderr[-2000:]
    assert b"Traceback" not in result.stderr
    assert b"interrupted" in result.stderr and len(result.stderr.strip().splitlines()) <= 2, result.stderr


def test_ctrl_c_leaves_no_output_file(tmp_path: Path) -> None:
    _slow_reports(tmp_path)
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "old.json").write_bytes(b"old")
    result = _interrupt(tmp_path, "report", "--skip-invalid", "--format", "json", "-o", "out/old.json")
    assert result.returncode == 130, result.stderr[-2000:]
    assert b"Traceback" not in result.stderr
    assert os.listdir(tmp_path / "out") == ["old.json"]
    assert (tmp_path / "out" / "old.json").read_bytes() == b"old"


PIPED = [
    "report",
    "report --detail",
    "report --format markdown",
    "report --format csv",
    "report --format json",
    "review midterm",
    "review final --format json",
    "status",
    "plan",
    "plan --format json",
    "validate --format json",
    "template MMR 2012",
    "schema plan",
]


def _piped(reader: str) -> dict[str, subprocess.CompletedProcess[bytes]]:
    """Each command piped into ``reader`` by a real shell, all at once; the command's own exit status."""
    procs = {}
    for command in PIPED:
        script = f'"{sys.executable}" -m aseanwp {command} | {reader} >/dev/null; exit ${{PIPESTATUS[0]}}'
        procs[command] = subprocess.Popen(
            ["bash", "-c", script], cwd=ROOT, env=env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE
        )
    done = {}
    for command, proc in procs.items():
        out, err = proc.communicate(timeout=120)
        done[command] = subprocess.CompletedProcess(proc.args, proc.returncode, out, err)
    return done


@pytest.mark.parametrize("reader", ["head -1", "head -c 1", "true"])
def test_a_closed_pipe_ends_quietly(reader: str) -> None:
    """`aseanwp report | head -1`: no traceback, no message, no internal error (with `true` the pipe is surely
    closed before the first write)."""
    for command, result in _piped(reader).items():
        assert result.stderr.strip() == b"" or result.stderr.startswith(b"plan and"), (command, result.stderr)
        assert b"Traceback" not in result.stderr and b"Exception ignored" not in result.stderr
        assert result.returncode in (0, 1), (command, result.returncode)


def test_a_closed_pipe_is_not_an_error() -> None:
    for command, result in _piped("true").items():
        assert result.returncode == 0, (command, result.returncode)


# --- -o: atomic, and never over a good file on failure ----------------------------------------------------


@pytest.mark.parametrize(
    "args",
    [
        ["report", "--format", "json"],
        ["report", "--format", "csv"],
        ["review", "midterm"],
        ["status"],
        ["plan"],
        ["schema", "report"],
        ["template", "MMR", "2012"],
    ],
)
def test_output_into_a_missing_folder_exits_1_and_leaves_nothing(shipped: Path, args: list[str]) -> None:
    before = sorted(os.listdir(shipped))
    result = cli(*args, "-o", "missing/out.txt")
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    assert result.stdout == ""
    assert sorted(os.listdir(shipped)) == before


@pytest.mark.parametrize(
    "args",
    [
        ["report", "--format", "json"],
        ["report", "--format", "csv"],
        ["review", "midterm"],
        ["review", "annual", "--year", "2012", "--format", "json"],
    ],
)
def test_a_failing_command_leaves_an_existing_output_byte_identical(shipped: Path, args: list[str]) -> None:
    member_file(shipped, "MMR/2012.csv", b"indicator,value,source\nopium_poppy_area_ha,1e3,s\n")
    out = shipped / "out.txt"
    out.write_bytes(b"the previous, good output\n")
    before = sorted(os.listdir(shipped))
    result = cli(*args, "-o", "out.txt")
    assert result.exit_code == 1, result.output
    assert out.read_bytes() == b"the previous, good output\n"
    assert sorted(os.listdir(shipped)) == before  # no temporary file left behind


def test_a_failing_plan_leaves_an_existing_output_byte_identical(shipped: Path) -> None:
    (shipped / "workplan.yaml").write_text("format_version: 1\nbogus: [\n", encoding="utf-8")
    out = shipped / "plan.md"
    out.write_bytes(b"old")
    for args in (["plan", "--format", "markdown"], ["report"], ["status"], ["review", "final"]):
        result = cli(*args, "-o", "plan.md")
        assert result.exit_code == 1, result.output
        assert out.read_bytes() == b"old"


def test_output_onto_a_folder_or_read_only_place_exits_1(shipped: Path) -> None:
    (shipped / "a-folder").mkdir()
    result = cli("report", "--format", "json", "-o", "a-folder")
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert os.listdir(shipped / "a-folder") == []


def test_output_onto_a_pipe_or_device_writes_through_it(shipped: Path) -> None:
    """-o onto a FIFO (or /dev/stdout, /dev/null) cannot be replaced atomically: it was replaced by a regular
    file, which for root and /dev/null is a disaster."""
    fifo = shipped / "pipe"
    os.mkfifo(fifo)
    got: list[bytes] = []
    reader = threading.Thread(target=lambda: got.append(fifo.read_bytes()))
    reader.start()
    result = cli("report", "--format", "json", "-o", str(fifo))
    reader.join(timeout=60)
    assert result.exit_code == 0, result.output
    assert stat.S_ISFIFO(os.stat(fifo).st_mode)
    assert json.loads(got[0])["format_version"] == 1
    result = cli("schema", "plan", "-o", os.devnull)
    assert result.exit_code == 0, result.output
    assert stat.S_ISCHR(os.stat(os.devnull).st_mode)
    assert sorted(os.listdir(shipped)) == ["pipe", "reports", "workplan.yaml"]


@pytest.mark.parametrize(
    "args, target",
    [
        (["report"], "reports/MMR/2015.csv"),
        (["report", "--format", "json"], "./reports/../reports/THA/2012.csv"),
        (["review", "final"], "workplan.yaml"),
        (["status"], "reports/notes.md"),
        (["plan", "--format", "markdown"], "reports/MMR"),
    ],
)
def test_output_never_replaces_an_input(shipped: Path, args: list[str], target: str) -> None:
    """Found trying the tool: `report -o reports/MMR/2015.csv` replaced Myanmar's report with the table."""
    before = tree(shipped)
    result = cli(*args, "-o", target)
    assert result.exit_code == 1, result.output
    assert "somewhere else" in result.output or "is a folder" in result.output
    assert tree(shipped) == before


def test_output_names_that_are_not_files(shipped: Path) -> None:
    before = sorted(os.listdir(shipped))
    result = cli("report", "-o", "newdir/")
    assert result.exit_code == 1 and "is a folder" in result.output
    result = cli("report", "-o", "")
    assert result.exit_code == 2 and "needs a file name" in result.output
    result = cli("template", "MMR", "2015", "-o", "")
    assert result.exit_code == 2
    assert sorted(os.listdir(shipped)) == before
    result = cli("template", "MMR", "2015", "-o", "-")  # standard output, as for every other command
    assert result.exit_code == 0 and result.stdout.startswith("indicator,")
    assert sorted(os.listdir(shipped)) == before


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full")
@pytest.mark.parametrize("args", [["report"], ["validate"], ["--help"], ["template", "MMR", "2015"]])
def test_standard_output_on_a_full_disk_exits_1(shipped: Path, args: list[str]) -> None:
    with open("/dev/full", "w") as full:
        proc = subprocess.run(
            [sys.executable, "-m", "aseanwp", "--plan", "workplan.yaml", *args],
            cwd=shipped,
            env=env(),
            stdout=full,
            stderr=subprocess.PIPE,
            timeout=120,
        )
    assert proc.returncode == 1, proc.stderr
    assert b"No space left on device" in proc.stderr and b"Traceback" not in proc.stderr


def test_standard_output_closed_exits_1(shipped: Path) -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "aseanwp", "--plan", "workplan.yaml", "report"],
        cwd=shipped,
        env=env(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        timeout=120,
        preexec_fn=lambda: os.close(1),  # noqa: PLW1509 - a test: close stdout in the child before exec
    )
    assert proc.returncode == 1, proc.stderr
    assert b"standard output is closed" in proc.stderr


@pytest.mark.parametrize("encoding", ["cp1252", "ascii", "latin-1"])
def test_output_is_utf_8_whatever_the_locale(shipped: Path, encoding: str) -> None:
    """Windows redirects to cp1252 files, LANG=C gives ASCII: the status symbols (○, ▲) ended the run (exit 3)."""
    proc = subprocess.run(
        [sys.executable, "-m", "aseanwp", "--plan", "workplan.yaml", "report", "--format", "markdown"],
        cwd=shipped,
        env={**env(), "PYTHONIOENCODING": encoding, "LC_ALL": "C", "LANG": "C"},
        capture_output=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    text = proc.stdout.decode("utf-8")
    assert any(ord(c) > 0xFF for c in text)  # beyond cp1252 and latin-1, written as UTF-8


# --- inputs are never changed -----------------------------------------------------------------------------


def test_no_command_changes_an_input(shipped: Path) -> None:
    before = tree(shipped)
    mtimes = {p: os.stat(shipped / p).st_mtime_ns for p in before}
    for args in (
        ["validate"],
        ["validate", "--format", "json", "reports/MMR/2012.csv"],
        ["validate", "--format", "github", "reports/MMR"],
        ["report"],
        ["report", "--format", "json", "--detail"],
        ["report", "--format", "csv"],
        ["report", "--format", "markdown", "--country", "MMR"],
        ["review", "midterm"],
        ["review", "final", "--format", "json"],
        ["review", "annual", "--year", "2010"],
        ["status"],
        ["status", "--format", "json"],
        ["plan", "--format", "json"],
    ):
        result = cli(*args)
        assert result.exit_code in (0, 1), (args, result.output)
    assert tree(shipped) == before
    assert {p: os.stat(shipped / p).st_mtime_ns for p in before} == mtimes


# --- odd numbers and NUL bytes ----------------------------------------------------------------------------

ODD_VALUES = [
    "NaN",
    "nan",
    "inf",
    "-inf",
    "Infinity",
    "1e309",
    "1E309",
    "-0",
    "-0.0",
    "0" * 30,
    "1" + "0" * 400,
    "\x00",
    "1\x000",
    "-",
]


@pytest.mark.parametrize("value", ODD_VALUES)
def test_odd_numbers_are_findings_or_values_never_exit_3(shipped: Path, value: str) -> None:
    rows = [
        f"opium_poppy_area_ha,{value},,,s,",
        f"opium_production_t,5,{value},10,s,",
        f"drug_use_prevalence_pct,{value}%,,,s,",
        f"pen_implemented,{value},,,s,",
        f"meth_tablets_seized,{value},,,x\x00y,n\x00o",
    ]
    member_file(
        shipped, "MMR/2015.csv", ("indicator,value,lower,upper,source,notes\n" + "\n".join(rows) + "\n").encode()
    )
    for args in (
        ["validate", "--format", "json"],
        ["report", "--format", "json"],
        ["report", "--skip-invalid", "--format", "json", "--country", "MMR"],
        ["report", "--skip-invalid"],
        ["review", "final", "--skip-invalid"],
        ["status"],
    ):
        result = cli(*args)
        assert result.exit_code in (0, 1), (args, result.output)
        assert "internal error" not in result.output
    if value in ("-0", "-0.0") or set(value) == {"0"}:  # a valid zero, never a negative one
        member_file(shipped, "MMR/2015.csv", f"indicator,value,source\nopium_poppy_area_ha,{value},s\n".encode())
        result = cli("report", "--format", "json", "--country", "MMR", "--year", "2015")
        assert result.exit_code == 0, result.output
        doc = json.loads(result.stdout)
        (row,) = [r for r in doc["rows"] if r["indicator"] == "opium_poppy_area_ha"]
        assert row["value"] == 0 and str(row["value"]) == "0"  # not "-0"


def test_nul_bytes_everywhere_never_exit_3(shipped: Path) -> None:
    member_file(shipped, "MMR/2015.csv", b"indi\x00cator,value,source\n\x00\x00\x00\n")
    member_file(shipped, "BRN/2015.csv", b"\x00" * 1000)
    member_file(shipped, "KHM/2015-actions.csv", b"action,status\nI.1.1,\x00\n\x00,ongoing\n")
    for args in (["validate"], ["report", "--skip-invalid"], ["status"], ["review", "final", "--skip-invalid"]):
        result = cli(*args)
        assert result.exit_code in (0, 1), (args, result.output)
        assert "internal error" not in result.output
    (shipped / "workplan.yaml").write_bytes(PLAN.read_bytes().replace(b"format_version: 1", b"format_version: 1\x00"))
    result = cli("validate")
    assert result.exit_code == 1 and "internal error" not in result.output
