"""data/reference/national_dibao_standards.csv: every verified row quotes its figures, and the growth rates
the bulletins print agree with the table's consecutive verified values."""

from __future__ import annotations

import re

import pytest

from models.data import load_dataset

GROWTH = re.compile(r"(?:比上年|较上年|同比)(?:增长|提高)(\d+(?:\.\d+)?)%")
STATUSES = {"verified", "unverified"}


@pytest.fixture(scope="module")
def table():
    ds = load_dataset()
    return ds, ds.reference("national_dibao_standards").set_index("year")


def test_rows_have_known_status_and_source(table):
    ds, frame = table
    assert set(frame["status"]) <= STATUSES
    assert set(frame["source"]) <= set(ds.sources)
    assert list(frame.index) == list(range(2010, 2021))


def test_verified_rows_quote_both_figures_and_cite_a_url(table):
    ds, frame = table
    verified = frame[frame["status"] == "verified"]
    assert len(verified) >= 5
    for year, row in verified.iterrows():
        assert ds.sources[row["source"]].get("url", "").startswith("http"), year
        assert ds.sources[row["source"]]["status"] != "unverified", year
        assert f"{row['dibao_urban_yuan_month']:.1f}" in row["locator"], year
        assert f"{row['dibao_rural_yuan_year']:.1f}" in row["locator"], year


def test_unverified_rows_say_what_was_searched(table):
    _, frame = table
    for year, row in frame[frame["status"] == "unverified"].iterrows():
        assert isinstance(row["note"], str), year
        assert "search" in row["note"], year


def test_printed_growth_rates_match_consecutive_verified_values(table):
    """Each quoted 比上年增长 x% (urban first, then rural) equals the table's own growth from the previous
    verified year, to the 0.1 pp the bulletins print: 2016 +9.6 %/+17.8 %, 2017 +9.3 %/+14.9 %, 2020
    +8.6 %/+11.7 % (2019 itself follows from the 2020 source's increases)."""
    _, frame = table
    checked = 0
    for year, row in frame[frame["status"] == "verified"].iterrows():
        rates = [float(x) for x in GROWTH.findall(row["locator"])]
        prev = frame.loc[year - 1] if year - 1 in frame.index else None
        if not rates or prev is None or prev["status"] != "verified":
            continue
        assert len(rates) == 2, year
        for rate, column in zip(rates, ("dibao_urban_yuan_month", "dibao_rural_yuan_year"), strict=True):
            own = (row[column] / prev[column] - 1) * 100
            assert abs(own - rate) <= 0.05 + 1e-9, (year, column, own, rate)
        checked += 1
    assert checked == 3


def test_2019_is_2020_minus_the_printed_increase(table):
    _, frame = table
    text = frame.loc[2019, "locator"]
    urban_up, rural_up = (float(x) for x in re.findall(r"比上年增加(\d+\.\d)元", text))
    assert round(frame.loc[2020, "dibao_urban_yuan_month"] - urban_up, 1) == frame.loc[2019, "dibao_urban_yuan_month"]
    assert round(frame.loc[2020, "dibao_rural_yuan_year"] - rural_up, 1) == frame.loc[2019, "dibao_rural_yuan_year"]
