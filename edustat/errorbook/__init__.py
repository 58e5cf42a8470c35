"""The error workbook: every problem listed, every offending sheet copied with its problem cells marked."""

from edustat.errorbook.workbook import write_error_workbook

__all__ = ["write_error_workbook"]
