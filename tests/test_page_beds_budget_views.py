"""AppTest of the thinned beds, budget, overview and report pages in both languages: the page text comes from the
locale, the labels the pages put on the ids that models return from the registry (models.labels), in zh and en,
and the charts come from models.charts."""

from __future__ import annotations

import json

import pytest
from apptest_helpers import assert_ok, chart_specs, new_app, open_tab

from models import labels
from pages._ui import load_locale

LOCALES = {"zh": load_locale("zh"), "en": load_locale("en")}


def open_page(page: str, lang: str, district: str = "chengkou"):
    at = new_app(district=district, lang=lang)
    at.switch_page(f"pages/{page}.py").run()
    assert_ok(at)
    return at


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_beds_supply_charts_carry_target_marks_in_the_language(lang):
    words = LOCALES[lang]
    at = open_page("beds", lang, "banan")  # 巴南 publishes a 2025 elderly_beds target
    titles = [s["title"]["text"] for s in chart_specs(at)]
    assert titles[:3] == [words["beds.chart_supply_demand"], words["beds.chart_per_1000"], words["beds.chart_shares"]]
    supply = chart_specs(at)[0]
    marks = [layer for layer in supply["layer"] if layer["mark"]["type"] == "point"]
    assert marks, "no target marks on the supply chart"
    label = marks[0]["data"]["values"][0]["label"]
    assert label.startswith(words["beds.series_elderly_beds"]), label
    series = {row["series"] for row in supply["layer"][0]["data"]["values"]}
    assert words["beds.series_elderly_beds"] in series


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_beds_des_charts_are_bands_labelled_from_the_registry(lang):
    words, other = LOCALES[lang], "en" if lang == "zh" else "zh"
    at = open_tab(open_page("beds", lang), "beds_tab", words["beds.tab_des"])
    at.number_input(key="beds_des_n").set_value(5).run()
    at.button(key="beds_des_run").click().run()
    assert_ok(at)
    bands = [s for s in chart_specs(at) if [layer["mark"]["type"] for layer in s["layer"]] == ["area", "line"]]
    titles = [s["title"]["text"] for s in bands]  # two columns: the tree lists column 0's charts first
    assert sorted(titles) == sorted(labels.label("des_metric", m, lang) for m in
                                    ("occupancy_pct", "waiting_list_mean", "p_wait", "mean_wait_years", "turned_away"))
    p_wait = bands[titles.index({"zh": "需等候概率", "en": "P(wait)"}[lang])]
    assert p_wait["layer"][0]["encoding"]["y"]["axis"]["format"] == ".0%"
    tips = [tip.get("title") for tip in p_wait["layer"][1]["encoding"]["tooltip"]]
    assert words["beds.des_mean"] in tips
    assert labels.label("des_metric", "p_wait", other) not in json.dumps(bands, ensure_ascii=False)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_budget_page_labels_ids_from_the_locale_and_the_registry(lang):
    words, other = LOCALES[lang], "en" if lang == "zh" else "zh"
    at = open_page("budget", lang)
    assert [s.value for s in at.subheader][:2] == [words["budget.cost_title"], words["budget.basis_title"]]
    titles = [s["title"]["text"] for s in chart_specs(at)]
    assert titles == [words["budget.chart_cost"], words["budget.chart_increment"], words["budget.chart_level"]]
    level = chart_specs(at)[2]
    levels = {row["level"] for row in level["layer"][0]["data"]["values"]}
    assert levels <= {words[f"budget.level_{lv}"] for lv in ("central_wan_yuan", "municipal_wan_yuan",
                                                             "district_wan_yuan")}
    totals = next(d.value for d in at.dataframe if words["budget.col_cost_real_wan_yuan"] in d.value.columns)
    programmes = set(totals[words["budget.col_programme"]])
    assert labels.title("programme", "total", lang) in programmes
    assert labels.title("programme", "total", other) not in programmes
    assert any(m.value.endswith(words["budget.wan_yuan"].split("}")[-1]) for m in at.metric)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_overview_page_function_says_a_policy_opinion_is_not_a_plan(lang):
    words = LOCALES[lang]
    at = open_page("overview", lang, "jiulongpo")
    assert at.title[0].value == words["nav.overview"]
    prefix = words["overview.policy_opinion"].split("{")[0]
    assert any(i.value.startswith(prefix) for i in at.info)
    assert at.subheader[0].value == words["overview.scorecard"]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_report_page_function_offers_every_format(lang):
    words = LOCALES[lang]
    at = open_page("report", lang)
    assert at.title[0].value == words["nav.report"]
    labels = {b.label for b in at.button}
    assert {words[f"report.build_{f}"] for f in ("pdf", "docx", "pptx", "xlsx", "html")} <= labels


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_lever_choices_show_the_registry_titles(lang):
    """The select boxes of choice levers name their ids from models.labels ([rule] / [rule_title]); the words
    are the ones pages/locale [levers.choice] printed before, checked by hand."""
    rules = {"zh": ["固定年增长率", "与人均消费支出挂钩", "城乡比例收敛", "业务照常预测（制定者的标准）",
                    "规划目标隐含路径"],
             "en": ["Fixed annual growth", "Linked to per-capita consumption", "Rural/urban ratio convergence",
                    "Baseline forecast (the setter's standard)", "Path the plan's targets imply"]}
    profiles = {"zh": ["均匀投放", "前期集中", "后期集中"], "en": ["Linear", "Front-loaded", "Back-loaded"]}
    at = open_page("benefits", lang)
    assert at.selectbox(key="benefits.rule").options == rules[lang]
    at = open_tab(open_page("beds", lang, "banan"), "beds_tab", LOCALES[lang]["beds.tab_pipeline"])
    assert at.selectbox(key="beds.plan_profile").options == profiles[lang]
