"""Tests for models.prices: CPI by year (published ≤ base year, assumption after), the price index and
real-terms costs, with hand-computed deflation; the CLI and the budget page show the real totals."""

from __future__ import annotations

import json
import math
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from models import engine, prices
from models.data import dataset
from models.errors import ShapanError
from models.resolve import resolve
from models.scenario import Scenario

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def ds():
    return dataset()


def test_published_national_cpi_rows_are_the_nbs_figures(ds) -> None:
    rows = prices.published(ds)
    got = dict(zip(rows["year"], rows["cpi_pct"], strict=True))
    assert {y: got[y] for y in range(2016, 2021)} == {2016: 2.0, 2017: 1.6, 2018: 2.1, 2019: 2.9, 2020: 2.5}
    assert set(rows["source"]) <= set(ds.sources)  # every row cites a source in sources.toml
    for sid in set(rows["source"]):
        assert ds.sources[sid].get("url"), sid


def test_default_future_cpi_is_the_2016_2020_mean(ds) -> None:
    """The assumption is what its reason says: the geometric mean of 2016–2020, to one decimal."""
    mean = prices.history_mean_pct(ds, 2016, 2020)
    by_hand = ((1.020 * 1.016 * 1.021 * 1.029 * 1.025) ** 0.2 - 1) * 100
    assert mean == pytest.approx(by_hand, abs=1e-12)
    assert ds.assumptions["benefits.cpi_inflation_pct"].value == round(mean, 1) == 2.2


def test_index_uses_only_history_up_to_the_base_year(ds) -> None:
    """Base year 2020: 2021–2023 CPI are published in cpi.csv but the baseline must not use them."""
    frame = prices.index_frame(ds, "wulong", range(2020, 2026), 2020, 2.2)
    assert list(frame["basis"]) == ["published"] + ["assumption"] * 5
    assert frame.loc[0, "cpi_pct"] == 2.5
    assert frame.loc[0, "index"] == 1.0
    assert frame.loc[1, "cpi_pct"] == 2.2  # not the published 0.9 for 2021
    assert frame["index"].tolist() == pytest.approx([1.0, 1.022, 1.022**2, 1.022**3, 1.022**4, 1.022**5])


def test_hand_computed_deflation(ds) -> None:
    """100 万元 a year, CPI 3 %/yr after 2020: real 2021 = 100/1.03 = 97.087…, 2022 = 100/1.0609 = 94.260…"""
    index = prices.index_frame(ds, "zhushan", [2020, 2021, 2022], 2020, 3.0)
    costs = pd.DataFrame({"year": [2020, 2021, 2022], "programme": "orphan", "cost_wan_yuan": 100.0})
    real = prices.real_terms(costs, index)
    assert real["cost_real_wan_yuan"].tolist() == pytest.approx([100.0, 97.08737864, 94.25959091])
    totals = prices.period_totals(real, 2021, 2022)
    assert totals == {"nominal": 200.0, "real": pytest.approx(97.08737864 + 94.25959091)}


def test_nothing_costed_is_none_not_zero() -> None:
    empty = pd.DataFrame(columns=["year", "programme", "cost_wan_yuan", "cost_real_wan_yuan"])
    assert prices.period_totals(empty, 2021, 2025) == {"nominal": None, "real": None}


@settings(max_examples=60, deadline=None)
@given(st.floats(-5, 20), st.lists(st.floats(0, 1e6), min_size=6, max_size=6))
def test_real_is_nominal_at_zero_inflation_and_below_it_with_positive(pct, values) -> None:
    ds = dataset()
    index = prices.index_frame(ds, "chengkou", range(2020, 2026), 2020, pct)
    costs = pd.DataFrame({"year": range(2020, 2026), "programme": "tekun", "cost_wan_yuan": values})
    real = prices.real_terms(costs, index)["cost_real_wan_yuan"].to_numpy()
    nominal = costs["cost_wan_yuan"].to_numpy()
    assert real[0] == nominal[0]
    if pct > 0:
        assert (real[1:] <= nominal[1:] + 1e-9).all()
    elif pct < 0:
        assert (real[1:] >= nominal[1:] - 1e-9).all()
    if pct == 0:
        assert real.tolist() == nominal.tolist()


def test_region_falls_back_to_national_and_says_so(ds) -> None:
    region = prices.cpi_region(ds, "zhushan")
    assert region.region == prices.NATIONAL
    assert "江西省" in region.note_zh


@pytest.mark.parametrize("bad", [math.nan, 150.0])
def test_bad_future_cpi_is_refused(ds, bad) -> None:
    with pytest.raises(ShapanError, match=r"benefits\.cpi_inflation_pct"):
        prices.index_frame(ds, "wulong", range(2020, 2023), 2020, bad)


def test_years_must_start_at_the_base_year(ds) -> None:
    with pytest.raises(ShapanError):
        prices.index_frame(ds, "wulong", [2021, 2022], 2020, 2.0)


def test_run_real_budget_follows_the_cpi_lever(ds) -> None:
    base = engine.run(resolve(Scenario("t", "wulong"), ds), ds)
    high = engine.run(resolve(Scenario("t", "wulong", params={"benefits.cpi_inflation_pct": 5.0}), ds), ds)
    lo = prices.period_totals(prices.run_real_budget(base, ds), 2021, 2025)
    hi = prices.period_totals(prices.run_real_budget(high, ds), 2021, 2025)
    assert lo["nominal"] == hi["nominal"]  # CPI does not change what is paid
    assert hi["real"] < lo["real"] < lo["nominal"]
    real = prices.run_real_budget(base, ds)
    y25 = real[real["year"] == 2025]
    assert (y25["cost_real_wan_yuan"] * 1.022**5).tolist() == pytest.approx(y25["cost_wan_yuan"].tolist())


def test_cli_run_json_has_real_budget_and_cpi_basis() -> None:
    out = subprocess.run([sys.executable, "-m", "models.cli", "run", "--district", "wulong", "--json"],
                         cwd=ROOT, capture_output=True, text=True, check=True)
    payload = json.loads(out.stdout)
    assert {"budget", "not_costed", "budget_coverage", "budget_real", "prices", "budget_totals"} <= set(payload)
    assert payload["prices"]["cpi"]["2020"]["source"] == "nbs_cpi_2020"
    assert payload["prices"]["cpi"]["2021"]["basis"] == "assumption"
    totals = payload["budget_totals"]
    nominal = sum(v for p in payload["budget"].values() for y, v in p.items() if 2021 <= int(y) <= 2025)
    real = sum(v for p in payload["budget_real"].values() for y, v in p.items() if 2021 <= int(y) <= 2025)
    assert totals["nominal"] == pytest.approx(nominal)
    assert totals["real"] == pytest.approx(real)
    assert real < nominal
