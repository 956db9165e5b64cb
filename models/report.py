"""The report pack for a leadership meeting (汇报材料): PDF, Word, slides, HTML and an xlsx workbook.

:func:`prepare` runs the models once (deterministic run, Monte Carlo P(met), the freeze preset for the
budget increment, the district's data-quality findings); :func:`models.reporting.content.compose` turns
that into the report's words and tables in one language; one renderer per format prints them
(:mod:`models.reporting.to_pdf`, ``to_docx``, ``to_pptx``, ``to_html``, ``to_xlsx``). Page 1 is the
summary a leader reads in two minutes (headline findings generated from the results, decisions
requested); then the scorecard (problems first), key trends, cost and an appendix with every target,
every parameter with its source or reason, and the data-quality notes. Every page, sheet and slide
carries the scenario hash and the data version.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from models import budget as bu
from models import engine, presets, prices, setters
from models import scenario as sc
from models import targets as tg
from models.checks import run_checks
from models.data import Dataset
from models.errors import ShapanError
from models.reporting import words as wd
from models.reporting.content import compose, total_row_years
from models.resolve import Resolved, resolve
from models.views import calendar as cal

PLAN_YEARS = cal.PLAN_YEARS  # 14th plan period (the budget total shown)


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
    evaluation: Any = None  # models.reporting.evaluation_section.EvaluationData when actuals are given
    drivers: pd.DataFrame = field(default_factory=pd.DataFrame)  # models.drivers.rank of the targets


def scorecard(targets: pd.DataFrame, ds: Dataset, lang: str = "zh") -> pd.DataFrame:
    """Targets with labels and status words in the chosen language, problems first."""
    frame = targets.copy()
    frame["label"] = [ds.label(i, lang) for i in frame["indicator"]]
    if "display_status" in frame.columns:  # the one vocabulary every surface shows (models/target_modes.py):
        frame = frame.assign(model_status=frame["status"], status=frame["display_status"])  # quarantined apart
    frame["status_label"] = [wd.status(s, lang) for s in frame["status"]]
    return tg.sort_by_status(frame)


def budget_table(result: engine.RunResult, reference: engine.RunResult, ds: Dataset | None = None) -> pd.DataFrame:
    """Per programme: 2021–2025 total, (with ``ds``) that total at base-year prices (``total_real``, CPI by
    year: models.prices), freeze total, increment and one column per year (``"2021"`` …); the ``total``
    row's year cells are the sums of the programmes."""
    start, end = PLAN_YEARS
    tot = bu.totals(result.budget, start, end).rename(columns={"cost_wan_yuan": "total"})
    if ds is not None:
        real = prices.run_real_budget(result, ds)
        real = bu.totals(real.assign(cost_wan_yuan=real["cost_real_wan_yuan"]), start, end)
        tot = tot.merge(real.rename(columns={"cost_wan_yuan": "total_real"}), on="programme", how="left")
    ref = bu.totals(reference.budget, start, end).rename(columns={"cost_wan_yuan": "reference"})
    frame = tot.merge(ref, on="programme", how="left")
    frame["reference"] = frame["reference"].fillna(0.0)
    frame["increment"] = frame["total"] - frame["reference"]
    window = result.budget[(result.budget["year"] >= start) & (result.budget["year"] <= end)]
    yearly = window.pivot_table(index="programme", columns="year", values="cost_wan_yuan", aggfunc="sum")
    yearly.columns = [str(c) for c in yearly.columns]
    frame = frame.merge(yearly.reset_index(), on="programme", how="left")
    return total_row_years(frame)


def _assumptions(res: Resolved, ds: Dataset) -> pd.DataFrame:
    rows = []
    for key, value in res.values.items():
        entry = ds.assumptions.get(key)
        rows.append({"key": key, "label_zh": sc.param_label(key, "zh", ds.assumptions),
                     "label_en": sc.param_label(key, "en", ds.assumptions), "value": value,
                     "unit": sc.param_unit(key, "zh", ds.assumptions), "provenance": res.provenance[key],
                     "reason": entry.reason if entry else ""})
    return pd.DataFrame(rows)


