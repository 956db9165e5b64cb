"""The one error type Shapan raises for bad input, with messages in Chinese and English.

Every message names what was wrong (file, row, column or key) and, where it applies, the allowed
range. The UI shows ``err.message(lang)``; the CLI prints it to stderr and exits non-zero.
"""

from __future__ import annotations

from typing import Any

# code -> (Chinese template, English template). Templates use str.format fields.
MESSAGES: dict[str, tuple[str, str]] = {
    "file_missing": ("找不到文件 {file}", "File not found: {file}"),
    "file_empty": ("文件 {file} 是空的", "File {file} is empty"),
    "file_too_large": (
        "文件 {file} 太大（{size_mb:.1f} MB），上限为 {limit_mb} MB",
        "File {file} is too large ({size_mb:.1f} MB); the limit is {limit_mb} MB",
    ),
    "encoding": (
        "文件 {file} 无法解码（支持 UTF-8、带BOM的UTF-8、GBK）",
        "File {file} cannot be decoded (UTF-8, UTF-8 with BOM or GBK expected)",
    ),
    "toml_syntax": ("文件 {file} 不是有效的TOML：{detail}", "File {file} is not valid TOML: {detail}"),
    "csv_syntax": ("文件 {file} 不是有效的CSV：{detail}", "File {file} is not valid CSV: {detail}"),
    "missing_columns": (
        "文件 {file} 缺少列：{columns}",
        "File {file} is missing columns: {columns}",
    ),
    "unknown_columns": (
        "文件 {file} 有未知列：{columns}",
        "File {file} has unknown columns: {columns}",
    ),
    "bad_value": (
        "文件 {file} 第{row}行 列“{column}”的值“{value}”无效：{reason}",
        "File {file} row {row} column '{column}': invalid value '{value}': {reason}",
    ),
    "bad_cell": (
        "工作簿 {file} 工作表“{sheet}”第{row}行 {column}列（{field}）的值“{value}”无效：{reason}",
        "Workbook {file}, sheet '{sheet}', row {row}, column {column} ({field}): invalid value '{value}': {reason}",
    ),
    "sheet_missing": (
        "工作簿 {file} 缺少工作表“{sheet}”（请使用 Shapan 导出的模板）",
        "Workbook {file} has no sheet '{sheet}' (use the template Shapan exports)",
    ),
    "sheet_layout": (
        "工作簿 {file} 工作表“{sheet}”第{row}行应为列代码行，缺少：{columns}",
        "Workbook {file}, sheet '{sheet}', row {row} should hold the column keys; missing: {columns}",
    ),
    "too_many_rows": (
        "工作簿 {file} 工作表“{sheet}”有 {rows} 行，上限为 {limit} 行",
        "Workbook {file}, sheet '{sheet}' has {rows} rows; the limit is {limit}",
    ),
    "duplicate_row": (
        "文件 {file} 第{row}行与第{other}行重复（{key}）",
        "File {file} row {row} duplicates row {other} ({key})",
    ),
    "unknown_source": (
        "文件 {file} 第{row}行引用了未登记的来源“{source}”",
        "File {file} row {row} cites unknown source '{source}'",
    ),
    "unknown_key": (
        "{file} 中有未知参数“{key}”（允许：{allowed}）",
        "{file}: unknown key '{key}' (allowed: {allowed})",
    ),
    "missing_key": ("{file} 缺少必填参数“{key}”", "{file}: required key '{key}' is missing"),
    "bad_basis": (
        "{file} 参数“{key}”的值“{value}”无效：年龄表的人口口径应为 户籍 或 常住",
        "{file}: '{key}' = '{value}' is not a population basis: use 户籍 (registered) or 常住 (resident)",
    ),
    "basis_without_table": (
        "{file} 写了年龄表口径“{key}”，但没有年龄表 [population.age_table]",
        "{file}: '{key}' is given but there is no age table [population.age_table]",
    ),
    "wrong_type": (
        "{file} 参数“{key}”类型错误：应为{expected}，实际为“{value}”",
        "{file}: key '{key}' has the wrong type: expected {expected}, got '{value}'",
    ),
    "out_of_range": (
        "{file} 参数“{key}”={value} 超出允许范围 [{min}, {max}]",
        "{file}: key '{key}' = {value} is outside the allowed range [{min}, {max}]",
    ),
    "unknown_district": (
        "未知区县“{district}”（可选：{allowed}）",
        "Unknown district '{district}' (choose from: {allowed})",
    ),
    "unknown_indicator": (
        "未知指标“{indicator}”（可选：{allowed}）",
        "Unknown indicator '{indicator}' (choose from: {allowed})",
    ),
    "unknown_lever": (
        "未知调节参数“{lever}”（可选：{allowed}）",
        "Unknown lever '{lever}' (choose from: {allowed})",
    ),
    "no_solution": (  # labels, not ids (issue 13): lever_zh/en, indicator_zh/en
        "在 [{low}, {high}] 范围内调节“{lever_zh}”无法使“{indicator_zh}”达到目标：{detail}",
        "No value of '{lever_en}' in [{low}, {high}] meets the target for '{indicator_en}': {detail}",
    ),
    "not_modelled": (
        "指标“{indicator}”没有模型预测，无法求解",
        "Indicator '{indicator}' is not projected by a model; nothing to solve",
    ),
    "bad_name": (
        "方案名称“{name}”无效：只能使用中文、字母、数字、下划线和连字符，最长{limit}个字符",
        "Invalid scenario name '{name}': use Chinese characters, letters, digits, _ or -, at most {limit}",
    ),
    "preset_protected": (
        "“{name}”是预设方案，不能覆盖；请换一个名称",
        "'{name}' is a preset and cannot be overwritten; choose another name",
    ),
    "over_limit": (
        "{file} 太大（{size}），上限为 {limit}",
        "{file} is too large ({size}); the limit is {limit}",
    ),
    "table_rows": (
        "文件 {file} 有 {size} 行数据，上限为 {limit} 行",
        "File {file} has {size} data rows; the limit is {limit}",
    ),
    "table_columns": (
        "文件 {file} 第{row}行有 {size} 列，上限为 {limit} 列",
        "File {file} row {row} has {size} columns; the limit is {limit}",
    ),
    "toml_limit": (
        "文件 {file} 第{line}行：{what_zh}（{size}）超过上限 {limit}，未解析",
        "File {file} line {line}: {what_en} ({size}) exceeds the limit of {limit}; not parsed",
    ),
    "parse_failed": (
        "文件 {file} 无法解析（{detail}）",
        "File {file} could not be parsed ({detail})",
    ),
    "file_unreadable": ("无法读取文件 {file}：{reason}", "Cannot read file {file}: {reason}"),
    "file_is_dir": ("{file} 是文件夹，不是文件", "{file} is a folder, not a file"),
    "cannot_write": ("无法写入 {file}：{reason}", "Cannot write {file}: {reason}"),
    "des_budget": (
        "仿真工作量过大：估计约 {estimate} 个事件（{replications} 次重复），上限为 {limit}；"
        "请减少重复次数，或检查入住率、平均入住时长等参数",
        "Simulation too large: about {estimate} events estimated ({replications} replications), the limit "
        "is {limit}; run fewer replications or check the institutionalisation rate and length of stay",
    ),
    "share_too_long": (
        "方案太大，无法生成分享链接（{size}，上限 {limit}）；请下载TOML文件分享",
        "The scenario is too large for a share link ({size}; limit {limit}); share the TOML file instead",
    ),
    "share_bad": ("分享链接 {file} 无效（{detail}）", "The share link {file} is not valid ({detail})"),
    "generic": ("{detail}", "{detail}"),
}
# fields that are ours (lists of allowed values, rule texts): never shortened
_OWN_FIELDS = frozenset({"allowed", "reason", "what_zh", "what_en", "expected", "limit", "limit_mb", "size"})


