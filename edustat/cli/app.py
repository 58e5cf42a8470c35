"""The `edustat` entry point: one Typer app, one small module per command."""

from __future__ import annotations

import importlib
import os
import sys

import click
import typer
from typer.core import TyperGroup
from typer.main import get_command_from_info

from runtime import interrupt
from runtime.quiet_prefect import quiet_prefect

COMMANDS: dict[str, str] = {
    "run": "The yearly flow: ingest, validate, aggregate and load one year (exit 0 loaded/unchanged, 1 rejected).",
    "validate": "Validate a year's spreadsheets and write the error workbook and marked copies (exit 0 without errors, 1 with errors).",
    "sample": "Write realistic sample spreadsheets for every year asked: the default region, or a synthetic province or country.",
    "template": "A blank county workbook: every sheet, Chinese headers with units, drop-down lists, number checks.",
    "indicators": "The current values of a year, with Chinese and English names, units, and the report's figures; or, with --catalogue, what each code means.",
    "history": "Every version of each value of a year, with the run, its trigger and reason, and the change from the version before.",
    "runs": "The runs, newest first: status, trigger, reason, start, duration, errors and warnings, values changed, Prefect flow run address.",
    "query": "A read-only query against the warehouse, checked by a parsing guard (allowed tables, views and functions only).",
    "report": "Write the report's indicator section: sentences, county tables, bar charts and 存在的困难问题, from the warehouse alone.",
    "trace": "Each school's numerator and denominator behind a region's stored value, and a check that they add up to it.",
    "demo": "Generate the sample, load 2019 and 2020, print the prefecture's 2020 values beside the report's figures.",
    "serve": "Serve the yearly deployment (cron and time zone from the schedule table of config/rules.toml) and the manual rerun until stopped (Ctrl-C).",
    "server": "The background Prefect server of this Prefect home (started by the first `run`, `demo` or `serve`); exit 1 when none runs.",
}
"""Every command, in help order, with its one-line help: the module edustat.cli.commands.NAME is imported only when
NAME runs (or shows its own --help), so that `edustat --help` and read-only commands do not pay for the others'
imports. A test checks that each line is the first line of its command's docstring."""


class LazyGroup(TyperGroup):
    """The edustat group: lists commands from COMMANDS and imports a command's module only when it is used."""

    _listing = False

    def list_commands(self, ctx: click.Context) -> list[str]:
        """Command names in help order."""
        return list(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        """The real command (imported on first use), or a placeholder carrying its help line while the group's help is shown."""
        if cmd_name not in COMMANDS:
            return None
        if self._listing:
            return click.Command(cmd_name, help=COMMANDS[cmd_name], short_help=COMMANDS[cmd_name])
        if cmd_name not in self.commands:
            importlib.import_module(f"edustat.cli.commands.{cmd_name}")
            if "polars" in sys.modules:
                interrupt.install()  # Polars, imported with the command, takes SIGINT over (runtime.interrupt.install)
            info = next(i for i in app.registered_commands if (i.name or i.callback.__name__) == cmd_name)  # type: ignore[union-attr]
            self.commands[cmd_name] = get_command_from_info(
                info, pretty_exceptions_short=app.pretty_exceptions_short, rich_markup_mode=app.rich_markup_mode
            )
        return self.commands[cmd_name]

    def format_help(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """The group's help, built from COMMANDS without importing any command."""
        self._listing = True
        try:
            super().format_help(ctx, formatter)
        finally:
            self._listing = False


app = typer.Typer(
    cls=LazyGroup,
    name="edustat",
    help="County school statistics in, education-duty indicators out (履行教育职责自评报告).",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    # Click's plain help: flags without a `<bool>` value placeholder, defaults written whole, the width of the terminal.
    rich_markup_mode=None,
)


@app.callback()
def group() -> None:
    """The edustat command group (its help is the app's): a callback, so that Typer builds a group before any command is imported."""


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
    previous = interrupt.install()
    try:
        app(args=expand_variadic(sys.argv[1:] if argv is None else argv), prog_name="edustat")
    except interrupt.Interrupted as stop:
        announce_stop(stop)
    except Exception as error:  # the last line of defence: users get a sentence, not a stack
        if os.environ.get(DEBUG_ENV) == "1":
            raise
        sys.stderr.write(f"edustat: {describe_error(error)}\n(set {DEBUG_ENV}=1 to see the traceback)\n")
        sys.stderr.flush()  # before the exit: a caller that captures stderr in memory reads it at once
        sys.exit(3)
    finally:
        if argv is not None:
            # A caller that passes argv runs commands in its own process (the tests): its handlers come back. The
            # console script keeps edustat's until it exits, so that a second Ctrl-C at exit still ends it quietly.
            interrupt.restore(previous)


def announce_stop(stop: interrupt.Interrupted) -> None:
    """After Ctrl-C or SIGTERM: the stopped run Failed in Prefect, one sentence on the terminal, exit 130 or 143."""
    sys.stderr.write(f"\nedustat: {stop.sentence()}\n")
    sys.stderr.flush()
    # The sentence first (the user waits for no server), then the Prefect flow run, before the process exits.
    interrupt.record_in_prefect(stop)
    sys.exit(stop.exit_code)


def describe_error(error: Exception) -> str:
    """One sentence about an unexpected error, without connection secrets."""
    from sqlalchemy.exc import OperationalError, SQLAlchemyError

    from edustat.disk import disk_full_sentence

    url = _configured_url()
    if (full := disk_full_sentence(error, url or "")) is not None:
        return f"{full}; nothing was committed: the previous version stays current / 未提交任何内容，上一版本仍为当前版本"
    if isinstance(error, OperationalError) and _is_connection_failure(error):
        return (
            f"cannot reach the warehouse {_safe_url(url)} / 无法连接数据仓库: {_first_line(error)}. "
            "Check that the database server runs and that --warehouse / EDUSTAT_WAREHOUSE_URL is right"
        )
    if isinstance(error, OperationalError) and "readonly database" in str(error.orig):
        return (
            f"the warehouse {_safe_url(url)} cannot be written / 数据仓库不可写: {_first_line(error)}. "
            "Check the permissions of the file and of its folder (SQLite writes a journal beside it)"
        )
    if isinstance(error, SQLAlchemyError):
        detail = str(getattr(error, "orig", None) or error).splitlines()[0]
        return f"warehouse error / 数据仓库错误: {detail}. Has `edustat run` loaded this warehouse?"
    from edustat.outcome import describe_failure

    return describe_failure(error)


def _configured_url() -> str | None:
    """The warehouse URL the settings name, read once for the error's sentence; None when the settings are what is wrong."""
    from edustat.settings import load_settings

    try:
        return load_settings().warehouse_url
    except Exception:  # noqa: BLE001 - the settings may be what is wrong; the Prefect home can still be full
        return None


def _first_line(error: Exception) -> str:
    return (str(getattr(error, "orig", None) or error).strip().splitlines() or [""])[0]


def _is_connection_failure(error: Exception) -> bool:
    text = str(getattr(error, "orig", None) or error).lower()
    return any(sign in text for sign in ("connection failed", "connection refused", "could not connect", "could not translate host", "unable to open database file"))


def _safe_url(url: str | None) -> str:
    """The warehouse URL in use, its password masked."""
    from sqlalchemy import make_url

    if url is None:
        return "(the configured URL)"
    try:
        return make_url(url).render_as_string(hide_password=True)
    except Exception:  # the URL itself may be what is wrong; the sentence must still be printed
        return "(the configured URL)"
