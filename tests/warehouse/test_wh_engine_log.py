"""truncate_log: after a load, SQLite's write-ahead log is folded into the database and emptied."""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa

from warehouse.engine import get_engine, truncate_log, write_transaction


def test_the_log_is_empty_after_truncate_and_the_rows_are_kept(tmp_path: Path) -> None:
    db = tmp_path / "w.db"
    engine = get_engine(f"sqlite:///{db}")
    with write_transaction(engine) as conn:
        conn.execute(sa.text("CREATE TABLE t (x INTEGER)"))
        conn.execute(sa.text("INSERT INTO t VALUES " + ", ".join(f"({i})" for i in range(5000))))
    wal = Path(f"{db}-wal")
    assert wal.stat().st_size > 0
    truncate_log(engine)
    assert wal.stat().st_size == 0
    with engine.connect() as conn:
        assert conn.scalar(sa.text("SELECT count(*) FROM t")) == 5000
