"""期末评估 Retrospective: actual values against the plan's targets, and drafts for 2026–2030.

1. Actuals are typed into a table (indicator from the district's targets, year, value, source) or uploaded
   (CSV in UTF-8 / UTF-8 with BOM / GBK, or xlsx). An upload is read by
   :func:`models.backtest.read_actuals` and appended to the table, so typed rows are never lost; a bad file
   shows the error (file, row, column) and leaves the table as it was. The table itself is validated by
   the same function (its rows numbered as in a file: header = row 1).
2. Backtest (:func:`models.backtest.backtest`): met / missed with the shortfall, coloured, downloadable.
3. Extension to 2026–2030: the planner drafts 十五五 targets for modelled indicators; each is evaluated by
   :func:`models.target_modes.evaluate` against the current scenario (projection for the target year, required
   growth from the latest actual or baseline, status), with the drafts and actuals added to the data as
   ``target`` / ``actual`` rows. Drafts stay in the session and download as CSV/xlsx.

Editor tables survive page switches: the last edited frame is kept in the session and becomes the
editor's starting data when its widget state is gone.
"""

from __future__ import annotations

import dataclasses
from typing import Any

import pandas as pd
import streamlit as st

from models import backtest, charts, target_modes
from models import evaluation_display as ed
from models.data import COMPARATORS, INDICATOR_COLUMNS, Dataset
from models.errors import ShapanError
from pages._cache import resolved, result
from pages._draft import draft_section
from pages._evaluation import evaluation_section, headed
from pages._session import current_district, current_lang, data
from pages._ui import download_table, page_header, plain, provenance_caption, show_error, t

EXTENSION_YEAR = 2030  # end of the 15th Five-Year Plan period (2026–2030) the drafts are for
DRAFT_SOURCE = "draft"
ACTUAL_COLUMNS = ["indicator", "year", "value", "source"]
DRAFT_COLUMNS = ["indicator", "target", "comparator"]
BACKTEST_HEADERS = {  # column of models.evaluation_display.backtest_rows -> locale key of its header
    "label": "col.label", "year": "col.year", "target": "retrospective.target", "actual": "retrospective.actual",
    "result": "retrospective.result", "shortfall": "retrospective.shortfall", "unit": "col.unit",
    "binding": "col.binding", "locator": "col.locator", "actual_source": "retrospective.actual_source",
}
MET_COLOURS = {True: charts.STATUS_COLOURS["met"], False: charts.STATUS_COLOURS["off_track"]}


# ------------------------------------------------------------------------------------- kept editors


def kept_editor(name: str, empty: pd.DataFrame, **kwargs: Any) -> pd.DataFrame:
    """``st.data_editor`` whose rows outlive the widget (page switches); returns the edited frame."""
    saved_key, base_key, ver_key = f"{name}__saved", f"{name}__base", f"{name}__ver"
    wkey = f"{name}__{st.session_state.setdefault(ver_key, 0)}"
    if wkey not in st.session_state or base_key not in st.session_state:
        st.session_state[base_key] = st.session_state.get(saved_key, empty)
    edited = st.data_editor(st.session_state[base_key], key=wkey, num_rows="dynamic", hide_index=True,
                            width="stretch", **kwargs)
    st.session_state[saved_key] = edited
    return edited


def replace_rows(name: str, frame: pd.DataFrame) -> None:
    """Give the editor new starting rows (after an upload or a clear) and restart its widget."""
    st.session_state[f"{name}__saved"] = frame.reset_index(drop=True)
    st.session_state.pop(f"{name}__base", None)
    st.session_state[f"{name}__ver"] = st.session_state.get(f"{name}__ver", 0) + 1


def empty_actuals() -> pd.DataFrame:
    return pd.DataFrame({"indicator": pd.Series(dtype="object"), "year": pd.Series(dtype="Int64"),
                         "value": pd.Series(dtype="float64"), "source": pd.Series(dtype="object")})


def empty_drafts() -> pd.DataFrame:
    return pd.DataFrame({"indicator": pd.Series(dtype="object"), "target": pd.Series(dtype="float64"),
                         "comparator": pd.Series(dtype="object")})


# ------------------------------------------------------------------------------------------ actuals


def target_indicators(ds: Dataset, district: str) -> list[str]:
    ind = ds.indicators_for(district)
    return list(dict.fromkeys(ind[(ind["kind"] == "target") & ind["value"].notna()]["indicator"]))


