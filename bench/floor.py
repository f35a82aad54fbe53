"""How fast could any pure-Python `report` or `validate` be? A lower bound for the SPEC 8 ratios.

Each "floor" below does strictly less than aseanwp does, with the fastest plain Python we know, on the data the
other bench scripts generate (run them first):

- report floor: read the 8,000 files of bench/report_1000.py with csv.reader, float() each value, group the
  figures by series, compute the change from the first to the last year, and write the series with their
  history as JSON (one C-encoder call per row, as aseanwp does) - no validation, no statuses, no sources.
- validate floor: read the 1,000,000-row file of bench/validate_1m.py in chunks with csv.reader and test it
  with C-level set operations and one regular expression per chunk (indicator and district known, value a
  number, no duplicate series) - none of the other checks, no messages.

Both include a fresh interpreter's start, as the timed `aseanwp` commands do. Run: python bench/floor.py
"""

from __future__ import annotations

import os
import textwrap

from _common import OUT, compare, python_code
from report_1000 import READ  # the same baselines as the two scripts
from validate_1m import CSV_FLOAT

REPORT = os.path.join(OUT, "report_1000", "reports")
VALIDATE = os.path.join(OUT, "validate_1m", "reports", "XX", "2009.csv")

REPORT_FLOOR = textwrap.dedent(
    """
    import csv, gc, glob, json, os, sys
    def main():
        gc.disable()  # as aseanwp does while rows stream: millions of short-lived objects, no cycles
        series = {}
        for path in sorted(glob.glob(os.path.join(sys.argv[1], "*", "*.csv"))):
            country = os.path.basename(os.path.dirname(path))
            year = int(os.path.basename(path)[:4])
            with open(path, newline="", encoding="utf-8") as fh:
                rows = csv.reader(fh)
                next(rows)
                for ind, value, unit, source in rows:
                    v = 1.0 if value == "yes" else 0.0 if value == "no" else float(value)
                    series.setdefault((country, ind), []).append((year, v))
        enc = json.JSONEncoder(ensure_ascii=False).encode
        out = []
        for (country, ind), points in sorted(series.items()):
            base, last = points[0][1], points[-1][1]
            out.append(enc({"indicator": ind, "country": country, "base_value": base, "value": last,
                            "change": last - base, "change_pct": (last - base) / base * 100 if base else None,
                            "history": [{"year": y, "value": v} for y, v in points]}))
        sys.stdout.write("[\\n" + ",\\n".join(out) + "\\n]\\n")
    main()
    """
)

VALIDATE_FLOOR = textwrap.dedent(
    """
    import csv, gc, re, sys
    from itertools import islice
    def main():
        gc.disable()
        number = re.compile(r"(?:[0-9]{1,15}(?:\\.[0-9]{1,15})?)(?:\\n(?:[0-9]{1,15}(?:\\.[0-9]{1,15})?))*")
        inds = {f"ind_{i:02d}" for i in range(20)}
        districts = {f"d{n:05d}" for n in range(50_000)}
        seen = set()
        with open(sys.argv[1], newline="", encoding="utf-8") as fh:
            reader = csv.reader(fh)
            next(reader)
            while rows := list(islice(reader, 2048)):
                cols = list(zip(*rows))
                assert set(cols[0]) <= inds and set(cols[1]) <= districts
                assert number.fullmatch("\\n".join(cols[2]))
                keys = set(map(hash, zip(cols[0], cols[1])))
                assert len(keys) == len(rows) and seen.isdisjoint(keys)
                seen |= keys
    main()
    """
)


def main() -> None:
    if not (os.path.isdir(REPORT) and os.path.exists(VALIDATE)):
        raise SystemExit("run bench/report_1000.py and bench/validate_1m.py first: they generate the data")
    t = compare({"read": python_code(READ, REPORT), "floor": python_code(REPORT_FLOOR, REPORT)}, runs=5)
    print(f"report data: csv.reader             {t['read'].wall:6.2f} s")
    print(f"report floor (read, group, JSON)    {t['floor'].wall:6.2f} s  ({t['floor'].ratio(t['read'])}; target 6x)")
    t = compare({"read": python_code(CSV_FLOAT, VALIDATE), "floor": python_code(VALIDATE_FLOOR, VALIDATE)}, runs=5)
    print(f"1M rows: csv.reader + float()       {t['read'].wall:6.2f} s")
    print(f"validate floor (4 checks of ~25)    {t['floor'].wall:6.2f} s  ({t['floor'].ratio(t['read'])}; target 2x)")


if __name__ == "__main__":
    main()
