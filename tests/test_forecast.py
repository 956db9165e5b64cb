"""Setters, the baseline forecast of benefit standards, its Monte Carlo and its calibration."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from models import bands, engine, forecast_eval, population_stage, presets, setters
from models import forecast as fc
from models import targets as tg
from models.cli import main
from models.data import dataset
from models.errors import ShapanError
from models.resolve import resolve

CHONGQING = ("chengkou", "wulong", "banan", "jiulongpo")


@pytest.fixture(scope="module")
def ds():
    return dataset()


def _baseline(ds, district):
    return resolve(presets.load_preset(district, "baseline", ds), ds)


def _params(**kw):
    base = {"urban_base_yuan_month": 620.0, "rural_base_yuan_month": 496.0, "baseline_recent_growth_pct": 8.1,
            "baseline_long_run_growth_pct": 5.0, "baseline_damping": 0.5, "baseline_ratio_drift_pp": 0.5,
            "tekun_multiplier": 1.3}
    return fc.SetterParams(**(base | kw))


# ------------------------------------------------------------------------------------------------ setters


def test_chongqing_sets_for_its_districts(ds):
    for d in CHONGQING:
        assert setters.decided_by(ds, d, "rural_urban_dibao_ratio") == "市"
        assert setters.setter_of(ds, d) == "chongqing"
    assert setters.districts_of(ds, "chongqing") == sorted(CHONGQING)
    assert setters.setter_of(ds, "zhushan") == "jingdezhen"
    assert setters.decided_by(ds, "wulong", "nursing_bed_share") is None


def test_jiulongpo_gets_the_municipal_standard(ds):
    """九龙坡's opinion publishes no standard; it executes Chongqing's (620/496/806 in 2020)."""
    assert setters.setter_figure(ds, "jiulongpo", "dibao_urban_standard", 2020)[0] == 620
    assert setters.setter_figure(ds, "jiulongpo", "tekun_standard", 2020)[0] == 806
    growth, how = setters.recent_growth_pct(ds, "jiulongpo")
    assert math.isclose(growth, ((620 / 420) ** 0.2 - 1) * 100)
    assert "chongqing" in how


def test_every_setter_row_has_a_known_source(ds):
    table = setters.setters_table(ds)
    assert set(table["setter_level"]) <= set(setters.LEVELS)
    assert set(table["source"]) <= set(ds.sources)


# ------------------------------------------------------------------------------------------ the method


def test_hand_computed_first_years():
    """g(1) = 5 + (8.1 − 5) × 0.5 = 6.55 % → 620 × 1.0655 = 660.6 → 660 (10-yuan step); rural =
    round(80.5 % × 660) = 531; 特困 = ceil(1.3 × 660) = 858; g(2) = 5.775 % → 698.1 → 700."""
    frame = fc.baseline(_params())
    row = frame.set_index("year")
    assert row.loc[2020, "dibao_urban_standard"] == 620
    assert row.loc[2021, "dibao_urban_standard"] == 660
    assert row.loc[2021, "dibao_rural_standard"] == 531
    assert row.loc[2021, "tekun_standard"] == 858
    assert row.loc[2022, "dibao_urban_standard"] == 700


def test_campaign_is_not_extrapolated():
    """The 2015–20 convergence (ratio 54.8 → 80 %) is not projected: the 2025 baseline ratio stays well
    below the 2023 catch-up the old extrapolation produced."""
    frame = fc.baseline(_params()).set_index("year")
    assert 80 <= frame.loc[2025, "rural_urban_dibao_ratio"] < 85
    assert frame.loc[2035, "rural_urban_dibao_ratio"] < 100


def test_announced_value_wins_from_its_year():
    plain = fc.baseline(_params()).set_index("year")
    told = fc.baseline(_params(announced=((2022, "dibao_urban_standard", 680.0),
                                          (2022, "dibao_rural_standard", 544.0)))).set_index("year")
    assert told.loc[2021, "dibao_urban_standard"] == plain.loc[2021, "dibao_urban_standard"]
    assert told.loc[2022, "dibao_urban_standard"] == 680
    assert told.loc[2022, "dibao_rural_standard"] == 544
    assert told.loc[2022, "tekun_standard"] == math.ceil(1.3 * 680)
    assert told.loc[2025, "dibao_urban_standard"] < plain.loc[2025, "dibao_urban_standard"]


def test_announced_unknown_indicator_is_named():
    with pytest.raises(ShapanError, match="orphan_standard"):
        _params(announced=((2022, "orphan_standard", 1.0),))


@settings(max_examples=40, deadline=None)
@given(level=st.floats(-3, 3), drift=st.floats(-2, 6), seed=st.integers(0, 2**32 - 1))
def test_paths_are_published_standards(level, drift, seed):
    """Never cut, rural ≤ urban, 特困 ≥ 1.3 × urban, urban in whole 10 yuan, whatever the draw."""
    p = _params()
    shocks = np.random.default_rng(seed).normal(0, 0.03, (1, p.years.size))
    out = fc.compute(p, level, shocks, np.array([drift]))
    urban, rural, tekun = out["dibao_urban_standard"][0], out["dibao_rural_standard"][0], out["tekun_standard"][0]
    assert np.all(np.diff(urban) >= 0)
    assert np.all(np.diff(rural) >= 0)
    assert np.all(rural <= urban)
    assert np.all(tekun >= 1.3 * urban - 1e-9)
    assert np.all(urban % 10 == 0)


# ---------------------------------------------------------------------------------- one setter, one path


def test_districts_of_one_setter_share_one_path(ds):
    runs = [engine.run(_baseline(ds, d), ds).benefits for d in CHONGQING]
    cols = ["dibao_urban_standard", "dibao_rural_standard", "tekun_standard"]
    for frame in runs[1:]:
        assert frame[cols].equals(runs[0][cols])


def test_districts_of_one_setter_share_their_draws(ds):
    a = tg.monte_carlo(_baseline(ds, "wulong"), ds, n=200, seed=3)
    b = tg.monte_carlo(_baseline(ds, "chengkou"), ds, n=200, seed=3)
    assert np.array_equal(a["dibao_rural_standard"], b["dibao_rural_standard"])


def test_urban_and_rural_draws_are_correlated(ds):
    draws = tg.monte_carlo(_baseline(ds, "banan"), ds, n=2000, seed=1)
    i = list(draws["year"]).index(2025)
    corr = np.corrcoef(draws["dibao_urban_standard"][:, i], draws["dibao_rural_standard"][:, i])[0, 1]
    assert corr > 0.5


def test_missed_ratio_target_is_not_near_certain(ds):
    """The old model gave P(武隆 ratio ≥ 85 % in 2025) = 0.996 by projecting the campaign forward."""
    res = _baseline(ds, "wulong")
    frame = tg.evaluate(engine.run(res, ds), ds)
    p = tg.probabilities(tg.monte_carlo(res, ds, n=2000, seed=7), frame)[("rural_urban_dibao_ratio", 2025)]
    assert 0.1 < p < 0.8


# ------------------------------------------------------------------------------------------- CLI contract


def _forecast(capsys, *argv):
    assert main(["forecast", *argv, "--json"]) == 0
    return json.loads(capsys.readouterr().out)


def test_forecast_contract(capsys):
    out = _forecast(capsys, "--district", "wulong", "--mc", "300", "--seed", "5")
    assert {"district", "scenario", "scenario_hash", "base_year", "series"} <= set(out)
    assert out["scenario"] == "baseline"
    assert out["base_year"] == 2020
    for key in bands.REQUIRED:
        years = out["series"][key]
        assert list(years) == [str(y) for y in range(2020, 2036)]
        for v in years.values():
            assert v["p10"] <= v["p50"] <= v["p90"]
    band_2025 = out["series"]["dibao_urban_standard"]["2025"]
    assert band_2025["p10"] < band_2025["p90"]  # a real band, not a point
    assert _forecast(capsys, "--district", "wulong", "--mc", "300", "--seed", "5") == out


def test_forecast_counts_are_whole_people_and_beds(ds):
    """Percentiles of counts are whole (nearest, halves up) and within half a unit of the raw percentile;
    standards keep their decimals."""
    res = resolve(presets.load_preset("wulong", "baseline", ds), ds)
    out = bands.bands(res, ds, n=200, seed=7)
    raw = tg.monte_carlo(res, ds, n=200, seed=7)
    checked = 0
    for key in bands.COUNT_SERIES:
        q = np.percentile(raw[key], (10, 50, 90), axis=0)
        for i, band in enumerate(out["series"][key].values()):
            for j, p in enumerate(("p10", "p50", "p90")):
                assert band[p] == math.floor(band[p])
                assert abs(band[p] - q[j, i]) <= 0.5
                checked += 1
    assert checked == len(bands.COUNT_SERIES) * 16 * 3
    urban = [v["p50"] for v in out["series"]["dibao_urban_standard"].values()]
    q_urban = np.percentile(raw["dibao_urban_standard"], 50, axis=0)
    assert urban == [float(v) for v in q_urban]  # standards are not rounded


def test_forecast_bad_draws_exit_2(capsys):
    assert main(["forecast", "--district", "wulong", "--mc", "0", "--json"]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert "mc" in err


def test_targets_rows_say_who_decides(capsys):
    assert main(["targets", "--district", "wulong", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    ratio = next(r for r in rows if r["indicator"] == "rural_urban_dibao_ratio" and r["year"] == 2025)
    assert ratio["decided_by"] == "市"


# ------------------------------------------------------------------------------------------- calibration


def test_spread_assumption_is_the_backtest_calibration(ds):
    """uncertainty.growth_level_sd_pct is what the rolling-origin backtest on ≤ 2020 data gives."""
    long_run = ds.assumptions["benefits.baseline_long_run_growth_pct"].value
    damping = ds.assumptions["benefits.baseline_damping"].value
    urban = forecast_eval.national_series(ds)["urban"]
    fit = forecast_eval.calibrate(forecast_eval.rolling_origin(urban, long_run, damping))
    assert math.isclose(fit["level_sd_pct"], ds.assumptions["uncertainty.growth_level_sd_pct"].value, abs_tol=0.05)


def test_calibration_uses_nothing_after_2020(ds):
    urban = forecast_eval.national_series(ds)["urban"]
    errors = forecast_eval.rolling_origin(urban, 5.0, 0.5)
    assert (errors["origin"] + errors["h"]).max() <= 2020


def test_reliability_of_urban_bands(ds):
    """Leave-one-origin-out: held-back national urban standards inside P10–P90 at least 80 % of the time."""
    out = forecast_eval.reliability(forecast_eval.national_series(ds)["urban"], 5.0, 0.5)
    assert out["n"] == 15
    assert out["inside_share"] >= 0.8


def test_calibrate_recovers_a_known_spread():
    """Errors built exactly as σ_level h + σ_shock √h·z recover σ's (hand-made, no noise)."""
    import pandas as pd

    rows = [{"origin": o, "h": h, "forecast": 1.0, "actual": 1.0, "log_error": 0.02 * h} for o in range(5)
            for h in range(1, 5)]
    fit = forecast_eval.calibrate(pd.DataFrame(rows))
    assert math.isclose(fit["level_sd_pct"], 2.0, rel_tol=1e-6)
    assert fit["shock_sd_pct"] < 1e-6


