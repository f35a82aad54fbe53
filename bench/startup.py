"""Start-up: median time of `aseanwp --help` and `aseanwp validate` (shipped data) against `python -c pass`.

Target (SPEC 8): --help within 3x of a bare Python start. Run: python bench/startup.py
"""

from __future__ import annotations

import os
import sys

from _common import ROOT, aseanwp, run_time


def main() -> None:
    os.chdir(ROOT)
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 15
    bare = run_time([sys.executable, "-c", "pass"], runs)
    helpt = run_time([*aseanwp(), "--help"], runs)
    validate = run_time([*aseanwp(), "validate"], max(3, runs // 3))
    print(f"python -c pass           {bare * 1000:7.1f} ms")
    print(f"aseanwp --help           {helpt * 1000:7.1f} ms  ({helpt / bare:.2f}x python; target <= 3x)")
    print(f"aseanwp validate (data/) {validate * 1000:7.1f} ms  ({validate / bare:.2f}x python)")


if __name__ == "__main__":
    main()
