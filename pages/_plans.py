"""Both plans side by side on the compare page: for the district, the 14th plan's result (target, actual,
achieved / missed, margin) next to the 15th plan's draft (2030 target, status, P(met), cost, basis), from
the actuals and draft targets entered on the 期末评估 page (kept in the session). Thin: the rows come from
models.plans_compare, the cells from models.evaluation_display."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from models import backtest
from models import evaluation as ev
from models import evaluation_display as ed
from models import plans_compare as pc
from models.data import Dataset
from models.errors import ShapanError
from models.views import calendar as cal
from pages._draft import rebased_draft
from pages._evaluation import forecast_2020, headed
from pages._ui import download_table, show_error, t

PLANS_HEADERS = {  # column of models.evaluation_display.plans_rows -> locale key of its header
    "label": "col.label", "binding": "col.binding", "target_14": "plans.target_14", "actual": "plans.actual",
    "result_14": "plans.result_14", "margin_14": "evaluation.margin", "target_15": "plans.target_15",
    "step": "plans.step", "status_15": "plans.status_15", "probability_15": "draft.probability",
    "cost": "draft.cost", "basis_15": "plans.basis_15", "unit": "col.unit",
}
ACTUAL_COLUMNS = ["indicator", "year", "value", "source"]
DRAFT_COLUMNS = ["indicator", "target", "comparator"]


def session_actuals(ds: Dataset, district: str) -> pd.DataFrame | None:
    """The actuals typed or uploaded on the 期末评估 page (validated like a file); None if none or bad."""
    typed = st.session_state.get(f"retro_actuals_{district}__saved")
    if typed is None or typed.empty:
        return None
    try:
        return backtest.read_actuals_frame(typed[ACTUAL_COLUMNS], t("retrospective.editor_file"), ds, district)
    except ShapanError:
        return None  # the 期末评估 page shows the error where the table is


def session_drafts(district: str) -> pd.DataFrame:
    drafts = st.session_state.get(f"retro_drafts_{district}__saved")
    if drafts is None:
        return pd.DataFrame(columns=DRAFT_COLUMNS)
    return drafts.dropna(subset=DRAFT_COLUMNS)


def plans_section(ds: Dataset, district: str, lang: str) -> None:
    """The two plans' table, its counts and downloads (CSV/xlsx named with both hashes and the data version)."""
    actuals = session_actuals(ds, district)
    later = None if actuals is None else actuals[actuals["year"] > cal.BASE_YEAR]
    if later is None or later.empty:
        st.info(t("plans.needs_actuals"), icon=":material/info:")
        st.page_link("pages/retrospective.py", label=t("nav.retrospective"), icon=":material/fact_check:")
        return
    forecast = forecast_2020(ds, district)
    evaluation = ev.evaluate_term(ds, district, actuals, forecast)
    try:
        rebased, table, planned = rebased_draft(ds, district, actuals, session_drafts(district))
    except ShapanError as err:
        show_error(err)
        return
    frame = pc.side_by_side(evaluation, table)
    st.dataframe(headed(ed.plans_rows(frame, ds, lang), PLANS_HEADERS), hide_index=True, width="stretch",
                 key="plans_table")
    st.caption(t("plans.note", omitted=pc.omitted(evaluation, table), year=rebased.resolved.scenario.base_year,
                 forecast=forecast.resolved.hash, draft=planned.resolved.hash, version=ds.version))
    download_table(headed(ed.plans_rows(frame, ds, lang, text=False), PLANS_HEADERS),
                   f"plans_14th_15th_{district}_f{forecast.resolved.hash[:8]}",
                   scenario_hash=planned.resolved.hash, data_version=ds.version, key="plans_table")
