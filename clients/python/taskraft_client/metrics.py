"""`NodeMetrics`: one node's GET /metrics (Prometheus text format 0.0.4), parsed.

Guarantees:
- Every sample line `name{label="value",...} number` becomes one `MetricSample`; comment
  lines (# HELP / # TYPE) and blank lines are skipped; label values are unescaped (\\, \", \n).
  A line that does not parse raises `ValueError` naming it: a scrape is never half-read silently.
- `value(name, **labels)` is the one sample with exactly those labels (None when absent);
  `samples(name)` every sample of a metric; `histogram(name, match)` sums the series of a
  histogram whose labels satisfy `match` into one `HistogramTotals` (count, sum, buckets).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from typing import Callable, Mapping

_LINE = re.compile(r'^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(.*)\})?\s+(\S+)(\s+-?\d+)?$')
_LABEL = re.compile(r'\s*([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"\s*(,|$)')
_UNESCAPE = {"\\\\": "\\", '\\"': '"', "\\n": "\n"}


@dataclass(frozen=True)
class MetricSample:
    name: str
    labels: Mapping[str, str]
    value: float


@dataclass(frozen=True)
class HistogramTotals:
    """A histogram summed over some of its series: `buckets` maps each upper bound (seconds,
    +Inf included) to the cumulative count at or below it."""

    count: float = 0.0
    sum: float = 0.0
    buckets: Mapping[float, float] = field(default_factory=dict)


def _labels(text: str, line: str) -> dict[str, str]:
    labels: dict[str, str] = {}
    pos = 0
    while pos < len(text):
        match = _LABEL.match(text, pos)
        if not match:
            raise ValueError(f"unreadable labels in metrics line: {line!r}")
        labels[match.group(1)] = re.sub(r'\\[\\"n]', lambda m: _UNESCAPE[m.group(0)],
                                        match.group(2))
        pos = match.end()
    return labels


def _number(text: str, line: str) -> float:
    try:
        return float(text)
    except ValueError:
        raise ValueError(f"unreadable value in metrics line: {line!r}") from None


@dataclass(frozen=True)
class NodeMetrics:
    """What one node exported at one scrape; `node_id` from its X-Raft-Node header."""

    samples_list: tuple[MetricSample, ...]
    node_id: int | None = None

    @classmethod
    def parse(cls, text: str, node_id: int | None = None) -> NodeMetrics:
        samples = []
        for raw in text.splitlines():
            line = raw.strip()
            if not line or line.startswith("#"):
                continue
            match = _LINE.match(line)
            if not match:
                raise ValueError(f"unreadable metrics line: {line!r}")
            labels = _labels(match.group(3) or "", line)
            samples.append(MetricSample(match.group(1), labels, _number(match.group(4), line)))
        return cls(tuple(samples), node_id)

    def samples(self, name: str) -> list[MetricSample]:
        return [s for s in self.samples_list if s.name == name]

    def value(self, name: str, **labels: str) -> float | None:
        for sample in self.samples_list:
            if sample.name == name and dict(sample.labels) == labels:
                return sample.value
        return None

    def histogram(self, name: str,
                  match: Callable[[Mapping[str, str]], bool] = lambda labels: True,
                  ) -> HistogramTotals:
        count = total = 0.0
        buckets: dict[float, float] = {}
        parts = {f"{name}_count", f"{name}_sum", f"{name}_bucket"}
        for sample in self.samples_list:
            if sample.name not in parts:
                continue
            labels = dict(sample.labels)
            le = labels.pop("le", None)
            if not match(labels):
                continue
            if sample.name == f"{name}_count":
                count += sample.value
            elif sample.name == f"{name}_sum":
                total += sample.value
            elif sample.name == f"{name}_bucket" and le is not None:
                bound = math.inf if le == "+Inf" else float(le)
                buckets[bound] = buckets.get(bound, 0.0) + sample.value
        return HistogramTotals(count, total, dict(sorted(buckets.items())))
