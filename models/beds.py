"""Elderly-care bed supply pipeline and bed demand.

Supply
------
For each year ``t`` after the base year, with retirement rate ``r`` (% a year) and delivery factor ``d``::

    S(t) = S(t-1) * (1 - r/100) + d * (sum of project beds opening in t + beds_built_per_year)
    S(base) = base_beds

The same recursion runs for nursing-type beds (护理型床位) and socially operated beds (社会力量运营);
government-operated beds are the rest, ``S - social``. Retirement hits every kind of bed alike; beds
opening in year ``t`` do not retire in ``t``. A project's nursing beds default to
``nursing_share_of_new_beds_pct`` of its beds when not given. Its operator decides the social part:
``"social"`` all, ``"gov"`` none, ``""`` (unknown) or ``"mixed"`` (e.g. 公建民营 partly counted) the share
``social_share_of_new_beds_pct``. Generic construction (``beds_built_per_year``) splits by the two
new-bed shares. Projects opening in or before the base year are taken to be inside ``base_beds``;
projects opening after the end year are ignored. An unknown base share (NaN) makes that series NaN.

Institution beds (养老机构床位, where residents live) are ``institution_share_pct`` of all beds (the
plans' 养老服务床位 include community beds); the nursing share is of institution beds
(养老机构护理型床位占比), the operator shares of all beds. Two levers act on the base-year stock, each
capped at the stock it draws on: ``nursing_conversion_per_year`` general → nursing beds (改扩建), and
``social_transfer_per_year`` government → socially operated beds (公建民营).

The recursion is linear in ``d``, so ``supply_draws`` computes the base-stock path and the new-beds path
once and forms every Monte Carlo draw as ``base_path + d * new_path``.

Indicators: shares in % of all beds (``nursing_bed_share``, ``social_operated_bed_share``,
``gov_operated_bed_share``; NaN when there are no beds) and ``beds_per_1000 = beds / pop_60plus * 1000``.

Demand
------
Normative: ``norm_per_1000 * pop_60plus / 1000`` (norm from the plan, e.g. a beds-per-1,000 target).
Need-based: ``disabled_elderly * institutionalisation_rate_pct / 100 / (target_occupancy_pct / 100)``:
disabled elderly who would live in an institution, divided by the occupancy at which beds are planned.

The analytic queueing layer (Erlang-B loss, Erlang-C wait, Little's law) lives in
:mod:`models.queueing` and is re-exported here.

Sources: the plans' bed targets and project lists (data/indicators.csv, data/projects.csv); defaults in
data/assumptions.toml ``[beds]`` (institutionalisation rate from ``mca_2020_07_29`` and
``cncaprc_4th_elderly_survey_2016``; nursing share from ``state_council_14th_fyp_elderly_2022``).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from models.checking import check_range, check_year
from models.errors import ShapanError
from models.params import reads, scenario_field

__all__ = [
    "OPERATORS",
    "SUPPLY_COLUMNS",
    "BedParams",
    "Project",
    "beds_per_1000",
    "demand_need",
    "demand_normative",
    "erlang_b",
    "erlang_c",
    "littles_law_occupancy",
    "supply",
    "supply_draws",
]

PARAMS_FILE = "[beds]"
OPERATORS = ("", "gov", "social", "mixed")
YEAR_RANGE = (2015, 2040)
MAX_BEDS = 1e7
MAX_DELIVERY_FACTOR = 10.0
SUPPLY_COLUMNS = [
    "year", "elderly_beds", "institution_beds", "nursing_beds", "social_beds", "gov_beds",
    "nursing_bed_share", "social_operated_bed_share", "gov_operated_bed_share",
]


def _check_range(key: str, value: Any, lo: float, hi: float, *, allow_nan: bool = False,
                 lo_open: bool = False) -> np.ndarray:
    return check_range(key, value, lo, hi, file=PARAMS_FILE, allow_nan=allow_nan, lo_open=lo_open)


def _check_year(key: str, value: Any, lo: int, hi: int) -> int:
    return check_year(key, value, lo, hi, file=PARAMS_FILE)


@dataclass(frozen=True)
class Project:
    """A capacity project: beds opening in ``year_open``; ``nursing_beds`` None (or NaN) = not stated."""

    year_open: int
    beds: int
    nursing_beds: int | None = None
    operator: str = ""

    def __post_init__(self) -> None:
        _check_year("projects.year_open", self.year_open, *YEAR_RANGE)
        beds = float(_check_range("projects.beds", self.beds, 0, MAX_BEDS))
        if self.nursing_beds is not None:
            _check_range("projects.nursing_beds", self.nursing_beds, 0, beds, allow_nan=True)
        if self.operator not in OPERATORS:
            raise ShapanError("out_of_range", file=PARAMS_FILE, key="projects.operator", value=self.operator,
                              min="", max="/".join(o for o in OPERATORS if o))

    def nursing(self, default_share_pct: float) -> float:
        """Nursing beds: as stated, else ``default_share_pct`` of the project's beds."""
        if self.nursing_beds is None or math.isnan(self.nursing_beds):
            return self.beds * default_share_pct / 100.0
        return float(self.nursing_beds)

    def social(self, default_share_pct: float) -> float:
        """Socially operated beds: all (social), none (gov), else ``default_share_pct`` of the beds."""
        if self.operator == "social":
            return float(self.beds)
        if self.operator == "gov":
            return 0.0
        return self.beds * default_share_pct / 100.0


