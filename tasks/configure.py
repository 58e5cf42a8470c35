"""Tasks that read settings and configuration."""

from __future__ import annotations

from prefect import task
from prefect.cache_policies import NO_CACHE

from edustat.configuration import Configuration, load_configuration
from edustat.settings import Settings, load_settings


@task(name="read_settings", cache_policy=NO_CACHE)
def read_settings() -> Settings:
    """The process settings (warehouse, region file), read from the environment."""
    return load_settings()


@task(name="load_configuration", cache_policy=NO_CACHE)
def configure(settings: Settings) -> Configuration:
    """The region tree, rules and catalogue (EDUSTAT_INDICATORS_FILE), validated: a broken catalogue stops the run before any input is read."""
    return load_configuration(settings.regions_file, settings.indicators_file, settings.checks_file)
