"""ParseProgress: a line every few seconds while files are parsed, and a last one only when any was shown."""

from __future__ import annotations

import logging

from runtime.parse_progress import REPORT_EVERY_S, ParseProgress


class Lines(logging.LoggerAdapter):
    """Collects the messages instead of logging them."""

    def __init__(self) -> None:
        super().__init__(logging.getLogger("test.progress"), {})
        self.lines: list[str] = []

    def info(self, msg, *args, **kwargs) -> None:  # noqa: ANN001
        self.lines.append(msg)


def test_lines_every_few_seconds_and_a_final_one() -> None:
    now = [0.0]
    lines = Lines()
    progress = ParseProgress(total=100, clock=lambda: now[0], logger=lines)
    now[0] = 1.0
    progress.advance(10)  # 1 s in: too early for a line
    now[0] = REPORT_EVERY_S + 1.0
    progress.advance(30)  # 40 of 100 after 4 s: 10 files/s, 60 left → 6 s
    now[0] = 8.0
    progress.advance(60)
    progress.finish()
    assert lines.lines == [
        "files parsed 40/100 (40%) · 10.0 files/s · about 6 s left",
        "files parsed 100/100 (100%) · 12.5 files/s · done in 8 s",
    ]


def test_a_quick_parse_shows_nothing() -> None:
    lines = Lines()
    progress = ParseProgress(total=5, clock=lambda: 0.5, logger=lines)
    progress.advance(5)
    progress.finish()
    assert lines.lines == []
