"""A longer mutation fuzz of the report reader, the checks, the plan loader and the command line. Run by hand:

    python bench/fuzz.py --minutes 2 [--seed N] [--cli-every 25] [--out bench/out/fuzz]

Each round takes a shipped report file (or the shipped plan) and spoils it a few ways: flipped bytes, stray quotes,
NUL bytes, duplicated or dropped lines, mixed delimiters, long runs of digits, right-to-left marks, odd numbers,
other encodings, huge cells. Then it asserts (SPEC 8) that

- no exception escapes ``check_file`` or ``load_plan`` (``PlanError`` is the plan's normal answer);
- the fast path agrees with the row-by-row checks: the same findings and the same valid rows with the chunk size
  forced small and with ``IndicatorFile.accept`` switched off;
- every finding has a known code, a message, and a line inside the file;
- every so often, the command line (validate, report, status, review) on a copy of the shipped data holding the
  mutated file never exits 3 and never prints a traceback.

Failing inputs are saved under --out with what went wrong. The last line is a summary; the exit code is 1 when
anything failed.
"""

from __future__ import annotations

import argparse
import csv
import io
import os
import random
import shutil
import sys
import tempfile
import time
import traceback
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, ROOT)

from click.testing import CliRunner  # noqa: E402

from aseanwp.checks import check_file  # noqa: E402
from aseanwp.checks.indicator_rows import IndicatorFile  # noqa: E402
from aseanwp.cli import cli  # noqa: E402
from aseanwp.findings import Finding  # noqa: E402
from aseanwp.plan import Plan, PlanError, load_plan  # noqa: E402
from aseanwp.reports import CsvFile, ReportFile, identify  # noqa: E402

PLAN = os.path.join(ROOT, "data", "workplan.yaml")
REPORTS = os.path.join(ROOT, "data", "reports")

CODES = {
    "unreadable", "encoding", "empty-file", "bad-path", "unknown-country", "year-out-of-range", "too-large",
    "missing-column", "unknown-column", "duplicate-column", "blank-header", "row-length", "unknown-indicator",
    "bad-number", "ambiguous-number", "negative-value", "not-whole", "percent-out-of-range", "bad-range",
    "unit-mismatch", "unknown-dimension", "unknown-dimension-value", "missing-source", "bad-flag",
    "country-mismatch", "year-mismatch", "unknown-action", "bad-status", "duplicate-row", "missing-baseline",
    "missing-report", "jump", "no-figures",
}  # fmt: skip

TRICKY = [
    "NaN", "nan", "inf", "-inf", "1e309", "1E3", "-0", "-0.0", "0" * 40, "9" * 400, "1" + "0" * 309, "\u200f12",
    "12\u200e", "\u202e21", "\u0663", "\x00", "1\x001", '"', '""', "12%", "%", "1,5", "28,500", "1.234,5", " 12",
    "12 ", "yes", "NO", "NA", "..", "n/a", "-", "+5", ".5", "5.", "1_000", "\n", "12\n13", "\r", "\x1b[31m",
    "=1+1", "@SUM(A1)", "\ufeff", "\u00a0", "101", "1.5", "-1",
]  # fmt: skip


# --- mutations ------------------------------------------------------------------------------------------------


def _lines(data: bytes) -> list[bytes]:
    return data.split(b"\n")