# ------------------------------------------------------------------------------------- census-based ageing


def test_rescale_shape_hits_the_census_share(ds):
    from models import population as pp

    shape, _ = population_stage.age_tables(ds)
    out = pp.rescale_shape(shape, 80.0, 0.5)
    ages = pp.AGES
    assert out[ages >= 65].sum() / out[ages >= 60].sum() == pytest.approx(0.80)
    assert out[ages >= 60].sum() == pytest.approx(shape[ages >= 60].sum())
    assert out[ages < 60] == pytest.approx(0.5 * shape[ages < 60])


def test_districts_get_their_census_age_structure(ds):
    """Chongqing districts: mean 65+/60+ of the four census neighbours (78.9–81.8 %); 珠山: Jiangxi 70.4 %.
    The national WPP shape alone gave 69 % everywhere and one growth factor for all five districts."""
    runs = {d: engine.run(_baseline(ds, d), ds).population.set_index("year") for d in ("wulong", "zhushan")}
    wulong, zhushan = runs["wulong"], runs["zhushan"]
    share = wulong.loc[2020, "population_65plus"] / wulong.loc[2020, "population_60plus"]
    assert share == pytest.approx((142093 / 175773 + 143739 / 178860 + 154312 / 195626 + 131616 / 160990) / 4)
    assert zhushan.loc[2020, "population_65plus"] / zhushan.loc[2020, "population_60plus"] == pytest.approx(
        5371000 / 7624800)
    growth_w = wulong.loc[2025, "population_60plus"] / wulong.loc[2020, "population_60plus"]
    growth_z = zhushan.loc[2025, "population_60plus"] / zhushan.loc[2020, "population_60plus"]
    assert growth_w != pytest.approx(growth_z, abs=0.01)


