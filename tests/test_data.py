"""Loader tests: the real data loads; each kind of broken file fails with a message naming file and row;
every seed figure in indicators.csv appears, as published, in its seed document's text."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pandas as pd
import pytest

from models.data import load_dataset
from models.errors import ShapanError

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"
SEEDS = ROOT.parent / "shared" / "seeds"


@pytest.fixture(scope="module")
def ds():
    return load_dataset(DATA)


def test_real_data_loads(ds):
    assert set(ds.districts["id"]) == {"chengkou", "wulong", "banan", "jiulongpo", "zhushan"}
    assert len(ds.indicators) > 300
    assert len(ds.version) == 12
    for district in ds.districts["id"]:
        assert len(ds.indicators_for(district)) >= 2


def test_every_indicator_has_meta(ds):
    assert set(ds.indicators["indicator"]) <= set(ds.meta["indicator"])


def test_canonical_ids_present(ds):
    ids = set(ds.indicators["indicator"])
    for canonical in (
        "dibao_urban_standard",
        "dibao_rural_standard",
        "rural_urban_dibao_ratio",
        "tekun_standard",
        "elderly_beds",
        "beds_per_1000_elderly",
        "nursing_bed_share",
        "population_60plus",
        "social_workers",
    ):
        assert canonical in ids


def test_plan_indicator_tables_have_targets(ds):
    targets = ds.indicators[ds.indicators["kind"] == "target"]
    counts = targets[targets["year"] == 2025].groupby("district").size()
    # 城口 专栏2 has 20 indicators, 武隆 专栏1 16, 巴南 表1 15, 珠山 23.
    assert counts["chengkou"] >= 20
    assert counts["wulong"] >= 16
    assert counts["banan"] >= 15
    assert counts["zhushan"] >= 23
    assert (targets.loc[targets["district"] == "jiulongpo", "year"] == 2022).all()


def test_banan_table_and_text_disagreement_kept(ds):
    rows = ds.indicators[
        (ds.indicators["district"] == "banan")
        & (ds.indicators["indicator"] == "beds_per_1000_elderly")
        & (ds.indicators["year"] == 2020)
    ]
    assert {41.4, 41.47} <= set(rows["value"])


def _number(published: str) -> float | None:
    match = re.search(r"\d+(?:\.\d+)?", published.replace(",", ""))
    return float(match.group()) if match else None


def _factor(row) -> float:
    if "亿" in row.published:
        return 1e4 if row.unit == "万元" else 1e8
    if "万" in row.published and row.unit != "万元":
        return 1e4
    if "×10000" in row.note:
        return 1e4  # the table prints the unit (万人) in its header, not in the cell
    return 1.0


def test_every_seed_figure_appears_in_its_seed_text(ds):
    """A number typed wrong fails: `published` must occur in the text and equal `value` after units."""
    texts = {}
    for sid, src in ds.sources.items():
        if src["kind"] == "seed":
            raw = (SEEDS / src["file"]).read_text(encoding="utf-8")
            texts[sid] = (raw, raw.replace("\n", "").replace("\r", ""))
    seed_rows = ds.indicators[ds.indicators["source"].isin(texts)]
    assert len(seed_rows) > 300
    problems = []
    for row in seed_rows.itertuples():
        raw, flat = texts[row.source]
        if not row.published or (row.published not in raw and row.published not in flat):
            problems.append(f"{row.district}/{row.indicator}/{row.year}: published {row.published!r} not in text")
            continue
        if pd.notna(row.value):
            number = _number(row.published)
            if number is None or abs(number * _factor(row) - row.value) > 1e-6 * max(1.0, abs(row.value)):
                problems.append(f"{row.district}/{row.indicator}/{row.year}: value {row.value} != {row.published!r}")
    assert not problems, "\n".join(problems)


def test_derived_rows_are_model_sourced(ds):
    derived = ds.indicators[ds.indicators["kind"] == "derived"]
    assert not derived.empty
    assert (derived["source"] == "shapan_model").all()
    assert derived["note"].str.len().gt(0).all()


def test_projects_cite_their_plan(ds):
    assert len(ds.projects) > 20
    for row in ds.projects.itertuples():
        assert ds.sources[row.source]["kind"] == "seed"
        assert row.locator


# ------------------------------------------------------------------------------------- broken fixtures


def _edit_csv(name: str, fn):
    def apply(root: Path) -> None:
        frame = pd.read_csv(root / name, dtype=str, keep_default_na=False)
        fn(frame).to_csv(root / name, index=False)

    return apply


def _set(col: str, value: str, row: int = 0):
    def fn(frame):
        frame.loc[row, col] = value
        return frame

    return fn


def _append_text(name: str, text: str):
    def apply(root: Path) -> None:
        with open(root / name, "a", encoding="utf-8") as fh:
            fh.write(text)

    return apply


BROKEN = [
    ("unknown unit", _edit_csv("indicators.csv", _set("unit", "斤")), r"indicators.csv row 2 column 'unit'.*斤"),
    (
        "not a number",
        _edit_csv("indicators.csv", _set("value", "abc")),
        r"indicators.csv row 2 column 'value'.*not a number",
    ),
    (
        "unknown source",
        _edit_csv("indicators.csv", _set("source", "nowhere")),
        r"indicators.csv row 2 cites unknown source 'nowhere'",
    ),
    ("bad kind", _edit_csv("indicators.csv", _set("kind", "guess")), r"indicators.csv row 2 column 'kind'"),
    (
        "target without comparator",
        _edit_csv("indicators.csv", lambda f: f.assign(comparator=f["comparator"].where(f["kind"] != "target", ""))),
        r"indicators.csv row \d+ column 'comparator'.*targets need",
    ),
    (
        "year out of range",
        _edit_csv("indicators.csv", _set("year", "1999")),
        r"indicators.csv row 2 column 'year'.*2010",
    ),
    (
        "duplicate row",
        _edit_csv("indicators.csv", lambda f: pd.concat([f, f.iloc[[0]]], ignore_index=True)),
        r"indicators.csv row \d+ duplicates row 2",
    ),
    (
        "missing column",
        _edit_csv("indicators.csv", lambda f: f.drop(columns=["locator"])),
        r"indicators.csv is missing columns: locator",
    ),
    (
        "unknown column",
        _edit_csv("indicators.csv", lambda f: f.assign(extra="x")),
        r"indicators.csv has unknown columns: extra",
    ),
    (
        "unknown district",
        _edit_csv("indicators.csv", _set("district", "atlantis")),
        r"indicators.csv row 2 column 'district'.*atlantis",
    ),
    ("project negative beds", _edit_csv("projects.csv", _set("beds", "-5")), r"projects.csv row 2 column 'beds'"),
    (
        "assumption without unit",
        _append_text(
            "assumptions.toml",
            '\n[x.y]\nvalue = 1\nlabel_zh = "a"\nlabel_en = "b"\nsource = "assumption"\nreason = "r"\n',
        ),
        r"assumptions.toml: required key 'x.y.unit' is missing",
    ),
    (
        "assumption unknown key",
        _append_text(
            "assumptions.toml",
            '\n[x.z]\nvalue = 1\nunit = "%"\nlabel_zh = "a"\nlabel_en = "b"\nsource = "assumption"\nreason = "r"\n'
            'colour = "red"\n',
        ),
        r"assumptions.toml: unknown key 'x.z.colour'",
    ),
    (
        "assumption without reason",
        _append_text(
            "assumptions.toml",
            '\n[x.w]\nvalue = 1\nunit = "%"\nlabel_zh = "a"\nlabel_en = "b"\nsource = "assumption"\n',
        ),
        r"assumptions.toml: required key 'x.w.reason' is missing",
    ),
    ("broken toml", _append_text("sources.toml", "\n[broken\n"), r"sources.toml is not valid TOML"),
    (
        "empty indicators",
        lambda root: (root / "indicators.csv").write_text("", encoding="utf-8"),
        r"indicators.csv is empty",
    ),
    (
        "meta duplicate",
        _edit_csv("indicator_meta.csv", lambda f: pd.concat([f, f.iloc[[0]]], ignore_index=True)),
        r"indicator_meta.csv row \d+ duplicates row 2",
    ),
]


@pytest.mark.parametrize(("case", "breaker", "message"), BROKEN, ids=[b[0] for b in BROKEN])
def test_broken_fixture_names_file_and_row(tmp_path, case, breaker, message):
    root = tmp_path / "data"
    shutil.copytree(DATA, root)
    breaker(root)
    with pytest.raises(ShapanError, match=message) as info:
        load_dataset(root)
    assert info.value.message("zh")  # a Chinese message exists too
