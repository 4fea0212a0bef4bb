"""A one-line progress display on stderr (articles done, rate, time left), for terminals only."""

from __future__ import annotations

import os
import sys
import time
from typing import TextIO

REFRESH_SECONDS = 0.25


def default_jobs() -> int:
    """'All cores': the processors this process may run on."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


class ProgressLine:
    """Call it with (done, total, input bytes done); it redraws at most four times a second.

    It writes nothing unless its stream is a terminal, so logs and pipes never get the carriage
    returns.
    """

    def __init__(self, label: str, stream: TextIO | None = None) -> None:
        self.label = label
        self.stream = stream or sys.stderr
        self.active = self.stream.isatty()
        self.start = time.monotonic()
        self.last = 0.0
        self.drawn = False

    def __call__(self, done: int, total: int, input_bytes: int = 0) -> None:
        if not self.active:
            return
        now = time.monotonic()
        if now - self.last < REFRESH_SECONDS and done < total:
            return
        self.last = now
        elapsed = max(now - self.start, 1e-9)
        rate = done / elapsed
        left = (total - done) / rate if rate else 0.0
        volume = f", {input_bytes / 1e6 / elapsed:.1f} MB/s" if input_bytes else ""
        self.stream.write(f"\r{self.label}: {done}/{total} articles, {rate:.0f}/s{volume}, {left:.0f} s left  ")
        self.stream.flush()
        self.drawn = True

    def finish(self) -> None:
        if self.drawn:
            self.stream.write("\r\033[K")
            self.stream.flush()

    @property
    def seconds(self) -> float:
        return time.monotonic() - self.start
