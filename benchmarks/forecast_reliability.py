"""Reliability check of the baseline forecast of benefit standards (not a test; no timing).

Run ``python benchmarks/forecast_reliability.py``. Prints:

1. the rolling-origin backtest of the damped-growth method on the national average 低保 standards
   2010–2020 (``data/reference/national_dibao_standards.csv``, 民政部 bulletins; 2015–2017 and
   2019–2020 verified against the bulletins' figures, 2010–2014 and 2018 unverified — see each row's
   status, locator and note): the
   spread calibrated by NNLS (σ_level, σ_shock) and the leave-one-origin-out share of held-back values
   inside P10–P90 (nominal 80 %), with the number of values judged;
2. per district, the 2025 P10/P50/P90 of the baseline (业务照常) forecast made from 2020 information, and
   P(met) of the rural/urban ratio targets.

Only data up to 2020 enter; later outcomes enter the product only as user actuals.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from models import bands, engine, forecast_eval, presets  # noqa: E402
from models import targets as tg  # noqa: E402
from models.data import dataset  # noqa: E402
from models.resolve import resolve  # noqa: E402

DRAWS = 1000
SERIES = ("dibao_urban_standard", "dibao_rural_standard", "rural_urban_dibao_ratio", "tekun_standard",
          "population_60plus")


def main() -> None:
    ds = dataset()
    long_run = ds.assumptions["benefits.baseline_long_run_growth_pct"].value
    damping = ds.assumptions["benefits.baseline_damping"].value
    print(f"Rolling-origin backtest (long-run {long_run:g} %/yr, damping {damping:g}, 5-year window):")
    print(forecast_eval.report(ds, long_run, damping).round(3).to_string(index=False))
    print(f"\nBaseline forecast 2025, P50 [P10–P90], {DRAWS} draws, scenario seed:")
    for district in ds.districts["id"]:
        res = resolve(presets.load_preset(district, "baseline", ds), ds)
        out = bands.bands(res, ds, n=DRAWS)
        cells = []
        for key in SERIES:
            v = out["series"].get(key, {}).get("2025")
            cells.append(f"{key} {v['p50']:.1f} [{v['p10']:.1f}–{v['p90']:.1f}]" if v else f"{key} –")
        frame = tg.evaluate(engine.run(res, ds), ds)
        probs = tg.probabilities(tg.monte_carlo(res, ds, n=DRAWS), frame)
        ratio = {y: p for (i, y), p in probs.items() if i == "rural_urban_dibao_ratio"}
        print(f"{district} ({out['scenario_hash']}): " + "; ".join(cells) + f"; P(ratio target met) {ratio}")


if __name__ == "__main__":
    main()
