"""xlsx workbook: the report's tables as sheets, numbers kept as numbers but rounded to the plan's units
(whole people and beds, 元 to the yuan, 万元 to one decimal), labels instead of ids, headers in the
report's language."""

from __future__ import annotations

from typing import Any

import pandas as pd

from models.export import to_xlsx_bytes
from models.reporting import fmt
from models.reporting import words as wd
from models.reporting.content import Content, Table
from models.reporting.words import W

SHEETS = {  # key -> (zh, en)
    "about": ("说明", "About"), "summary": ("要点", "Summary"), "targets": ("全部目标", "Targets"),
    "series": ("预测", "Projections"), "cost": ("财政成本", "Budget"), "cost_detail": ("成本明细", "Budget detail"),
    "params": ("参数", "Parameters"), "sources": ("来源", "Sources"), "quality": ("数据质量", "Data quality"),
    "drivers": ("未达标原因", "Drivers of a miss"),
}


def _frame(t: Table) -> pd.DataFrame:
    return pd.DataFrame(list(t.rows), columns=list(t.columns))


def series_frame(data: Any, ds: Any, lang: str) -> pd.DataFrame:
    """Projection series by year, one column per series, labelled with its unit, rounded to the unit."""
    out = pd.DataFrame({W("col_year", lang): data.resolved.years})
    meta = dict(zip(ds.meta["indicator"], ds.meta["unit"], strict=True))
    for key, values in data.result.series.items():
        if (known := wd.series(key, lang)) is not None:
            label, unit = known
        else:
            label, unit = ds.label(key, lang), meta.get(key, "")
        places = fmt.decimals(unit, ds.units)
        column = [round(values.get(y, float("nan")), places) for y in data.resolved.years]
        if places == 0:
            column = pd.array([None if pd.isna(v) else int(v) for v in column], dtype="Int64")
        shown = fmt.unit_text(unit, lang)
        out[f"{label}（{shown}）" if lang == "zh" else f"{label} ({shown})"] = column
    return out


def cost_detail(data: Any, lang: str) -> pd.DataFrame:
    frame = data.result.budget.copy()
    frame["programme"] = [wd.programme(p, lang) for p in frame["programme"]]
    frame["recipients"] = frame["recipients"].round(0).astype("Int64")
    frame["standard_yuan_month"] = frame["standard_yuan_month"].round(0).astype("Int64")
    frame["cost_wan_yuan"] = frame["cost_wan_yuan"].round(1)
    frame["payment_ratio"] = frame["payment_ratio"].round(3)
    return frame.rename(columns={k: wd.pick(v, lang) for k, v in wd.XLSX_COLS.items()})


def cost_frame(data: Any, lang: str) -> pd.DataFrame:
    table = data.budget_table
    years = [c for c in table.columns if str(c).isdigit()]
    out = pd.DataFrame({W("col_programme", lang): [wd.programme(p, lang) for p in table["programme"]]})
    for col in years:
        out[col] = table[col].round(1)
    for key, word in (("total", "col_total"), ("reference", "col_freeze"), ("increment", "col_increment")):
        out[W(word, lang)] = table[key].round(1)
    return out


def render(data: Any, c: Content, ds: Any, lang: str, date: str) -> bytes:
    res = data.resolved
    name = (lambda k: wd.pick(SHEETS[k], lang))  # noqa: E731
    about = pd.DataFrame({
        W("col_param", lang): [wd.pick(p, lang) for p in (("标题", "Title"), ("方案哈希", "Scenario hash"),
                                                          ("数据版本", "Data version"), ("日期", "Date"),
                                                          ("依据", "Source plan"), ("人口口径", "Population basis"))],
        W("col_value", lang): [c.title, res.hash, res.data_version, date, c.plan, c.population_basis],
    })
    summary = pd.DataFrame({W("h_summary", lang): [*c.findings, *[f"{W('h_decisions', lang)}：{d}" if lang == "zh"
                                                                   else f"{W('h_decisions', lang)}: {d}"
                                                                   for d in c.decisions]]})
    targets = pd.concat([_frame(t).assign(**{W("col_domain", lang): label}) for label, t in c.appendix_targets],
                        ignore_index=True) if c.appendix_targets else pd.DataFrame()
    sources = pd.DataFrame([{wd.pick(("标题", "Title"), lang): wd.source_name(ds, k, lang),
                             wd.pick(("发布机关", "Issuer"), lang): wd.source_issuer(ds, k, lang),
                             wd.pick(("文号", "Document no."), lang): v.get("doc_no", ""),
                             wd.pick(("日期", "Date"), lang): v.get("date", ""),
                             wd.pick(("网址", "URL"), lang): v.get("url", "")} for k, v in ds.sources.items()])
    quality = pd.DataFrame({W("h_app_quality", lang): list(c.quality)})
    from models.reporting import evaluation_section

    evaluation = evaluation_section.sheets(getattr(data, "evaluation", None), c.evaluation, ds, lang)
    return to_xlsx_bytes({
        name("about"): about, name("summary"): summary, name("targets"): targets,
        name("series"): series_frame(data, ds, lang), name("cost"): cost_frame(data, lang),
        name("cost_detail"): cost_detail(data, lang), **evaluation, name("params"): _frame(c.assumptions),
        name("sources"): sources, name("quality"): quality,
        **({name("drivers"): _frame(c.drivers)} if c.drivers is not None else {}),
    }, created=fmt.timestamp(date).replace(tzinfo=None))
