"""Population basis (户籍 / 常住): one stated basis per district, consistent with where its 60+ comes
from, validated strictly, carried by the CLI and shown on the pages that show a population count."""

from __future__ import annotations

import contextlib
import csv
import io
import json
import shutil
from pathlib import Path

import pytest
from apptest_helpers import assert_ok, new_app

from models import cli, labels, population_basis, presets
from models.data import DEFAULT_DATA_DIR, dataset, load_dataset
from models.errors import ShapanError
from models.resolve import resolve
from pages._ui import load_locale

SEEDS = Path(__file__).resolve().parent.parent.parent / "shared" / "seeds"  # as tests/test_data.py
ZH, EN = load_locale("zh"), load_locale("en")
DISTRICTS = list(dataset().districts["id"])


def _resolved(district: str, **params):
    ds = dataset()
    scen = presets.load_preset(district, "baseline", ds)
    if params:
        scen = scen.with_params(**params)
    return resolve(scen, ds)


@pytest.mark.parametrize("district", DISTRICTS)
def test_every_district_states_one_basis_matching_its_60plus(district: str) -> None:
    """A published 60+ carries the plan's own basis; a derived one (beds ÷ per-1,000) an assumption with a
    reason; a census-share estimate (census total × province 60+ share) is 常住 because both are."""
    ds = dataset()
    basis = population_basis.basis_of(ds, district)
    assert basis.basis in population_basis.BASES
    provenance = str(_resolved(district).provenance["population.pop_60plus_base"])
    if provenance.startswith("assumed: total population"):
        assert (basis.basis, basis.status) == ("常住", "derived")
        assert basis.source in provenance
    elif "(derived" in provenance:
        assert basis.status == "assumption"
        assert basis.reason
        assert basis.reason_en
    else:
        assert basis.status == "source"
        assert basis.source in provenance


def test_banan_basis_is_printed_in_its_plan() -> None:
    basis = population_basis.basis_of(dataset(), "banan")
    seed = dataset().sources[basis.source]["file"]
    text = (SEEDS / seed).read_text(encoding="utf-8")
    assert basis.published in text
    assert basis.basis in basis.published
    assert (basis.basis, basis.status) == ("户籍", "source")


def test_user_entered_base_keeps_the_district_basis_marked_user() -> None:
    res = _resolved("chengkou", **{"population.pop_60plus_base": 50_000.0})
    basis = population_basis.basis_for(res, dataset())
    assert (basis.basis, basis.status) == ("户籍", "user")
    assert population_basis.basis_for(_resolved("chengkou"), dataset()).status == "assumption"


def test_labels_and_json() -> None:
    basis = population_basis.basis_of(dataset(), "zhushan")
    out = basis.as_json()
    assert out["basis"] == "常住"
    assert out["label_zh"] == "常住人口"
    assert out["label_en"].startswith("resident")
    assert basis.describe("zh") == "口径：常住人口（由来源数据的口径推定）"
    assert basis.reason_in("en") != basis.reason_in("zh")
    assert (basis.status_label("zh"), basis.status_label("en")) == ("由来源数据的口径推定", "follows from its sources")
    assert population_basis.Basis("x", "未说明", "assumption").describe("en") == "Basis: basis not stated (assumption)"


def _copy_data(tmp_path: Path) -> Path:
    root = tmp_path / "data"
    shutil.copytree(DEFAULT_DATA_DIR, root)
    return root


def _edit_rows(root: Path, name: str, edit) -> None:
    path = root / "reference" / name
    with path.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    fields = list(rows[0])
    rows = [r for r in (edit(dict(r)) for r in rows) if r is not None]
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=fields)
        writer.writeheader()
        writer.writerows(rows)


