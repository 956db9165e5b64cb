"""Tests for models.scenario: TOML round trip, strict validation messages, robustness, canonical hash."""

from __future__ import annotations

import contextlib
import copy
import dataclasses
import math
import pickle

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from models import presets
from models import scenario as sc
from models.data import dataset
from models.errors import ShapanError
from models.resolve import resolve

HEAD = '[scenario]\nname = "t"\ndistrict = "chengkou"\n'


@pytest.fixture(scope="module")
def ds():
    return dataset()


def load(text: str, ds) -> sc.Scenario:
    return sc.loads(text, file="t.toml", districts=list(ds.districts["id"]), assumptions=ds.assumptions)


def error_of(text: str, ds) -> ShapanError:
    with pytest.raises(ShapanError) as err:
        load(text, ds)
    return err.value


# -------------------------------------------------------------------------------------------- round trip


def full_scenario() -> sc.Scenario:
    return sc.Scenario(
        name="全参数", district="wulong", end_year=2030, seed=7, notes="备注 notes",
        params=sc.FrozenDict({
            "benefits.dibao_rural_growth_pct": 8.5, "benefits.rule": "convergence",
            "benefits.target_ratio_year": 2027, "beds.include_plan_projects": False,
            "beds.beds_built_per_year": 120.0, "population.mortality_multiplier": 0.9,
            "uncertainty.draws": 500, "budget.dibao_rural_recipients": 1234.0,
        }),
        projects=(sc.UserProject(2023, 200, 120, "social", "新院"), sc.UserProject(2025, 50)),
    )


def test_round_trip_dumps_loads_equal(ds):
    scen = full_scenario()
    back = load(sc.dumps(scen), ds)
    assert back == scen
    assert dict(back.params) == dict(scen.params)
    assert back.projects == scen.projects


@pytest.mark.parametrize("path", sorted(presets.PRESET_DIR.glob("*.toml")), ids=lambda p: p.stem)
def test_preset_files_round_trip(path, ds):
    scen = load(path.read_text(encoding="utf-8"), ds)
    assert load(sc.dumps(scen), ds) == scen


def test_round_trip_keeps_types(ds):
    back = load(sc.dumps(full_scenario()), ds)
    assert isinstance(back.params["benefits.target_ratio_year"], int)
    assert isinstance(back.params["uncertainty.draws"], int)
    assert back.params["beds.include_plan_projects"] is False
    assert isinstance(back.params["benefits.dibao_rural_growth_pct"], float)


# -------------------------------------------------------------------------------------------- validation


def test_unknown_section_names_it_and_lists_sections(ds):
    err = error_of(HEAD + "[foo]\nx = 1\n", ds)
    assert err.code == "unknown_key"
    msg = err.message("en")
    assert "'foo'" in msg
    for section in sc.SECTIONS:
        assert section in msg


def test_unknown_key_names_key_and_lists_allowed(ds):
    err = error_of(HEAD + "[benefits]\ndibao_rural_growth = 5.0\n", ds)
    assert err.code == "unknown_key"
    msg = err.message("en")
    assert "'benefits.dibao_rural_growth'" in msg
    assert "allowed:" in msg
    assert "benefits.dibao_rural_growth_pct" in msg
    assert "beds.beds_built_per_year" in msg
    assert "benefits.dibao_rural_growth" in err.message("zh")


def test_unknown_scenario_key_lists_meta_keys(ds):
    err = error_of(HEAD + "colour = 'red'\n", ds)
    assert err.fields["key"] == "scenario.colour"
    assert all(k in err.fields["allowed"] for k in sc.META_KEYS)


def test_unknown_project_key_names_index(ds):
    err = error_of(HEAD + "[[beds.projects]]\nyear_open = 2022\nbeds = 10\nfloor = 3\n", ds)
    assert err.code == "unknown_key"
    assert err.fields["key"] == "beds.projects[0].floor"
    assert "year_open" in err.fields["allowed"]