def prepare(res: Resolved, ds: Dataset, lang: str = "zh", mc_n: int | None = None,
            actuals: pd.DataFrame | None = None) -> ReportData:
    """Everything the report shows; P(met) from ``mc_n`` draws (default: the scenario's, as on the overview);
    with ``actuals`` (models.backtest.read_actuals) also the 期末评估 and 十五五 sections
    (models.reporting.evaluation_section)."""
    mc_n = int(res["uncertainty.draws"]) if mc_n is None else int(mc_n)
    result = engine.run(res, ds)
    targets, draws = tg.assess_with_draws(res, ds, result, mc_n)  # the overview's basis (modes, quarantine)
    if "decided_by" not in targets.columns:  # who sets each standard (data/setters.csv); None: the district
        targets = targets.assign(decided_by=[setters.decided_by(ds, res.district, i) for i in targets["indicator"]])
    freeze = resolve(presets.load_preset(res.district, "freeze", ds), ds)
    quality = pd.DataFrame(
        [f for f in run_checks(ds) if f["district"] in (res.district, "") and f["level"] in ("error", "warning")],
        columns=["level", "code", "message_zh", "message_en", "rows", "district", "indicator"],
    )
    evaluation = None
    if actuals is not None:
        from models.reporting import evaluation_section

        evaluation = evaluation_section.prepare(res, ds, actuals, mc_n)
    from models import drivers

    ranked = drivers.rank(res, ds, targets, n=mc_n, draws=draws)
    return ReportData(res, result, scorecard(targets, ds, lang), budget_table(result, engine.run(freeze, ds), ds),
                      _assumptions(res, ds), quality, draws, mc_n, evaluation, ranked)


def render(data: ReportData, content: Any, ds: Dataset, fmt: str) -> bytes:
    """One format from a composed report (compose once, render every format from it)."""
    from models.reporting import to_docx, to_html, to_pdf, to_pptx, to_xlsx

    if fmt == "xlsx":
        return to_xlsx.render(data, content, ds, content.lang, content.date)
    return {"pdf": to_pdf, "html": to_html, "docx": to_docx, "pptx": to_pptx}[fmt].render(content)


def build_xlsx(data: ReportData, ds: Dataset, lang: str = "zh", date: str = "") -> bytes:
    return render(data, compose(data, ds, lang, date), ds, "xlsx")


def build_pdf(data: ReportData, ds: Dataset, lang: str = "zh", date: str = "") -> bytes:
    return render(data, compose(data, ds, lang, date), ds, "pdf")


def build_html(data: ReportData, ds: Dataset, lang: str = "zh", date: str = "") -> bytes:
    return render(data, compose(data, ds, lang, date), ds, "html")


def build_docx(data: ReportData, ds: Dataset, lang: str = "zh", date: str = "") -> bytes:
    return render(data, compose(data, ds, lang, date), ds, "docx")


def build_pptx(data: ReportData, ds: Dataset, lang: str = "zh", date: str = "") -> bytes:
    return render(data, compose(data, ds, lang, date), ds, "pptx")


BUILDERS = {"pdf": build_pdf, "xlsx": build_xlsx, "html": build_html, "docx": build_docx, "pptx": build_pptx}
FORMATS = tuple(BUILDERS)


def report_date(date: str | None = None) -> str:
    """The report's date: given, else ``SOURCE_DATE_EPOCH`` (reproducible builds), else today."""
    if date:
        try:
            return dt.date.fromisoformat(date).isoformat()
        except ValueError as exc:
            raise ShapanError("generic", detail=f"--date {date!r}: YYYY-MM-DD") from exc
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), dt.UTC).date().isoformat()
    return dt.date.today().isoformat()


def build(res: Resolved, ds: Dataset, fmt: str, lang: str = "zh", date: str | None = None, mc_n: int = 1000,
          actuals: pd.DataFrame | None = None) -> bytes:
    """The report as bytes in ``fmt`` (one of :data:`FORMATS`); ``actuals`` add the evaluation sections."""
    if fmt not in BUILDERS:
        raise ShapanError("generic", detail=f"--format {fmt!r}: one of {', '.join(FORMATS)}")
    data = prepare(res, ds, lang, mc_n, actuals)
    return BUILDERS[fmt](data, ds, lang, report_date(date))
