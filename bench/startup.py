"""Start-up: median time of `aseanwp --help` and `aseanwp validate` (shipped data) against `python -c pass`.

Target (SPEC 8): --help within 3x of a bare Python start. Run: python bench/startup.py
"""

from __future__ import annotations

import os
import sys

from _common import ROOT, aseanwp, compare


def main() -> None:
    os.chdir(ROOT)
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 15
    t = compare(
        {"bare": [sys.executable, "-c", "pass"], "help": [*aseanwp(), "--help"], "validate": [*aseanwp(), "validate"]},
        runs,
    )
    bare, helpt, validate = t["bare"], t["help"], t["validate"]
    print(f"python -c pass           {bare.wall * 1000:7.1f} ms  (medians of {runs} runs, taken in turns)")
    print(f"aseanwp --help           {helpt.wall * 1000:7.1f} ms  ({helpt.ratio(bare)}; target <= 3x)")
    print(f"aseanwp validate (data/) {validate.wall * 1000:7.1f} ms  ({validate.ratio(bare)})")


if __name__ == "__main__":
    main()
