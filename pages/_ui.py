"""Shared UI plumbing for every page: translation, table/chart export buttons, provenance, errors.

Translation: all UI text lives in ``pages/locale/{zh,en}.toml`` (TOML tables flatten to dotted keys,
``[nav] overview = "概览"`` -> ``t("nav.overview")``). A key missing from the active language raises
``KeyError`` under pytest or when ``SHAPAN_I18N_STRICT=1`` (the browser test sets it); in a normal run it
falls back to the other language, then to the key itself, so a user never sees a crash for a label.
The label of an id a model returns (a programme, a DES metric, a basis …) is not page text: it comes from
the one registry :mod:`models.labels` (``id_label``).

Exports: the byte builders are pure functions in :mod:`models.export`; here they are wired to download
buttons whose data is a callable, so Streamlit builds the file only when the user clicks (vl-convert takes
~0.5 s per chart and must not run on every rerun).
"""

from __future__ import annotations

import os
import sys
import tomllib
from functools import cache
from pathlib import Path
from typing import Any

import streamlit as st

from models import charts, labels
from models.errors import ShapanError
from models.export import chart_to_png, chart_to_svg, export_file_name, to_csv_bytes, to_xlsx_bytes
from models.views import fmt
from models.views.text import plain
from pages._session import LANGS, current_district, current_lang, data

LOCALE_DIR = Path(__file__).resolve().parent / "locale"
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


# ------------------------------------------------------------------------------------------ translation


def _flatten(table: dict[str, Any], prefix: str = "") -> dict[str, str]:
    flat: dict[str, str] = {}
    for key, value in table.items():
        full = f"{prefix}{key}"
        if isinstance(value, dict):
            flat.update(_flatten(value, full + "."))
        else:
            flat[full] = str(value)
    return flat


@cache
def load_locale(lang: str) -> dict[str, str]:
    """All strings of one language as ``{dotted.key: text}``."""
    with (LOCALE_DIR / f"{lang}.toml").open("rb") as fh:
        return _flatten(tomllib.load(fh))


def _strict() -> bool:
    return os.environ.get("SHAPAN_I18N_STRICT") == "1" or "pytest" in sys.modules


def t(key: str, **fmt: Any) -> str:
    """The active language's text for ``key``, formatted with ``fmt`` (``str.format`` fields)."""
    lang = current_lang()
    strings = load_locale(lang)
    if key in strings:
        text = strings[key]
    elif _strict():
        raise KeyError(f"locale key {key!r} missing in pages/locale/{lang}.toml")
    else:
        other = next(x for x in LANGS if x != lang)
        text = load_locale(other).get(key, key)
    return text.format(**fmt) if fmt else text


def has_key(key: str) -> bool:
    """Whether ``key`` exists in the active language (for keys built from data values)."""
    return key in load_locale(current_lang())


def t_or(key: str, default: str) -> str:
    """``t(key)`` for keys built from data values (e.g. a kind or level); ``default`` if absent."""
    return t(key) if has_key(key) else default


def id_label(kind: str, value: Any, *, title: bool = False) -> str:
    """The label of a model id in the active language (:mod:`models.labels`); ``title``: as a heading, menu
    entry or table row (``labels.title``)."""
    return (labels.title if title else labels.label)(kind, value, current_lang())


# ---------------------------------------------------------------------------------------- page frame


def district_name(district_id: str | None = None, lang: str | None = None) -> str:
    """The district's name in the active (or given) language."""
    row = data().district(district_id or current_district())
    return str(row["name_zh"] if (lang or current_lang()) == "zh" else row["name_en"])


def format_number(value: Any, digits: int = 1) -> str:
    """A number with thousands separators and ``digits`` decimals; ``—`` when missing: :func:`models.views.fmt.number`
    (kept for the pages that still call it by this name: benefits, _age_table)."""
    return fmt.number(value, digits)


