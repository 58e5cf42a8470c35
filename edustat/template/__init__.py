"""The blank workbook a county fills in: contract sheets and headers, drop-down lists and number checks."""

from edustat.template.columns import header_text
from edustat.template.workbook import write_template

__all__ = ["header_text", "write_template"]