def actuals_editor(ds: Dataset, district: str, name: str) -> pd.DataFrame:
    lang = current_lang()
    saved = st.session_state.get(f"{name}__saved", empty_actuals())
    options = list(dict.fromkeys([*target_indicators(ds, district), *saved["indicator"].dropna()]))
    lo, hi = backtest.YEARS
    return kept_editor(name, empty_actuals(), column_config={
        "indicator": st.column_config.SelectboxColumn(t("col.label"), options=options, required=True,
                                                      format_func=lambda i: ds.label(i, lang), width="large"),
        "year": st.column_config.NumberColumn(t("col.year"), min_value=lo, max_value=hi, step=1, format="%d",
                                              required=True),
        "value": st.column_config.NumberColumn(t("col.value"), required=True),
        "source": st.column_config.TextColumn(t("col.source")),
    })


def upload(box: Any, ds: Dataset, district: str, name: str, typed: pd.DataFrame) -> None:
    """Read an uploaded actuals file once; append its rows to the table or remember its error."""
    file = box.file_uploader(t("retrospective.upload"), type=["csv", "xlsx"], key=f"retro_upload_{district}",
                             help=t("retrospective.upload_help"))
    if file is None:
        return
    seen_key = f"retro_upload_seen_{district}"
    seen = st.session_state.get(seen_key)
    if seen is not None and seen[0] == file.file_id:
        if seen[1] is not None:
            with box:
                show_error(seen[1])
        return
    try:
        rows = backtest.read_actuals(file.getvalue(), file.name, ds, district)
    except ShapanError as err:
        st.session_state[seen_key] = (file.file_id, err)
        with box:
            show_error(err)
        return
    st.session_state[seen_key] = (file.file_id, None)
    note = t("retrospective.uploaded", file=plain(file.name), rows=len(rows))
    st.session_state[f"retro_upload_note_{district}"] = note
    added = rows[rows["kind"] == "actual"][ACTUAL_COLUMNS]
    replace_rows(name, pd.concat([typed[ACTUAL_COLUMNS], added], ignore_index=True))
    st.rerun()


def validated_actuals(ds: Dataset, district: str, typed: pd.DataFrame) -> pd.DataFrame | None:
    """The typed table read like a file (same checks, rows numbered header = 1); None if empty or bad."""
    if typed.empty:
        return None
    try:  # the file validator on the typed cells themselves (no CSV round trip: shown as typed)
        return backtest.read_actuals_frame(typed[ACTUAL_COLUMNS], t("retrospective.editor_file"), ds, district)
    except ShapanError as err:
        show_error(err)
        st.caption(t("retrospective.row_hint"))
        return None


def backtest_table(ds: Dataset, district: str, actuals: pd.DataFrame, res: Any) -> None:
    lang = current_lang()
    bt = backtest.backtest(ds, district, actuals)
    if bt.empty:
        st.info(t("retrospective.no_match"), icon=":material/info:")
        return
    met, missed = t("retrospective.met"), t("retrospective.missed")
    cols = st.columns(2)
    cols[0].metric(met, int(bt["met"].sum()))
    cols[1].metric(missed, int((~bt["met"]).sum()))
    table = headed(ed.backtest_rows(bt, ds, lang), BACKTEST_HEADERS)
    colours = {met: MET_COLOURS[True], missed: MET_COLOURS[False]}
    styled = table.style.map(lambda v: f"background-color: {colours[v]}; color: white" if v in colours
                             else "", subset=[t("retrospective.result")])
    st.dataframe(styled, hide_index=True, width="stretch", key="retro_backtest")
    derived = actuals[actuals["kind"] == "derived"]
    if not derived.empty:
        st.caption(t("retrospective.derived_note", n=len(derived)))
    download_table(headed(ed.backtest_rows(bt, ds, lang, text=False), BACKTEST_HEADERS), f"backtest_{district}",
                   scenario_hash=res.hash, data_version=ds.version)


# -------------------------------------------------------------------------------------- 2026–2030


def extended_data(ds: Dataset, district: str, actuals: pd.DataFrame | None, drafts: pd.DataFrame) -> Dataset:
    """The dataset plus the typed actuals (kind ``actual``) and the drafts (kind ``target``, source draft)."""
    units = dict(zip(ds.meta["indicator"], ds.meta["unit"], strict=True))
    blank = dict.fromkeys(INDICATOR_COLUMNS, "")
    rows = [{**blank, "district": district, "indicator": d.indicator, "year": EXTENSION_YEAR,
             "value": float(d.target), "unit": units.get(d.indicator, ""), "kind": "target",
             "comparator": d.comparator, "source": DRAFT_SOURCE} for d in drafts.itertuples()]
    if actuals is not None:
        rows += [{**blank, "district": district, "indicator": a.indicator, "year": int(a.year),
                  "value": float(a.value), "unit": units.get(a.indicator, ""), "kind": a.kind,
                  "source": a.source or "actual"} for a in actuals.itertuples()]
    extra = pd.DataFrame(rows, columns=INDICATOR_COLUMNS).astype(ds.indicators.dtypes.to_dict())
    return dataclasses.replace(ds, indicators=pd.concat([ds.indicators, extra], ignore_index=True))


