"""One report file of 1,000,000 rows (20 indicators by 50,000 districts): `aseanwp validate` against Python's
own csv.reader plus float() on the same file, and aseanwp's peak memory.

Targets (SPEC 8, rev. 2): within 2.5x of csv.reader (3x at most), under 200 MB. Run: python bench/validate_1m.py [rows]
The data is generated into bench/out/ (ignored by git).
"""

from __future__ import annotations

import csv
import os
import shutil
import subprocess
import sys
import time

from _common import OUT, aseanwp, compare, peak_rss_mb, python_code

INDICATORS = 20


def make(folder: str, districts: int) -> str:
    """A plan with a `district` dimension and one 2009 report of INDICATORS x districts rows."""
    os.makedirs(os.path.join(folder, "reports", "XX"), exist_ok=True)
    plan = os.path.join(folder, "plan.yaml")
    with open(plan, "w") as fh:
        fh.write(
            "format_version: 1\ntitle: Benchmark plan\nadopted: {by: bench, date: 2009-07-01, place: here}\n"
            "source: generated\nperiod: {start: 2009, end: 2015}\nbaseline_year: 2008\n"
            "members: [{code: XX, name: Somewhere}]\nregion: {code: ALL, name: All}\n"
            "goals: [{id: I, title: Goal}]\nbenchmarks: [{id: I.a, goal: I, text: Benchmark}]\n"
            "objectives: [{id: I.1, goal: I, title: Objective, benchmarks: [I.a], actions: [{id: I.1.1, text: Act}]}]\n"
            "indicators:\n"
        )
        for i in range(INDICATORS):
            unit = "persons" if i % 2 else "kg"
            fh.write(
                f"  - {{id: ind_{i:02d}, name: Indicator {i}, benchmark: I.a, unit: {unit}, direction: decrease, "
                "aggregate: sum, core: true, dimensions: [district]}\n"
            )
        fh.write("dimensions:\n  district: [" + ", ".join(f"d{n:05d}" for n in range(districts)) + "]\n")
    report = os.path.join(folder, "reports", "XX", "2009.csv")
    with open(report, "w", newline="") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(["indicator", "district", "value", "unit", "source", "flag", "notes"])
        for i in range(INDICATORS):
            unit = "persons" if i % 2 else "kg"
            for n in range(districts):
                value = (n * 7919 + i * 104729) % 100000
                w.writerow(
                    [
                        f"ind_{i:02d}",
                        f"d{n:05d}",
                        value if i % 2 else f"{value / 10:.1f}",
                        unit,
                        "census",
                        "",
                        "",
                    ]
                )
    return report


# the baseline: csv.reader and float() over the same file, in a fresh interpreter as aseanwp runs in one
# (in a function: a loop at module level works on globals, a third slower)
CSV_FLOAT = """
import csv, sys
def main():
    with open(sys.argv[1], newline="", encoding="utf-8") as fh:
        r = csv.reader(fh)
        next(r)
        total = 0.0
        for row in r:
            total += float(row[2])
main()
"""


def main() -> None:
    rows = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
    folder = os.path.join(OUT, "validate_1m")
    report = make(folder, rows // INDICATORS)
    size = os.path.getsize(report) / 2**20
    cmd = [*aseanwp(), "--plan", os.path.join(folder, "plan.yaml"), "validate", report]
    t = compare({"csv": python_code(CSV_FLOAT, report), "ours": cmd}, runs=5)
    base, ours = t["csv"], t["ours"]
    mem = peak_rss_mb(cmd)
    print(f"file: {rows:,} rows, {size:.1f} MiB (medians of 5 runs, taken in turns)")
    print(f"csv.reader + float()   {base.wall:6.2f} s wall, {base.cpu:6.2f} s CPU")
    print(f"aseanwp validate       {ours.wall:6.2f} s wall, {ours.cpu:6.2f} s CPU")
    cpu = ours.cpu / base.cpu
    verdict = "met" if cpu <= 2.5 else "ceiling met, target not" if cpu <= 3 else "NOT met"
    print(f"   ratio: {ours.ratio(base)} (target <= 2.5x CPU, ceiling 3x: {verdict})")
    print(f"aseanwp peak memory    {mem:6.1f} MB (target < 200 MB)" if mem else "peak memory: /usr/bin/time not found")
    frictionless = shutil.which("frictionless")
    if frictionless:  # optional: pip install frictionless (one run: it takes several times as long)
        # run from the file's folder: frictionless refuses an absolute path outside the current folder
        # (it then exits at once, which once read as a fast validation)
        folder, name = os.path.split(report)
        t = time.perf_counter()
        proc = subprocess.run([frictionless, "validate", name], cwd=folder, capture_output=True, text=True)
        took = time.perf_counter() - t
        if proc.returncode == 0 and "VALID" in proc.stdout:
            versus = f"{took / base.wall:.1f}x csv.reader; {took / ours.wall:.1f}x aseanwp"
            print(f"frictionless validate  {took:6.2f} s  ({versus}; one run, wall)")
        else:
            print(f"frictionless validate: did not validate the file (exit {proc.returncode}): {proc.stdout[-300:]}")
    else:
        print("frictionless: not installed (pip install frictionless to compare)")


if __name__ == "__main__":
    main()
