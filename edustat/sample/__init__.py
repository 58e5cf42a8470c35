"""`edustat sample`: realistic, deterministic sample spreadsheets for a region tree (临夏州 by default).

Generation (pure, returns Polars frames) is kept apart from the writers (the I/O edge):
``generate_year`` gives one year's tables, ``write_sample`` writes every year asked, each county
shaped the way real counties send their workbooks.
"""

from edustat.sample.generate import generate_year
from edustat.sample.profile import REPORT_REGION_CODE, REPORT_YEAR
from edustat.sample.write import write_sample

__all__ = ["REPORT_REGION_CODE", "REPORT_YEAR", "generate_year", "write_sample"]
