"""Progress of a long step as one line of text: how many of how many, how fast, how long still (pure, no I/O)."""

from __future__ import annotations

import math


def format_duration(seconds: float) -> str:
    """A duration as people read it: "42 s", "3 min 05 s", "1 h 02 min"."""
    seconds = max(0, int(round(seconds)))
    if seconds < 60:
        return f"{seconds} s"
    minutes, seconds = divmod(seconds, 60)
    if minutes < 60:
        return f"{minutes} min {seconds:02d} s"
    hours, minutes = divmod(minutes, 60)
    return f"{hours} h {minutes:02d} min"


def progress_line(done: int, total: int, elapsed_s: float, what: str = "files parsed", unit: str = "files") -> str:
    """One progress line: "files parsed 1,400/2,800 (50%) · 93.3 files/s · about 15 s left".

    The rate is done / elapsed_s; the time left assumes that rate holds for the rest. Before
    anything is done (or with no time elapsed) there is no rate and no estimate.
    """
    share = 100.0 if total <= 0 else 100.0 * done / total
    line = f"{what} {done:,}/{total:,} ({math.floor(share):d}%)"
    if done <= 0 or elapsed_s <= 0:
        return line
    rate = done / elapsed_s
    line += f" · {rate:,.1f} {unit}/s"
    if done >= total:
        return line + f" · done in {format_duration(elapsed_s)}"
    return line + f" · about {format_duration((total - done) / rate)} left"