MESSAGE_CHARS = 120  # a value that came from the input is cut to this many characters in a message


def shorten(value: object, limit: int = MESSAGE_CHARS) -> str:
    """``str(value)`` cut to ``limit`` characters, saying how long it was, so a message never repeats a
    huge input: ``'aaaa…(+4,194,300 字符/chars)'``."""
    text = value if isinstance(value, str) else _safe_str(value)
    if len(text) <= limit:
        return text
    return f"{text[:limit]}…(+{len(text) - limit:,} 字符/chars)"


def _safe_str(value: object) -> str:
    if isinstance(value, int) and not isinstance(value, bool) and value.bit_length() > 4000:
        return f"<{value.bit_length()}-bit integer>"  # str() of a huge int raises ValueError
    try:
        return str(value)
    except (ValueError, RecursionError, MemoryError):
        return f"<{type(value).__name__}>"


def _small_number(value: Any) -> bool:
    """A number printed as it is (format specs such as ``{size_mb:.1f}`` need it to stay a number)."""
    return isinstance(value, float) or (isinstance(value, int) and value.bit_length() <= 128)


class ShapanError(ValueError):
    """Bad input: carries a message code and fields; renders in Chinese or English."""

    def __init__(self, code: str, **fields: Any) -> None:
        if code not in MESSAGES:
            raise KeyError(f"unknown message code {code!r}")
        self.code = code
        self.fields = fields
        super().__init__(self.message("en"))

    def message(self, lang: str = "zh") -> str:
        """The message in ``lang``; values that came from the input are shortened (see
        :func:`models.limits.shorten`), so a huge input never makes a huge message."""
        zh, en = MESSAGES[self.code]
        template = zh if lang == "zh" else en
        fields = {k: v if k in _OWN_FIELDS or _small_number(v) else shorten(v) for k, v in self.fields.items()}
        try:
            return template.format(**fields)
        except (KeyError, ValueError, IndexError):  # a template field missing: still say something useful
            return f"{template} {fields}"
