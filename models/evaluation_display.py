"""Display tables of the 期末评估 / 十五五 / both-plans views in the reader's language (pure; the pages print).

Every table here keeps stable column ids (the page turns them into headers through its locale files) and
prints its cells as the plans do: values rounded to the unit (whole people and beds, whole yuan for
standards, one decimal for %, 万元 and densities, two for ratios — the dimension in ``data/units.csv``),
comparators as ≥ / ≤, units in the reader's language (``data/units.csv`` label_en), binding words,
statuses and results as words, sources through :func:`models.evaluation_words.source_text`. No internal
id reaches a cell. ``text=True`` gives strings (missing = "—"), for the screen; ``text=False`` gives the
same cells with numbers left as rounded numbers, for the CSV/xlsx downloads.
"""

from __future__ import annotations

import math
from typing import Any

import pandas as pd

from models import charts, labels
from models import evaluation_words as ew
from models.views import fmt as vf

SYMBOLS = {">=": "≥", "<=": "≤", "=": "=", ">": ">", "<": "<"}
WORDS: dict[str, tuple[str, str]] = {
    "text_target": ("文字目标", "text target"),
    "sync": ("同步", "in step"),
    "bt_met": ("达成", "Met"),  # the page's retrospective.met / .missed words
    "bt_missed": ("未达成", "Missed"),
    "kind_actual": ("实际值", "actual"),
    "kind_derived": ("由实际值推算", "derived from actuals"),
    "kind_projected": ("按2020年预测", "projected from 2020"),
    "basis_trend": ("趋势", "trend"),
    "basis_carried": ("十四五目标顺延", "14th target carried forward"),
    "basis_norm": ("国家/省级标准", "national norm"),
    "basis_user": ("用户设定", "set by the planner"),
}
MISSING = "—"
HEADERS: dict[str, tuple[str, str]] = {  # column headers of documents built in models/ (zh, en)
    "label": ("指标", "Indicator"), "year": ("年份", "Year"), "target": ("目标", "Target"),
    "actual": ("实际值", "Actual"), "result": ("评估结果", "Result"), "margin": ("超出(+)/差距(−)", "Margin"),
    "forecast_2020": ("2020年预测", "2020 forecast"), "band": ("2020年预测区间", "2020 forecast band"),
    "status_then": ("规划时状态", "Status at plan time"), "unit": ("单位", "Unit"), "binding": ("属性", "Binding"),
    "actual_source": ("实际值来源", "Source of the actual"), "locator": ("出处", "Locator"),
    "target_14": ("十四五目标", "14th target"), "result_14": ("完成情况", "Result"),
    "margin_14": ("超出/差距", "Margin"), "target_15": ("2030年目标（草案）", "2030 target (draft)"),
    "step": ("目标变化", "Change"), "status_15": ("状态", "Status"), "probability_15": ("达标概率", "P(met)"),
    "cost": ("新增支出（万元）", "Added cost (10k yuan)"), "basis_15": ("依据", "Basis"),
    "base": ("基期值", "Base"), "projected": ("2030年基线预测", "2030 baseline"), "status": ("状态", "Status"),
    "probability": ("达标概率", "P(met)"), "required_growth": ("所需年均增速（%）", "Required growth (%/yr)"),
    "decided_by": ("决定者", "Decided by"), "reason": ("依据", "Reason"), "reference": ("出处", "Cited document"),
}


def word(key: str, lang: str) -> str:
    return WORDS[key][0 if lang == "zh" else 1]


def _missing(value: Any) -> bool:
    return vf.is_missing(value)


def decimals(unit: str, ds: Any) -> int:
    """The unit's decimals (:func:`models.views.fmt.decimals` over ``ds.units``)."""
    return vf.decimals(unit, ds.units)


def unit_text(unit: Any, lang: str, ds: Any) -> str:
    """The unit as the reader's language prints it (``%`` stays ``%``)."""
    if not isinstance(unit, str) or not unit or lang == "zh" or unit in ("%", "‰", "×"):
        return unit if isinstance(unit, str) else ""
    rows = ds.units[ds.units["unit"] == unit]
    return str(rows.iloc[0]["label_en"]) if len(rows) else unit


def rounded(value: Any, unit: str, ds: Any) -> float:
    """``value`` rounded to the unit's decimals (NaN when missing; never −0)."""
    return vf.rounded(value, decimals(unit, ds))


