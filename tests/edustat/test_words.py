"""Words for users: English plurals, the closest codes to a mistyped one, and a correction's message naming removed files as removed."""

from __future__ import annotations

import polars as pl

from edustat.correction.plan import StoredInputs, plan_correction
from edustat.words import closest_codes
from schemas.words import plural
from warehouse.replacement import Replacement, correction_note


def test_plural_says_one_error_and_two_errors() -> None:
    assert [plural(n, "error") for n in (0, 1, 2)] == ["0 errors", "1 error", "2 errors"]
    assert [plural(n, "county") for n in (1, 3)] == ["1 county", "3 counties"]
    assert plural(2, "day") == "2 days"  # a vowel before the y: no -ies


def test_closest_codes_of_a_transposed_code() -> None:
    known = ["preschool_ger", "senior_ger", "preschool_public_share", "video_rate"]
    assert closest_codes("preschool_gre", known)[0] == "preschool_ger"
    assert closest_codes("zzz", known) == []


def test_a_gone_file_is_planned_and_said_as_removed() -> None:
    stored = StoredInputs(
        run_id=3,
        config_digest="d",
        files=pl.DataFrame({"source_file": [f"{i}.xlsx" for i in range(10)], "sha256": [str(i) for i in range(10)]}),
    )
    # 0.xlsx edited, 9.xlsx gone: two of ten files changed, one of them removed.
    inputs = pl.DataFrame({"source_file": [f"{i}.xlsx" for i in range(9)], "sha256": ["new", *(str(i) for i in range(1, 9))]})
    plan = plan_correction(inputs, stored, "d")
    assert (plan.changed_files, plan.removed_files) == (("0.xlsx", "9.xlsx"), ("9.xlsx",))
    note = correction_note(Replacement(changed_files=plan.changed_files, counties=("622901",), base_run_id=3, removed_files=plan.removed_files))
    assert note == "correction of run 3: 1 changed file read again (0.xlsx), 1 file removed (9.xlsx), 1 county recomputed"