@pytest.mark.parametrize(("body", "key", "expected"), [
    ('[benefits]\ndibao_rural_growth_pct = "5"\n', "benefits.dibao_rural_growth_pct", "number"),
    ("[benefits]\ntarget_ratio_year = 2025.5\n", "benefits.target_ratio_year", "integer"),
    ("[beds]\ninclude_plan_projects = 1\n", "beds.include_plan_projects", "true/false"),
    ("[beds]\nbeds_built_per_year = true\n", "beds.beds_built_per_year", "number"),
    ("[uncertainty]\ndraws = true\n", "uncertainty.draws", "integer"),
    ("[benefits]\nrule = 3\n", "benefits.rule", "text"),
    ('[benefits]\nrule = "magic"\n', "benefits.rule", "fixed_growth"),
    ("[beds]\nbase_beds = nan\n", "beds.base_beds", "number"),
    ("[beds]\nbase_beds = inf\n", "beds.base_beds", "number"),
    ('[[beds.projects]]\nyear_open = "2022"\nbeds = 10\n', "beds.projects[0].year_open", "integer"),
    ("[[beds.projects]]\nyear_open = 2022\nbeds = 10.5\n", "beds.projects[0].beds", "integer"),
    ('[scenario.x]\n', "scenario.x", ""),
])
def test_wrong_type_names_key_and_expected(ds, body, key, expected):
    err = error_of(HEAD + body, ds)
    assert err.fields["key"] == key, err.message("en")
    if expected:
        assert err.code == "wrong_type"
        assert expected in err.message("en")
        assert f"'{key}'" in err.message("en")


def test_float_that_is_an_integer_is_accepted_for_int(ds):
    scen = load(HEAD + "[benefits]\ntarget_ratio_year = 2027.0\n", ds)
    assert scen.params["benefits.target_ratio_year"] == 2027
    assert isinstance(scen.params["benefits.target_ratio_year"], int)


def test_growth_150_pct_out_of_range_names_key_and_range(ds):
    err = error_of(HEAD + "[benefits]\ndibao_rural_growth_pct = 150.0\n", ds)
    assert err.code == "out_of_range"
    msg = err.message("en")
    assert "'benefits.dibao_rural_growth_pct'" in msg
    assert "150" in msg
    assert "[-50, 100]" in msg
    assert "[-50, 100]" in err.message("zh")


def test_assumption_range_comes_from_assumptions_toml(ds):
    entry = ds.assumptions["population.mortality_multiplier"]
    err = error_of(HEAD + f"[population]\nmortality_multiplier = {entry.max + 1}\n", ds)
    assert err.code == "out_of_range"
    assert (err.fields["min"], err.fields["max"]) == (entry.min, entry.max)
    assert f"[{entry.min}, {entry.max}]" in err.message("en")


def test_negative_project_beds_out_of_range(ds):
    err = error_of(HEAD + "[[beds.projects]]\nyear_open = 2022\nbeds = -5\n", ds)
    assert err.code == "out_of_range"
    assert "'beds.projects[0].beds'" in err.message("en")
    assert "[0, 100000]" in err.message("en")


def test_second_project_error_names_its_index(ds):
    err = error_of(HEAD + "[[beds.projects]]\nyear_open = 2022\nbeds = 5\n"
                          "[[beds.projects]]\nyear_open = 2022\nbeds = 5\nnursing_beds = 6\n", ds)
    assert err.fields["key"] == "beds.projects[1].nursing_beds"
    assert err.fields["max"] == 5


def test_zero_elderly_population_rejected_naming_the_scenario_key(ds):
    err = error_of(HEAD + "[population]\npop_60plus_base = 0.0\n", ds)
    assert err.fields["key"] == "population.pop_60plus_base"


def test_project_year_open_2050_out_of_range(ds):
    err = error_of(HEAD + "[[beds.projects]]\nyear_open = 2050\nbeds = 5\n", ds)
    assert err.code == "out_of_range"
    assert err.fields["key"] == "beds.projects[0].year_open"
    assert "[2021, 2035]" in err.message("en")  # after the base year, not after the end year (issue 10)


def test_project_missing_beds(ds):
    err = error_of(HEAD + "[[beds.projects]]\nyear_open = 2022\n", ds)
    assert err.code == "missing_key"
    assert err.fields["key"] == "beds.projects[0].beds"


def test_project_bad_operator_lists_operators(ds):
    err = error_of(HEAD + '[[beds.projects]]\nyear_open = 2022\nbeds = 5\noperator = "army"\n', ds)
    assert err.fields["key"] == "beds.projects[0].operator"
    assert "gov" in err.fields["expected"]
    assert "social" in err.fields["expected"]


@pytest.mark.parametrize("missing", ["name", "district"])
def test_missing_name_or_district(ds, missing):
    lines = {"name": 'name = "t"\n', "district": 'district = "chengkou"\n'}
    text = "[scenario]\n" + "".join(v for k, v in lines.items() if k != missing)
    err = error_of(text, ds)
    assert err.code == "missing_key"
    assert err.fields["key"] == f"scenario.{missing}"
    assert f"scenario.{missing}" in err.message("zh")


def test_missing_scenario_section(ds):
    err = error_of("[benefits]\ndibao_rural_growth_pct = 5.0\n", ds)
    assert err.code == "missing_key"
    assert err.fields["key"] == "scenario"