@dataclass(frozen=True, kw_only=True)
class BedParams:
    """Parameters of the supply pipeline (keyword-only), validated on construction.

    ``base_social_share_pct`` (and ``base_nursing_share_pct``) may be NaN when unknown; the matching
    series are then NaN. ``projects`` is stored as a tuple.
    """

    base_year: int = scenario_field("base_year")
    end_year: int = scenario_field("end_year")
    base_beds: float = reads("beds.base_beds")
    base_nursing_share_pct: float = reads("beds.base_nursing_share_pct")
    base_social_share_pct: float = reads("beds.base_social_share_pct")
    retirement_rate_pct: float = reads("beds.retirement_rate_pct")
    projects: tuple[Project, ...] = ()
    beds_built_per_year: float = reads("beds.beds_built_per_year", default=0.0)
    nursing_share_of_new_beds_pct: float = reads("beds.nursing_share_of_new_beds_pct")
    social_share_of_new_beds_pct: float = reads("beds.social_share_of_new_beds_pct")
    institution_share_pct: float = reads("beds.institution_share_pct", default=100.0)
    nursing_conversion_per_year: float = reads("beds.nursing_conversion_per_year", default=0.0)
    social_transfer_per_year: float = reads("beds.social_transfer_per_year", default=0.0)

    def __post_init__(self) -> None:
        start = _check_year("base_year", self.base_year, *YEAR_RANGE)
        _check_year("end_year", self.end_year, start, YEAR_RANGE[1])
        _check_range("base_beds", self.base_beds, 0, MAX_BEDS)
        _check_range("beds_built_per_year", self.beds_built_per_year, 0, MAX_BEDS)
        _check_range("retirement_rate_pct", self.retirement_rate_pct, 0, 100)
        for key in ("base_nursing_share_pct", "base_social_share_pct"):
            _check_range(key, getattr(self, key), 0, 100, allow_nan=True)
        for key in ("nursing_share_of_new_beds_pct", "social_share_of_new_beds_pct", "institution_share_pct"):
            _check_range(key, getattr(self, key), 0, 100)
        for key in ("nursing_conversion_per_year", "social_transfer_per_year"):
            _check_range(key, getattr(self, key), 0, MAX_BEDS)
        if isinstance(self.projects, str) or not all(isinstance(p, Project) for p in self.projects):
            raise ShapanError("wrong_type", file=PARAMS_FILE, key="projects", expected="tuple of Project",
                              value=type(self.projects).__name__)
        object.__setattr__(self, "projects", tuple(self.projects))  # a list would make the params unhashable

    @property
    def years(self) -> np.ndarray:
        return np.arange(self.base_year, self.end_year + 1)


def _new_beds(params: BedParams) -> dict[str, np.ndarray]:
    """New beds by year (index 0 = base year, always 0): total, nursing and social."""
    size = params.end_year - params.base_year + 1
    new = {key: np.zeros(size) for key in ("elderly_beds", "nursing_beds", "social_beds")}
    built = params.beds_built_per_year
    new["elderly_beds"][1:] += built
    new["nursing_beds"][1:] += built * params.nursing_share_of_new_beds_pct / 100.0
    new["social_beds"][1:] += built * params.social_share_of_new_beds_pct / 100.0
    for project in params.projects:
        if params.base_year < project.year_open <= params.end_year:
            i = project.year_open - params.base_year
            new["elderly_beds"][i] += project.beds
            new["nursing_beds"][i] += project.nursing(params.nursing_share_of_new_beds_pct)
            new["social_beds"][i] += project.social(params.social_share_of_new_beds_pct)
    return new


def _accumulate(new: np.ndarray, keep: float) -> np.ndarray:
    """Stock from zero: ``out[t] = out[t-1] * keep + new[t]``."""
    out = np.empty_like(new)
    level = 0.0
    for t, value in enumerate(new):
        level = level * keep + value
        out[t] = level
    return out


def _converted(per_year: float, pool: float, keep: float, decay: np.ndarray) -> np.ndarray:
    """Beds moved out of a base-year ``pool`` (``per_year`` from the year after the base year), as a stock
    that retires at the pool's rate and never exceeds what is left of the pool (NaN pool = unknown → 0)."""
    moves = np.full(decay.size, float(per_year))
    moves[0] = 0.0
    if math.isnan(pool):
        return np.zeros(decay.size)
    return np.minimum(_accumulate(moves, keep), max(pool, 0.0) * decay)


def _share_pct(part: np.ndarray, total: np.ndarray) -> np.ndarray:
    with np.errstate(divide="ignore", invalid="ignore"):
        share = np.where(total > 0, 100.0 * part / total, np.nan)
    return np.clip(share, 0.0, 100.0)  # clip only removes rounding noise; NaN stays NaN


