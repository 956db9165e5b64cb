"""The report pack's optional 期末评估 and 十五五 sections (issue 16), present when actuals are given.

五、十四五规划期末评估 — the end-of-term evaluation (:func:`models.evaluation.evaluate_term`) in the order a 评估报告
uses, as :mod:`models.evaluation_report` words it: overall judgement, targets achieved, targets missed with
the reason left for the bureau to fill in, lessons, then the targets still without data.
六、十五五规划主要指标（草案） — both plans side by side (:func:`models.plans_compare.side_by_side`) and the draft's
reasons, who decides and cost (:func:`models.draft.draft` on the baseline rebased on the actuals).

Format-neutral like :mod:`models.reporting.content`: :func:`parts` returns headings, paragraphs, numbered
lists and :class:`~models.reporting.table.Table` s of strings (cells from :mod:`models.evaluation_display`,
rounded to the plan's units); :func:`sheets` gives the same tables with numbers as numbers for the workbook.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import pandas as pd

from models import draft as dr
from models import evaluation as ev
from models import evaluation_display as ed
from models import evaluation_report as er
from models import plans_compare as pc
from models import rebase as rb
from models.reporting.table import Table

WORDS: dict[str, tuple[str, str]] = {
    "h_eval": ("五、十四五规划期末评估", "5. End-of-term evaluation of the 14th plan"),
    "h_draft": ("六、十五五规划主要指标（草案）", "6. Draft indicators of the 15th plan"),
    "h_plans": ("（一）十四五完成情况与十五五目标对照", "6.1 The 14th plan's result and the 15th plan's draft"),
    "h_reasons": ("（二）草案目标的依据、决定者和新增支出", "6.2 Why each draft target, who decides, what it costs"),
    "eval_note": ("依据用户录入的实际值（{n}项，最近为{year}年）；2020年预测为方案哈希 {hash} 的蒙特卡洛{draws}次抽样中位数。",
                  "From the actuals entered by the user ({n} figures, latest {year}); the 2020 forecast is the median "
                  "of {draws} Monte Carlo draws of scenario {hash}."),
    "draft_note": ("基线按{year}年实际值重设（方案哈希 {base}），草案方案哈希 {draft}。新增支出为2026–2030年相对重设基线的"
                   "增加额（万元）；床位建设投资和未测算的项目不计入。建议目标可由规划编制人员替换。",
                   "Baseline rebased on the {year} actuals (scenario {base}); draft scenario {draft}. Added cost is "
                   "2026–2030 over the rebased baseline (10k yuan); bed construction and uncosted programmes are not "
                   "included. The planners replace any suggested target."),
    "omitted": ("另有{n}项十四五指标既无实际值也无草案目标，见第五部分。",
                "{n} more 14th-plan indicators have neither an actual nor a draft target (see section 5)."),
    "no_draft": ("实际值均不晚于2020年，暂不能起草十五五目标。", "No actual after 2020: no 15th-plan draft yet."),
    "sheet_eval": ("期末评估", "Evaluation"),
    "sheet_eval_rows": ("十四五目标评估", "14th-plan targets"),
    "sheet_plans": ("十五五指标草案", "15th-plan draft"),
}
HEADERS = ed.HEADERS
PLANS_COLS = ("label", "target_14", "actual", "result_14", "margin_14", "target_15", "status_15", "probability_15",
              "cost", "unit")
PLANS_WIDTHS = (3.0, 1.2, 1.1, 1.1, 1.0, 1.4, 1.0, 1.0, 1.2, 1.4)
REASON_COLS = ("label", "decided_by", "reason", "reference")
REASON_WIDTHS = (2.4, 2.6, 4.4, 2.2)
NUMBERED_H2 = re.compile(r"^(\d)\. ")


@dataclass(frozen=True)
class Part:
    """One block of the sections (kinds as :class:`models.reporting.document.Block`)."""

    kind: str
    text: str = ""
    items: tuple[str, ...] = ()
    table: Table | None = None


@dataclass(frozen=True)
class EvaluationData:
    """What the two sections show, computed once per report."""

    evaluation: pd.DataFrame
    forecast_hash: str
    draws: int
    actuals: pd.DataFrame
    draft: pd.DataFrame | None  # None: no actual after 2020
    rebased_hash: str
    draft_hash: str
    base_year: int


def prepare(res: Any, ds: Any, actuals: pd.DataFrame, mc_n: int) -> EvaluationData:
    """Evaluation of the district's 14th plan and, when an actual is later than 2020, the 2030 draft."""
    district = res.district
    forecast = ev.plan_time_forecast(ds, district, n=mc_n)
    evaluation = ev.evaluate_term(ds, district, actuals, forecast)
    base_year = int(actuals["year"].max())
    if base_year <= ev.BASE_YEAR:
        return EvaluationData(evaluation, forecast.resolved.hash, mc_n, actuals, None, "", "", base_year)
    rebased = rb.rebase(dr.default_scenario(ds, district), ds, actuals, base_year)
    table = dr.draft(ds, district, rebased, n=min(mc_n, dr.DRAFT_DRAWS))
    planned = dr.draft_scenario(ds, rebased, table)
    return EvaluationData(evaluation, forecast.resolved.hash, mc_n, actuals, table, rebased.resolved.hash,
                          planned.resolved.hash, base_year)


