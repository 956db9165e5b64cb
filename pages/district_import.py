"""自建区县 Bring your district: the district workbook, reading a plan's indicator table, importing.

Three steps, each usable alone: (1) download the workbook, blank or filled for the current district;
(2) read the indicator table of a plan document (.docx/.txt) into a review grid, confirm or edit each row,
download a workbook holding the confirmed rows; (3) upload a filled workbook: it is validated (errors
name sheet, row and column) and stored as a user district under SHAPAN_HOME, then selectable in the
sidebar like a shipped district. The user's districts are listed with a remove button.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from models import plan_extract, user_districts, workbook
from models.errors import ShapanError
from models.workbook_store import import_workbook
from pages._session import current_district, data
from pages._ui import XLSX_MIME, district_name, page_header, show_error, t

REVIEW_KEY = "di_review"
IMPORT_REQUEST = "di_import_request"


def download_step() -> None:
    ds = data()
    st.subheader(t("district_import.step_download"))
    st.caption(t("district_import.download_hint"))
    with st.container(horizontal=True):
        st.download_button(
            t("district_import.download_blank"), data=lambda: workbook.export_workbook(ds),
            file_name="shapan_district_template.xlsx", mime=XLSX_MIME, key="di_blank", on_click="ignore",
            icon=":material/download:",
        )
        district = current_district()
        st.download_button(
            t("district_import.download_filled", district=district_name()),
            data=lambda: workbook.export_workbook(ds, district), file_name=f"shapan_district_{district}.xlsx",
            mime=XLSX_MIME, key="di_filled", on_click="ignore", icon=":material/download:",
        )


def _review_grid(review: pd.DataFrame) -> pd.DataFrame:
    col = st.column_config
    return st.data_editor(
        review, key="di_grid", hide_index=True, width="stretch", num_rows="dynamic",
        column_order=["use", "indicator", "label", "year", "value", "unit", "kind", "comparator", "binding",
                      "locator", "published", "candidates", "match", "flags"],
        column_config={
            "use": col.CheckboxColumn(t("district_import.col_use")),
            "indicator": col.TextColumn(t("district_import.col_indicator"), help=t("district_import.id_help")),
            "label": col.TextColumn(t("col.label"), disabled=True),
            "year": col.NumberColumn(t("col.year"), format="%d"),
            "value": col.NumberColumn(t("col.value")),
            "unit": col.TextColumn(t("col.unit")),
            "kind": col.SelectboxColumn(t("col.kind"), options=list(workbook.KINDS)),
            "comparator": col.SelectboxColumn(t("col.comparator"), options=["", *workbook.COMPARATORS]),
            "binding": col.SelectboxColumn(t("col.binding"), options=["", *workbook.BINDINGS]),
            "locator": col.TextColumn(t("col.locator")),
            "published": col.TextColumn(t("col.published")),
            "candidates": col.TextColumn(t("district_import.col_candidates"), disabled=True),
            "match": col.ProgressColumn(t("district_import.col_match"), min_value=0.0, max_value=1.05,
                                        format="%.2f"),
            "flags": col.TextColumn(t("district_import.col_flags"), disabled=True),
        },
    )


def extract_step() -> None:
    st.subheader(t("district_import.step_extract"))
    st.caption(t("district_import.extract_hint"))
    upload = st.file_uploader(t("district_import.plan_file"), type=["docx", "txt"], key="di_plan")
    if upload is None:
        st.session_state.pop(REVIEW_KEY, None)
        return
    if st.session_state.get(REVIEW_KEY, (None,))[0] != upload.file_id:
        try:
            rows = plan_extract.extract(upload.getvalue(), upload.name, data().meta)
        except ShapanError as err:
            show_error(err)
            return
        st.session_state[REVIEW_KEY] = (upload.file_id, rows)
    review = st.session_state[REVIEW_KEY][1]
    if review.empty:
        st.warning(t("district_import.no_table"), icon=":material/search_off:")
        return
    st.caption(t("district_import.review_hint", rows=len(review), matched=plan_extract.matched(review)))
    edited = _review_grid(review)
    figures = plan_extract.to_figures(edited)
    st.download_button(
        t("district_import.download_reviewed", rows=len(figures)),
        data=lambda: workbook.export_workbook(data(), None, figures), file_name="shapan_district_from_plan.xlsx",
        mime=XLSX_MIME, key="di_reviewed", on_click="ignore", icon=":material/download:", disabled=not figures,
    )


def import_step() -> None:
    st.subheader(t("district_import.step_import"))
    st.caption(t("district_import.import_hint"))
    upload = st.file_uploader(t("district_import.workbook_file"), type=["xlsx"], key="di_workbook")
    new_id = st.text_input(t("district_import.new_id"), key="di_id", help=t("district_import.new_id_help"))
    st.button(t("district_import.import_button"), key="di_import", type="primary", disabled=upload is None,
              on_click=st.session_state.__setitem__, args=(IMPORT_REQUEST, True))
    if st.session_state.pop(IMPORT_REQUEST, False) and upload is not None:  # a request survives st.rerun
        try:
            out = import_workbook(upload.getvalue(), upload.name, data(), new_id.strip() or None)
        except ShapanError as err:
            show_error(err)
            return
        user_districts.reload()
        st.session_state["di_last"] = out
        st.rerun()  # the sidebar (drawn before this page) lists the new district
    out = st.session_state.get("di_last")
    if out:
        st.success(t("district_import.imported", id=out["id"], rows=out["rows"]), icon=":material/check_circle:")
        for warning in out["warnings"]:
            st.warning(warning, icon=":material/flag:")


def _remove(district: str) -> None:
    user_districts.remove(district)
    user_districts.reload()


def user_list() -> None:
    ds = data()
    st.subheader(t("district_import.user_list"))
    if not ds.user_districts:
        st.caption(t("district_import.none_yet", home=str(user_districts.home())))
    for district in ds.user_districts:
        row = ds.district(district)
        with st.container(horizontal=True, key=f"di_row_{district}"):
            st.markdown(f"**{row['name_zh']}** `{district}` · {ds.sources[row['plan_source']]['title']}")
            st.button(t("district_import.remove"), key=f"di_remove_{district}", icon=":material/delete:",
                      disabled=district == current_district(), on_click=_remove, args=(district,))
    for error in ds.user_errors:
        st.error(t("district_import.broken", detail=error), icon=":material/error:")


def page() -> None:
    page_header("nav.district_import")
    download_step()
    extract_step()
    import_step()
    user_list()


page()
