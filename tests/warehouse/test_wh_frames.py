"""warehouse/frames.py fetch_frame: query results as typed frames, by the driver's tuples for plain columns and by rows otherwise."""

from __future__ import annotations

import datetime as dt

import polars as pl
import sqlalchemy as sa
from polars.testing import assert_frame_equal

from warehouse.coltypes import UtcDateTime
from warehouse.frames import fetch_frame

_metadata = sa.MetaData()
_things = sa.Table(
    "frame_things",
    _metadata,
    sa.Column("code", sa.Text, primary_key=True),
    sa.Column("count", sa.BigInteger),
    sa.Column("amount", sa.Double),
    sa.Column("ok", sa.Boolean),
    sa.Column("at", UtcDateTime),
)
_ROWS = [
    {"code": "a", "count": 3, "amount": 1.5, "ok": True, "at": dt.datetime(2020, 1, 2, 3, 4, 5, tzinfo=dt.UTC)},
    {"code": "b", "count": None, "amount": None, "ok": False, "at": None},
    {"code": "c", "count": 2**40, "amount": 0.1 + 0.2, "ok": None, "at": None},
]


def test_plain_and_processed_columns_come_back_typed_with_their_nulls(engine: sa.Engine) -> None:
    _metadata.create_all(engine)
    with engine.begin() as conn:
        conn.execute(_things.insert(), _ROWS)
    t = _things.c
    with engine.connect() as conn:
        plain = fetch_frame(conn, sa.select(t.code, t.count, t.amount).order_by(t.code))
        processed = fetch_frame(conn, sa.select(t.code, t.ok, t.at).order_by(t.code))
        empty = fetch_frame(conn, sa.select(t.code, t.count, t.amount).where(t.code == "none"))
    expected_plain = pl.DataFrame(
        {"code": ["a", "b", "c"], "count": [3, None, 2**40], "amount": [1.5, None, 0.30000000000000004]},
        schema={"code": pl.String, "count": pl.Int64, "amount": pl.Float64},
    )
    assert_frame_equal(plain, expected_plain)
    assert processed.schema == pl.Schema({"code": pl.String, "ok": pl.Boolean, "at": pl.Datetime("us", "UTC")})
    assert processed.get_column("ok").to_list() == [True, False, None]
    assert processed.get_column("at").to_list()[0] == dt.datetime(2020, 1, 2, 3, 4, 5, tzinfo=dt.UTC)
    assert empty.height == 0 and empty.schema == expected_plain.schema
