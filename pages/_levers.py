"""Reusable scenario-parameter widgets ("levers") for every page.

``lever("beds.los_mean_years")`` renders one input for a scenario parameter (``models.scenario.PARAMS``):

* the widget follows the parameter's kind: number input (or slider with ``slider=True``) for numbers,
  toggle for true/false, select box for a choice (``benefits.rule``);
* range from :func:`models.scenario.param_range` (spec, else ``data/assumptions.toml`` min/max);
* label and unit from ``ds.assumptions`` for assumption-backed keys, else from the locale
  (``models.scenario.PARAM_TEXT``);
* the current value is the *resolved* value (user > district data > assumption) and a badge says where it
  came from; the help tooltip gives the reason of an assumption, the data row, or the source title;
* a change is written with :func:`pages._scenarios.set_param` (validated); a reset button appears when the
  value is user-set. Errors are shown in place, never raised.

The widget key is the scenario key itself (plus ``key_suffix``): a lever has one name from widget to model
(the model field is the key's last segment, :mod:`models.params`). The widget follows the resolved value on
every run, so a district switch shows the new district's value.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import streamlit as st

from models import lever_spec
from models import scenario as sc
from models.errors import ShapanError
from pages import _cache, _scenarios, _session
from pages._ui import id_label, show_error, t

# provenance prefix (models.resolve) -> (locale key, badge colour)
PROVENANCE = {
    "user": ("levers.prov_user", "blue"), "data": ("levers.prov_data", "green"),
    "derived": ("levers.prov_derived", "green"), "calibrated": ("levers.prov_calibrated", "green"),
    "source": ("levers.prov_source", "green"), "assumption": ("levers.prov_assumption", "orange"),
    "assumed": ("levers.prov_assumption", "orange"), "default": ("levers.prov_default", "gray"),
    "not published": ("levers.prov_missing", "red"),
}


def widget_key(key: str, key_suffix: str = "") -> str:
    """Session-state key of the lever widget for scenario key ``key``: the key itself."""
    return f"{key}{key_suffix}"


def label_of(key: str) -> str:
    """Label of a parameter in the active language (assumptions.toml, else models.scenario.PARAM_TEXT)."""
    return sc.param_label(key, _session.current_lang(), _session.data().assumptions)


def unit_of(key: str) -> str:
    return sc.param_unit(key, _session.current_lang(), _session.data().assumptions)


def provenance_kind(provenance: str) -> str:
    """``user`` / ``data`` / ``derived`` / ``source`` / ``assumption`` / ``default`` / ``not published``."""
    if provenance.startswith("not published"):
        return "not published"
    head = provenance.split(":", 1)[0].strip()
    if head == "data" and "(derived," in provenance:  # a derived indicator row, e.g. beds ÷ beds per 1,000
        return "derived"
    return head if head in PROVENANCE else "default"


def provenance_detail(provenance: str, ds: Any = None, lang: str | None = None) -> str:
    """Human text for the tooltip: the assumption's reason, the source title, or the data row cited."""
    kind = provenance_kind(provenance)
    rest = provenance.split(":", 1)[1].strip() if ":" in provenance else ""
    ds = _session.data() if ds is None else ds
    if kind == "assumption" and rest:
        entry = ds.assumptions.get(rest.split()[0])
        if entry is not None:
            label = entry.label_zh if (lang or _session.current_lang()) == "zh" else entry.label_en
            reason = entry.reason or entry.note
            head = f"{label} = {entry.value:g} {entry.unit}"
            return f"{head}：{reason}" if reason else head
    if kind == "source" and rest:
        return str(ds.sources.get(rest, {}).get("title", rest))
    return rest or provenance


def provenance_badge(provenance: str) -> str:
    """Markdown badge naming where a value came from (user / data / assumption ...)."""
    key, colour = PROVENANCE[provenance_kind(provenance)]
    return f":{colour}-badge[{t(key)}]"


def _on_change(key: str, wkey: str) -> None:
    value = st.session_state.get(wkey)
    st.session_state.pop(f"{wkey}__err", None)
    try:
        if value is None:
            _scenarios.reset_param(key)
        else:
            _scenarios.set_param(key, value)
    except ShapanError as err:
        st.session_state[f"{wkey}__err"] = err


@dataclass(frozen=True)
class _Context:
    """What every lever of one render reads: fetched once per ``levers()`` call, not once per lever."""

    res: Any
    ds: Any
    lang: str
    user_keys: frozenset[str]


def _context() -> _Context:
    return _Context(_cache.resolved(), _session.data(), _session.current_lang(),
                    frozenset(_scenarios.current_scenario().params))


