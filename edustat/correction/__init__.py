"""Corrections: rerun a loaded year from the files that changed, with the same result as a full run (pure)."""

from edustat.correction.plan import CorrectionPlan, StoredInputs, changed_paths, plan_correction
from edustat.correction.scope import (
    CheckedCorrection,
    CorrectionContext,
    carried_warnings,
    check_correction,
    is_conclusive,
    touched_by,
    touched_rows,
    touched_schools,
    validate_correction,
)

__all__ = [
    "CheckedCorrection",
    "CorrectionContext",
    "check_correction",
    "touched_schools",
    "CorrectionPlan",
    "StoredInputs",
    "changed_paths",
    "carried_warnings",
    "is_conclusive",
    "plan_correction",
    "touched_by",
    "touched_rows",
    "validate_correction",
]
