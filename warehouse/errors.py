"""Errors the warehouse raises, with messages a statistician can act on."""

from __future__ import annotations


class WarehouseError(Exception):
    """The warehouse refused an operation: the message says which and why."""


class WarehouseBusyError(WarehouseError):
    """Another run holds the lock of the year (or, on SQLite, the write lock of the file) for longer than allowed."""
