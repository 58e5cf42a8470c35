"""Schema step 3 on a warehouse shipped at version 2: the column, table and indexes that corrections need."""

from __future__ import annotations

import sqlalchemy as sa

from warehouse.migrate import migrate



def test_step_3_adds_config_digest_input_file_and_county_index(tmp_path) -> None:
    engine = sa.create_engine(f"sqlite:///{tmp_path / 'v2.db'}")
    # Build today's schema, then take it back to what version 2 had: no config_digest, no input_file, the old index.
    migrate(engine)
    with engine.begin() as conn:
        conn.execute(sa.text("DROP TABLE input_file"))
        conn.execute(sa.text("DROP VIEW IF EXISTS run_history"))
        conn.execute(sa.text("ALTER TABLE etl_run DROP COLUMN config_digest"))
        conn.execute(sa.text("DROP INDEX ix_indicator_contribution_county"))
        conn.execute(sa.text("CREATE INDEX ix_indicator_contribution_key ON indicator_contribution (year, indicator_code, county_code)"))
        conn.execute(sa.text("DROP INDEX ix_schools_source_file"))
        conn.execute(sa.text("DELETE FROM schema_version"))
        conn.execute(sa.text("INSERT INTO schema_version (version, description, applied_at) VALUES (2, 'v2', '2026-01-01 00:00:00')"))
    migrate(engine)
    inspector = sa.inspect(engine)
    assert "config_digest" in {c["name"] for c in inspector.get_columns("etl_run")}
    assert "input_file" in inspector.get_table_names()
    assert {i["name"] for i in inspector.get_indexes("indicator_contribution")} == {"ix_indicator_contribution_county"}
    assert "ix_schools_source_file" in {i["name"] for i in inspector.get_indexes("schools")}
    with engine.connect() as conn:
        assert conn.scalar(sa.text("SELECT max(version) FROM schema_version")) == 3
