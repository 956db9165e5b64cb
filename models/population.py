"""Cohort-component projection of the population aged 45..100+ by single year of age.

Model
-----
State ``P[t, a]``: persons aged ``a`` (``a`` in :data:`AGES` = 45..100, where 100 means 100+) in year
``t``, from a base year (2020) to an end year (2035 by default, up to 2050). Sexes are pooled.

Base population (``base_population``)::

    P[base, a] = pop_60plus * shape[a] / sum(shape[a] for a >= 60)

so that ages 60+ sum exactly to the district's published (or derived) 60+ count, and ages 45–59
follow the same national age shape (they become 60+ by 2035). ``shape`` (``age_shape``) comes from
UN WPP 2019, China mid-2020, 5-year groups, male + female. Each 5-year group is spread over its single
years with a *geometric split*: within group ``g`` the single-year counts are proportional to
``r**i`` (``i`` = 0..4) and scaled to the group total ``P_g``, with the yearly ratio
``r = (P_{g+1} / P_{g-1}) ** (1/10)`` taken from the neighbouring groups (one-sided
``r = (P_g / P_{g-1}) ** (1/5)`` for 95–99, whose upper neighbour is the open 100+ group). The split is
smooth, never negative, keeps group totals exactly and follows the near-exponential decline of
counts at old ages. Single-year cohort effects (the 1959–61 famine cohort, the 1962–63 baby boom)
cannot be recovered from 5-year data and are not represented.

Mortality (``death_rates``, ``qx_from_mx``): UN WPP 2024 central death rates ``mx`` for China by
5-year group and sex, period 2020–25 by default (which includes the 2022–23 epidemic years). Sexes are
pooled per group with the WPP 2019 mid-2020 population of that group as weights. Each group rate is
placed at the middle single year of its group (age ``x + 2`` for group ``x..x+4``; the open 100+ rate
at age 100) and ``ln mx`` is interpolated linearly between these points. Below the youngest group
midpoint (ages 45–56; 45–54 are not in the file) ``ln mx`` is extrapolated with the Gompertz slope
``b`` of a least-squares fit ``ln mx = a + b * age`` over the groups 55–89, anchored at the youngest
group midpoint so the curve is continuous. Annual death probability ``qx = 1 - exp(-mx)`` (constant
hazard within the year). For the open group 100+, ``qx[100]`` is the annual probability of dying
within the group (not 1): survivors stay in 100+.

Projection (``project``), for each year ``t -> t + 1`` and each draw::

    s[t, a]        = (1 - qx[a]) ** (k * (1 - i/100) ** (t - base))   # hazard x k, improved by i %/year
    P[t+1, a+1]    = P[t, a] * s[t, a] * (1 + g/100)                   # a = 45..98
    P[t+1, 100]    = (P[t, 99] * s[t, 99] + P[t, 100] * s[t, 100]) * (1 + g/100)
    P[t+1, 45]     = P[base, 45]                                       # entrants: base-year count

``k`` is the mortality multiplier (district vs national level), ``i`` the annual mortality improvement
(compounding, applied to the hazard ``mx``), ``g`` net migration in % per year applied to every age.
Net migrants by age (persons a year, :mod:`models.migration`) are added to ``P[t+1, a]`` after the
year's deaths.
The multiplier scales the hazard, not ``qx``, so ``qx`` stays in [0, 1] for any ``k >= 0``. New
45-year-olds each year equal the base-year age-45 count: a simplification that does not affect ages 60+
before base + 15 (2035). ``k``, ``i`` and ``g`` may be arrays of draws (shape ``(n,)``); the projection
is vectorised over draws (Monte Carlo) and the deterministic case is ``n = 1``.

Outputs (``summarise``): pop_60plus, pop_65plus, pop_80plus, pop_45_59 and disabled_elderly =
``p_60_69 * P(60–69) + p_70_79 * P(70–79) + p_80plus * P(80+)``, where a *disabled elderly person*
(失能半失能老人) is one with at least one limitation in activities of daily living (ADL: eating,
dressing, bathing, toileting, continence, transfer) who needs another person's help. Prevalences by
band are parameters (defaults in ``data/assumptions.toml``).

Sources: ``un_wpp2019`` (data/reference/china_wpp2019_population_2020.csv), ``un_wpp2024``
(data/reference/china_wpp2024_mortality_mx.csv); Gompertz (1825) law of mortality; Preston, Heuveline &
Guillot (2001) *Demography*, ch. 3 (life table, constant-hazard ``qx``) and ch. 6 (cohort component).
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any

import numpy as np
import pandas as pd

from models.checking import check_range, check_year
from models.errors import ShapanError
from models.params import reads, scenario_field
from models.views import calendar as cal

AGES = np.arange(45, 101)
OPEN_AGE = 100
WPP_FILE = "reference/china_wpp2019_population_2020.csv"
MX_FILE = "reference/china_wpp2024_mortality_mx.csv"
PARAMS_FILE = "[population]"
YEAR_RANGE = (2010, 2050)
SEXES = {"both": ("male", "female"), "male": ("male",), "female": ("female",)}
GOMPERTZ_FIT_GROUPS = (55, 85)  # first ages of the 5-year groups used in the fit: 55-59 .. 85-89
SUMMARY_COLUMNS = ["year", "pop_60plus", "pop_65plus", "pop_80plus", "pop_45_59", "disabled_elderly"]

# Hard validity bounds of the model (the UI ranges in assumptions.toml are narrower).
PARAM_RANGES: dict[str, tuple[float, float]] = {
    "pop_60plus_base": (0.0, 1e9),
    "base_year": YEAR_RANGE,
    "end_year": YEAR_RANGE,
    "mortality_multiplier": (0.0, 10.0),
    "mortality_improvement_pct": (-10.0, 10.0),
    "net_migration_pct": (-20.0, 20.0),
    "disability_prevalence_60_69_pct": (0.0, 100.0),
    "disability_prevalence_70_79_pct": (0.0, 100.0),
    "disability_prevalence_80plus_pct": (0.0, 100.0),
}


# ---------------------------------------------------------------------------------------------- checks


def _check_range(key: str, value: Any, lo: float, hi: float, file: str = PARAMS_FILE) -> np.ndarray:
    return check_range(key, value, lo, hi, file=file)


def _check_year(key: str, value: Any, lo: float, hi: float) -> int:
    return check_year(key, value, lo, hi, file=PARAMS_FILE)


def _age_vector(key: str, value: Any, lo: float, hi: float, size: int | None = None) -> np.ndarray:
    arr = _check_range(key, value, lo, hi)
    if arr.ndim != 1 or arr.size < 2 or (size is not None and arr.size != size):
        expected = f"1-D array of length {size}" if size else "1-D array over ages"
        raise ShapanError("wrong_type", file=PARAMS_FILE, key=key, expected=expected, value=arr.shape)
    return arr


def _group_start(label: str) -> int:
    """First age of a WPP age-group label: ``"45-49"`` -> 45, ``"100+"`` -> 100."""
    return int(str(label).replace("+", "-").split("-")[0])


def _require_columns(frame: pd.DataFrame, columns: list[str], file: str) -> None:
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise ShapanError("missing_columns", file=file, columns=", ".join(missing))


def _wpp_counts(wpp: pd.DataFrame, sex: str) -> dict[int, float]:
    """Population (thousands) by first age of group, summed over the sexes of ``sex``."""
    if sex not in SEXES:
        raise ShapanError("out_of_range", file=PARAMS_FILE, key="sex", value=sex, min="both",
                          max="male/female")
    columns = [f"{s}_thousands" for s in SEXES[sex]]
    _require_columns(wpp, ["age_group", *columns], WPP_FILE)
    counts = wpp[columns].astype(float).sum(axis=1).to_numpy()
    return {_group_start(g): float(c) for g, c in zip(wpp["age_group"], counts, strict=True)}


def _split_ratio(counts: dict[int, float], start: int) -> float:
    """Yearly ratio of single-year counts inside group ``start`` from its neighbours (1 if undefined)."""
    lower = counts[start - 5]
    if start + 5 < OPEN_AGE:
        upper, span = counts[start + 5], 10
    else:  # the group above is open-ended: compare with the group itself
        upper, span = counts[start], 5
    if lower <= 0 or upper <= 0:
        return 1.0
    return float((upper / lower) ** (1 / span))


# ---------------------------------------------------------------------------------------------- inputs


def age_shape(wpp: pd.DataFrame, sex: str = "both", method: str = "geometric") -> np.ndarray:
    """Single-year shares over :data:`AGES` (summing to 1) from WPP 5-year groups.

    Parameters
    ----------
    wpp : DataFrame
        Columns ``age_group`` ("40-44", ..., "95-99", "100+"), ``male_thousands``, ``female_thousands``.
    sex : {"both", "male", "female"}
        Which population; "both" pools male + female.
    method : {"geometric", "uniform"}
        Geometric split within each group (default; see module docstring) or uniform (P_g / 5 a year).

    Returns
    -------
    ndarray, shape (56,)
    """
    counts = _wpp_counts(wpp, sex)
    needed = [40, *range(45, 100, 5), OPEN_AGE]
    missing = [f"{a}-{a + 4}" if a < OPEN_AGE else "100+" for a in needed if a not in counts]
    if missing:
        raise ShapanError("generic", detail=f"{WPP_FILE}: missing age groups {', '.join(missing)}")
    if method not in ("geometric", "uniform"):
        raise ShapanError("out_of_range", file=PARAMS_FILE, key="method", value=method, min="geometric",
                          max="uniform")
    single = np.empty(AGES.size)
    for start in range(45, 100, 5):
        total = counts[start]
        ratio = _split_ratio(counts, start) if method == "geometric" else 1.0
        weights = ratio ** np.arange(5)
        single[start - 45 : start - 40] = total * weights / weights.sum()
    single[-1] = counts[OPEN_AGE]
    if single.sum() <= 0 or np.any(single < 0):
        raise ShapanError("generic", detail=f"{WPP_FILE}: counts must be >= 0 with a positive total")
    return single / single.sum()


def rescale_shape(shape: np.ndarray, share_65_of_60_pct: float, factor_45_59: float = 1.0) -> np.ndarray:
    """The age shape with ages 65+ making up ``share_65_of_60_pct`` % of ages 60+ (census rescaling).

    Ages 60–64 and 65+ are each scaled by one factor (profiles within each kept) so that the 60+ total is
    unchanged and ``P(65+)/P(60+)`` equals the census figure. Ages 45–59 (the next entrants to 60+) are
    multiplied by ``factor_45_59``: the province's census ratio of persons 15–59 to persons 60+ over the
    national one (Chongqing 0.84: working ages thinned by out-migration; Jiangxi 1.07).
    The national WPP shape gives 69 %; the 2020 census gives 79–82 % for Chongqing districts and 70 % for
    Jiangxi (``data/reference/census_2020_age_shares.csv``).
    """
    shape = _age_vector("shape", shape, 0.0, np.inf, AGES.size).copy()
    share = float(_check_range("share_65_of_60_pct", share_65_of_60_pct, 0.0, 100.0)) / 100.0
    young, old = (AGES >= 60) & (AGES < 65), AGES >= 65
    total, s_young, s_old = shape[AGES >= 60].sum(), shape[young].sum(), shape[old].sum()
    if s_young <= 0 or s_old <= 0:
        raise ShapanError("generic", detail="shape: ages 60-64 or 65+ have zero weight")
    _check_range("factor_45_59", factor_45_59, 0.0, 10.0)
    shape[young] *= (1.0 - share) * total / s_young
    shape[old] *= share * total / s_old
    shape[AGES < 60] *= factor_45_59
    return shape


def base_population(pop_60plus: float, shape: np.ndarray) -> np.ndarray:
    """Base-year persons by age over :data:`AGES`, scaled so ages 60+ sum exactly to ``pop_60plus``."""
    lo, hi = PARAM_RANGES["pop_60plus_base"]
    pop = float(_check_range("pop_60plus_base", pop_60plus, lo, hi))
    shape = _age_vector("shape", shape, 0.0, np.inf, AGES.size)
    old = shape[AGES >= 60].sum()
    if old <= 0:
        raise ShapanError("generic", detail="shape: ages 60+ have zero weight")
    return shape * (pop / old)


def death_rates(
    mx: pd.DataFrame, wpp: pd.DataFrame, period: str = "2020_2025", sex: str = "both"
) -> np.ndarray:
    """Single-year central death rates ``mx`` over :data:`AGES` (see module docstring for the method).

    Parameters
    ----------
    mx : DataFrame
        Columns ``age_group`` and ``mx_<sex>_<period>`` (UN WPP 2024; groups 55-59 .. 95-99 and 100+).
    wpp : DataFrame
        WPP 2019 population by group and sex, the pooling weights.
    period : str
        "2020_2025" (default) or "2015_2020".
    sex : {"both", "male", "female"}

    Returns
    -------
    ndarray, shape (56,)
        Central death rates per person-year.
    """
    sexes = SEXES.get(sex)
    if sexes is None:
        raise ShapanError("out_of_range", file=PARAMS_FILE, key="sex", value=sex, min="both",
                          max="male/female")
    columns = [f"mx_{s}_{period}" for s in sexes]
    _require_columns(mx, ["age_group", *columns], MX_FILE)
    weights = {s: _wpp_counts(wpp, s) for s in sexes}
    starts = np.array([_group_start(g) for g in mx["age_group"]])
    rates = mx[columns].astype(float).to_numpy()
    w = np.array([[weights[s].get(int(a), np.nan) for s in sexes] for a in starts])
    pooled = (rates * w).sum(axis=1) / w.sum(axis=1)
    ok = np.isfinite(pooled)
    if np.any(pooled[ok] <= 0) or OPEN_AGE not in starts[ok]:
        raise ShapanError("generic", detail=f"{MX_FILE}: rates must be > 0 and include the open group 100+")
    x = np.where(starts >= OPEN_AGE, OPEN_AGE, starts + 2)[ok]
    log_m = np.log(pooled[ok])
    order = np.argsort(x)
    x, log_m, starts_ok = x[order], log_m[order], starts[ok][order]
    fit = (starts_ok >= GOMPERTZ_FIT_GROUPS[0]) & (starts_ok <= GOMPERTZ_FIT_GROUPS[1])
    if fit.sum() < 2:
        raise ShapanError("generic", detail=f"{MX_FILE}: fewer than two groups in 55-89 for period {period}")
    slope_b = np.polyfit(x[fit], log_m[fit], 1)[0]
    log_single = np.interp(AGES, x, log_m)
    youngest = x[0]
    below = np.less(AGES, youngest)
    log_single[below] = log_m[0] + slope_b * (AGES[below] - youngest)
    return np.exp(log_single)


def qx_from_mx(mx: np.ndarray) -> np.ndarray:
    """Annual death probability under a constant hazard: ``qx = 1 - exp(-mx)``."""
    return -np.expm1(-_check_range("mx", mx, 0.0, np.inf))


def life_expectancy_at(age: int, qx: np.ndarray) -> float:
    """Remaining life expectancy at ``age`` from annual death probabilities ``qx`` over :data:`AGES`.

    Constant hazard within each year: person-years ``L_x = l_x * q_x / m_x`` with ``m_x = -ln(1 - q_x)``;
    the open group 100+ lives ``L_100 = l_100 / m_100``. Returns ``inf`` when ``qx[100] == 0``.
    """
    q = _age_vector("qx", qx, 0.0, 1.0, AGES.size)
    i = _check_year("age", age, AGES[0], AGES[-1]) - AGES[0]
    q = q[i:]
    with np.errstate(divide="ignore", invalid="ignore"):
        m = -np.log1p(-q)
        frac = np.where(q > 0, q / m, 1.0)
        survivors = np.concatenate([[1.0], np.cumprod(1.0 - q)[:-1]])
        years = survivors[:-1] @ frac[:-1]
        open_years = survivors[-1] / m[-1] if survivors[-1] > 0 else 0.0
    return float(years + open_years)


# ---------------------------------------------------------------------------------------------- projection


def project(
    base_by_age: np.ndarray,
    qx: np.ndarray,
    *,
    base_year: int,
    end_year: int,
    mortality_multiplier: float | np.ndarray = 1.0,
    mortality_improvement_pct: float | np.ndarray = 0.0,
    net_migration_pct: float | np.ndarray = 0.0,
    migrants_by_age: np.ndarray | None = None,
) -> np.ndarray:
    """Project persons by age from ``base_year`` to ``end_year`` (formula in the module docstring).

    Parameters
    ----------
    base_by_age, qx : ndarray, shape (ages,)
        Base-year persons and annual death probabilities by single age; the first age receives the
        base-year count every year, the last age is open. Normally over :data:`AGES`.
    base_year, end_year : int
    mortality_multiplier, mortality_improvement_pct, net_migration_pct : float or ndarray (n,)
        Scalars or draws; they broadcast against each other.
    migrants_by_age : ndarray, shape (ages,), optional
        Net migrants a year at each age, added after each year's deaths (:mod:`models.migration`).

    Returns
    -------
    ndarray, shape (n, end_year - base_year + 1, ages)
        ``n = 1`` when all three are scalars.
    """
    base = _age_vector("base_by_age", base_by_age, 0.0, np.inf)
    q = _age_vector("qx", qx, 0.0, 1.0, base.size)
    start = _check_year("base_year", base_year, *YEAR_RANGE)
    steps = _check_year("end_year", end_year, start, YEAR_RANGE[1]) - start
    draws = [np.atleast_1d(_check_range(k, v, *PARAM_RANGES[k])) for k, v in (
        ("mortality_multiplier", mortality_multiplier),
        ("mortality_improvement_pct", mortality_improvement_pct),
        ("net_migration_pct", net_migration_pct),
    )]
    try:
        mult, improvement, migration = np.broadcast_arrays(*draws)
    except ValueError as exc:
        raise ShapanError("generic", detail=f"draw arrays have incompatible shapes: {exc}") from exc
    if mult.ndim != 1:
        raise ShapanError("generic", detail="draw arrays must be 1-D (one value per draw)")
    migrants = None if migrants_by_age is None else _age_vector("migrants_by_age", migrants_by_age, -1e9, 1e9,
                                                                  base.size)
    keep = 1.0 - q
    growth = (1.0 + migration / 100.0)[:, None]
    decay = 1.0 - improvement / 100.0
    out = np.empty((mult.size, steps + 1, base.size))
    out[:, 0, :] = base
    for t in range(steps):
        survivors = out[:, t, :] * np.power(keep, (mult * decay**t)[:, None]) * growth
        out[:, t + 1, 0] = base[0]
        out[:, t + 1, 1:] = survivors[:, :-1]
        out[:, t + 1, -1] += survivors[:, -1]
        if migrants is not None:
            out[:, t + 1, :] += migrants
    return out


def summarise(
    pop_by_age: np.ndarray,
    disability_prevalence_60_69_pct: float | np.ndarray,
    disability_prevalence_70_79_pct: float | np.ndarray,
    disability_prevalence_80plus_pct: float | np.ndarray,
) -> dict[str, np.ndarray]:
    """Age-band totals and disabled elderly from persons by age (last axis over :data:`AGES`).

    Returns a dict with keys ``pop_60plus, pop_65plus, pop_80plus, pop_45_59, disabled_elderly``, each
    of shape ``pop_by_age.shape[:-1]`` (e.g. ``(n, years)``). Prevalences may be draws of shape ``(n,)``.
    """
    pop = np.asarray(pop_by_age, dtype=float)
    if pop.shape[-1] != AGES.size:
        raise ShapanError("wrong_type", file=PARAMS_FILE, key="pop_by_age", expected=f"last axis {AGES.size}",
                          value=pop.shape)

    def band(lo: int, hi: int = OPEN_AGE) -> np.ndarray:
        return pop[..., lo - AGES[0] : hi - AGES[0] + 1].sum(axis=-1)

    def rate(key: str, value: float | np.ndarray) -> np.ndarray:
        arr = _check_range(key, value, *PARAM_RANGES[key]) / 100.0
        return arr.reshape(arr.shape + (1,) * (pop.ndim - 1 - arr.ndim))

    disabled = (
        rate("disability_prevalence_60_69_pct", disability_prevalence_60_69_pct) * band(60, 69)
        + rate("disability_prevalence_70_79_pct", disability_prevalence_70_79_pct) * band(70, 79)
        + rate("disability_prevalence_80plus_pct", disability_prevalence_80plus_pct) * band(80)
    )
    return {
        "pop_60plus": band(60),
        "pop_65plus": band(65),
        "pop_80plus": band(80),
        "pop_45_59": band(45, 59),
        "disabled_elderly": disabled,
    }


@dataclass(frozen=True, kw_only=True)
class PopulationParams:
    """Scalar parameters of the population model, validated on construction (ranges: PARAM_RANGES)."""

    pop_60plus_base: float = reads("population.pop_60plus_base")
    base_year: int = scenario_field("base_year", default=cal.BASE_YEAR)
    end_year: int = scenario_field("end_year", default=cal.HORIZON_END)
    mortality_multiplier: float = reads("population.mortality_multiplier", default=1.0)
    mortality_improvement_pct: float = reads("population.mortality_improvement_pct")
    net_migration_pct: float = reads("population.net_migration_pct")
    disability_prevalence_60_69_pct: float = reads("population.disability_prevalence_60_69_pct")
    disability_prevalence_70_79_pct: float = reads("population.disability_prevalence_70_79_pct")
    disability_prevalence_80plus_pct: float = reads("population.disability_prevalence_80plus_pct")
    net_migrants_per_year: tuple[float, ...] = (0.0, 0.0, 0.0, 0.0)  # by band of models.migration.BANDS

    def __post_init__(self) -> None:
        for f in fields(self):
            if f.name in ("base_year", "end_year", "net_migrants_per_year"):
                continue
            _check_range(f.name, getattr(self, f.name), *PARAM_RANGES[f.name])
            if np.ndim(getattr(self, f.name)) != 0:
                raise ShapanError("wrong_type", file=PARAMS_FILE, key=f.name, expected="number",
                                  value=getattr(self, f.name))
        start = _check_year("base_year", self.base_year, *YEAR_RANGE)
        _check_year("end_year", self.end_year, start, YEAR_RANGE[1])

    @property
    def years(self) -> np.ndarray:
        return np.arange(self.base_year, self.end_year + 1)


def project_summary_draws(
    params: PopulationParams,
    shape: np.ndarray,
    qx: np.ndarray,
    *,
    mortality_multiplier: float | np.ndarray | None = None,
    mortality_improvement_pct: float | np.ndarray | None = None,
    net_migration_pct: float | np.ndarray | None = None,
) -> dict[str, np.ndarray]:
    """:func:`summarise` of the projection, arrays ``(n, years)``; each draw argument overrides ``params``."""
    draws = {
        "mortality_multiplier": mortality_multiplier,
        "mortality_improvement_pct": mortality_improvement_pct,
        "net_migration_pct": net_migration_pct,
    }
    from models import migration

    base = base_population(params.pop_60plus_base, shape)
    pop = project(
        base,
        qx,
        base_year=params.base_year,
        end_year=params.end_year,
        migrants_by_age=migration.by_age(base, params.net_migrants_per_year, AGES),
        **{key: getattr(params, key) if value is None else value for key, value in draws.items()},
    )
    pop = np.maximum(pop, 0.0)  # a net outflow larger than a cohort empties it
    prevalences = (params.disability_prevalence_60_69_pct, params.disability_prevalence_70_79_pct,
                   params.disability_prevalence_80plus_pct)
    return summarise(pop, *prevalences)


def project_summary(params: PopulationParams, shape: np.ndarray, qx: np.ndarray) -> pd.DataFrame:
    """Deterministic projection as a wide frame with columns :data:`SUMMARY_COLUMNS` (persons)."""
    summary = project_summary_draws(params, shape, qx)
    frame = pd.DataFrame({"year": params.years})
    for key in SUMMARY_COLUMNS[1:]:
        frame[key] = summary[key][0]
    return frame

