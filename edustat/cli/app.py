"""The `edustat` entry point: one Typer app, one small module per command."""

from __future__ import annotations

import os
import sys

import typer

from edustat.quiet import quiet_prefect

app = typer.Typer(
    name="edustat",
    help="County school statistics in, education-duty indicators out (履行教育职责自评报告).",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

VARIADIC_OPTIONS = frozenset({"--years", "--level"})
"""Options the contract writes with several values after one flag (`--years 2019 2020`)."""


def expand_variadic(argv: list[str]) -> list[str]:
    """Rewrite `--years 2019 2020` as `--years 2019 --years 2020`, which Click understands."""
    expanded: list[str] = []
    current: str | None = None
    for arg in argv:
        if arg.startswith("-"):
            current = arg if arg in VARIADIC_OPTIONS else None
            expanded.append(arg)
        elif current is not None and expanded[-1] != current:
            expanded += [current, arg]
        else:
            expanded.append(arg)
    return expanded


DEBUG_ENV = "EDUSTAT_DEBUG"
"""Set to 1 to see the traceback of an unexpected error instead of the one-line message."""


def main(argv: list[str] | None = None) -> None:
    """Console entry point: usage errors exit 2, anything unexpected exits 3 with a message, never a traceback."""
    quiet_prefect()
    from edustat.cli import commands  # noqa: F401  (registers the commands)

    try:
        app(args=expand_variadic(sys.argv[1:] if argv is None else argv), prog_name="edustat")
    except Exception as error:  # the last line of defence: users get a sentence, not a stack
        if os.environ.get(DEBUG_ENV) == "1":
            raise
        sys.stderr.write(f"edustat: {describe_error(error)}\n(set {DEBUG_ENV}=1 to see the traceback)\n")
        sys.exit(3)


def describe_error(error: Exception) -> str:
    """One sentence about an unexpected error, without connection secrets."""
    from sqlalchemy.exc import SQLAlchemyError

    if isinstance(error, SQLAlchemyError):
        detail = str(getattr(error, "orig", None) or error).splitlines()[0]
        return f"warehouse error / 数据仓库错误: {detail}. Has `edustat run` loaded this warehouse?"
    return f"{type(error).__name__}: {error}"
