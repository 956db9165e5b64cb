"""The 期末评估 section of the report pack: an evaluation table turned into text and tables in the order a
评估报告 uses — 总体评价 (overall judgement), 目标完成情况 (targets achieved), 未完成目标及原因 (targets missed,
each with the reason left for the bureau to fill in), 经验与启示 (lessons) — plus what still lacks data.

The section is a flat list of :class:`SectionBlock` (h1 / h2 / p / numbered / note / table), so any report
renderer (PDF, Word, HTML, xlsx) can walk it; tables are pandas frames with display columns already in the
chosen language. Numbers are not computed here beyond counting: they come from
:func:`models.evaluation.evaluate_term`.

Overall judgement (a wording convention, stated in the text so the reader can check it): every scored
target achieved → 全面完成; every binding (约束性) target with an actual achieved and at least 80 % of the
scored targets achieved → 基本完成; otherwise → 部分完成, naming the binding targets missed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from models import charts, labels
from models import evaluation as ev
from models import evaluation_display as ed
from models import evaluation_words as ew
from models.data import Dataset

NAME_LIMIT = 8  # indicators named in one sentence before "等N项"
GOOD_SHARE = 0.8  # share of scored targets achieved for 基本完成 (wording convention, see docstring)
FILL_IN = ("【待填写】", "[to be filled in]")
TEXT: dict[str, tuple[str, str]] = {
    "h1": ("十四五规划期末评估", "End-of-term evaluation of the 14th plan"),
    "h_overall": ("（一）总体评价", "1. Overall judgement"),
    "h_met": ("（二）目标完成情况", "2. Targets achieved"),
    "h_missed": ("（三）未完成目标及原因分析", "3. Targets missed and why"),
    "h_lessons": ("（四）经验与启示", "4. Lessons"),
    "h_open": ("（五）待补充数据或需人工判断的目标", "5. Targets still without data or needing judgement"),
    "overall": (
        "规划期（2021–{end}年）共设定{n}项目标。已取得实际数据并可量化评价的{scored}项中，完成{achieved}项、"
        "未完成{missed}项（完成率{share}）；约束性指标完成{b_ok}项、未完成{b_miss}项。另有{no_actual}项尚无实际数据，"
        "{judge}项为文字表述目标需人工判断。",
        "The plan period (2021–{end}) set {n} targets. Of the {scored} with an actual that can be scored, {achieved} "
        "were achieved and {missed} missed ({share}); binding targets: {b_ok} achieved, {b_miss} missed. {no_actual} "
        "have no actual yet and {judge} are text targets that need a judgement.",
    ),
    "verdict_full": ("总体评价：规划目标全面完成。", "Overall: every scored target was achieved."),
    "verdict_basic": (
        "总体评价：规划主要目标基本完成（约束性指标全部完成，完成率不低于{good}）。",
        "Overall: the plan's main targets were broadly achieved (all binding targets met, at least {good} achieved).",
    ),
    "verdict_partial": (
        "总体评价：规划目标部分完成（完成率{share}；基本完成须约束性指标全部完成且完成率不低于{good}）。{binding}",
        "Overall: the plan's targets were partly achieved ({share}; 'broadly achieved' needs every binding target "
        "met and at least {good}). {binding}",
    ),
    "binding_missed": ("未完成的约束性指标：{names}。", "Binding targets missed: {names}."),
    "verdict_none": (
        "尚无可量化评价的实际数据，暂不作总体评价。", "No actual can be scored yet: no overall judgement."
    ),
    "none_met": ("无已完成的可量化目标。", "No scored target was achieved."),
    "none_missed": ("可量化目标均已完成。", "Every scored target was achieved."),
    "missed_line": (
        "{label}：目标{target}，实际{actual}，差距{margin}{unit}。2020年规划时的预测为{forecast}，"
        "规划时状态为“{then}”。原因：{fill}",
        "{label}: target {target}, actual {actual}, short by {margin}{unit}. The forecast made in 2020 was "
        "{forecast}; status at plan time: {then}. Reason: {fill}",
    ),
    "lesson_band": (
        "有2020年预测区间的{n}项中，实际值落在P10–P90区间内的{inside}项；区间之外的：{outside}。",
        "Of {n} targets with a 2020 forecast band, the actual fell inside P10–P90 for {inside}; outside: {outside}.",
    ),
    "lesson_warned": (
        "规划时已提示风险（有风险/难实现）的{warned}项中，最终未完成{warned_missed}项；规划时判断可实现但最终未完成的"
        "{surprise}项：{names}，需复盘当时的假设。",
        "Of {warned} targets flagged at plan time (at risk / off track), {warned_missed} were missed; {surprise} "
        "judged reachable at plan time were missed: {names} — review the assumptions made then.",
    ),
    "lesson_data": (
        "{n}项目标缺少实际数据，建议在十五五规划中明确统计口径和责任单位：{names}。",
        "{n} targets have no actual; the 15th plan should name the statistic and who reports it: {names}.",
    ),
    "lesson_own": ("本单位总结的经验与不足：{fill}", "The bureau's own lessons: {fill}"),
    "note_margin": (
        "差距/超出以目标单位计（百分比指标为百分点）；正数为超出目标，负数为差距。实际值来源见表。",
        "Margins in the target's unit (percentage points for % targets); positive = beaten, negative = short.",
    ),
    "none": ("无", "none"),
}
COLUMNS = {
    "label": ("指标", "Indicator"),
    "target_text": ("目标", "Target"),
    "actual": ("实际", "Actual"),
    "margin": ("超出(+)/差距(−)", "Margin (+ beaten / − short)"),
    "unit": ("单位", "Unit"),
    "binding": ("属性", "Binding"),
    "forecast": ("2020年预测(P50)", "2020 forecast (P50)"),
    "then": ("规划时状态", "Status at plan time"),
    "reason": ("原因（待填写）", "Reason (to fill in)"),
    "source": ("实际值来源", "Source of the actual"),
    "status": ("评估结果", "Result"),
    "locator": ("出处", "Locator"),
}


@dataclass(frozen=True)
class SectionBlock:
    kind: str  # h1 | h2 | p | note | numbered | table
    text: str = ""
    items: tuple[str, ...] = ()
    table: pd.DataFrame | None = field(default=None, compare=False)


def w(key: str, lang: str, **fmt: Any) -> str:
    zh, en = TEXT[key]
    return (zh if lang == "zh" else en).format(**fmt)


def table(frame: pd.DataFrame, ds: Dataset, lang: str, columns: tuple[str, ...]) -> pd.DataFrame:
    """Display table of evaluation rows (strings), columns in the chosen language."""
    i = 0 if lang == "zh" else 1
    fill = FILL_IN[i]
    values = {
        "label": [ew.label(ds, x, lang) for x in frame["indicator"]],
        "target_text": [ed.target_text(r.comparator, r.target, r.unit, lang, ds) for r in frame.itertuples()],
        "actual": [ed.number(x, u, ds) for x, u in zip(frame["actual"], frame["unit"], strict=True)],
        "margin": [ed.number(x, u, ds, signed=True) for x, u in zip(frame["margin"], frame["unit"], strict=True)],
        "unit": [ed.unit_text(u, lang, ds) for u in frame["unit"]],
        "binding": [labels.label("binding", b if labels.has("binding", b) else "", lang) for b in frame["binding"]],
        "forecast": [ed.number(x, u, ds) for x, u in zip(frame["forecast_2020"], frame["unit"], strict=True)],
        "then": [charts.status_label(s, lang) for s in frame["status_at_plan_time"]],
        "reason": [fill] * len(frame),
        "source": [ew.source_text(x, ds, lang) or "—" for x in frame["actual_source"]],
        "status": [labels.lower_first(labels.label("result", s, lang, strict=True)) for s in frame["status"]],
        "locator": frame["locator"].tolist(),
    }
    return pd.DataFrame({COLUMNS[c][i]: values[c] for c in columns})


def _names(frame: pd.DataFrame, ds: Dataset, lang: str, limit: int = NAME_LIMIT) -> str:
    sep = "、" if lang == "zh" else ", "
    names = [ew.label(ds, x, lang) for x in frame["indicator"]]
    if len(names) > limit:
        rest = len(names) - limit
        return sep.join(names[:limit]) + (f"等{len(names)}项" if lang == "zh" else f" and {rest} more")
    return sep.join(names) or w("none", lang)


def _unit(unit: str, lang: str, ds: Dataset) -> str:
    if unit == "%":
        return "个百分点" if lang == "zh" else " percentage points"
    return ed.unit_text(unit, lang, ds) if lang == "zh" else " " + ed.unit_text(unit, lang, ds)


def overall(frame: pd.DataFrame, ds: Dataset, lang: str) -> list[str]:
    s = ev.summary(frame)
    scored = s["achieved"] + s["missed"]
    share = "—" if not scored else f"{s['achieved_share'] * 100:.0f}%"
    first = w("overall", lang, end=ev.PLAN_END_YEAR, n=s["targets"], scored=scored, achieved=s["achieved"],
              missed=s["missed"], share=share, b_ok=s["binding_achieved"], b_miss=s["binding_missed"],
              no_actual=s["no_actual"], judge=s["needs_judgement"])
    if not scored:
        return [first, w("verdict_none", lang)]
    if not s["missed"]:
        return [first, w("verdict_full", lang)]
    if not s["binding_missed"] and s["achieved_share"] >= GOOD_SHARE:
        return [first, w("verdict_basic", lang, good=f"{GOOD_SHARE:.0%}")]
    binding = frame[(frame["binding"] == "约束性") & (frame["status"] == "missed")]
    text = w("binding_missed", lang, names=_names(binding, ds, lang)) if len(binding) else ""
    return [first, w("verdict_partial", lang, share=share, good=f"{GOOD_SHARE:.0%}", binding=text)]


def missed_lines(frame: pd.DataFrame, ds: Dataset, lang: str) -> tuple[str, ...]:
    fill = FILL_IN[0 if lang == "zh" else 1]
    missed = frame[frame["status"] == "missed"]
    return tuple(
        w("missed_line", lang, label=ew.label(ds, r.indicator, lang),
          target=ed.target_text(r.comparator, r.target, r.unit, lang, ds), actual=ed.number(r.actual, r.unit, ds),
          margin=ed.number(abs(r.margin), r.unit, ds), unit=_unit(r.unit, lang, ds),
          forecast=ed.number(r.forecast_2020, r.unit, ds),
          then=charts.status_label(r.status_at_plan_time, lang), fill=fill)
        for r in missed.itertuples()
    )


def lessons(frame: pd.DataFrame, ds: Dataset, lang: str) -> tuple[str, ...]:
    out = []
    banded = frame[frame["actual_in_band"].notna()]
    if len(banded):
        outside = banded[banded["actual_in_band"] == False]  # noqa: E712 (object column of True/False/None)
        out.append(w("lesson_band", lang, n=len(banded), inside=int((banded["actual_in_band"] == True).sum()),  # noqa: E712
                     outside=_names(outside, ds, lang)))
    scored = frame[frame["status"].isin(["achieved", "missed"])]
    warned = scored[scored["status_at_plan_time"].isin(["at_risk", "off_track"])]
    surprise = scored[(scored["status"] == "missed") & scored["status_at_plan_time"].isin(["met", "on_track"])]
    if len(warned) or len(surprise):
        out.append(w("lesson_warned", lang, warned=len(warned), warned_missed=int((warned["status"] == "missed").sum()),
                     surprise=len(surprise), names=_names(surprise, ds, lang)))
    lacking = frame[frame["status"] == "no_actual"]
    if len(lacking):
        out.append(w("lesson_data", lang, n=len(lacking), names=_names(lacking, ds, lang)))
    out.append(w("lesson_own", lang, fill=FILL_IN[0 if lang == "zh" else 1]))
    return tuple(out)


def section(frame: pd.DataFrame, ds: Dataset, lang: str = "zh") -> list[SectionBlock]:
    """The evaluation section, in the order of a 评估报告."""
    met = frame[frame["status"] == "achieved"]
    missed = frame[frame["status"] == "missed"]
    open_ = frame[frame["status"].isin(["no_actual", "needs_judgement"])]
    out = [SectionBlock("h1", w("h1", lang)), SectionBlock("h2", w("h_overall", lang))]
    out += [SectionBlock("p", line) for line in overall(frame, ds, lang)]
    out.append(SectionBlock("h2", w("h_met", lang)))
    if len(met):
        cols = ("label", "target_text", "actual", "margin", "unit", "binding", "source")
        out += [SectionBlock("table", table=table(met, ds, lang, cols)), SectionBlock("note", w("note_margin", lang))]
    else:
        out.append(SectionBlock("p", w("none_met", lang)))
    out.append(SectionBlock("h2", w("h_missed", lang)))
    if len(missed):
        cols = ("label", "target_text", "actual", "margin", "unit", "binding", "forecast", "then", "reason")
        out += [SectionBlock("table", table=table(missed, ds, lang, cols)),
                SectionBlock("numbered", items=missed_lines(frame, ds, lang))]
    else:
        out.append(SectionBlock("p", w("none_missed", lang)))
    out += [SectionBlock("h2", w("h_lessons", lang)), SectionBlock("numbered", items=lessons(frame, ds, lang))]
    if len(open_):
        out += [SectionBlock("h2", w("h_open", lang)),
                SectionBlock("table", table=table(open_, ds, lang, ("label", "target_text", "status", "unit",
                                                                      "binding", "locator")))]
    return out


def to_markdown(blocks: list[SectionBlock]) -> str:
    """Plain-text rendering (the page preview and the HTML report use it)."""
    lines: list[str] = []
    for b in blocks:
        if b.kind == "h1":
            lines.append(f"## {b.text}")
        elif b.kind == "h2":
            lines.append(f"### {b.text}")
        elif b.kind == "numbered":
            lines += [f"{i}. {item}" for i, item in enumerate(b.items, 1)]
        elif b.kind == "table" and b.table is not None:
            lines.append(_md_table(b.table))
        else:
            lines.append(b.text)
        lines.append("")
    return "\n".join(lines)


def _md_table(frame: pd.DataFrame) -> str:
    def cell(x: Any) -> str:
        return str(x).replace("|", "\\|").replace("\n", " ")

    head = "| " + " | ".join(cell(c) for c in frame.columns) + " |"
    rule = "|" + "---|" * len(frame.columns)
    body = ["| " + " | ".join(cell(x) for x in row) + " |" for row in frame.itertuples(index=False)]
    return "\n".join([head, rule, *body])
