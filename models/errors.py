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
    "no_solution": (
        "在 [{low}, {high}] 范围内调节“{lever}”无法达到“{indicator}”的目标：{detail}",
        "No value of '{lever}' in [{low}, {high}] meets the target for '{indicator}': {detail}",
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
    "generic": ("{detail}", "{detail}"),
}


class ShapanError(ValueError):
    """Bad input: carries a message code and fields; renders in Chinese or English."""

    def __init__(self, code: str, **fields: Any) -> None:
        if code not in MESSAGES:
            raise KeyError(f"unknown message code {code!r}")
        self.code = code
        self.fields = fields
        super().__init__(self.message("en"))

    def message(self, lang: str = "zh") -> str:
        zh, en = MESSAGES[self.code]
        template = zh if lang == "zh" else en
        try:
            return template.format(**self.fields)
        except (KeyError, ValueError, IndexError):  # a template field missing: still say something useful
            return f"{template} {self.fields}"