def mutate_bytes(rng: random.Random, data: bytes, corpus: list[bytes]) -> bytes:
    """One random spoiling of a CSV (or YAML) file's bytes."""
    kind = rng.choice(
        [
            "flip", "quote", "nul", "dup", "drop", "delim", "digits", "rtl", "tricky", "cut", "crlf", "cr", "bom",
            "latin1", "blank", "swap", "splice", "space", "huge", "header", "delim-all", "truncate", "quoted",
            "columns", "quoted",
        ]
    )  # fmt: skip
    lines = _lines(data)
    i = rng.randrange(len(lines)) if lines else 0
    line = bytearray(lines[i]) if lines else bytearray()
    pos = rng.randrange(len(line) + 1)
    if kind == "flip" and data:
        b = bytearray(data)
        j = rng.randrange(len(b))
        b[j] ^= 1 << rng.randrange(8)
        return bytes(b)
    if kind == "quote":
        line[pos:pos] = b'"'
    elif kind == "nul":
        line[pos:pos] = b"\x00" * rng.randint(1, 3)
    elif kind == "dup":
        lines.insert(i, bytes(line))
    elif kind == "drop" and len(lines) > 1:
        del lines[i]
        return b"\n".join(lines)
    elif kind == "delim":
        line = bytearray(bytes(line).replace(b",", rng.choice([b";", b"\t"]), rng.randint(1, 3)))
    elif kind == "delim-all":
        return data.replace(b",", rng.choice([b";", b"\t"]))
    elif kind == "digits":
        line[pos:pos] = rng.choice(b"0123456789").to_bytes(1, "big") * rng.randint(15, 400)
    elif kind == "rtl":
        line[pos:pos] = rng.choice(["\u200f", "\u202e", "\u2066", "\u061c"]).encode()
    elif kind == "tricky":
        cells = bytes(line).split(b",")
        j = rng.randrange(len(cells))
        cells[j] = rng.choice(TRICKY).encode()
        line = bytearray(b",".join(cells))
    elif kind == "quoted":  # a tricky cell as a spreadsheet quotes it: line breaks and quotes inside
        cells = bytes(line).split(b",")
        j = rng.randrange(len(cells))
        text = rng.choice([*TRICKY, "12\n13", "\n", "1\r\n2", "5\n", '1"2', "a,b", "x;y"])
        cells[j] = b'"' + text.replace('"', '""').encode() + b'"'
        line = bytearray(b",".join(cells))
    elif kind == "columns":  # the same table with its columns in another order
        try:
            rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))
        except (UnicodeDecodeError, csv.Error):
            return data
        width = max((len(r) for r in rows), default=0)
        order = list(range(width))
        rng.shuffle(order)
        buf = io.StringIO()
        writer = csv.writer(buf, lineterminator="\n")
        for r in rows:
            writer.writerow([r[c] if c < len(r) else "" for c in order] if len(r) == width else r)
        return buf.getvalue().encode()
    elif kind == "cut":
        del line[pos:]
    elif kind == "crlf":
        return data.replace(b"\n", b"\r\n")
    elif kind == "cr":
        return data.replace(b"\n", b"\r")
    elif kind == "bom":
        return b"\xef\xbb\xbf" + data
    elif kind == "latin1":
        line[pos:pos] = rng.choice([b"\xe9", b"\xff\xfe", b"\x80", b"\xc3"])
    elif kind == "blank":
        lines.insert(i, rng.choice([b"", b",,,,", b"   ", b";;"]))
    elif kind == "swap" and len(lines) > 2:
        j = rng.randrange(len(lines))
        lines[i], lines[j] = lines[j], lines[i]
        return b"\n".join(lines)
    elif kind == "splice" and corpus:
        other = _lines(rng.choice(corpus))
        lines.insert(i, rng.choice(other))
    elif kind == "space":
        cells = bytes(line).split(b",")
        j = rng.randrange(len(cells))
        cells[j] = rng.choice([b" ", b"  ", b"\t"]) + cells[j] + rng.choice([b"", b" "])
        line = bytearray(b",".join(cells))
    elif kind == "huge":
        if rng.random() < 0.1:
            line[pos:pos] = b"x" * (1024 * 1024 + rng.randint(1, 100))
        else:
            line[pos:pos] = b"x" * rng.randint(1000, 100_000)
    elif kind == "header":
        head = bytes(lines[0]).split(b",")
        j = rng.randrange(len(head))
        head[j] = rng.choice([head[j].upper(), b" " + head[j] + b" ", b"", head[0], head[j][:-1], b"district"])
        lines[0] = b",".join(head)
        return b"\n".join(lines)
    elif kind == "truncate":
        return data[: rng.randrange(len(data) + 1)]
    if lines:
        lines[i] = bytes(line)
    return b"\n".join(lines)


YAML_SNIPPETS = [
    "&a x", "*a", "!!python/object/apply:os.system ['true']", "!!binary aGVsbG8=", "<<: {}", "? [a, b]\n: c",
    "{", "[", "'", '"', "|", ">", "- ", ": ", "\t", "---", "...", "%YAML 1.1", "!custom x", "0x1F", "1e400",
    ".nan", "~", "null", "2009-13-45", "yes", "on", "- &b [*b]", "\x00", "\u202e", "\ufeff",
]  # fmt: skip


