"""Corrections: rerun a loaded year from the files that changed, with the same result as a full run (pure).

The names are loaded on first use (PEP 562): ``plan`` is light, while ``scope`` brings the
validation schemas (Pandera) that only a run needs.
"""

from __future__ import annotations

import importlib
from typing import Any

_MODULE_OF = {
    "CorrectionPlan": "plan",
    "StoredInputs": "plan",
    "changed_paths": "plan",
    "plan_correction": "plan",
    "CheckedCorrection": "scope",
    "CorrectionContext": "scope",
    "carried_warnings": "scope",
    "check_correction": "scope",
    "is_conclusive": "scope",
    "touched_by": "scope",
    "touched_rows": "scope",
    "touched_schools": "scope",
    "validate_correction": "scope",
}

__all__ = sorted(_MODULE_OF)


def __getattr__(name: str) -> Any:
    """Import the submodule that defines ``name`` when it is first asked for."""
    if name not in _MODULE_OF:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f"{__name__}.{_MODULE_OF[name]}"), name)
