"""Scenarios: what a planner changes, stored as TOML, validated strictly, resolved, hashed.

A :class:`Scenario` holds only what the user set (overrides), as flat ``"section.key"`` parameters plus
the capacity projects the user added. :func:`resolve` fills every other parameter from ``data/``: a
district figure (e.g. the 2015→2020 growth of the 低保 standard), else an entry of ``assumptions.toml``.
Each resolved value carries its provenance (``user``, ``data: <indicator row>``, ``assumption: <key>``).

The scenario hash is the sha256 of the canonical JSON of the *resolved* parameters plus the data
version: two files that resolve to the same numbers share a hash, and any change of data changes it.

TOML layout::

    [scenario]   name, district, base_year, end_year, seed, notes
    [population] mortality_multiplier, ...
    [beds]       beds_built_per_year, ...     [[beds.projects]] year_open, beds, nursing_beds, operator, name
    [benefits]   rule, dibao_rural_growth_pct, ...
    [budget]     payment_ratio, ...
    [uncertainty] growth_sd_pct, ...
    [targets]    tracked_on_track_pp, ... (pace thresholds of models.target_modes)
    [targets.inputs]    "indicator@year" = value   figures entered for targets that need them (actuals)
    [targets.confirmed] "indicator@year" = value   a corrected value confirmed for a quarantined target
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import math
from dataclasses import dataclass, field
from typing import Any

import tomli_w

from models import toml_guard
from models.errors import ShapanError
from models.views import calendar as cal

BENEFIT_RULES = ("fixed_growth", "consumption", "convergence", "baseline", "plan_targets")
PLAN_PROFILES = ("linear", "front", "back")
OPERATORS = ("", "gov", "social", "mixed")
YEARS = cal.MODEL_YEARS
INT_RANGE = (-(2**63), 2**63 - 1)  # any integer key (a seed is the widest)


class FrozenDict(dict):
    """A read-only, picklable dict (MappingProxyType cannot be pickled, and st.cache_data pickles)."""

    def _blocked(self, *args: Any, **kwargs: Any) -> None:
        raise TypeError("FrozenDict is read-only")

    __setitem__ = __delitem__ = clear = pop = popitem = setdefault = update = _blocked  # type: ignore[assignment]

    def __reduce__(self) -> tuple[Any, ...]:
        return (FrozenDict, (dict(self),))

    def __hash__(self) -> int:  # type: ignore[override]
        return hash(json.dumps(self, sort_keys=True, default=str))


@dataclass(frozen=True)
class Param:
    """Specification of one scenario parameter: type, allowed range, where its default comes from."""

    key: str
    kind: type
    min: float | None = None
    max: float | None = None
    default: str = ""  # "assumption:<key>", "data:<name>" or "const:<value>"
    choices: tuple[str, ...] = ()


def _p(
    key: str,
    kind: type = float,
    lo: float | None = None,
    hi: float | None = None,
    default: str = "",
    choices: tuple[str, ...] = (),
) -> Param:
    return Param(key, kind, lo, hi, default or f"assumption:{key}", choices)


# Ranges for parameters that default from assumptions.toml come from that file (min/max) at validation.
PARAMS: dict[str, Param] = {
    p.key: p
    for p in [
        _p("population.pop_60plus_base", float, 1, 5e7, "data:pop_60plus_base"),
        _p("population.share_65_of_60_pct", float, 40, 95, "data:share_65_of_60_pct"),
        _p("population.age_45_59_factor", float, 0.2, 3.0, "data:age_45_59_factor"),
        _p("population.mortality_multiplier"),
        _p("population.mortality_improvement_pct"),
        _p("population.net_migration_pct"),
        _p("population.net_migrants_45_59_per_year"),
        _p("population.net_migrants_60_64_per_year"),
        _p("population.net_migrants_65_79_per_year"),
        _p("population.net_migrants_80plus_per_year"),
        _p("population.disability_prevalence_60_69_pct"),
        _p("population.disability_prevalence_70_79_pct"),
        _p("population.disability_prevalence_80plus_pct"),
        _p("beds.base_beds", float, 0, 1e6, "data:base_beds"),
        _p("beds.base_nursing_share_pct", float, 0, 100, "data:base_nursing_share_pct"),
        _p("beds.base_social_share_pct", float, 0, 100, "data:base_social_share_pct"),
        _p("beds.beds_built_per_year", float, 0, 1e5, "const:0"),
        _p("beds.include_plan_projects", bool, default="const:true"),
        _p("beds.norm_beds_per_1000", float, 0, 200, "data:norm_beds_per_1000"),
        _p("beds.retirement_rate_pct"),
        _p("beds.nursing_share_of_new_beds_pct"),
        _p("beds.social_share_of_new_beds_pct"),
        _p("beds.institutionalisation_rate_pct"),  # default calibrated in models.resolve (models.bed_demand)
        _p("beds.target_occupancy_pct"),
        _p("beds.base_occupancy_pct"),
        _p("beds.institution_share_pct", float, 0, 100, "data:institution_share_pct"),
        _p("beds.include_plan_total", bool, default="const:true"),
        _p("beds.plan_profile", str, default="const:linear", choices=PLAN_PROFILES),
        _p("beds.tekun_centralised_residents", float, 0, 1e5, "const:0"),
        _p("beds.nursing_conversion_per_year"),
        _p("beds.social_transfer_per_year"),
        _p("beds.los_mean_years"),
        _p("beds.los_cv"),
        _p("beds.renege_years"),
        _p("benefits.rule", str, default="const:fixed_growth", choices=BENEFIT_RULES),
        _p("benefits.dibao_urban_growth_pct", float, -50, 100, "data:dibao_urban_growth_pct"),
        _p("benefits.dibao_rural_growth_pct", float, -50, 100, "data:dibao_rural_growth_pct"),
        _p("benefits.tekun_growth_pct", float, -50, 100, "data:tekun_growth_pct"),
        _p("benefits.orphan_growth_pct", float, -50, 100, "data:orphan_growth_pct"),
        _p("benefits.target_ratio_pct", float, 0, 100, "data:target_ratio_pct"),
        _p("benefits.target_ratio_year", int, cal.PLAN_START_YEAR, cal.HORIZON_END, f"const:{cal.PLAN_END_YEAR}"),
        _p("benefits.tekun_multiplier"),
        _p("benefits.cpi_inflation_pct"),
        _p("benefits.consumption_growth_pct"),
        _p("benefits.consumption_share_pct"),
        _p("benefits.care_subsidy_min_wage_pct"),
        _p("benefits.min_wage_growth_pct"),
        _p("benefits.cap_rural_at_urban", bool, default="const:true"),
        _p("benefits.baseline_recent_growth_pct", float, -50, 100, "data:baseline_recent_growth_pct"),
        _p("benefits.baseline_long_run_growth_pct"),
        _p("benefits.baseline_damping"),
        _p("benefits.baseline_ratio_drift_pp"),
        _p("benefits.baseline_urban_step_yuan"),
        _p("targets.tracked_on_track_pp"),
        _p("targets.tracked_at_risk_pp"),
        _p("targets.tracked_on_track_growth_pct"),
        _p("targets.tracked_at_risk_growth_pct"),
        _p("targets.tracked_at_risk_ratio"),
        _p("budget.payment_ratio"),
        _p("budget.dibao_urban_recipients", float, 0, 1e7, "const:nan"),
        _p("budget.dibao_rural_recipients", float, 0, 1e7, "const:nan"),
        _p("budget.tekun_recipients", float, 0, 1e7, "const:nan"),
        _p("budget.orphan_recipients", float, 0, 1e7, "const:nan"),
        _p("budget.tekun_care_disabled_recipients", float, 0, 1e6, "const:nan"),  # models.tekun_tiers
        _p("budget.tekun_care_semidisabled_recipients", float, 0, 1e6, "const:nan"),
        _p("budget.tekun_care_selfcare_recipients", float, 0, 1e6, "const:nan"),
        _p("budget.recipients_growth_pct"),
        _p("budget.dibao_urban_recipient_share_pct"),
        _p("budget.share_central_pct"),
        _p("budget.share_municipal_pct"),
        _p("uncertainty.growth_sd_pct"),
        _p("uncertainty.beds_delivery_sd_pct"),
        _p("uncertainty.mortality_sd"),
        _p("uncertainty.draws", int),
        _p("uncertainty.growth_level_sd_pct"),
        _p("uncertainty.standard_shock_sd_pct"),
        _p("uncertainty.regime_continue_prob"),
        _p("uncertainty.regime_continue_drift_pp"),
        _p("uncertainty.ratio_drift_sd_pp"),
        _p("uncertainty.pop_base_sd_pct"),
        _p("uncertainty.age_shape_sd_pp"),
    ]
}
# Labels and units of the parameters that have no assumptions.toml entry (their defaults come from the
# district data or are constants): key -> (label_zh, label_en, unit_zh, unit_en).
PARAM_TEXT: dict[str, tuple[str, str, str, str]] = {
    "population.pop_60plus_base": ("2020年60岁及以上人口", "Population 60+ in 2020", "人", "persons"),
    "population.age_45_59_factor": (
        "45–59岁人口相对全国年龄结构的倍数（普查）",
        "Ages 45–59 relative to the national age shape (census)",
        "×",
        "×",
    ),
    "population.share_65_of_60_pct": (
        "65岁及以上占60岁及以上人口比例（普查）",
        "65+ as a share of 60+ (census)",
        "%",
        "%",
    ),
    "beds.base_beds": ("2020年养老床位数", "Elderly-care beds in 2020", "张", "beds"),
    "beds.base_nursing_share_pct": ("2020年护理型床位占比", "Nursing-bed share in 2020", "%", "%"),
    "beds.base_social_share_pct": ("2020年社会力量运营床位占比", "Socially operated bed share in 2020", "%", "%"),
    "beds.beds_built_per_year": (
        "规划项目外每年新增床位",
        "Beds built per year beyond the plan's projects",
        "张/年",
        "beds/yr",
    ),
    "beds.include_plan_projects": ("计入规划列明的建设项目", "Count the projects named in the plan", "", ""),
    "beds.include_plan_total": (
        "计入规划床位总量（未列明项目的部分按年投放）",
        "Count the plan's bed total (the part not in named projects phased over the plan years)",
        "",
        "",
    ),
    "beds.tekun_centralised_residents": (
        "特困人员集中供养人数（公办敬老院，规划未公布，可输入）",
        "特困 persons in centralised care (public 敬老院; not printed in the plans — enter it)",
        "人",
        "persons",
    ),
    "beds.plan_profile": ("规划总量分年投放方式", "Phasing of the plan's bed total", "", ""),
    "beds.norm_beds_per_1000": (
        "每千名老人床位标准（需求测算）",
        "Beds per 1,000 elderly norm (demand)",
        "张/千名老人",
        "beds per 1,000 elderly",
    ),
    "benefits.rule": ("救助标准增长规则", "Benefit growth rule", "", ""),
    "benefits.dibao_urban_growth_pct": ("城市低保标准年均增长率", "Urban 低保 standard annual growth", "%/年", "%/yr"),
    "benefits.dibao_rural_growth_pct": ("农村低保标准年均增长率", "Rural 低保 standard annual growth", "%/年", "%/yr"),
    "benefits.tekun_growth_pct": ("特困供养标准年均增长率", "特困 standard annual growth", "%/年", "%/yr"),
    "benefits.orphan_growth_pct": ("孤儿基本生活费年均增长率", "Orphan allowance annual growth", "%/年", "%/yr"),
    "benefits.target_ratio_pct": ("农村/城市低保标准目标比例", "Target rural/urban 低保 ratio", "%", "%"),
    "benefits.target_ratio_year": ("目标比例达成年份", "Year the target ratio is reached", "年", "year"),
    "benefits.cap_rural_at_urban": ("农村低保标准不超过城市", "Rural 低保 not above urban", "", ""),
    "benefits.baseline_recent_growth_pct": (
        "基线：制定者2015→2020年城市低保年均增速",
        "Baseline: the setter's 2015→2020 urban 低保 growth",
        "%/年",
        "%/yr",
    ),
    "budget.dibao_urban_recipients": ("2020年城市低保对象人数", "Urban 低保 recipients in 2020", "人", "persons"),
    "budget.dibao_rural_recipients": ("2020年农村低保对象人数", "Rural 低保 recipients in 2020", "人", "persons"),
    "budget.tekun_recipients": ("2020年特困供养人员人数", "特困 recipients in 2020", "人", "persons"),
    "budget.orphan_recipients": ("2020年孤儿人数", "Orphans in 2020", "人", "persons"),
    "budget.tekun_care_disabled_recipients": ("2020年失能特困人员人数（护理档）", "特困, fully dependent (2020)",
                                              "人", "persons"),
    "budget.tekun_care_semidisabled_recipients": ("2020年半失能特困人员人数（护理档）",
                                                  "特困, partly dependent (2020)", "人", "persons"),
    "budget.tekun_care_selfcare_recipients": ("2020年生活自理特困人员人数（护理档）", "特困, self-care (2020)",
                                              "人", "persons"),
}


def param_label(key: str, lang: str = "zh", assumptions: Any = None) -> str:
    """A parameter's label: its assumptions.toml entry, else :data:`PARAM_TEXT`, else the key."""
    entry = assumptions.get(key) if assumptions is not None else None
    if entry is not None:
        return entry.label_zh if lang == "zh" else entry.label_en
    text = PARAM_TEXT.get(key)
    return key if text is None else text[0 if lang == "zh" else 1]


