"""The `edustat` command line (contract §6)."""

from edustat.cli.app import app, main

__all__ = ["app", "main"]