def number(value: Any, unit: str, ds: Any, signed: bool = False) -> str:
    """A value in its unit's decimals with thousands separators ("—" when missing)."""
    return vf.number(value, decimals(unit, ds), signed=signed)


def target_text(comparator: Any, target: Any, unit: str, lang: str, ds: Any) -> str:
    """``≥1,500`` / ``≤30.0``; a target without a number as "同步" or "文字目标"."""
    if not isinstance(comparator, str) or not comparator:
        return MISSING
    if comparator == "sync":
        return word("sync", lang)
    if _missing(target):
        return word("text_target", lang)
    return SYMBOLS.get(comparator, comparator) + number(target, unit, ds)


def binding_text(binding: Any, lang: str) -> str:
    return labels.label("binding", binding, lang) if binding in ("约束性", "预期性") else ""


def _cells(values: dict[str, list[Any]], units: list[str], numeric: dict[str, bool], ds: Any,
           text: bool) -> pd.DataFrame:
    """Round the numeric columns to each row's unit; as strings when ``text`` (``numeric`` → signed?)."""
    out = {}
    for column, cells in values.items():
        if column in numeric:
            signed = numeric[column]
            out[column] = [number(v, u, ds, signed) if text else rounded(v, u, ds)
                           for v, u in zip(cells, units, strict=True)]
        else:
            out[column] = cells
    return pd.DataFrame(out)


def evaluation_rows(frame: pd.DataFrame, ds: Any, lang: str, text: bool = True) -> pd.DataFrame:
    """The evaluation table (:func:`models.evaluation.evaluate_term`) for display or download."""
    units = frame["unit"].tolist()
    band = [MISSING if _missing(lo) else f"{number(lo, u, ds)} – {number(hi, u, ds)}"
            for lo, hi, u in zip(frame["forecast_p10"], frame["forecast_p90"], units, strict=True)]
    values = {
        "label": [ew.label(ds, i, lang) for i in frame["indicator"]],
        "year": frame["year"].astype(int).tolist(),
        "target": [target_text(c, v, u, lang, ds) for c, v, u in zip(frame["comparator"], frame["target"], units,
                                                                       strict=True)],
        "actual": frame["actual"].tolist(),
        "result": [labels.label("result", s, lang) for s in frame["status"]],
        "margin": frame["margin"].tolist(),
        "forecast_2020": frame["forecast_2020"].tolist(),
        "band": band,
        "status_then": [charts.status_label(s, lang) for s in frame["status_at_plan_time"]],
        "unit": [unit_text(u, lang, ds) for u in units],
        "binding": [binding_text(b, lang) for b in frame["binding"]],
        "actual_source": [ew.source_text(s, ds, lang) for s in frame["actual_source"]],
        "locator": frame["locator"].fillna("").tolist(),
    }
    return _cells(values, units, {"actual": False, "margin": True, "forecast_2020": False}, ds, text)


def backtest_rows(bt: pd.DataFrame, ds: Any, lang: str, text: bool = True) -> pd.DataFrame:
    """The met / missed table (:func:`models.backtest.backtest`) for display or download."""
    units = bt["unit"].tolist()
    values = {
        "label": [ew.label(ds, i, lang) for i in bt["indicator"]],
        "year": bt["year"].astype(int).tolist(),
        "target": [target_text(c, v, u, lang, ds) for c, v, u in zip(bt["comparator"], bt["target"], units,
                                                                       strict=True)],
        "actual": bt["actual"].tolist(),
        "result": [word("bt_met" if m else "bt_missed", lang) for m in bt["met"]],
        "shortfall": bt["shortfall"].tolist(),
        "unit": [unit_text(u, lang, ds) for u in units],
        "binding": [binding_text(b, lang) for b in bt["binding"]],
        "locator": bt["locator"].fillna("").tolist(),
        "actual_source": [ew.source_text(s, ds, lang) for s in bt["actual_source"]],
    }
    return _cells(values, units, {"actual": False, "shortfall": False}, ds, text)


def bases_rows(bases: pd.DataFrame, ds: Any, lang: str, text: bool = True) -> pd.DataFrame:
    """The rebased baseline's base figures (:attr:`models.rebase.Rebased.bases`)."""
    units = [ds.meta_of(i, "unit", "") or ("元/人·月" if i.endswith("_standard") else "") for i in bases["indicator"]]
    values = {
        "label": [ew.label(ds, i, lang) for i in bases["indicator"]],
        "year": bases["year"].astype(int).tolist(),
        "value": bases["value"].tolist(),
        "unit": [unit_text(u, lang, ds) for u in units],
        "kind": [word(f"kind_{k}", lang) for k in bases["kind"]],
        "source": [ew.source_text(s, ds, lang) for s in bases["source"]],
    }
    return _cells(values, units, {"value": False}, ds, text)


