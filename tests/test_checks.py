"""Data-quality checks find the real problems in the plans and name the rows."""

from __future__ import annotations

import pandas as pd
import pytest

from models.checks import check_ratio, check_target_growth, run_checks, summary
from models.data import INDICATOR_COLUMNS, load_dataset


@pytest.fixture(scope="module")
def findings():
    return run_checks(load_dataset())


def _codes(findings, district, code):
    return [f for f in findings if f["district"] == district and f["code"] == code]


def test_banan_beds_per_1000_disagreement_found(findings):
    hits = [f for f in _codes(findings, "banan", "inconsistent_figures") if f["indicator"] == "beds_per_1000_elderly"]
    assert len(hits) == 1
    assert "41.47" in hits[0]["message_en"]
    assert "41.4" in hits[0]["message_en"]


def test_chengkou_social_worker_unit_slip_found(findings):
    hits = [f for f in _codes(findings, "chengkou", "target_unit_slip") if f["indicator"] == "social_workers"]
    assert hits
    assert "unit" in hits[0]["message_en"]


def test_rows_point_at_the_named_indicator(findings):
    ind = load_dataset().indicators
    for f in findings:
        assert f["rows"], f
        for line in f["rows"]:
            row = ind.iloc[line - 2]
            if f["district"]:
                assert row["district"] == f["district"]


def test_summary_shape(findings):
    out = summary(findings)
    assert set(out) == {"errors", "warnings", "info"}
    assert not out["errors"]
    assert len(out["warnings"]) >= 3


def _frame(rows):
    cols = INDICATOR_COLUMNS
    return pd.DataFrame([dict(zip(cols, r, strict=True)) for r in rows])


def test_growth_check_hand_case():
    ind = _frame(
        [
            ("d", "x", 2020, 100.0, "人", "baseline", "", "", "s", "a", "100", ""),
            ("d", "x", 2025, 110.0, "人", "target", ">=", "", "s", "b", "110", ""),
            ("d", "y", 2020, 100.0, "人", "baseline", "", "", "s", "c", "100", ""),
            ("d", "y", 2025, 1000.0, "人", "target", ">=", "", "s", "e", "1000", ""),
        ]
    )
    out = check_target_growth(ind)
    assert [f["indicator"] for f in out] == ["y"]  # 1.9 %/yr passes; 58.5 %/yr flagged
    assert out[0]["rows"] == [4, 5]


def test_ratio_check_hand_case():
    ind = _frame(
        [
            ("d", "dibao_urban_standard", 2020, 500.0, "元/人·月", "baseline", "", "", "s", "a", "", ""),
            ("d", "dibao_rural_standard", 2020, 400.0, "元/人·月", "baseline", "", "", "s", "b", "", ""),
            ("d", "rural_urban_dibao_ratio", 2020, 75.0, "%", "baseline", "", "", "s", "c", "", ""),
        ]
    )
    out = check_ratio(ind)
    assert out[0]["level"] == "warning"  # 80 % recomputed vs 75 % published
    assert "80.00%" in out[0]["message_en"]


def test_person_time_units_differ_between_programmes(findings):
    # 城口: 低保 spend ÷ 人次 only makes sense per person-year, 特困 per person-month
    hits = _codes(findings, "chengkou", "person_time_units_differ")
    assert len(hits) == 1
    assert "dibao_urban=person-year" in hits[0]["message_en"]
    assert "tekun=person-month" in hits[0]["message_en"]
    assert len(hits[0]["rows"]) >= 4
