"""models.user_projects: editor rows -> validated UserProjects; every bad cell names its row and column."""

from __future__ import annotations

import pandas as pd
import pytest

from models import user_projects as up
from models.errors import ShapanError
from models.scenario import UserProject

GOOD = {"year_open": 2023, "beds": 100, "nursing_beds": 60, "operator": "social", "name": "新院"}


def test_round_trip_through_frame() -> None:
    projects = (UserProject(2023, 100, 60, "social", "新院"), UserProject(2030, 20, None, "", ""))
    frame = up.to_frame(projects)
    assert list(frame.columns) == list(up.COLUMNS)
    assert up.from_frame(frame) == projects


def test_empty_table_and_blank_rows() -> None:
    assert up.from_frame(up.to_frame(())) == ()
    blank = dict.fromkeys(up.COLUMNS)
    expected = (UserProject(2023, 100, 60, "social", "新院"),)
    assert up.from_records([blank, GOOD, {**blank, "name": " "}]) == expected


def test_numbers_as_floats_and_text_are_accepted_when_whole() -> None:
    rows = [{**GOOD, "year_open": 2024.0, "beds": "1,200", "nursing_beds": float("nan"), "operator": None}]
    assert up.from_records(rows) == (UserProject(2024, 1200, None, "", "新院"),)


@pytest.mark.parametrize(("column", "value", "rule"), [
    ("beds", -5, "range"),
    ("beds", "abc", "integer"),
    ("beds", 10.5, "integer"),
    ("beds", None, "missing"),
    ("year_open", 2020, "year"),
    ("year_open", 2036, "year"),
    ("year_open", "明年", "integer"),
    ("nursing_beds", 101, "nursing"),
    ("nursing_beds", -1, "range"),
    ("operator", "private", "operator"),
])
def test_bad_cell_names_row_and_column(column: str, value: object, rule: str) -> None:
    rows = [GOOD, {**GOOD, column: value}]
    with pytest.raises(ShapanError) as info:
        up.from_records(rows)
    err = info.value
    assert err.code == "bad_value"
    assert (err.fields["row"], err.fields["column"], err.fields["rule"]) == (2, column, rule)
    assert "第2行" in err.message("zh")
    assert column in err.message("en")


def test_year_range_follows_the_scenario() -> None:
    assert up.from_records([{**GOOD, "year_open": 2040}], end_year=2040)[0].year_open == 2040
    with pytest.raises(ShapanError, match="2021-2035"):
        up.from_records([{**GOOD, "year_open": 2020}])


def test_unknown_column_is_refused() -> None:
    with pytest.raises(ShapanError, match="colour"):
        up.from_frame(pd.DataFrame([{**GOOD, "colour": "red"}]))


def test_input_is_not_modified() -> None:
    frame = pd.DataFrame([GOOD])
    before = frame.copy()
    up.from_frame(frame)
    pd.testing.assert_frame_equal(frame, before)
