from pathlib import Path

from edustat.ingest.batches import MAX_BATCH_FILES, file_batches


def _files(n: int) -> list[Path]:
    return [Path(f"in/{i:04d}.xlsx") for i in range(n)]


def test_every_file_once_in_path_order():
    files = _files(10)
    batches = file_batches(list(reversed(files)), workers=2)
    assert [p for batch in batches for p in batch] == files


def test_few_files_give_one_file_per_batch():
    # 6 files, 2 workers × 4 batches each wanted → ceil(6 / 8) = 1 file per batch
    assert [len(b) for b in file_batches(_files(6), workers=2)] == [1] * 6


def test_many_files_are_capped_at_the_batch_limit():
    # 2,800 files, 2 workers: ceil(2800 / 8) = 350 > 32 → 32 per batch, 2800 = 87 × 32 + 16
    sizes = [len(b) for b in file_batches(_files(2800), workers=2)]
    assert sizes == [MAX_BATCH_FILES] * 87 + [16]


def test_middle_sizes_spread_over_the_workers():
    # 100 files, 2 workers: ceil(100 / 8) = 13 per batch → 7 × 13 + 9
    assert [len(b) for b in file_batches(_files(100), workers=2)] == [13] * 7 + [9]


def test_no_files_no_batches():
    assert file_batches([], workers=4) == []


def test_a_file_result_pickles_to_itself():
    import pickle

    import polars as pl
    from polars.testing import assert_frame_equal

    from edustat.ingest.files import FileResult
    from schemas.issues import empty_issues

    frame = pl.DataFrame({"school_code": ["2162000001", None], "students": [12, None], "share": [0.1, float("nan")],
                          "is_open": [True, None]})
    result = FileResult("a.xlsx", tables={"enrollment": frame, "schools": frame.clear()}, issues=empty_issues())
    back = pickle.loads(pickle.dumps(result))
    assert back.source_file == "a.xlsx" and list(back.tables) == ["enrollment", "schools"]
    assert_frame_equal(back.tables["enrollment"], frame)
    assert_frame_equal(back.tables["schools"], frame.clear())
    assert_frame_equal(back.issues, empty_issues())
