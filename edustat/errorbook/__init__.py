"""The error workbook: every problem listed, and a marked copy of every input file with a problem (the clerk's round trip)."""

from edustat.errorbook.workbook import clear_error_workbook, write_error_workbook

__all__ = ["clear_error_workbook", "write_error_workbook"]
