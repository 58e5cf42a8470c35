"""`edustat demo` run once per session (in process), beside a user's own warehouse and data, for the tests that read its folder.

The demo writes the sample, loads 2019 and 2020 into a warehouse of its own and writes the report: the slowest command
there is. The tests of its folder (tests/edustat/cli/test_demo_folder.py), of the README's first sections and of the
report on paper (tests/edustat/report/test_report_print.py) read or copy what this one run wrote instead of running
it again each. The fresh-clone test (tests/edustat/cli/test_first_run.py) still runs `uv run edustat demo` as a
new user does.
"""

from __future__ import annotations

import hashlib
import json
import shlex
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from tests.cli_runner import run_edustat

REPO = Path(__file__).resolve().parents[2]
DEMO_FOLDER = "edustat-demo"


def folder_digest(folder: Path) -> dict[str, str]:
    """Every file below ``folder`` with the SHA-256 of its bytes."""
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.rglob("*")) if p.is_file()}


def readme_commands(readme: str, until: str = "## Layout") -> list[str]:
    """Every line of every ```bash block of the README before the heading ``until``: its first sections."""
    head = readme.split(f"\n{until}\n", 1)[0]
    lines: list[str] = []
    for block in head.split("```bash\n")[1:]:
        lines += [line for line in block.split("```", 1)[0].splitlines() if line.strip()]
    return lines


def readme_demo_words() -> list[str]:
    """The README's first command (`uv run edustat demo …`) as the words after `uv run edustat`."""
    words = shlex.split(readme_commands((REPO / "README.md").read_text(encoding="utf-8"))[0], comments=True)
    assert words[:3] == ["uv", "run", "edustat"] and words[3] == "demo", words
    return words[3:]


@dataclass(frozen=True)
class DemoRun:
    """The folder the demo ran in (``cwd``), the environment it had, its result, and the digest of the user's files before it."""

    cwd: Path
    env: dict[str, str]
    words: list[str]
    result: subprocess.CompletedProcess[str]
    before: dict[str, str]

    @property
    def folder(self) -> Path:
        """The demo's own folder (read it; copy it to change it)."""
        return self.cwd / DEMO_FOLDER

    @property
    def warehouse_url(self) -> str:
        """The URL of the demo's warehouse (read-only)."""
        return f"sqlite:///{self.folder / 'edustat.db'}"

    def copy_to(self, cwd: Path) -> Path:
        """The demo's folder copied into ``cwd`` (as if the demo had run there); returns the copy."""
        return Path(shutil.copytree(self.folder, cwd / DEMO_FOLDER))


RESULT = "demo-result.json"
"""Beside the folder the demo ran in: what it printed and the user's files before it, for the workers that did not run it."""


def run_demo(cwd: Path, prefect_api_url: str) -> None:
    """The README's `edustat demo` run in ``cwd`` (made here), where a user keeps ./edustat.db (named by EDUSTAT_WAREHOUSE_URL)
    and data/; what it printed is kept beside ``cwd`` (``read_demo``)."""
    cwd.mkdir()
    (cwd / "edustat.db").write_bytes(b"the user's warehouse")
    (cwd / "data" / "sample" / "2020").mkdir(parents=True)
    (cwd / "data" / "sample" / "2020" / "622901_临夏市.xlsx").write_bytes(b"a workbook the user edited")
    before = folder_digest(cwd)
    env = _env(cwd, prefect_api_url)
    words = readme_demo_words()
    result = run_edustat(*words, cwd=cwd, env=env)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    from warehouse.engine import dispose_engines

    dispose_engines()
    saved = {"args": result.args, "returncode": result.returncode, "stdout": result.stdout, "stderr": result.stderr, "words": words, "before": before}
    (cwd.parent / RESULT).write_text(json.dumps(saved), encoding="utf-8")


def read_demo(cwd: Path, prefect_api_url: str) -> DemoRun:
    """The demo ``run_demo`` ran in ``cwd``, as seen from a test whose Prefect server is at ``prefect_api_url``."""
    saved = json.loads((cwd.parent / RESULT).read_text(encoding="utf-8"))
    result = subprocess.CompletedProcess(saved["args"], saved["returncode"], saved["stdout"], saved["stderr"])
    return DemoRun(cwd, _env(cwd, prefect_api_url), saved["words"], result, saved["before"])


def _env(cwd: Path, prefect_api_url: str) -> dict[str, str]:
    return {"PREFECT_API_URL": prefect_api_url, "EDUSTAT_WAREHOUSE_URL": f"sqlite:///{cwd / 'edustat.db'}", "EDUSTAT_ERROR_WORKBOOK_DIR": str(cwd.parent / f"{cwd.name}-errors")}