def page_header(title_key: str) -> None:
    """Page title from the locale plus a caption naming the district and its plan."""
    st.title(t(title_key))
    ds = data()
    row = ds.district(current_district())
    plan = str(ds.sources.get(row["plan_source"], {}).get("title", row["plan_source"]))
    # a user district's name and plan title are typed by its user: shown as plain text
    name, period = plain(district_name()), plain(row["plan_period"])
    if row["plan_period"] in plan:  # the title already names the period, e.g. 巴南 "…规划(2021-2025)"
        st.caption(t("page.district_caption_plain", district=name, plan=plain(plan)))
    else:
        st.caption(t("page.district_caption", district=name, plan=plain(plan), period=period))


def show_error(err: ShapanError) -> None:
    """Show a :class:`ShapanError` in the user's language (as plain text: it quotes the user's input)."""
    st.error(plain(err.message(current_lang())), icon=":material/error:")


def provenance_caption(scenario_hash: str | None, data_version: str) -> None:
    """Caption stating where the numbers above come from: scenario hash (or sourced data) + data version."""
    if scenario_hash:
        st.caption(t("prov.model", hash=scenario_hash[:12], version=data_version))
    else:
        st.caption(t("prov.data", version=data_version))


# --------------------------------------------------------------------------------------------- exports


def download_table(
    df: Any,
    name: str,
    *,
    scenario_hash: str | None = None,
    data_version: str | None = None,
    key: str | None = None,
) -> None:
    """CSV (UTF-8 with BOM) and xlsx download buttons for ``df``; files are built on click.

    ``name`` is the file stem (ASCII preferred); the scenario hash and data version, when given, are
    appended to the file name. ``key`` defaults to ``name`` and must be unique on the page.
    """
    frame = df.copy()
    key = key or name
    with st.container(horizontal=True, key=f"dl_{key}"):
        st.download_button(
            t("export.csv"), data=lambda: to_csv_bytes(frame),
            file_name=export_file_name(name, "csv", scenario_hash, data_version),
            mime="text/csv", key=f"dl_{key}_csv", on_click="ignore", icon=":material/download:",
        )
        st.download_button(
            t("export.xlsx"), data=lambda: to_xlsx_bytes(frame, sheet_name=name),
            file_name=export_file_name(name, "xlsx", scenario_hash, data_version),
            mime=XLSX_MIME, key=f"dl_{key}_xlsx", on_click="ignore", icon=":material/download:",
        )


def chart(
    altair_chart: Any,
    name: str,
    *,
    scenario_hash: str | None = None,
    data_version: str | None = None,
    key: str | None = None,
) -> None:
    """Render a chart full width, with PNG and SVG download buttons (rendered on click).

    A spec from :mod:`models.charts` is shown through :func:`models.charts.display` (data as named datasets,
    so a new scenario's data is swapped in without re-embedding the chart); the scenario hash is printed in
    the row under it, and the exported PNG/SVG carry it in their subtitle.
    """
    if isinstance(altair_chart, dict):  # a Vega-Lite spec from models/charts.py
        st.vega_lite_chart(charts.display(altair_chart), width="stretch")
    else:
        st.altair_chart(altair_chart, width="stretch")
    key = key or name
    with st.container(horizontal=True, key=f"ch_{key}", vertical_alignment="center"):
        if scenario_hash:
            st.caption(t("prov.chart", hash=scenario_hash[:12]))
        st.download_button(
            t("export.png"), data=lambda: chart_to_png(altair_chart),
            file_name=export_file_name(name, "png", scenario_hash, data_version),
            mime="image/png", key=f"ch_{key}_png", on_click="ignore", icon=":material/image:",
            type="tertiary",
        )
        st.download_button(
            t("export.svg"), data=lambda: chart_to_svg(altair_chart),
            file_name=export_file_name(name, "svg", scenario_hash, data_version),
            mime="image/svg+xml", key=f"ch_{key}_svg", on_click="ignore", icon=":material/image:",
            type="tertiary",
        )
