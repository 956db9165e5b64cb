"""AppTest tests of the 养老床位 (beds), 救助标准 (benefits) and 财政成本 (budget) pages.

Every page renders for every district; real interactions: a lever moves the number shown, a bad row in
the project editor is refused with a message naming row and column (scenario unchanged), the simulation
runs on its button, the benefit rule changes the ratio, the budget increment against ``freeze`` is
non-zero, and the language switch changes the labels.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from apptest_helpers import assert_ok, open_tab
from streamlit.testing.v1 import AppTest

from models import engine
from models.data import dataset
from models.views import calendar
from pages._ui import load_locale

ROOT = Path(__file__).resolve().parent.parent
APP = str(ROOT / "app.py")
PAGES = ["beds", "benefits", "budget"]
DISTRICTS = list(dataset().districts["id"])
ZH, EN = load_locale("zh"), load_locale("en")
YEAR = calendar.PLAN_END_YEAR


def open_page(page: str, district: str = "chengkou", lang: str = "zh", tab: str | None = None) -> AppTest:
    """The page after its first run; ``tab``: the locale key of a beds tab to open (only the open tab is built)."""
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params.update({"district": district, "lang": lang})
    at.run()
    at.switch_page(f"pages/{page}.py").run()
    if tab is not None:
        open_tab(at, "beds_tab", load_locale(lang)[tab])
    assert_ok(at)
    return at


def metric_value(at: AppTest, label: str) -> str:
    values = [m.value for m in at.metric if m.label == label]
    assert values, f"no metric {label!r} in {[m.label for m in at.metric]}"
    return values[0]


def number(text: str) -> float:
    return float(text.replace("万元", "").replace(",", "").strip())


def scenario_caption(at: AppTest) -> str:
    prefix = ZH["prov.model"].split("{")[0]
    captions = [c.value for c in at.caption if c.value.startswith(prefix)]
    assert captions
    return captions[-1]


@pytest.fixture(scope="module")
def app() -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60).run()
    assert_ok(at)
    return at


@pytest.mark.parametrize("page", PAGES)
def test_page_renders_for_every_district(app: AppTest, page: str) -> None:
    app.switch_page(f"pages/{page}.py").run()
    for district in DISTRICTS:
        app.selectbox(key="district").select(district).run()
        assert_ok(app)
        assert app.title[0].value == ZH[f"nav.{page}"]
        assert not app.error, [e.value for e in app.error]
        labels = {b.label for b in app.get("download_button")}
        infos = " ".join(i.value for i in app.info)
        if page == "beds" and district == "jiulongpo":
            assert ZH["beds.no_beds_published"] in infos
        elif page == "benefits" and district == "jiulongpo":  # executes Chongqing's standards (data/setters.csv)
            assert ZH["benefits.no_standards_published"] not in infos
        elif page == "budget" and ZH["budget.no_costs"] in infos:  # no spending data (巴南, 九龙坡)
            assert next(s.value for s in app.subheader) == ZH["budget.cost_title"]
        else:
            assert {ZH["export.csv"], ZH["export.xlsx"]} <= labels


def test_beds_built_per_year_changes_beds_per_1000() -> None:
    at = open_page("beds")
    label = ZH["beds.metric_in_year"].format(year=YEAR, label=dataset().label("beds_per_1000_elderly", "zh"))
    before = number(metric_value(at, label))
    caption = scenario_caption(at)
    at.number_input(key="beds.beds_built_per_year").set_value(200.0).run()
    assert_ok(at)
    after = number(metric_value(at, label))
    assert after > before
    assert scenario_caption(at) != caption
    assert at.session_state["scenarios"]["chengkou"].params["beds.beds_built_per_year"] == 200.0


def test_include_plan_projects_toggle_changes_supply() -> None:
    at = open_page("beds", "banan")
    label = ZH["beds.metric_in_year"].format(year=YEAR, label=ZH["beds.series_elderly_beds"])
    before = number(metric_value(at, label))
    open_tab(at, "beds_tab", ZH["beds.tab_pipeline"])  # the toggle sits with the projects
    at.toggle(key="beds.include_plan_projects").set_value(False).run()
    assert_ok(at)
    open_tab(at, "beds_tab", ZH["beds.tab_supply"])
    assert number(metric_value(at, label)) < before


def test_invalid_editor_row_shows_error_and_keeps_scenario() -> None:
    at = open_page("beds", tab="beds.tab_pipeline")
    scenario = at.session_state["scenarios"]["chengkou"]
    caption = scenario_caption(at)
    at.session_state["beds_projects_base_chengkou"] = pd.DataFrame(
        {
            "year_open": [2023, 2024],
            "beds": [50, -5],
            "nursing_beds": [None, None],
            "operator": ["social", ""],
            "name": ["ok", "bad"],
        }
    )
    at.run()
    assert_ok(at)
    errors = [e.value for e in at.error]
    assert len(errors) == 1
    assert "第2行" in errors[0]
    assert ZH["beds.col_beds"] in errors[0]
    assert at.session_state["scenarios"]["chengkou"] == scenario
    assert scenario_caption(at) == caption


@pytest.mark.parametrize(("column", "value"), [("year_open", 2019), ("nursing_beds", 80)])
def test_editor_refuses_year_before_plan_and_nursing_above_beds(column: str, value: int) -> None:
    at = open_page("beds", tab="beds.tab_pipeline")
    row = {"year_open": [2023], "beds": [50], "nursing_beds": [None], "operator": [""], "name": [""]}
    row[column] = [value]
    at.session_state["beds_projects_base_chengkou"] = pd.DataFrame(row)
    at.run()
    assert_ok(at)
    assert ZH[f"beds.col_{column}"] in at.error[0].value
    assert at.session_state["scenarios"]["chengkou"].projects == ()


def test_valid_editor_row_goes_into_scenario() -> None:
    at = open_page("beds")
    label = ZH["beds.metric_in_year"].format(year=YEAR, label=ZH["beds.series_elderly_beds"])
    before = number(metric_value(at, label))
    open_tab(at, "beds_tab", ZH["beds.tab_pipeline"])
    at.session_state["beds_projects_base_chengkou"] = pd.DataFrame(
        {
            "year_open": [2023],
            "beds": [300],
            "nursing_beds": [200],
            "operator": ["social"],
            "name": ["新院"],
        }
    )
    at.run()
    assert_ok(at)
    assert not at.error
    projects = at.session_state["scenarios"]["chengkou"].projects
    rows = [(p.year_open, p.beds, p.nursing_beds, p.operator) for p in projects]
    assert rows == [(2023, 300, 200, "social")]
    open_tab(at, "beds_tab", ZH["beds.tab_supply"])
    assert number(metric_value(at, label)) == before + 300


def test_des_button_runs_and_shows_results() -> None:
    at = open_page("beds", tab="beds.tab_des")
    charts_before = len(at.get("vega_lite_chart"))
    assert ZH["beds.des_not_run"] in [c.value for c in at.caption]
    at.number_input(key="beds_des_n").set_value(5).run()
    at.button(key="beds_des_run").click().run()
    assert_ok(at)
    done = [s.value for s in at.success]
    assert any("5" in s for s in done)
    assert len(at.get("vega_lite_chart")) == charts_before + 5
    specs = " ".join(c.proto.spec for c in at.get("vega_lite_chart"))
    assert "ci_low" in specs
    captions = " ".join(c.value for c in at.caption)
    assert "次重复" in captions
    # cached in the session: a rerun shows the results without running again
    at.run()
    assert len(at.get("vega_lite_chart")) == charts_before + 5


def test_des_not_offered_without_beds() -> None:
    at = open_page("beds", "jiulongpo", tab="beds.tab_des")
    assert [b for b in at.button if b.key == "beds_des_run"] == []
    assert ZH["beds.des_no_beds"] in [i.value for i in at.info]
    open_tab(at, "beds_tab", ZH["beds.tab_supply"])
    assert at.number_input(key="beds.base_beds").value is None


def test_benefits_rule_switch_changes_ratio() -> None:
    at = open_page("benefits")
    ratio = ZH["benefits.series_rural_urban_dibao_ratio"]
    label = ZH["benefits.metric_in_year"].format(year=YEAR, label=ratio)
    before = metric_value(at, label)
    at.selectbox(key="benefits.rule").set_value("consumption").run()
    assert_ok(at)
    assert metric_value(at, label) != before
    assert ZH["benefits.rule_help_consumption"] in [i.value for i in at.info]


def test_benefits_convergence_without_target_shows_error_not_traceback() -> None:
    at = open_page("benefits", "banan")
    at.selectbox(key="benefits.rule").set_value("convergence").run()
    assert_ok(at)
    assert at.error


def test_budget_increment_vs_freeze_is_nonzero() -> None:
    at = open_page("budget")
    fmt = ZH["budget.increment_in_period"]
    label = fmt.format(first=YEAR - 4, last=YEAR, preset=ZH["budget.preset_freeze"])
    assert number(metric_value(at, label)) != 0
    at.selectbox(key="budget_ref_chengkou").set_value("baseline").run()  # the scenario shown is the baseline
    label_plan = fmt.format(first=YEAR - 4, last=YEAR, preset=ZH["budget.preset_baseline"])
    assert number(metric_value(at, label_plan)) == 0


def test_budget_question_box_answers() -> None:
    """"Raise rural to 100 % of urban by 2023": per-year table and 2021–2025 sums vs current and vs freeze."""
    at = open_page("budget")
    at.number_input(key="budget_ask_ratio_chengkou").set_value(100.0).run()
    at.number_input(key="budget_ask_year_chengkou").set_value(2023).run()
    assert_ok(at)
    vs_current = number(metric_value(at, ZH["budget.ask_sum_current"].format(first=YEAR - 4, last=YEAR)))
    vs_freeze = number(metric_value(at, ZH["budget.ask_sum_freeze"].format(first=YEAR - 4, last=YEAR)))
    assert vs_current > 0
    assert vs_freeze > 0


def test_budget_question_90_pct_is_not_a_bare_zero() -> None:
    """The issue: '90 %' answered '0 万元'. Against the baseline and against freeze it now costs something."""
    at = open_page("budget")
    at.number_input(key="budget_ask_ratio_chengkou").set_value(90.0).run()
    at.number_input(key="budget_ask_year_chengkou").set_value(2025).run()
    assert_ok(at)
    assert number(metric_value(at, ZH["budget.ask_sum_freeze"].format(first=YEAR - 4, last=YEAR))) > 0
    assert number(metric_value(at, ZH["budget.ask_sum_current"].format(first=YEAR - 4, last=YEAR))) > 0


def test_budget_question_growth_and_not_costed() -> None:
    at = open_page("budget", "zhushan")
    at.radio(key="budget_ask_kind_zhushan").set_value("growth").run()
    assert_ok(at)
    assert any("城市低保" in i.value and "规划未公布" in i.value for i in at.info)  # + reason


def test_budget_caseload_lever_costs_a_programme() -> None:
    at = open_page("budget", "banan")
    captions = " ".join(c.value for c in at.caption)
    assert "未含：城市低保（已含在自上而下的社会救助合计中）" in captions  # costed top-down, not 0
    at.number_input(key="budget.dibao_urban_recipients").set_value(1000.0).run()
    assert_ok(at)
    captions = " ".join(c.value for c in at.caption)
    assert "合计（含：城市低保" in captions
    label = ZH["budget.total_in_period"].format(first=YEAR - 4, last=YEAR, label=ZH["budget.total_all"])
    assert number(metric_value(at, label)) > 0


@pytest.mark.parametrize("page", PAGES)
def test_language_switch(page: str) -> None:
    at = open_page(page)
    at.radio(key="lang").set_value("en").run()
    assert_ok(at)
    assert at.title[0].value == EN[f"nav.{page}"]
    text = " ".join(
        [
            *(tab.label for tab in at.tabs),
            *(s.value for s in at.subheader),
            *(m.label for m in at.metric),
            *(c.value for c in at.caption),
        ]
    )
    first = {"beds": "beds.tab_supply", "benefits": "benefits.flags", "budget": "budget.cost_title"}[page]
    assert EN[first] in text
    assert ZH[first] not in text


def test_benefits_announced_values_win_from_their_year() -> None:
    """An announced 2022 urban standard (entered on the benefits page, stored in the scenario) replaces the
    forecast from 2022 on; the editor shows it, and the scenario hash changes."""
    at = open_page("benefits")
    assert any(e.label == ZH["benefits.announced_title"] for e in at.expander)
    before = engine.run(_resolved_default("chengkou"), dataset()).benefits.set_index("year")
    scen = at.session_state["scenarios"]["chengkou"].with_announced([(2022, "dibao_urban_standard", 680.0)])
    at.session_state["scenarios"] = {**at.session_state["scenarios"], "chengkou": scen}
    at.run()
    assert_ok(at)
    table = at.dataframe[-1].value
    year_col = next(c for c in table.columns if "年" in str(c) or c == "year")
    row = table[table[year_col] == 2022]
    assert (row == 680).any(axis=None)
    assert before.loc[2022, "dibao_urban_standard"] != 680


def _resolved_default(district: str):
    from models import presets
    from models.resolve import resolve

    ds = dataset()
    return resolve(presets.load_preset(district, "baseline", ds), ds)


def test_budget_real_total_and_cpi_lever() -> None:
    """The 2021–2025 total at 2020 prices is shown beside the nominal one; a higher CPI lowers it."""
    at = open_page("budget", "wulong")
    nominal_label = ZH["budget.total_in_period"].format(first=YEAR - 4, last=YEAR, label=ZH["budget.total_all"])
    real_label = ZH["budget.total_real_in_period"].format(first=YEAR - 4, last=YEAR, base=YEAR - 5)
    nominal, real = number(metric_value(at, nominal_label)), number(metric_value(at, real_label))
    assert 0 < real < nominal
    assert any("实际值按2020年价格" in c.value and "2020年CPI上涨2.5%（国家统计局）" in c.value for c in at.caption)
    at.number_input(key="benefits.cpi_inflation_pct").set_value(5.0).run()
    assert_ok(at)
    assert number(metric_value(at, nominal_label)) == nominal
    assert number(metric_value(at, real_label)) < real


def test_budget_level_split_shows_its_basis() -> None:
    at = open_page("budget", "wulong")
    captions = " ".join(c.value for c in at.caption)
    assert "中央50%（假设）" in captions
    assert "国办发〔2018〕6号" in captions
    at.number_input(key="budget.share_central_pct").set_value(60.0).run()
    assert_ok(at)
    assert "中央60%（用户输入）" in " ".join(c.value for c in at.caption)


def test_budget_tier_caseloads_cost_the_tiered_care() -> None:
    """珠山: until every tier has a caseload the total says which are missing; then the tiers are costed."""
    at = open_page("budget", "zhushan")
    assert "请输入2020年特困人员护理档人数：失能、半失能、生活自理" in " ".join(c.value for c in at.caption)
    label = ZH["budget.total_in_period"].format(first=YEAR - 4, last=YEAR, label=ZH["budget.total_all"])
    before = number(metric_value(at, label))
    for tier, n in (("disabled", 10.0), ("semidisabled", 20.0), ("selfcare", 30.0)):
        at.number_input(key=f"budget.tekun_care_{tier}_recipients").set_value(n).run()
        assert_ok(at)
    captions = " ".join(c.value for c in at.caption)
    assert "特困照料护理" in captions.split("未含")[0]  # now among the costed programmes
    assert number(metric_value(at, label)) == pytest.approx(before + 5 * 24.12, abs=0.5)


def test_beds_needed_confirmed_by_the_simulation() -> None:
    at = open_page("beds", "wulong", tab="beds.tab_des")
    at.button(key="beds_sweep_confirm").click().run()
    assert_ok(at)
    table = next(d.value for d in at.dataframe if ZH["beds.sweep_col_confirmed"] in d.value.columns)
    assert (table[ZH["beds.sweep_col_confirmed"]] >= table[ZH["beds.sweep_col_needed"]]).all()
    ok = bool(table[ZH["beds.sweep_col_des_confirmed"]].iloc[0])
    prefix = (ZH["beds.sweep_confirmed"] if ok else ZH["beds.sweep_not_confirmed"]).split("{")[0]
    assert any(c.value.startswith(prefix) for c in at.caption)


def test_beds_page_builds_only_the_open_tab_and_closed_expanders_stay_empty() -> None:
    at = open_page("beds", "wulong")
    keys = {n.key for n in at.number_input}
    assert "beds.beds_built_per_year" in keys  # supply tab: open by default
    assert "beds.base_beds" not in keys  # the 2020 base levers sit in a closed expander: not built
    assert not [b for b in at.button if b.key == "beds_des_run"]  # the simulation tab: not built
    assert not at.get("data_editor")  # the project editor (pipeline tab): not built
    at.session_state["beds_base_levers"] = True  # the user opens the expander
    at.run()
    assert "beds.base_beds" in {n.key for n in at.number_input}
    open_tab(at, "beds_tab", ZH["beds.tab_pipeline"])
    assert len(at.get("data_editor")) == 1
    open_tab(at, "beds_tab", ZH["beds.tab_des"])
    assert_ok(at)
    assert [b.key for b in at.button if b.key == "beds_des_run"] == ["beds_des_run"]
    assert "beds.beds_built_per_year" not in {n.key for n in at.number_input}
    assert not at.get("data_editor")


def test_beds_tab_stays_open_across_a_language_switch() -> None:
    at = open_page("beds", "wulong", tab="beds.tab_des")
    at.radio(key="lang").set_value("en").run()
    assert_ok(at)
    assert at.session_state["beds_tab"] == EN["beds.tab_des"]
    assert [b.key for b in at.button if b.key == "beds_des_run"] == ["beds_des_run"]
