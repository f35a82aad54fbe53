"""`aseanwp report --format json` on 1,000 reporting units (sub-national) by 8 years by every indicator of the
plan (totals only), against reading the same 8,000 files with csv.reader.

Target (SPEC 8): within 6x of reading the files. Run: python bench/report_1000.py [units]
"""

from __future__ import annotations

import csv
import glob
import os
import random
import sys

import yaml
from _common import OUT, ROOT, aseanwp, compare, python_code


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


# the baseline: the same 8,000 files read with csv.reader, in a fresh interpreter as aseanwp runs in one
# (in a function: a loop at module level works on globals, a third slower)
READ = """
import csv, glob, os, sys
def main():
    for path in glob.glob(os.path.join(sys.argv[1], "*", "*.csv")):
        with open(path, newline="", encoding="utf-8") as fh:
            for _row in csv.reader(fh):
                pass
main()
"""


def main() -> None:
    units = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
    folder = os.path.join(OUT, "report_1000")
    plan, reports = make(folder, units)
    files = len(glob.glob(os.path.join(reports, "*", "*.csv")))
    read = python_code(READ, reports)
    t = compare({"read": read, "json": [*aseanwp(), "--plan", plan, "report", "--format", "json"]}, runs=5)
    print(f"{units:,} units x 8 years: {files:,} files (medians of 5 runs, taken in turns)")
    print(f"csv.reader over the files        {t['read'].wall:6.2f} s wall, {t['read'].cpu:6.2f} s CPU")
    print(f"aseanwp report --format json     {t['json'].wall:6.2f} s wall, {t['json'].cpu:6.2f} s CPU")
    print(f"   ratio: {t['json'].ratio(t['read'])} (target <= 6x)")
    # the other views and commands: a quadratic step shows up here first (markdown once took 3 s more than
    # JSON, asking per row whether the report had region rows)
    out = os.path.join(folder, "out")
    others = {
        " ".join(args): [*aseanwp(), "--plan", plan, *args, "-o", out]
        for args in (
            ["report", "--format", "markdown"],
            ["report", "--format", "table"],
            ["review", "final"],
            ["status"],
        )
    }
    t = compare({"read": read, **others}, runs=1)
    for name in others:
        print(f"aseanwp {name:24s} {t[name].wall:6.2f} s wall  ({t[name].ratio(t['read'])})")


if __name__ == "__main__":
    main()
