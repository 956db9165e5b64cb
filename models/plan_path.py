"""The ``plan`` path of benefit standards: the path the plan's own targets imply (used to cost the plan).

Not a forecast. Where the baseline (:mod:`models.forecast`) says what the setter will most likely do,
the plan path says what reaching the plan's targets takes, on a stated profile:

* **urban 低保** — none of the plans sets an urban target (the municipality or province sets the
  standard; the plans only commit to "逐步提高"), so the plan path keeps the setter's baseline urban
  standard;
* **rural/urban ratio** — a plan target ``r*`` for year ``T`` (城口 ≥90 %, 武隆 ≥85 %, 珠山 ≥75 % in 2025)
  is reached on a *linear* profile from the base-year ratio ``r_0``::

      d = (r* − r_0) / (T − base)        r(t) = min(r*, r_0 + d × t)   (then held at r*)

  and the rural standard is rounded *up* to the yuan (``R = ceil(r/100 × U)``), so the ratio the plan
  promised is met in year ``T`` rather than missed by rounding. If the baseline already moves the ratio
  as fast (``d_baseline ≥ d``), or the plan sets no ratio target (巴南, 九龙坡), or the target is already
  met, or its year is not after the base year, the plan path is the baseline: the targets imply nothing
  more;
* **特困** follows the setter's rule ``ceil(k × urban)`` on the plan's urban path (k = 1.3, the plans'
  own "不低于城市低保标准的1.3倍").

Beds follow the plan's named projects and its bed totals phased over the plan years
(:mod:`models.bed_pipeline`) under every preset.
"""

from __future__ import annotations

import dataclasses
import math

from models import forecast as fc


def ratio_drift_pp(ratio_base_pct: float, target_pct: float, base_year: int, target_year: float) -> float | None:
    """Percentage points a year that take the ratio from ``ratio_base_pct`` to ``target_pct`` by
    ``target_year`` (None when there is no target, it is already met, or its year is not after the base)."""
    if any(math.isnan(float(v)) for v in (target_pct, target_year)) or target_year <= base_year:
        return None
    if target_pct <= ratio_base_pct:
        return None
    return (float(target_pct) - ratio_base_pct) / (float(target_year) - base_year)


def setter_params(params: fc.SetterParams, target_pct: float, target_year: float) -> fc.SetterParams:
    """The baseline's setter inputs turned into the plan path (module docstring); unchanged when the
    targets imply nothing beyond the baseline."""
    drift = ratio_drift_pp(params.ratio_base_pct, target_pct, params.base_year, target_year)
    if drift is None or drift <= params.baseline_ratio_drift_pp:
        return params
    return dataclasses.replace(params, baseline_ratio_drift_pp=drift, ratio_cap_pct=float(target_pct),
                               rural_round_up=True)
