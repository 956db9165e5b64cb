"""The report pack for a leadership meeting: Chinese PDF (CJK font embedded), xlsx workbook, HTML.

Contents: title, district, date, scenario name and hash, data version; the target scorecard (baseline →
projection → target, status, P(target met) from a Monte Carlo run); key charts (60+ population, beds per
1,000 elderly, rural/urban 低保 ratio, budget by programme); the budget table (yearly and 2021–2025
total, increment over the ``freeze`` preset); assumptions with their sources; the data-quality notes
for the district. Every page/sheet carries the scenario hash and data version.
"""

from __future__ import annotations

import datetime as dt
import html
import io
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from models import budget as bu
from models import charts, coverage, engine, presets
from models import scenario as sc
from models import targets as tg
from models.benefits import PROGRAMME_NAMES_ZH
from models.checks import run_checks
from models.data import Dataset
from models.export import chart_to_png, chart_to_svg, to_xlsx_bytes
from models.resolve import Resolved, resolve

WQY_FONT = Path("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc")
PLAN_YEARS = (2021, 2025)
TEXT = {
    "title": ("{name}民政事业发展规划目标评估", "{name}: civil-affairs plan target assessment"),
    "subtitle": ("Shapan 民政规划沙盘 · 汇报材料", "Shapan planning sandbox · report pack"),
    "meta": (
        "方案：{scenario}　方案哈希：{hash}　数据版本：{version}　日期：{date}",
        "Scenario: {scenario}   hash: {hash}   data version: {version}   date: {date}",
    ),
    "plan": ("依据：{plan}", "Source plan: {plan}"),
    "scorecard": ("一、目标评分", "1. Target scorecard"),
    "charts": ("二、关键趋势", "2. Key trends"),
    "budget": ("三、财政成本（万元）", "3. Budget cost (10k yuan)"),
    "assumptions": ("四、主要参数与来源", "4. Parameters and sources"),
    "quality": ("五、数据质量提示", "5. Data-quality notes"),
    "budget_note": (
        "2021–2025年合计；“增量”为相对冻结情景（标准与床位保持2020年水平）的差额。{missing}",
        "2021–2025 totals; 'increment' is relative to the freeze preset (2020 standards and beds). "
        "{missing}",
    ),
    "status_note": (
        "状态依据蒙特卡洛{n}次抽样的达标概率：≥80%可实现，40–80%有风险，<40%难实现。",
        "Status from {n} Monte Carlo draws: P ≥ 80 % on track, 40–80 % at risk, < 40 % off track.",
    ),
    "none": ("无", "none"),
}
BUDGET_COLS = {
    "name": ("项目", "Programme"), "total": ("2021–2025合计", "2021–2025 total"),
    "reference": ("冻结情景合计", "Freeze total"), "increment": ("增量", "Increment"),
}
SCORE_COLS = {
    "label": ("指标", "Indicator"),
    "year": ("年份", "Year"),
    "target_text": ("目标", "Target"),
    "baseline": ("基期值", "Baseline"),
    "projected": ("预测值", "Projected"),
    "status_label": ("状态", "Status"),
    "probability": ("达标概率", "P(met)"),
    "required_growth": ("所需年均增速%", "Required growth %/yr"),
    "binding": ("属性", "Binding"),
    "locator": ("出处", "Locator"),
}


def t(key: str, lang: str, **fmt: Any) -> str:
    zh, en = TEXT[key]
    return (zh if lang == "zh" else en).format(**fmt)


@dataclass(frozen=True)
class ReportData:
    """Everything the report shows, computed once (also used by the report page for a preview)."""

    resolved: Resolved
    result: engine.RunResult
    scorecard: pd.DataFrame
    budget_table: pd.DataFrame
    assumptions: pd.DataFrame
    quality: pd.DataFrame
    draws: dict
    mc_n: int


def scorecard(targets: pd.DataFrame, ds: Dataset, lang: str = "zh") -> pd.DataFrame:
    """Targets with labels and status words in the chosen language (future targets first)."""
    frame = targets.copy()
    frame["label"] = [ds.label(i, lang) for i in frame["indicator"]]
    frame["target_text"] = [
        ("同步" if lang == "zh" else "in step") if c == "sync" else (p if pd.isna(v) else f"{c}{v:g}")
        for c, v, p in zip(frame["comparator"], frame["target"], frame["published"], strict=True)
    ]
    frame["status_label"] = [charts.status_label(s, lang) for s in frame["status"]]
    return tg.sort_by_status(frame)


