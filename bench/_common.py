"""Helpers shared by the benchmark scripts: timing medians, peak memory, the aseanwp command."""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Sequence

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)


def aseanwp() -> list[str]:
    exe = shutil.which("aseanwp", path=os.path.dirname(sys.executable)) or shutil.which("aseanwp")
    return [exe] if exe else [sys.executable, "-m", "aseanwp"]


def run_time(cmd: Sequence[str], runs: int = 5, ok: Sequence[int] = (0,)) -> float:
    """Median wall time of a command, in seconds."""
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        proc = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, check=False)
        times.append(time.perf_counter() - t)
        if proc.returncode not in ok:
            raise SystemExit(f"{' '.join(cmd)} exited {proc.returncode}: {proc.stderr.decode()[-2000:]}")
    return statistics.median(times)


def peak_rss_mb(cmd: Sequence[str]) -> float | None:
    """Peak resident memory of a command in MB, from /usr/bin/time -v (None where it is not installed)."""
    if not os.path.exists("/usr/bin/time"):
        import resource

        before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
        after = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        return after / 1024 if after > before else None
    proc = subprocess.run(["/usr/bin/time", "-v", *cmd], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, check=False)
    for line in proc.stderr.decode().splitlines():
        if "Maximum resident set size" in line:
            return int(line.split(":")[1]) / 1024
    return None
