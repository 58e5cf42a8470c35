"""The generated reference (docs/reference/commands.md, tables.md, rules.md) is what docs/generate.py makes from the code now."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

REPO = Path(__file__).resolve().parents[2]


def generator() -> ModuleType:
    """docs/generate.py, loaded from its file (docs/ is not a package)."""
    spec = importlib.util.spec_from_file_location("docs_generate", REPO / "docs" / "generate.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_a_page_that_differs_from_the_code_is_stale(tmp_path: Path) -> None:
    generate = generator()
    (tmp_path / "reference").mkdir()
    (tmp_path / "reference" / "same.md").write_text("# Same\n", encoding="utf-8")
    (tmp_path / "reference" / "old.md").write_text("# Old\n", encoding="utf-8")
    made = {"reference/same.md": "# Same\n", "reference/old.md": "# New\n", "reference/missing.md": "# Missing\n"}
    assert generate.stale(tmp_path, made) == ["reference/old.md", "reference/missing.md"]


def test_the_generated_reference_matches_the_code() -> None:
    generate = generator()
    made = generate.pages()
    assert set(made) == {"reference/commands.md", "reference/tables.md", "reference/rules.md"}
    stale = generate.stale(REPO / "docs", made)
    assert stale == [], f"{stale} differ from the code: run `uv run python docs/generate.py` and commit them"


def test_the_reference_names_what_it_is_generated_from() -> None:
    # A few facts checked by hand against the sources, so that a generator that writes the wrong thing cannot pass
    # on its own output: the command list, a table's key, a ceiling of config/rules.toml and a message.
    made = generator().pages()
    commands, tables, rules = made["reference/commands.md"], made["reference/tables.md"], made["reference/rules.md"]
    for name in ("run", "validate", "sample", "template", "indicators", "history", "runs", "query", "report", "trace", "demo", "serve", "server"):
        assert f"\n## `edustat {name}`\n" in commands
    assert "--allow-incomplete" in commands and "| `EDUSTAT_WAREHOUSE_URL` | str | `sqlite:///edustat.db` |" in commands
    assert "| `run_id` | INTEGER |  | primary key |" in tables and "### `indicator_wide`" in tables
    assert "| security | `guards` | 100 | 1,000 |" in rules  # rules.toml: guards = { unusual = 100, impossible = 1000 }
    assert "| `[limits] max_copied_cells` | 100,000 |" in rules
    assert "| `empty_file` | 文件为空 | the file is empty |" in rules