def param_unit(key: str, lang: str = "zh", assumptions: Any = None) -> str:
    entry = assumptions.get(key) if assumptions is not None else None
    if entry is not None:
        return entry.unit
    text = PARAM_TEXT.get(key)
    return "" if text is None else text[2 if lang == "zh" else 3]


META_KEYS = {"name": str, "district": str, "base_year": int, "end_year": int, "seed": int, "notes": str}
PROJECT_KEYS = {"year_open": int, "beds": int, "nursing_beds": int, "operator": str, "name": str}
ACTUAL_KEYS = {"indicator": str, "year": int, "value": float, "source": str}
SECTIONS = {"scenario", "population", "beds", "benefits", "budget", "uncertainty", "actuals", "targets"}
MAX_ACTUALS = 2000
TARGET_TABLES = ("inputs", "confirmed")  # [targets.inputs], [targets.confirmed]: "indicator@year" = value
MAX_TARGET_ENTRIES = 500


@dataclass(frozen=True)
class UserProject:
    """A capacity project added in a scenario (on top of, or instead of, the plan's own projects)."""

    year_open: int
    beds: int
    nursing_beds: int | None = None
    operator: str = ""
    name: str = ""


@dataclass(frozen=True)
class Actual:
    """An observed value the planner entered (``[[actuals]]``): the base of a rebased scenario."""

    indicator: str
    year: int
    value: float
    source: str = ""


