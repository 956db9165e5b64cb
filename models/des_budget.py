"""The DES's work budget: simulation events estimated from the parameters, before anything runs.

One replication processes about

    E = A x (2 + r) + min(B0, L0) + Y

events, where ``A`` is the expected number of arrivals (warm-up years at the base-year rate plus the sum
of the yearly rates), each arrival being one event and (if admitted) one departure, ``r`` = 1 when
waiting residents may renege (a patience timer each; 0 otherwise), ``min(B0, L0)`` the departures of the
residents present at the start (at most the base-year beds, about the offered load ``L0`` = base-year
arrivals x mean stay), and ``Y`` the year-start events. It is an upper estimate of the mean: turned-away
arrivals never depart and residents still in bed at the end have not departed yet (tests compare it with
the events a run actually counts). ``n`` replications cost ``n x E``.

:func:`check` refuses a request whose estimate exceeds the ``des_events`` budget of
:mod:`models.limits` with a :class:`~models.errors.ShapanError` that states the estimate and the limit
(two in-range levers -- institutionalisation 100 %, mean stay 0.1 years in 巴南 -- ask for about 24
million events per replication, several minutes each).
"""

from __future__ import annotations

import math

from models import limits
from models.des_inputs import DesParams
from models.errors import ShapanError


def estimate_events(params: DesParams, n: int = 1) -> int:
    """Estimated simulation events of ``n`` replications of ``params`` (see the module docstring)."""
    rates = params.arrivals_per_year
    arrivals = params.warmup_years * rates[0] + sum(rates)
    per_arrival = 3 if params.queue == "waiting" and params.renege else 2
    beds = params.general_beds[0] + params.nursing_beds[0]
    initial = 0.0 if params.initial_occupancy == "empty" else min(beds, rates[0] * params.los_mean_years)
    per_run = arrivals * per_arrival + initial + len(params.years)
    return math.ceil(per_run * n) if math.isfinite(per_run) else 2**63


def check(params: DesParams, n: int = 1) -> int:
    """The estimate for ``n`` replications, or ShapanError ``des_budget`` if it exceeds the budget."""
    estimate, limit = estimate_events(params, n), limits.current().des_events
    if estimate > limit:
        raise ShapanError("des_budget", estimate=f"{estimate:,}", replications=n, limit=f"{limit:,}")
    return estimate
