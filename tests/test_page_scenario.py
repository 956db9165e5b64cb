"""AppTest: the sidebar scenario panel (select, save, upload, share link) and the lever widgets.

Every test runs with ``SHAPAN_SCENARIO_DIR`` pointing at a temporary folder, so nothing is written to the
user's home. Hashes are read from the sidebar caption (the hash of the resolved current scenario).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from apptest_helpers import HASH_RE, assert_ok, new_app, scenario_hash
from streamlit.testing.v1 import AppTest

from models import presets
from models.data import dataset
from models.errors import MESSAGES
from models.resolve import resolve
from pages._ui import load_locale

ROOT = Path(__file__).resolve().parent.parent
APP = str(ROOT / "app.py")
ZH, EN = load_locale("zh"), load_locale("en")

LOS = "beds.los_mean_years"


@pytest.fixture(autouse=True)
def scenario_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "scenarios"
    monkeypatch.setenv("SHAPAN_SCENARIO_DIR", str(folder))
    return folder


def status_caption(at: AppTest) -> str:
    return next(c.value for c in at.sidebar.caption if HASH_RE.search(c.value))


def plan_hash(district: str) -> str:
    """Hash of the default scenario (the ``baseline`` preset: the app opens on the business-as-usual forecast)."""
    ds = dataset()
    return resolve(presets.load_preset(district, "baseline", ds), ds).hash


def errors(at: AppTest) -> list[str]:
    return [e.value for e in at.error]


# -------------------------------------------------------------------------------------------- select


def test_sidebar_shows_plan_preset_name_and_hash() -> None:
    at = new_app()
    assert_ok(at)
    pick = at.sidebar.selectbox(key="sc_pick_chengkou")
    assert pick.value == "preset:baseline"
    assert pick.options[:4] == [
        ZH["scenario.origin_preset"].format(name=ZH[f"scenario.preset_{n}"])
        for n in ("baseline", "plan", "freeze", "stress")
    ]
    assert scenario_hash(at) == plan_hash("chengkou")
    assert ZH["scenario.modified"] not in status_caption(at)
    assert at.query_params == {"lang": "zh", "district": "chengkou"}  # no ?s= unless shared


def test_pick_preset_then_change_marks_modified_and_reset_restores() -> None:
    at = new_app()
    at.sidebar.selectbox(key="sc_pick_chengkou").select("preset:stress").run()
    assert_ok(at)
    stress = scenario_hash(at)
    assert stress != plan_hash("chengkou")
    assert ZH["scenario.preset_stress"] in status_caption(at)
    at.switch_page("pages/population.py").run()
    at.number_input(key="population.mortality_multiplier").set_value(1.2).run()
    assert_ok(at)
    assert scenario_hash(at) != stress
    assert ZH["scenario.modified"] in status_caption(at)
    at.sidebar.button(key="sc_reset_chengkou").click().run()
    assert scenario_hash(at) == stress
    assert ZH["scenario.modified"] not in status_caption(at)


def test_district_switch_keeps_each_districts_scenario() -> None:
    at = new_app()
    at.sidebar.selectbox(key="sc_pick_chengkou").select("preset:freeze").run()
    freeze = scenario_hash(at)
    at.selectbox(key="district").select("wulong").run()
    assert_ok(at)
    assert at.sidebar.selectbox(key="sc_pick_wulong").value == "preset:baseline"
    assert scenario_hash(at) == plan_hash("wulong")
    at.selectbox(key="district").select("chengkou").run()
    assert at.sidebar.selectbox(key="sc_pick_chengkou").value == "preset:freeze"
    assert scenario_hash(at) == freeze


# ---------------------------------------------------------------------------------------------- save


def test_save_keeps_scenario_in_session_and_folder(scenario_dir: Path) -> None:
    at = new_app()
    at.sidebar.selectbox(key="sc_pick_chengkou").select("preset:stress").run()
    expected = scenario_hash(at)
    manage(at)
    at.sidebar.text_input(key="sc_name_chengkou").input("加快农村低保").run()
    at.sidebar.button(key="sc_save_chengkou").click().run()
    assert_ok(at)
    assert errors(at) == []
    assert (scenario_dir / "chengkou_加快农村低保.toml").is_file()
    saved = [m.value for m in at.sidebar.success]
    assert any("加快农村低保" in m for m in saved)
    assert not any(str(scenario_dir) in m or "/" in m for m in saved), "no server path in the message"
    pick = at.sidebar.selectbox(key="sc_pick_chengkou")
    assert pick.value == "saved:加快农村低保"
    assert scenario_hash(at) == expected
    at.sidebar.selectbox(key="sc_pick_chengkou").select("preset:plan").run()
    at.sidebar.selectbox(key="sc_pick_chengkou").select("saved:加快农村低保").run()
    assert scenario_hash(at) == expected
    download = at.sidebar.get("download_button")
    assert download, "TOML download offered"


@pytest.mark.parametrize("name", ["plan", "freeze", "stress"])
def test_preset_name_refused_on_save(name: str, scenario_dir: Path) -> None:
    at = new_app()
    before = scenario_hash(at)
    manage(at)
    at.sidebar.text_input(key="sc_name_chengkou").input(name).run()
    at.sidebar.button(key="sc_save_chengkou").click().run()
    assert_ok(at)
    assert errors(at) == [MESSAGES["preset_protected"][0].format(name=name)]
    assert scenario_hash(at) == before
    assert not scenario_dir.exists() or not list(scenario_dir.iterdir())


def test_preset_name_refused_in_english() -> None:
    at = new_app(lang="en")
    manage(at)
    at.sidebar.text_input(key="sc_name_chengkou").input("plan").run()
    at.sidebar.button(key="sc_save_chengkou").click().run()
    assert errors(at) == [MESSAGES["preset_protected"][1].format(name="plan")]


def test_bad_name_refused() -> None:
    at = new_app()
    manage(at)
    at.sidebar.text_input(key="sc_name_chengkou").input("../etc").run()
    at.sidebar.button(key="sc_save_chengkou").click().run()
    assert_ok(at)
    assert len(errors(at)) == 1
    assert "../etc" in errors(at)[0]


# -------------------------------------------------------------------------------------------- upload


def manage(at: AppTest) -> AppTest:
    """Open the sidebar's 管理方案 box (save, upload, share), as a click does: it is built only while open."""
    at.session_state["sc_manage"] = True
    return at.run()