def _budget_table(result: engine.RunResult, reference: engine.RunResult, lang: str, ds: Dataset) -> pd.DataFrame:
    """2021–2025 totals, freeze totals, increment and years by programme; the total row is named by what it
    contains (``合计（含：…；未含：…）``)."""
    start, end = PLAN_YEARS
    tot = bu.totals(result.budget, start, end).rename(columns={"cost_wan_yuan": "total"})
    inc = bu.totals(reference.budget, start, end).rename(columns={"cost_wan_yuan": "reference"})
    frame = tot.merge(inc, on="programme", how="left")
    frame["increment"] = frame["total"] - frame["reference"].fillna(0)
    yearly = result.budget[(result.budget["year"] >= start) & (result.budget["year"] <= end)].pivot_table(
        index="programme", columns="year", values="cost_wan_yuan", aggfunc="sum"
    )
    yearly.columns = [str(c) for c in yearly.columns]
    frame = frame.merge(yearly.reset_index(), on="programme", how="left")
    names = {"zh": PROGRAMME_NAMES_ZH, "en": {}}
    contains = coverage.label(coverage.coverage(result, ds), lang)
    frame.insert(0, "name", [contains if p == bu.TOTAL else names.get(lang, {}).get(p, p) for p in frame["programme"]])
    return frame


def _assumptions(res: Resolved, ds: Dataset, lang: str) -> pd.DataFrame:
    rows = []
    for key, value in res.values.items():
        entry = ds.assumptions.get(key)
        rows.append({"key": key, "label": sc.param_label(key, lang, ds.assumptions), "value": value,
                     "unit": sc.param_unit(key, lang, ds.assumptions), "provenance": res.provenance[key],
                     "reason": entry.reason if entry else ""})
    return pd.DataFrame(rows)


def prepare(res: Resolved, ds: Dataset, lang: str = "zh", mc_n: int = 1000) -> ReportData:
    result = engine.run(res, ds)
    targets = tg.evaluate(result, ds)
    draws = tg.monte_carlo(res, ds, n=mc_n)
    targets = tg.evaluate(result, ds, tg.probabilities(draws, targets))
    freeze = resolve(presets.load_preset(res.district, "freeze", ds), ds)
    quality = pd.DataFrame(
        [f for f in run_checks(ds) if f["district"] in (res.district, "") and f["level"] in ("error", "warning")]
    )
    return ReportData(
        res,
        result,
        scorecard(targets, ds, lang),
        _budget_table(result, engine.run(freeze, ds), lang, ds),
        _assumptions(res, ds, lang),
        quality,
        draws,
        mc_n,
    )


def key_charts(data: ReportData, ds: Dataset, lang: str) -> list[Any]:
    res, result = data.resolved, data.result
    out = []
    args = {"res_hash": res.hash, "data_version": res.data_version, "lang": lang}
    for indicator in ("beds_per_1000_elderly", "rural_urban_dibao_ratio", "nursing_bed_share", "population_60plus"):
        if indicator not in data.draws:
            continue
        goal = data.scorecard[
            (data.scorecard["indicator"] == indicator)
            & (data.scorecard["year"] > 2020)
            & data.scorecard["target"].notna()
        ]
        target = goal.iloc[0] if not goal.empty else None
        out.append(
            charts.fan(
                tg.fan(data.draws, indicator),
                value_label=ds.label(indicator, lang),
                title=ds.label(indicator, lang),
                target=None if target is None else target["target"],
                target_year=None if target is None else target["year"],
                height=200,
                **args,
            )
        )
    if not result.budget.empty:
        out.append(
            charts.stacked_bars(
                result.budget,
                x="year",
                y="cost_wan_yuan",
                colour="programme",
                value_label="万元",
                title=t("budget", lang),
                height=200,
                **args,
            )
        )
    return out


