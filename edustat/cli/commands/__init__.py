"""Importing this package registers every command on the app."""

from edustat.cli.commands import demo, history, indicators, query, report, run, sample, serve, template, trace, validate  # noqa: F401
