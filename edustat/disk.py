"""A full disk named as such, whichever statement or request it hits: the warehouse's, or the Prefect home's.

A full disk surfaces in many guises: SQLite's "database or disk is full" (SQLITE_FULL), or, when
SQLite rolled the transaction back on it, a later "no such savepoint" from SQLAlchemy; PostgreSQL's
"could not extend file" (SQLSTATE 53100); an OSError ENOSPC writing a result file; an HTTP 500 from
a Prefect server whose database sits on the full disk. The error's chain (cause, context, the
driver's original) is searched for the signs, and where the error itself does not say (a savepoint,
an HTTP 500), the free space of the place it wrote to decides.
"""

from __future__ import annotations

import errno
import os
import shutil
from collections.abc import Iterator
from pathlib import Path

DISK_FULL_SIGNS = ("database or disk is full", "no space left on device", "could not extend file", "could not write to file", "disk full")
"""Lower-case words of a full disk in the messages of SQLite, PostgreSQL and the operating system."""

POSTGRES_DISK_FULL = "53100"
"""PostgreSQL's SQLSTATE disk_full."""

NEARLY_FULL_BYTES = 1024 * 1024
"""Free space below this on the disk an error came from makes an error that does not say so a full disk (a page, a WAL frame, a log line need more)."""


def _chain(error: BaseException) -> Iterator[BaseException]:
    """``error``, the driver's original error it wraps, and every error it was raised from or during, once each."""
    seen: set[int] = set()
    todo = [error]
    while todo:
        each = todo.pop()
        if each is None or id(each) in seen:
            continue
        seen.add(id(each))
        yield each
        todo += [getattr(each, "orig", None), each.__cause__, each.__context__]  # type: ignore[list-item]


def says_disk_full(error: BaseException) -> bool:
    """Whether ``error`` or an error in its chain says that a disk is full."""
    for each in _chain(error):
        if isinstance(each, OSError) and each.errno == errno.ENOSPC:
            return True
        if getattr(each, "sqlstate", None) == POSTGRES_DISK_FULL or getattr(getattr(each, "diag", None), "sqlstate", None) == POSTGRES_DISK_FULL:
            return True
        if any(sign in str(each).lower() for sign in DISK_FULL_SIGNS):
            return True
    return False


def free_bytes(path: Path) -> int | None:
    """Free space of the file system holding ``path`` (its nearest existing folder); None when it cannot be told."""
    for folder in (path, *path.parents):
        if folder.exists():
            try:
                return shutil.disk_usage(folder).free
            except OSError:
                return None
    return None


def sqlite_path(url: str) -> Path | None:
    """The file of a SQLite warehouse URL; None for another database (or an in-memory one)."""
    from sqlalchemy import make_url

    try:
        parsed = make_url(url)
    except Exception:  # noqa: BLE001 - a URL that does not parse is another sentence's business
        return None
    if not parsed.drivername.startswith("sqlite") or not parsed.database or parsed.database == ":memory:":
        return None
    return Path(parsed.database).resolve()


def is_nearly_full(path: Path) -> bool:
    """Whether the disk holding ``path`` has less than NEARLY_FULL_BYTES free (False when that cannot be told)."""
    free = free_bytes(path)
    return free is not None and free < NEARLY_FULL_BYTES


def _is_database_error(error: BaseException) -> bool:
    return any(type(each).__module__.split(".")[0] in ("sqlalchemy", "sqlite3", "psycopg") for each in _chain(error))


def _is_prefect_server_error(error: BaseException) -> bool:
    for each in _chain(error):
        response = getattr(each, "response", None)
        if response is not None and getattr(response, "status_code", None) == 500:
            return True
    return False


def prefect_home() -> Path:
    """The Prefect home (its database, when the server is the local one, and the results of cached tasks)."""
    return Path(os.environ.get("PREFECT_HOME", "~/.prefect")).expanduser()


def disk_full_sentence(error: BaseException, warehouse_url: str) -> str | None:
    """The sentence for ``error`` when it comes from a full disk (the warehouse's or the Prefect home's), else None.

    Names the place and what to do; the caller adds what stays current.
    """
    database = _is_database_error(error)
    warehouse_file = sqlite_path(warehouse_url)
    home = prefect_home()
    if database:
        if says_disk_full(error) or (warehouse_file is not None and is_nearly_full(warehouse_file.parent)):
            return _warehouse_sentence(warehouse_url, warehouse_file)
        return None
    for each in _chain(error):
        if isinstance(each, OSError) and each.errno == errno.ENOSPC:
            where = each.filename or home
            return (
                f"the disk holding {where} is full / {where} 所在的磁盘已满: "
                "free space on it (or point PREFECT_HOME elsewhere) and run again"
            )
    if (says_disk_full(error) or _is_prefect_server_error(error)) and is_nearly_full(home):
        return (
            f"the disk holding the Prefect home {home} is full (its database and task results live there) / "
            f"Prefect 主目录 {home} 所在的磁盘已满: free space on it (or point PREFECT_HOME elsewhere) and run again"
        )
    return None


def _warehouse_sentence(url: str, file: Path | None) -> str:
    if file is not None:
        return (
            f"the disk holding the warehouse {file} is full / 数据仓库 {file} 所在的磁盘已满: "
            "free space on it (or move the warehouse with --warehouse / EDUSTAT_WAREHOUSE_URL) and run again"
        )
    from sqlalchemy import make_url

    shown = make_url(url).render_as_string(hide_password=True)
    return (
        f"the database server of the warehouse {shown} has run out of disk space / 数据仓库 {shown} 的数据库服务器磁盘已满: "
        "ask its administrator to free space (or to grow the volume) and run again"
    )
