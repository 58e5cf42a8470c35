"""The report's completeness notices: at the top, and beside every table that shows an incomplete region (contract §3)."""

from __future__ import annotations

from collections.abc import Iterable

from edustat.report.context import Place, ReportContext

TOP_NOTICE = {
    "zh": "注意：本年度数据不完整，以下数值仅按已报送的县和学校计算，不是最终数。{details}",
    "en": "Notice: this year's data are incomplete; the figures below cover only the counties and schools that reported and are not final. {details}",
}
TABLE_NOTICE = {
    "zh": "数据不完整（不是最终数）：{details}",
    "en": "Incomplete, not final: {details}",
}
SEPARATOR = {"zh": "；", "en": "; "}


def _details(context: ReportContext, places: Iterable[Place]) -> str:
    notes = [f"{place.name}: {context.incomplete[place.code]}" for place in places if place.code in context.incomplete]
    return SEPARATOR[context.lang].join(notes)


def top_notice(context: ReportContext) -> str | None:
    """The notice above the report when the subject region or a compared one is incomplete; None when every region shown is complete."""
    details = _details(context, (context.subject, *context.children))
    return TOP_NOTICE[context.lang].format(details=details) if details else None


def table_notice(context: ReportContext) -> str | None:
    """The notice beside a county table (which shows the subject and every compared region) when one of them is incomplete."""
    details = _details(context, (context.subject, *context.children))
    return TABLE_NOTICE[context.lang].format(details=details) if details else None