def upload(at: AppTest, name: str, body: bytes) -> AppTest:
    if not at.sidebar.get("file_uploader"):
        manage(at)
    at.sidebar.get("file_uploader")[0].set_value((name, body, "application/toml"))
    return at.run()


def test_upload_bad_toml_names_the_key_and_leaves_scenario() -> None:
    at = new_app()
    at.sidebar.selectbox(key="sc_pick_chengkou").select("preset:freeze").run()
    before = scenario_hash(at)
    body = b'[scenario]\nname = "x"\ndistrict = "chengkou"\n\n[benefits]\nno_such_growth = 3.0\n'
    upload(at, "bad.toml", body)
    assert_ok(at)
    assert len(errors(at)) == 1
    assert "benefits.no_such_growth" in errors(at)[0]
    assert "bad.toml" in errors(at)[0]
    assert ZH["scenario.upload_unchanged"] in [i.value for i in at.info]
    assert scenario_hash(at) == before
    assert at.sidebar.selectbox(key="sc_pick_chengkou").value == "preset:freeze"


def test_upload_out_of_range_and_garbage() -> None:
    at = new_app()
    before = scenario_hash(at)
    body = b'[scenario]\nname = "x"\ndistrict = "chengkou"\n[beds]\nlos_mean_years = 99.0\n'
    upload(at, "range.toml", body)
    assert "beds.los_mean_years" in errors(at)[0]
    upload(at, "junk.toml", b"\xff\xfe not toml at all [[[")
    assert_ok(at)
    assert len(errors(at)) == 1
    assert scenario_hash(at) == before


def test_upload_valid_scenario_of_another_district_switches_district() -> None:
    ds = dataset()
    scen = presets.load_preset("wulong", "stress", ds).with_params(**{LOS: 3.5})
    from models.scenario import dumps

    at = new_app()
    upload(at, "wulong.toml", dumps(scen).encode("utf-8"))
    assert_ok(at)
    assert errors(at) == []
    assert at.selectbox(key="district").value == "wulong"
    assert scenario_hash(at) == resolve(scen, ds).hash
    assert at.sidebar.selectbox(key="sc_pick_wulong").value == "upload:stress"


# ---------------------------------------------------------------------------------------- share link


def test_share_link_round_trips_in_a_new_session() -> None:
    at = new_app()
    at.sidebar.selectbox(key="sc_pick_chengkou").select("preset:stress").run()
    at.switch_page("pages/population.py").run()
    at.number_input(key="population.mortality_multiplier").set_value(1.3).run()
    manage(at)
    at.sidebar.button(key="sc_share").click().run()
    assert_ok(at)
    token = at.query_params["s"]
    expected = scenario_hash(at)
    assert 0 < len(token) < 2000
    assert at.sidebar.get("code"), "the share link is shown"

    other = new_app(lang="zh", district="chengkou", s=token)
    assert_ok(other)
    assert errors(other) == []
    assert scenario_hash(other) == expected
    assert other.sidebar.selectbox(key="sc_pick_chengkou").value == "url:stress"


def test_share_link_follows_changes_and_district() -> None:
    at = new_app()
    manage(at)
    at.sidebar.button(key="sc_share").click().run()
    first = at.query_params["s"]
    at.sidebar.selectbox(key="sc_pick_chengkou").select("preset:freeze").run()
    assert at.query_params["s"] != first
    at.selectbox(key="district").select("zhushan").run()
    other = new_app(s=at.query_params["s"])
    assert other.selectbox(key="district").value == "zhushan"
    assert scenario_hash(other) == plan_hash("zhushan")


