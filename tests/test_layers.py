"""The layers of docs/explanation/architecture.md hold: each folder imports only the folders it may, every file in tasks/
defines a task, and the provenance columns are written out once."""

from __future__ import annotations

import ast
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
PROJECT = ("config", "schemas", "edustat", "warehouse", "runtime", "tasks", "flows")

MAY_IMPORT: dict[str, set[str]] = {
    "runtime": set(),
    "config": set(),
    "schemas": {"config"},
    "edustat": {"config", "schemas", "runtime"},
    "warehouse": {"config", "schemas"},
}
"""The project folders each lower layer may import besides itself (edustat/cli/, tasks/ and flows/ may import all)."""


def project_imports(path: Path) -> list[tuple[int, str]]:
    """(line, top-level project package) of every import in the Python file ``path``, in functions too."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module]
        elif isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        else:
            continue
        found += [(node.lineno, name.split(".")[0]) for name in names if name.split(".")[0] in PROJECT]
    return found


def crossings(root: Path) -> list[str]:
    """Every import below ``root`` that goes against MAY_IMPORT, as 'file:line imports package'."""
    wrong = []
    for layer, allowed in MAY_IMPORT.items():
        for path in sorted((root / layer).rglob("*.py")):
            if layer == "edustat" and "cli" in path.relative_to(root / layer).parts[:1]:
                continue
            wrong += [
                f"{path.relative_to(root)}:{line} imports {package}"
                for line, package in project_imports(path)
                if package != layer and package not in allowed
            ]
    return wrong


def test_each_layer_imports_only_the_layers_below_it() -> None:
    assert crossings(REPO) == []


def test_the_check_finds_an_import_against_the_layers(tmp_path: Path) -> None:
    (tmp_path / "warehouse").mkdir()
    (tmp_path / "warehouse" / "load.py").write_text("from schemas.tables import TABLES\n\ndef f():\n    import edustat.words\n")
    (tmp_path / "config").mkdir()
    (tmp_path / "config" / "rules.py").write_text("import json\nfrom schemas import tables\n")
    (tmp_path / "edustat" / "cli").mkdir(parents=True)
    (tmp_path / "edustat" / "cli" / "app.py").write_text("from flows.yearly import yearly_flow\n")
    assert crossings(tmp_path) == ["config/rules.py:2 imports schemas", "warehouse/load.py:4 imports edustat"]


def _defines_a_task(path: Path) -> bool:
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.FunctionDef):
            for decorator in node.decorator_list:
                target = decorator.func if isinstance(decorator, ast.Call) else decorator
                if isinstance(target, ast.Name) and target.id in {"task", "uncached_task"}:
                    return True
    return False


def test_every_file_in_tasks_defines_a_task() -> None:
    files = [path for path in sorted((REPO / "tasks").glob("*.py")) if path.name != "__init__.py"]
    assert files and [path.name for path in files if not _defines_a_task(path)] == []


def test_the_provenance_columns_are_written_out_once() -> None:
    written = [
        str(path.relative_to(REPO))
        for package in PROJECT
        for path in sorted((REPO / package).rglob("*.py"))
        if '"source_file", "source_sheet", "source_row"' in path.read_text(encoding="utf-8")
    ]
    assert written == ["schemas/spec.py"]
