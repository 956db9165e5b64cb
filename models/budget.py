"""Budget cost of benefit programmes: recipients × standard × payment ratio, in 万元.

Model
-----
``cost(programme, t) = recipients(t) × standard(t) × payment_ratio × payments_per_year / 10,000`` (万元),
with ``standard`` in 元/人·月 and ``payments_per_year = 12`` for monthly benefits. For ``temporary_aid``
(临时救助, one-off payments) pass recipients as cases (人次) per year, the "standard" as the mean payment
per case and ``payments_per_year = 1``.

The payment ratio turns the published standard into what is actually paid per recipient-month: 低保 is
paid as a top-up (差额) to the standard, so the ratio is below 1; 特困 spending can include care
allowances, so it can exceed 1. It is calibrated from a plan's 13th-FYP review (累计2016–2020 spending in
万元 and 人次)::

    ratio = spend × 10,000 / (person_months × mean standard)

"人次" (person-times) is ambiguous in Chinese statistics: a 人次 may be one monthly payment
(person-month) or one person counted once per year (person-year, = 12 person-months).
:func:`infer_person_time_unit` computes the ratio under both readings and keeps the plausible one
(0.05–1.5); when both are plausible it picks the one nearer ``expected_ratio`` (1 = paid in full) and says
the choice is ambiguous, giving the average caseload each reading implies so that a person can judge.
Example, 城口县 城市低保 (城口 plan 一、（二）): 6197.85万元, 12022人次, standard 460→620 元 — person-months
give a ratio of ~9.6 (impossible), person-years ~0.80.

Recipients follow ``recipients(t) = base × (1 + g/100)^(t − base_year)`` (default: the observed
2015→2020 trend, :func:`models.benefits.historical_growth_pct`; fallback ``budget.recipients_growth_pct``).
Costs are split by paying level with central and municipal shares (``budget.share_central_pct``,
``budget.share_municipal_pct`` in ``data/assumptions.toml``); the district pays the remainder.

One call for "what does raising the rural standard to 90 % of urban by 2025 cost per year?":
:func:`cost_of_ratio_target`.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from models import benefits
from models.errors import ShapanError

PROGRAMMES = ("dibao_urban", "dibao_rural", "tekun", "tekun_care", "orphan", "temporary_aid", "elderly_subsidy",
              "social_assistance_topdown")
STANDARD_COLUMN = {  # programme -> column of models.benefits.paths
    "dibao_urban": "dibao_urban_standard", "dibao_rural": "dibao_rural_standard",
    "tekun": "tekun_standard", "orphan": "orphan_standard",
}
PERSON_TIME_UNITS = {"person-month": 1.0, "person-year": 12.0}  # person-months per 人次
COST_COLUMNS = ["year", "programme", "recipients", "standard_yuan_month", "payment_ratio",
                "payments_per_year", "cost_wan_yuan"]
PLAUSIBLE_RATIO = (0.05, 1.5)
PAYMENT_RATIO_RANGE = (0.0, 5.0)
GROWTH_RANGE_PCT = benefits.GROWTH_RANGE_PCT
TOTAL = "total"
_check_range = benefits._check_range


def cost_wan_yuan(recipients: Any, standard_yuan_month: Any, payment_ratio: Any,
                  payments_per_year: Any = 12) -> Any:
    """``recipients × standard × payment_ratio × payments_per_year / 10,000`` (万元), elementwise.

    Accepts scalars or broadcastable arrays (e.g. Monte Carlo draws of shape (n, years)).
    Example: 100 recipients × 600 元 × 0.8 × 12 / 10,000 = 57.6 万元.
    """
    _check_range("recipients", recipients, 0.0, np.inf)
    _check_range("standard_yuan_month", standard_yuan_month, 0.0, np.inf)
    _check_range("payment_ratio", payment_ratio, *PAYMENT_RATIO_RANGE)
    _check_range("payments_per_year", payments_per_year, 0.0, 366.0)
    out = (np.asarray(recipients, dtype=float) * np.asarray(standard_yuan_month, dtype=float)
           * np.asarray(payment_ratio, dtype=float) * np.asarray(payments_per_year, dtype=float) / 10_000.0)
    return float(out) if np.ndim(out) == 0 else out


def recipients_path(base_persons: Any, growth_pct: Any, years: Sequence[int],
                    base_year: int | None = None) -> np.ndarray:
    """Recipients in each of ``years``: ``base × (1 + g/100)^(year − base_year)``.

    ``base_year`` defaults to ``years[0]``. A scalar ``growth_pct`` gives shape (years,); an array of
    draws shape (n,) gives shape (n, years).
    """
    _check_range("recipients_base", base_persons, 0.0, np.inf)
    _check_range("recipients_growth_pct", growth_pct, *GROWTH_RANGE_PCT)
    years = np.asarray(years, dtype=float)
    t = years - (years[0] if base_year is None else base_year)
    g = np.asarray(growth_pct, dtype=float)
    out = np.asarray(base_persons, dtype=float) * (1.0 + g[..., None] / 100.0) ** t
    return out


# ----------------------------------------------------------------------------------------- calibration


def period_mean_standard_yuan_month(v_start: float, v_end: float, n_years: int = 5) -> float:
    """Mean standard over the ``n_years`` after ``v_start``, interpolating geometrically to ``v_end``.

    For a 13th-FYP total (2016–2020) pass the 2015 and 2020 standards: the mean of the 2016..2020 values
    ``v_start × (v_end/v_start)^(i/n)``, i = 1..n (unweighted by caseload; a step-wise mid-year
    increase makes the true mean slightly lower).
    """
    _check_range("v_start", v_start, 1e-12, np.inf)
    _check_range("v_end", v_end, 1e-12, np.inf)
    _check_range("n_years", n_years, 1, 100)
    i = np.arange(1, int(n_years) + 1)
    return float(np.mean(v_start * (v_end / v_start) ** (i / n_years)))


def calibrate_payment_ratio(spend_wan_yuan: Any, person_times: Any, mean_standard_yuan_month: Any,
                            person_time_unit: str) -> Any:
    """Payment ratio = ``spend × 10,000 / (person_months × mean standard)``.

    ``person_time_unit`` says what one 人次 counts: ``"person-month"`` (one monthly payment) or
    ``"person-year"`` (one recipient in one year = 12 person-months).
    """
    if person_time_unit not in PERSON_TIME_UNITS:
        raise ShapanError("unknown_key", file="scenario", key=f"person_time_unit = {person_time_unit}",
                          allowed=", ".join(PERSON_TIME_UNITS))
    _check_range("spend_wan_yuan", spend_wan_yuan, 0.0, np.inf)
    _check_range("person_times", person_times, 1e-12, np.inf)
    _check_range("mean_standard_yuan_month", mean_standard_yuan_month, 1e-12, np.inf)
    person_months = np.asarray(person_times, dtype=float) * PERSON_TIME_UNITS[person_time_unit]
    out = np.asarray(spend_wan_yuan, dtype=float) * 10_000.0 / (person_months * mean_standard_yuan_month)
    return float(out) if np.ndim(out) == 0 else out


@dataclass(frozen=True)
class UnitInference:
    """Result of :func:`infer_person_time_unit`; ``unit`` is ``None`` when neither reading is plausible."""

    unit: str | None
    payment_ratio: float | None
    ambiguous: bool
    ratio_person_month: float
    ratio_person_year: float
    recipients_person_month: float
    recipients_person_year: float
    explanation_zh: str
    explanation_en: str


def infer_person_time_unit(spend_wan_yuan: float, person_times: float, mean_standard_yuan_month: float,
                           *, years: int = 5, expected_ratio: float = 1.0,
                           plausible: tuple[float, float] = PLAUSIBLE_RATIO) -> UnitInference:
    """Decide whether 人次 counts person-months or person-years from spend / (人次 × standard).

    Parameters
    ----------
    spend_wan_yuan, person_times, mean_standard_yuan_month : float
        Cumulative spending (万元), 人次 over the same period, mean standard over it (元/人·月).
    years : int
        Length of the period (5 for 2016–2020); only used to report the implied average caseload.
    expected_ratio : float
        Tie-break when both readings give a plausible ratio: the one nearer (in log terms) wins.
    plausible : (float, float)
        Range of plausible payment ratios.
    """
    lo, hi = plausible
    ratios = {u: calibrate_payment_ratio(spend_wan_yuan, person_times, mean_standard_yuan_month, u)
              for u in PERSON_TIME_UNITS}
    caseload = {u: person_times * m / 12.0 / years for u, m in PERSON_TIME_UNITS.items()}
    ok = [u for u, r in ratios.items() if lo <= r <= hi]
    ambiguous = len(ok) == 2
    if ambiguous:
        ok.sort(key=lambda u: abs(np.log(ratios[u] / expected_ratio)))
    unit = ok[0] if ok else None
    ratio = ratios[unit] if unit else None
    pm, py = ratios["person-month"], ratios["person-year"]
    cm, cy = caseload["person-month"], caseload["person-year"]
    facts_zh = (f"按人月计系数{pm:.3f}（年均约{cm:,.0f}人），按人年计系数{py:.3f}（年均约{cy:,.0f}人）；"
                f"合理范围{lo:g}–{hi:g}。")
    facts_en = (f"Read as person-months the ratio is {pm:.3f} (about {cm:,.0f} recipients a year); as "
                f"person-years {py:.3f} (about {cy:,.0f}); plausible range {lo:g}–{hi:g}. ")
    label_zh = {"person-month": "人月", "person-year": "人年"}
    if unit is None:
        zh = facts_zh + "两种口径都不合理，请核对数据。"
        en = facts_en + "Neither reading is plausible: check the data."
    elif ambiguous:
        zh = facts_zh + (f"两种口径都可能，取更接近{expected_ratio:g}的{label_zh[unit]}口径，"
                         "请结合实际人数核实。")
        en = facts_en + (f"Both are possible; chose {unit} (nearer {expected_ratio:g}); check against the "
                         "known number of recipients.")
    else:
        zh, en = facts_zh + f"“人次”应为{label_zh[unit]}。", facts_en + f"'人次' counts {unit}s."
    return UnitInference(unit, ratio, ambiguous, pm, py, cm, cy, zh, en)


# ---------------------------------------------------------------------------------------------- costs


def _per_programme(value: Any, programme: str, name: str, default: Any = None) -> Any:
    if isinstance(value, Mapping):
        if programme in value:
            return value[programme]
        if default is None:
            raise ShapanError("missing_key", file="scenario", key=f"{name}.{programme}")
        return default
    return default if value is None else value


def standards_from_paths(paths_df: pd.DataFrame) -> dict[str, np.ndarray]:
    """Standard paths by programme id from a :func:`models.benefits.paths` frame (NaN columns dropped)."""
    return {prog: paths_df[col].to_numpy(dtype=float) for prog, col in STANDARD_COLUMN.items()
            if col in paths_df and paths_df[col].notna().all()}


def programme_costs(years: Sequence[int], recipients: Mapping[str, Any],
                    standards_yuan_month: Mapping[str, Any], payment_ratio: Any,
                    payments_per_year: Any = None) -> pd.DataFrame:
    """Cost by programme and year (tidy).

    Parameters
    ----------
    years : sequence of int
        Calendar years.
    recipients : mapping programme -> scalar or array (years,)
        Persons (or cases for ``temporary_aid``) per year; a scalar is held flat.
    standards_yuan_month : mapping programme -> scalar or array (years,)
        元/人·月 (mean payment per case for ``temporary_aid``); see :func:`standards_from_paths`.
    payment_ratio : float or mapping programme -> float
    payments_per_year : int or mapping programme -> int, optional
        Default 12, and 1 for ``temporary_aid``.

    Returns
    -------
    pandas.DataFrame
        :data:`COST_COLUMNS`; one row per (year, programme) for each programme with both recipients and
        a standard, in :data:`PROGRAMMES` order.
    """
    years = np.asarray(years, dtype=int)
    unknown = sorted((set(recipients) | set(standards_yuan_month)) - set(PROGRAMMES))
    if unknown:
        raise ShapanError("unknown_key", file="scenario", key=unknown[0], allowed=", ".join(PROGRAMMES))
    frames = []
    for prog in PROGRAMMES:
        if prog not in recipients or prog not in standards_yuan_month:
            continue
        n = np.broadcast_to(np.asarray(recipients[prog], dtype=float), years.shape)
        s = np.broadcast_to(np.asarray(standards_yuan_month[prog], dtype=float), years.shape)
        ratio = float(_per_programme(payment_ratio, prog, "payment_ratio"))
        per_year = _per_programme(payments_per_year, prog, "payments_per_year",
                                  1 if prog == "temporary_aid" else 12)
        frames.append(pd.DataFrame({
            "year": years, "programme": prog, "recipients": n, "standard_yuan_month": s,
            "payment_ratio": ratio, "payments_per_year": int(per_year),
            "cost_wan_yuan": cost_wan_yuan(n, s, ratio, per_year),
        }))
    if not frames:
        return pd.DataFrame(columns=COST_COLUMNS)
    return pd.concat(frames, ignore_index=True)[COST_COLUMNS]


def totals(costs: pd.DataFrame, start: int, end: int) -> pd.DataFrame:
    """Total cost per programme over ``start..end`` (inclusive) plus a ``total`` row.

    Columns programme, cost_wan_yuan (e.g. ``totals(costs, 2021, 2025)`` = the 14th-FYP total). With no
    costed programme the total is NaN (not costed), never 0.
    """
    window = costs[(costs["year"] >= start) & (costs["year"] <= end)]
    out = window.groupby("programme", sort=False)["cost_wan_yuan"].sum().reset_index()
    grand = out["cost_wan_yuan"].sum() if len(out) else float("nan")
    total = pd.DataFrame({"programme": [TOTAL], "cost_wan_yuan": [grand]})
    return pd.concat([out, total], ignore_index=True)


def incremental(costs: pd.DataFrame, reference_costs: pd.DataFrame) -> pd.DataFrame:
    """Scenario minus reference cost by year and programme, plus a ``total`` programme per year.

    Columns year, programme, cost_wan_yuan, reference_cost_wan_yuan, incremental_wan_yuan; a programme
    present in only one frame counts as 0 in the other.
    """
    keys = ["year", "programme"]
    merged = costs[[*keys, "cost_wan_yuan"]].merge(
        reference_costs[[*keys, "cost_wan_yuan"]].rename(
            columns={"cost_wan_yuan": "reference_cost_wan_yuan"}),
        on=keys, how="outer",
    ).fillna({"cost_wan_yuan": 0.0, "reference_cost_wan_yuan": 0.0})
    total = merged.groupby("year", as_index=False)[["cost_wan_yuan", "reference_cost_wan_yuan"]].sum()
    total["programme"] = TOTAL
    out = pd.concat([merged, total[merged.columns]], ignore_index=True)
    out["incremental_wan_yuan"] = out["cost_wan_yuan"] - out["reference_cost_wan_yuan"]
    order = {p: i for i, p in enumerate((*PROGRAMMES, TOTAL))}
    out = out.sort_values(["year", "programme"], key=lambda s: s.map(order) if s.name == "programme" else s)
    return out.reset_index(drop=True)


def split_by_level(costs: pd.DataFrame, share_central_pct: float, share_municipal_pct: float) -> pd.DataFrame:
    """Add central_wan_yuan, municipal_wan_yuan and district_wan_yuan (district = 100 % − the other two)."""
    _check_range("share_central_pct", share_central_pct, 0.0, 100.0)
    _check_range("share_municipal_pct", share_municipal_pct, 0.0, 100.0)
    both = share_central_pct + share_municipal_pct
    _check_range("share_central_pct + share_municipal_pct", both, 0.0, 100.0)
    out = costs.copy()
    out["central_wan_yuan"] = out["cost_wan_yuan"] * share_central_pct / 100.0
    out["municipal_wan_yuan"] = out["cost_wan_yuan"] * share_municipal_pct / 100.0
    out["district_wan_yuan"] = out["cost_wan_yuan"] - out["central_wan_yuan"] - out["municipal_wan_yuan"]
    return out


def cost_of_ratio_target(params: benefits.BenefitParams, target_ratio_pct: float, target_year: int,
                         recipients: Mapping[str, Any], payment_ratio: Any) -> pd.DataFrame:
    """Extra cost per year of moving rural 低保 to ``target_ratio_pct`` % of urban by ``target_year``.

    Reference: ``benefits.paths(params)`` as given. Scenario: the same parameters under the
    ``convergence`` rule with the target (rural never below its own growth path). Recipients (persons by
    programme, scalar or path over ``params.years``) are the same in both: a higher rural standard that
    makes more households eligible is not modelled. Returns :func:`incremental` (scenario − reference).
    """
    scenario = dataclasses.replace(params, rule="convergence", target_ratio_pct=target_ratio_pct,
                                   target_ratio_year=target_year)
    ref_paths, new_paths = benefits.paths(params), benefits.paths(scenario)
    years = params.years
    ref = programme_costs(years, recipients, standards_from_paths(ref_paths), payment_ratio)
    new = programme_costs(years, recipients, standards_from_paths(new_paths), payment_ratio)
    return incremental(new, ref)