def test_unknown_district_lists_districts(ds):
    err = error_of('[scenario]\nname = "t"\ndistrict = "atlantis"\n', ds)
    assert err.code == "unknown_district"
    msg = err.message("en")
    assert "atlantis" in msg
    for d in ds.districts["id"]:
        assert d in msg


def test_broken_toml_names_file(ds):
    err = error_of('[scenario\nname = "t"\n', ds)
    assert err.code == "toml_syntax"
    assert "t.toml" in err.message("en")
    assert "line 1" in err.message("en")


@pytest.mark.parametrize("year", [2019, 2021, 2015])
def test_base_year_must_be_2020(ds, year):
    err = error_of(HEAD + f"base_year = {year}\n", ds)
    assert err.code == "out_of_range"
    assert err.fields["key"] == "scenario.base_year"
    assert "[2020, 2020]" in err.message("en")


@pytest.mark.parametrize(("end_year", "lo"), [(2024, 2025), (2036, 2015), (1990, 2015)])
def test_end_year_range(ds, end_year, lo):
    err = error_of(HEAD + f"end_year = {end_year}\n", ds)
    assert err.fields["key"] == "scenario.end_year"
    assert err.fields["min"] == lo


def test_negative_seed_rejected(ds):
    err = error_of(HEAD + "seed = -1\n", ds)
    assert err.fields["key"] == "scenario.seed"


def test_defaults_when_only_name_and_district(ds):
    scen = load(HEAD, ds)
    assert (scen.base_year, scen.end_year) == (2020, 2035)
    assert (scen.params, scen.projects) == (sc.FrozenDict({}), ())


def test_with_params_and_without_param_do_not_mutate():
    scen = sc.Scenario(name="a", district="chengkou")
    changed = scen.with_params(benefits__dibao_rural_growth_pct=3.0, **{"beds.beds_built_per_year": 10.0})
    assert dict(scen.params) == {}
    assert dict(changed.params) == {"benefits.dibao_rural_growth_pct": 3.0, "beds.beds_built_per_year": 10.0}
    dropped = changed.without_param("beds.beds_built_per_year")
    assert dict(dropped.params) == {"benefits.dibao_rural_growth_pct": 3.0}
    with pytest.raises(dataclasses.FrozenInstanceError):
        scen.name = "b"  # type: ignore[misc]


def test_scenario_and_resolved_pickle_and_deepcopy(ds):
    """st.cache_data pickles its arguments and results: a Scenario and a Resolved must survive it."""
    scen = full_scenario()
    assert pickle.loads(pickle.dumps(scen)) == scen
    assert copy.deepcopy(scen) == scen
    res = resolve(scen, ds)
    back = pickle.loads(pickle.dumps(res))
    assert back.hash == res.hash
    assert dict(back.provenance) == dict(res.provenance)
    with pytest.raises(TypeError):
        back.scenario.params["benefits.rule"] = "consumption"


# ----------------------------------------------------------------------------- robustness (hypothesis)

toml_scalars = st.one_of(
    st.booleans(), st.integers(min_value=-(2**63), max_value=2**63 - 1),
    st.floats(allow_nan=True, allow_infinity=True), st.text(max_size=8),
)
known_keys = st.sampled_from(sorted({k.split(".", 1)[1] for k in sc.PARAMS} | set(sc.META_KEYS)
                                    | set(sc.PROJECT_KEYS) | {"projects", "x"}))
toml_values = st.recursive(
    toml_scalars,
    lambda inner: st.one_of(st.lists(inner, max_size=3),
                            st.dictionaries(st.one_of(known_keys, st.text(max_size=5)), inner, max_size=4)),
    max_leaves=12,
)
sections = st.sampled_from([*sorted(sc.SECTIONS), "other"])
districts = st.one_of(st.sampled_from(["chengkou", "banan", "xx"]), toml_values)
meta_dicts = st.fixed_dictionaries({}, optional={
    "name": toml_values, "district": districts, "base_year": toml_values, "end_year": toml_values,
    "seed": toml_values, "notes": toml_values,
})
bodies = st.one_of(meta_dicts, st.dictionaries(known_keys, toml_values, max_size=4), toml_values)
documents = st.dictionaries(sections, bodies, max_size=5)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(doc=documents)
def test_from_dict_only_raises_shapan_error(doc):
    ds = dataset()
    try:
        scen = sc.from_dict(doc, file="h.toml", districts=list(ds.districts["id"]),
                            assumptions=ds.assumptions)
    except ShapanError as err:
        messages = (err.message("en"), err.message("zh"))
    else:
        assert isinstance(scen, sc.Scenario)
        return
    assert all(messages)