def w(key: str, lang: str, **fmt: Any) -> str:
    zh, en = WORDS[key]
    return (zh if lang == "zh" else en).format(**fmt)


def _table(frame: pd.DataFrame, cols: tuple[str, ...], widths: tuple[float, ...], lang: str,
           statuses: tuple[str, ...] = ()) -> Table:
    i = 0 if lang == "zh" else 1
    rows = tuple(tuple(str(v) for v in row) for row in frame[list(cols)].itertuples(index=False))
    return Table(columns=tuple(HEADERS[c][i] for c in cols), rows=rows, widths=widths, statuses=statuses)


def _frame_table(frame: pd.DataFrame) -> Table:
    """A table of models.evaluation_report (headers already in the language) as a report Table."""
    rows = tuple(tuple("—" if v in ("", None) else str(v) for v in row) for row in frame.itertuples(index=False))
    widths = tuple(3.0 if i == 0 else 1.2 for i in range(len(frame.columns)))
    return Table(columns=tuple(str(c) for c in frame.columns), rows=rows, widths=widths)


def _evaluation_parts(data: EvaluationData, ds: Any, lang: str) -> list[Part]:
    entered = data.actuals[data.actuals["kind"] == "actual"] if "kind" in data.actuals else data.actuals
    out = [Part("h1", w("h_eval", lang)),
           Part("note", w("eval_note", lang, n=len(entered), year=data.base_year, hash=data.forecast_hash,
                          draws=data.draws))]
    for block in er.section(data.evaluation, ds, lang):
        if block.kind == "h1":
            continue  # the report's own numbered heading stands for it
        if block.kind == "h2":
            text = block.text if lang == "zh" else NUMBERED_H2.sub(r"5.\1 ", block.text)
            out.append(Part("h2", text))
        elif block.kind == "table" and block.table is not None:
            out.append(Part("table", table=_frame_table(block.table)))
        elif block.kind == "numbered":
            out.append(Part("numbered", items=block.items))
        else:
            out.append(Part("note" if block.kind == "note" else "p", block.text))
    return out


def _draft_parts(data: EvaluationData, ds: Any, lang: str) -> list[Part]:
    out = [Part("pagebreak"), Part("h1", w("h_draft", lang))]
    if data.draft is None:
        return [*out, Part("p", w("no_draft", lang))]
    out.append(Part("note", w("draft_note", lang, year=data.base_year, base=data.rebased_hash,
                              draft=data.draft_hash)))
    both = pc.side_by_side(data.evaluation, data.draft)
    rows = ed.plans_rows(both, ds, lang)
    out += [Part("h2", w("h_plans", lang)),
            Part("table", table=_table(rows, PLANS_COLS, PLANS_WIDTHS, lang, tuple(both["status_15"])))]
    omitted = pc.omitted(data.evaluation, data.draft)
    if omitted:
        out.append(Part("note", w("omitted", lang, n=omitted)))
    reasons = ed.draft_rows(data.draft, ds, lang)
    out += [Part("h2", w("h_reasons", lang)), Part("table", table=_table(reasons, REASON_COLS, REASON_WIDTHS, lang))]
    return out


def parts(data: EvaluationData | None, ds: Any, lang: str) -> tuple[Part, ...]:
    """Both sections, in the report's order (empty without actuals)."""
    if data is None:
        return ()
    return (*_evaluation_parts(data, ds, lang), *_draft_parts(data, ds, lang))


def sheets(data: EvaluationData | None, content_parts: tuple[Part, ...], ds: Any, lang: str) -> dict[str, pd.DataFrame]:
    """Workbook sheets: the sections' text, the evaluation rows and the two plans (numbers as numbers)."""
    if data is None:
        return {}
    i = 0 if lang == "zh" else 1
    lines: list[str] = []
    for p in content_parts:
        if p.kind == "numbered":
            lines += [f"{n}. {item}" for n, item in enumerate(p.items, 1)]
        elif p.kind != "table":
            lines.append(p.text)
    head = lambda frame: frame.rename(columns={c: HEADERS[c][i] for c in frame.columns})  # noqa: E731
    out = {w("sheet_eval", lang): pd.DataFrame({w("sheet_eval", lang): lines}),
           w("sheet_eval_rows", lang): head(ed.evaluation_rows(data.evaluation, ds, lang, text=False))}
    if data.draft is not None:
        both = ed.plans_rows(pc.side_by_side(data.evaluation, data.draft), ds, lang, text=False)
        out[w("sheet_plans", lang)] = head(both)
    return out
