"""期末评估 page (evaluation, backtest, 2030 drafts, 十五五 draft) in both languages: every label a user reads
comes from the locale files or the models' word tables — no internal id anywhere, no Chinese character in the
English page beyond the district's and plan's names, the user's own document names and the locators into
the (Chinese) plan — and people and beds are whole numbers. Actuals are made up
(tests/fixtures/actuals_wulong_2025.csv)."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest
from apptest_helpers import ACTUALS_WULONG, assert_ok, table_with, upload_actuals
from streamlit.testing.v1 import AppTest

from models import evaluation_report as er
from models.data import dataset
from pages._ui import load_locale

ROOT = Path(__file__).resolve().parent.parent
APP = str(ROOT / "app.py")
FIXTURE = ACTUALS_WULONG
DISTRICT = "wulong"
ID_RE = re.compile(r"\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b|\b\w+\.(?:csv|toml|py)\b")
CJK_RE = re.compile(r"[\u3400-\u9fff\uff08\uff09\u3001\u3002\uff1a\uff1b]")
EDITOR_COLUMNS = {"indicator", "year", "value", "source", "target", "comparator"}  # data_editor raw frames


def allowed_chinese() -> list[str]:
    """Names a user's English page still prints in Chinese: the district, its plan, the user's documents."""
    ds = dataset()
    names = [ds.district(DISTRICT)["name_zh"], ds.sources[ds.district(DISTRICT)["plan_source"]]["title"]]
    names += pd.read_csv(FIXTURE)["source"].drop_duplicates().tolist()
    return sorted(names, key=len, reverse=True)


def reference_columns(words: dict[str, str], lang: str) -> set[str]:
    """Columns that cite a Chinese document (locator, the actual's document, the cited plan); the report
    text's tables (models.evaluation_report) name theirs in its own word table."""
    i = 0 if lang == "zh" else 1
    return {words["col.locator"], words["retrospective.actual_source"], words["col.source"],
            words["draft.reference"], er.COLUMNS["locator"][i], er.COLUMNS["source"][i]}


@pytest.fixture(scope="module", params=["zh", "en"])
def page(request) -> tuple[str, AppTest]:
    lang = request.param
    at = AppTest.from_file(APP, default_timeout=180)
    at.query_params.update({"district": DISTRICT, "lang": lang})
    at.switch_page("pages/retrospective.py").run()
    upload_actuals(at, DISTRICT)
    own = {"indicator": "elderly_beds", "target": 5000.0, "comparator": ">="}
    at.session_state[f"retro_drafts_{DISTRICT}__0"] = {"edited_rows": {}, "deleted_rows": [], "added_rows": [own]}
    at.run()
    assert_ok(at)
    assert not at.error, [e.value for e in at.error]
    return lang, at


def labels(at: AppTest, words: dict[str, str], lang: str) -> list[str]:
    """Every string a user reads on the page, except cells citing a Chinese document."""
    out = [x.value for kind in ("title", "header", "subheader", "markdown", "caption", "text", "info", "warning",
                                "success") for x in getattr(at, kind)]
    out += [m.label for m in at.metric] + [b.label for b in at.button]
    out += [b.label for b in at.get("download_button")]
    refs = reference_columns(words, lang)
    for frame in at.dataframe:
        table = frame.value
        if set(table.columns) <= EDITOR_COLUMNS:
            continue  # an editor's raw frame: the grid shows its labels through format_func
        out += [str(c) for c in table.columns]
        for column in table.columns:
            if column not in refs:
                out += [str(v) for v in table[column] if isinstance(v, str)]
    return out


def test_no_internal_ids(page):
    lang, at = page
    found = {s for s in labels(at, load_locale(lang), lang) if ID_RE.search(s)}
    assert found == set()


def test_english_has_no_chinese_beyond_names(page):
    lang, at = page
    if lang != "en":
        pytest.skip("the Chinese page is Chinese")
    names = allowed_chinese()
    leaks = []
    for text in labels(at, load_locale("en"), "en"):
        for name in names:
            text = text.replace(name, "")
        if CJK_RE.search(text):
            leaks.append(text)
    assert leaks == []



def test_people_and_beds_are_whole(page):
    lang, at = page
    words = load_locale(lang)
    ds = dataset()
    whole_units = {u if lang == "zh" else ds.units.set_index("unit").loc[u, "label_en"] for u in ("人", "张")}
    checked = 0
    for column_key, value_keys in (("evaluation.margin", ("retrospective.actual", "evaluation.margin",
                                                          "retrospective.target")),
                                   ("draft.kind", ("col.value",))):
        table = table_with(at, words[column_key])
        rows = table[table[words["col.unit"]].isin(whole_units)]
        for key in value_keys:
            for cell in rows[words[key]]:
                assert re.fullmatch(r"[≥≤=]?[+-]?[\d,]+|—", cell), (key, cell)
                checked += 1
    assert checked >= 5  # social workers (evaluation), 60+ and beds (base figures)


def test_english_units_statuses_and_reasons(page):
    lang, at = page
    if lang != "en":
        pytest.skip("English words")
    words = load_locale("en")
    evaluation = table_with(at, words["evaluation.margin"]).set_index(words["col.label"])
    social = evaluation.loc["Professional social workers (social work talent)"]
    assert (social[words["col.unit"]], social[words["evaluation.margin"]]) == ("persons", "-80")
    assert social[words["col.binding"]] == "expected"
    draft = table_with(at, words["draft.cost"]).set_index(words["col.label"])
    ratio = draft.loc["Rural-to-urban dibao standard ratio"]
    assert ratio[words["draft.reason"]].startswith("14th-plan target ≥85 missed (2025: 82.5): carried forward")
    assert ratio[words["draft.decided_by"]].startswith("municipality")
    drafts = table_with(at, words["retrospective.projected"].format(year=2030))
    assert drafts[words["col.comparator"]].tolist() == ["≥"]
    assert drafts[words["col.unit"]].tolist() == ["beds"]
