"""Start-up: `aseanwp --help` and `aseanwp validate` (shipped data) against a bare `python -c pass`, medians of runs
taken in turns. Targets (SPEC 8): --help within 3x, validate within 6x.

Two layouts are measured, because the baseline differs between them:

- this environment: the interpreter that runs the script (usually the development venv, with aseanwp installed
  editable). An editable install puts an import hook in site-packages that every `python -c pass` of the venv
  runs too (pathlib, urllib, ipaddress: ~14 ms), which makes the baseline slower and the ratios smaller.
- installed: what `pip install aseanwp` gives a user, without the hook: a venv made once in bench/out/ whose
  site-packages points at this checkout and at the dependencies already installed here (a .pth file), with an
  `aseanwp` script as pip writes it. Its bare `python -c pass` is the plain interpreter's start.

The package's bytecode is compiled first (pip does it on install; PYTHONDONTWRITEBYTECODE in a developer's shell
would otherwise make every run compile every module). validate runs twice before timing, so it reads the
checked files from the user's cache as every run after the first does. Run: python bench/startup.py [runs]
"""

from __future__ import annotations

import compileall
import os
import subprocess
import sys
import sysconfig
import venv

from _common import OUT, ROOT, Timing, aseanwp, compare

HELP_TARGET, VALIDATE_TARGET = 3.0, 6.0
SCRIPT = """#!{python}
import sys
from aseanwp.entry import main
if __name__ == "__main__":
    sys.exit(main())
"""


def installed() -> tuple[str, str]:
    """(python, aseanwp script) of a venv that sees this checkout as an installed package would be seen."""
    where = os.path.join(OUT, "startup-venv")
    python = os.path.join(where, "bin", "python")
    if not os.path.exists(python):
        venv.EnvBuilder(with_pip=False, symlinks=True, clear=True).create(where)
    purelib = subprocess.run(
        [python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    with open(os.path.join(purelib, "aseanwp-bench.pth"), "w", encoding="utf-8") as fh:
        fh.write(f"{ROOT}\n{sysconfig.get_paths()['purelib']}\n")  # the checkout, then this venv's packages
    script = os.path.join(where, "bin", "aseanwp")
    with open(script, "w", encoding="utf-8") as fh:
        fh.write(SCRIPT.format(python=python))
    os.chmod(script, 0o755)
    return python, script


def judge(name: str, t: Timing, base: Timing, target: float) -> str:
    ratio = t.cpu / base.cpu
    verdict = "met" if ratio <= target else "NOT met"
    return f"{name:26s} {t.wall * 1000:7.1f} ms  ({t.ratio(base)}; target <= {target:g}x CPU: {verdict})"


def main() -> None:
    os.chdir(ROOT)
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 15
    runs = int(os.environ.get("ASEANWP_BENCH_RUNS") or runs)
    compileall.compile_dir(os.path.join(ROOT, "aseanwp"), quiet=1)
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    layouts = {"this environment": (sys.executable, aseanwp())}
    try:
        python, script = installed()
        layouts["installed"] = (python, [script])
    except (OSError, subprocess.CalledProcessError) as exc:
        print(f"(the installed layout could not be made here: {exc})")
    for title, (python, cmd) in layouts.items():
        for _ in range(2):  # the plan and the checked files into the user's cache, as after a first run
            subprocess.run([*cmd, "validate"], capture_output=True, check=False, env=env)
        t = compare(
            {"bare": [python, "-c", "pass"], "help": [*cmd, "--help"], "validate": [*cmd, "validate"]},
            runs,
            env=env,
        )
        bare = t["bare"]
        print(f"{title}: {python}")
        print(f"  {'python -c pass':26s} {bare.wall * 1000:7.1f} ms  (medians of {runs} runs, taken in turns)")
        print("  " + judge("aseanwp --help", t["help"], bare, HELP_TARGET))
        print("  " + judge("aseanwp validate (data/)", t["validate"], bare, VALIDATE_TARGET))


if __name__ == "__main__":
    main()
