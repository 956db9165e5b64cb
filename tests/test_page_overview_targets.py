"""AppTest: overview scorecard, population levers, targets goal-seek and Monte Carlo.

Numbers the pages show are compared with the models called directly (never typed in here).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from apptest_helpers import HASH_RE, assert_ok, new_app, scenario_hash
from streamlit.testing.v1 import AppTest

from models import engine, presets
from models import targets as tg
from models.charts import status_label
from models.data import dataset
from models.resolve import resolve
from pages._ui import load_locale

ROOT = Path(__file__).resolve().parent.parent
APP = str(ROOT / "app.py")
DISTRICTS = list(dataset().districts["id"])
ZH, EN = load_locale("zh"), load_locale("en")


@pytest.fixture(autouse=True)
def scenario_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("SHAPAN_SCENARIO_DIR", str(tmp_path / "scenarios"))
    return tmp_path


def metric(at: AppTest, label: str) -> str:
    return next(m.value for m in at.metric if m.label == label)


def plan(district: str) -> tuple:
    """The app's default scenario: the ``baseline`` preset (business-as-usual forecast)."""
    ds = dataset()
    res = resolve(presets.load_preset(district, "baseline", ds), ds)
    return res, engine.run(res, ds)


def persons(value: float) -> str:
    return f"{value:,.0f} {ZH['population.unit_persons']}"


@pytest.fixture(scope="module")
def app() -> AppTest:
    at = new_app()
    assert_ok(at)
    return at


# ------------------------------------------------------------------------------------------- overview


@pytest.mark.parametrize("district", DISTRICTS)
def test_overview_renders_for_every_district(app: AppTest, district: str) -> None:
    app.switch_page("pages/overview.py").run()
    app.selectbox(key="district").select(district).run()
    assert_ok(app)
    assert app.title[0].value == ZH["nav.overview"]
    _, run = plan(district)
    label = ZH["overview.metric_with_unit"].format(label=ZH["overview.m_pop60"].format(year=2025),
                                                   unit=ZH["overview.unit_persons"])
    assert metric(app, label) == f"{run.series['population_60plus'][2025]:,.0f}"  # whole people, unit in the label
    frame = tg.evaluate(run, dataset())
    for status in tg.STATUSES:
        count = int((frame["status"] == status).sum())
        assert metric(app, status_label(status, "zh")) == str(count)
    if not frame.empty:
        table = app.dataframe[0].value
        assert len(table) == len(frame)
        assert ZH["scorecard.col_source"] in table.columns
        sources = list(table[ZH["scorecard.col_source"]])
        ordered = tg.sort_by_status(frame)  # problems first
        assert all(loc in src for loc, src in zip(ordered["locator"], sources, strict=True))
        assert list(table[ZH["scorecard.col_status"]]) == [status_label(s, "zh") for s in ordered["status"]]
    period = dataset().district(district)["plan_period"]
    opinion = [i.value for i in app.info if period in i.value and "政策意见" in i.value]
    assert bool(opinion) == (dataset().district(district)["doc_kind"] == "policy_opinion")


def test_overview_filter_and_monte_carlo() -> None:
    at = new_app()
    table = at.dataframe[0].value
    total = len(table)
    assert table[ZH["scorecard.col_probability"]].isna().all()
    at.button(key="ov_mc").click().run()
    assert_ok(at)
    table = at.dataframe[0].value
    probs = table[ZH["scorecard.col_probability"]].dropna()
    assert len(probs) >= 1
    assert probs.between(0, 1).all()
    at.segmented_control(key="ov_filter").set_value("modelled").run()
    modelled = at.dataframe[0].value
    assert 0 < len(modelled) < total
    assert status_label("not_modelled", "zh") not in set(modelled[ZH["scorecard.col_status"]])


def test_overview_in_english() -> None:
    at = new_app(lang="en")
    assert_ok(at)
    assert at.title[0].value == EN["nav.overview"]
    assert EN["scorecard.col_label"] in at.dataframe[0].value.columns


# ----------------------------------------------------------------------------------------- population


def test_population_lever_changes_projected_60plus() -> None:
    at = new_app()
    at.switch_page("pages/population.py").run()
    assert_ok(at)
    label = ZH["overview.metric_with_unit"].format(label=ZH["population.metric_60plus"].format(year=2025),
                                                   unit=ZH["population.unit_persons"])
    _, run = plan("chengkou")
    before = metric(at, label)
    assert before == f"{run.series['population_60plus'][2025]:,.0f}"  # whole people, unit in the label
    assert metric(at, ZH["population.base_metric"]).startswith("45,000")
    at.number_input(key="lv_chengkou_population.pop_60plus_base").set_value(50_000.0).run()
    assert_ok(at)
    after = metric(at, label)
    assert after != before
    ds = dataset()
    scen = presets.load_preset("chengkou", "plan", ds).with_params(**{"population.pop_60plus_base": 50_000.0})
    assert after == f"{engine.run(resolve(scen, ds), ds).series['population_60plus'][2025]:,.0f}"
    base = next(m for m in at.metric if m.label == ZH["population.base_metric"])
    assert base.delta == ZH["population.kind_user"]
    assert at.get("download_button"), "table and chart downloads"


