"""Target scorecard for display: the rows of ``_cache.targets()`` with labels, plan text and sources.

Shared by the overview (every target) and the targets page (P(target met)). No figures are computed
here: the frame is ``models.target_modes.evaluate`` output relabelled for the user's language; colours come
from ``models.charts.STATUS_COLOURS``.
"""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st

from models import authority, labels
from models.charts import STATUS_COLOURS, domain_label, mode_label, status_label
from models.reporting import fmt as rfmt
from models.reporting.content import target_text
from models.views.fmt import trimmed as fmt  # noqa: F401 - the pages' number format (models/views/fmt.py)
from models.views.fmt import with_unit  # noqa: F401
from pages import _cache, _session
from pages._ui import t, t_or

# status and P(met) right after the (pinned) label so both show at 1366 px; explanation columns follow.
# No internal id column (issue 15): the indicator is shown by its label.
COLUMNS = ["label", "status", "probability", "year", "target_text", "projected", "baseline", "baseline_year", "unit",
           "mode", "decided_by", "reason", "required_growth", "binding", "domain", "source"]


def mc_key(res_hash: str, n: int) -> tuple[str, int]:
    return (res_hash, int(n))


def mc_done(res_hash: str, n: int) -> bool:
    """Whether the user ran the Monte Carlo for this scenario and draw count in this session."""
    return mc_key(res_hash, n) in st.session_state.get("mc_done", set())


def request_monte_carlo(n: int) -> None:
    """Button callback: ask for a Monte Carlo run on the next script run (survives a rerun)."""
    st.session_state["mc_request"] = int(n)


def monte_carlo_requested(n: int) -> bool:
    """Whether the button asked for ``n`` draws (consumes the request)."""
    return st.session_state.pop("mc_request", None) == int(n)


def run_monte_carlo(n: int) -> None:
    """Draws + P(target met) for the current scenario, with a progress bar (results are cached)."""
    res = _cache.resolved()
    bar = st.progress(0.0, text=t("scorecard.mc_running", n=n))
    _cache.monte_carlo(n)
    bar.progress(0.6, text=t("scorecard.mc_running", n=n))
    _cache.targets(mc_n=n)
    bar.progress(1.0, text=t("scorecard.mc_done", n=n))
    st.session_state.setdefault("mc_done", set()).add(mc_key(res.hash, n))


def frame(targets: pd.DataFrame) -> pd.DataFrame:
    """Display frame: labels, the target in the user's language, values rounded to the plan's unit (whole
    people and beds), binding words from the label registry (models/labels), unit words from the locale
    files; ``status`` stays an id here (coloured and translated by :func:`translate`). No internal id is
    shown."""
    ds = _session.data()
    lang = _session.current_lang()

    def source(row: Any) -> str:
        title = ds.sources.get(row.source, {}).get("title", row.source)
        return f"{title} · {row.locator}" if row.locator else str(title)

    def rounded(column: str) -> list[float]:
        return [round(v, rfmt.decimals(u, ds.units)) if not rfmt.is_missing(v) else v
                for v, u in zip(targets[column], targets["unit"], strict=True)]

    def sources(row: Any) -> str:  # every statement of the target (table and text)
        title = ds.sources.get(row.source, {}).get("title", row.source)
        return f"{title} · " + "；".join(row.locators) if len(row.locators) > 1 else source(row)

    reason = "reason" if lang == "zh" else "reason_en"
    return pd.DataFrame({
        "label": [ds.label(i, lang) for i in targets["indicator"]],
        "status": targets["display_status"],
        # no P(met) where the deterministic model has no projection (the draws are NaN there)
        "probability": targets["probability"].where(targets["status"] != "not_modelled"),
        "year": targets["year"].astype(int),
        "target_text": [target_text(r, lang, ds) for r in targets.itertuples()],
        "projected": rounded("projected"),
        "baseline": rounded("baseline"),
        "baseline_year": targets["baseline_year"].astype("Int64"),
        "unit": [t_or(f"units.{u}", u) if isinstance(u, str) else "" for u in targets["unit"]],
        "mode": [mode_label(m, lang) for m in targets["mode"]],
        "decided_by": [authority.label(d, lang) for d in targets["decided_by"]],
        "reason": targets[reason],
        "required_growth": targets["required_growth"].round(1),
        "binding": [labels.label("binding", b, lang) if b in ("约束性", "预期性") else "" for b in targets["binding"]],
        "domain": [domain_label(d, lang) for d in targets["domain"]],
        "source": [sources(r) for r in targets.itertuples()],
    }, columns=COLUMNS)


def translate(table: pd.DataFrame) -> pd.DataFrame:
    """Status words and column headers in the user's language (for display and download)."""
    lang = _session.current_lang()
    out = table.assign(status=[status_label(s, lang) for s in table["status"]])
    return out.rename(columns={c: t(f"scorecard.col_{c}") for c in out.columns})


def column_config() -> dict[str, Any]:
    return {
        t("scorecard.col_label"): st.column_config.TextColumn(pinned=True, help=t("scorecard.help_label")),
        t("scorecard.col_year"): st.column_config.NumberColumn(format="%d"),
        t("scorecard.col_baseline_year"): st.column_config.NumberColumn(format="%d"),
        t("scorecard.col_target_text"): st.column_config.TextColumn(help=t("scorecard.help_target")),
        t("scorecard.col_baseline"): st.column_config.NumberColumn(format="localized"),
        t("scorecard.col_projected"): st.column_config.NumberColumn(format="localized",
                                                                    help=t("scorecard.help_projected")),
        t("scorecard.col_required_growth"): st.column_config.NumberColumn(
            format="%.1f", help=t("scorecard.help_required_growth")),
        t("scorecard.col_probability"): st.column_config.ProgressColumn(
            format="percent", min_value=0.0, max_value=1.0, help=t("scorecard.help_probability")),
        t("scorecard.col_status"): st.column_config.TextColumn(help=t("scorecard.help_status"), width="small"),
        t("scorecard.col_reason"): st.column_config.TextColumn(help=t("scorecard.help_reason"), width="large"),
        t("scorecard.col_decided_by"): st.column_config.TextColumn(help=t("scorecard.help_decided_by")),
        t("scorecard.col_mode"): st.column_config.TextColumn(help=t("scorecard.help_mode")),
        t("scorecard.col_source"): st.column_config.TextColumn(help=t("scorecard.help_source"),
                                                               width="large"),
    }


def styled(table: pd.DataFrame) -> Any:
    """The translated table with the status cells coloured (models.charts.STATUS_COLOURS)."""
    lang = _session.current_lang()
    colours = {status_label(s, lang): c for s, c in STATUS_COLOURS.items()}
    column = t("scorecard.col_status")
    return table.style.map(lambda v: f"background-color: {colours[v]}; color: #111" if v in colours else "",
                           subset=[column])


def show(table: pd.DataFrame, key: str) -> None:
    """Render a translated scorecard table (coloured status, help on the columns)."""
    st.dataframe(styled(table), hide_index=True, width="stretch", key=key, column_config=column_config(),
                 placeholder="—")
