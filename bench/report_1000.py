"""`aseanwp report` on 1,000 reporting units (sub-national) by 8 years by every indicator of the plan (totals
only), against reading the same 8,000 files with csv.reader; and the other views and commands of an analyst's
loop (report as Markdown and table, the final review, status).

Targets (SPEC 8, rev. 2): a cold run within 8x of reading the files, a repeated run (inputs unchanged) within 4x.
A cold run starts from an empty cache (the plan and the checked files are made and stored); a repeated run finds
both in the cache, as every run after the first does until a file or the plan changes, whatever the command
and its options. The cache is the script's own (bench/out/report_1000/cache), not the user's.
Run: python bench/report_1000.py [units]
"""

from __future__ import annotations

import csv
import glob
import os
import random
import shutil
import sys

import yaml
from _common import OUT, ROOT, Timing, aseanwp, compare, python_code


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


COLD, REPEATED = 8.0, 4.0


def judge(name: str, t: Timing, base: Timing, target: float) -> str:
    ratio = t.cpu / base.cpu
    verdict = "met" if ratio <= target else "NOT met"
    return f"aseanwp {name:34s} {t.wall:6.2f} s wall  ({t.ratio(base)}; target <= {target:g}x CPU: {verdict})"


def main() -> None:
    units = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
    folder = os.path.join(OUT, "report_1000")
    plan, reports = make(folder, units)
    files = len(glob.glob(os.path.join(reports, "*", "*.csv")))
    cache = os.path.join(folder, "cache")
    env = {**os.environ, "ASEANWP_CACHE_DIR": cache}
    env.pop("ASEANWP_NO_CACHE", None)

    def empty() -> None:
        shutil.rmtree(cache, ignore_errors=True)

    read = python_code(READ, reports)
    out = os.path.join(folder, "out")
    views = {
        "report --format json": ["report", "--format", "json"],
        "report --format markdown": ["report", "--format", "markdown"],
        "report --format table": ["report", "--format", "table"],
        "review final": ["review", "final"],
        "status": ["status"],
    }
    print(f"{units:,} units x 8 years: {files:,} files (medians of runs taken in turns; CPU ratios judged)")
    for n, (name, args) in enumerate(views.items()):
        cmd = [*aseanwp(), "--plan", plan, *args, "-o", out]
        runs = 5 if n == 0 else 3
        t = compare({"read": read, "cold": cmd, "repeated": cmd}, runs=runs, env=env, before={"cold": empty})
        if n == 0:
            base = t["read"]
            print(f"{'csv.reader over the files':42s} {base.wall:6.2f} s wall, {base.cpu:6.2f} s CPU")
        print(judge(f"{name} (cold)", t["cold"], t["read"], COLD))
        print(judge(f"{name} (repeated)", t["repeated"], t["read"], REPEATED))
    # another year and another member after a first report: the loop an analyst runs, the data from the cache
    member = f"D-{units // 2:04d}"
    t = compare(
        {
            "read": read,
            "year": [*aseanwp(), "--plan", plan, "report", "--year", "2012", "-o", out],
            "member": [*aseanwp(), "--plan", plan, "report", "--country", member, "-o", out],
        },
        runs=3,
        env=env,
    )
    print(judge("report --year 2012 (repeated)", t["year"], t["read"], REPEATED))
    print(judge(f"report --country {member} (repeated)", t["member"], t["read"], REPEATED))


if __name__ == "__main__":
    main()
