"""One validator per concept (issue 10): a capacity project is accepted or refused alike whether it comes
from a scenario file (TOML: upload, share link, CLI) or from the beds page's editor; funding shares that
add up to more than 100 % are refused in files and by the lever setter alike."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from models import cli, presets
from models import scenario as sc
from models import user_projects as up
from models.data import dataset
from models.errors import ShapanError

HEAD = '[scenario]\nname = "x"\ndistrict = "banan"\n'


def from_toml(project: dict, end_year: int = 2035) -> tuple:
    body = "\n".join(f"{k} = {v!r}".replace("'", '"') for k, v in project.items() if v is not None)
    text = HEAD + f"end_year = {end_year}\n[[beds.projects]]\n{body}\n"
    return presets.load_text(text, dataset(), file="p.toml").projects


def from_editor(project: dict, end_year: int = 2035) -> tuple:
    return up.from_records([{c: project.get(c) for c in up.COLUMNS}], 2020, end_year)


@pytest.mark.parametrize(("year", "end_year"), [(2020, 2035), (2015, 2035), (2019, 2035), (2031, 2030),
                                                (2036, 2035)])
def test_year_open_outside_the_scenario_refused_everywhere(year, end_year):
    project = {"year_open": year, "beds": 500}
    with pytest.raises(ShapanError) as toml_err:
        from_toml(project, end_year)
    with pytest.raises(ShapanError) as editor_err:
        from_editor(project, end_year)
    assert toml_err.value.fields["key"] == "beds.projects[0].year_open"
    assert (toml_err.value.fields["min"], toml_err.value.fields["max"]) == (2021, end_year)
    assert (editor_err.value.fields["lo"], editor_err.value.fields["hi"]) == (2021, end_year)


def test_cli_refuses_a_project_at_the_base_year(capsys, tmp_path):
    """Before issue 10 this run succeeded with the project silently ignored (new hash, same numbers)."""
    path = tmp_path / "p.toml"
    path.write_text(HEAD + "[[beds.projects]]\nyear_open = 2020\nbeds = 500\n")
    assert cli.main(["run", "--scenario", str(path), "--json"]) == 2
    err = capsys.readouterr().err
    assert "beds.projects[0].year_open" in err
    assert "[2021, 2035]" in err


projects = st.fixed_dictionaries(
    {"year_open": st.integers(2013, 2038), "beds": st.integers(-5, 100_005)},
    optional={"nursing_beds": st.integers(-5, 100_005), "operator": st.sampled_from(["", "gov", "social", "x"])},
)


@settings(max_examples=150, deadline=None)
@given(project=projects, end_year=st.integers(2025, 2035))
def test_file_and_editor_agree(project, end_year):
    outcomes = []
    for read in (from_toml, from_editor):
        try:
            outcomes.append(read(project, end_year))
        except ShapanError:
            outcomes.append("refused")
    assert outcomes[0] == outcomes[1]


@pytest.mark.parametrize(("central", "municipal", "ok"), [(100, 100, False), (60, 41, False), (60, 40, True),
                                                          (0, 100, True)])
def test_funding_shares_sum(central, municipal, ok):
    text = HEAD + f"[budget]\nshare_central_pct = {central}\nshare_municipal_pct = {municipal}\n"
    if ok:
        presets.load_text(text, dataset())
        return
    with pytest.raises(ShapanError) as err:
        presets.load_text(text, dataset())
    assert "budget.share_central_pct + budget.share_municipal_pct" in err.value.message("en")
    assert "[0, 100]" in err.value.message("en")


def test_one_share_counts_with_the_others_default():
    ds = dataset()
    default = ds.assumptions["budget.share_municipal_pct"].value
    with pytest.raises(ShapanError):
        sc.check_params({"budget.share_central_pct": 100.0 - default + 1}, ds.assumptions)
    sc.check_params({"budget.share_central_pct": 100.0 - default}, ds.assumptions)


def test_budget_page_lever_refuses_shares_over_100():
    from apptest_helpers import APP, assert_ok
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params.update({"district": "banan"})
    at.run()
    at.switch_page("pages/budget.py").run()
    at.number_input(key="budget.share_central_pct").set_value(100.0).run()
    assert_ok(at)
    errors = [e.value for e in at.error]
    assert any("budget.share_central_pct + budget.share_municipal_pct" in e for e in errors), errors
    assert "budget.share_central_pct" not in at.session_state["scenarios"]["banan"].params