def mutate_plan(rng: random.Random, text: str) -> str:
    """Spoil the plan's YAML: its bytes, its lines, its indentation, anchors, tags, values."""
    lines = text.split("\n")
    i = rng.randrange(len(lines))
    kind = rng.choice(["bytes", "snippet", "indent", "drop", "dup", "value", "anchor-bomb", "key"])
    if kind == "bytes":
        return mutate_bytes(rng, text.encode(), []).decode("utf-8", "replace")
    if kind == "snippet":
        pos = rng.randrange(len(lines[i]) + 1)
        lines[i] = lines[i][:pos] + rng.choice(YAML_SNIPPETS) + lines[i][pos:]
    elif kind == "indent":
        lines[i] = rng.choice(["", " ", "  ", "    "]) + lines[i].lstrip() if rng.random() < 0.5 else " " + lines[i]
    elif kind == "drop":
        del lines[i]
    elif kind == "dup":
        lines.insert(i, lines[i])
    elif kind == "value" and ":" in lines[i]:
        key, _, _ = lines[i].partition(":")
        lines[i] = f"{key}: {rng.choice(['', '[]', '{}', '-1', '0', '3000', 'x' * 200, 'null', 'true', '1.5'])}"
    elif kind == "anchor-bomb":
        depth = rng.randint(2, 9)
        bomb = ["bomb0: &b0 [x, x, x, x, x, x, x, x, x, x]"]
        bomb += [f"bomb{n}: &b{n} [{', '.join([f'*b{n - 1}'] * 10)}]" for n in range(1, depth)]
        lines[i:i] = bomb
    elif kind == "key" and ":" in lines[i]:
        key, sep, rest = lines[i].partition(":")
        lines[i] = key + rng.choice(["x", "_", "", "\u202e"]) + sep + rest
    return "\n".join(lines)


# --- checks ---------------------------------------------------------------------------------------------------


class Recorder:
    per_row = True

    def __init__(self) -> None:
        self.rows: list[tuple[Any, ...]] = []
        self.firsts: list[Any] = []

    def indicators(self, rf: ReportFile, first_value: dict[str, int]) -> None:
        self.firsts.append(list(first_value.items()))

    def values(self, rf: ReportFile, rows: list[Any]) -> None:
        for line, *rest in rows:
            self.rows.append((line, *(repr(x) if isinstance(x, float) else x for x in rest)))

    def action(self, rf: ReportFile, line: int, *rest: Any) -> None:
        self.rows.append(("action", line, *rest))


@contextmanager
def patched(obj: Any, name: str, value: Any) -> Iterator[None]:
    old = obj.__dict__[name]
    setattr(obj, name, value)
    try:
        yield
    finally:
        setattr(obj, name, old)


def _run(plan: Plan, rf: ReportFile, chunk: int | None, fast: bool) -> tuple[list[Finding], Recorder]:
    out: list[Finding] = []
    emit = Recorder()
    original = CsvFile.chunks

    def small(self: CsvFile, size: int = 2048) -> Any:
        return original(self, chunk)

    with (
        patched(CsvFile, "chunks", small if chunk else original),
        patched(IndicatorFile, "accept", IndicatorFile.accept if fast else (lambda self, rows, lines: False)),
    ):
        check_file(plan, rf, out, emit)
    return out, emit


def check_report(plan: Plan, rf: ReportFile, data: bytes, rng: random.Random) -> str | None:
    """None when all is well, else what went wrong."""
    try:
        out, emit = _run(plan, rf, None, True)
    except Exception:
        return "check_file raised:\n" + traceback.format_exc()
    physical = data.count(b"\n") + data.count(b"\r") + 2
    for f in out:
        if f.code not in CODES or not f.message or (f.line is not None and not 1 <= f.line <= physical):
            return f"bad finding: {f}"
    try:
        chunk = rng.choice([1, 2, 3, 7, 64])
        slow, slow_emit = _run(plan, rf, chunk, False)
        small, small_emit = _run(plan, rf, chunk, True)
    except Exception:
        return "check_file raised (small chunks):\n" + traceback.format_exc()
    if not (out == slow == small):
        diff = [(a, b) for a, b in zip(slow, small, strict=False) if a != b][:3] or (len(slow), len(small))
        return f"findings differ between the fast and the row-by-row path (chunk {chunk}): {diff}"
    if not (emit.rows == slow_emit.rows == small_emit.rows) or not (
        emit.firsts == slow_emit.firsts == small_emit.firsts
    ):
        diff = [(a, b) for a, b in zip(slow_emit.rows, small_emit.rows, strict=False) if a != b][:3]
        return f"emitted rows differ between the fast and the row-by-row path (chunk {chunk}): {diff}"
    return None


def run_cli(*args: str) -> str | None:
    runner = CliRunner(env={"NO_COLOR": "1", "ASEANWP_PLAN": None, "ASEANWP_REPORTS": None})
    result = runner.invoke(cli, list(args), catch_exceptions=True)
    if result.exit_code not in (0, 1) or "Traceback" in result.output or "internal error" in result.output:
        detail = result.output[-3000:]
        if result.exc_info and result.exc_info[0] is not SystemExit:
            detail += "".join(traceback.format_exception(*result.exc_info))
        return f"aseanwp {' '.join(args)} exited {result.exit_code}:\n{detail}"
    return None


# --- the loop -------------------------------------------------------------------------------------------------