def _score_view(data: ReportData, lang: str) -> pd.DataFrame:
    view = data.scorecard[list(SCORE_COLS)].copy()
    view.columns = [v[0] if lang == "zh" else v[1] for v in SCORE_COLS.values()]
    return view


def _budget_view(data: ReportData, lang: str) -> pd.DataFrame:
    """The budget table with headers in the report's language (years stay as they are)."""
    view = data.budget_table.drop(columns=["programme"])
    return view.rename(columns={k: v[0] if lang == "zh" else v[1] for k, v in BUDGET_COLS.items()})


def build_xlsx(data: ReportData, ds: Dataset, lang: str = "zh", date: str = "") -> bytes:
    res = data.resolved
    meta = pd.DataFrame(
        {
            "item": ["district", "scenario", "scenario_hash", "data_version", "date", "plan", "budget_coverage"],
            "value": [
                ds.district(res.district)["name_zh"],
                res.scenario.name,
                res.hash,
                res.data_version,
                date,
                ds.sources[ds.district(res.district)["plan_source"]]["title"],
                coverage.label(coverage.coverage(data.result, ds), lang),
            ],
        }
    )
    series = pd.DataFrame(data.result.series).reset_index(names="year")
    sources = pd.DataFrame([{"id": k, **v} for k, v in ds.sources.items()])
    return to_xlsx_bytes(
        {
            "说明 About": meta,
            "目标评分 Scorecard": _score_view(data, lang),
            "预测 Projections": series,
            "财政成本 Budget": data.budget_table,
            "成本明细 Budget detail": data.result.budget,
            "参数 Assumptions": data.assumptions,
            "来源 Sources": sources,
            "数据质量 Quality": data.quality,
        }
    )


def _pdf_font() -> str:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfbase.ttfonts import TTFont

    if "ShapanCJK" in pdfmetrics.getRegisteredFontNames():
        return "ShapanCJK"
    if WQY_FONT.exists():
        pdfmetrics.registerFont(TTFont("ShapanCJK", str(WQY_FONT), subfontIndex=0))
        return "ShapanCJK"
    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))  # not embedded; only when WQY is missing
    return "STSong-Light"


def _fmt(value: Any) -> str:
    if isinstance(value, float):
        return "" if pd.isna(value) else f"{value:,.4g}" if abs(value) < 1000 else f"{value:,.0f}"
    return str(value)


