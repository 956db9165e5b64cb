"""Timing of the model layer against raw numpy/scipy baselines of the same arithmetic size.

Not a test: run ``python benchmarks/bench_models.py``. Each line prints the best-of-N time of the Shapan
call, the best-of-N time of a raw baseline doing comparable arithmetic, their ratio, and the goal.

(a) deterministic projection of all indicators for one district (``engine.run`` on 巴南 plan, plus its
    ``series``) vs a 56-age × 16-year cohort loop in numpy plus compound-growth paths and a bed pipeline;
    goal < 50 ms.
(b) Monte Carlo, 1,000 draws (``targets.monte_carlo``) vs the same cohort loop vectorised over 1,000 draws
    plus growth-path draws; goal < 1 s.
(c) goal-seek (``targets.solve`` 城口 rural/urban 低保 ratio with the rural growth lever) vs
    ``scipy.optimize.brentq`` on the closed-form ratio; goal < 200 ms.
"""

from __future__ import annotations

import sys
import timeit
from pathlib import Path

import numpy as np
from scipy.optimize import brentq

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from models import engine, presets  # noqa: E402
from models import targets as tg  # noqa: E402
from models.data import dataset  # noqa: E402
from models.resolve import resolve  # noqa: E402

AGES = 56            # single ages 45..100+
YEARS = 16           # 2020..2035
DRAWS = 1_000        # Monte Carlo draws
REPEAT = 7           # best of REPEAT
GOALS_MS = {"projection": 50.0, "monte_carlo": 1000.0, "goal_seek": 200.0}


def best_ms(fn, number: int) -> float:
    """Best-of-REPEAT time of one call, in milliseconds."""
    return min(timeit.Timer(fn).repeat(repeat=REPEAT, number=number)) / number * 1000


# ------------------------------------------------------------------------------------------ raw baselines

RNG = np.random.default_rng(0)
SHAPE = RNG.dirichlet(np.ones(AGES))
QX = np.clip(np.exp(np.linspace(-6.0, -0.5, AGES)), 0, 1)


def raw_projection() -> dict[str, np.ndarray]:
    """Cohort loop (56 ages × 16 years), compound-growth standards, bed pipeline, costs."""
    pop = np.empty((YEARS, AGES))
    pop[0] = 237_500 * SHAPE
    px = 1 - QX * 0.99 ** np.arange(YEARS)[:, None]
    for t in range(1, YEARS):
        pop[t, 1:] = pop[t - 1, :-1] * px[t, :-1]
        pop[t, -1] += pop[t - 1, -1] * px[t, -1]
        pop[t, 0] = pop[t - 1, 0]
    pop60 = pop[:, 15:].sum(axis=1)
    pop80 = pop[:, 35:].sum(axis=1)
    growth = (1 + np.array([[0.081], [0.166], [0.101], [0.05]])) ** np.arange(YEARS)
    standards = np.array([[620.0], [496.0], [806.0], [1100.0]]) * growth
    beds = 9800 + np.cumsum(np.where(np.arange(YEARS) > 0, 400.0, 0.0))
    costs = np.array([[2404.0], [11482.0], [2383.0], [7.0]]) * standards * 0.8 * 12 / 10_000
    return {"pop60": pop60, "pop80": pop80, "beds_per_1000": beds / pop60 * 1000, "standards": standards,
            "ratio": standards[1] / standards[0] * 100, "costs": costs}


def raw_monte_carlo() -> dict[str, np.ndarray]:
    """The cohort loop vectorised over DRAWS mortality multipliers, plus growth-path and delivery draws."""
    rng = np.random.default_rng(1)
    mult = np.clip(rng.normal(1.0, 0.1, DRAWS), 0.5, 1.5)[:, None]
    pop = np.empty((DRAWS, YEARS, AGES))
    pop[:, 0] = 237_500 * SHAPE
    for t in range(1, YEARS):
        px = 1 - np.clip(QX * mult * 0.99**t, 0, 1)
        pop[:, t, 1:] = pop[:, t - 1, :-1] * px[:, :-1]
        pop[:, t, -1] += pop[:, t - 1, -1] * px[:, -1]
        pop[:, t, 0] = pop[:, t - 1, 0]
    pop60 = pop[:, :, 15:].sum(axis=2)
    t = np.arange(YEARS)
    urban = 620 * (1 + rng.normal(0.081, 0.01, DRAWS)[:, None]) ** t
    rural = np.minimum(496 * (1 + rng.normal(0.166, 0.01, DRAWS)[:, None]) ** t, urban)
    beds = 9800 + np.cumsum(np.where(t > 0, 400.0, 0.0)) * np.clip(rng.normal(1, 0.1, DRAWS), 0, 3)[:, None]
    return {"pop60": pop60, "beds_per_1000": beds / pop60 * 1000, "ratio": rural / urban * 100,
            "p_met": np.mean(rural / urban * 100 >= 90, axis=0)}


def raw_goal_seek() -> float:
    """brentq on the closed-form ratio 496 (1+g)^5 / (620 (1+g_u)^5) × 100 = 90 over g ∈ [−50, 100] %."""
    g_urban = 6.1517

    def gap(g: float) -> float:
        return 496 * (1 + g / 100) ** 5 / (620 * (1 + g_urban / 100) ** 5) * 100 - 90

    return brentq(gap, -50.0, 100.0, xtol=1e-6, rtol=1e-10, maxiter=200)


# ------------------------------------------------------------------------------------------------- main


def main() -> int:
    ds = dataset()
    banan = resolve(presets.load_preset("banan", "plan", ds), ds)
    chengkou = resolve(presets.load_preset("chengkou", "plan", ds), ds)
    engine.run(banan, ds)  # warm the caches (age tables, plan projects) as the app would
    tg.monte_carlo(banan, ds, n=10, seed=1)

    rows = [
        ("projection", "engine.run(巴南 plan) + series", best_ms(lambda: engine.run(banan, ds).series, 10),
         "numpy cohort 56×16 + growth paths", best_ms(raw_projection, 200)),
        ("monte_carlo", f"targets.monte_carlo(巴南, n={DRAWS})",
         best_ms(lambda: tg.monte_carlo(banan, ds, n=DRAWS, seed=7), 2),
         f"numpy cohort 56×16 × {DRAWS} draws", best_ms(raw_monte_carlo, 3)),
        ("goal_seek", "targets.solve(城口 ratio, dibao_rural_growth)",
         best_ms(lambda: tg.solve(chengkou, ds, "rural_urban_dibao_ratio", "dibao_rural_growth"), 3),
         "scipy brentq on closed form", best_ms(raw_goal_seek, 200)),
    ]
    print(f"Shapan model benchmarks (best of {REPEAT}; data {ds.version}; numpy {np.__version__})")
    print(f"{'task':<12} {'shapan':>10} {'raw':>10} {'ratio':>9} {'goal':>9}  status  what")
    failed = 0
    for key, label, ms, raw_label, raw_ms in rows:
        goal = GOALS_MS[key]
        ok = ms < goal
        failed += not ok
        print(f"{key:<12} {ms:>8.2f}ms {raw_ms:>8.3f}ms {ms / raw_ms:>8.1f}x {goal:>7.0f}ms  "
              f"{'ok' if ok else 'SLOW':<6}  {label}  vs  {raw_label}")
    print("all goals met" if not failed else f"{failed} goal(s) missed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