@dataclass(frozen=True)
class Scenario:
    """What the user set. ``params`` maps ``"section.key"`` to a value; unset keys resolve from data."""

    name: str
    district: str
    base_year: int = cal.BASE_YEAR
    end_year: int = cal.HORIZON_END
    seed: int = 20211231
    notes: str = ""
    params: FrozenDict = field(default_factory=FrozenDict)
    projects: tuple[UserProject, ...] = ()
    announced: tuple[tuple[int, str, float], ...] = ()  # (year, indicator, 元/人·月) the setter announced
    actuals: tuple[Actual, ...] = ()  # entered actuals; base_year > 2020 rebases on those of base_year
    target_inputs: FrozenDict = field(default_factory=FrozenDict)  # "indicator@year" -> entered figure
    target_confirmed: FrozenDict = field(default_factory=FrozenDict)  # "indicator@year" -> confirmed target
    # the district's own 5-year age table ("45-49" -> persons, ..., "85+" -> persons): [population.age_table]
    age_table: tuple[tuple[str, float], ...] = ()
    # the population basis the uploaded table is on (户籍 | 常住; "" = not stated, e.g. an older file):
    # [population] age_table_basis
    age_table_basis: str = ""

    def with_target_entry(self, table: str, key: str, value: float | None) -> Scenario:
        """A copy with one ``[targets.inputs]`` / ``[targets.confirmed]`` entry set (None removes it)."""
        attr = "target_inputs" if table == "inputs" else "target_confirmed"
        merged = {k: v for k, v in getattr(self, attr).items() if k != key}
        if value is not None:
            merged[key] = float(value)
        return dataclasses.replace(self, **{attr: FrozenDict(merged)})

    def with_params(self, **overrides: Any) -> Scenario:
        """A copy with some ``section__key=value`` (or dotted via dict unpacking) overrides."""
        merged = dict(self.params)
        for key, value in overrides.items():
            merged[key.replace("__", ".")] = value
        return dataclasses.replace(self, params=FrozenDict(merged))

    def with_announced(self, items: Any) -> Scenario:
        """A copy with the announced standards replaced by ``items`` ((year, indicator, value) triples)."""
        return dataclasses.replace(self, announced=validate_announced("scenario", announced_table(items)))

    def with_age_table(self, table: Any, basis: str = "") -> Scenario:
        """A copy with the district's age table (:class:`models.age_table.AgeTable`; None removes it, and
        its basis) on ``basis`` (户籍 | 常住; "" = not stated)."""
        if table is None:
            return dataclasses.replace(self, age_table=(), age_table_basis="")
        return dataclasses.replace(self, age_table=tuple(table.labels().items()),
                                   age_table_basis=validate_age_table_basis("scenario", basis, allow_empty=True))

    def with_age_table_basis(self, basis: str) -> Scenario:
        """A copy with the age table's basis set (户籍 | 常住); the table must be there."""
        if not self.age_table:
            raise ShapanError("basis_without_table", file="scenario", key=AGE_TABLE_BASIS_KEY)
        return dataclasses.replace(self, age_table_basis=validate_age_table_basis("scenario", basis))

    def without_param(self, key: str) -> Scenario:
        merged = {k: v for k, v in self.params.items() if k != key}
        return dataclasses.replace(self, params=FrozenDict(merged))


