"""Stage-level caching of models.engine.run: a lever reruns only its stage and the stages that depend on it.

Counts calls of each stage's model function (no timing): population → beds; benefits → budget.
"""

from __future__ import annotations

import pytest

from models import beds as bd
from models import benefits as bn
from models import budget_stage, engine, presets
from models import population as pp
from models.data import dataset
from models.resolve import resolve
from models.targets import with_values


@pytest.fixture
def counted(monkeypatch):
    calls = {"population": 0, "beds": 0, "benefits": 0, "budget": 0}

    def count(name, fn):
        def wrapped(*args, **kwargs):
            calls[name] += 1
            return fn(*args, **kwargs)
        return wrapped

    monkeypatch.setattr(pp, "project_summary", count("population", pp.project_summary))
    monkeypatch.setattr(bd, "supply", count("beds", bd.supply))
    monkeypatch.setattr(bn, "paths", count("benefits", bn.paths))
    monkeypatch.setattr(budget_stage, "costs", count("budget", budget_stage.costs))
    return calls


def _run_twice(key: str, first: float, second: float, counted: dict) -> tuple[dict, object, object]:
    ds = dataset()
    base = with_values(resolve(presets.load_preset("wulong", "plan", ds), ds), **{"benefits.rule": "fixed_growth"})
    a = engine.run(with_values(base, **{key: first}), ds)
    before = dict(counted)
    b = engine.run(with_values(base, **{key: second}), ds)
    return {k: counted[k] - before[k] for k in counted}, a, b


def test_a_beds_lever_reruns_only_the_beds_stage(counted):
    rerun, a, b = _run_twice("beds.beds_built_per_year", 123.456, 654.321, counted)
    assert rerun == {"population": 0, "beds": 1, "benefits": 0, "budget": 0}
    assert not a.beds.equals(b.beds)
    assert a.budget.equals(b.budget)


def test_a_dibao_lever_reruns_benefits_and_budget_only(counted):
    rerun, a, b = _run_twice("benefits.dibao_rural_growth_pct", 3.21, 4.32, counted)
    assert rerun == {"population": 0, "beds": 0, "benefits": 1, "budget": 1}
    assert not a.benefits.equals(b.benefits)


def test_cached_stage_results_are_fresh_copies():
    ds = dataset()
    res = resolve(presets.load_preset("wulong", "plan", ds), ds)
    first = engine.run(res, ds)
    first.beds["elderly_beds"] = -1.0
    first.budget_inputs[next(iter(first.budget_inputs))]["recipients"] = -1.0
    second = engine.run(res, ds)
    assert (second.beds["elderly_beds"] >= 0).all()
    assert all(v["recipients"] >= 0 for v in second.budget_inputs.values())
