"""`edustat demo` in a folder of its own (contract §6), and the README's first sections run as written after it.

Both run `edustat` in this process (tests/cli_runner.py) against the session's Prefect server; the fresh-clone
test (test_first_run.py, marked system) runs `uv run edustat demo` itself as a new user would.
"""

from __future__ import annotations

import hashlib
import json
import shlex
from pathlib import Path

import pytest

from tests.cli_runner import run_edustat

REPO = Path(__file__).resolve().parents[3]


def _digest(folder: Path) -> dict[str, str]:
    """Every file below ``folder`` with the SHA-256 of its bytes."""
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_demo_twice_leaves_the_users_warehouse_and_data_alone(tmp_path: Path, prefect_api_url: str) -> None:
    # The user's own warehouse and data, where an earlier demo wrote its sample and warehouse.
    (tmp_path / "edustat.db").write_bytes(b"the user's warehouse")
    (tmp_path / "data" / "sample" / "2020").mkdir(parents=True)
    (tmp_path / "data" / "sample" / "2020" / "622901_临夏市.xlsx").write_bytes(b"a workbook the user edited")
    before = _digest(tmp_path)
    env = {"PREFECT_API_URL": prefect_api_url, "EDUSTAT_WAREHOUSE_URL": f"sqlite:///{tmp_path / 'edustat.db'}"}

    first = run_edustat("demo", cwd=tmp_path, env=env)
    assert first.returncode == 0, first.stdout[-3000:] + first.stderr[-3000:]
    demo = tmp_path / "edustat-demo"
    assert (demo / "edustat.db").is_file() and (demo / "report_2020.html").is_file()
    assert (demo / "data" / "2020").is_dir() and (demo / "data" / "2019").is_dir()
    last = first.stdout.strip().splitlines()[-6:]
    assert any("edustat-demo/edustat.db" in line for line in last)
    assert any("edustat-demo/report_2020.html" in line for line in last)
    assert any("--warehouse sqlite:///edustat-demo/edustat.db" in line for line in last)

    # Something the user dropped into the demo's folder goes with it: the second demo replaces the folder.
    (demo / "data" / "2020" / "stray.txt").write_text("left here", encoding="utf-8")
    second = run_edustat("demo", cwd=tmp_path, env=env)
    assert second.returncode == 0, second.stdout[-3000:] + second.stderr[-3000:]
    assert "30 of 30 published figures reproduced" in second.stdout
    assert not (demo / "data" / "2020" / "stray.txt").exists()
    after = {name: digest for name, digest in _digest(tmp_path).items() if not name.startswith("edustat-demo")}
    assert after == before  # ./edustat.db and data/ byte for byte as they were; nothing else written beside them


def test_demo_refuses_a_folder_it_did_not_make(tmp_path: Path) -> None:
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "notes.txt").write_text("keep me", encoding="utf-8")
    refused = run_edustat("demo", "--out", str(mine), cwd=tmp_path)
    assert refused.returncode == 2, refused.stdout + refused.stderr
    assert "did not write" in refused.stderr and "--out" in refused.stderr
    assert [p.name for p in mine.iterdir()] == ["notes.txt"]


def readme_commands(readme: str, until: str = "## Layout") -> list[str]:
    """Every line of every ```bash block of the README before the heading ``until``: its first sections."""
    head = readme.split(f"\n{until}\n", 1)[0]
    lines: list[str] = []
    for block in head.split("```bash\n")[1:]:
        lines += [line for line in block.split("```", 1)[0].splitlines() if line.strip()]
    return lines


def test_the_readme_first_sections_run_as_written_after_demo(tmp_path: Path, prefect_api_url: str) -> None:
    commands = readme_commands((REPO / "README.md").read_text(encoding="utf-8"))
    assert commands[0].startswith("uv run edustat demo") and len(commands) >= 10
    env = {"PREFECT_API_URL": prefect_api_url}
    ran = []
    try:
        _run_lines(commands, tmp_path, env, ran)
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


@pytest.mark.parametrize("section", ["## The command line"])
def test_every_command_is_in_the_readme_table(section: str) -> None:
    from edustat.cli.app import COMMANDS

    readme = (REPO / "README.md").read_text(encoding="utf-8")
    body = readme.split(f"\n{section}\n", 1)[1].split("\n## ", 1)[0]
    listed = {row.split("`")[1].split()[1] for row in body.splitlines() if row.startswith("| `edustat ")}
    assert listed == set(COMMANDS)


def test_the_readme_links_stay_in_the_repository() -> None:
    import re

    readme = (REPO / "README.md").read_text(encoding="utf-8")
    targets = re.findall(r"\]\(([^)]+)\)", readme)
    for target in targets:
        assert "://" not in target and not target.startswith(".."), target
        assert (REPO / target.split("#")[0]).exists(), target