# ------------------------------------------------------------------------------------------- validation


def _type_name(kind: type) -> str:
    return {float: "数字/number", int: "整数/integer", bool: "true/false", str: "文本/text"}[kind]


def _coerce(file: str, key: str, value: Any, kind: type) -> Any:
    if kind is bool:
        if not isinstance(value, bool):
            raise ShapanError("wrong_type", file=file, key=key, expected=_type_name(kind), value=value)
        return value
    if kind is str:
        if not isinstance(value, str):
            raise ShapanError("wrong_type", file=file, key=key, expected=_type_name(kind), value=value)
        return value
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ShapanError("wrong_type", file=file, key=key, expected=_type_name(kind), value=value)
    if kind is int:
        if isinstance(value, float) and not value.is_integer():
            raise ShapanError("wrong_type", file=file, key=key, expected=_type_name(kind), value=value)
        if isinstance(value, int) and not INT_RANGE[0] <= value <= INT_RANGE[1]:
            raise ShapanError("out_of_range", file=file, key=key, value=value, min=INT_RANGE[0], max=INT_RANGE[1])
        return int(value)
    try:
        number = float(value)  # an int beyond ~1e308 overflows here (math.isfinite(int) would raise too)
    except OverflowError:
        number = math.inf
    if not math.isfinite(number):
        raise ShapanError("wrong_type", file=file, key=key, expected=_type_name(kind), value=value)
    return number


