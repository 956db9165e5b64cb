"""十五五 section of the retrospective page: the baseline rebased on the entered actuals (base figures with
their sources) and the 2030 draft target table (models.rebase, models.draft). Thin: no arithmetic here."""

from __future__ import annotations

import hashlib

import pandas as pd
import streamlit as st

from models import draft as dr
from models import draft_docx
from models import evaluation_display as ed
from models import rebase as rb
from models import report as rp
from models import scenario as sc
from models.data import Dataset
from models.errors import ShapanError
from models.export import to_csv_bytes
from pages._evaluation import headed, scenario_label
from pages._session import current_lang
from pages._ui import show_error, t

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@st.cache_resource(show_spinner=False, max_entries=8)
def _rebased(_ds: Dataset, data_version: str, district: str, key: str, _actuals: pd.DataFrame,
             base_year: int) -> rb.Rebased:
    return rb.rebase(dr.default_scenario(_ds, district), _ds, _actuals, base_year)


@st.cache_resource(show_spinner=False, max_entries=8)
def _draft(_ds: Dataset, data_version: str, district: str, key: str, _rebased: rb.Rebased,
           own: tuple[tuple[str, float, str], ...]) -> tuple[pd.DataFrame, rb.Rebased]:
    table = dr.draft(_ds, district, _rebased, {i: (v, c) for i, v, c in own})
    return table, dr.draft_scenario(_ds, _rebased, table)


BASES_HEADERS = {"label": "col.label", "year": "col.year", "value": "col.value", "unit": "col.unit",
                 "kind": "draft.kind", "source": "col.source"}
DRAFT_HEADERS = {
    "label": "col.label", "target": "draft.target", "base": "draft.base", "projected": "draft.projected",
    "status": "retrospective.status", "probability": "draft.probability",
    "required_growth": "retrospective.required_growth", "cost": "draft.cost", "decided_by": "draft.decided_by",
    "reason": "draft.reason", "reference": "draft.reference", "unit": "col.unit",
}


def rebased_draft(ds: Dataset, district: str, actuals: pd.DataFrame,
                  drafts: pd.DataFrame) -> tuple[rb.Rebased, pd.DataFrame, rb.Rebased]:
    """The baseline rebased on the latest year of the actuals, the 2030 draft (the planner's own ≥/≤
    targets replacing suggestions) and the draft's plan path; cached. Raises ShapanError."""
    base_year = int(actuals["year"].max())
    key = hashlib.sha256(to_csv_bytes(actuals)).hexdigest()[:16]
    own = tuple((d.indicator, float(d.target), d.comparator) for d in drafts.itertuples()
                if d.comparator in (">=", "<="))
    rebased = _rebased(ds, ds.version, district, key, actuals, base_year)
    table, planned = _draft(ds, ds.version, district, f"{key}{own}", rebased, own)
    return rebased, table, planned


def draft_section(ds: Dataset, district: str, actuals: pd.DataFrame, drafts: pd.DataFrame) -> None:
    """Rebase on the latest year of the actuals; show base figures and the costed, risk-rated draft."""
    lang = current_lang()
    try:
        rebased, table, planned = rebased_draft(ds, district, actuals, drafts)
    except ShapanError as err:
        show_error(err)
        return
    base_year = rebased.resolved.scenario.base_year
    st.caption(t("draft.rebased_note", year=base_year, scenario=scenario_label(rebased.original.scenario.name),
                 hash=rebased.resolved.hash))
    st.dataframe(headed(ed.bases_rows(rebased.bases, ds, lang), BASES_HEADERS), hide_index=True, width="stretch",
                 key="draft_bases")
    st.dataframe(headed(ed.draft_rows(table, ds, lang), DRAFT_HEADERS), hide_index=True, width="stretch",
                 key="draft_table")
    st.caption(t("draft.note", hash=planned.resolved.hash))
    with st.container(horizontal=True):
        st.download_button(t("draft.download_xlsx"), data=dr.export_xlsx(ds, table, planned.resolved.hash, lang),
                           file_name=f"15th_plan_indicators_{district}_{planned.resolved.hash}.xlsx",
                           mime=XLSX_MIME, key="dl_draft_xlsx", on_click="ignore", icon=":material/table:")
        st.download_button(t("draft.download_docx"),
                           data=lambda: draft_docx.export_docx(ds, table, district, planned.resolved.hash, lang,
                                                               rp.report_date()),
                           file_name=f"15th_plan_indicators_{district}_{planned.resolved.hash}.docx", mime=DOCX_MIME,
                           key="dl_draft_docx", on_click="ignore", icon=":material/description:")
        st.download_button(t("draft.download_scenario"), data=sc.dumps(planned.resolved.scenario).encode("utf-8"),
                           file_name=f"{district}_draft_15th.toml", mime="application/toml", key="dl_draft_toml",
                           on_click="ignore", icon=":material/save:")
