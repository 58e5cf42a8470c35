"""Importing this package registers every command on the app."""

from edustat.cli.commands import demo, indicators, run, sample, template, validate  # noqa: F401
