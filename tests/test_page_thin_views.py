"""AppTest tests of the pages thinned onto models/views (issue 14): compare, retrospective, targets,
benefits, data & sources, district import — each renders in Chinese and English, and shows what the
models return (registry labels, marks, totals) rather than words the page made up."""

from __future__ import annotations

import pytest
from apptest_helpers import ACTUALS_WULONG, APP, assert_ok, table_with, upload_actuals
from streamlit.testing.v1 import AppTest

from models import labels
from models.data import dataset
from pages._ui import load_locale

LOCALES = {"zh": load_locale("zh"), "en": load_locale("en")}
PAGES = ("compare", "retrospective", "targets", "benefits", "data_sources", "district_import")


def open_page(page: str, lang: str, district: str = "wulong") -> AppTest:
    """The page in ``lang``, switched to with the sidebar's language radio (as a user does; with ``?lang=en``
    in the URL AppTest loses the page's widget values between runs, on main before this change too)."""
    at = AppTest.from_file(APP, default_timeout=180)
    at.query_params.update({"district": district})
    at.switch_page(f"pages/{page}.py").run()
    if lang != "zh":
        at.radio(key="lang").set_value(lang).run()
    assert_ok(at)
    return at


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("page", PAGES)
def test_page_renders_in_both_languages(page: str, lang: str) -> None:
    at = open_page(page, lang)
    assert [t.value for t in at.title] == [LOCALES[lang][f"nav.{page}"]]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_compare_words_come_from_the_label_registry(lang: str) -> None:
    words = LOCALES[lang]
    at = open_page("compare", lang)  # the default choice: current, freeze, stress
    assert at.multiselect(key="cmp_pick_wulong").value == ["current", "preset:freeze", "preset:stress"]
    statuses = table_with(at, words["compare.target"])
    shown = {v for c in statuses.columns if " · " in c for v in statuses[c]}
    assert shown
    assert shown <= set(labels.table("status", lang).values())
    bindings = set(statuses[words["col.binding"]]) - {""}
    assert bindings
    assert bindings <= {labels.label("binding", b, lang) for b in ("约束性", "预期性")}
    indicators = table_with(at, words["col.unit"])
    assert words["compare.budget_total"].format(start=2021, end=2025) in set(indicators[words["col.label"]])


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_retrospective_backtest_and_draft_in_both_languages(lang: str) -> None:
    words = LOCALES[lang]
    at = upload_actuals(open_page("retrospective", lang), "wulong", ACTUALS_WULONG)
    assert_ok(at)
    results = set(table_with(at, words["retrospective.result"])[words["retrospective.result"]])
    assert results
    assert results <= {words["retrospective.met"], words["retrospective.missed"]}
    assert words["draft.needs_base"] not in [i.value for i in at.info]  # actuals after 2020: the draft shows


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_benefits_marks_and_flags(lang: str) -> None:
    words = LOCALES[lang]
    at = open_page("benefits", lang)
    headline = [m.label for m in at.metric][:4]  # the four headline series in the plan's end year
    assert len(headline) == 4
    assert all("2025" in h for h in headline)
    charts = at.get("vega_lite_chart")
    assert charts  # standards and ratio charts, with the plan's marks drawn as a layer
    flags = [f for f in at.dataframe if words["benefits.col_programme"] in f.value.columns]
    if flags:  # flags' programme names are the registry's
        names = set(flags[0].value[words["benefits.col_programme"]])
        assert names <= set(labels.table("programme", lang).values())


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_data_page_binding_words_are_the_registrys(lang: str) -> None:
    words = LOCALES[lang]
    at = open_page("data_sources", lang)
    rows = table_with(at, words["col.binding"])
    shown = set(rows[words["col.binding"]].dropna()) - {""}
    ds = dataset()
    published = set(ds.indicators_for("wulong")["binding"].dropna()) - {""}
    assert shown == {labels.label("binding", b, lang) for b in published}


def test_targets_goal_seek_in_english() -> None:
    at = open_page("targets", "en")
    assert at.selectbox(key="tg_target_wulong").options  # modelled future targets a lever moves
    assert at.success or at.warning  # a solution, or the reason there is none
