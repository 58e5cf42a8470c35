"""The command line imports a command's module only when it is used, and `--help` stays cheap."""

from __future__ import annotations

import importlib
import inspect
import json
import subprocess
import sys

import pytest

from edustat.cli.app import COMMANDS, app


@pytest.mark.parametrize("name", list(COMMANDS))
def test_each_listed_help_line_is_its_commands_docstring(name: str) -> None:
    importlib.import_module(f"edustat.cli.commands.{name}")
    callback = next(i.callback for i in app.registered_commands if (i.name or i.callback.__name__) == name)
    assert inspect.getdoc(callback).splitlines()[0] == COMMANDS[name]


def test_every_command_module_is_listed() -> None:
    from pathlib import Path

    import edustat.cli.commands as package

    modules = {p.stem for p in Path(package.__file__).parent.glob("*.py") if p.stem != "__init__"}
    assert modules == set(COMMANDS)


PROBE = """
import json, sys
from edustat.cli import main
try:
    main(sys.argv[1:])
except SystemExit:
    pass
heavy = ["prefect", "polars", "sqlalchemy", "pandera", "openpyxl", "flows", "tasks"]
commands = sorted(m for m in sys.modules if m.startswith("edustat.cli.commands."))
print(json.dumps({"loaded": [m for m in heavy if m in sys.modules], "commands": commands}))
"""


def _imports(*argv: str) -> dict:
    done = subprocess.run([sys.executable, "-c", PROBE, *argv], capture_output=True, text=True, timeout=180, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


@pytest.mark.system  # a fresh interpreter's imports
def test_top_level_help_imports_no_command_and_no_dependency() -> None:
    seen = _imports("--help")
    assert seen == {"loaded": [], "commands": []}


@pytest.mark.system  # a fresh interpreter's imports
@pytest.mark.parametrize("name", ["indicators", "query", "report", "history", "trace", "template", "validate"])
def test_read_only_commands_import_no_prefect(name: str, tmp_path) -> None:
    # --help of the command builds its options from its own module only.
    seen = _imports(name, "--help")
    assert "prefect" not in seen["loaded"]
    assert seen["commands"] == [f"edustat.cli.commands.{name}"]


@pytest.mark.system  # a fresh interpreter's imports
def test_read_only_commands_run_without_prefect(tmp_path, monkeypatch) -> None:
    # Each runs for real (on an empty warehouse most end in a one-line error): none may import Prefect or the flows.
    from edustat.sample import write_sample

    write_sample(tmp_path / "sample", [2020], seed=7)
    monkeypatch.chdir(tmp_path)
    runs = {
        "validate": ["validate", "--year", "2020", "--input", str(tmp_path / "sample" / "2020"), "--out", str(tmp_path / "e.xlsx")],
        "template": ["template", "--out", str(tmp_path / "t.xlsx")],
        "query": ["query", "select 1"],
        "indicators": ["indicators", "--year", "2020"],
        "report": ["report", "--year", "2020", "--out", str(tmp_path / "r.html")],
        "history": ["history", "--year", "2020"],
        "trace": ["trace", "--year", "2020", "--indicator", "preschool_ger"],
    }
    for name, argv in runs.items():
        seen = _imports(*argv)
        assert not {"prefect", "flows", "tasks"} & set(seen["loaded"]), name
        assert seen["commands"] == [f"edustat.cli.commands.{name}"], name


@pytest.mark.system  # a fresh interpreter's imports
def test_a_sqlite_query_loads_neither_postgresql_s_parser_nor_the_config_models(tmp_path, monkeypatch) -> None:
    # Both are a tenth of the command's start each; a SQLite query reads no configuration file and parses nothing itself.
    from sqlalchemy import create_engine

    from warehouse.migrate import migrate

    migrate(create_engine(f"sqlite:///{tmp_path / 'edustat.db'}"))
    monkeypatch.chdir(tmp_path)
    probe = PROBE.replace('heavy = ["prefect",', 'heavy = ["pglast", "config.rules", "prefect",')
    done = subprocess.run([sys.executable, "-c", probe, "query", "select 1"], capture_output=True, text=True, timeout=180, check=True)
    assert "1" in done.stdout
    seen = json.loads(done.stdout.strip().splitlines()[-1])
    assert not {"pglast", "config.rules"} & set(seen["loaded"])