@pytest.mark.parametrize("token", ["garbled!!", "eJwrSS0u0c3IzEvOL0pVBAA", "A" * 50, "x" * 30_000])
def test_garbled_share_link_falls_back_to_plan(token: str) -> None:
    at = new_app(s=token)
    assert_ok(at)
    assert len(errors(at)) == 1
    assert ZH["scenario.url_fallback"] in [w.value for w in at.warning]
    assert scenario_hash(at) == plan_hash("chengkou")
    assert "s" not in at.query_params


def test_hostile_412_char_link_is_refused_cleanly() -> None:
    """The issue's link: 412 characters inflating to 240 KB of a.a.….a = 1 (minutes of CPU before)."""
    import base64
    import zlib

    payload = ("a" + ".a" * 120_000 + " = 1\n").encode()
    token = base64.urlsafe_b64encode(zlib.compress(payload, 9)).decode().rstrip("=")
    at = new_app(s=token)
    assert_ok(at)
    assert len(errors(at)) == 1
    assert "?s=" in errors(at)[0]
    assert "64 KB" in errors(at)[0]
    assert scenario_hash(at) == plan_hash("chengkou")
    assert "s" not in at.query_params


def test_share_link_over_budget_is_not_generated() -> None:
    from models import limits

    at = new_app()
    with limits.override(share_link_chars=40):
        manage(at)
        at.sidebar.button(key="sc_share").click().run()
    assert_ok(at)
    assert "s" not in at.query_params
    assert len(errors(at)) == 1
    assert "40" in errors(at)[0]
    assert not at.sidebar.get("code"), "no link that would not open"


def test_share_link_with_invalid_scenario_names_the_key() -> None:
    import base64
    import zlib

    text = '[scenario]\nname = "x"\ndistrict = "chengkou"\n[population]\nmortality_multiplier = 9.0\n'
    token = base64.urlsafe_b64encode(zlib.compress(text.encode())).decode().rstrip("=")
    at = new_app(s=token)
    assert_ok(at)
    assert "population.mortality_multiplier" in errors(at)[0]
    assert scenario_hash(at) == plan_hash("chengkou")


# ------------------------------------------------------------------------------------------ sessions


def test_two_sessions_never_see_each_others_scenario() -> None:
    one, two = new_app(), new_app()
    base = scenario_hash(two)
    one.switch_page("pages/population.py").run()
    one.number_input(key="population.mortality_multiplier").set_value(0.8).run()
    assert scenario_hash(one) != base
    two.run()
    assert scenario_hash(two) == base
    two.sidebar.selectbox(key="sc_pick_chengkou").select("preset:stress").run()
    changed_one = scenario_hash(one)
    one.run()
    assert scenario_hash(one) == changed_one
    assert one.sidebar.selectbox(key="sc_pick_chengkou").value == "preset:baseline"


# -------------------------------------------------------------------------------------------- levers


def test_lever_shows_provenance_and_reset() -> None:
    at = new_app()
    at.switch_page("pages/population.py").run()
    key = "population.mortality_multiplier"
    assert f":orange-badge[{ZH['levers.prov_assumption']}]" in [c.value for c in at.caption]
    assert "死亡率" in at.number_input(key=key).label
    assert ZH["levers.prov_assumption"] in at.number_input(key=key).help
    at.number_input(key=key).set_value(1.1).run()
    assert f":blue-badge[{ZH['levers.prov_user']}]" in [c.value for c in at.caption]
    reset = f"{key}__reset"
    assert reset in [b.key for b in at.button]
    at.button(key=reset).click().run()
    assert_ok(at)
    assert at.number_input(key=key).value == 1.0
    assert reset not in [b.key for b in at.button]
    assert scenario_hash(at) == plan_hash("chengkou")


def test_lever_follows_scenario_loaded_in_sidebar() -> None:
    at = new_app()
    at.switch_page("pages/population.py").run()
    key = "population.mortality_multiplier"
    at.sidebar.selectbox(key="sc_pick_chengkou").select("preset:stress").run()
    assert at.number_input(key=key).value == pytest.approx(0.85)
    at.sidebar.selectbox(key="sc_pick_chengkou").select("preset:plan").run()
    assert at.number_input(key=key).value == pytest.approx(1.0)


def test_language_switch_translates_panel() -> None:
    at = new_app()
    at.radio(key="lang").set_value("en").run()
    assert_ok(at)
    pick = at.sidebar.selectbox(key="sc_pick_chengkou")
    assert pick.label == EN["scenario.select"]
    assert EN["scenario.preset_baseline"] in status_caption(at)


def test_manage_box_is_built_only_while_open() -> None:
    """Save, upload and share sit in a box every rerun of every page would otherwise build."""
    at = new_app()
    assert not at.sidebar.get("file_uploader")
    assert "sc_save_chengkou" not in [b.key for b in at.sidebar.button]
    manage(at)
    assert len(at.sidebar.get("file_uploader")) == 1
    assert "sc_save_chengkou" in [b.key for b in at.sidebar.button]
    assert_ok(at)