def shipped_files() -> list[str]:
    out = []
    for dirpath, _dirs, names in os.walk(REPORTS):
        out += [os.path.join(dirpath, n) for n in names if n.endswith(".csv")]
    return sorted(out)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--minutes", type=float, default=2.0)
    ap.add_argument("--seed", type=int, default=None)
    ap.add_argument("--cli-every", type=int, default=25, help="run the command line every N rounds (0: never)")
    ap.add_argument("--out", default=os.path.join(HERE, "out", "fuzz"), help="where failing inputs are saved")
    args = ap.parse_args()
    seed = args.seed if args.seed is not None else random.randrange(2**32)
    rng = random.Random(seed)
    plan = load_plan(PLAN)
    files = shipped_files()
    corpus = [open(p, "rb").read() for p in files]  # noqa: SIM115 - small files, read once
    plan_text = open(PLAN, encoding="utf-8").read()  # noqa: SIM115
    work = tempfile.mkdtemp(prefix="aseanwp-fuzz-")
    shutil.copyfile(PLAN, os.path.join(work, "workplan.yaml"))
    shutil.copytree(REPORTS, os.path.join(work, "reports"))
    wplan, wreports = os.path.join(work, "workplan.yaml"), os.path.join(work, "reports")
    counts = {"reports": 0, "plans": 0, "cli": 0, "failures": 0}
    deadline = time.monotonic() + args.minutes * 60
    start = time.monotonic()

    def fail(kind: str, data: bytes, what: str, name: str) -> None:
        counts["failures"] += 1
        os.makedirs(args.out, exist_ok=True)
        stem = os.path.join(args.out, f"{kind}-{seed}-{counts['reports'] + counts['plans']}")
        with open(stem + "-" + os.path.basename(name), "wb") as fh:
            fh.write(data)
        with open(stem + ".txt", "w", encoding="utf-8") as fh:
            fh.write(f"{name}\n{what}\n")
        print(f"FAIL {kind} {name}: {what.splitlines()[0][:200]} (saved {stem}.txt)", file=sys.stderr)

    try:
        rounds = 0
        while time.monotonic() < deadline:
            rounds += 1
            cli_now = args.cli_every and rounds % args.cli_every == 0
            if rng.random() < 0.85:
                k = rng.randrange(len(files))
                rel = os.path.relpath(files[k], REPORTS)
                data = corpus[k]
                for _ in range(rng.randint(1, 5)):
                    data = mutate_bytes(rng, data, corpus)
                target = os.path.join(wreports, rel)
                with open(target, "wb") as fh:
                    fh.write(data)
                rf = identify(target)
                assert rf is not None
                counts["reports"] += 1
                problem = check_report(plan, rf, data, rng)
                if problem:
                    fail("report", data, problem, rel)
                if cli_now:
                    for cmd in (
                        ["validate", "--format", rng.choice(["text", "json", "github"]), target],
                        ["report", "--skip-invalid", "--format", rng.choice(["table", "markdown", "csv", "json"])],
                        ["status"],
                        ["review", rng.choice(["midterm", "final"]), "--skip-invalid"],
                    ):
                        counts["cli"] += 1
                        problem = run_cli("--plan", wplan, "--reports", wreports, *cmd)
                        if problem:
                            fail("cli", data, problem, rel)
                            break
                with open(target, "wb") as fh:
                    fh.write(corpus[k])
            else:
                text = plan_text
                for _ in range(rng.randint(1, 4)):
                    text = mutate_plan(rng, text)
                data = text.encode("utf-8", "surrogatepass")
                path = os.path.join(work, "mutated.yaml")
                with open(path, "wb") as fh:
                    fh.write(data)
                counts["plans"] += 1
                t = time.perf_counter()
                try:
                    load_plan(path)
                except PlanError:
                    pass
                except Exception:
                    fail("plan", data, "load_plan raised:\n" + traceback.format_exc(), "workplan.yaml")
                if time.perf_counter() - t > 2:
                    fail("plan", data, f"load_plan took {time.perf_counter() - t:.1f} s", "workplan.yaml")
                if cli_now:
                    counts["cli"] += 1
                    problem = run_cli("--plan", path, "--reports", wreports, "validate")
                    if problem:
                        fail("cli", data, problem, "workplan.yaml")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    elapsed = time.monotonic() - start
    print(
        f"fuzz: {counts['reports']:,} report mutations, {counts['plans']:,} plan mutations, "
        f"{counts['cli']:,} command runs in {elapsed:.0f} s (seed {seed}): {counts['failures']} failure(s)"
    )
    return 1 if counts["failures"] else 0


if __name__ == "__main__":
    sys.exit(main())