def extension(ds: Dataset, district: str, actuals: pd.DataFrame | None, res: Any) -> None:
    lang = current_lang()
    run = result()
    modelled = list(run.series)
    comparators = sorted(COMPARATORS - {"sync"}, reverse=True)
    name = f"retro_drafts_{district}"
    drafts = kept_editor(name, empty_drafts(), column_config={
        "indicator": st.column_config.SelectboxColumn(t("col.label"), options=modelled, required=True,
                                                      format_func=lambda i: ds.label(i, lang), width="large"),
        "target": st.column_config.NumberColumn(t("retrospective.target_year", year=EXTENSION_YEAR),
                                                required=True),
        "comparator": st.column_config.SelectboxColumn(t("col.comparator"), options=comparators,
                                                       default=comparators[0], required=True,
                                                       format_func=lambda c: ed.SYMBOLS.get(c, c)),
    })
    complete = drafts.dropna(subset=DRAFT_COLUMNS)
    if len(complete) < len(drafts):
        st.caption(t("retrospective.incomplete", n=len(drafts) - len(complete)))
    if complete.empty:
        st.info(t("retrospective.drafts_empty"), icon=":material/edit_note:")
        return
    frame = target_modes.evaluate(run, extended_data(ds, district, actuals, complete))
    frame = frame[(frame["source"] == DRAFT_SOURCE) & (frame["year"] == EXTENSION_YEAR)]
    table = pd.DataFrame({
        t("col.label"): [ds.label(i, lang) for i in frame["indicator"]],
        t("col.comparator"): [ed.SYMBOLS.get(c, c) for c in frame["comparator"]],
        t("retrospective.target_year", year=EXTENSION_YEAR): frame["target"],
        t("retrospective.projected", year=EXTENSION_YEAR): frame["projected"],
        t("retrospective.latest"): frame["baseline"],
        t("retrospective.latest_year"): frame["baseline_year"],
        t("retrospective.required_growth"): frame["required_growth"],
        t("retrospective.gap"): frame["gap"],
        t("retrospective.status"): [charts.status_label(s, lang) for s in frame["status"]],
        t("col.unit"): [ed.unit_text(u, lang, ds) for u in frame["unit"]],
    })
    st.dataframe(table, hide_index=True, width="stretch", key="retro_extension", column_config={
        t("retrospective.latest_year"): st.column_config.NumberColumn(format="%d"),
        t("retrospective.required_growth"): st.column_config.NumberColumn(format="%.2f")})
    st.caption(t("retrospective.extension_note", year=EXTENSION_YEAR, hash=res.hash))
    download_table(table, f"targets_{EXTENSION_YEAR}_{district}", scenario_hash=res.hash,
                   data_version=ds.version)


# ------------------------------------------------------------------------------------------------ page

ds = data()
district = current_district()
res = resolved()
page_header("nav.retrospective")
provenance_caption(res.hash, ds.version)

st.subheader(t("retrospective.actuals"))
st.caption(t("retrospective.actuals_help"))
upload_box = st.container()
editor_name = f"retro_actuals_{district}"
typed = actuals_editor(ds, district, editor_name)
note = st.session_state.pop(f"retro_upload_note_{district}", None)
if note:
    upload_box.success(note, icon=":material/upload_file:")
upload(upload_box, ds, district, editor_name, typed)
if not typed.empty:
    st.button(t("retrospective.clear"), key=f"retro_clear_{district}", icon=":material/delete:",
              on_click=replace_rows, args=(editor_name, empty_actuals()))

st.subheader(t("retrospective.backtest"))
actuals = validated_actuals(ds, district, typed)
if actuals is None and typed.empty:
    st.info(t("retrospective.enter_first"), icon=":material/info:")
elif actuals is not None:
    backtest_table(ds, district, actuals, res)

st.subheader(t("evaluation.heading"))
st.caption(t("evaluation.help"))
if actuals is None:
    st.info(t("evaluation.enter_first"), icon=":material/info:")
else:
    evaluation_section(ds, district, actuals)

st.subheader(t("retrospective.extension", year=EXTENSION_YEAR))
st.caption(t("retrospective.extension_help", year=EXTENSION_YEAR))
extension(ds, district, actuals, res)

st.subheader(t("draft.heading"))
st.caption(t("draft.help"))
later = None if actuals is None else actuals[actuals["year"] > 2020]
if later is None or later.empty:
    st.info(t("draft.needs_base"), icon=":material/info:")
else:
    draft_section(ds, district, actuals, st.session_state.get(f"retro_drafts_{district}__saved", empty_drafts())
                  .dropna(subset=DRAFT_COLUMNS))