def param_range(key: str, assumptions: Any = None) -> tuple[float | None, float | None]:
    """Allowed (min, max) of a parameter: its spec, else its assumptions.toml entry."""
    spec = PARAMS[key]
    lo, hi = spec.min, spec.max
    if spec.default.startswith("assumption:") and assumptions is not None:
        entry = assumptions.get(spec.default.split(":", 1)[1])
        if entry is not None:
            lo = entry.min if lo is None else lo
            hi = entry.max if hi is None else hi
    return lo, hi


def validate_param(key: str, value: Any, assumptions: Any = None, file: str = "scenario") -> Any:
    """Check one parameter's type and range; returns the coerced value or raises ShapanError."""
    if key not in PARAMS:
        raise ShapanError("unknown_key", file=file, key=key, allowed=", ".join(sorted(PARAMS)))
    spec = PARAMS[key]
    value = _coerce(file, key, value, spec.kind)
    if spec.choices and value not in spec.choices:
        raise ShapanError("wrong_type", file=file, key=key, expected=" | ".join(spec.choices), value=value)
    if spec.kind in (int, float):
        lo, hi = param_range(key, assumptions)
        if (lo is not None and value < lo) or (hi is not None and value > hi):
            raise ShapanError("out_of_range", file=file, key=key, value=value, min=lo, max=hi)
    return value


ANNOUNCEABLE = ("dibao_urban_standard", "dibao_rural_standard", "tekun_standard")


def announced_table(items: Any) -> dict[str, dict[str, float]]:
    """(year, indicator, value) triples -> the TOML table ``{"2022": {"dibao_urban_standard": 700.0}}``."""
    table: dict[str, dict[str, float]] = {}
    for year, indicator, value in items:
        table.setdefault(str(int(year)), {})[indicator] = value
    return table


def announced_rows(announced: Any) -> list[dict[str, Any]]:
    """Announced standards as editor rows: one row per year with a column per indicator (None if absent)."""
    table = announced_table(announced)
    return [{"year": int(y), **{i: table[y].get(i) for i in ANNOUNCEABLE}} for y in sorted(table)]


def announced_from_rows(rows: Any) -> tuple[tuple[int, str, float], ...]:
    """Editor rows back to validated (year, indicator, value) triples; empty cells and empty rows skipped."""
    items = []
    for row in rows:
        year = row.get("year")
        if year is None or (isinstance(year, float) and math.isnan(year)):
            continue
        for indicator in ANNOUNCEABLE:
            value = row.get(indicator)
            if value is not None and not (isinstance(value, float) and math.isnan(value)):
                items.append((int(year), indicator, float(value)))
    return validate_announced("benefits.announced", announced_table(items))


def validate_announced(file: str, raw: Any) -> tuple[tuple[int, str, float], ...]:
    """``[benefits.announced]``: year -> {indicator: 元/人·月}; years 2021–2035, standards 1–100,000."""
    if not isinstance(raw, dict):
        raise ShapanError("wrong_type", file=file, key="benefits.announced", expected="table", value=raw)
    out = []
    for year_text, values in raw.items():
        where = f"benefits.announced.{year_text}"
        first = cal.PLAN_START_YEAR
        if not (str(year_text).isdigit() and len(str(year_text)) <= 4) or not first <= int(year_text) <= YEARS[1]:
            raise ShapanError("out_of_range", file=file, key=where, value=year_text, min=first, max=YEARS[1])
        if not isinstance(values, dict):
            raise ShapanError("wrong_type", file=file, key=where, expected="table", value=values)
        for indicator, value in values.items():
            if indicator not in ANNOUNCEABLE:
                raise ShapanError("unknown_key", file=file, key=f"{where}.{indicator}", allowed=", ".join(ANNOUNCEABLE))
            number = _coerce(file, f"{where}.{indicator}", value, float)
            if not 1 <= number <= 100_000:
                raise ShapanError("out_of_range", file=file, key=f"{where}.{indicator}", value=number, min=1,
                                  max=100_000)
            out.append((int(year_text), indicator, number))
    return tuple(sorted(out))


