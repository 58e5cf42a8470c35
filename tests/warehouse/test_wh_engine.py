"""warehouse/engine.py: URL handling and the SQLite connection set-up."""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa

from warehouse.engine import get_engine, dispose_engines, make_engine, normalise_url, safe_url


def test_safe_url_hides_the_password() -> None:
    shown = safe_url("postgresql://edustat:s3cret@db.example:5432/stats")
    assert "s3cret" not in shown
    assert shown == "postgresql+psycopg://edustat:***@db.example:5432/stats"


def test_safe_url_of_garbage_reveals_nothing() -> None:
    assert "s3cret" not in safe_url("not a url s3cret")


def test_driverless_postgres_urls_use_psycopg3() -> None:
    assert normalise_url("postgresql://u@h/db").drivername == "postgresql+psycopg"
    assert normalise_url("postgres://u@h/db").drivername == "postgresql+psycopg"
    # An explicit driver is the user's choice.
    assert normalise_url("postgresql+psycopg2://u@h/db").drivername == "postgresql+psycopg2"
    engine = make_engine("postgresql://u@127.0.0.1/db")
    assert engine.dialect.driver == "psycopg"
    engine.dispose()


def test_sqlite_engine_has_foreign_keys_wal_and_creates_its_folder(tmp_path: Path) -> None:
    path = tmp_path / "new" / "folder" / "w.db"
    engine = make_engine(f"sqlite:///{path}")
    with engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
    assert path.exists()
    engine.dispose()


def test_sqlite_transactions_are_real(tmp_path: Path) -> None:
    # DDL inside a rolled-back transaction must vanish: pysqlite alone would have committed it.
    engine = make_engine(f"sqlite:///{tmp_path / 'w.db'}")
    with engine.connect() as conn:
        with conn.begin() as transaction:
            conn.exec_driver_sql("CREATE TABLE t (x INTEGER)")
            transaction.rollback()
    assert "t" not in sa.inspect(engine).get_table_names()
    engine.dispose()


def test_get_engine_is_one_engine_per_url(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'w.db'}"
    try:
        assert get_engine(url) is get_engine(url)
    finally:
        dispose_engines()