@pytest.mark.parametrize(
    ("district", "kind"), [("banan", "published"), ("chengkou", "derived"), ("zhushan", "assumed")]
)
def test_population_base_provenance(district: str, kind: str) -> None:
    at = new_app(district=district)
    at.switch_page("pages/population.py").run()
    assert_ok(at)
    base = next(m for m in at.metric if m.label == ZH["population.base_metric"])
    assert base.delta == ZH[f"population.kind_{kind}"]


# -------------------------------------------------------------------------------------------- targets


def test_goal_seek_on_chengkou_and_apply() -> None:
    at = new_app()
    at.switch_page("pages/targets.py").run()
    assert_ok(at)
    at.selectbox(key="tg_target_chengkou").select("rural_urban_dibao_ratio|2025").run()
    # under the baseline the ratio is the setter's lever: its yearly increase
    at.selectbox(key="tg_lever_chengkou_rural_urban_dibao_ratio").select("ratio_drift").run()
    res, _ = plan("chengkou")
    solution = tg.solve(res, dataset(), "rural_urban_dibao_ratio", "ratio_drift", year=2025)
    value = f"{solution['value']:.2f}"
    assert len(at.success) == 1
    assert value in at.success[0].value
    assert f"{solution['current']:g}" in at.success[0].value
    before = scenario_hash(at)
    at.button(key="tg_apply").click().run()
    assert_ok(at)
    assert scenario_hash(at) != before
    assert ZH["scenario.modified"] in next(c.value for c in at.sidebar.caption if HASH_RE.search(c.value))
    ds = dataset()
    scen = presets.load_preset("chengkou", "baseline", ds).with_params(
        **{"benefits.baseline_ratio_drift_pp": solution["value"]}
    )
    assert scenario_hash(at) == resolve(scen, ds).hash
    # after applying, the solver's answer is the current value
    assert at.metric[0].value == at.metric[1].value


def test_goal_seek_without_solution_is_explained() -> None:
    at = new_app()
    at.switch_page("pages/targets.py").run()
    at.selectbox(key="tg_target_chengkou").select("social_operated_bed_share|2025").run()
    # only bed levers are offered for a bed target
    assert at.selectbox(key="tg_lever_chengkou_social_operated_bed_share").options == [
        _levers_label(k) for k in tg.levers_for("social_operated_bed_share")
    ]
    at.selectbox(key="tg_lever_chengkou_social_operated_bed_share").select("social_share_of_new_beds").run()
    assert_ok(at)
    assert [w.value for w in at.warning] == [ZH["targets.no_solution"]]
    assert len(at.error) == 1
    assert "social_share_of_new_beds" in at.error[0].value
    assert "tg_apply" not in [b.key for b in at.button]


def test_goal_seek_for_confidence_and_what_would() -> None:
    at = new_app()
    at.switch_page("pages/targets.py").run()
    at.selectbox(key="tg_target_chengkou").select("rural_urban_dibao_ratio|2025").run()
    at.selectbox(key="tg_lever_chengkou_rural_urban_dibao_ratio").select("ratio_drift").run()  # the baseline's lever
    at.button(key="tg_conf_run").click().run()
    assert_ok(at)
    assert len(at.success) == 2
    answer = at.success[1].value
    assert "≥80%" in answer
    assert "元/人·月" in answer  # the implied standard in whole yuan
    at.selectbox(key="tg_target_chengkou").select("social_operated_bed_share|2025").run()
    at.selectbox(key="tg_lever_chengkou_social_operated_bed_share").select("social_share_of_new_beds").run()
    assert any(_levers_label("social_transfer_per_year") in i.value for i in at.info)  # what would reach it


def _levers_label(name: str) -> str:
    from pages import _levers

    return _levers.label_of(tg.LEVERS[name])


def test_targets_page_for_a_district_without_modelled_targets() -> None:
    at = new_app(district="jiulongpo")
    at.switch_page("pages/targets.py").run()
    assert_ok(at)
    assert ZH["targets.no_modelled"] in [i.value for i in at.info]


def test_monte_carlo_table_and_fans() -> None:
    at = new_app()
    at.switch_page("pages/targets.py").run()
    at.number_input(key="lv_chengkou_uncertainty.draws").set_value(200).run()
    assert_ok(at)
    assert not at.dataframe
    at.button(key="tg_mc").click().run()
    assert_ok(at)
    table = at.dataframe[0].value
    res, run = plan("chengkou")
    ds = dataset()
    scen = res.scenario.with_params(**{"uncertainty.draws": 200})
    res200 = resolve(scen, ds)
    frame = tg.evaluate(run, ds)
    modelled = frame[frame["status"] != "not_modelled"]
    probs = tg.probabilities(tg.monte_carlo(res200, ds, n=200), modelled)
    assert len(table) == len(probs)
    assert sorted(table[ZH["scorecard.col_probability"]]) == pytest.approx(sorted(probs.values()))
    charts_shown = at.get("vega_lite_chart")
    fans = [c for c in charts_shown if "\"importance\"" not in c.proto.spec]
    assert len(fans) == len({k[0] for k in probs})
    assert any('"diamond"' in f.proto.spec for f in fans)
    # drivers of a miss: one tornado per target that is sometimes met and sometimes missed (城口 ratio ≥ 90 %)
    tornados = [c for c in charts_shown if "\"importance\"" in c.proto.spec]
    assert tornados
    assert ZH["targets.drivers_title"] in [m.value.strip("*") for m in at.markdown]
