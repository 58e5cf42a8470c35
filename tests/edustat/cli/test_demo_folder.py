"""`edustat demo` in a folder of its own (contract §6), and the README's first sections run as written after it.

The demo runs once per session in this process (tests/edustat/demo_run.py), beside a user's own ./edustat.db and
data/; these tests read or copy its folder. The fresh-clone test (test_first_run.py, marked system) runs
`uv run edustat demo` itself as a new user would.
"""

from __future__ import annotations

import json
import shlex
import shutil
from pathlib import Path

import pytest

from tests.cli_runner import run_edustat
from tests.edustat.demo_run import DemoRun, folder_digest, readme_commands

REPO = Path(__file__).resolve().parents[3]


def test_the_demo_writes_its_own_folder_and_leaves_the_users_warehouse_and_data_alone(demo_run: DemoRun) -> None:
    demo = demo_run.folder
    assert "30 of 30 published figures reproduced" in demo_run.result.stdout
    assert (demo / "edustat.db").is_file() and (demo / "report_2020.html").is_file()
    assert (demo / "data" / "2020").is_dir() and (demo / "data" / "2019").is_dir()
    last = demo_run.result.stdout.strip().splitlines()[-6:]
    assert any("edustat-demo/edustat.db" in line for line in last)
    assert any("edustat-demo/report_2020.html" in line for line in last)
    assert any("--warehouse sqlite:///edustat-demo/edustat.db" in line for line in last)
    after = {name: digest for name, digest in folder_digest(demo_run.cwd).items() if not name.startswith("edustat-demo")}
    assert after == demo_run.before  # ./edustat.db and data/ byte for byte as they were; nothing else written beside them


def test_a_second_demo_replaces_its_folder_and_leaves_the_users_warehouse_and_data_alone(demo_run: DemoRun, tmp_path: Path) -> None:
    # The user's folder as the session's first demo left it: their warehouse and data, and the demo's folder.
    user = tmp_path / "user"
    shutil.copytree(demo_run.cwd, user)
    demo = user / "edustat-demo"
    before = {name: digest for name, digest in folder_digest(user).items() if not name.startswith("edustat-demo")}
    assert before == demo_run.before
    env = {**demo_run.env, "EDUSTAT_WAREHOUSE_URL": f"sqlite:///{user / 'edustat.db'}", "EDUSTAT_ERROR_WORKBOOK_DIR": str(tmp_path / "errors")}

    # Something the user dropped into the demo's folder goes with it: the second demo replaces the folder.
    (demo / "data" / "2020" / "stray.txt").write_text("left here", encoding="utf-8")
    second = run_edustat(*demo_run.words, cwd=user, env=env)
    assert second.returncode == 0, second.stdout[-3000:] + second.stderr[-3000:]
    assert "30 of 30 published figures reproduced" in second.stdout
    assert not (demo / "data" / "2020" / "stray.txt").exists()
    after = {name: digest for name, digest in folder_digest(user).items() if not name.startswith("edustat-demo")}
    assert after == before  # ./edustat.db and data/ byte for byte as they were; nothing else written beside them


def test_demo_refuses_a_folder_it_did_not_make(tmp_path: Path) -> None:
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "notes.txt").write_text("keep me", encoding="utf-8")
    refused = run_edustat("demo", "--out", str(mine), cwd=tmp_path)
    assert refused.returncode == 2, refused.stdout + refused.stderr
    assert "did not write" in refused.stderr and "--out" in refused.stderr
    assert [p.name for p in mine.iterdir()] == ["notes.txt"]


def test_the_readme_first_sections_run_as_written_after_demo(tmp_path: Path, demo_run: DemoRun, prefect_api_url: str) -> None:
    commands = readme_commands((REPO / "README.md").read_text(encoding="utf-8"))
    assert commands[0].startswith("uv run edustat demo") and len(commands) >= 10
    # The first line is the session's demo, run with the same words (demo_run); its folder is copied here.
    assert shlex.split(commands[0], comments=True)[3:] == demo_run.words
    demo_run.copy_to(tmp_path)
    env = {"PREFECT_API_URL": prefect_api_url}
    ran = [("demo", demo_run.result)]
    try:
        _run_lines(commands[1:], tmp_path, env, ran)
    finally:
        from warehouse.engine import dispose_engines

        dispose_engines()  # the README's relative SQLite URL must not outlive this working directory
    assert [name for name, _ in ran][:2] == ["demo", "indicators"]
    outputs = {name: result.stdout for name, result in ran}
    # What the README says of them: the province partial, the CSV for Excel, the rerun unchanged and listed first.
    assert "甘肃省（仅临夏州）" in (tmp_path / "indicators_2020.csv").read_bytes().decode("utf-8-sig")
    assert (tmp_path / "indicators_2020.csv").read_bytes().startswith(b"\xef\xbb\xbf")
    assert "unchanged" in outputs["run"]
    listed = run_edustat("runs", "--format", "json", cwd=tmp_path, env=env)
    assert json.loads(listed.stdout)[0]["status"] == "unchanged"
    assert not (tmp_path / "edustat.db").exists()  # the demo's warehouse only


def _run_lines(commands: list[str], cwd: Path, env: dict[str, str], ran: list) -> None:
    """Run each README line as written: `export` sets the environment, `uv run edustat …` runs the command here."""
    for line in commands:
        words = shlex.split(line, comments=True)
        if words[0] == "export":
            name, value = words[1].split("=", 1)
            env[name] = value
            continue
        if words[:3] == ["uv", "run", "pytest"]:
            continue  # the suite itself, which is running this test
        assert words[:3] == ["uv", "run", "edustat"], line
        result = run_edustat(*words[3:], cwd=cwd, env=env)
        assert result.returncode == 0, f"{line}\n{result.stdout[-2000:]}\n{result.stderr[-2000:]}"
        ran.append((words[3], result))


@pytest.mark.parametrize("section", ["## Commands"])
def test_every_command_is_in_the_command_line_table(section: str) -> None:
    from edustat.cli.app import COMMANDS

    page = (REPO / "docs" / "reference" / "command-line.md").read_text(encoding="utf-8")
    body = page.split(f"\n{section}\n", 1)[1].split("\n## ", 1)[0]
    listed = {row.split("`")[1].split()[1] for row in body.splitlines() if row.startswith("| `edustat ")}
    assert listed == set(COMMANDS)


def test_the_readme_links_stay_in_the_repository() -> None:
    import re

    readme = (REPO / "README.md").read_text(encoding="utf-8")
    targets = re.findall(r"\]\(([^)]+)\)", readme)
    for target in targets:
        assert "://" not in target and not target.startswith(".."), target
        assert (REPO / target.split("#")[0]).exists(), target