def validate_age_table(file: str, raw: Any) -> tuple[tuple[str, float], ...]:
    """``[population.age_table]``: age group -> persons (``"45-49" = 12345``, ..., ``"85+" = 2345``),
    validated by :func:`models.age_table.from_frame` (5-year groups from 45 to one open group)."""
    from models import age_table

    if not isinstance(raw, dict):
        raise ShapanError("wrong_type", file=file, key="population.age_table", expected="table", value=raw)
    if len(raw) > age_table.MAX_GROUPS:
        raise ShapanError("out_of_range", file=file, key="population.age_table", value=f"{len(raw)} groups",
                          min=2, max=age_table.MAX_GROUPS)
    labels = {str(k): _coerce(file, f"population.age_table.{k}", v, float) for k, v in raw.items()}
    return tuple(age_table.from_labels(labels, file).labels().items())


AGE_TABLE_BASIS_KEY = "population.age_table_basis"
AGE_TABLE_BASES = {"户籍": "户籍", "常住": "常住", "hukou": "户籍", "resident": "常住"}


def validate_age_table_basis(file: str, raw: Any, allow_empty: bool = False) -> str:
    """``[population] age_table_basis``: 户籍 or 常住 (``hukou`` / ``resident`` accepted, stored in
    Chinese); "" only where a missing basis is allowed (an older scenario file)."""
    text = raw.strip() if isinstance(raw, str) else raw
    if allow_empty and text == "":
        return ""
    if not isinstance(text, str) or text not in AGE_TABLE_BASES:
        raise ShapanError("bad_basis", file=file, key=AGE_TABLE_BASIS_KEY, value=raw)
    return AGE_TABLE_BASES[text]


MAX_PROJECT_BEDS = 100_000  # one project's beds (and nursing beds)
SHARE_KEYS = ("budget.share_central_pct", "budget.share_municipal_pct")


def project_violation(values: dict[str, Any], base_year: int, end_year: int) -> tuple[str, str, Any, Any] | None:
    """The first rule a capacity project breaks, as ``(column, rule, lo, hi)``, or None.

    The one definition of a valid project, used by scenario files (TOML: uploads, share links, the CLI)
    and by the beds page's editor (:mod:`models.user_projects`) alike: ``year_open`` after the base year and
    not after the end year (a project opening in or before the base year is already in the base-year bed
    count, so it would be silently ignored), ``beds`` 0..``MAX_PROJECT_BEDS``, ``nursing_beds`` blank or
    0..``beds``, ``operator`` blank / gov / social / mixed. ``values`` holds typed values (ints, str).
    """
    year = values["year_open"]
    if not base_year < year <= end_year:
        return "year_open", "year", base_year + 1, end_year
    beds = values["beds"]
    if not 0 <= beds <= MAX_PROJECT_BEDS:
        return "beds", "range", 0, MAX_PROJECT_BEDS
    nursing = values.get("nursing_beds")
    if nursing is not None and not 0 <= nursing <= beds:
        return "nursing_beds", "range" if nursing < 0 else "nursing", 0, beds
    if values.get("operator", "") not in OPERATORS:
        return "operator", "operator", "", ""
    return None


def _validate_project(file: str, i: int, raw: Any, base_year: int, end_year: int) -> UserProject:
    where = f"beds.projects[{i}]"
    if not isinstance(raw, dict):
        raise ShapanError("wrong_type", file=file, key=where, expected="table", value=raw)
    unknown = set(raw) - set(PROJECT_KEYS)
    if unknown:
        raise ShapanError(
            "unknown_key", file=file, key=f"{where}.{sorted(unknown)[0]}", allowed=", ".join(PROJECT_KEYS)
        )
    for req in ("year_open", "beds"):
        if req not in raw:
            raise ShapanError("missing_key", file=file, key=f"{where}.{req}")
    values = {k: _coerce(file, f"{where}.{k}", v, PROJECT_KEYS[k]) for k, v in raw.items()}
    broken = project_violation(values, base_year, end_year)
    if broken is not None:
        column, rule, lo, hi = broken
        if rule == "operator":
            raise ShapanError("wrong_type", file=file, key=f"{where}.operator", expected=" | ".join(OPERATORS[1:]),
                              value=values["operator"])
        raise ShapanError("out_of_range", file=file, key=f"{where}.{column}", value=values[column], min=lo, max=hi)
    return UserProject(**values)


def check_params(params: dict[str, Any], assumptions: Any = None, file: str = "scenario") -> None:
    """Rules that join several parameters (each already valid alone): the central and municipal funding
    shares together at most 100 % (an unset one counts at its assumptions.toml default). Used by
    :func:`from_dict` and by the UI's lever setter alike."""
    shares = []
    for key in SHARE_KEYS:
        entry = assumptions.get(key) if assumptions is not None and key not in params else None
        shares.append(params.get(key, entry.value if entry is not None else 0.0))
    if sum(shares) > 100:
        raise ShapanError("out_of_range", file=file, key=" + ".join(SHARE_KEYS), value=sum(shares), min=0, max=100)