def test_age_shape_is_drawn(ds):
    draws = tg.monte_carlo(_baseline(ds, "wulong"), ds, n=400, seed=2)
    share = draws["population_65plus"][:, 0] / draws["population_60plus"][:, 0]
    assert np.std(share) > 0.005
    assert np.median(share) == pytest.approx(0.8046, abs=0.005)


# -------------------------------------------------------------------------------------- announced values


def test_announced_round_trips_through_toml(ds):
    from models import scenario as sc

    scen = presets.load_preset("wulong", "baseline", ds).with_announced(
        [(2022, "dibao_urban_standard", 680.0), (2023, "dibao_rural_standard", 560.0)])
    again = sc.loads(sc.dumps(scen))
    assert again.announced == scen.announced
    assert resolve(again, ds).hash != resolve(presets.load_preset("wulong", "baseline", ds), ds).hash
    run = engine.run(resolve(again, ds), ds).benefits.set_index("year")
    assert run.loc[2022, "dibao_urban_standard"] == 680
    assert run.loc[2023, "dibao_rural_standard"] == 560


@pytest.mark.parametrize(("table", "message"), [
    ({"2019": {"dibao_urban_standard": 600}}, "benefits.announced.2019"),
    ({"2022": {"orphan_standard": 600}}, "benefits.announced.2022.orphan_standard"),
    ({"2022": {"dibao_urban_standard": 0}}, "benefits.announced.2022.dibao_urban_standard"),
    ({"2022": {"dibao_urban_standard": "多"}}, "benefits.announced.2022.dibao_urban_standard"),
])
def test_bad_announced_values_name_the_key(table, message):
    from models import scenario as sc

    with pytest.raises(ShapanError, match=message.replace(".", r"\.")):
        sc.validate_announced("x.toml", table)