def _percent(p: Any, text: bool) -> Any:
    if _missing(p):
        return MISSING if text else math.nan
    return f"{round(float(p) * 100):d}%" if text else round(float(p), 3)


def _reference(ds: Any, source: Any, locator: Any) -> str:
    """The document a reason cites: its title and locator (a reference, printed as the document has it)."""
    if not isinstance(source, str) or not source:
        return ""
    title = ds.sources.get(source, {}).get("title", "")
    return " · ".join(p for p in (title, locator if isinstance(locator, str) else "") if p)


def draft_rows(table: pd.DataFrame, ds: Any, lang: str, text: bool = True) -> pd.DataFrame:
    """The 2030 draft table (:func:`models.draft.draft`) for display or download."""
    units = table["unit"].tolist()
    suffix = "zh" if lang == "zh" else "en"
    cost = [math.nan if _missing(c) else float(c) for c in table["cost_2026_2030"]]
    values = {
        "label": [ew.label(ds, i, lang) for i in table["indicator"]],
        "target": [target_text(c, v, u, lang, ds) for c, v, u in zip(table["comparator"], table["target"], units,
                                                                       strict=True)],
        "base": table["base_value"].tolist(),
        "projected": table["projected"].tolist(),
        "status": [charts.status_label(s, lang) for s in table["status"]],
        "probability": [_percent(p, text) for p in table["probability"]],
        "required_growth": [MISSING if _missing(g) else f"{g:+.1f}" for g in table["required_growth"]] if text
        else [round(g, 1) if not _missing(g) else math.nan for g in table["required_growth"]],
        "cost": [number(c, "万元", ds) for c in cost] if text else [rounded(c, "万元", ds) for c in cost],
        "decided_by": table[f"decided_by_{suffix}"].tolist(),
        "reason": table[f"reason_{suffix}"].tolist(),
        "reference": [_reference(ds, s, loc) for s, loc in zip(table["reason_source"], table["reason_locator"],
                                                               strict=True)],
        "unit": [unit_text(u, lang, ds) for u in units],
    }
    return _cells(values, units, {"base": False, "projected": False}, ds, text)


def plans_rows(frame: pd.DataFrame, ds: Any, lang: str, text: bool = True) -> pd.DataFrame:
    """Both plans side by side (:func:`models.plans_compare.side_by_side`) for display or download."""
    units = frame["unit"].tolist()
    cost = [math.nan if _missing(c) else float(c) for c in frame["cost_2026_2030"]]
    values = {
        "label": [ew.label(ds, i, lang) for i in frame["indicator"]],
        "binding": [binding_text(b, lang) for b in frame["binding"]],
        "target_14": [target_text(c, v, u, lang, ds) for c, v, u in
                      zip(frame["comparator_14"], frame["target_14"], units, strict=True)],
        "actual": frame["actual"].tolist(),
        "result_14": [labels.label("result", s, lang) if s else MISSING for s in frame["status_14"]],
        "margin_14": frame["margin_14"].tolist(),
        "target_15": [target_text(c, v, u, lang, ds) for c, v, u in
                      zip(frame["comparator_15"], frame["target_15"], units, strict=True)],
        "step": frame["step"].tolist(),
        "status_15": [charts.status_label(s, lang) if s else MISSING for s in frame["status_15"]],
        "probability_15": [_percent(p, text) for p in frame["probability_15"]],
        "cost": [number(c, "万元", ds) for c in cost] if text else [rounded(c, "万元", ds) for c in cost],
        "basis_15": [word(f"basis_{b}", lang) if b else MISSING for b in frame["basis_15"]],
        "unit": [unit_text(u, lang, ds) for u in units],
    }
    return _cells(values, units, {"actual": False, "margin_14": True, "step": True}, ds, text)


def with_headers(frame: pd.DataFrame, lang: str) -> pd.DataFrame:
    """A display table with :data:`HEADERS` in ``lang`` (for files built in models/)."""
    i = 0 if lang == "zh" else 1
    return frame.rename(columns={c: HEADERS[c][i] for c in frame.columns if c in HEADERS})
