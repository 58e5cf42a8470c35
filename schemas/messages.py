"""Every validation message, in Chinese and English, keyed by rule code: one entry per rule.

Templates use ``{field}`` placeholders. ``render`` fills them from Python values (one issue);
``render_exprs`` fills them from columns of a frame (one issue per row), so that thousands of
offending cells get their messages without a Python loop.
"""

from __future__ import annotations

import string
from dataclasses import dataclass

import polars as pl

from schemas.schools import SCHOOLS
from schemas.tables import TABLES, ColumnSpec


@dataclass(frozen=True)
class Message:
    """The Chinese and English template of one rule."""

    zh: str
    en: str


def _col(table: str, column: str) -> ColumnSpec:
    # A message that names one column names it as the table's spec does (its Chinese header, its English name).
    return TABLES[table].column(column)


_STAGE, _OWNERSHIP = _col("enrollment", "stage"), _col("schools", "ownership")
_SCHOOL_CODE, _COUNTY_CODE = _col("schools", "school_code"), _col("schools", "county_code")
_SCHOOL_TYPE, _URBAN_RURAL = _col("schools", "school_type_code"), _col("schools", "urban_rural_code")
_INCLUSIVE = _col("schools", "is_inclusive")

MESSAGES: dict[str, Message] = {
    # --- files (read) ---
    "empty_file": Message("文件为空", "the file is empty"),
    "not_a_workbook": Message(
        "文件不是有效的 xlsx 工作簿（不是 zip 压缩包，可能已损坏或扩展名错误）",
        "the file is not a valid .xlsx workbook (not a zip archive: damaged or wrongly named)",
    ),
    "password_protected": Message(
        "工作簿受密码保护或不是 xlsx 格式，请取消密码后另存为 .xlsx",
        "the workbook is password-protected or not an xlsx; remove the password and save it as .xlsx",
    ),
    "file_too_large": Message(
        "文件解压后共 {size_mb} MB，超过上限 {limit_mb} MB，未读取",
        "the file expands to {size_mb} MB, beyond the limit of {limit_mb} MB; not read",
    ),
    "compression_ratio_too_high": Message(
        "文件压缩比 {ratio} 超过上限 {limit}，未读取",
        "the file's compression ratio {ratio} exceeds the limit of {limit}; not read",
    ),
    "sheet_too_large": Message(
        "工作表声明或使用到第 {rows} 行、第 {columns} 列，超过上限（{max_rows} 行、{max_columns} 列），未读取；请删除远处的空白单元格或格式后另存",
        "the sheet declares or uses up to row {rows} and column {columns}, beyond the limit of {max_rows} rows and {max_columns} columns; not read (delete far-away cells or formatting and save again)",
    ),
    "reader_crashed": Message(
        "读取文件时读取进程意外终止（{detail}），未读取",
        "the process reading the file died ({detail}); not read",
    ),
    "unreadable_file": Message("无法读取文件：{detail}", "the file cannot be read: {detail}"),
    "skipped_file": Message(
        "隐藏文件（名称以 . 开头）或 Office 锁定文件（~$），未读取；如是数据请重命名",
        "not read: a hidden file (its name starts with '.') or an Office lock file (~$); rename it if it holds data",
    ),
    "link_outside_folder": Message(
        "链接指向输入文件夹之外，未读取；请把文件本身（而不是链接）放进文件夹",
        "a link that leads outside the input folder; not read (put the file itself, not a link, in the folder)",
    ),
    "link_in_folder": Message(
        "指向本文件夹内“{target}”的链接，未读取：每个文件只按其本名读取一次",
        "a link to '{target}' in the same folder; not read: each file is read once, under its own name",
    ),
    "internal_error": Message(
        "edustat 读取此文件时发生内部错误（不是文件本身的问题），请将此信息报告给维护者：{detail}",
        "edustat failed internally while reading this file (not a fault of the file); please report this to its maintainers: {detail}",
    ),
    "unreadable_sheet": Message("无法读取工作表：{detail}", "the sheet cannot be read: {detail}"),
    "undecodable_csv": Message(
        "CSV 文件既不是 UTF-8 也不是 GBK/GB18030 编码",
        "the CSV file is neither UTF-8 nor GBK/GB18030 encoded",
    ),
    # --- a bounded list (schemas/bound.py): the problem that stands for a file's further ones of one rule ---
    "more_like_these": Message(
        "另有 {count} 个同类问题（规则 {counted_rule}{where_zh}）未逐一列出：请改正上面列出的问题，并检查同类单元格",
        "and {count} more problems like these (rule {counted_rule}{where_en}), not listed one by one: fix those above and check the cells like them",
    ),
    # --- sheets and headers (normalize) ---
    "unknown_sheet": Message(
        "无法识别的工作表“{sheet}”，已跳过；工作表名应为：{expected}",
        "unknown sheet '{sheet}' skipped; a sheet must be named one of: {expected}",
    ),
    "header_not_found": Message(
        "在前 {rows} 个非空行中未找到{table_zh}表的表头",
        "no header row of table {table} found in the first {rows} non-empty rows",
    ),
    "unknown_column": Message("未知列“{column_header}”，已忽略", "unknown column '{column_header}' ignored"),
    "duplicate_column": Message(
        "列“{column_header}”与第 {first_cell} 列重复，已忽略",
        "column '{column_header}' repeats column {first_cell}; ignored",
    ),
    "missing_column": Message(
        "缺少必填列“{column_zh}”（表头在第 {header_row} 行）",
        "required column {column} ({column_zh}) is missing (header row {header_row})",
    ),
    "missing_value": Message("{column_zh}为空（必填）", "{column} is empty (required)"),
    "invalid_character": Message(
        "{column_zh}“{value}”含有不可见的 NUL 字符（显示为 ␀），请删除后重新提交",
        "{column} '{value}' holds an invisible NUL character (shown as ␀); delete it and resubmit",
    ),
    "not_a_number": Message("{column_zh}“{value}”不是数字", "{column} '{value}' is not a number"),
    "not_integer": Message("{column_zh}“{value}”不是整数", "{column} '{value}' is not a whole number"),
    "bad_code": Message("{column_zh}“{value}”应为 {digits} 位数字", "{column} '{value}' must be {digits} digits"),
    "unknown_stage": Message(
        f"{_STAGE.header_zh}“{{value}}”无法识别，应为：{{expected_zh}}",
        f"unknown {_STAGE.name} '{{value}}'; expected one of: {{expected_en}}",
    ),
    "unknown_ownership": Message(
        f"{_OWNERSHIP.header_zh}“{{value}}”无法识别，应为公办或民办",
        f"unknown {_OWNERSHIP.name} '{{value}}'; expected public or private (公办/民办)",
    ),
    "not_yes_no": Message("{column_zh}“{value}”应为是或否", "{column} '{value}' must be yes or no"),
    "total_mismatch": Message(
        "合计行的{column_zh}为 {value}，但各行之和为 {sum}",
        "the total row's {column} is {value} but the rows sum to {sum}",
    ),
    # --- one table (pandera) ---
    "negative_value": Message("{column_zh}（{value}）不能为负数", "{column} ({value}) must not be negative"),
    "implausible_value": Message(
        "{column_zh}（{value}）超过{per_zh}可能的上限 {limit}{unit_zh}，不可能是真实数据；请检查单位和位数",
        "{column} ({value}) is beyond {limit}, more than {per_en} can have; check the unit and the digits",
    ),
    "unusual_value": Message(
        "{column_zh}（{value}）超过{per_zh}通常的上限 {limit}{unit_zh}，请核实",
        "{column} ({value}) is above {limit}, unusual for {per_en}; please check it",
    ),
    "unknown_school_type": Message(
        f"{_SCHOOL_TYPE.header_zh}“{{value}}”不在代码表中", f"{_SCHOOL_TYPE.name} '{{value}}' is not in the code list"
    ),
    "unknown_urban_rural": Message(
        f"{_URBAN_RURAL.header_zh}“{{value}}”不在代码表中", f"{_URBAN_RURAL.name} '{{value}}' is not in the code list"
    ),
    "inclusive_required": Message(
        f"民办幼儿园必须填写{_INCLUSIVE.header_zh}", f"{_INCLUSIVE.name} is required for a private kindergarten"
    ),
    "schema_error": Message(
        "表结构检查失败：{check}（{value}）", "schema check failed: {check} ({value})"
    ),
    # --- across tables and files (cross_table) ---
    "duplicate_key": Message(
        "{key_zh}“{value}”重复，另见：{others_zh}", "duplicate {key_en} '{value}'; also at: {others_en}"
    ),
    "unknown_school": Message(
        f"{_SCHOOL_CODE.header_zh}“{{value}}”不在{SCHOOLS.sheet_zh}中", f"{_SCHOOL_CODE.name} '{{value}}' is not in the {SCHOOLS.name} table"
    ),
    "stage_not_allowed": Message(
        "办学类型为 {school_type_code} 的学校不能有学段“{stage_zh}”",
        "a school of type {school_type_code} cannot report stage {value}",
    ),
    "unknown_county": Message(
        f"{_COUNTY_CODE.header_zh}“{{value}}”不是本区域配置中的县", f"{_COUNTY_CODE.name} '{{value}}' is not a county of the region configuration"
    ),
    "missing_sheet": Message(
        "输入中没有{table_zh}表（工作表名：{expected}）", "no sheet of table {table} in the input (sheet names: {expected})"
    ),
    "missing_population": Message(
        "{county_name_zh}（{county_code}）有学校但没有人口数据", "county {county_code} ({county_name_en}) has schools but no population row"
    ),
    # --- outliers (contract §3 "Outliers"), warnings ---
    "outlier_previous_year": Message(
        "{column_zh}为 {value}{unit_zh}，上年为 {previous_text}：相差超过 {factor} 倍（预期 {low_text}–{high_text}），请核实单位和位数",
        "{column} is {value}, {previous_text} last year: beyond a factor of {factor} (expected {low_text}–{high_text}); check the unit and the digits",
    ),
    "outlier_previous_year_per_student": Message(
        "{stage_zh}每名学生{column_zh} {measure_text}（{value} / 在校生 {students_text}），上年为 {previous_text}（在校生 {previous_students_text}）："
        "相差超过 {factor} 倍（预期 {low_text}–{high_text}），请核实",
        "{stage_en}{column} per student is {measure_text} ({value} / {students_text} students), {previous_text} last year "
        "({previous_students_text} students): beyond a factor of {factor} (expected {low_text}–{high_text}); please check",
    ),
    "outlier_peers": Message(
        "{stage_zh}每名学生{column_zh} {measure_text}（{value} / 在校生 {students_text}）远离{peers_zh}同类学校（{count_text} 所）的中位数 {median_text}"
        "（预期 {low_text}–{high_text}），请核实单位和位数",
        "{stage_en}{column} per student is {measure_text} ({value} / {students_text} students), far from the median {median_text} of "
        "{count_text} schools of the same {peers_en} and type (expected {low_text}–{high_text}); check the unit and the digits",
    ),
    # --- completeness (contract §3 "Completeness: what is missing is not zero") ---
    "county_not_reported": Message(
        "{county_name_zh}（{county_code}）没有报送：输入中没有该县的任何学校",
        "county {county_code} ({county_name_en}) has not reported: no school of it in the input",
    ),
    "table_not_reported": Message(
        "{county_name_zh}（{county_code}）没有报送{table_zh}表（该县学校在：{files}）",
        "county {county_code} ({county_name_en}) sent no row of table {table} ({table_zh}); its schools are in: {files}",
    ),
    "row_missing": Message(
        "学校 {school_code}（{school_name}）缺少{table_zh}表{stage_part_zh}的数据行（学校名录：{place_zh}）",
        "school {school_code} ({school_name}) has no row in table {table}{stage_part_en} (registry entry: {place_en})",
    ),
    "inconsistent_class_sizes": Message(
        "{stage_zh}在校生 {students} 人、{classes} 个班，平均每班超过 {limit} 人，但{classes_zh}为 0",
        "stage {stage}: {students} students in {classes} classes is more than {limit} a class, but {classes_en} is 0",
    ),
    "students_change": Message(
        "在校生数由上年的 {previous} 变为 {students}，变化 {change_pct}% 超过 {limit_pct}%",
        "students changed from {previous} last year to {students}, by {change_pct}%, beyond {limit_pct}%",
    ),
    # --- the checks file (contract §3 "Checks are data"), refused before any input is read ---
    "checks_refused": Message("{file}：检查 {code}，{key}：{problem_zh}", "{file}: check {code}, {key}: {problem_en}"),
    "check_unreadable_condition": Message(
        "读不懂条件“{condition}”：应写成“表达式 运算符 表达式”（表达式由数值、列和 + - * / 组成），可用 and / or 连接",
        "cannot read the condition '{condition}': write EXPRESSION OP EXPRESSION (numbers, columns, + - * /), joined by and / or",
    ),
    "check_column_of_other_table": Message(
        "列“{value}”属于表 {other}，不属于本检查的表 {table}；请写成 {other}.{value}",
        "column '{value}' belongs to table {other}, not to this check's table {table}; write {other}.{value}",
    ),
    "check_population_other": Message(
        "人口表按县记录，不能与学校的表 {table}、{other} 互相比较", "population is one row per county: it cannot be compared with a school's table ({table}, {other})"
    ),
    "check_no_own_column": Message(
        "条件中没有表 {table} 自己的列：问题应指向哪个单元格？", "the condition reads no column of its own table {table}: which cell would a problem point at?"
    ),
    "check_unknown_placeholder": Message(
        "消息中的占位符 {{{name}}} 既不是列或算式，也不是 {choices} 之一", "the placeholder {{{name}}} is neither a column or expression nor one of {choices}"
    ),
    "check_unreadable_message": Message("消息“{message}”的花括号不成对", "the braces of the message '{message}' do not pair up"),
    "check_template_without_column": Message(
        "写了 columns，但条件中没有 {{column}}", "the entry has columns but its condition has no {{column}}"
    ),
    "check_code_taken": Message("该代码已是 edustat 内置规则的代码", "the code is already that of a built-in rule of edustat"),
    # --- the indicator catalogue (contract §4 "Indicators are data"), refused before any input is read ---
    "catalogue_refused": Message("{file}：指标 {code}，{key}：{problem_zh}", "{file}: indicator {code}, {key}: {problem_en}"),
    "catalogue_invalid": Message("写法不对：{detail}", "not valid: {detail}"),
    "catalogue_limit": Message("{zh}", "{en}"),  # a limit of config.limits, worded there
    "catalogue_duplicate_code": Message("指标代码重复出现", "the code appears twice"),
    "catalogue_unknown_placeholder": Message(
        "用了占位符 {{{name}}}，但该条目没有对应的 stages 或 measures", "uses {{{name}}} but the entry has no stages or measures for it"
    ),
    "catalogue_unknown_unit": Message("未知的单位“{value}”（[units] 中有：{choices}）", "unknown unit '{value}' (those of [units]: {choices})"),
    "catalogue_unknown_measure": Message("未知的均衡指标“{value}”（[measures] 中有：{choices}）", "unknown measure '{value}' (those of [measures]: {choices})"),
    "catalogue_unknown_table": Message("未知的表“{value}”（可用：{choices}）", "unknown table '{value}' (one of {choices})"),
    "catalogue_unknown_column": Message("表 {table} 没有列“{value}”（可用：{choices}）", "table {table} has no column '{value}' (its columns: {choices})"),
    "catalogue_column_of_other_table": Message(
        "列“{value}”属于表 {other}，不属于本项的表 {table}；每一项只能用一张表的列",
        "column '{value}' belongs to table {other}, not to this term's table {table}; a term reads one table",
    ),
    "catalogue_text_sum": Message("列“{value}”不是数值列，不能求和", "column '{value}' is not numeric and cannot be summed"),
    "catalogue_not_numeric": Message("列“{value}”不是数值列，不能比较大小", "column '{value}' is not numeric and cannot be compared"),
    "catalogue_not_yes_no": Message(
        "列“{value}”不是是/否列，应写成“{value} >= 数值”之类的比较", "column '{value}' is not a yes/no column; compare it with a number instead"
    ),
    "catalogue_unknown_operator": Message(
        "条件“{condition}”中的运算符“{operator}”未知（可用：{choices}）", "unknown operator '{operator}' in '{condition}' (one of {choices})"
    ),
    "catalogue_unreadable_condition": Message(
        "读不懂条件“{condition}”：应写成“列 运算符 数值”“列”或“not 列”",
        "cannot read the condition '{condition}': write COLUMN OP NUMBER, COLUMN or not COLUMN",
    ),
    "catalogue_no_stage_column": Message("表 {table} 没有学段，不能按 stages 筛选", "table {table} has no stage to filter by"),
    "catalogue_unknown_stage": Message("未知的学段“{value}”（可用：{choices}）", "unknown stage '{value}' (one of {choices})"),
    "catalogue_unknown_school_type": Message(
        "“{value}”既不是办学类型代码，也不是 rules.toml [school_groups] 中的类别（类别：{choices}）",
        "'{value}' is neither a 办学类型代码 nor a group of rules.toml [school_groups] (groups: {choices})",
    ),
    "catalogue_unknown_area": Message("未知的城乡类别“{value}”（可用：{choices}）", "unknown area '{value}' (one of {choices})"),
    "catalogue_unknown_ownership": Message("未知的举办者类型“{value}”（可用：{choices}）", "unknown ownership '{value}' (one of {choices})"),
    "catalogue_population_filter": Message("人口表只能用 sum，不能按 {value} 筛选", "a population term takes sum only, not {value}"),
    "catalogue_population_count": Message("人口表的项必须写 sum（人口不是学校，不能计数）", "a population term needs a sum (it has no schools to count)"),
    "catalogue_no_numerator": Message("{kind} 类指标必须有 numerator", "an indicator of kind {kind} needs a numerator"),
    "catalogue_no_denominator": Message("比率指标必须有 denominator", "a ratio needs a denominator"),
    "catalogue_extra_denominator": Message("{kind} 类指标只有 numerator，不能有 denominator", "an indicator of kind {kind} has a numerator only, no denominator"),
    "catalogue_count_with_sum": Message("count 类指标计数学校，numerator 不能有 sum", "a count counts schools: its numerator takes no sum"),
    "catalogue_sum_without_sum": Message("sum 类指标的 numerator 必须有 sum", "a sum needs a sum in its numerator"),
    "catalogue_terms_on_builtin": Message(
        "{kind} 类指标由程序内置计算，不能有 numerator 或 denominator", "kind {kind} is built in and takes no numerator or denominator"
    ),
    "catalogue_balance_statistic": Message(
        "均衡指标须写 statistic：cv、cv_pass 或 school_pass_share", "a balance entry names its statistic: cv, cv_pass or school_pass_share"
    ),
    "catalogue_balance_stage": Message(
        "均衡指标的学段“{value}”不在 rules.toml [balance] 中（可用：{choices}）", "balance stage '{value}' is not one of rules.toml [balance] ({choices})"
    ),
    "catalogue_balance_measure": Message(
        "差异系数的指标“{value}”不在 rules.toml [balance] 中（可用：{choices}）", "measure '{value}' is not one of rules.toml [balance] ({choices})"
    ),
    "catalogue_definition_generated": Message(
        "定义由 numerator、denominator（或 base）自动生成，请删除 definition", "the definition is written from the terms (or the base): remove definition"
    ),
}
"""Every rule code → its message templates."""


