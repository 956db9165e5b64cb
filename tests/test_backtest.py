"""Tests for models.backtest: reading actuals (CSV in UTF-8 / BOM / GBK, xlsx), met/missed/shortfall by hand,
the ratio derived from the two standards, and errors that name file, row and column.

Fixtures: ``tests/fixtures/actuals_*.csv``; each broken file is paired below with the message it must produce.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from apptest_helpers import xlsx_bytes
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from models import backtest as bt
from models.data import dataset
from models.errors import ShapanError

FIXTURES = Path(__file__).resolve().parent / "fixtures"
SOURCE_ZH = "城口县民政局2025年统计"


@pytest.fixture(scope="module")
def ds():
    return dataset()


def read(ds, name: str, district: str = "chengkou"):
    return bt.read_actuals((FIXTURES / name).read_bytes(), name, ds, district)


# ---------------------------------------------------------------------------------------------- reading


@pytest.mark.parametrize("name", ["actuals_chengkou_utf8.csv", "actuals_chengkou_bom.csv",
                                  "actuals_chengkou_gbk.csv"])
def test_csv_encodings_parse(ds, name):
    frame = read(ds, name)
    assert frame["indicator"].tolist() == ["rural_urban_dibao_ratio", "nursing_bed_share",
                                           "gov_operated_bed_share", "social_operated_bed_share",
                                           "population_60plus"]
    assert frame["year"].tolist() == [2025] * 5
    assert frame["value"].tolist() == [88.0, 65.0, 45.0, 60.0, 56000.0]  # "65%" and "56,000" accepted
    assert frame["source"].iloc[0] == SOURCE_ZH
    assert set(frame["kind"]) == {"actual"}


def test_gbk_fixture_really_is_gbk():
    data = (FIXTURES / "actuals_chengkou_gbk.csv").read_bytes()
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    assert SOURCE_ZH in data.decode("gbk")


def test_bom_fixture_really_has_bom():
    assert (FIXTURES / "actuals_chengkou_bom.csv").read_bytes().startswith(b"\xef\xbb\xbf")


def test_xlsx_parses(ds):
    data = xlsx_bytes([["indicator", "year", "value", "source"],
                       ["rural_urban_dibao_ratio", 2025, 88, SOURCE_ZH],
                       ["nursing_bed_share", 2025, 65.5, "统计"]])
    frame = bt.read_actuals(data, "actuals.xlsx", ds, "chengkou")
    assert frame[["indicator", "year", "value"]].values.tolist() == [
        ["rural_urban_dibao_ratio", 2025, 88.0], ["nursing_bed_share", 2025, 65.5]]
    assert frame["source"].iloc[0] == SOURCE_ZH


def test_xlsx_recognised_by_content_not_name(ds):
    data = xlsx_bytes([["indicator", "year", "value"], ["rural_urban_dibao_ratio", 2025, 88]])
    assert bt.read_actuals(data, "upload.bin", ds, "chengkou")["value"].tolist() == [88.0]


def test_xlsx_error_names_row_and_column(ds):
    data = xlsx_bytes([["indicator", "year", "value"], ["rural_urban_dibao_ratio", 2025, 88],
                       ["nursing_bed_share", 2025, "很多"]])
    with pytest.raises(ShapanError) as err:
        bt.read_actuals(data, "actuals.xlsx", ds, "chengkou")
    assert (err.value.fields["row"], err.value.fields["column"]) == (3, "value")
    assert "actuals.xlsx" in err.value.message("en")


def test_broken_xlsx(ds):
    with pytest.raises(ShapanError) as err:
        bt.read_actuals(b"PK\x03\x04 not a zip", "bad.xlsx", ds, "chengkou")
    assert err.value.code == "csv_syntax"
    assert "bad.xlsx" in err.value.message("en")


def test_headers_are_case_and_space_insensitive(ds):
    data = b"Indicator , YEAR,Value\nrural_urban_dibao_ratio, 2025 , 88 \n"
    assert bt.read_actuals(data, "a.csv", ds, "chengkou")["value"].tolist() == [88.0]


def test_unknown_district(ds):
    with pytest.raises(ShapanError) as err:
        read(ds, "actuals_chengkou_utf8.csv", district="atlantis")
    assert err.value.code == "unknown_district"


# ------------------------------------------------------------------------------------------- backtest


def test_chengkou_2025_met_missed_shortfall_by_hand(ds):
    result = bt.backtest(ds, "chengkou", read(ds, "actuals_chengkou_utf8.csv")).set_index("indicator")
    # ratio ≥ 90, actual 88 → missed by 2
    assert not result.loc["rural_urban_dibao_ratio", "met"]
    assert result.loc["rural_urban_dibao_ratio", "shortfall"] == pytest.approx(2.0)
    assert result.loc["rural_urban_dibao_ratio", "target"] == 90
    assert result.loc["rural_urban_dibao_ratio", "actual_source"] == SOURCE_ZH
    # nursing share ≥ 60, actual 65 → met, no shortfall
    assert result.loc["nursing_bed_share", "met"]
    assert result.loc["nursing_bed_share", "shortfall"] == 0
    # government-operated share ≤ 40, actual 45 → missed by 5 (actual − target for '<=')
    assert result.loc["gov_operated_bed_share", "comparator"] == "<="
    assert not result.loc["gov_operated_bed_share", "met"]
    assert result.loc["gov_operated_bed_share", "shortfall"] == pytest.approx(5.0)
    # social-operated share ≥ 60, actual exactly 60 → met
    assert result.loc["social_operated_bed_share", "met"]
    # population_60plus has no target: not in the backtest
    assert "population_60plus" not in result.index
    assert len(result) == 4


def test_backtest_shape_and_types(ds):
    result = bt.backtest(ds, "chengkou", read(ds, "actuals_chengkou_utf8.csv"))
    assert list(result.columns) == bt.BACKTEST_COLUMNS
    assert result["met"].map(type).eq(bool).all()
    assert (result["shortfall"] >= 0).all()


def test_backtest_ignores_years_without_targets(ds):
    data = b"indicator,year,value\nrural_urban_dibao_ratio,2023,88\n"
    actuals = bt.read_actuals(data, "a.csv", ds, "chengkou")
    assert bt.backtest(ds, "chengkou", actuals).empty


def test_ratio_derived_from_standards(ds):
    actuals = read(ds, "actuals_chengkou_standards_only.csv")
    derived = actuals[actuals["indicator"] == "rural_urban_dibao_ratio"]
    assert len(derived) == 1
    assert derived["value"].iloc[0] == pytest.approx(704 / 800 * 100)
    assert derived["kind"].iloc[0] == "derived"
    assert derived["source"].iloc[0].startswith("derived")
    result = bt.backtest(ds, "chengkou", actuals).set_index("indicator")
    assert not result.loc["rural_urban_dibao_ratio", "met"]
    assert result.loc["rural_urban_dibao_ratio", "shortfall"] == pytest.approx(2.0)


def test_given_ratio_is_not_overwritten(ds):
    data = b"indicator,year,value\ndibao_urban_standard,2025,800\ndibao_rural_standard,2025,704\n" \
           b"rural_urban_dibao_ratio,2025,91\n"
    actuals = bt.read_actuals(data, "a.csv", ds, "chengkou")
    assert actuals.loc[actuals["indicator"] == "rural_urban_dibao_ratio", "value"].tolist() == [91.0]
    assert bt.backtest(ds, "chengkou", actuals).set_index("indicator").loc["rural_urban_dibao_ratio", "met"]


# --------------------------------------------------------------------------------------------- errors

BROKEN = [  # fixture, code, fields the error must carry, text the English message must contain
    ("actuals_bad_unknown_indicator.csv", "bad_value", {"row": 3, "column": "indicator"}, "happiness_index"),
    ("actuals_bad_text_value.csv", "bad_value", {"row": 2, "column": "value"}, "八十八"),
    ("actuals_bad_nan_value.csv", "bad_value", {"row": 3, "column": "value"}, "NaN"),
    ("actuals_bad_year.csv", "bad_value", {"row": 2, "column": "year"}, "1999"),
    ("actuals_bad_duplicate.csv", "duplicate_row", {"row": 4, "other": 2}, "rural_urban_dibao_ratio/2025"),
    ("actuals_bad_missing_column.csv", "missing_columns", {"columns": "value"}, "value"),
    ("actuals_bad_unknown_column.csv", "unknown_columns", {"columns": "remark"}, "remark"),
    ("actuals_bad_empty.csv", "file_empty", {}, "empty"),
    ("actuals_bad_header_only.csv", "file_empty", {}, "empty"),
]


@pytest.mark.parametrize(("name", "code", "fields", "text"), BROKEN, ids=[b[0] for b in BROKEN])
def test_broken_files_name_file_row_column(ds, name, code, fields, text):
    with pytest.raises(ShapanError) as err:
        read(ds, name)
    assert err.value.code == code
    for key, value in fields.items():
        assert err.value.fields[key] == value, key
    en, zh = err.value.message("en"), err.value.message("zh")
    assert name in en
    assert name in zh
    assert text in en
    if "row" in fields:
        assert f"row {fields['row']}" in en
        assert f"第{fields['row']}行" in zh
    if "column" in fields:
        assert f"column '{fields['column']}'" in en


@pytest.mark.parametrize(("value", "ok"), [("-1", False), ("1e10", False), ("inf", False), ("0", True),
                                           ("88.5", True)])
def test_value_range(ds, value, ok):
    data = f"indicator,year,value\nrural_urban_dibao_ratio,2025,{value}\n".encode()
    if ok:
        assert bt.read_actuals(data, "a.csv", ds, "chengkou")["value"].tolist() == [float(value)]
    else:
        with pytest.raises(ShapanError, match="column 'value'"):
            bt.read_actuals(data, "a.csv", ds, "chengkou")


@pytest.mark.parametrize("year", ["1999", "2036", "2025.5", "二〇二五", ""])
def test_bad_years(ds, year):
    data = f"indicator,year,value\nrural_urban_dibao_ratio,{year},88\n".encode()
    with pytest.raises(ShapanError) as err:
        bt.read_actuals(data, "a.csv", ds, "chengkou")
    assert err.value.fields["column"] == "year"
    assert "2015–2035" in err.value.message("en")


def test_file_over_5_mb(ds):
    data = b"indicator,year,value\n" + b"rural_urban_dibao_ratio,2025,88\n" * (5 * 1024 * 1024 // 30 + 10)
    assert len(data) > 5 * 1024 * 1024
    with pytest.raises(ShapanError) as err:
        bt.read_actuals(data, "big.csv", ds, "chengkou")
    assert err.value.code == "over_limit"
    assert "big.csv" in err.value.message("en")
    assert "5 MB" in err.value.message("en")


def test_undecodable_bytes(ds):
    with pytest.raises(ShapanError) as err:
        bt.read_actuals(b"indicator,year,value\n\x80\x81,2025,1\n", "x.csv", ds, "chengkou")
    assert err.value.code == "encoding"
    assert "x.csv" in err.value.message("en")


# ----------------------------------------------------------------------------------------- robustness


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.one_of(st.binary(max_size=300),
                      st.binary(max_size=100).map(lambda b: b"indicator,year,value\n" + b),
                      st.binary(max_size=100).map(lambda b: b"PK\x03\x04" + b)))
def test_random_bytes_only_raise_shapan_error(data):
    try:
        bt.read_actuals(data, "fuzz.csv", dataset(), "chengkou")
    except ShapanError as err:
        message = err.message("en")
    else:
        return
    assert "fuzz.csv" in message


cells = st.one_of(st.sampled_from(["rural_urban_dibao_ratio", "nursing_bed_share", "2025", "2020", "88", "-1",
                                   "nan", "", "1e400", "65%", "1,000", '"', "x"]), st.text(max_size=6))


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rows=st.lists(st.lists(cells, min_size=2, max_size=4), max_size=5),
       encoding=st.sampled_from(["utf-8", "utf-8-sig", "gbk"]))
def test_random_rows_only_raise_shapan_error(rows, encoding):
    text = "indicator,year,value\n" + "\n".join(",".join(r) for r in rows)
    try:
        data = text.encode(encoding)
    except UnicodeEncodeError:
        data = text.encode("utf-8")
    try:
        frame = bt.read_actuals(data, "rows.csv", dataset(), "chengkou")
    except ShapanError:
        return
    assert frame["year"].between(2015, 2035).all()
    assert frame["value"].between(0, 1e9).all()
    bt.backtest(dataset(), "chengkou", frame)
