"""Tests for models.resolve: every parameter gets a value and a provenance (user > data > assumption).

Expected figures are recomputed by hand from the CSV files in ``data/`` (read with the csv module, not
through the code under test).
"""

from __future__ import annotations

import csv
import math
from pathlib import Path

import pytest

from models import presets
from models import scenario as sc
from models.data import dataset
from models.errors import ShapanError
from models.resolve import resolve

DATA = Path(__file__).resolve().parent.parent / "data"
PREFIXES = ("user", "data: ", "derived: ", "assumed: ", "assumption: ", "source: ", "default",
            "not published", "calibrated: ")


@pytest.fixture(scope="module")
def ds():
    return dataset()


@pytest.fixture(scope="module")
def plan(ds):
    return {d: resolve(presets.load_preset(d, "plan", ds), ds) for d in ds.districts["id"]}


def csv_rows(name: str) -> list[dict[str, str]]:
    with (DATA / name).open(encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def indicator_value(district: str, indicator: str, year: int, kind: str = "baseline") -> float:
    values = [float(r["value"]) for r in csv_rows("indicators.csv")
              if (r["district"], r["indicator"], r["year"], r["kind"])
              == (district, indicator, str(year), kind)
              and r["value"]]
    assert values, f"no {kind} row {district}/{indicator}/{year} in indicators.csv"
    return values[0]


def assumed_60plus(district: str, area: str) -> float:
    total = next(float(r["total_population"]) for r in csv_rows("reference/district_population.csv")
                 if r["district"] == district)
    census = next(r for r in csv_rows("reference/census_2020_age_shares.csv") if r["area"] == area)
    return total * float(census["age_60plus"]) / float(census["total"])


# ---------------------------------------------------------------------------------------------- coverage


def test_every_parameter_resolved_with_provenance(plan):
    for district, res in plan.items():
        assert set(res.values) == set(sc.PARAMS), district
        assert set(res.provenance) == set(sc.PARAMS), district
        for key, prov in res.provenance.items():
            assert prov.startswith(PREFIXES), f"{district} {key}: provenance {prov!r}"


def test_values_are_read_only(plan):
    with pytest.raises(TypeError):
        plan["chengkou"].values["beds.base_beds"] = 1  # type: ignore[index]


def test_years_run_from_base_to_end(plan):
    assert plan["chengkou"].years == list(range(2020, 2036))


# -------------------------------------------------------------------------------------------- provenance


def test_chengkou_provenance_user_data_assumption(ds):
    scen = presets.load_preset("chengkou", "plan", ds).with_params(beds__beds_built_per_year=25.0)
    res = resolve(scen, ds)
    assert res["beds.beds_built_per_year"] == 25.0
    assert res.provenance["beds.beds_built_per_year"] == "user"
    # data: the plan's own 2020 bed count
    assert res["beds.base_beds"] == indicator_value("chengkou", "elderly_beds", 2020)
    assert res.provenance["beds.base_beds"].startswith("data: elderly_beds 2020 = 1800")
    assert "chengkou_plan" in res.provenance["beds.base_beds"]
    # data: the 2025 target ratio (专栏2)
    target = indicator_value("chengkou", "rural_urban_dibao_ratio", 2025, "target")
    assert res["benefits.target_ratio_pct"] == target
    assert res.provenance["benefits.target_ratio_pct"].startswith("data: rural_urban_dibao_ratio 2025 = 90")
    # assumption: assumptions.toml entries marked source = "assumption"
    entry = ds.assumptions["population.mortality_multiplier"]
    assert res["population.mortality_multiplier"] == entry.value
    assert res.provenance["population.mortality_multiplier"] == "assumption: population.mortality_multiplier"
    # not published: chengkou prints no 2020 nursing share
    assert math.isnan(res["beds.base_nursing_share_pct"])
    assert res.provenance["beds.base_nursing_share_pct"] == "not published"


def test_chengkou_60plus_is_the_derived_row(plan):
    res = plan["chengkou"]
    beds = indicator_value("chengkou", "elderly_beds", 2020)
    per_1000 = indicator_value("chengkou", "beds_per_1000_elderly", 2020)
    assert res["population.pop_60plus_base"] == pytest.approx(beds / per_1000 * 1000) == 45000
    assert "(derived," in res.provenance["population.pop_60plus_base"]


def test_banan_60plus_is_published(plan):
    res = plan["banan"]
    assert res["population.pop_60plus_base"] == 237500
    prov = res.provenance["population.pop_60plus_base"]
    assert prov.startswith("data: population_60plus 2020 = 237500 (baseline, banan_plan")


def test_wulong_60plus_is_derived_from_beds(plan):
    res = plan["wulong"]
    assert res["population.pop_60plus_base"] == 83486
    assert res["population.pop_60plus_base"] == pytest.approx(2922 / 35 * 1000, abs=0.5)
    assert "(derived, shapan_model" in res.provenance["population.pop_60plus_base"]


@pytest.mark.parametrize(("district", "area", "share"), [
    ("zhushan", "Jiangxi", 7624800 / 45188635), ("jiulongpo", "Chongqing", 7010400 / 32054200),
])
def test_assumed_60plus_is_census_total_times_provincial_share(plan, district, area, share):
    res = plan[district]
    expected = assumed_60plus(district, area)  # rounded to the nearest whole person where it is derived
    assert res["population.pop_60plus_base"] == math.floor(expected + 0.5)
    total = {"zhushan": 383500, "jiulongpo": 1526821}[district]
    assert abs(res["population.pop_60plus_base"] - total * share) <= 0.5
    prov = res.provenance["population.pop_60plus_base"]
    assert prov.startswith("assumed: total population")
    assert f"{total:,}" in prov
    assert area in prov
    assert f"{share * 100:.2f}%" in prov


def test_zhushan_social_share_derived_from_private_beds(plan):
    res = plan["zhushan"]
    assert res["beds.base_social_share_pct"] == pytest.approx(446 / 523 * 100)
    assert res.provenance["beds.base_social_share_pct"].startswith("derived: ")


def test_jiulongpo_has_no_beds_or_standards(plan):
    res = plan["jiulongpo"]
    assert math.isnan(res["beds.base_beds"])
    assert res.provenance["beds.base_beds"] == "not published"


def test_banan_nursing_share_prefers_table_row(plan):
    # 表1 第10行 says 32.3; the text says 37 — the table row wins
    assert plan["banan"]["beds.base_nursing_share_pct"] == 32.3
    assert "表1" in plan["banan"].provenance["beds.base_nursing_share_pct"]


# ------------------------------------------------------------------------------------------------ growth


@pytest.mark.parametrize(("district", "key", "start", "end"), [
    ("wulong", "benefits.dibao_rural_growth_pct", 230, 496),
    ("wulong", "benefits.dibao_urban_growth_pct", 420, 620),
    ("banan", "benefits.dibao_rural_growth_pct", 230, 496),
    ("chengkou", "benefits.dibao_rural_growth_pct", 300, 496),
    ("chengkou", "benefits.dibao_urban_growth_pct", 460, 620),
])
def test_growth_default_is_cagr_2015_2020(plan, district, key, start, end):
    res = plan[district]
    expected = ((end / start) ** (1 / 5) - 1) * 100
    assert res[key] == pytest.approx(expected, abs=1e-4)
    standard = key.split(".")[1].replace("_growth_pct", "_standard")
    assert res.provenance[key] == f"derived: CAGR 2015→2020 of {standard} ({start}→{end})"


@pytest.mark.parametrize("district", ["chengkou", "wulong", "banan", "zhushan"])
def test_tekun_growth_follows_urban_dibao(plan, district):
    # 特困 is set as k × urban 低保; its 2015→2020 jump (banan 485→806) is the rule's introduction, not a trend
    res = plan[district]
    assert res["benefits.tekun_growth_pct"] == res["benefits.dibao_urban_growth_pct"]
    assert res.provenance["benefits.tekun_growth_pct"].startswith("assumption: grows with urban 低保")


def test_wulong_rural_growth_by_hand(plan):
    growth = plan["wulong"]["benefits.dibao_rural_growth_pct"]
    assert growth == pytest.approx(((496 / 230) ** (1 / 5) - 1) * 100, abs=1e-4)
    assert growth == pytest.approx(16.614, abs=1e-3)


def test_growth_falls_back_to_consumption_assumption(ds, plan):
    res = plan["zhushan"]  # no 2015 standard published
    fallback = ds.assumptions["benefits.consumption_growth_pct"].value
    assert res["benefits.dibao_rural_growth_pct"] == fallback
    prov = res.provenance["benefits.dibao_rural_growth_pct"]
    assert prov.startswith("assumption: benefits.consumption_growth_pct")


# -------------------------------------------------------------------------------------------- validation


def test_user_value_out_of_range_rejected_at_resolve(ds):
    scen = sc.Scenario(name="x", district="chengkou").with_params(population__mortality_multiplier=9.0)
    with pytest.raises(ShapanError, match=r"population\.mortality_multiplier.*\[0\.5, 1\.5\]"):
        resolve(scen, ds)


def test_unknown_district_rejected(ds):
    with pytest.raises(ShapanError, match="atlantis") as err:
        resolve(sc.Scenario(name="x", district="atlantis"), ds)
    assert err.value.code == "unknown_district"


def test_resolve_is_deterministic(ds, plan):
    again = resolve(presets.load_preset("banan", "plan", ds), ds)
    assert again.hash == plan["banan"].hash
    assert again.data_version == ds.version


@pytest.mark.parametrize("district", ["chengkou", "wulong", "banan", "jiulongpo", "zhushan"])
def test_every_district_60plus_base_is_whole_people(district):
    """The 60+ base is a count of people: whole at its derivation, whatever the route (issue 11)."""
    from models.data import load_dataset
    from models.resolve import data_defaults

    value, how = data_defaults(load_dataset(), district)["pop_60plus_base"]
    assert value == int(value), (district, value, how)


def test_census_derived_60plus_rounded_by_hand():
    """九龙坡 1,526,821 × 7,010,400 / 32,054,200 = 333,922.73 → 333,923; 珠山 383,500 × 7,624,800 /
    45,188,635 = 64,708.99 → 64,709 (nearest whole person, halves up)."""
    from models.data import load_dataset
    from models.resolve import data_defaults, whole_persons

    ds = load_dataset()
    assert data_defaults(ds, "jiulongpo")["pop_60plus_base"][0] == 333923
    assert data_defaults(ds, "zhushan")["pop_60plus_base"][0] == 64709
    assert whole_persons(2.5) == 3
    assert whole_persons(3.5) == 4
    assert whole_persons(2.4999) == 2
    assert "nearest whole person" in data_defaults(ds, "zhushan")["pop_60plus_base"][1]
