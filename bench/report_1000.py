"""`aseanwp report --format json` on 1,000 reporting units (sub-national) by 8 years by every indicator of the
plan (totals only), against reading the same 8,000 files with csv.reader.

Target (SPEC 8): within 6x of reading the files. Run: python bench/report_1000.py [units]
"""

from __future__ import annotations

import csv
import glob
import os
import random
import statistics
import sys
import time

import yaml
from _common import HERE, ROOT, aseanwp, run_time


def make(folder: str, units: int) -> tuple[str, str]:
    """A copy of the shipped plan whose members are `units` districts, and their reports for 2008-2015."""
    with open(os.path.join(ROOT, "data", "workplan.yaml"), encoding="utf-8") as fh:
        plan = yaml.safe_load(fh)
    plan["members"] = [{"code": f"D-{n:04d}", "name": f"District {n}"} for n in range(units)]
    for ind in plan["indicators"]:
        if ind.get("target"):
            ind["target"].pop("members", None)
            ind["target"].pop("region", None)
    plan_path = os.path.join(folder, "plan.yaml")
    os.makedirs(folder, exist_ok=True)
    with open(plan_path, "w", encoding="utf-8") as fh:
        yaml.safe_dump(plan, fh, sort_keys=False, allow_unicode=True)
    reports = os.path.join(folder, "reports")
    rng = random.Random(1000)
    for m in plan["members"]:
        os.makedirs(os.path.join(reports, m["code"]), exist_ok=True)
        base = {i["id"]: rng.randint(1, 5000) for i in plan["indicators"]}
        for year in range(2008, 2016):
            with open(os.path.join(reports, m["code"], f"{year}.csv"), "w", newline="", encoding="utf-8") as fh:
                w = csv.writer(fh, lineterminator="\n")
                w.writerow(["indicator", "value", "unit", "source"])
                for ind in plan["indicators"]:
                    unit = ind["unit"]
                    if unit == "yes_no":
                        value = "yes" if rng.random() < (year - 2007) / 9 else "no"
                    elif unit == "percent":
                        value = f"{rng.uniform(0.5, 5):.1f}"
                    else:
                        value = str(int(base[ind["id"]] * (1 + rng.uniform(-0.1, 0.1)) ** (year - 2008)))
                    w.writerow([ind["id"], value, unit, "illustrative (generated)"])
    return plan_path, reports


def read_all(reports: str) -> float:
    t = time.perf_counter()
    n = 0
    for path in glob.glob(os.path.join(reports, "*", "*.csv")):
        with open(path, newline="", encoding="utf-8") as fh:
            for _row in csv.reader(fh):
                n += 1
    return time.perf_counter() - t


def main() -> None:
    units = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
    folder = os.path.join(HERE, "out", "report_1000")
    plan, reports = make(folder, units)
    files = len(glob.glob(os.path.join(reports, "*", "*.csv")))
    base = statistics.median(read_all(reports) for _ in range(3))
    ours = run_time([*aseanwp(), "--plan", plan, "report", "--format", "json"], runs=3)
    print(f"{units:,} units x 8 years: {files:,} files")
    print(f"csv.reader over the files        {base:6.2f} s")
    print(f"aseanwp report --format json     {ours:6.2f} s  ({ours / base:.2f}x; target <= 6x)")
    # the other views and commands, once each: a quadratic step shows up here first (markdown once took 3 s
    # more than JSON, asking per row whether the report had region rows)
    out = os.path.join(folder, "out")
    for args in (["report", "--format", "markdown"], ["report", "--format", "table"], ["review", "final"], ["status"]):
        t = run_time([*aseanwp(), "--plan", plan, *args, "-o", out], runs=1)
        print(f"aseanwp {' '.join(args):24s} {t:6.2f} s  ({t / base:.2f}x)")


if __name__ == "__main__":
    main()