def _validate_actuals(file: str, raw: Any) -> tuple[Actual, ...]:
    if not isinstance(raw, list) or len(raw) > MAX_ACTUALS:
        raise ShapanError("wrong_type", file=file, key="actuals", expected=f"array of ≤{MAX_ACTUALS} tables",
                          value=type(raw).__name__)
    out = []
    for i, row in enumerate(raw):
        where = f"actuals[{i}]"
        if not isinstance(row, dict):
            raise ShapanError("wrong_type", file=file, key=where, expected="table", value=row)
        unknown = set(row) - set(ACTUAL_KEYS)
        if unknown:
            raise ShapanError("unknown_key", file=file, key=f"{where}.{sorted(unknown)[0]}",
                              allowed=", ".join(ACTUAL_KEYS))
        for req in ("indicator", "year", "value"):
            if req not in row:
                raise ShapanError("missing_key", file=file, key=f"{where}.{req}")
        values = {k: _coerce(file, f"{where}.{k}", v, ACTUAL_KEYS[k]) for k, v in row.items()}
        if not YEARS[0] <= values["year"] <= YEARS[1]:
            raise ShapanError("out_of_range", file=file, key=f"{where}.year", value=values["year"], min=YEARS[0],
                              max=YEARS[1])
        if not 0 <= values["value"] <= 1e9:
            raise ShapanError("out_of_range", file=file, key=f"{where}.value", value=values["value"], min=0, max=1e9)
        out.append(Actual(**values))
    return tuple(out)


def target_key(indicator: str, year: int) -> str:
    return f"{indicator}@{int(year)}"


def _validate_target_table(file: str, table: str, raw: Any) -> FrozenDict:
    where = f"targets.{table}"
    if not isinstance(raw, dict):
        raise ShapanError("wrong_type", file=file, key=where, expected="table", value=raw)
    if len(raw) > MAX_TARGET_ENTRIES:
        raise ShapanError("out_of_range", file=file, key=where, value=len(raw), min=0, max=MAX_TARGET_ENTRIES)
    out = {}
    for key, value in raw.items():
        indicator, sep, year = str(key).partition("@")
        if not sep or not indicator or not year.isdigit() or not YEARS[0] <= int(year) <= YEARS[1]:
            raise ShapanError(
                "wrong_type", file=file, key=f"{where}.{key}", expected="indicator@year (2015–2035)", value=key
            )
        number = _coerce(file, f"{where}.{key}", value, float)
        if not -1e12 <= number <= 1e12:
            raise ShapanError("out_of_range", file=file, key=f"{where}.{key}", value=number, min=-1e12, max=1e12)
        out[target_key(indicator, int(year))] = number
    return FrozenDict(out)


def from_dict(
    doc: dict[str, Any], *, file: str = "scenario", districts: Any = None, assumptions: Any = None
) -> Scenario:
    """Build a validated Scenario from a parsed TOML document (errors name the key and allowed range)."""
    if not isinstance(doc, dict):
        raise ShapanError("wrong_type", file=file, key="(document)", expected="table", value=type(doc).__name__)
    unknown = set(doc) - SECTIONS
    if unknown:
        raise ShapanError("unknown_key", file=file, key=sorted(unknown)[0], allowed=", ".join(sorted(SECTIONS)))
    meta = doc.get("scenario")
    if not isinstance(meta, dict):
        raise ShapanError("missing_key", file=file, key="scenario")
    bad = set(meta) - set(META_KEYS)
    if bad:
        raise ShapanError("unknown_key", file=file, key=f"scenario.{sorted(bad)[0]}", allowed=", ".join(META_KEYS))
    for req in ("name", "district"):
        if req not in meta:
            raise ShapanError("missing_key", file=file, key=f"scenario.{req}")
    values = {k: _coerce(file, f"scenario.{k}", v, META_KEYS[k]) for k, v in meta.items()}
    if districts is not None and values["district"] not in set(districts):
        raise ShapanError("unknown_district", district=values["district"], allowed=", ".join(districts))
    for k in ("base_year", "end_year"):
        if k in values and not YEARS[0] <= values[k] <= YEARS[1]:
            raise ShapanError(
                "out_of_range", file=file, key=f"scenario.{k}", value=values[k], min=YEARS[0], max=YEARS[1]
            )
    actuals = _validate_actuals(file, doc["actuals"]) if "actuals" in doc else ()
    base_year = values.get("base_year", cal.BASE_YEAR)
    if base_year != cal.BASE_YEAR and not any(a.year == base_year for a in actuals):  # rebasing needs its actuals
        raise ShapanError(
            "out_of_range", file=file, key="scenario.base_year", value=base_year, min=cal.BASE_YEAR,
            max=max([a.year for a in actuals if a.year > cal.BASE_YEAR], default=cal.BASE_YEAR),
        )
    if values.get("end_year", YEARS[1]) < cal.PLAN_END_YEAR:
        raise ShapanError("out_of_range", file=file, key="scenario.end_year", value=values["end_year"],
                          min=cal.PLAN_END_YEAR, max=YEARS[1])
    if values.get("seed", 0) < 0 or values.get("seed", 0) >= 2**63:
        raise ShapanError("out_of_range", file=file, key="scenario.seed", value=values["seed"], min=0, max=2**63 - 1)
    params: dict[str, Any] = {}
    projects: list[UserProject] = []
    announced: tuple[tuple[int, str, float], ...] = ()
    tables: dict[str, FrozenDict] = {}
    ages: tuple[tuple[str, float], ...] = ()
    ages_basis = ""
    for section in sorted(SECTIONS - {"scenario", "actuals"}):
        body = doc.get(section, {})
        if not isinstance(body, dict):
            raise ShapanError("wrong_type", file=file, key=section, expected="table", value=body)
        for key, value in body.items():
            if section == "beds" and key == "projects":
                if not isinstance(value, list):
                    raise ShapanError(
                        "wrong_type", file=file, key="beds.projects", expected="array of tables", value=value
                    )
                years = values.get("base_year", cal.BASE_YEAR), values.get("end_year", YEARS[1])
                projects = [_validate_project(file, i, p, *years) for i, p in enumerate(value)]
                continue
            if section == "benefits" and key == "announced":
                announced = validate_announced(file, value)
                continue
            if section == "targets" and key in TARGET_TABLES:
                tables[key] = _validate_target_table(file, key, value)
                continue
            if section == "population" and key == "age_table":
                ages = validate_age_table(file, value)
                continue
            if section == "population" and key == "age_table_basis":
                ages_basis = validate_age_table_basis(file, value)
                continue
            params[f"{section}.{key}"] = validate_param(f"{section}.{key}", value, assumptions, file)
    check_params(params, assumptions, file)
    if ages_basis and not ages:
        raise ShapanError("basis_without_table", file=file, key=AGE_TABLE_BASIS_KEY)
    return Scenario(
        params=FrozenDict(params),
        projects=tuple(projects),
        announced=announced,
        actuals=actuals,
        target_inputs=tables.get("inputs", FrozenDict()),
        target_confirmed=tables.get("confirmed", FrozenDict()),
        age_table=ages,
        age_table_basis=ages_basis,
        **values,
    )


