"""Helpers the benchmarks share: timing a call, percentiles, a process tree's CPU and memory."""

from __future__ import annotations

import os
import subprocess
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
_TICK = os.sysconf("SC_CLK_TCK")
_PAGE = os.sysconf("SC_PAGE_SIZE")


def timed(call: Callable[[], object], runs: int) -> tuple[list[float], object]:
    """Times of `runs` calls after a first one, whose time comes first in the list."""
    start = time.perf_counter()
    result = call()
    times = [time.perf_counter() - start]
    for _ in range(runs):
        start = time.perf_counter()
        call()
        times.append(time.perf_counter() - start)
    return times, result


def p95(times: list[float]) -> float:
    """The 95th percentile (nearest rank) of `times`."""
    return sorted(times)[max(0, int(len(times) * 0.95 + 0.5) - 1)]


# --- a child process tree's CPU and memory (bench_throughput) -------------------------------


@dataclass
class Usage:
    wall: float  # seconds
    cpu: float  # user + system seconds of the process and all its descendants
    peak_rss: float  # MB: the largest sum of RSS over the process tree at one moment
    peak_pss: float  # MB: the same in PSS (pages shared between the processes counted once)
    output: str
    root_cpu: float  # CPU s of the measured process itself, without its children (last sample)


class TreeSampler(threading.Thread):
    """Reads /proc every `interval` s: CPU of each process in a tree, and the tree's total RSS."""

    def __init__(self, root: int, interval: float = 0.1) -> None:
        super().__init__(daemon=True)
        self.root, self.interval = root, interval
        self.cpu: dict[int, float] = {}
        self.peak_rss = self.peak_pss = 0
        self.done = threading.Event()

    def run(self) -> None:
        while not self.done.is_set():
            self.sample()
            self.done.wait(self.interval)

    def sample(self) -> None:
        parents: dict[int, int] = {}
        stats: dict[int, list[str]] = {}
        for path in Path("/proc").iterdir():
            entry = path.name
            if not entry.isdigit():
                continue
            try:
                raw = Path(f"/proc/{entry}/stat").read_text()
            except OSError:
                continue
            fields = raw[raw.rfind(")") + 2 :].split()
            parents[int(entry)] = int(fields[1])
            stats[int(entry)] = fields
        tree, frontier = {self.root}, [self.root]
        while frontier:
            pid = frontier.pop()
            children = [p for p, parent in parents.items() if parent == pid]
            tree.update(children)
            frontier += children
        rss = pss = 0
        for pid in tree & stats.keys():
            fields = stats[pid]
            self.cpu[pid] = (int(fields[11]) + int(fields[12])) / _TICK
            rss += int(fields[21]) * _PAGE
            pss += _pss(pid)
        self.peak_rss = max(self.peak_rss, rss)
        self.peak_pss = max(self.peak_pss, pss)


def _pss(pid: int) -> int:
    """Proportional set size in bytes: shared pages (a fork server's children) counted once."""
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def measure(command: list[str], env: dict[str, str] | None = None) -> Usage:
    start = time.perf_counter()
    process = subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=env, cwd=ROOT
    )
    sampler = TreeSampler(process.pid)
    sampler.start()
    output = process.stdout.read().decode("utf-8", "replace") if process.stdout else ""
    _pid, status, rusage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - start
    sampler.done.set()
    sampler.join()
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        raise SystemExit(f"{' '.join(command)} exited {process.returncode}:\n{output[-3000:]}")
    # The root's exact figure (with the children it waited for), plus the others last seen.
    cpu = rusage.ru_utime + rusage.ru_stime
    cpu += sum(seconds for pid, seconds in sampler.cpu.items() if pid != process.pid)
    peak = max(sampler.peak_rss, rusage.ru_maxrss * 1024)
    root = sampler.cpu.get(process.pid, 0.0)
    return Usage(wall, cpu, peak / 2**20, sampler.peak_pss / 2**20, output, root)


def cpu_of(pid: int) -> float:
    """CPU seconds (user + system) a running process has used so far."""
    fields = Path(f"/proc/{pid}/stat").read_text()
    fields_after = fields[fields.rfind(")") + 2 :].split()
    return (int(fields_after[11]) + int(fields_after[12])) / _TICK