def build_pdf(data: ReportData, ds: Dataset, lang: str = "zh", date: str = "") -> bytes:
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import Image, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    font = _pdf_font()
    res = data.resolved
    drow = ds.district(res.district)
    style = ParagraphStyle("body", fontName=font, fontSize=9, leading=13, wordWrap="CJK")
    small = ParagraphStyle("small", parent=style, fontSize=7, leading=10)
    h1 = ParagraphStyle("h1", parent=style, fontSize=16, leading=22)
    h2 = ParagraphStyle("h2", parent=style, fontSize=12, leading=17, spaceBefore=8, spaceAfter=4)
    meta = t("meta", lang, scenario=res.scenario.name, hash=res.hash, version=res.data_version, date=date)

    def table(frame: pd.DataFrame, widths: list[float] | None = None) -> Table:
        body = [[Paragraph(html.escape(str(c)), small) for c in frame.columns]]
        body += [[Paragraph(html.escape(_fmt(v)), small) for v in row] for row in frame.itertuples(index=False)]
        tbl = Table(body, colWidths=widths, repeatRows=1)
        tbl.setStyle(
            TableStyle(
                [
                    ("GRID", (0, 0), (-1, -1), 0.25, colors.grey),
                    ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e8eef7")),
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ]
            )
        )
        return tbl

    story: list[Any] = [
        Paragraph(html.escape(t("title", lang, name=drow["name_zh"] if lang == "zh" else drow["name_en"])), h1),
        Paragraph(html.escape(t("subtitle", lang)), style),
        Paragraph(html.escape(meta), small),
        Paragraph(html.escape(t("plan", lang, plan=ds.sources[drow["plan_source"]]["title"])), small),
        Spacer(1, 4 * mm),
        Paragraph(t("scorecard", lang), h2),
        Paragraph(html.escape(t("status_note", lang, n=data.mc_n)), small),
    ]
    score = _score_view(data, lang).drop(columns=[SCORE_COLS["binding"][lang != "zh"]])
    story.append(table(score, [40 * mm, 11 * mm, 18 * mm, 16 * mm, 16 * mm, 14 * mm, 14 * mm, 16 * mm, 35 * mm]))
    story.append(Paragraph(t("charts", lang), h2))
    for chart in key_charts(data, ds, lang):
        png = chart_to_png(chart, scale=1.5)
        story.append(Image(io.BytesIO(png), width=170 * mm, height=170 * mm * 0.45, kind="proportional"))
    story.append(Paragraph(t("budget", lang), h2))
    missing = coverage.label(coverage.coverage(data.result, ds), lang)
    story.append(Paragraph(html.escape(t("budget_note", lang, missing=missing)), small))
    story.append(table(_budget_view(data, lang)))
    story.append(Paragraph(t("assumptions", lang), h2))
    story.append(
        table(data.assumptions[["label", "value", "unit", "provenance"]], [55 * mm, 20 * mm, 15 * mm, 80 * mm])
    )
    story.append(Paragraph(t("quality", lang), h2))
    for f in data.quality.to_dict(orient="records"):
        story.append(
            Paragraph(
                html.escape(
                    f"[{f['level']}] "
                    + f["message_zh" if lang == "zh" else "message_en"]
                    + f" (indicators.csv {f['rows']})"
                ),
                small,
            )
        )

    def footer(canvas: Any, doc: Any) -> None:
        canvas.setFont(font, 7)
        canvas.drawString(15 * mm, 10 * mm, f"{meta} · {doc.page}")

    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=15 * mm,
        rightMargin=15 * mm,
        topMargin=15 * mm,
        bottomMargin=18 * mm,
        title=t("title", lang, name=drow["name_zh"]),
        author="Shapan",
        subject=f"scenario {res.hash} data {res.data_version}",
        invariant=1,
    )
    doc.build(story, onFirstPage=footer, onLaterPages=footer)
    return buffer.getvalue()


def build_html(data: ReportData, ds: Dataset, lang: str = "zh", date: str = "") -> bytes:
    res = data.resolved
    drow = ds.district(res.district)
    parts = [
        f"<!doctype html><html lang='{lang}'><meta charset='utf-8'><title>{html.escape(drow['name_zh'])}</title>",
        "<style>body{font-family:'Noto Sans CJK SC',sans-serif;margin:2em}table{border-collapse:collapse;"
        "font-size:12px}td,th{border:1px solid #ccc;padding:2px 6px}</style>",
        f"<h1>{html.escape(t('title', lang, name=drow['name_zh'] if lang == 'zh' else drow['name_en']))}</h1>",
        f"<p>{html.escape(t('meta', lang, scenario=res.scenario.name, hash=res.hash, version=res.data_version, date=date))}</p>",
        f"<h2>{t('scorecard', lang)}</h2>",
        _score_view(data, lang).to_html(index=False, na_rep=""),
        f"<h2>{t('charts', lang)}</h2>",
    ]
    parts += [chart_to_svg(c).decode("utf-8") for c in key_charts(data, ds, lang)]
    parts += [
        f"<h2>{t('budget', lang)}</h2>",
        f"<p>{html.escape(coverage.label(coverage.coverage(data.result, ds), lang))}</p>",
        _budget_view(data, lang).to_html(index=False, na_rep=""),
        f"<h2>{t('assumptions', lang)}</h2>",
        data.assumptions.to_html(index=False, na_rep=""),
        f"<h2>{t('quality', lang)}</h2>",
        data.quality.to_html(index=False, na_rep="") if len(data.quality) else "",
        "</html>",
    ]
    return "\n".join(parts).encode("utf-8")


def build(res: Resolved, ds: Dataset, fmt: str, lang: str = "zh", date: str | None = None, mc_n: int = 1000) -> bytes:
    """The report as bytes in ``fmt`` (``pdf``, ``xlsx`` or ``html``)."""
    date = date or dt.date.today().isoformat()
    data = prepare(res, ds, lang, mc_n)
    builders = {"pdf": build_pdf, "xlsx": build_xlsx, "html": build_html}
    return builders[fmt](data, ds, lang, date)
