"""Schema steps 3, 4 and 7 on warehouses shipped at versions 2 and 3: what corrections need, then the lighter school tables."""

from __future__ import annotations

import sqlalchemy as sa
from wh_data import new_run

from warehouse.engine import is_sqlite
from warehouse.migrate import LATEST_VERSION, migrate
from warehouse.reader import READER_ROLE


def _stamp(conn: sa.Connection, version: int) -> None:
    conn.execute(sa.text("DELETE FROM schema_version"))
    conn.execute(sa.text(f"INSERT INTO schema_version (version, description, applied_at) VALUES ({version}, 'v{version}', '2026-01-01 00:00:00')"))


def test_step_3_adds_config_digest_input_file_and_source_file_index(tmp_path) -> None:
    engine = sa.create_engine(f"sqlite:///{tmp_path / 'v2.db'}")
    # Build today's schema, then take it back to what version 2 had: no config_digest, no input_file, no source-file index.
    migrate(engine)
    with engine.begin() as conn:
        conn.execute(sa.text("DROP TABLE input_file"))
        conn.execute(sa.text("DROP VIEW IF EXISTS run_history"))
        conn.execute(sa.text("ALTER TABLE etl_run DROP COLUMN config_digest"))
        conn.execute(sa.text("DROP INDEX ix_schools_source_file"))
        _stamp(conn, 2)
    migrate(engine)
    inspector = sa.inspect(engine)
    assert "config_digest" in {c["name"] for c in inspector.get_columns("etl_run")}
    assert "input_file" in inspector.get_table_names()
    assert "ix_schools_source_file" in {i["name"] for i in inspector.get_indexes("schools")}
    with engine.connect() as conn:
        assert conn.scalar(sa.text("SELECT max(version) FROM schema_version")) == LATEST_VERSION


VERSION_3_SCHOOLS = """
CREATE TABLE schools (
    year INTEGER NOT NULL, run_id INTEGER NOT NULL REFERENCES etl_run (run_id),
    school_code TEXT NOT NULL, school_name TEXT, county_code TEXT, school_type_code TEXT, urban_rural_code TEXT,
    ownership TEXT, is_inclusive BOOLEAN, source_file TEXT, source_sheet TEXT, source_row BIGINT,
    CONSTRAINT pk_schools PRIMARY KEY (year, school_code)
)
"""
"""The schools table as version 3 created it: with a foreign key from run_id to etl_run."""


def test_step_4_drops_stored_contributions_and_the_run_foreign_key_keeping_rows(warehouse: sa.Engine) -> None:
    run_id = new_run(warehouse, 2020)
    with warehouse.begin() as conn:
        conn.execute(sa.text("DROP TABLE schools"))
        conn.execute(sa.text(VERSION_3_SCHOOLS))
        conn.execute(sa.text("CREATE INDEX ix_schools_source_file ON schools (year, source_file)"))
        conn.execute(
            sa.text("INSERT INTO schools (year, run_id, school_code, school_name, county_code, source_file) VALUES (2020, :run, '6229010001', '一小', '622901', 'a.xlsx')"),
            {"run": run_id},
        )
        conn.execute(sa.text("CREATE TABLE indicator_contribution (contribution_id INTEGER PRIMARY KEY, year INTEGER, county_code TEXT, school_code TEXT)"))
        conn.execute(sa.text("CREATE VIEW indicator_contribution_detail AS SELECT c.year, s.school_name FROM indicator_contribution c JOIN schools s ON s.school_code = c.school_code"))
        _stamp(conn, 3)
    assert [k["referred_table"] for k in sa.inspect(warehouse).get_foreign_keys("schools")] == ["etl_run"]

    assert migrate(warehouse) == LATEST_VERSION

    inspector = sa.inspect(warehouse)
    assert "indicator_contribution" not in inspector.get_table_names()
    assert "indicator_contribution_detail" not in inspector.get_view_names()
    assert inspector.get_foreign_keys("schools") == []
    assert {"ix_schools_source_file", "ix_schools_county"} <= {i["name"] for i in inspector.get_indexes("schools")}
    with warehouse.connect() as conn:
        rows = conn.execute(sa.text("SELECT year, run_id, school_code, school_name, county_code, source_file FROM schools")).all()
    assert [tuple(r) for r in rows] == [(2020, run_id, "6229010001", "一小", "622901", "a.xlsx")]
    if is_sqlite(warehouse):
        with warehouse.connect() as conn:
            assert conn.execute(sa.text("PRAGMA foreign_key_check")).all() == []


def test_step_7_adds_load_lock_and_grants_the_reader(warehouse_url: str) -> None:
    engine = sa.create_engine(warehouse_url)
    migrate(engine)
    with engine.begin() as conn:
        conn.execute(sa.text("DROP TABLE load_lock"))
        _stamp(conn, 6)
        if not is_sqlite(conn):
            schema = conn.scalar(sa.text("SELECT current_schema()"))
            conn.exec_driver_sql(f'REVOKE ALL ON ALL TABLES IN SCHEMA "{schema}" FROM {READER_ROLE}')
            conn.exec_driver_sql(f'REVOKE USAGE ON SCHEMA "{schema}" FROM {READER_ROLE}')
    assert migrate(engine) == LATEST_VERSION
    assert "load_lock" in sa.inspect(engine).get_table_names()
    if not is_sqlite(engine):
        with engine.connect() as conn:
            granted = conn.scalar(sa.text(f"SELECT has_table_privilege('{READER_ROLE}', 'indicator_value', 'SELECT')"))
            writes = conn.scalar(sa.text(f"SELECT has_table_privilege('{READER_ROLE}', 'load_lock', 'UPDATE, INSERT, DELETE, TRUNCATE')"))
            assert (granted, writes) == (True, False)
            # Migrating again (another schema, another run) is a no-op that does not fail on the existing role.
            assert migrate(engine) == LATEST_VERSION
    engine.dispose()
