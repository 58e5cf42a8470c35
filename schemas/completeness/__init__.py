"""Completeness (contract §3): what a year's input lacks, as issues and as a status per county and table (pure).

Four errors — a configured county with no school (``county_not_reported``), a county with schools
but no row of a school-level table (``table_not_reported``), a counted school without a row it
must have (``row_missing``), a stage row whose classes cannot hold its students
(``inconsistent_class_sizes``); the warning ``no_teachers`` is a check of config/checks.toml. ``--allow-incomplete`` turns the
first three into warnings (``relaxed``). ``county_status`` is what ``reporting_status`` is built from.

``counties`` (the scope) limits the county-level checks and the status to those counties: a
correction holds the rows of the counties it touches only, and the others are not missing.

Three modules: ``status`` works out what is missing (the registry, the missing rows, one status row
per county × table), ``checks`` turns that into issues, ``wording`` says it to people (the run's
line, a region's note, the clerk's checklist).
"""
