"""How busy the machine's processors were between two moments, from /proc/stat: the benchmark
suite records it for every run, so that a latency figure comes with the load it was measured
under (on a small machine the cluster, its MariaDB servers and the load generator share the
same cores).

Guarantee: busy() is the share of processor time, summed over all processors, that was neither
idle nor waiting for IO between the two samples, from 0 to 1; stolen time counts as busy (the
processor was not ours to use)."""

from __future__ import annotations

from pathlib import Path

STAT = Path("/proc/stat")


def sample(stat: Path = STAT) -> list[int]:
    """The aggregate `cpu` line of /proc/stat: user, nice, system, idle, iowait, irq, softirq,
    steal (guest time is already inside user and nice)."""
    for line in stat.read_text().splitlines():
        fields = line.split()
        if fields and fields[0] == "cpu":
            return [int(v) for v in fields[1:9]]
    raise ValueError(f"{stat} has no aggregate cpu line")


def busy(before: list[int], after: list[int]) -> float:
    delta = [b - a for a, b in zip(before, after)]
    total = sum(delta)
    if total <= 0:
        return 0.0
    idle = delta[3] + delta[4]
    return (total - idle) / total
