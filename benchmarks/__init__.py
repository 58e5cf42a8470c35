"""edustat's scale benchmark: `uv run python -m benchmarks --schools N --json OUT.json` (see benchmarks/README.md)."""
