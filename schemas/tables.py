"""The seven input tables of the contract (§2), each declared in ``schemas/<table>.py``, and what follows from them all.

Every later stage uses these column names unchanged.
"""

from __future__ import annotations

from schemas.enrollment import ENROLLMENT
from schemas.facilities import FACILITIES
from schemas.funding import FUNDING
from schemas.population import POPULATION
from schemas.schools import SCHOOLS
from schemas.security import SECURITY
from schemas.spec import KIND_DTYPES, PROVENANCE_COLUMNS, PROVENANCE_DTYPES, ColumnKind, ColumnSpec, TableSpec, integer
from schemas.staff import STAFF

# What the rest of the project imports from here, declared in schemas.spec.
__all__ = ["PROVENANCE_COLUMNS", "ColumnKind", "ColumnSpec", "TableSpec"]

TABLES: dict[str, TableSpec] = {
    t.name: t for t in (SCHOOLS, ENROLLMENT, STAFF, SECURITY, FACILITIES, FUNDING, POPULATION)
}
"""All input tables by name, in the contract's order."""

DATA_TABLES = ("enrollment", "staff", "security", "facilities", "funding")
"""Tables whose rows belong to a school of the registry."""

NUMERIC_KINDS: tuple[ColumnKind, ...] = ("integer", "number")
"""Column kinds that hold a quantity, each with a plausible ceiling (config/rules.toml [ceilings])."""


def numeric_columns() -> dict[str, tuple[str, ...]]:
    """Table name → its integer and number columns, in contract order: one entry per table that has any."""
    found = {t.name: tuple(c.name for c in t.columns if c.kind in NUMERIC_KINDS) for t in TABLES.values()}
    return {name: columns for name, columns in found.items() if columns}

DERIVED_COLUMNS: dict[str, tuple[ColumnSpec, ...]] = {"security": (integer("required_guards", "应配专职保安员数"),)}
"""Columns a catalogue term may read beyond a table's own, worked out from the rows (contract §4):
required_guards is the guard standard of config/rules.toml for the school's students and staff."""


def staged_dtypes(table: str) -> dict[str, str]:
    """Polars dtype name of every contract column of ``table`` once staged, provenance columns included.

    Staged frames hold one row per source row (grain of the table), contract columns typed
    (codes and text as String, stage as its English code, ownership as "public"/"private",
    yes/no as Boolean, integers as Int64, numbers as Float64) plus source_file, source_sheet
    (String) and source_row (Int64, the row number as Excel shows it).
    """
    spec = TABLES[table]
    dtypes = {c.name: KIND_DTYPES[c.kind] for c in spec.columns}
    return dtypes | PROVENANCE_DTYPES