def test_editor_rows_skip_empty_cells():
    from models import scenario as sc

    rows = [{"year": 2022.0, "dibao_urban_standard": 680.0, "dibao_rural_standard": float("nan"),
             "tekun_standard": None}, {"year": float("nan"), "dibao_urban_standard": 1.0}]
    assert sc.announced_from_rows(rows) == ((2022, "dibao_urban_standard", 680.0),)


# ------------------------------------------------------------------------------- backtest -> evaluation


def test_backtest_rows_judge_the_2020_forecast(capsys):
    assert main(["backtest", "--district", "chengkou", "--actuals", "tests/fixtures/actuals_chengkou_utf8.csv",
                 "--mc", "300", "--seed", "4", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    ratio = next(r for r in rows if r["indicator"] == "rural_urban_dibao_ratio" and r["year"] == 2025)
    assert ratio["forecast_error_pct"] == pytest.approx((88 - ratio["forecast_p50"]) / ratio["forecast_p50"] * 100)
    assert ratio["inside_p10_p90"] == (ratio["forecast_p10"] <= 88 <= ratio["forecast_p90"])
    nursing = next(r for r in rows if r["indicator"] == "nursing_bed_share")  # 城口 publishes no base share
    assert nursing["inside_p10_p90"] is None
    assert all("forecast_error_pct" in r for r in rows)


# ------------------------------------------------------------------------------------------- drivers


def test_first_order_index_hand_cases():
    from models import drivers

    rng = np.random.default_rng(0)
    x, z = rng.normal(size=5000), rng.normal(size=5000)
    y = (x > 0).astype(float)
    assert drivers.first_order(x, y) > 0.75  # decile bins: all but the middle bin are pure
    assert drivers.first_order(z, y) < 0.01
    assert drivers.first_order(np.ones(10), y[:10]) == 0.0


def test_ratio_miss_is_driven_by_the_setters_ratio_decision(ds):
    """武隆's ≥ 85 % ratio: the setter's ratio drift and the regime rank first; population inputs do not matter."""
    from models import drivers

    res = _baseline(ds, "wulong")
    table = drivers.rank(res, ds, tg.evaluate(engine.run(res, ds), ds), n=1000)
    ratio = table[(table["indicator"] == "rural_urban_dibao_ratio") & (table["year"] == 2025)]
    assert list(ratio["driver"][:2]) == ["ratio_drift", "convergence_regime"]
    assert ratio.set_index("driver").loc["base_population", "importance"] < 0.05
    spec = drivers.chart_spec(ratio, "t")
    assert len(spec["data"]["values"]) == len(ratio)
