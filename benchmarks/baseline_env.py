"""The naive baseline's own Python environment: pandas and what the baseline imports, pinned by uv.lock, apart from edustat's.

edustat's environment has no pandas (production installs have none either); if it had, pandera would
import it in every edustat run. The baseline gets the lockfile's `baseline` group in a virtual
environment of its own, made once below the benchmark's data folder and reused.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ENV_DIR = "baseline-env"
COMPLETE = ".complete"


def uv_command() -> str:
    """The uv binary: the one running us (``uv run`` sets UV), else the one on PATH."""
    found = os.environ.get("UV") or shutil.which("uv")
    if not found:
        raise SystemExit("the baseline needs uv to make its environment (pip install uv)")
    return found


def baseline_python(folder: Path) -> Path:
    """The python of the baseline's environment below ``folder``, made from uv.lock's `baseline` group on first use."""
    env = Path(folder) / ENV_DIR
    python = env / "bin" / "python"
    if (env / COMPLETE).is_file():
        return python
    uv = uv_command()
    subprocess.run([uv, "venv", "--quiet", "--python", sys.executable, str(env)], check=True)
    requirements = subprocess.run(
        [uv, "export", "--frozen", "--only-group", "baseline", "--no-hashes", "--no-emit-project", "--no-header"],
        cwd=ROOT, check=True, capture_output=True, text=True,
    ).stdout
    pinned = env / "requirements.txt"
    pinned.write_text(requirements)
    subprocess.run([uv, "pip", "install", "--quiet", "--python", str(python), "-r", str(pinned)], check=True)
    (env / COMPLETE).write_text("made from uv.lock's baseline group\n")
    return python
