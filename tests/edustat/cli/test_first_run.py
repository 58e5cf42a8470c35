"""The README's first command, as a new user runs it: a fresh clone, a fresh environment, an empty Prefect home."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

pytestmark = pytest.mark.system

REPO = Path(__file__).resolve().parents[3]


@pytest.mark.skipif(shutil.which("uv") is None, reason="uv is not on PATH (.ci/run installs it, so CI always runs this)")
def test_demo_succeeds_on_its_first_try_in_a_fresh_clone(tmp_path: Path) -> None:
    clone, home = tmp_path / "clone", tmp_path / "prefect-home"
    subprocess.run(["git", "clone", "--quiet", str(REPO), str(clone)], check=True, timeout=120)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PREFECT_", "EDUSTAT_", "VIRTUAL_ENV", "UV_PROJECT"))}
    env |= {"PREFECT_HOME": str(home)}
    try:
        demo = subprocess.run(["uv", "run", "edustat", "demo"], cwd=clone, env=env, capture_output=True, text=True, timeout=900)
        assert demo.returncode == 0, demo.stdout[-3000:] + demo.stderr[-3000:]
        assert "30 of 30 published figures reproduced" in demo.stdout
        assert "8 of 8 counties reported" in demo.stdout
        # The demo's own folder, never ./edustat.db (contract §6).
        assert (clone / "edustat-demo" / "edustat.db").exists() and not (clone / "edustat.db").exists()
        # Bytecode is compiled by Python as modules are first imported, not announced and redone by every `uv run`.
        assert "Bytecode compiled" not in demo.stdout + demo.stderr
        # The second command reuses the server the first one started.
        status = subprocess.run(["uv", "run", "edustat", "server", "status"], cwd=clone, env=env, capture_output=True, text=True, timeout=300)
        assert status.returncode == 0, status.stdout + status.stderr
        assert "Bytecode compiled" not in status.stdout + status.stderr
    finally:
        subprocess.run(["uv", "run", "edustat", "server", "stop"], cwd=clone, env=env, capture_output=True, timeout=300)