def _set(district: str, **cells):
    return lambda r: {**r, **cells} if r["district"] == district else r


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (_set("banan", basis="户口"), "row 4 column 'basis'"),
        (_set("banan", source="no_such_source"), "no_such_source"),
        (_set("chengkou", reason=""), "row 2 column 'reason'"),
        (_set("banan", published=""), "row 4 column 'locator'"),
        (_set("wulong", status="guess"), "row 3 column 'status'"),
    ],
)
def test_broken_rows_name_row_and_column(tmp_path: Path, edit, message: str) -> None:
    root = _copy_data(tmp_path)
    _edit_rows(root, "population_basis.csv", edit)
    with pytest.raises(ShapanError) as err:
        population_basis.basis_of(load_dataset(root), "banan")
    assert message in err.value.message("en")


def test_user_district_basis_from_workbook_text(tmp_path: Path) -> None:
    """A district without a row in population_basis.csv reads its workbook's free text (人口口径)."""
    root = _copy_data(tmp_path)
    _edit_rows(root, "population_basis.csv", lambda r: None if r["district"] in ("zhushan", "wulong") else r)
    _edit_rows(root, "district_population.csv", _set("zhushan", basis="七普常住人口"))
    ds = load_dataset(root)
    basis = population_basis.basis_of(ds, "zhushan")
    assert (basis.basis, basis.status, basis.published) == ("常住", "source", "七普常住人口")
    wulong = population_basis.basis_of(ds, "wulong")  # "census 2020-11-01 (secondary page)": says neither
    assert wulong.basis == population_basis.NOT_STATED
    assert wulong.status == "assumption"
    assert wulong.reason


def _cli_json(*argv: str) -> dict:
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        assert cli.main(list(argv)) == 0
    return json.loads(out.getvalue())


def test_cli_run_and_forecast_carry_the_basis() -> None:
    run = _cli_json("run", "--district", "banan", "--json")
    assert run["population_basis"]["basis"] == "户籍"
    assert run["population_basis"]["status"] == "source"
    fc = _cli_json("forecast", "--district", "jiulongpo", "--mc", "20", "--seed", "1", "--json")
    assert fc["population_basis"]["basis"] == "常住"


@pytest.mark.parametrize(("lang", "locale"), [("zh", ZH), ("en", EN)])
def test_pages_show_the_basis(lang: str, locale: dict) -> None:
    at = new_app(district="banan", lang=lang)
    assert_ok(at)
    expected = locale["population.basis_caption"].format(basis=labels.label("basis", "户籍", lang),
                                                         status=labels.label("basis_status", "source", lang))
    assert any(expected in c.value for c in at.caption), "overview headline"
    for page in ("pages/population.py", "pages/beds.py"):
        at.switch_page(page).run()
        assert_ok(at)
        assert any(expected in c.value for c in at.caption), page


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("户籍", ("户籍", "source", "banan_copy_plan", population_basis.WORKBOOK_CELL, "户籍")),
        ("常住｜推定｜普查常住总人口×全省比重", ("常住", "derived", "pop_src", "", "")),
        ("户籍｜假设｜规划未写明", ("户籍", "assumption", "assumption", "", "")),
        ("", None),
    ],
)
def test_workbook_cell_to_row(cell: str, expected) -> None:
    row = population_basis.from_cell(cell, "banan_copy", "banan_copy_plan", "pop_src")
    if expected is None:
        assert row is None
    else:
        assert (row["basis"], row["status"], row["source"], row["locator"], row["published"]) == expected
        assert row["reason"]
        assert row["reason_en"]


@pytest.mark.parametrize("cell", ["户口", "户籍｜也许", "户籍｜假设"])
def test_workbook_cell_refused(cell: str) -> None:
    with pytest.raises(ValueError, match=r"户籍|理由|规划写明"):
        population_basis.from_cell(cell, "x", "x_plan", "")


@pytest.mark.parametrize("district", DISTRICTS)
def test_workbook_cell_round_trips_every_shipped_basis(district: str) -> None:
    ds = dataset()
    basis = population_basis.basis_of(ds, district)
    plan = ds.district(district)["plan_source"]
    pop_source = ds.district(district)["population_source"]
    row = population_basis.from_cell(population_basis.cell_text(basis), district, plan, pop_source)
    assert population_basis.Basis(**row) == basis
