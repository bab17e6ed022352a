"""CPU profiles of running taskraftd processes with Linux perf, for bench/suite.py.

- `perf_unusable()` says in one line why perf cannot record here (not installed, or the kernel
  refuses perf_event_open), or returns None; it tries exactly what a profile does: attach with
  `perf record -g -p PID` to a process of its own for a moment.
- `Recording(name, pid, seconds, workdir)` starts `perf record -g -p PID -- sleep SECONDS` at
  once and returns; `report(path)` waits for it and writes the first 150 lines of
  `perf report --stdio --no-children` there, after one line naming what was recorded, and
  returns None, or a one-line reason when the recording or report failed (nothing is faked);
  `close()` kills a recording still running (on errors and Ctrl-C).
"""

from __future__ import annotations

import shlex
import shutil
import subprocess
import tempfile
from pathlib import Path

REPORT_LINES = 150


def _last_line(text: str) -> str:
    lines = [line for line in text.strip().splitlines() if line.strip()]
    return lines[-1] if lines else "(no output)"


def perf_unusable() -> str | None:
    if shutil.which("perf") is None:
        return "perf is not installed (Debian package linux-perf)"
    target = subprocess.Popen(["sleep", "30"])
    try:
        with tempfile.TemporaryDirectory(prefix="taskraft-perf-probe-") as tmp:
            done = subprocess.run(["perf", "record", "-g", "-o", f"{tmp}/perf.data", "-p",
                                   str(target.pid), "--", "sleep", "0.2"],
                                  capture_output=True, text=True, timeout=60, check=False)
    finally:
        target.kill()
        target.wait()
    if done.returncode != 0:
        return f"perf record -p PID failed here: {_last_line(done.stderr)}"
    return None


class Recording:
    def __init__(self, name: str, pid: int, seconds: float, workdir: Path):
        self.name = name
        self.pid = pid
        self.seconds = seconds
        self.data = Path(workdir) / f"perf-{name}.data"
        self.log = Path(workdir) / f"perf-{name}.log"
        with open(self.log, "w") as log:
            self.process = subprocess.Popen(
                ["perf", "record", "-g", "-o", str(self.data), "-p", str(pid), "--", "sleep",
                 f"{seconds:g}"], stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT)

    def report(self, path: Path) -> str | None:
        try:
            code = self.process.wait(timeout=self.seconds + 60)
            if code != 0 or not self.data.exists():
                return (f"perf record of {self.name} failed (exit {code}): "
                        f"{_last_line(self.log.read_text())}")
            done = subprocess.run(["perf", "report", "-i", str(self.data), "--stdio",
                                   "--no-children"],
                                  capture_output=True, text=True, timeout=600, check=False)
        except subprocess.TimeoutExpired as exc:
            return f"perf of {self.name} did not finish: {shlex.join(map(str, exc.cmd))}"
        if done.returncode != 0:
            return f"perf report of {self.name} failed: {_last_line(done.stderr)}"
        head = done.stdout.splitlines()[:REPORT_LINES]
        path.write_text(f"# taskraftd {self.name}, pid {self.pid}, perf record -g for "
                        f"{self.seconds:g} s\n" + "\n".join(head) + "\n")
        return None

    def close(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()
