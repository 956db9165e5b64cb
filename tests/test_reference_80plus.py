"""80+ (issue 11): no sourced 2020-census 80+ figure for Chongqing or Jiangxi was found; the only sourced
80+ figure (Chongqing, 户籍, end of 2017) is kept as a reference and the population page's note quotes the
share it implies, computed here from the stored counts (961,700 ÷ 7,062,100 = 13.6 %)."""

from __future__ import annotations

from models.data import load_dataset
from pages._ui import load_locale


def test_note_quotes_the_share_the_stored_counts_give() -> None:
    ds = load_dataset()
    facts = ds.reference("other_facts").set_index(["fact", "area", "year"])
    p80 = float(facts.loc[("population_80plus_hukou", "Chongqing", 2017), "value"])
    p60 = float(facts.loc[("population_60plus_hukou", "Chongqing", 2017), "value"])
    share = f"{p80 / p60 * 100:.1f}%"
    assert share == "13.6%"
    assert share in load_locale("zh")["population.note_80plus"]
    assert share in load_locale("en")["population.note_80plus"]
    source = facts.loc[("population_80plus_hukou", "Chongqing", 2017), "source"]
    assert ds.sources[source]["url"].startswith("http")


def test_census_table_still_has_no_80plus_column() -> None:
    """Nothing rescales the shape to 80+ until a census 80+ figure is sourced into census_2020_age_shares."""
    assert "age_80plus" not in load_dataset().reference("census_2020_age_shares").columns
