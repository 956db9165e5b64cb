"""What the report says, in one language, format-neutral: every renderer (PDF, Word, HTML, slides) prints
this and nothing else, so the formats cannot drift apart and one test can check all of them.

Order (the 汇报材料 convention): 一、要点摘要 (findings, decisions) · 二、目标评分 (problems first; targets on
track; one line per domain for targets not assessed) · 三、关键趋势 · 四、财政成本 · 附录 (every target by
domain, every parameter with its source or reason, data-quality notes as sentences).
Cells are strings already formatted in the plan's units (:mod:`models.reporting.fmt`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from models import charts, coverage, funding, prices
from models import targets as tg
from models.reporting import findings as fd
from models.reporting import fmt, provenance
from models.reporting import words as wd
from models.reporting.domains import Domains, load
from models.reporting.table import Table
from models.reporting.words import W
from models.views import calendar as cal
from models.views import totals as vt

TREND_INDICATORS = ("population_60plus", "beds_per_1000_elderly", "nursing_bed_share", "rural_urban_dibao_ratio",
                    "dibao_rural_standard", "tekun_standard")
PROBLEM_COLS = ("col_indicator", "col_binding", "col_target", "col_baseline", "col_projected", "col_gap", "col_p",
                "col_status")
JUDGED_COLS = ("col_indicator", "col_binding", "col_target", "col_baseline", "col_projected", "col_p", "col_status")
APPENDIX_COLS = ("col_indicator", "col_target", "col_baseline", "col_projected", "col_status", "col_locator")


@dataclass(frozen=True)
class Trend:
    indicator: str
    domain: str
    spec: dict[str, Any]
    line: str


@dataclass(frozen=True)
class Content:
    lang: str
    title: str
    subtitle: str
    meta: str
    plan: str
    footer: str  # with {page}
    date: str
    findings: tuple[str, ...]
    decisions: tuple[str, ...]
    status_note: str
    problems: Table
    judged: Table
    unjudged: tuple[str, ...]
    trends: tuple[Trend, ...]
    cost_table: Table | None
    cost_notes: tuple[str, ...]
    cost_chart: dict[str, Any] | None
    appendix_targets: tuple[tuple[str, Table], ...]
    assumptions: Table
    quality: tuple[str, ...]
    domain_slides: tuple[tuple[str, Trend | None, tuple[str, ...]], ...] = field(default=())
    evaluation: tuple[Any, ...] = ()  # 期末评估 and 十五五 parts (models.reporting.evaluation_section) with actuals
    drivers: Table | None = None  # why a modelled target might be missed (models.drivers)
    population_basis: str = ""  # 户籍/常住 of every population count (models.population_basis)


class _Ctx(dict):
    """Formatting helpers for one language (passed to the findings module)."""


def _ctx(ds: Any, lang: str, domains: Domains) -> _Ctx:
    ctx = _Ctx(lang=lang, ds=ds, domains=domains)
    ctx["binding"] = lambda b: wd.binding(b, lang)
    ctx["status"] = lambda s: wd.status(s, lang)
    ctx["programme"] = lambda p: wd.programme(p, lang)
    ctx["target_text"] = lambda row: target_text(row, lang, ds)
    return ctx


def target_text(row: Any, lang: str, ds: Any) -> str:
    """``≥60%``; a text target (同步, 全覆盖) as the plan prints it."""
    if row.comparator == "sync" or fmt.is_missing(row.target):
        published = row.published if isinstance(row.published, str) and row.published else ""
        return published if lang == "zh" or not published else fmt.comparator(row.comparator, lang)
    return fmt.comparator(row.comparator, lang) + fmt.quantity(row.target, row.unit, lang, ds.units)


def _row_cells(row: Any, cols: tuple[str, ...], ctx: _Ctx) -> tuple[str, ...]:
    lang, ds = ctx["lang"], ctx["ds"]
    q = lambda v: fmt.quantity(v, row.unit, lang, ds.units)  # noqa: E731
    base = q(row.baseline)
    if not fmt.is_missing(row.baseline) and not fmt.is_missing(row.baseline_year):
        base = W("baseline_year", lang, value=base, year=int(row.baseline_year))
    cells = {
        "col_indicator": ds.label(row.indicator, lang),
        "col_binding": wd.binding(row.binding, lang),
        "col_target": W("target_year", lang, year=int(row.year), target=target_text(row, lang, ds)),
        "col_baseline": base,
        "col_projected": q(row.projected),
        "col_gap": fd._gap_text(row, lang, ds.units) if not fmt.is_missing(row.projected) else fmt.NO_VALUE[lang],
        "col_p": fmt.percent(row.probability, lang),
        "col_status": wd.status(row.status, lang),
        "col_locator": wd.locator(row.locator, lang),
    }
    return tuple(cells[c] for c in cols)


def _table(frame: pd.DataFrame, cols: tuple[str, ...], widths: tuple[float, ...], ctx: _Ctx) -> Table:
    rows = tuple(_row_cells(r, cols, ctx) for r in frame.itertuples())
    return Table(tuple(W(c, ctx["lang"]) for c in cols), rows, widths, tuple(frame["status"]),
                 numeric=tuple(i for i, c in enumerate(cols) if c in ("col_projected", "col_gap", "col_p")))


def _unjudged_lines(frame: pd.DataFrame, ctx: _Ctx, domains: Domains) -> tuple[str, ...]:
    lang, lines = ctx["lang"], []
    for key in domains.order:
        part = frame[frame["domain"] == key]
        if part.empty:
            continue
        counts = part["status"].value_counts()
        detail = fmt.join([W("count_item", lang, label=wd.status(s, lang), n=int(n)) for s, n in counts.items()], lang)
        lines.append(W("unjudged_line", lang, domain=domains.label(key, lang), n=len(part), detail=detail))
    return tuple(lines)


def _trends(data: Any, ctx: _Ctx, domains: Domains) -> tuple[Trend, ...]:
    lang, ds, res = ctx["lang"], ctx["ds"], data.resolved
    out = []
    args = {"res_hash": res.hash, "data_version": res.data_version, "lang": lang, "height": 200}
    unit_of = dict(zip(ds.meta["indicator"], ds.meta["unit"], strict=True))
    problem = list(fd.problems(data.scorecard, res.scenario.base_year)["indicator"])
    for indicator in dict.fromkeys([*TREND_INDICATORS, *problem]):  # every problem target's chart too
        values = data.draws.get(indicator)
        if values is None or pd.isna(values).all():
            continue
        frame = tg.fan(data.draws, indicator)
        goal = data.scorecard[(data.scorecard["indicator"] == indicator) & (data.scorecard["year"] > cal.BASE_YEAR)
                              & data.scorecard["target"].notna()]
        target = goal.iloc[0] if not goal.empty else None
        spec = charts.fan(frame, value_label=fmt.unit_text(unit_of.get(indicator, ""), lang),
                          title=ds.label(indicator, lang), target=None if target is None else target["target"],
                          target_year=None if target is None else target["year"], **args)
        unit = unit_of.get(indicator, "")
        end = frame[frame["year"] == (int(target["year"]) if target is not None else cal.PLAN_END_YEAR)].iloc[0]
        first = frame.iloc[0]
        q = lambda v, u=unit: fmt.quantity(v, u, lang, ds.units)  # noqa: E731
        line = W("trend_line", lang, label=ds.label(indicator, lang), base_year=int(first["year"]),
                 base=q(first["p50"]), year=int(end["year"]), p50=q(end["p50"]), p10=q(end["p10"]), p90=q(end["p90"]))
        if target is not None:
            line += W("trend_target", lang, target=target_text(target, lang, ds))
        out.append(Trend(indicator, domains.of(indicator), spec, line))
    return tuple(out)


def _cost(data: Any, ctx: _Ctx) -> tuple[Table | None, tuple[str, ...], dict[str, Any] | None]:
    lang, table, res = ctx["lang"], data.budget_table, data.resolved
    # every total says what it contains (issue 12): 合计（含：…；未含：… with the reason）
    notes = [W("cost_unit", lang), coverage.label(coverage.coverage(data.result, ctx["ds"]), lang)]
    if table.empty or data.result.budget.empty:
        return None, tuple(notes), None
    notes.insert(1, W("cost_note", lang))
    ds = ctx["ds"]  # real terms (CPI by year) and who pays, each with its basis (issue 12)
    notes.append(prices.basis_text(prices.run_index(data.result, ds), prices.cpi_region(ds, res.district), lang, ds))
    notes.append(funding.basis(res, ds)["basis_zh" if lang == "zh" else "basis_en"])
    years = [c for c in table.columns if str(c).isdigit()]
    money = [k for k in ("total", "total_real", "reference", "increment") if k in table.columns]
    heads = {"total": "col_total", "total_real": "col_total_real", "reference": "col_freeze",
             "increment": "col_increment"}
    cols = [W("col_programme", lang), *years, *(W(heads[k], lang) for k in money)]
    rows = []
    for r in table.to_dict("records"):
        cells = [wd.programme(r["programme"], lang)]
        cells += [fmt.number(r[y], 1, lang) for y in years] + [fmt.number(r[k], 1, lang) for k in money]
        rows.append(tuple(cells))
    widths = (2.2,) + (1.0,) * len(years) + tuple(1.1 if k == "increment" else 1.3 for k in money)
    budget = data.result.budget.assign(programme=[wd.programme(p, lang) for p in data.result.budget["programme"]])
    spec = charts.stacked_bars(budget, x="year", y="cost_wan_yuan", colour="programme",
                               value_label=fmt.unit_text("万元", lang), title=W("cost_chart", lang),
                               res_hash=res.hash, data_version=res.data_version, lang=lang, height=200)
    return (Table(tuple(cols), tuple(rows), widths, total_row=True, numeric=tuple(range(1, len(cols)))),
            tuple(notes), spec)


def _assumptions(data: Any, ctx: _Ctx) -> Table:
    lang, ds, res = ctx["lang"], ctx["ds"], data.resolved
    rows = [provenance.row(key, value, res.provenance[key], ds, lang) for key, value in res.values.items()]
    return Table((W("col_param", lang), W("col_value", lang), W("col_source", lang)), tuple(rows), (3.0, 1.4, 5.6))


def _quality(data: Any, ctx: _Ctx) -> tuple[str, ...]:
    lang, ds = ctx["lang"], ctx["ds"]
    out = [provenance.quality_sentence(f, ds, lang) for f in data.quality.to_dict("records")]
    return tuple(out) or (W("quality_none", lang),)


SLIDE_COLS = ("col_indicator", "col_target", "col_projected", "col_status")
DRIVER_TOP = 3  # drivers named per target


def _basis(data: Any, ctx: _Ctx) -> str:
    """``人口数均为户籍人口口径（假设）：<reason>`` — the basis every population figure of the report is on."""
    from models import population_basis

    lang = ctx["lang"]
    basis = population_basis.basis_for(data.resolved, ctx["ds"])
    reason = basis.reason_in(lang)
    return W("basis_note", lang, basis=basis.label(lang), status=basis.status_label(lang)) + (
        W("basis_reason", lang, reason=reason) if reason else "")


def _drivers(data: Any, ctx: _Ctx) -> Table | None:
    """One row per modelled target that the draws sometimes miss: the target, P(miss) and its top drivers
    (first-order sensitivity, direction), most likely misses first."""
    frame = getattr(data, "drivers", None)
    if frame is None or frame.empty:
        return None
    lang, ds = ctx["lang"], ctx["ds"]
    goals = data.scorecard.drop_duplicates(["indicator", "year"]).set_index(["indicator", "year"])
    label = "label_zh" if lang == "zh" else "label_en"
    rows = []
    for (indicator, year), part in frame.groupby(["indicator", "year"], sort=False):
        top = part[part["importance"] >= 0.005].head(DRIVER_TOP)  # shown with two decimals: no "0.00"
        items = [W("driver_item", lang, label=r[label], s=fmt.number(r["importance"], 2, lang),
                   direction=W("driver_up" if r["direction"] == "+" else "driver_down", lang))
                 for r in top.to_dict("records")]
        goal = target_text(goals.loc[(indicator, year)], lang, ds) if (indicator, year) in goals.index else ""
        rows.append((float(part["p_miss"].iloc[0]),
                     (W("driver_target", lang, label=ds.label(indicator, lang), year=int(year), target=goal),
                      fmt.percent(1.0 - float(part["p_miss"].iloc[0]), lang),
                      fmt.join(items, lang) if items else W("driver_none", lang))))
    rows.sort(key=lambda r: -r[0])
    cols = tuple(W(c, lang) for c in ("col_driver_target", "col_p", "col_drivers"))
    return Table(cols, tuple(r for _, r in rows), (3.0, 1.0, 6.0), numeric=(1,))


def _domain_slides(frame: pd.DataFrame, trends: tuple[Trend, ...], ctx: _Ctx, domains: Domains) -> tuple:
    """(domain label, its chart or None, two lines, its targets as a small table) per domain with targets.

    The chart is the domain's most pressing projected indicator: one with a problem target first, then
    one with any target, then the first projected one.
    """
    lang, out = ctx["lang"], []
    for key in domains.order:
        part = tg.sort_by_status(frame[frame["domain"] == key].reset_index(drop=True))
        if part.empty:
            continue
        mine = [t for t in trends if t.domain == key]
        problem = set(part.loc[part["status"].isin(fd.PROBLEM_STATUSES), "indicator"])
        targeted = set(part.loc[part["target"].notna(), "indicator"])
        mine.sort(key=lambda t: (t.indicator not in problem, t.indicator not in targeted))
        counts = part["status"].value_counts()
        detail = fmt.join([W("count_item", lang, label=wd.status(s, lang), n=int(n)) for s, n in counts.items()], lang)
        lines = [W("slide_domain_counts", lang, n=len(part), detail=detail)]
        lines.append(mine[0].line if mine else W("slide_domain_none", lang))
        table = _table(part, SLIDE_COLS, (3.4, 2.2, 1.4, 1.0), ctx)
        out.append((domains.label(key, lang), mine[0] if mine else None, tuple(lines), table))
    return tuple(out)


def compose(data: Any, ds: Any, lang: str, date: str) -> Content:
    """The report's content from a prepared report (:class:`models.report.ReportData`)."""
    domains = load()
    ctx = _ctx(ds, lang, domains)
    res = data.resolved
    drow = ds.district(res.district)
    name = drow["name_zh"] if lang == "zh" else drow["name_en"]
    frame = data.scorecard.assign(domain=[domains.of(i) for i in data.scorecard["indicator"]])
    future = frame[frame["year"] > res.scenario.base_year]
    problem_rows = fd.problems(frame, res.scenario.base_year)
    judged = future[future["status"].isin(("on_track", "met", "achieved"))]
    unjudged = future[~future["status"].isin(fd.JUDGED_STATUSES)]
    summary = fd.summarise(data, ctx)
    trends = _trends(data, ctx, domains)
    cost_table, cost_notes, cost_chart = _cost(data, ctx)
    appendix = []
    for key in domains.order:
        part = frame[frame["domain"] == key].sort_values(["year", "indicator"], ascending=[False, True], kind="stable")
        if not part.empty:
            appendix.append((domains.label(key, lang), _table(part, APPENDIX_COLS, (3.2, 2.0, 1.8, 1.4, 1.0, 2.2), ctx)))
    scenario_name = wd.pick(wd.WORDS.get(f"scenario_{res.scenario.name}", (res.scenario.name,) * 2), lang)
    return Content(
        lang=lang, title=W("title", lang, name=name), subtitle=W("subtitle", lang),
        meta=W("meta", lang, scenario=scenario_name, hash=res.hash, version=res.data_version, date=date),
        plan=W("plan", lang, plan=ds.sources[drow["plan_source"]]["title"]),
        footer=W("footer", lang, district=name, hash=res.hash, version=res.data_version, page="{page}"),
        date=date, findings=summary.findings, decisions=summary.decisions,
        status_note=_status_note(data, lang),
        problems=_table(problem_rows, PROBLEM_COLS, (3.0, 1.0, 1.8, 1.8, 1.3, 1.3, 1.0, 1.0), ctx),
        judged=_table(judged, JUDGED_COLS, (3.2, 1.0, 2.0, 2.0, 1.4, 1.0, 1.0), ctx),
        unjudged=_unjudged_lines(unjudged, ctx, domains), trends=trends,
        cost_table=cost_table, cost_notes=cost_notes, cost_chart=cost_chart,
        appendix_targets=tuple(appendix), assumptions=_assumptions(data, ctx), quality=_quality(data, ctx),
        domain_slides=_domain_slides(future, trends, ctx, domains), drivers=_drivers(data, ctx),
        evaluation=_evaluation_parts(data, ds, lang),
        population_basis=_basis(data, ctx),
    )


def _status_note(data: Any, lang: str) -> str:
    """The count line every surface prints (:func:`models.target_modes.counts_text`), the status rule and, when
    there are problem targets, who decides them."""
    from models import target_modes

    parts = [W("status_counts", lang, total=len(data.scorecard), counts=target_modes.counts_text(data.scorecard, lang)),
             W("status_note", lang, n=data.mc_n)]
    if deciders := target_modes.deciders_text(data.scorecard, lang):
        parts.append(deciders + ("。" if lang == "zh" else "."))
    return ("" if lang == "zh" else " ").join(parts)


def _evaluation_parts(data: Any, ds: Any, lang: str) -> tuple[Any, ...]:
    from models.reporting import evaluation_section  # imported when used (actuals only)

    return evaluation_section.parts(getattr(data, "evaluation", None), ds, lang)


def total_row_years(table: pd.DataFrame) -> pd.DataFrame:
    """Fill the ``total`` programme's year cells with the sum of the programmes (the 合计 row)."""
    years = [c for c in table.columns if str(c).isdigit()]
    mask = vt.is_total(table)
    if mask.any() and years:
        table = table.copy()
        table.loc[mask, years] = table.loc[~mask, years].sum().to_numpy()
    return table
