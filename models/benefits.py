"""Benefit-standard paths (低保, 特困, 孤儿, care subsidy) under a rule, and compliance flags.

Model
-----
Every standard is in 元/人·月 and is projected year by year from ``base_year`` (the last observed year,
2020 by default) to ``end_year`` (2035 by default); ``t`` below counts years since ``base_year``.

``fixed_growth``
    ``S(t) = S_base × (1 + g/100)^t`` for urban and rural 低保, each with its own ``g``.
``consumption``
    ``S(t) = max(S(t-1), share × C(t) / 12)`` with ``C(t) = C_base × (1 + g_c/100)^t`` the per-capita
    consumption spending (元/人·年) and ``S(base_year)`` the observed standard: standards follow
    consumption but are never cut. ``share`` is ``consumption_share_pct`` or, when that is ``None``,
    the base year's own ``S_base / (C_base / 12)`` — which reproduces the plans' wording
    "城乡低保标准年度增幅不低于上年度居民人均消费支出增速" (the standard grows with consumption). Enter as
    ``C_base`` the consumption figure used to set the base-year standard (in practice the previous
    year's published figure). Rural consumption defaults to the urban figure (城乡一体).
``convergence``
    Urban 低保 by fixed growth; the rural/urban ratio moves linearly from the base ratio to
    ``target_ratio_pct`` in ``target_year`` and then stays; ``rural = ratio × urban / 100``, never lower
    than the rural fixed-growth path when ``never_below_own_path``.

Under every rule: 特困 ``= max(own fixed-growth path, k × urban 低保)`` with ``k = tekun_multiplier``
(国发〔2016〕14号: 基本生活标准不低于当地低保标准的1.3倍; ``benefits.tekun_multiplier``); orphan
standard on its own growth path; care subsidy ``= pct/100 × minimum wage(t)``, the minimum wage being
a step function of the known ``{year: 元/月}`` values (``data/reference/minimum_wage.csv``), held flat
before the first and after the last known year or, after it, grown at ``min_wage_growth_pct``.
``rural_urban_dibao_ratio`` is always recomputed as ``rural / urban × 100``.

Standards are unrounded by default (model purity); ``round_to_yuan`` rounds half-up to whole yuan as
planners publish them, with the 特困 floor rounded up so that 特困 ≥ k × 低保 still holds.

Defaults for ``tekun_multiplier``, ``cpi_inflation_pct``, ``consumption_growth_pct``,
``consumption_share_pct`` and ``care_subsidy_min_wage_pct`` live in ``data/assumptions.toml``
(``benefits.*``); :func:`assumption_defaults` maps them onto :class:`BenefitParams` fields. A bad value
raises :class:`~models.errors.ShapanError` whose ``key`` is the field name.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from models import labels
from models.errors import ShapanError
from models.params import declared, nan_to_none, reads, scenario_field
from models.views import calendar as cal

RULES = ("fixed_growth", "consumption", "convergence")
COLUMNS = (
    "dibao_urban_standard", "dibao_rural_standard", "rural_urban_dibao_ratio",
    "tekun_standard", "orphan_standard", "care_subsidy",
)
STANDARD_PROGRAMMES = {  # column -> programme id used in flags and in models.budget
    "dibao_urban_standard": "dibao_urban", "dibao_rural_standard": "dibao_rural",
    "tekun_standard": "tekun", "orphan_standard": "orphan", "care_subsidy": "care_subsidy",
}
FLAG_COLUMNS = ["year", "flag", "programme", "value", "threshold", "severity", "message_zh", "message_en"]
YEAR_RANGE = cal.MODEL_YEARS
GROWTH_RANGE_PCT = (-50.0, 100.0)
MIN_WAGE_YEAR_RANGE = (2000, 2040)
_TOL = 1e-9


def params_rule(rule: str) -> str:
    """The scenario's ``benefits.rule`` as this model's rule: under the setter's rules
    (:data:`models.forecast.SETTER_RULES`) the flags are judged on fixed-growth parameters."""
    from models.forecast import SETTER_RULES

    return "fixed_growth" if rule in SETTER_RULES else rule


def _out_of_range(key: str, value: Any, lo: Any, hi: Any) -> ShapanError:
    return ShapanError("out_of_range", file="scenario", key=key, value=value, min=lo, max=hi)


def _check_range(key: str, value: Any, lo: float, hi: float) -> None:
    """Raise naming ``key`` unless every element of ``value`` is finite and within [lo, hi]."""
    arr = np.asarray(value, dtype=float)
    bad = ~np.isfinite(arr) | (arr < lo) | (arr > hi)
    if bad.any():
        raise _out_of_range(key, arr[bad].flat[0] if arr.ndim else float(arr), lo, hi)


@dataclass(frozen=True, kw_only=True)
class BenefitParams:
    """Inputs of the benefit-standard model; growth in %/年, standards in 元/人·月.

    Required: base standards, growth rates, ``tekun_multiplier`` and ``cpi_inflation_pct`` (see
    :func:`assumption_defaults`). ``orphan_base_yuan_month`` ``None`` -> orphan column NaN; care subsidy NaN
    unless both ``care_subsidy_min_wage_pct`` and ``min_wage_yuan_month`` are given.
    ``min_wage_yuan_month`` may be passed as a ``{year: 元/月}`` dict; it is stored as sorted pairs.
    ``target_ratio_pct``/``target_ratio_year`` are required by ``convergence`` and used by the ratio flag; the
    year is checked and used only with a ratio (the scenario always carries one, a ratio only when the plan sets it).
    """

    dibao_urban_base_yuan_month: float
    dibao_rural_base_yuan_month: float
    tekun_base_yuan_month: float
    dibao_urban_growth_pct: float = reads("benefits.dibao_urban_growth_pct")
    dibao_rural_growth_pct: float = reads("benefits.dibao_rural_growth_pct")
    tekun_growth_pct: float = reads("benefits.tekun_growth_pct")
    tekun_multiplier: float = reads("benefits.tekun_multiplier")
    cpi_inflation_pct: float = reads("benefits.cpi_inflation_pct")
    rule: str = reads("benefits.rule", convert=params_rule, default="fixed_growth")
    base_year: int = scenario_field("base_year", default=cal.BASE_YEAR)
    end_year: int = scenario_field("end_year", default=cal.HORIZON_END)
    orphan_base_yuan_month: float | None = None
    orphan_growth_pct: float = reads("benefits.orphan_growth_pct", default=0.0)
    consumption_urban_base_yuan_year: float | None = None
    consumption_rural_base_yuan_year: float | None = None
    consumption_growth_pct: float | None = reads("benefits.consumption_growth_pct", default=None)
    consumption_share_pct: float | None = reads("benefits.consumption_share_pct", default=None)
    target_ratio_pct: float | None = reads("benefits.target_ratio_pct", convert=nan_to_none, default=None)
    target_ratio_year: int | None = reads("benefits.target_ratio_year", default=None)
    never_below_own_path: bool = True
    care_subsidy_min_wage_pct: float | None = reads("benefits.care_subsidy_min_wage_pct", default=None)
    min_wage_yuan_month: Any = None
    min_wage_growth_pct: float = reads("benefits.min_wage_growth_pct", default=0.0)
    round_to_yuan: bool = False

    def __post_init__(self) -> None:
        if self.min_wage_yuan_month is not None:
            items = self.min_wage_yuan_month
            pairs = items.items() if isinstance(items, Mapping) else items
            object.__setattr__(
                self, "min_wage_yuan_month", tuple(sorted((int(y), float(v)) for y, v in pairs))
            )
        self._validate()

    def _validate(self) -> None:
        if self.rule not in RULES:
            raise ShapanError("unknown_key", file="scenario", key=f"rule = {self.rule}",
                              allowed=", ".join(RULES))
        _check_range("base_year", self.base_year, YEAR_RANGE[0], YEAR_RANGE[1] - 1)
        _check_range("end_year", self.end_year, self.base_year + 1, YEAR_RANGE[1])
        for name in ("dibao_urban_base_yuan_month", "dibao_rural_base_yuan_month", "tekun_base_yuan_month",
                     "orphan_base_yuan_month", "consumption_urban_base_yuan_year",
                     "consumption_rural_base_yuan_year"):
            value = getattr(self, name)
            if value is not None:
                _check_range(name, value, 0.0 if "orphan" in name else 1e-9, np.inf)
        for name in ("dibao_urban_growth_pct", "dibao_rural_growth_pct", "tekun_growth_pct", "orphan_growth_pct",
                     "consumption_growth_pct", "min_wage_growth_pct"):
            if getattr(self, name) is not None:
                _check_range(name, getattr(self, name), *GROWTH_RANGE_PCT)
        _check_range("tekun_multiplier", self.tekun_multiplier, 0.0, 10.0)
        _check_range("cpi_inflation_pct", self.cpi_inflation_pct, -50.0, 100.0)
        for name in ("consumption_share_pct", "care_subsidy_min_wage_pct"):
            if getattr(self, name) is not None:
                _check_range(name, getattr(self, name), 0.0, 100.0)
        if self.target_ratio_pct is not None:
            _check_range("target_ratio_pct", self.target_ratio_pct, 0.0, 100.0)
        if self.target_ratio_pct is not None and self.target_ratio_year is not None:  # the year of a ratio target
            _check_range("target_ratio_year", self.target_ratio_year, self.base_year + 1, YEAR_RANGE[1])
        for year, yuan in self.min_wage_yuan_month or ():
            _check_range("min_wage_yuan_month (year)", year, *MIN_WAGE_YEAR_RANGE)
            _check_range(f"min_wage_yuan_month[{year}]", yuan, 1e-9, np.inf)
        if self.rule == "consumption":
            for name in ("consumption_urban_base_yuan_year", "consumption_growth_pct"):
                if getattr(self, name) is None:
                    raise ShapanError("missing_key", file="scenario", key=name)
        if self.rule == "convergence":
            for name in ("target_ratio_pct", "target_ratio_year"):
                if getattr(self, name) is None:
                    raise ShapanError("missing_key", file="scenario", key=name)

    @property
    def years(self) -> np.ndarray:
        """Calendar years ``base_year..end_year`` (inclusive)."""
        return np.arange(self.base_year, self.end_year + 1)


def assumption_defaults(assumptions: Mapping[str, Any]) -> dict[str, float]:
    """Map ``benefits.*`` entries of ``data/assumptions.toml`` onto :class:`BenefitParams` field names.

    ``assumptions`` maps keys such as ``"benefits.tekun_multiplier"`` to numbers or to objects with a
    ``.value`` (``models.data.Assumption``). Keys absent from ``assumptions`` are skipped.
    """
    out = {}
    for name, key in declared(BenefitParams).items():
        if key in assumptions:
            entry = assumptions[key]
            out[name] = float(getattr(entry, "value", entry))
    return out


# --------------------------------------------------------------------------------------------- growth


def historical_growth_pct(v_start: Any, v_end: Any, years: Any) -> Any:
    """Compound annual growth rate in %: ``((v_end / v_start)^(1/years) - 1) × 100``.

    Used to set the "plan" default growth from a district's own 2015→2020 history
    (e.g. 390 → 560 over 5 years = 7.50 %/年). Array-friendly.
    """
    _check_range("v_start", v_start, 1e-12, np.inf)
    _check_range("v_end", v_end, 1e-12, np.inf)
    _check_range("years", years, 1e-12, np.inf)
    ratio = np.asarray(v_end, dtype=float) / np.asarray(v_start, dtype=float)
    out = (ratio ** (1.0 / np.asarray(years, dtype=float)) - 1.0) * 100.0
    return float(out) if np.ndim(out) == 0 else out


def required_growth_pct(base: Any, target: Any, years: Any) -> Any:
    """Annual growth in % that takes ``base`` to ``target`` in ``years`` years (same formula as CAGR)."""
    return historical_growth_pct(base, target, years)


def _grow(base: Any, growth_pct: Any, t: np.ndarray) -> np.ndarray:
    """``base × (1 + g/100)^t`` broadcast to shape (n, years); ``growth_pct`` scalar or shape (n,)."""
    g = np.asarray(growth_pct, dtype=float).reshape(-1, 1)
    return np.asarray(base, dtype=float) * (1.0 + g / 100.0) ** t[None, :]


def minimum_wage_path(min_wage_yuan_month: Any, years: Any, growth_pct: float = 0.0) -> np.ndarray:
    """Minimum wage (元/月) in each of ``years``: step function of the known ``{year: yuan}`` values.

    A year takes the latest known value at or before it; years before the first known year take the
    first value; years after the last known year grow from it at ``growth_pct`` (0 = held flat).
    """
    pairs = sorted(min_wage_yuan_month.items() if isinstance(min_wage_yuan_month, Mapping)
                   else min_wage_yuan_month)
    if not pairs:
        raise ShapanError("missing_key", file="scenario", key="min_wage_yuan_month")
    known_years = np.array([p[0] for p in pairs])
    known = np.array([p[1] for p in pairs], dtype=float)
    years = np.asarray(years)
    idx = np.clip(np.searchsorted(known_years, years, side="right") - 1, 0, None)
    after = np.clip(years - known_years[-1], 0, None)
    return known[idx] * (1.0 + growth_pct / 100.0) ** after


# ---------------------------------------------------------------------------------------------- rules


def _consumption_standard(base: float, cons_base: float, share_pct: float | None, growth: Any,
                          t: np.ndarray) -> np.ndarray:
    share = base / (cons_base / 12.0) if share_pct is None else share_pct / 100.0
    candidate = share * _grow(cons_base, growth, t) / 12.0
    candidate[:, 0] = base
    return np.maximum.accumulate(candidate, axis=1)


def _dibao(p: BenefitParams, urban_g: Any, rural_g: Any, cons_g: Any, t: np.ndarray):
    """Urban and rural 低保 paths, shape (n, years), under ``p.rule``."""
    if p.rule == "consumption":
        c_rural = p.consumption_rural_base_yuan_year or p.consumption_urban_base_yuan_year
        urban = _consumption_standard(p.dibao_urban_base_yuan_month, p.consumption_urban_base_yuan_year,
                                      p.consumption_share_pct, cons_g, t)
        rural = _consumption_standard(p.dibao_rural_base_yuan_month, c_rural, p.consumption_share_pct,
                                      cons_g, t)
        return urban, rural
    urban = _grow(p.dibao_urban_base_yuan_month, urban_g, t)
    own_rural = _grow(p.dibao_rural_base_yuan_month, rural_g, t)
    if p.rule == "fixed_growth":
        return urban, own_rural
    base_ratio = p.dibao_rural_base_yuan_month / p.dibao_urban_base_yuan_month * 100.0
    progress = np.minimum(1.0, t / (p.target_ratio_year - p.base_year))
    ratio = base_ratio + (p.target_ratio_pct - base_ratio) * progress
    rural = ratio[None, :] / 100.0 * urban
    if p.never_below_own_path:
        rural = np.maximum(rural, own_rural)
    return urban, rural


def _round(x: np.ndarray) -> np.ndarray:
    return np.floor(x + 0.5)


def _compute(p: BenefitParams, urban_g: Any, rural_g: Any, cons_g: Any) -> dict[str, np.ndarray]:
    t = (p.years - p.base_year).astype(float)
    urban, rural = _dibao(p, urban_g, rural_g, cons_g, t)
    n = max(urban.shape[0], rural.shape[0])
    urban, rural = np.broadcast_to(urban, (n, t.size)), np.broadcast_to(rural, (n, t.size))
    own_tekun = _grow(p.tekun_base_yuan_month, p.tekun_growth_pct, t)
    if p.round_to_yuan:
        urban, rural, own_tekun = _round(urban), _round(rural), _round(own_tekun)
        floor = np.ceil(p.tekun_multiplier * urban - _TOL)
    else:
        floor = p.tekun_multiplier * urban
    nan = np.full((n, t.size), np.nan)
    orphan = nan
    if p.orphan_base_yuan_month is not None:
        orphan = np.broadcast_to(_grow(p.orphan_base_yuan_month, p.orphan_growth_pct, t), (n, t.size))
        orphan = _round(orphan) if p.round_to_yuan else orphan
    care = nan
    if p.care_subsidy_min_wage_pct is not None and p.min_wage_yuan_month:
        wage = minimum_wage_path(p.min_wage_yuan_month, p.years, p.min_wage_growth_pct)
        care = np.broadcast_to(p.care_subsidy_min_wage_pct / 100.0 * wage, (n, t.size))
        care = _round(care) if p.round_to_yuan else care
    return {
        "dibao_urban_standard": np.array(urban),
        "dibao_rural_standard": np.array(rural),
        "rural_urban_dibao_ratio": rural / urban * 100.0,
        "tekun_standard": np.maximum(own_tekun, floor),
        "orphan_standard": np.array(orphan),
        "care_subsidy": np.array(care),
    }


def paths(params: BenefitParams) -> pd.DataFrame:
    """Standards for ``base_year..end_year``: columns ``year`` and :data:`COLUMNS` (元/人·月, ratio in %)."""
    out = _compute(params, params.dibao_urban_growth_pct, params.dibao_rural_growth_pct, params.consumption_growth_pct)
    frame = pd.DataFrame({"year": params.years})
    for col in COLUMNS:
        frame[col] = out[col][0]
    return frame


def paths_draws(params: BenefitParams, dibao_urban_growth_pct: Any, dibao_rural_growth_pct: Any = None,
                consumption_growth_pct: Any = None) -> dict[str, np.ndarray]:
    """Monte Carlo paths: one row per draw, vectorised.

    Parameters
    ----------
    params : BenefitParams
        Everything not drawn.
    dibao_urban_growth_pct, dibao_rural_growth_pct, consumption_growth_pct : array_like, shape (n,)
        Draws of the growth rates in %/年; ``None`` uses the value in ``params``. Under ``consumption``
        the 低保 paths follow ``consumption_growth_pct`` (urban/rural draws are not used); under
        ``convergence`` ``dibao_rural_growth_pct`` only moves the rural floor path.

    Returns
    -------
    dict[str, numpy.ndarray]
        ``"year"`` shape (years,) and each of :data:`COLUMNS` shape (n, years); draw *i* equals
        ``paths`` run with the *i*-th growth rates.
    """
    draws = {"dibao_urban_growth_pct": dibao_urban_growth_pct, "dibao_rural_growth_pct": dibao_rural_growth_pct,
             "consumption_growth_pct": consumption_growth_pct}
    resolved = {}
    for name, value in draws.items():
        value = getattr(params, name) if value is None else np.asarray(value, dtype=float).ravel()
        if value is not None:
            _check_range(name, value, *GROWTH_RANGE_PCT)
        resolved[name] = value
    out = _compute(params, resolved["dibao_urban_growth_pct"], resolved["dibao_rural_growth_pct"],
                   resolved["consumption_growth_pct"])
    sizes = {np.size(v) for v in resolved.values() if v is not None and np.ndim(v) > 0}
    n = max(sizes | {out["dibao_urban_standard"].shape[0]})
    result = {"year": params.years}
    result.update({col: np.array(np.broadcast_to(arr, (n, arr.shape[1]))) for col, arr in out.items()})
    return result


# ----------------------------------------------------------------------------------------- compliance


def _flag(year, flag, programme, value, threshold, severity, zh, en) -> dict[str, Any]:
    return {"year": int(year), "flag": flag, "programme": programme, "value": float(value),
            "threshold": float(threshold), "severity": severity, "message_zh": zh, "message_en": en}


def _real_terms_flags(frame: pd.DataFrame, cpi_pct: float) -> list[dict[str, Any]]:
    rows = []
    for col, programme in STANDARD_PROGRAMMES.items():
        if col not in frame:
            continue
        values = frame[col].to_numpy(dtype=float)
        growth = (values[1:] / values[:-1] - 1.0) * 100.0
        for year, g in zip(frame["year"].to_numpy()[1:], growth, strict=True):
            if np.isfinite(g) and g < cpi_pct - _TOL:
                rows.append(_flag(
                    year, "real_terms_fall", programme, g, cpi_pct, "warning",
                    f"{year}年{labels.programme(programme)}标准增长{g:.1f}%，"
                    f"低于物价涨幅{cpi_pct:.1f}%，实际水平下降",
                    f"{year}: {programme} standard grows {g:.1f}%, below CPI {cpi_pct:.1f}%: "
                    "falls in real terms",
                ))
    return rows


def compliance_flags(paths_df: pd.DataFrame, params: BenefitParams) -> pd.DataFrame:
    """Per-year warnings about a path (from :func:`paths` or typed in).

    Flags: ``ratio_below_target`` (rural/urban ratio below ``target_ratio_pct`` in or after
    ``target_year``; error), ``tekun_below_floor`` (特困 < ``tekun_multiplier`` × urban 低保; error),
    ``real_terms_fall`` (a standard grows less than ``cpi_inflation_pct``; warning), ``rural_above_urban``
    (rural 低保 above urban: implausible; warning). Columns :data:`FLAG_COLUMNS`; NaN values never flag.
    """
    frame = paths_df.sort_values("year").reset_index(drop=True)
    rows: list[dict[str, Any]] = []
    k = params.tekun_multiplier
    for r in frame.itertuples(index=False):
        urban, rural, tekun = r.dibao_urban_standard, r.dibao_rural_standard, r.tekun_standard
        ratio = rural / urban * 100.0
        if (params.target_ratio_pct is not None and params.target_ratio_year is not None
                and r.year >= params.target_ratio_year and ratio < params.target_ratio_pct - _TOL):
            rows.append(_flag(
                r.year, "ratio_below_target", "dibao_rural", ratio, params.target_ratio_pct, "error",
                f"{r.year}年农村低保标准为城市的{ratio:.1f}%，低于目标{params.target_ratio_pct:g}%",
                f"{r.year}: rural 低保 is {ratio:.1f}% of urban, "
                f"below the target {params.target_ratio_pct:g}%",
            ))
        if tekun < k * urban * (1.0 - _TOL):
            rows.append(_flag(
                r.year, "tekun_below_floor", "tekun", tekun, k * urban, "error",
                f"{r.year}年特困供养标准{tekun:.0f}元低于城市低保的{k:g}倍（{k * urban:.0f}元）",
                f"{r.year}: 特困 standard {tekun:.0f} yuan is below {k:g} × urban 低保 "
                f"({k * urban:.0f} yuan)",
            ))
        if rural > urban * (1.0 + _TOL):
            rows.append(_flag(
                r.year, "rural_above_urban", "dibao_rural", rural, urban, "warning",
                f"{r.year}年农村低保标准{rural:.0f}元高于城市{urban:.0f}元，不合常理",
                f"{r.year}: rural 低保 {rural:.0f} yuan exceeds urban {urban:.0f} yuan (implausible)",
            ))
    rows += _real_terms_flags(frame, params.cpi_inflation_pct)
    out = pd.DataFrame(rows, columns=FLAG_COLUMNS)
    return out.sort_values(["year", "flag", "programme"], kind="stable").reset_index(drop=True)
