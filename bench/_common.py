"""Helpers shared by the benchmark scripts: timing medians, peak memory, the aseanwp command."""

from __future__ import annotations

import os
import resource
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
OUT = os.environ.get("ASEANWP_BENCH_OUT") or os.path.join(HERE, "out")  # generated data (ignored by git)


def aseanwp() -> list[str]:
    exe = shutil.which("aseanwp", path=os.path.dirname(sys.executable)) or shutil.which("aseanwp")
    return [exe] if exe else [sys.executable, "-m", "aseanwp"]


@dataclass
class Timing:
    """Medians over the runs of one command: wall time, and CPU time (user + system) of the process."""

    wall: float
    cpu: float

    def ratio(self, base: Timing) -> str:
        return f"{self.wall / base.wall:.2f}x wall, {self.cpu / base.cpu:.2f}x CPU"


def compare(
    cmds: dict[str, Sequence[str]],
    runs: int = 5,
    ok: Sequence[int] = (0,),
    env: dict[str, str] | None = None,
    before: dict[str, Callable[[], object]] | None = None,
) -> dict[str, Timing]:
    """Time several commands in turns (a, b, a, b, ...), so a slow spell of a shared machine falls on all of them.

    CPU time is steadier than wall time on a virtual machine whose neighbours take its cores now and then;
    both are reported.
    """
    runs = int(os.environ.get("ASEANWP_BENCH_RUNS") or runs)  # the smoke test of the scripts runs each once
    walls: dict[str, list[float]] = {name: [] for name in cmds}
    cpus: dict[str, list[float]] = {name: [] for name in cmds}
    for _ in range(runs):
        for name, cmd in cmds.items():
            if before and name in before:  # untimed: e.g. empty the cache before a cold run
                before[name]()
            usage = resource.getrusage(resource.RUSAGE_CHILDREN)
            t = time.perf_counter()
            proc = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, check=False, env=env)
            walls[name].append(time.perf_counter() - t)
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            cpus[name].append(after.ru_utime - usage.ru_utime + after.ru_stime - usage.ru_stime)
            if proc.returncode not in ok:
                raise SystemExit(f"{' '.join(cmd)} exited {proc.returncode}: {proc.stderr.decode()[-2000:]}")
    return {name: Timing(statistics.median(walls[name]), statistics.median(cpus[name])) for name in cmds}


def python_code(code: str, *args: str) -> list[str]:
    """A command running ``code`` in a fresh interpreter: baselines start a process, as aseanwp's commands do."""
    return [sys.executable, "-c", code, *args]


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
