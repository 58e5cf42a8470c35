"""The warehouse as one resource: where it is, its engine and dialect, and how long a load waits for the year's lock.

Made once at an entry point (the flow's start, a command) from the settings, and passed to the tasks
and helpers that read or write the warehouse, which take no URL of their own.
"""

from __future__ import annotations

from sqlalchemy import Engine

from warehouse.engine import DEFAULT_BUSY_TIMEOUT_S, get_engine, normalise_url, safe_url


class Warehouse:
    """One warehouse (its URL) and the time a load waits for a year held by another run (``lock_timeout_s``), read-only.

    A plain class, not a dataclass or a model, as edustat.configuration.Configuration: Prefect walks
    dataclass and pydantic task parameters looking for futures. It holds no engine: ``engine`` is the
    process's one engine for the URL (warehouse.engine.get_engine), made on first use, so that a run
    stopped before its first read makes none and a Dask worker that unpickles it makes its own.
    """

    __slots__ = ("_url", "_lock_timeout_s")

    def __init__(self, url: str, lock_timeout_s: float = DEFAULT_BUSY_TIMEOUT_S) -> None:
        self._url = url
        self._lock_timeout_s = lock_timeout_s

    @property
    def url(self) -> str:
        """The warehouse URL as configured (it may hold a password: show ``safe_url``)."""
        return self._url

    @property
    def safe_url(self) -> str:
        """The URL with its password masked, fit for logs and messages."""
        return safe_url(self._url)

    @property
    def lock_timeout_s(self) -> float:
        """Seconds a load waits for the year's lock (and SQLite's write lock) before WarehouseBusyError."""
        return self._lock_timeout_s

    @property
    def engine(self) -> Engine:
        """The process's engine (and connection pool) for the URL."""
        return get_engine(self._url)

    @property
    def dialect(self) -> str:
        """The database's backend name: 'sqlite' or 'postgresql'."""
        return normalise_url(self._url).get_backend_name()

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Warehouse):
            return NotImplemented
        return (self._url, self._lock_timeout_s) == (other._url, other._lock_timeout_s)

    def __hash__(self) -> int:
        return hash((self._url, self._lock_timeout_s))

    def __repr__(self) -> str:
        return f"Warehouse({self.safe_url}, lock_timeout_s={self._lock_timeout_s:g})"

    def __reduce__(self) -> tuple:
        return (Warehouse, (self._url, self._lock_timeout_s))
