"""The console script: a Ctrl-C while the command line is still being imported ends quietly too."""

from __future__ import annotations

import sys


def main() -> None:
    try:
        from aseanwp.cli import main as run
    except KeyboardInterrupt:
        sys.stderr.write("aseanwp: interrupted\n")
        sys.exit(130)
    run()