@settings(max_examples=150, deadline=None)
@given(text=st.one_of(st.text(max_size=200), st.text(alphabet='[]=."\n abcdeios_0123456789', max_size=120)))
def test_loads_random_text_only_raises_shapan_error(text):
    ds = dataset()
    with contextlib.suppress(ShapanError):
        load(text, ds)


@settings(max_examples=150, deadline=None)
@given(key=st.sampled_from(sorted(sc.PARAMS)), value=toml_scalars)
def test_any_value_for_any_param_is_validated_or_rejected(key, value):
    ds = dataset()
    section, name = key.split(".", 1)
    doc = {"scenario": {"name": "h", "district": "chengkou"}, section: {name: value}}
    try:
        scen = sc.from_dict(doc, districts=list(ds.districts["id"]), assumptions=ds.assumptions)
    except ShapanError:
        return
    stored = scen.params[key]
    assert isinstance(stored, sc.PARAMS[key].kind)
    if isinstance(stored, float):
        assert math.isfinite(stored)


# ------------------------------------------------------------------------------------------------- hash


def test_canonical_hash_key_order_irrelevant():
    a = {"x": 1.0, "y": "b", "z": None}
    b = {"z": None, "y": "b", "x": 1.0}
    projects = [[2022, 10, None, ""]]
    assert sc.canonical_hash(a, projects, "v1") == sc.canonical_hash(b, projects, "v1")


def test_canonical_hash_changes_with_values_projects_and_data_version():
    base = sc.canonical_hash({"x": 1.0}, [], "v1")
    assert sc.canonical_hash({"x": 1.0000001}, [], "v1") != base
    assert sc.canonical_hash({"x": 1.0}, [[2022, 10, None, ""]], "v1") != base
    assert sc.canonical_hash({"x": 1.0}, [], "v2") != base
    assert len(base) == 12


def test_same_resolved_values_same_hash_regardless_of_file_order(ds):
    a = load(HEAD + "[benefits]\ndibao_rural_growth_pct = 4.0\ndibao_urban_growth_pct = 3.0\n"
                    "[beds]\nbeds_built_per_year = 10.0\n", ds)
    b = load('[beds]\nbeds_built_per_year = 10.0\n[benefits]\ndibao_urban_growth_pct = 3.0\n'
             'dibao_rural_growth_pct = 4.0\n[scenario]\ndistrict = "chengkou"\nname = "other name"\n', ds)
    assert resolve(a, ds).hash == resolve(b, ds).hash


def test_explicit_default_gives_same_hash(ds, chengkou_plan):
    plain = chengkou_plan
    keys = ("benefits.dibao_rural_growth_pct", "population.mortality_multiplier")
    explicit = plain.scenario.with_params(**{k: plain[k] for k in keys})
    again = resolve(explicit, ds)
    assert again.provenance["benefits.dibao_rural_growth_pct"] == "user"
    assert again.hash == plain.hash


def _changed_value(key: str, current):
    spec = sc.PARAMS[key]
    if spec.kind is bool:
        return not current
    if spec.kind is str:
        return next(c for c in spec.choices if c != current)
    lo, hi = sc.param_range(key, dataset().assumptions)
    if isinstance(current, float) and math.isnan(current):
        return spec.kind(lo if lo is not None else 1) + 1
    step = 1 if spec.kind is int else 0.01 * max(abs(current), 1)
    candidate = current + step
    if hi is not None and candidate > hi:
        candidate = current - step
    return spec.kind(candidate)


@pytest.fixture(scope="module")
def chengkou_plan(ds):
    return resolve(presets.load_preset("chengkou", "plan", ds), ds)


@pytest.mark.parametrize("key", sorted(sc.PARAMS))
def test_any_parameter_change_changes_hash(ds, chengkou_plan, key):
    base = chengkou_plan
    changed = resolve(base.scenario.with_params(**{key: _changed_value(key, base[key])}), ds)
    assert changed[key] != base[key]
    assert changed.hash != base.hash, f"changing {key} left the scenario hash unchanged"


@pytest.mark.parametrize("change", [
    {"end_year": 2030}, {"seed": 1}, {"district": "wulong"},
    {"projects": (sc.UserProject(2023, 100),)},
])
def test_meta_and_project_changes_change_hash(ds, chengkou_plan, change):
    assert resolve(dataclasses.replace(chengkou_plan.scenario, **change), ds).hash != chengkou_plan.hash


def test_name_and_notes_do_not_change_hash(ds, chengkou_plan):
    renamed = dataclasses.replace(chengkou_plan.scenario, name="另一个", notes="x")
    assert resolve(renamed, ds).hash == chengkou_plan.hash


def test_diff_lists_changed_keys():
    assert sc.diff({"a": 1, "b": 2}, {"a": 1, "b": 3, "c": 4}) == [("b", 2, 3), ("c", None, 4)]