def stage_choices(stages: dict) -> dict[str, str]:
    """Message fields listing the stages of ``stages`` (rules.stages): expected_zh and expected_en."""
    return {
        "expected_zh": "、".join(info.name_zh for info in stages.values()),
        "expected_en": ", ".join(stages),
    }


def _fields(template: str) -> list[tuple[str, str | None]]:
    return [(literal, field) for literal, field, _, _ in string.Formatter().parse(template)]


def render(rule: str, **fields: object) -> tuple[str, str]:
    """(message_zh, message_en) of one issue of ``rule`` with its placeholders filled from ``fields``."""
    message = MESSAGES[rule]
    return message.zh.format(**fields), message.en.format(**fields)


def _expr(template: str, fields: dict[str, object]) -> pl.Expr:
    parts: list[pl.Expr] = []
    for literal, field in _fields(template):
        if literal:
            parts.append(pl.lit(literal, dtype=pl.String))
        if field is None:
            continue
        value = fields.get(field, pl.col(field))
        expr = value if isinstance(value, pl.Expr) else pl.lit(str(value), dtype=pl.String)
        parts.append(expr.cast(pl.String).fill_null(""))
    return pl.concat_str(parts) if parts else pl.lit("", dtype=pl.String)


def render_exprs(rule: str, **fields: object) -> tuple[pl.Expr, pl.Expr]:
    """(message_zh, message_en) expressions of ``rule``: one message per row of the frame they run on.

    A placeholder takes the value given in ``fields`` (an expression or a constant); otherwise the
    frame's column of the same name.
    """
    message = MESSAGES[rule]
    return _expr(message.zh, fields).alias("message_zh"), _expr(message.en, fields).alias("message_en")
