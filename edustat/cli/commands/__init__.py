"""Importing this package registers every command on the app."""

from edustat.cli.commands import demo, history, indicators, run, sample, serve  # noqa: F401
