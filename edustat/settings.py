"""Settings from the environment (prefix EDUSTAT_), validated at load."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from config import DEFAULT_CHECKS_FILE, DEFAULT_INDICATORS_FILE, DEFAULT_REGIONS_FILE


class Settings(BaseSettings):
    """Where the warehouse is, which region file, indicator catalogue and checks file apply, and how runs behave."""

    model_config = SettingsConfigDict(env_prefix="EDUSTAT_", extra="ignore")

    # A file in the working directory: the embedded default needs nothing installed. Not a secret.
    warehouse_url: str = "sqlite:///edustat.db"
    regions_file: Path = DEFAULT_REGIONS_FILE
    indicators_file: Path = DEFAULT_INDICATORS_FILE
    checks_file: Path = DEFAULT_CHECKS_FILE
    lock_timeout_s: float = Field(default=60.0, gt=0)
    error_workbook_dir: Path = Path("errors")
    task_runner: Literal["thread", "dask"] = "thread"
    dask_address: str | None = None
    # Worker processes that parse workbooks with the thread runner; None: one per core for large inputs, 0: none.
    parse_processes: int | None = Field(default=None, ge=0)
    # `edustat query` connects here when set: a login in role edustat_reader (PostgreSQL). May hold a password: no default.
    query_url: str | None = None
    query_timeout_s: float = Field(default=300.0, gt=0)


def load_settings() -> Settings:
    """The settings of this process, read from the environment now."""
    return Settings()
