"""Tests for models.presets: shipped presets load for every district; user scenarios are saved atomically,
with safe names, never over a preset, and round-trip."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from models import presets
from models import scenario as sc
from models.data import dataset
from models.errors import ShapanError

DISTRICTS = ("chengkou", "wulong", "banan", "jiulongpo", "zhushan")


@pytest.fixture(scope="module")
def ds():
    return dataset()


def sample(name: str = "我的方案_1", district: str = "banan") -> sc.Scenario:
    return sc.Scenario(name=name, district=district, notes="测试").with_params(
        benefits__dibao_rural_growth_pct=7.5, beds__beds_built_per_year=300.0,
    )


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith(".tmp-") or p.suffix == ".tmp")


# ---------------------------------------------------------------------------------------------- presets


@pytest.mark.parametrize("district", DISTRICTS)
def test_every_preset_loads_for_every_district(ds, district):
    assert presets.preset_names(district)[: len(presets.PRESET_NAMES)] == list(presets.PRESET_NAMES)
    for name in presets.PRESET_NAMES:
        scen = presets.load_preset(district, name, ds)
        assert scen.district == district
        assert scen.name == name
        assert scen.base_year == 2020


def test_every_district_has_the_three_presets(ds):
    assert set(ds.districts["id"]) == set(DISTRICTS)


def test_missing_preset_names_file(ds):
    with pytest.raises(ShapanError) as err:
        presets.load_preset("banan", "nonexistent", ds)
    assert err.value.code == "file_missing"
    assert "banan_nonexistent.toml" in err.value.message("en")


def test_preset_for_unknown_district(ds):
    with pytest.raises(ShapanError) as err:
        presets.load_preset("atlantis", "plan", ds)
    assert err.value.code == "unknown_district"


def test_load_bytes_accepts_bom_and_rejects_bad_bytes(ds):
    text = sc.dumps(sample())
    assert presets.load_bytes(b"\xef\xbb\xbf" + text.encode(), ds) == sample()
    with pytest.raises(ShapanError) as err:
        presets.load_bytes(b"\xff\xfe\x00bad", ds, file="up.toml")
    assert err.value.code == "encoding"
    assert "up.toml" in err.value.message("en")
    with pytest.raises(ShapanError) as err:
        presets.load_bytes(b"   \n", ds, file="blank.toml")
    assert err.value.code == "file_empty"
    with pytest.raises(ShapanError) as err:
        presets.load_bytes(b"#" * (5 * 1024 * 1024 + 1), ds, file="big.toml")
    assert err.value.code == "over_limit"


# ------------------------------------------------------------------------------------------------ names


@pytest.mark.parametrize("name", ["plan", "freeze", "stress", " plan "])
def test_preset_names_are_protected(tmp_path, name):
    with pytest.raises(ShapanError) as err:
        presets.save_user(sample(name), tmp_path)
    assert err.value.code == "preset_protected"
    assert list(tmp_path.iterdir()) == []


BAD_NAMES = ["../x", "/etc/passwd", "a/b", "a\\b", "", "   ", "x" * 100, "x" * 61, ".hidden", "-dash", "a b",
             "a.toml", "名字\n后", "a\x00b", "~", "..", "é/../x"]


@pytest.mark.parametrize("name", BAD_NAMES)
def test_bad_names_rejected(tmp_path, name):
    with pytest.raises(ShapanError) as err:
        presets.save_user(sample(name), tmp_path)
    assert err.value.code in ("bad_name", "preset_protected")
    assert list(tmp_path.iterdir()) == []
    assert not (tmp_path.parent / "x.toml").exists()


@pytest.mark.parametrize("name", ["方案A", "alt-2", "x" * 60, "高增长_2030"])
def test_good_names_accepted(tmp_path, name):
    path = presets.save_user(sample(name), tmp_path)
    assert path == tmp_path / f"banan_{name}.toml"


def test_bad_district_cannot_escape_folder(tmp_path):
    folder = tmp_path / "user"
    with pytest.raises(ShapanError):
        presets.save_user(sample("ok", district="../../escape"), folder)
    assert not any(tmp_path.rglob("*.toml"))


# ------------------------------------------------------------------------------------------------- save


def test_save_user_round_trips(tmp_path, ds):
    scen = sample()
    path = presets.save_user(scen, tmp_path)
    assert path.parent == tmp_path
    assert presets.load_user("banan", scen.name, ds, tmp_path) == scen
    assert presets.load_bytes(path.read_bytes(), ds) == scen
    assert leftovers(tmp_path) == []


def test_save_user_overwrites_own_scenario(tmp_path, ds):
    presets.save_user(sample(), tmp_path)
    changed = sample().with_params(beds__beds_built_per_year=1.0)
    presets.save_user(changed, tmp_path)
    assert presets.load_user("banan", changed.name, ds, tmp_path).params["beds.beds_built_per_year"] == 1.0
    assert len(list(tmp_path.glob("*.toml"))) == 1


def test_save_user_uses_env_folder(tmp_path, monkeypatch, ds):
    folder = tmp_path / "nested" / "scenarios"
    monkeypatch.setenv("SHAPAN_SCENARIO_DIR", str(folder))
    assert presets.user_dir() == folder
    path = presets.save_user(sample())
    assert path.parent == folder
    assert presets.list_user("banan") == [sample().name]
    assert presets.load_user("banan", sample().name, ds) == sample()


def test_save_never_writes_into_preset_folder(tmp_path, monkeypatch):
    monkeypatch.setenv("SHAPAN_SCENARIO_DIR", str(tmp_path))
    before = sorted(presets.PRESET_DIR.iterdir())
    presets.save_user(sample())
    assert sorted(presets.PRESET_DIR.iterdir()) == before


def test_list_user(tmp_path):
    assert presets.list_user("banan", tmp_path / "missing") == []
    for name in ("b方案", "a方案"):
        presets.save_user(sample(name), tmp_path)
    presets.save_user(sample("other", district="wulong"), tmp_path)
    assert presets.list_user("banan", tmp_path) == ["a方案", "b方案"]
    assert presets.list_user("wulong", tmp_path) == ["other"]
    assert presets.list_user("zhushan", tmp_path) == []


def test_load_user_missing(tmp_path, ds):
    with pytest.raises(ShapanError) as err:
        presets.load_user("banan", "nothing", ds, tmp_path)
    assert err.value.code == "file_missing"
    with pytest.raises(ShapanError) as err:
        presets.load_user("banan", "../x", ds, tmp_path)
    assert err.value.code == "bad_name"


# -------------------------------------------------------------------------------------------- atomicity


def test_failed_write_leaves_no_temp_file_and_keeps_old(tmp_path, monkeypatch, ds):
    old = presets.save_user(sample(), tmp_path)
    old_text = old.read_text(encoding="utf-8")

    def boom(_scenario):
        raise RuntimeError("disk full")

    monkeypatch.setattr(sc, "dumps", boom)
    with pytest.raises(RuntimeError, match="disk full"):
        presets.save_user(sample().with_params(beds__beds_built_per_year=1.0), tmp_path)
    assert leftovers(tmp_path) == []
    assert old.read_text(encoding="utf-8") == old_text


def test_failed_replace_leaves_no_temp_file(tmp_path, monkeypatch):
    def refuse(_src, _dst):
        raise OSError("cross-device")

    monkeypatch.setattr(os, "replace", refuse)
    with pytest.raises(OSError, match="cross-device"):
        presets.save_user(sample(), tmp_path)
    assert list(tmp_path.iterdir()) == []


def test_save_is_atomic_via_replace(tmp_path, monkeypatch):
    calls = []
    real_replace = os.replace

    def spy(src, dst):
        calls.append((Path(src), Path(dst)))
        assert Path(src).parent == tmp_path
        assert Path(src).name.startswith(".tmp-")
        assert Path(src).read_text(encoding="utf-8") == sc.dumps(sample())  # complete before the rename
        real_replace(src, dst)

    monkeypatch.setattr(os, "replace", spy)
    path = presets.save_user(sample(), tmp_path)
    assert calls == [(calls[0][0], path)]
