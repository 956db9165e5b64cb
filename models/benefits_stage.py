"""The benefits stage of a run (:mod:`models.engine`): standard paths and compliance flags.

:class:`models.benefits.BenefitParams`, :class:`models.forecast.SetterParams`, :class:`models.forecast.Uncertainty`
and :class:`PathParams` declare the scenario keys they read (:mod:`models.params`); the base-year standards,
consumption and minimum wages are derived inputs from the data. ``benefits.rule = baseline / plan_targets``:
the setter's forecast (:mod:`models.forecast`, :mod:`models.plan_path`). The stage is cached by its frozen
parameters, so a beds or population lever does not recompute the standards.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cache
from types import MappingProxyType

import numpy as np
import pandas as pd

from models import benefits as bn
from models import forecast as fc
from models import setters
from models.data import Dataset
from models.errors import ShapanError
from models.params import build, reads, stage_cache
from models.resolve import BASE_YEAR, Resolved, figure

ORPHAN_IDS = ("orphan_standard", "orphan_institution_standard", "orphan_scattered_standard")


@dataclass(frozen=True, kw_only=True)
class PathParams:
    """How the standards are set: the rule, and the 城乡统筹 cap of rural at urban."""

    rule: str = reads("benefits.rule")
    cap_rural_at_urban: bool = reads("benefits.cap_rural_at_urban")


@cache
def base_standard(ds: Dataset, district: str, ids: tuple[str, ...]) -> tuple[float | None, str]:
    """Base-year standard: the district's published figure, else its setter's (data/setters.csv)."""
    ind = ds.indicators_for(district)
    for indicator in ids:
        row = figure(ind, indicator, BASE_YEAR)
        if row is not None:
            return float(row["value"]), f"{indicator} {BASE_YEAR} ({row['source']} {row['locator']})"
    return setters.setter_figure(ds, district, ids[0], BASE_YEAR)


@cache
def min_wage_by_year(ds: Dataset, district: str) -> MappingProxyType:
    drow = ds.district(district)
    wages = ds.reference("minimum_wage")
    rows = wages[(wages["area"] == drow["min_wage_area"]) & (wages["tier"].astype(str) == str(drow["min_wage_tier"]))]
    return MappingProxyType({int(str(r.effective_from)[:4]): float(r.yuan_per_month) for r in rows.itertuples()})


@cache
def consumption_base(ds: Dataset) -> float:
    facts = ds.reference("other_facts")
    rows = facts[facts["fact"] == "per_capita_consumption"].sort_values("year")
    return float(rows.iloc[0]["value"])  # 2021 national figure (nbs_2021), used as the 2020 base


@cache
def has_benefits(ds: Dataset, district: str) -> bool:
    ids = ("dibao_urban_standard", "dibao_rural_standard")
    return all(base_standard(ds, district, (i,))[0] is not None for i in ids)


def benefit_params(res: Resolved, ds: Dataset) -> bn.BenefitParams:
    d = res.district
    urban, _ = base_standard(ds, d, ("dibao_urban_standard",))
    rural, _ = base_standard(ds, d, ("dibao_rural_standard",))
    if urban is None or rural is None:
        urban = rural = math.nan
    tekun, _ = base_standard(ds, d, ("tekun_standard", "tekun_urban_standard"))
    orphan, _ = base_standard(ds, d, ORPHAN_IDS)
    if res["benefits.rule"] == "convergence" and math.isnan(res["benefits.target_ratio_pct"]):  # no ratio target
        raise ShapanError("missing_key", file="scenario", key="benefits.target_ratio_pct")
    if tekun is None:  # not published: start on the floor (k × urban 低保)
        tekun = res["benefits.tekun_multiplier"] * urban
    return build(
        bn.BenefitParams, res,
        dibao_urban_base_yuan_month=urban,
        dibao_rural_base_yuan_month=rural,
        tekun_base_yuan_month=tekun,
        orphan_base_yuan_month=orphan,
        consumption_urban_base_yuan_year=consumption_base(ds),
        consumption_rural_base_yuan_year=consumption_base(ds),
        min_wage_yuan_month=dict(min_wage_by_year(ds, d)) or None,
    )


def setter_params(res: Resolved, ds: Dataset) -> fc.SetterParams:
    """Inputs of the setter's baseline forecast (:mod:`models.forecast`) from the resolved scenario.

    Base figures come from the setter (``data/setters.csv`` → ``setter_standards.csv``), so every district
    of one setter gets the same inputs and the same path."""
    d = res.district
    urban, _ = setters.setter_figure(ds, d, "dibao_urban_standard", BASE_YEAR)
    rural, _ = setters.setter_figure(ds, d, "dibao_rural_standard", BASE_YEAR)
    if urban is None or rural is None:
        raise ShapanError("not_modelled", indicator="dibao_urban_standard")
    orphan, _ = setters.setter_figure(ds, d, "orphan_standard", BASE_YEAR)
    if orphan is None:
        orphan, _ = base_standard(ds, d, ORPHAN_IDS)
    params = build(fc.SetterParams, res, urban_base_yuan_month=urban, rural_base_yuan_month=rural,
                   orphan_base_yuan_month=orphan)
    if res["benefits.rule"] == "plan_targets":
        from models import plan_path

        return plan_path.setter_params(params, res["benefits.target_ratio_pct"], res["benefits.target_ratio_year"])
    return params


def forecast_uncertainty(res: Resolved) -> fc.Uncertainty:
    return build(fc.Uncertainty, res)


def care_subsidy(ds: Dataset, district: str, years: list[int], pct: float, growth_pct: float) -> np.ndarray:
    """Care subsidy (护理补贴) path: ``pct`` % of the local minimum wage (NaN without wage data)."""
    wages = dict(min_wage_by_year(ds, district))
    if not wages:
        return np.full(len(years), np.nan)
    return pct / 100.0 * bn.minimum_wage_path(wages, years, growth_pct)


def _care_subsidy(res: Resolved, ds: Dataset) -> np.ndarray:
    return care_subsidy(ds, res.district, res.years, res["benefits.care_subsidy_min_wage_pct"],
                        res["benefits.min_wage_growth_pct"])


def _paths(ds: Dataset, district: str, how: PathParams, setter: fc.SetterParams | None,
           benefit: bn.BenefitParams | None, care: np.ndarray) -> pd.DataFrame:
    if how.rule in fc.SETTER_RULES:
        frame = fc.baseline(setter)
        frame["care_subsidy"] = care
        return frame[["year", *bn.COLUMNS]]
    paths = bn.paths(benefit)
    if how.cap_rural_at_urban:  # 城乡统筹: a rural standard above the urban one is not paid
        paths["dibao_rural_standard"] = np.minimum(paths["dibao_rural_standard"], paths["dibao_urban_standard"])
        paths["rural_urban_dibao_ratio"] = paths["dibao_rural_standard"] / paths["dibao_urban_standard"] * 100
    return paths


def benefit_paths(res: Resolved, ds: Dataset) -> pd.DataFrame:
    """Standard paths (no compliance flags); rural capped at urban when ``benefits.cap_rural_at_urban``.

    ``benefits.rule = "baseline"``: the setter's forecast (:func:`models.forecast.baseline`)."""
    if not has_benefits(ds, res.district):
        return pd.DataFrame({"year": res.years})
    how = build(PathParams, res)
    if how.rule in fc.SETTER_RULES:
        return _paths(ds, res.district, how, setter_params(res, ds), None, _care_subsidy(res, ds))
    return _paths(ds, res.district, how, None, benefit_params(res, ds), np.array([]))


