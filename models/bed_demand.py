"""Bed demand calibrated to observed use: residents of institution beds, occupancy, age-specific use rates.

The plans print 养老(服务)床位, which counts community beds (社区养老服务中心/站, 日间照料) as well as
institution beds (养老机构床位); residents live in institution beds. So:

* institution beds = all beds × ``institution_share_pct`` (100 % where the plan prints institution beds,
  e.g. 珠山 公办77 + 民办446 = 523; otherwise the national share, an assumption with its sources);
* residents(base) = ``base_occupancy_pct`` × institution beds(base) — no plan prints its residents, so the
  occupancy is the national one (MCA mid-2020: 2.15 M residents in 4.29 M beds ≈ 50 %);
* residents(t) = Σ_age use_rate(age) × population(age, t), with use rates proportional to disability
  prevalence by age band (60–69, 70–79, 80+): ``use_rate(age) = c × prevalence(age)``, so
  residents(t) = c × disabled_elderly(t); ``c`` (the share of disabled elderly living in an institution,
  ``institutionalisation_rate_pct``) is calibrated so residents(base) match the occupancy above.
* 特困 集中供养 (centralised care of 特困 persons in public 敬老院) is a separate demand stream, held at its
  base-year count ``beds.tekun_centralised_residents`` (none of the five plans prints it: 0 unless entered);
  it is part of the base-year residents, so ``c`` is calibrated on the rest;
* occupancy(t) = residents(t) ÷ institution beds(t).

Pure functions; :func:`calibrate` is what :mod:`models.resolve` calls for the default of
``beds.institutionalisation_rate_pct``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from models import population as pp
from models.checking import check_range

FILE = "[beds]"
BANDS = ("60_69", "70_79", "80plus")


@dataclass(frozen=True)
class Calibration:
    """Result of :func:`calibrate`: the calibrated rate and the figures it was computed from."""

    rate_pct: float  # % of disabled elderly living in an institution (= c × 100)
    residents_base: float
    institution_beds_base: float
    disabled_base: float
    occupancy_pct: float
    institution_share_pct: float

    def use_rates_pct(self, prevalences_pct: tuple[float, float, float]) -> dict[str, float]:
        """Age-specific use rates (% of the age band living in an institution) implied by the calibration."""
        return {band: self.rate_pct * prev / 100.0 for band, prev in zip(BANDS, prevalences_pct, strict=True)}

    def explain(self) -> str:
        return (
            f"calibrated: {self.occupancy_pct:g}% occupancy × institution beds {self.institution_beds_base:,.0f} "
            f"({self.institution_share_pct:g}% of all beds) = {self.residents_base:,.0f} residents ÷ "
            f"{self.disabled_base:,.0f} disabled elderly (base year)"
        )


def institution_beds(beds: float | np.ndarray, institution_share_pct: float) -> float | np.ndarray:
    """Institution beds: ``beds × institution_share_pct / 100``."""
    share = float(check_range("institution_share_pct", institution_share_pct, 0, 100, file=FILE))
    value = np.asarray(beds, dtype=float) * share / 100.0
    return float(value) if value.ndim == 0 else value


def base_disabled(
    pop_60plus_base: float, shape: np.ndarray, prevalences_pct: tuple[float, float, float]
) -> float:
    """Disabled elderly in the base year, exactly as the population model counts them."""
    pop = pp.base_population(pop_60plus_base, shape)
    return float(pp.summarise(pop[None, :], *prevalences_pct)["disabled_elderly"][0])


def calibrate(
    base_beds: float,
    institution_share_pct: float,
    occupancy_pct: float,
    disabled_base: float,
    tekun_centralised: float = 0.0,
) -> Calibration:
    """Share of disabled elderly in institutions such that base-year occupancy equals ``occupancy_pct``.

    ``tekun_centralised`` (特困 集中供养 residents of public 敬老院, a separate stream) is part of the
    base-year residents, so the use rate is calibrated on the rest. Returns a NaN rate when there are no
    beds or no disabled elderly (nothing to calibrate on).
    """
    occupancy = float(check_range("base_occupancy_pct", occupancy_pct, 0, 100, file=FILE))
    tekun = float(check_range("tekun_centralised_residents", tekun_centralised, 0, math.inf, file=FILE))
    inst = institution_beds(base_beds, institution_share_pct)
    residents = occupancy / 100.0 * inst
    if not disabled_base > 0 or math.isnan(inst):
        rate = math.nan
    else:
        rate = min(100.0, max(0.0, 100.0 * (residents - tekun) / disabled_base))
    return Calibration(rate, residents, inst, float(disabled_base), occupancy, float(institution_share_pct))


def residents(disabled_elderly: np.ndarray, rate_pct: float, tekun_centralised: float = 0.0) -> np.ndarray:
    """Residents of institution beds: ``disabled_elderly × rate_pct / 100 + tekun_centralised``."""
    rate = float(check_range("institutionalisation_rate_pct", rate_pct, 0, 100, file=FILE))
    tekun = float(check_range("tekun_centralised_residents", tekun_centralised, 0, math.inf, file=FILE))
    return np.asarray(disabled_elderly, dtype=float) * rate / 100.0 + tekun


def occupancy_pct(residents_: np.ndarray, institution_beds_: np.ndarray) -> np.ndarray:
    """Residents ÷ institution beds × 100 (NaN where there are no beds); demand above 100 % is not served."""
    beds = np.asarray(institution_beds_, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(beds > 0, 100.0 * np.asarray(residents_, dtype=float) / beds, np.nan)