def supply_draws(params: BedParams, delivery_factor: float | np.ndarray) -> dict[str, np.ndarray]:
    """Bed supply for each draw of the delivery factor.

    Parameters
    ----------
    params : BedParams
    delivery_factor : float or ndarray, shape (n,)
        Share of planned new beds (projects and generic construction) actually delivered, 0..10.

    Returns
    -------
    dict[str, ndarray]
        Keys ``SUPPLY_COLUMNS[1:]``, each of shape ``(n, years)``; years are ``params.years``.
    """
    delivery = np.atleast_1d(_check_range("delivery_factor", delivery_factor, 0, MAX_DELIVERY_FACTOR))
    if delivery.ndim != 1:
        raise ShapanError("generic", detail="delivery_factor must be a scalar or a 1-D array of draws")
    keep = 1.0 - params.retirement_rate_pct / 100.0
    decay = keep ** np.arange(params.end_year - params.base_year + 1)
    inst = params.institution_share_pct / 100.0
    # nursing beds are first counted as if every bed were an institution bed (the arithmetic of the shares is
    # then exactly that of all beds), and scaled to institution beds at the end
    base = {
        "elderly_beds": params.base_beds,
        "nursing_beds": params.base_beds * params.base_nursing_share_pct / 100.0,
        "social_beds": params.base_beds * params.base_social_share_pct / 100.0,
    }
    out = {
        key: base[key] * decay[None, :] + delivery[:, None] * _accumulate(new, keep)[None, :]
        for key, new in _new_beds(params).items()
    }
    # Levers on the existing (base-year) stock: general → nursing conversion and 公建民营 transfer, each capped
    # at the base stock it draws on (which retires at the same rate); independent of delivery of new beds.
    if params.nursing_conversion_per_year > 0 and inst > 0:
        out["nursing_beds"] = out["nursing_beds"] + _converted(
            params.nursing_conversion_per_year, (base["elderly_beds"] - base["nursing_beds"]) * inst, keep, decay
        )[None, :] / inst
    if params.social_transfer_per_year > 0:
        out["social_beds"] = out["social_beds"] + _converted(
            params.social_transfer_per_year, base["elderly_beds"] - base["social_beds"], keep, decay
        )[None, :]
    total = out["elderly_beds"]
    out["nursing_bed_share"] = _share_pct(out["nursing_beds"], total)
    out["institution_beds"] = total * inst
    out["nursing_beds"] = out["nursing_beds"] * inst
    out["gov_beds"] = total - out["social_beds"]
    out["social_operated_bed_share"] = _share_pct(out["social_beds"], total)
    out["gov_operated_bed_share"] = _share_pct(out["gov_beds"], total)
    return out


def supply(params: BedParams, delivery_factor: float = 1.0) -> pd.DataFrame:
    """Deterministic bed supply by year, columns :data:`SUPPLY_COLUMNS` (beds; shares in %)."""
    if np.ndim(delivery_factor) != 0:
        raise ShapanError("wrong_type", file=PARAMS_FILE, key="delivery_factor", expected="number",
                          value=delivery_factor)
    draws = supply_draws(params, delivery_factor)
    frame = pd.DataFrame({"year": params.years})
    for key in SUPPLY_COLUMNS[1:]:
        frame[key] = draws[key][0]
    return frame


def beds_per_1000(beds: float | np.ndarray, pop_60plus: float | np.ndarray) -> float | np.ndarray:
    """Beds per 1,000 persons aged 60+: ``beds / pop_60plus * 1000`` (arrays broadcast)."""
    pop = _check_range("pop_60plus", pop_60plus, 0, math.inf, lo_open=True)
    value = np.asarray(beds, dtype=float) / pop * 1000.0
    return float(value) if value.ndim == 0 else value


def demand_normative(pop_60plus: float | np.ndarray, norm_per_1000: float | np.ndarray) -> float | np.ndarray:
    """Beds required by a norm: ``norm_per_1000 * pop_60plus / 1000``."""
    pop = _check_range("pop_60plus", pop_60plus, 0, math.inf)
    norm = _check_range("norm_per_1000", norm_per_1000, 0, 1000)
    value = norm * pop / 1000.0
    return float(value) if value.ndim == 0 else value


def demand_need(
    disabled_elderly: float | np.ndarray,
    institutionalisation_rate_pct: float | np.ndarray,
    target_occupancy_pct: float | np.ndarray,
) -> float | np.ndarray:
    """Beds needed: ``disabled_elderly * institutionalisation_rate_pct / target_occupancy_pct``."""
    disabled = _check_range("disabled_elderly", disabled_elderly, 0, math.inf)
    rate = _check_range("institutionalisation_rate_pct", institutionalisation_rate_pct, 0, 100)
    occupancy = _check_range("target_occupancy_pct", target_occupancy_pct, 0, 100, lo_open=True)
    value = disabled * rate / occupancy
    return float(value) if value.ndim == 0 else value


from models.queueing import erlang_b, erlang_c, littles_law_occupancy  # noqa: E402  (re-export)
