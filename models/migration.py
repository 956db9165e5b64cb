"""Net migration by age: persons a year who move into (+) or out of (−) the district, by age band.

The cohort projection (:func:`models.population.project`) adds, at the end of every projected year,
``m[a]`` persons at each single age ``a``::

    P[t+1, a] = (survivors of P[t, a-1]) + m[a]

where the yearly net migrants of band ``b`` (``M_b`` persons a year, the parameters
``population.net_migrants_<band>_per_year``) are spread over the band's single ages in proportion to the
base-year population at those ages::

    m[a] = M_b × P[base, a] / Σ_{a' in b} P[base, a']        (a in b)

(evenly when the band is empty in the base year). Migrants are added after the year's deaths: in the
first projected year they add exactly ``M_b`` persons to their band; later they age and die like
everyone else. Bands: 45–59 (the next entrants to 60+: e.g. migrant workers returning home), 60–64,
65–79 and 80+ (moving to live with children, or into care elsewhere).

The uniform rate ``population.net_migration_pct`` (% a year applied to every age) stays as it was; the
two add up. Defaults are zero with their reason in ``data/assumptions.toml`` (no district publishes
net migration by age); they are not drawn in the Monte Carlo.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from models.checking import check_range
from models.errors import ShapanError

BANDS: dict[str, tuple[int, int]] = {"45_59": (45, 59), "60_64": (60, 64), "65_79": (65, 79), "80plus": (80, 100)}
KEYS = tuple(f"population.net_migrants_{band}_per_year" for band in BANDS)
LIMIT = 1_000_000  # persons a year per band: a hard validity bound (the UI range is narrower)


def by_age(base_by_age: np.ndarray, per_year: Any, ages: np.ndarray) -> np.ndarray:
    """Net migrants a year at each single age (``ages``), from the yearly totals ``per_year`` by band.

    Parameters
    ----------
    base_by_age : ndarray
        Base-year persons at each of ``ages`` (the within-band weights).
    per_year : sequence of 4 floats
        Net migrants a year for the bands of :data:`BANDS`, in that order.
    ages : ndarray
        Single ages of ``base_by_age`` (45..100, 100 = open group).
    """
    base = np.asarray(base_by_age, dtype=float)
    ages = np.asarray(ages)
    totals = np.atleast_1d(np.asarray(per_year, dtype=float))
    if totals.shape != (len(BANDS),):
        raise ShapanError("wrong_type", file="[population]", key="net_migrants_per_year",
                          expected=f"{len(BANDS)} numbers (bands {', '.join(BANDS)})", value=totals.shape)
    if base.shape != ages.shape:
        raise ShapanError("generic", detail="base_by_age and ages must have the same length")
    out = np.zeros(ages.size)
    for (band, (lo, hi)), total in zip(BANDS.items(), totals, strict=True):
        check_range(f"net_migrants_{band}_per_year", total, -LIMIT, LIMIT, file="[population]")
        inside = (ages >= lo) & (ages <= hi)
        weights = base[inside]
        if weights.sum() > 0:
            out[inside] = total * weights / weights.sum()
        elif inside.any():
            out[inside] = total / inside.sum()
    return out


def per_year(values: Any) -> tuple[float, ...]:
    """The four band totals from a resolved scenario (or any mapping with :data:`KEYS`)."""
    return tuple(float(values[key]) for key in KEYS)
