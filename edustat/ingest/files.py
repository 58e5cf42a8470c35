"""Input files → normalised rows: one file, or a batch of files converted together (the parse step of ingest).

Kept apart from ``stage`` (which validates a whole year with Pandera) so that parse workers import
only what parsing needs.
"""

from __future__ import annotations

import pickle
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl

from config import Rules
from edustat.ingest.headers import empty_headers, headers_frame
from edustat.ingest.normalize import convert_plans
from edustat.ingest.read import RawSheet, read_named_file, relative_name
from edustat.ingest.sheet_names import recognise_table, unknown_sheet_row
from edustat.ingest.sheet_plan import SheetPlan, plan_sheet
from edustat.ingest.sheet_rows import sheet_is_blank
from runtime.interrupt import stop_if_asked
from runtime.pause_points import pause_point
from schemas.issues import concat_issues, empty_issues, issue_frame
from schemas.tables import TABLES


@dataclass(frozen=True)
class FileResult:
    """One input file, or a batch of files read together, normalised: rows per table, header map and issues.

    ``source_file`` is the (first, in path order) file's name; ``tables`` holds an entry for every
    table the files have a non-blank sheet of (possibly with no rows); ``headers`` one row per
    (table, file, sheet, contract column) with the header as written and its Excel letter, which
    later checks use to name cells.
    """

    source_file: str
    tables: dict[str, pl.DataFrame] = field(default_factory=dict)
    headers: pl.DataFrame = field(default_factory=empty_headers)
    issues: pl.DataFrame = field(default_factory=empty_issues)

    def __reduce__(self) -> tuple:
        # Pickled (to a parse worker's parent, a Dask client, Prefect's result store) as zstd-compressed
        # Arrow IPC: a tenth of the bytes of a plain pickle, for about the same time.
        tables = {name: _packed(frame) for name, frame in self.tables.items()}
        return (_unpacked_result, (self.source_file, tables, _packed(self.headers), _packed(self.issues)))


def _packed(frame: pl.DataFrame) -> bytes:
    return frame.write_ipc(None, compression="zstd").getvalue()


def _unpacked_result(source_file: str, tables: dict[str, bytes], headers: bytes, issues: bytes) -> FileResult:
    """A FileResult from its pickled form (see FileResult.__reduce__)."""
    return FileResult(
        source_file=source_file,
        tables={name: pl.read_ipc(data) for name, data in tables.items()},
        headers=pl.read_ipc(headers),
        issues=pl.read_ipc(issues),
    )


@dataclass(frozen=True)
class PackedResult:
    """A FileResult as bytes (its pickle: zstd-compressed Arrow IPC), made in the process that parsed the files.

    A parse task returns this, so that the flow's process stores the task's result as it came
    instead of compressing a national year's rows a second time; ``unpack`` gives the FileResult.
    """

    data: bytes

    def unpack(self) -> FileResult:
        """The FileResult these bytes hold."""
        return pickle.loads(self.data)


def pack_result(result: FileResult) -> PackedResult:
    """``result`` as the bytes a parse task returns."""
    return PackedResult(pickle.dumps(result, protocol=pickle.HIGHEST_PROTOCOL))


def read_and_pack_files(paths: Sequence[Path], root: Path, rules: Rules) -> PackedResult:
    """``read_and_normalize_files``, packed where it ran (one PackedResult for the batch)."""
    return pack_result(read_and_normalize_files(paths, root, rules))


def merge_results(results: Sequence[FileResult]) -> FileResult:
    """Several FileResults (in file order) as one, as if their files had been read together: rows, headers and issues concatenated."""
    tables: dict[str, pl.DataFrame] = {}
    for table in TABLES:
        frames = [result.tables[table] for result in results if table in result.tables]
        if frames:
            tables[table] = pl.concat(frames, how="vertical")
    headers = pl.concat([result.headers for result in results], how="vertical") if results else empty_headers()
    return FileResult(
        source_file=results[0].source_file if results else "",
        tables=tables,
        headers=headers,
        issues=concat_issues(result.issues for result in results),
    )


@dataclass
class _Batch:
    """Sheets planned so far, waiting to be converted together."""

    plans: dict[str, list[SheetPlan]] = field(default_factory=dict)
    header_rows: list[dict] = field(default_factory=list)
    issue_rows: list[dict] = field(default_factory=list)
    read_issues: list[pl.DataFrame] = field(default_factory=list)

    def add(self, sheets: Sequence[RawSheet], read_issues: pl.DataFrame | None) -> None:
        """Plan every sheet of one file; unknown non-blank visible sheets are warned about and skipped."""
        if read_issues is not None and read_issues.height:
            self.read_issues.append(read_issues)
        for sheet in sheets:
            table = recognise_table(sheet.source_sheet, sheet.file_stem, sheet.sheet_count)
            if table is None:
                # Hidden sheets hold drop-down lists and the like; only a visible one is the clerk's data.
                if sheet.is_visible and not sheet_is_blank(sheet.data):
                    self.issue_rows.append(unknown_sheet_row(sheet))
                continue
            plan = plan_sheet(sheet, table)
            # A sheet with a header row has text; only one without needs the (costlier) look for any text at all.
            if plan.body is None and sheet_is_blank(sheet.data):
                continue
            self.plans.setdefault(table, []).append(plan)
            self.header_rows += plan.header_rows
            self.issue_rows += plan.issue_rows

    def result(self, source_file: str, rules: Rules) -> FileResult:
        """Every planned sheet converted, one pass per table."""
        headers = headers_frame(self.header_rows)
        tables: dict[str, pl.DataFrame] = {}
        issues: list[pl.DataFrame] = [*self.read_issues, issue_frame(self.issue_rows)]
        for table in TABLES:
            if table in self.plans:
                tables[table], cell_issues = convert_plans(table, self.plans[table], headers, rules)
                issues += cell_issues
        return FileResult(source_file=source_file, tables=tables, headers=headers, issues=concat_issues(issues))


def normalize_sheets(source_file: str, sheets: Sequence[RawSheet], rules: Rules, read_issues: pl.DataFrame | None = None) -> FileResult:
    """Every sheet of one file recognised and normalised (pure); unknown non-blank visible sheets are warned about and skipped."""
    batch = _Batch()
    batch.add(sheets, read_issues)
    return batch.result(source_file, rules)


def read_and_normalize_file(path: Path, root: Path, rules: Rules) -> FileResult:
    """One input file read and normalised: its rows per table, header map and issues (never raises on bad input)."""
    return read_and_normalize_files([path], root, rules)


def read_and_normalize_files(paths: Sequence[Path], root: Path, rules: Rules) -> FileResult:
    """Several input files read one by one and normalised together: one FileResult for the batch (never raises on bad input).

    Each file's sheets are dropped as soon as their layout is planned, so memory holds one raw
    workbook at a time plus the batch's raw cell text; cells are converted in one pass per table.
    """
    # Each name is found once: resolving paths against the root costs a few system calls.
    named = sorted(((relative_name(Path(path), Path(root)), Path(path)) for path in paths), key=lambda pair: pair[0])
    batch = _Batch()
    for source_file, path in named:
        pause_point("parsing")
        # A run told to stop (Ctrl-C, SIGTERM) ends its parse threads between two files, not after the batch.
        stop_if_asked()
        sheets, read_issues = read_named_file(path, source_file, rules.limits)
        batch.add(sheets, read_issues)
    return batch.result(named[0][0] if named else "", rules)