@stage_cache()
def standards(ds: Dataset, district: str, how: PathParams, setter: fc.SetterParams | None,
              benefit: bn.BenefitParams) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(paths, flags) of the stage, cached (shared, read-only: copy before modifying)."""
    care = np.array([])
    if setter is not None:
        years = list(range(benefit.base_year, benefit.end_year + 1))
        care = care_subsidy(ds, district, years, benefit.care_subsidy_min_wage_pct, benefit.min_wage_growth_pct)
    paths = _paths(ds, district, how, setter, benefit, care)
    return paths, bn.compliance_flags(paths, benefit)


def stage_parts(res: Resolved, ds: Dataset) -> tuple | None:
    """The frozen parameters of the stage (None when the district publishes no 低保 standards)."""
    if not has_benefits(ds, res.district):
        return None
    how = build(PathParams, res)
    setter = setter_params(res, ds) if how.rule in fc.SETTER_RULES else None
    return res.district, how, setter, benefit_params(res, ds)


def run_benefits(res: Resolved, ds: Dataset) -> tuple[pd.DataFrame, pd.DataFrame]:
    parts = stage_parts(res, ds)
    if parts is None:
        return pd.DataFrame({"year": res.years}), pd.DataFrame(columns=bn.FLAG_COLUMNS)
    paths, flags = standards(ds, *parts)
    return paths.copy(), flags.copy()