def _help(key: str, provenance: str, lo: Any, hi: Any, extra: str | None, ctx: _Context) -> str:
    kind_key = PROVENANCE[provenance_kind(provenance)][0]
    parts = [f"**{t(kind_key)}**：{provenance_detail(provenance, ctx.ds, ctx.lang)}"]
    if lo is not None or hi is not None:
        low, high = ("—" if v is None else f"{v:g}" for v in (lo, hi))
        parts.append(t("levers.range", min=low, max=high))
    parts.append(t("levers.key", param=key))
    if extra:
        parts.append(extra)
    return "\n\n".join(parts)


def _widget(key: str, wkey: str, label: str, help_text: str, value: Any, *, slider: bool,
            step: Any, fmt: str | None, disabled: bool, assumptions: Any) -> None:
    spec = sc.PARAMS[key]
    common = {"key": wkey, "help": help_text, "on_change": _on_change, "args": (key, wkey),
              "disabled": disabled}
    if spec.kind is bool:
        st.toggle(label, **common)
        return
    if spec.choices:
        names = {c: id_label("rule", c, title=True) for c in spec.choices}  # bound now: AppTest formats later
        st.selectbox(label, options=list(spec.choices), format_func=names.__getitem__, **common)
        return
    lo, hi, step, fmt = lever_spec.number_spec(key, value, assumptions, step, fmt)
    if slider and lo is not None and hi is not None and value is not None:
        st.slider(label, min_value=lo, max_value=hi, step=step, format=fmt, **common)
    else:
        st.number_input(label, min_value=lo, max_value=hi, step=step, format=fmt, **common)


def lever(key: str, *, slider: bool = False, step: float | None = None, fmt: str | None = None,
          label: str | None = None, help: str | None = None, key_suffix: str = "",
          disabled: bool = False, _ctx: _Context | None = None) -> Any:
    """Render the lever for scenario parameter ``key``; returns its current resolved value.

    ``key``: a ``models.scenario.PARAMS`` key, e.g. ``"beds.los_mean_years"``; ``slider``: a slider (numbers with
    a finite range); ``step``/``fmt``: override the number input's step and printf format; ``label``/``help``:
    override the label, extra tooltip text; ``key_suffix``: to render the same parameter twice on one page.
    """
    if key not in sc.PARAMS:
        raise KeyError(f"unknown scenario parameter {key!r}")
    spec = sc.PARAMS[key]
    ctx = _context() if _ctx is None else _ctx
    res, assumptions = ctx.res, ctx.ds.assumptions
    value = lever_spec.display(res.values.get(key), spec.kind)
    provenance = str(res.provenance.get(key, "default"))
    lo, hi = sc.param_range(key, assumptions)
    unit, name = sc.param_unit(key, ctx.lang, assumptions), sc.param_label(key, ctx.lang, assumptions)
    text = label or (f"{name}（{unit}）" if unit and spec.kind in (int, float) else name)
    wkey = widget_key(key, key_suffix)
    st.session_state[wkey] = value  # follow the scenario (reset, preset load, goal-seek apply, upload)
    # widget, then one row: badge + reset (when user-set). Two blocks fewer than columns per lever: a beds
    # lever change sends ~45 messages fewer (benchmarks/load_test.py --rerender-only)
    _widget(key, wkey, text, _help(key, provenance, lo, hi, help, ctx), value, slider=slider, step=step,
            fmt=fmt, disabled=disabled, assumptions=assumptions)
    with st.container(horizontal=True, vertical_alignment="center", gap="small"):
        st.caption(provenance_badge(provenance))
        if key in ctx.user_keys:
            st.button("", icon=":material/undo:", key=f"{wkey}__reset", help=t("levers.reset"),
                      on_click=_scenarios.reset_param, args=(key,), type="tertiary")
    err = st.session_state.pop(f"{wkey}__err", None)
    if err is not None:
        show_error(err)
    return res.values.get(key)


def levers(keys: list[str] | tuple[str, ...], *, columns: int = 2, **kwargs: Any) -> None:
    """Several levers in a grid of ``columns`` columns."""
    cols, ctx = st.columns(columns), _context()
    for i, key in enumerate(keys):
        with cols[i % columns]:
            lever(key, _ctx=ctx, **kwargs)


def section_keys(section: str) -> list[str]:
    """All parameter keys of one scenario section (``"population"``, ``"uncertainty"`` ...)."""
    return [k for k in sc.PARAMS if k.startswith(f"{section}.")]