def loads(text: str, *, file: str = "scenario", districts: Any = None, assumptions: Any = None) -> Scenario:
    """Parse TOML text into a validated Scenario."""
    doc = toml_guard.loads(text, file)  # budgets checked before parsing; every parser failure -> ShapanError
    return from_dict(doc, file=file, districts=districts, assumptions=assumptions)


def to_dict(scenario: Scenario) -> dict[str, Any]:
    doc: dict[str, Any] = {
        "scenario": {
            "name": scenario.name,
            "district": scenario.district,
            "base_year": scenario.base_year,
            "end_year": scenario.end_year,
            "seed": scenario.seed,
            "notes": scenario.notes,
        }
    }
    for key in sorted(scenario.params):
        section, name = key.split(".", 1)
        doc.setdefault(section, {})[name] = scenario.params[key]
    if scenario.announced:
        doc.setdefault("benefits", {})["announced"] = announced_table(scenario.announced)
    if scenario.age_table:
        doc.setdefault("population", {})["age_table"] = dict(scenario.age_table)
        if scenario.age_table_basis:
            doc["population"]["age_table_basis"] = scenario.age_table_basis
    if scenario.projects:
        doc.setdefault("beds", {})["projects"] = [
            {k: v for k, v in dataclasses.asdict(p).items() if v is not None} for p in scenario.projects
        ]
    if scenario.actuals:
        doc["actuals"] = [dataclasses.asdict(a) for a in scenario.actuals]
    for table, entries in (("inputs", scenario.target_inputs), ("confirmed", scenario.target_confirmed)):
        if entries:
            doc.setdefault("targets", {})[table] = dict(sorted(entries.items()))
    return doc


def dumps(scenario: Scenario) -> str:
    """The scenario as TOML text (round-trips through :func:`loads`)."""
    return tomli_w.dumps(to_dict(scenario))


def canonical_hash(resolved_values: dict[str, Any], projects: Any, data_version: str) -> str:
    """sha256 (first 12 hex) of canonical JSON of resolved parameters, projects and data version."""
    payload = {"params": resolved_values, "projects": projects, "data_version": data_version}
    text = json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]


def diff(a: dict[str, Any], b: dict[str, Any]) -> list[tuple[str, Any, Any]]:
    """Keys whose resolved values differ between two scenarios: (key, value_a, value_b)."""

    def same(x: Any, y: Any) -> bool:  # NaN (not published) equals NaN here
        nan = isinstance(x, float) and isinstance(y, float) and math.isnan(x) and math.isnan(y)
        return nan or x == y

    keys = sorted(set(a) | set(b))
    return [(k, a.get(k), b.get(k)) for k in keys if not same(a.get(k), b.get(k))]
