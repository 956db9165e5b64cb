"""Declarative parameters (issue 14): every scenario key is read by a declared field or listed where it is read.

Parameter dataclasses declare the scenario key of each field (:func:`models.params.reads`); one builder fills
them (:func:`models.params.build`). These tests keep the declarations and :data:`models.scenario.PARAMS` in
step, so a new scenario parameter cannot be silently ignored, and a lever keeps one name from widget to model.
"""

from __future__ import annotations

import dataclasses
import importlib
import math
import re
from pathlib import Path

import pytest

from models import beds as bd
from models import beds_stage, benefits_stage, des_inputs, params, population_stage, presets
from models import benefits as bn
from models import forecast as fc
from models import population as pp
from models.beds_stage import DemandParams, PipelineParams
from models.benefits_stage import PathParams
from models.budget_stage import BudgetParams
from models.errors import ShapanError
from models.population_stage import ShapeParams
from models.resolve import resolve
from models.scenario import PARAMS

CLASSES = (pp.PopulationParams, ShapeParams, bd.BedParams, PipelineParams, DemandParams, bn.BenefitParams,
           PathParams, fc.SetterParams, fc.Uncertainty, BudgetParams, des_inputs.DesParams)


def _declared_keys() -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for cls in CLASSES:
        for name, k in params.declared(cls).items():
            out.setdefault(k, []).append(f"{cls.__name__}.{name}")
    return out


def test_every_scenario_key_is_declared_or_read_elsewhere():
    declared = _declared_keys()
    ignored = [k for k in PARAMS if k not in declared and k not in params.READ_ELSEWHERE]
    assert ignored == [], f"scenario keys nobody declares (add a field or a READ_ELSEWHERE entry): {ignored}"


def test_declared_and_elsewhere_keys_exist_and_do_not_overlap():
    declared = _declared_keys()
    assert sorted(set(declared) - set(PARAMS)) == []
    assert sorted(set(params.READ_ELSEWHERE) - set(PARAMS)) == []
    assert sorted(set(declared) & set(params.READ_ELSEWHERE)) == []  # one place says where a key is read
    assert all(where.strip() for where in params.READ_ELSEWHERE.values())


def test_read_elsewhere_names_a_module_that_reads_the_key():
    """The first module an entry names mentions the key (or lists it in its ``KEYS``): the table is not a
    place to park a key nobody reads."""
    for k, where in params.READ_ELSEWHERE.items():
        module = importlib.import_module(re.match(r"models\.[a-z_]+", where).group(0))
        source = Path(module.__file__).read_text(encoding="utf-8")
        assert k in source or k.split(".")[-1] in source or k in getattr(module, "KEYS", ()), (k, where)


def test_a_field_is_named_after_its_key():
    """One name from widget to model: the field is the key's last segment (``beds.x`` → ``x``)."""
    wrong = [f"{cls.__name__}.{name} reads {k}" for cls in CLASSES for name, k in params.declared(cls).items()
             if name != k.split(".")[-1]]
    assert wrong == []


@dataclasses.dataclass(frozen=True, kw_only=True)
class _Example:
    retirement_rate_pct: float = params.reads("beds.retirement_rate_pct")
    target_ratio_pct: float | None = params.reads("benefits.target_ratio_pct", convert=params.nan_to_none)
    base_year: int = params.scenario_field("base_year")
    projects: tuple = ()


class _Res:  # the two attributes build() reads from a models.resolve.Resolved
    def __init__(self, values: dict, base_year: int = 2020) -> None:
        self.values = values
        self.scenario = type("S", (), {"base_year": base_year})()


def test_build_fills_declared_fields_by_hand():
    res = _Res({"beds.retirement_rate_pct": 2.5, "benefits.target_ratio_pct": math.nan, "other.key": 1})
    built = params.build(_Example, res, projects=(1, 2))
    assert built == _Example(retirement_rate_pct=2.5, target_ratio_pct=None, base_year=2020, projects=(1, 2))
    res = _Res({"beds.retirement_rate_pct": 0.0, "benefits.target_ratio_pct": 90.0}, base_year=2025)
    assert params.build(_Example, res) == _Example(retirement_rate_pct=0.0, target_ratio_pct=90.0, base_year=2025)


def test_build_names_a_missing_key():
    with pytest.raises(ShapanError) as err:
        params.build(_Example, _Res({"beds.retirement_rate_pct": 2.5}))
    assert err.value.code == "missing_key"
    assert err.value.fields["key"] == "benefits.target_ratio_pct"
    assert "benefits.target_ratio_pct" in err.value.message("zh")


def test_derived_inputs_cannot_replace_declared_fields_or_invent_fields():
    res = _Res({"beds.retirement_rate_pct": 2.5, "benefits.target_ratio_pct": 90.0})
    with pytest.raises(TypeError, match="retirement_rate_pct"):
        params.build(_Example, res, retirement_rate_pct=3.0)
    with pytest.raises(TypeError, match="nosuch"):
        params.build(_Example, res, nosuch=1)


def test_built_params_carry_the_resolved_values():
    """On a real district: each declared field holds the resolved value of its key."""
    from models.data import dataset

    ds = dataset()
    res = resolve(presets.load_preset("wulong", "plan", ds), ds)
    for built in (population_stage.population_params(res), beds_stage.bed_params(res, ds),
                  benefits_stage.benefit_params(res, ds), benefits_stage.forecast_uncertainty(res)):
        for name, k in params.declared(type(built)).items():
            expected = res[k] if name != "rule" else bn.params_rule(res[k])
            got = getattr(built, name)
            assert got == expected or (math.isnan(expected) and (got is None or math.isnan(got))), (name, k)


def test_stage_cache_keys_on_exact_values():
    calls = []

    @params.stage_cache(maxsize=2)
    def stage(ds, part):
        calls.append(part)
        return len(calls)

    ds = object()
    assert stage(ds, (1.0, math.nan)) == stage(ds, (1.0, float("nan"))) == 1  # NaN equals NaN in the key
    assert stage(ds, (1.0 + 1e-15, 0.0)) == 2  # any change of value is a new entry
    assert stage(object(), (1.0, math.nan)) == 3  # another data set is a new entry
    assert stage(ds, (1.0, math.nan)) == 4  # evicted (maxsize 2)
