from runtime.progress_line import format_duration, progress_line


def test_half_way_line_has_count_share_rate_and_time_left():
    # 1,400 of 2,800 in 15 s: 1400/15 = 93.33 files/s; 1,400 left / 93.33 = 15 s
    assert progress_line(1400, 2800, 15.0) == "files parsed 1,400/2,800 (50%) · 93.3 files/s · about 15 s left"


def test_finished_line_says_how_long_it_took():
    # 20 files in 130 s: 0.15 files/s; 130 s = 2 min 10 s
    assert progress_line(20, 20, 130.0) == "files parsed 20/20 (100%) · 0.2 files/s · done in 2 min 10 s"


def test_nothing_done_yet_has_no_rate():
    assert progress_line(0, 2800, 3.0) == "files parsed 0/2,800 (0%)"


def test_share_rounds_down_so_99_percent_is_not_shown_as_done():
    # 2,799 / 2,800 = 99.96% → 99%
    assert progress_line(2799, 2800, 10.0, what="read", unit="wb").startswith("read 2,799/2,800 (99%) · 279.9 wb/s")


def test_durations():
    assert format_duration(42.4) == "42 s"
    assert format_duration(185) == "3 min 05 s"
    assert format_duration(3720) == "1 h 02 min"
