"""AppTest of the thinned beds, budget, overview and report pages in both languages: the labels the pages put on the
ids that models.views returns come from the locale (zh and en), and the charts come from models.charts."""

from __future__ import annotations

import json

import pytest
from apptest_helpers import assert_ok, chart_specs, new_app, open_tab

from pages._ui import load_locale

LOCALES = {"zh": load_locale("zh"), "en": load_locale("en")}


def open_page(page: str, lang: str, district: str = "chengkou"):
    at = new_app(district=district, lang=lang)
    at.switch_page(f"pages/{page}.py").run()
    assert_ok(at)
    return at


def specs(at) -> list[dict]:
    return chart_specs(at)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_beds_supply_charts_carry_target_marks_in_the_language(lang):
    words = LOCALES[lang]
    at = open_page("beds", lang, "banan")  # 巴南 publishes a 2025 elderly_beds target
    titles = [s["title"]["text"] for s in specs(at)]
    assert titles[:3] == [words["beds.chart_supply_demand"], words["beds.chart_per_1000"], words["beds.chart_shares"]]
    supply = specs(at)[0]
    marks = [layer for layer in supply["layer"] if layer["mark"]["type"] == "point"]
    assert marks, "no target marks on the supply chart"
    label = marks[0]["data"]["values"][0]["label"]
    assert label.startswith(words["beds.series_elderly_beds"]), label
    series = {row["series"] for row in supply["layer"][0]["data"]["values"]}
    assert words["beds.series_elderly_beds"] in series


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_beds_des_charts_are_bands_labelled_from_the_locale(lang):
    words, other = LOCALES[lang], LOCALES["en" if lang == "zh" else "zh"]
    at = open_tab(open_page("beds", lang), "beds_tab", words["beds.tab_des"])
    at.number_input(key="beds_des_n").set_value(5).run()
    at.button(key="beds_des_run").click().run()
    assert_ok(at)
    bands = [s for s in specs(at) if [layer["mark"]["type"] for layer in s["layer"]] == ["area", "line"]]
    titles = [s["title"]["text"] for s in bands]  # two columns: the tree lists column 0's charts first
    assert sorted(titles) == sorted(words[f"beds.des_metric_{m}"] for m in
                                    ("occupancy_pct", "waiting_list_mean", "p_wait", "mean_wait_years", "turned_away"))
    p_wait = bands[titles.index(words["beds.des_metric_p_wait"])]
    assert p_wait["layer"][0]["encoding"]["y"]["axis"]["format"] == ".0%"
    tips = [tip.get("title") for tip in p_wait["layer"][1]["encoding"]["tooltip"]]
    assert words["beds.des_mean"] in tips
    assert other["beds.des_metric_p_wait"] not in json.dumps(bands, ensure_ascii=False)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_budget_page_labels_ids_from_the_locale(lang):
    words, other = LOCALES[lang], LOCALES["en" if lang == "zh" else "zh"]
    at = open_page("budget", lang)
    assert [s.value for s in at.subheader][:2] == [words["budget.cost_title"], words["budget.basis_title"]]
    titles = [s["title"]["text"] for s in specs(at)]
    assert titles == [words["budget.chart_cost"], words["budget.chart_increment"], words["budget.chart_level"]]
    level = specs(at)[2]
    levels = {row["level"] for row in level["layer"][0]["data"]["values"]}
    assert levels <= {words[f"budget.level_{lv}"] for lv in ("central_wan_yuan", "municipal_wan_yuan",
                                                             "district_wan_yuan")}
    totals = next(d.value for d in at.dataframe if words["budget.col_cost_real_wan_yuan"] in d.value.columns)
    programmes = set(totals[words["budget.col_programme"]])
    assert words["budget.prog_total"] in programmes
    assert other["budget.prog_total"] not in programmes
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
