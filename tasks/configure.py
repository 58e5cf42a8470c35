"""Tasks that read settings and configuration."""

from __future__ import annotations

from edustat.configuration import Configuration, load_configuration
from edustat.settings import Settings, load_settings
from tasks import uncached_task


@uncached_task(name="read_settings")
def read_settings() -> Settings:
    """The process settings (warehouse, region file), read from the environment."""
    return load_settings()


@uncached_task(name="load_configuration")
def configure(settings: Settings) -> Configuration:
    """The region tree, rules and catalogue (EDUSTAT_INDICATORS_FILE), validated: a broken catalogue stops the run before any input is read."""
    return load_configuration(settings.regions_file, settings.indicators_file, settings.checks_file)
