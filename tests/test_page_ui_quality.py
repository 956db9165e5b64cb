"""UI surfaces a user sees (issue 15): the scorecard puts status and P(met) next to the indicator (visible
without scrolling at 1366 px), shows no internal id, prints people and beds as whole numbers and units in
the user's language; the headline cards carry bare numbers with the unit in the label."""

from __future__ import annotations

import re

import pytest
from apptest_helpers import assert_ok, new_app

from pages._ui import load_locale

ID_RE = re.compile(r"^[a-z]+_[a-z_]+$")
CJK_RE = re.compile(r"[\u4e00-\u9fff]")


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_scorecard_columns_and_values(lang: str) -> None:
    words = load_locale(lang)
    at = new_app(lang=lang, district="wulong")
    assert_ok(at)
    table = next(d.value for d in at.dataframe if words["scorecard.col_status"] in d.value.columns)
    columns = list(table.columns)
    assert columns[:3] == [words[f"scorecard.col_{c}"] for c in ("label", "status", "probability")]
    for col in columns:
        values = [v for v in table[col] if isinstance(v, str)]
        assert not [v for v in values if ID_RE.match(v)], col
    unit_col, projected = words["scorecard.col_unit"], words["scorecard.col_projected"]
    counts = table[table[unit_col].isin([words["units.人"], words["units.张"]])][projected].dropna()
    assert all(float(v).is_integer() for v in counts)
    if lang == "en":
        for col in (unit_col, words["scorecard.col_binding"]):
            assert not [v for v in table[col] if isinstance(v, str) and CJK_RE.search(v)], col


def test_headline_values_are_bare_numbers() -> None:
    at = new_app(lang="en", district="wulong")
    assert_ok(at)
    values = [m.value for m in at.metric][:4]
    assert all(re.fullmatch(r"[\d,]+(\.\d)?|—", v) for v in values), values
