from runtime.worker_pool import MIN_FILES_FOR_PROCESSES, core_count, parse_processes


def test_configured_count_wins() -> None:
    assert parse_processes(3, files=1, task_runner="dask") == 3
    assert parse_processes(0, files=10_000, task_runner="thread") == 0


def test_no_processes_for_few_files_or_on_dask() -> None:
    assert parse_processes(None, files=MIN_FILES_FOR_PROCESSES - 1, task_runner="thread") == 0
    assert parse_processes(None, files=10_000, task_runner="dask") == 0


def test_one_process_per_core_for_many_files_when_there_are_several_cores() -> None:
    expected = core_count() if core_count() > 1 else 0
    assert parse_processes(None, files=MIN_FILES_FOR_PROCESSES, task_runner="thread") == expected
