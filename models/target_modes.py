"""Every target gets a mode and an honestly labelled status.

**One target, one row.** A target stated in the plan's indicator table and again in its text (巴南 "45" in
表1 and "45张" in 第一章) is one target: rows of ``indicators.csv`` with the same district, indicator and
year merge into one, table statement first, carrying every locator. A disagreement between the statements
is the data-quality finding ``target_statements_conflict`` (``shapan check``), never a second target.

**Modes** (column ``mode``; ``reason`` says why / how, ``reason_code`` is machine readable):

* ``modelled``  — a model projects the indicator (beds, standards, ratio ...);
* ``derived``   — computed from modelled parts: 特困/低保 multiple, new beds in the period (beds(Y) −
  beds(base)), social workers per 1,000 elderly or per 100 beds (latest count held ÷ modelled series);
* ``tracked``   — no model: a linear trajectory from the latest observed value (published or entered in
  ``[targets.inputs]``) to the target; the status comes from the pace rule below;
* ``rule``      — a qualitative target made checkable: 同步 (per-1,000 not below its base value), 全覆盖 (=
  100 %), 不低于上年度居民人均消费支出增速 (the 低保 paths' yearly growth vs consumption growth), a
  standard ≥ X % of the minimum wage (the wage path of ``data/reference/minimum_wage.csv``);
* ``needs_input`` — the ``reason`` names the one figure that would let it be judged (the page has an input
  for it, saved in the scenario);
* ``not_modelled`` — only with a ``reason_code`` (no figure and no rule to check it against).

**Status, one vocabulary.** Future targets (year after the scenario's base year): ``met`` (已实现: the
latest observed value already meets it and the projection keeps it), ``on_track`` (可实现), ``at_risk`` (有风险),
``off_track`` (难实现). Decided by, in this order (column ``basis``):

1. ``p_met``: where uncertainty is drawn, P(met) ≥ 0.8 on track (met if already met), 0.4 ≤ P < 0.8 at risk,
   else off track (:data:`models.targets.P_ON_TRACK`, ``P_AT_RISK``);
2. ``projection``: a projection without draws: meets → on track / met; misses by ≤ 5 % of the target → at
   risk; else off track (:func:`models.targets.status_of`);
3. ``pace``: tracked targets. Required pace r from the latest observed value to the target (percentage
   points a year for % and ‰, compound growth otherwise; for ≤ targets the required fall). With an
   earlier value (published, or the baseline when the latest is an entered actual) the past pace h:
   r ≤ h on track, r ≤ ``targets.tracked_at_risk_ratio`` × h at risk, else off track; without one the
   thresholds ``targets.tracked_on_track_pp`` / ``_at_risk_pp`` (or ``_growth_pct``) apply.

Past targets (year ≤ base year) are ``achieved`` (已完成) or ``missed`` (未完成) on the observed value.

**Quarantine.** A target named by a data-error finding (:data:`QUARANTINE_CODES`, e.g. 城口's social-worker
target ≥8万人 = 80,000 against 1,045 in 2020) is shown with ``quarantined`` = true and status
``needs_input`` (the confirmed value), kept out of counts and probabilities until ``[targets.confirmed]``
gives a corrected value.
"""

from __future__ import annotations

import functools
import math
import re
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from models import authority, benefits_stage
from models import target_rules as tg
from models.checks import run_checks
from models.data import Dataset

MODES = ("modelled", "derived", "tracked", "rule", "needs_input", "not_modelled")
FUTURE_STATUSES = ("met", "on_track", "at_risk", "off_track")
PAST_STATUSES = ("achieved", "missed")
STATUSES = (*FUTURE_STATUSES, *PAST_STATUSES, "needs_input", "not_modelled")
JUDGED = (*FUTURE_STATUSES, *PAST_STATUSES)
DISPLAY_STATUSES = (*STATUSES, "quarantined")  # what a row shows: quarantined rows are counted apart
PROBLEM_ORDER = ("off_track", "missed", "at_risk", "quarantined", "needs_input", "on_track", "met", "achieved",
                 "not_modelled")
QUARANTINE_CODES = frozenset({"target_unit_slip"})
PERCENT_UNITS = {"%", "‰"}
MODEL_SERIES = {"orphan_scattered_standard": "orphan_standard"}  # target id -> projected series id
NEW_BEDS = {"elderly_beds_added_14fyp": "", "new_inclusive_elderly_beds_14fyp": "inclusive"}
PER_SOCIAL_WORKER = {"social_workers_per_1000_elderly": ("population_60plus", 1000.0),
                     "social_workers_per_100_institution_beds": ("elderly_beds", 100.0)}
EXTRA_COLUMNS = ["mode", "reason", "reason_code", "basis", "quarantined", "decided_by", "locators", "domain",
                 "needs", "conflict", "display_status"]


@dataclass(frozen=True)
class Target:
    """One target after merging its statements (table first)."""

    indicator: str
    year: int
    value: float
    comparator: str
    binding: str
    unit: str
    source: str
    published: str
    locator: str
    locators: tuple[str, ...]
    lines: tuple[int, ...]  # indicators.csv line numbers (header = 1) of every statement
    conflict: bool


def _table_first(locator: str) -> int:
    return 0 if str(locator).startswith(("专栏", "表")) or "指标" in str(locator) else 1


@functools.cache
def merged_targets(ds: Dataset, district: str) -> tuple[Target, ...]:
    """The district's targets, one per (indicator, year), table statement first (see module docstring)."""
    ind = ds.indicators
    rows = ind[(ind["district"] == district) & (ind["kind"] == "target")]
    out = []
    for (indicator, year), grp in rows.groupby(["indicator", "year"], sort=False):
        grp = grp.assign(_t=grp["locator"].map(_table_first)).sort_values("_t", kind="stable")
        head = grp.iloc[0]
        values = grp["value"].dropna()
        conflict = values.nunique() > 1 or grp["comparator"].nunique() > 1
        out.append(Target(
            indicator=indicator, year=int(year), value=float(head["value"]), comparator=head["comparator"],
            binding=head["binding"] or next((b for b in grp["binding"] if b), ""), unit=head["unit"],
            source=head["source"], published=head["published"], locator=head["locator"],
            locators=tuple(f"{r.locator}「{r.published}」" if r.published else r.locator for r in grp.itertuples()),
            lines=tuple(int(i) + 2 for i in grp.index), conflict=bool(conflict),
        ))
    return tuple(out)


@functools.cache
def data_errors(ds: Dataset) -> tuple[dict[str, Any], ...]:
    """The data-error findings (:data:`QUARANTINE_CODES`) of ``shapan check``."""
    return tuple(f for f in run_checks(ds) if f["code"] in QUARANTINE_CODES)


def quarantine_lines(ds: Dataset) -> frozenset[int]:
    """indicators.csv lines named by a data-error finding."""
    return frozenset(line for f in data_errors(ds) for line in f["rows"])


def observed(ds: Dataset, district: str, indicator: str, inputs: Any = ()) -> dict[int, float]:
    """Observed values by year (baseline / actual / derived rows, table first; entered inputs override)."""
    out = dict(_published(ds, district, indicator))
    prefix = f"{indicator}@"
    for key, value in dict(inputs or {}).items():
        if key.startswith(prefix):
            out[int(key[len(prefix):])] = float(value)
    return dict(sorted(out.items()))


def _published(ds: Dataset, district: str, indicator: str) -> tuple[tuple[int, float], ...]:
    return _published_index(ds).get((district, indicator), ())


@functools.cache
def _published_index(ds: Dataset) -> dict[tuple[str, str], tuple[tuple[int, float], ...]]:
    """(district, indicator) -> observed (year, value), actual > baseline > derived, table before text."""
    ind = ds.indicators
    rows = ind[ind["kind"].isin(["baseline", "actual", "derived"]) & ind["value"].notna()]
    rows = rows.assign(_k=rows["kind"].map({"actual": 0, "baseline": 1, "derived": 2}),
                       _t=rows["locator"].map(_table_first)).sort_values(["_k", "_t"], kind="stable")
    found: dict[tuple[str, str], dict[int, float]] = {}
    for district, indicator, year, value in zip(rows["district"], rows["indicator"], rows["year"], rows["value"],
                                                strict=True):
        found.setdefault((district, indicator), {}).setdefault(int(year), float(value))
    return {key: tuple(sorted(v.items())) for key, v in found.items()}


# ------------------------------------------------------------------------------------------ the rules


def pace_rule(
    base: float, base_year: int, target: float, year: int, comparator: str, unit: str,
    earlier: tuple[float, int] | None, thresholds: dict[str, float],
) -> tuple[str, float, float]:
    """(status, required pace, past pace) of a tracked target; pace in pp/yr for % units, %/yr otherwise."""
    if tg.meets(base, comparator, target):
        return "met", 0.0, math.nan
    n = year - base_year
    if n <= 0:
        return "off_track", math.nan, math.nan
    sign = 1.0 if comparator == ">=" or (comparator == "=" and target > base) else -1.0
    linear = unit in PERCENT_UNITS or base <= 0 or target <= 0

    def pace(a: float, b: float, years: int) -> float:
        if years <= 0:
            return math.nan
        if linear:
            return sign * (b - a) / years
        return sign * ((b / a) ** (1 / years) - 1) * 100 if a > 0 and b > 0 else math.nan

    required = pace(base, target, n)
    past = pace(earlier[0], base, base_year - earlier[1]) if earlier else math.nan
    if not math.isnan(past):
        if past >= required:
            return "on_track", required, past
        ok = past > 0 and required <= thresholds["tracked_at_risk_ratio"] * past
        return ("at_risk" if ok else "off_track"), required, past
    pp = unit in PERCENT_UNITS
    on = thresholds["tracked_on_track_pp" if pp else "tracked_on_track_growth_pct"]
    risk = thresholds["tracked_at_risk_pp" if pp else "tracked_at_risk_growth_pct"]
    if linear and not pp:  # a count starting at zero: no growth rate to judge
        return "at_risk", required, past
    return ("on_track" if required <= on else "at_risk" if required <= risk else "off_track"), required, past


def status_from_projection(baseline: float, projected: float, target: float, comparator: str,
                           probability: float | None) -> tuple[str, str]:
    status = tg.status_of(baseline, projected, target, comparator, probability)
    basis = "p_met" if probability is not None and not math.isnan(probability) else "projection"
    return status, basis


# ------------------------------------------------------------------------------------------ reasons

REASONS = {  # code -> (zh, en); fields filled by _reason
    "modelled": ("模型预测", "model projection"),
    "derived_tekun_multiple": ("特困标准 ÷ {which}低保标准（模型路径）{note_zh}",
                               "特困 standard ÷ {which_en} 低保 standard (model paths){note_en}"),
    "derived_new_beds": ("新增床位 = {year}年床位 − {base_year}年床位（模型）{note_zh}",
                         "new beds = beds {year} − beds {base_year} (model){note_en}"),
    "derived_per_worker": ("社会工作者（{obs_year}年{obs:g}人，假定不变）÷ 模型{denominator_zh}",
                           "social workers ({obs:g} in {obs_year}, held) ÷ modelled {denominator_en}"),
    "rule_sync": ("同步：{year}年数值不低于{base_year}年的{target:g}",
                  "in step: {year} value not below {target:g} ({base_year})"),
    "rule_full_coverage": ("全覆盖 = 100%；{detail_zh}", "full coverage = 100 %; {detail_en}"),
    "rule_consumption": ("{year}年低保标准增幅（模型路径，城乡取低）对比居民人均消费支出增速 {target:g}%（假设）",
                         "{year} growth of the 低保 standards (model paths, lower of urban/rural) vs consumption "
                         "growth {target:g} % (assumption)"),
    "rule_min_wage": ("{pct:g}% × {year}年最低工资（预计{wage:.0f}元/月）= {target:.0f}元；{detail_zh}",
                      "{pct:g} % × minimum wage {year} (projected {wage:.0f} 元/月) = {target:.0f} 元; {detail_en}"),
    "rule_reference": ("不低于{ref_zh}（录入值）；{detail_zh}", "not below {ref_en} (entered); {detail_en}"),
    "tracked": ("{detail_zh}", "{detail_en}"),
    "observed": ("{year}年实际值 {obs:g}", "observed {year}: {obs:g}"),
    "needs_actual": ("需要：{label_zh}{year_zh}实际值（{unit}）", "needs: {label_en} actual{year_en} ({unit})"),
    "needs_param": ("需要：{param_zh}（情景参数 {param}）", "needs: {param_en} (scenario parameter {param})"),
    "needs_reference": ("需要：{ref_zh}（{unit}）", "needs: {ref_en} ({unit})"),
    "quarantined": ("已隔离（数据问题：{finding_zh}）；需要：确认更正后的目标值",
                    "quarantined (data problem: {finding_en}); needs: a confirmed corrected target value"),
    "no_figure": ("规划未给出可核对的数值或规则", "the plan states no figure or rule to check against"),
}
PARAM_FOR = {  # modelled indicator whose base figure is missing -> the scenario parameter that supplies it
    "nursing_bed_share": "beds.base_nursing_share_pct",
    "social_operated_bed_share": "beds.base_social_share_pct",
    "gov_operated_bed_share": "beds.base_social_share_pct",
    "elderly_beds": "beds.base_beds",
    "beds_per_1000_elderly": "beds.base_beds",
}
REFERENCES = {"重度残疾人护理补贴标准": ("disability_care_subsidy_standard", "重度残疾人护理补贴标准",
                                  "severe-disability care subsidy standard")}


def _pace_text(required: float, past: float, pp: bool, norm: bool) -> tuple[str, str]:
    u_zh, u_en = ("个百分点/年", " pp/yr") if pp else ("%/年", " %/yr")
    zh = f"跟踪：需年均{required:.1f}{u_zh}"
    en = f"tracked: needs {required:.1f}{u_en}"
    if not math.isnan(past):
        return zh + f"，以往年均{past:.1f}{u_zh}", en + f", past pace {past:.1f}{u_en}"
    if norm:
        return zh + "（无以往数据，按阈值判断）", en + " (no earlier value: judged on the thresholds)"
    return zh, en


# ------------------------------------------------------------------------------------------ evaluation


@dataclass
class _Ctx:
    ds: Dataset
    district: str
    base_year: int
    years: list[int]
    series: Any
    draws: dict[str, np.ndarray] | None
    probabilities: dict[tuple[str, int], float]
    inputs: dict[str, float]
    confirmed: dict[str, float]
    res: Any

    def path(self, indicator: str, year: int) -> float:
        values = self.series.get(indicator, {})
        return float(values.get(year, math.nan)) if values is not None else math.nan

    def drawn(self, indicator: str, year: int) -> np.ndarray | None:
        if self.draws is None or indicator not in self.draws or year not in self.years:
            return None
        values = np.asarray(self.draws[indicator])[:, self.years.index(year)]
        return None if np.isnan(values).all() else values


def _p(values: np.ndarray | None, comparator: str, target: float) -> float | None:
    if values is None or math.isnan(target):
        return None
    return float(np.mean(tg.meets(values, comparator, target)))


def _latest(obs: dict[int, float], before: int) -> tuple[float, int, tuple[float, int] | None]:
    """(value, year) of the latest observation before ``before`` and the one before it (or None)."""
    years = [y for y in obs if y < before]
    if not years:
        return math.nan, 0, None
    earlier = [y for y in years if y < years[-1]]
    return obs[years[-1]], years[-1], ((obs[earlier[-1]], earlier[-1]) if earlier else None)


def _out(mode: str, status: str, code: str, basis: str = "", **fields: Any) -> dict[str, Any]:
    zh, en = REASONS[code]
    defaults = {"note_zh": "", "note_en": "", "detail_zh": "", "detail_en": "", "year_zh": "", "year_en": ""}
    text = {**defaults, **fields}
    return {"mode": mode, "status": status, "reason_code": code, "basis": basis,
            "reason": zh.format(**text), "reason_en": en.format(**text), **{k: v for k, v in fields.items()
                                                                          if k in ("projected", "probability",
                                                                                   "target", "baseline",
                                                                                   "baseline_year",
                                                                                   "required_growth", "needs",
                                                                                   "comparator", "unit")}}


def _projected(ctx: _Ctx, t: Target, series: str, target: float, comparator: str, baseline: float,
               mode: str, code: str, **fields: Any) -> dict[str, Any]:
    """A target judged on a projected series (modelled, or a derived/rule series)."""
    projected = ctx.path(series, t.year) if "projected" not in fields else fields.pop("projected")
    prob = fields.pop("probability", None)
    if prob is None:
        prob = ctx.probabilities.get((t.indicator, t.year)) if mode == "modelled" else None
    status, basis = status_from_projection(baseline, projected, target, comparator, prob)
    return _out(mode, status, code, basis, projected=projected, probability=math.nan if prob is None else prob,
                target=target, comparator=comparator, baseline=baseline, **fields)


def _tracked(ctx: _Ctx, t: Target, target: float, comparator: str, obs: dict[int, float], code: str = "tracked",
             mode: str = "tracked", **fields: Any) -> dict[str, Any]:
    base, base_year, earlier = _latest(obs, t.year + (1 if t.year in obs and t.year > ctx.base_year else 0))
    if math.isnan(base):
        return _needs_actual(ctx, t)
    thresholds = {k.split(".", 1)[1]: float(ctx.res[k]) for k in ctx.res.values if k.startswith("targets.")}
    status, required, past = pace_rule(base, base_year, target, t.year, comparator, t.unit, earlier, thresholds)
    if base_year >= t.year:  # an actual for the target year itself: final
        status = "met" if tg.meets(base, comparator, target) else "off_track"
    pp = t.unit in PERCENT_UNITS
    zh, en = ("", "") if status == "met" else _pace_text(required, past, pp, earlier is None)
    if status == "met":
        zh, en = f"{base_year}年已达{base:g}", f"already {base:g} in {base_year}"
    fields = {"detail_zh": zh, "detail_en": en, **fields}
    return _out(mode, status, code, "pace", projected=math.nan, target=target, comparator=comparator,
                baseline=base, baseline_year=base_year, required_growth=required, **fields)


def _needs_actual(ctx: _Ctx, t: Target, year: int | None = None) -> dict[str, Any]:
    year = year or ctx.base_year
    return _out("needs_input", "needs_input", "needs_actual", needs=f"actual:{t.indicator}@{year}",
                label_zh=ctx.ds.label(t.indicator, "zh"), label_en=ctx.ds.label(t.indicator, "en"),
                year_zh=f"{year}年（或最新）", year_en=f" {year} (or latest)", unit=t.unit)


def _judge_future(ctx: _Ctx, t: Target, target: float) -> dict[str, Any]:
    ind, year, comp = t.indicator, t.year, t.comparator
    obs = observed(ctx.ds, ctx.district, ind, ctx.inputs)
    base, _, _ = _latest(obs, year)
    published = str(t.published)
    if comp == "sync":
        start = obs.get(ctx.base_year, ctx.path(ind, ctx.base_year))
        if math.isnan(ctx.path(ind, year)) or math.isnan(start):
            return _needs_actual(ctx, t)
        return _projected(ctx, t, ind, start, ">=", start, "rule", "rule_sync", base_year=ctx.base_year,
                          year=year, probability=_p(ctx.drawn(ind, year), ">=", start))
    if ind == "dibao_standard_annual_growth":
        return _consumption_rule(ctx, t)
    if ind == "tekun_to_urban_dibao_ratio" or ("低保标准的" in published and "倍" in published):
        return _tekun_multiple(ctx, t, target, published)
    if "最低工资标准的" in published:
        return _min_wage_rule(ctx, t, published, obs)
    for phrase, (ref_id, ref_zh, ref_en) in REFERENCES.items():
        if phrase in published:
            ref = ctx.inputs.get(f"{ref_id}@{year}")
            if ref is None:
                return _out("needs_input", "needs_input", "needs_reference", needs=f"reference:{ref_id}@{year}",
                            ref_zh=f"{year}年{ref_zh}", ref_en=f"{ref_en} {year}", unit=t.unit)
            return _tracked(ctx, t, ref, ">=", obs, "rule_reference", "rule", ref_zh=ref_zh, ref_en=ref_en)
    if ind in NEW_BEDS:
        return _new_beds(ctx, t, target)
    if ind in PER_SOCIAL_WORKER:
        return _per_worker(ctx, t, target)
    series = MODEL_SERIES.get(ind, ind)
    full = math.isnan(target) and "全覆盖" in published
    if full:
        target, comp = 100.0, ">="
    if math.isnan(target):
        return _out("not_modelled", "not_modelled", "no_figure")
    if (series in ctx.series or series in PARAM_FOR) and comp in (">=", "<=", "="):
        if not math.isnan(ctx.path(series, year)):
            code, mode = ("rule_full_coverage", "rule") if full else ("modelled", "modelled")
            prob = _p(ctx.drawn(series, year), comp, target) if full else None
            return _projected(ctx, t, series, target, comp, base, mode, code, probability=prob,
                              detail_zh="模型预测", detail_en="model projection")
        if ind in PARAM_FOR:
            key = PARAM_FOR[ind]
            from models import scenario as sc

            return _out("needs_input", "needs_input", "needs_param", needs=f"param:{key}", param=key,
                        param_zh=sc.param_label(key, "zh", ctx.ds.assumptions),
                        param_en=sc.param_label(key, "en", ctx.ds.assumptions))
    if ind.endswith("_14fyp"):
        return _period_total(ctx, t, target, obs)
    if full:
        return _tracked(ctx, t, target, comp, obs, "rule_full_coverage", "rule")
    return _tracked(ctx, t, target, comp, obs)


def _growth_draws(ctx: _Ctx, indicator: str, year: int) -> np.ndarray | None:
    now, before = ctx.drawn(indicator, year), ctx.drawn(indicator, year - 1)
    return None if now is None or before is None else (now / before - 1) * 100


def _consumption_rule(ctx: _Ctx, t: Target) -> dict[str, Any]:
    """不低于上年度居民人均消费支出增速: the lower yearly growth of the two 低保 paths vs consumption growth."""
    year = t.year
    growth = [ctx.path(i, year) / ctx.path(i, year - 1) * 100 - 100 for i in ("dibao_urban_standard",
                                                                              "dibao_rural_standard")]
    if any(math.isnan(g) for g in growth):
        return _needs_actual(ctx, t)
    target = float(ctx.res["benefits.consumption_growth_pct"])
    drawn = [_growth_draws(ctx, i, year) for i in ("dibao_urban_standard", "dibao_rural_standard")]
    prob = _p(np.minimum(*drawn), ">=", target) if all(d is not None for d in drawn) else None
    return _projected(ctx, t, "", target, ">=", math.nan, "rule", "rule_consumption", projected=min(growth),
                      probability=prob, year=year, unit="%")


def _tekun_multiple(ctx: _Ctx, t: Target, target: float, published: str) -> dict[str, Any]:
    """特困 ≥ k × 低保: k from the value (倍) or the text (不低于低保标准的1.3倍)."""
    if math.isnan(target):
        found = re.search(r"([0-9.]+)\s*倍", published)
        target = float(found.group(1)) if found else math.nan
    rural = "rural" in t.indicator
    dibao = "dibao_rural_standard" if rural else "dibao_urban_standard"
    tekun = ctx.path("tekun_standard", t.year) / ctx.path(dibao, t.year)
    if math.isnan(tekun) or math.isnan(target):
        return _needs_actual(ctx, t)
    base = ctx.path("tekun_standard", ctx.base_year) / ctx.path(dibao, ctx.base_year)
    a, b = ctx.drawn("tekun_standard", t.year), ctx.drawn(dibao, t.year)
    prob = _p(a / b, ">=", target) if a is not None and b is not None else None
    published_tekun = bool(observed(ctx.ds, ctx.district, "tekun_standard")
                           or observed(ctx.ds, ctx.district, "tekun_urban_standard"))
    note_zh = "" if published_tekun else "；规划未公布特困标准，模型按倍数起步，结果由假设决定"
    note_en = "" if published_tekun else (
        "; no published 特困 standard: the model starts it at the multiple, so this follows from the assumption")
    return _projected(ctx, t, "", target, ">=", base, "derived", "derived_tekun_multiple", projected=tekun,
                      probability=prob, which="农村" if rural else "城市", which_en="rural" if rural else "urban",
                      note_zh=note_zh, note_en=note_en, unit="倍")


def _min_wage_rule(ctx: _Ctx, t: Target, published: str, obs: dict[int, float]) -> dict[str, Any]:
    """A standard ≥ X % of the minimum wage: target = X % × the projected minimum wage, then the pace rule."""
    from models import benefits as bn

    found = re.search(r"最低工资标准的\s*([0-9.]+)\s*%", published)
    wages = dict(benefits_stage.min_wage_by_year(ctx.ds, ctx.district))
    if not found or not wages:
        return _out("needs_input", "needs_input", "needs_reference", needs=f"reference:minimum_wage@{t.year}",
                    ref_zh=f"{t.year}年最低工资标准", ref_en=f"minimum wage {t.year}", unit="元/月")
    pct = float(found.group(1))
    wage = float(bn.minimum_wage_path(wages, [t.year], float(ctx.res["benefits.min_wage_growth_pct"]))[0])
    target = pct / 100 * wage
    return _tracked(ctx, t, target, ">=", obs, "rule_min_wage", "rule", pct=pct, wage=wage, year=t.year)


def _new_beds(ctx: _Ctx, t: Target, target: float) -> dict[str, Any]:
    now, start = ctx.path("elderly_beds", t.year), ctx.path("elderly_beds", ctx.base_year)
    if math.isnan(now) or math.isnan(start):
        return _out("needs_input", "needs_input", "needs_param", needs="param:beds.base_beds", param="beds.base_beds",
                    param_zh="2020年养老床位数", param_en="beds in 2020")
    a, b = ctx.drawn("elderly_beds", t.year), ctx.drawn("elderly_beds", ctx.base_year)
    prob = _p(a - b, t.comparator, target) if a is not None and b is not None else None
    inclusive = NEW_BEDS[t.indicator] == "inclusive"
    return _projected(ctx, t, "", target, t.comparator, 0.0, "derived", "derived_new_beds", projected=now - start,
                      probability=prob, year=t.year, base_year=ctx.base_year,
                      note_zh="；普惠床位未单列，按全部新增床位计（上限）" if inclusive else "",
                      note_en="; inclusive beds are not separated: all new beds count (an upper bound)"
                      if inclusive else "")


def _per_worker(ctx: _Ctx, t: Target, target: float) -> dict[str, Any]:
    denominator, per = PER_SOCIAL_WORKER[t.indicator]
    obs = observed(ctx.ds, ctx.district, "social_workers", ctx.inputs)
    workers, obs_year, _ = _latest(obs, t.year)
    if math.isnan(workers):
        return _out("needs_input", "needs_input", "needs_actual", needs=f"actual:social_workers@{ctx.base_year}",
                    label_zh=ctx.ds.label("social_workers", "zh"), label_en=ctx.ds.label("social_workers", "en"),
                    year_zh=f"{ctx.base_year}年（或最新）", year_en=f" {ctx.base_year} (or latest)", unit="人")
    values = ctx.drawn(denominator, t.year)
    prob = _p(workers / values * per, t.comparator, target) if values is not None else None
    base_den = ctx.path(denominator, obs_year)
    return _projected(ctx, t, "", target, t.comparator, workers / base_den * per, "derived", "derived_per_worker",
                      projected=workers / ctx.path(denominator, t.year) * per, probability=prob, obs=workers,
                      obs_year=obs_year, denominator_zh=ctx.ds.label(denominator, "zh"),
                      denominator_en=ctx.ds.label(denominator, "en"))


def _period_total(ctx: _Ctx, t: Target, target: float, obs: dict[int, float]) -> dict[str, Any]:
    """A 14th-FYP cumulative target: entered running total vs a straight line, else vs the 13th-FYP total."""
    entered = {y: v for y, v in obs.items() if ctx.base_year < y <= t.year}
    thresholds = {k.split(".", 1)[1]: float(ctx.res[k]) for k in ctx.res.values if k.startswith("targets.")}
    if entered:
        y = max(entered)
        done, left = entered[y] / (y - ctx.base_year), (target - entered[y]) / max(t.year - y, 1)
        status = "met" if entered[y] >= target else "on_track" if done >= left else (
            "at_risk" if done * thresholds["tracked_at_risk_ratio"] >= left else "off_track")
        zh = f"跟踪：{y}年累计{entered[y]:g}，以往年均{done:.4g}，尚需年均{left:.4g}"
        en = f"tracked: {entered[y]:g} by {y}, {done:.4g}/yr so far, {left:.4g}/yr needed"
        return _out("tracked", status, "tracked", "pace", projected=math.nan, target=target,
                    comparator=t.comparator, baseline=entered[y], baseline_year=y, detail_zh=zh, detail_en=en)
    previous = observed(ctx.ds, ctx.district, t.indicator.replace("_14fyp", "_13fyp")).get(ctx.base_year)
    if previous is None or previous <= 0:
        return _out("needs_input", "needs_input", "needs_actual", needs=f"actual:{t.indicator}@{ctx.base_year + 1}",
                    label_zh=ctx.ds.label(t.indicator, "zh"), label_en=ctx.ds.label(t.indicator, "en"),
                    year_zh=f"{ctx.base_year + 1}年以来累计", year_en=f" cumulative since {ctx.base_year + 1}",
                    unit=t.unit)
    n = t.year - ctx.base_year
    required = ((target / previous) ** (1 / n) - 1) * 100
    status = "on_track" if required <= thresholds["tracked_on_track_growth_pct"] else (
        "at_risk" if required <= thresholds["tracked_at_risk_growth_pct"] else "off_track")
    zh = f"跟踪：“十三五”累计{previous:g}，本期目标{target:g}，期间总量需年均增长{required:.1f}%"
    en = f"tracked: 13th-FYP total {previous:g}, target {target:g}: the period total must grow {required:.1f} %/yr"
    return _out("tracked", status, "tracked", "pace", projected=math.nan, target=target, comparator=t.comparator,
                baseline=previous, baseline_year=ctx.base_year, required_growth=required, detail_zh=zh, detail_en=en)


def _judge_past(ctx: _Ctx, t: Target, target: float) -> dict[str, Any]:
    comp = t.comparator
    if math.isnan(target) and "全覆盖" in str(t.published):
        target, comp = 100.0, ">="
    if math.isnan(target) or comp not in (">=", "<=", "="):
        return _out("not_modelled", "not_modelled", "no_figure")
    obs = observed(ctx.ds, ctx.district, t.indicator, ctx.inputs)
    if t.year not in obs:
        return _needs_actual(ctx, t, t.year)
    value = obs[t.year]
    status = "achieved" if tg.meets(value, comp, target) else "missed"
    return _out("tracked", status, "observed", "observed", projected=value, target=target, comparator=comp,
                baseline=value, baseline_year=t.year, year=t.year, obs=value)


def _finding_text(ds: Dataset, t: Target) -> tuple[str, str]:
    for f in data_errors(ds):
        if set(f["rows"]) & set(t.lines):
            return f["message_zh"], f["message_en"]
    return "", ""


def evaluate(result: Any, ds: Dataset, probabilities: dict[tuple[str, int], float] | None = None,
             draws: dict[str, np.ndarray] | None = None) -> pd.DataFrame:
    """Every (merged) target of the district: mode, status, reason, quarantine, decided_by, locators."""
    res = result.resolved
    scen = res.scenario
    ctx = _Ctx(ds, res.district, scen.base_year, list(res.years), result.series, draws, dict(probabilities or {}),
               dict(getattr(scen, "target_inputs", {}) or {}), dict(getattr(scen, "target_confirmed", {}) or {}),
               res)
    bad = quarantine_lines(ds)
    rows = []
    for t in merged_targets(ds, res.district):
        key = f"{t.indicator}@{t.year}"
        quarantined = bool(bad & set(t.lines)) and key not in ctx.confirmed
        target = ctx.confirmed.get(key, t.value)
        if quarantined:
            zh, en = _finding_text(ds, t)
            out = _out("needs_input", "needs_input", "quarantined", needs=f"confirmed:{key}",
                       finding_zh=zh, finding_en=en)
        elif t.year <= ctx.base_year:
            out = _judge_past(ctx, t, target)
        else:
            out = _judge_future(ctx, t, target)
        rows.append(_row(ctx, t, target, out, quarantined, key in ctx.confirmed))
    frame = pd.DataFrame(rows, columns=[*tg.TARGET_COLUMNS, *EXTRA_COLUMNS, "reason_en"])
    return frame


def _row(ctx: _Ctx, t: Target, target: float, out: dict[str, Any], quarantined: bool, confirmed: bool) -> dict:
    obs = observed(ctx.ds, ctx.district, t.indicator, ctx.inputs)
    base, base_year, _ = _latest(obs, t.year + 1 if t.year <= ctx.base_year else t.year)
    baseline = out.get("baseline", base)
    baseline_year = out.get("baseline_year", base_year if not math.isnan(base) else math.nan)
    target = out.get("target", target)
    if math.isnan(target) and "全覆盖" in str(t.published):
        target = 100.0
    projected = out.get("projected", math.nan)
    required = out.get("required_growth")
    if required is None:
        years = t.year - baseline_year if not math.isnan(baseline_year or math.nan) else 0
        required = tg.required_growth_pct(baseline, target, int(years)) if t.year > ctx.base_year else math.nan
    reason = "" if confirmed is False else "已确认更正目标值；"
    reason_en = "" if confirmed is False else "corrected target value confirmed; "
    status = out["status"]
    return {
        "indicator": t.indicator, "year": t.year, "target": target, "comparator": out.get("comparator", t.comparator),
        "binding": t.binding, "baseline": baseline, "baseline_year": baseline_year, "projected": projected,
        "status": status, "required_growth": required,
        "gap": target - projected if not (math.isnan(target) or math.isnan(projected)) else math.nan,
        "probability": math.nan if quarantined else out.get("probability", math.nan),
        "unit": out.get("unit", t.unit), "source": t.source, "locator": t.locator, "published": t.published,
        "mode": out["mode"], "reason": reason + out["reason"], "reason_code": out["reason_code"],
        "basis": out["basis"], "quarantined": quarantined,
        "decided_by": authority.decided_by(ctx.ds, ctx.district, t.indicator), "locators": list(t.locators),
        "domain": ctx.ds.meta_of(t.indicator, "domain"), "needs": out.get("needs", ""), "conflict": t.conflict,
        "display_status": "quarantined" if quarantined else status, "reason_en": reason_en + out["reason_en"],
    }


# ------------------------------------------------------------------------------------------ shared views


def counts_text(frame: pd.DataFrame, lang: str = "zh") -> str:
    """"难实现 3 · 有风险 2 · …" (non-zero statuses, problems first): the one count line every surface prints."""
    from models.charts import status_label

    sep = "，" if lang == "zh" else ", "
    return sep.join(f"{status_label(s, lang)} {n}" for s, n in status_counts(frame).items() if n)


def status_counts(frame: pd.DataFrame) -> dict[str, int]:
    """Rows per displayed status (quarantined rows counted apart), in problem-first order; sums to len(frame)."""
    counts = frame["display_status"].value_counts() if "display_status" in frame else frame["status"].value_counts()
    return {s: int(counts.get(s, 0)) for s in PROBLEM_ORDER}


def sort_problems_first(frame: pd.DataFrame) -> pd.DataFrame:
    column = "display_status" if "display_status" in frame else "status"
    rank = frame[column].map({s: i for i, s in enumerate(PROBLEM_ORDER)}).fillna(len(PROBLEM_ORDER))
    order = pd.DataFrame({"rank": rank, "year": -frame["year"]}).sort_values(["rank", "year"], kind="stable").index
    return frame.loc[order].reset_index(drop=True)


def legend(res: Any, lang: str = "zh") -> list[tuple[str, str]]:
    """(status, what it means) for every status, with the scenario's thresholds: the legend every surface shows."""
    on, risk = f"{tg.P_ON_TRACK:.0%}", f"{tg.P_AT_RISK:.0%}"
    margin = f"{tg.AT_RISK_MARGIN:.0%}"
    v = {k.split(".", 1)[1]: res[k] for k in res.values if k.startswith("targets.")}
    zh = {
        "met": "基期已达标，且预测/进度保持达标",
        "on_track": f"达标概率≥{on}（有抽样时）；无抽样时预测达标；跟踪目标所需年均速度不超过以往速度"
                    f"（无以往数据时不超过{v['tracked_on_track_pp']:g}个百分点或{v['tracked_on_track_growth_pct']:g}%）",
        "at_risk": f"达标概率{risk}–{on}；无抽样时预测差距不超过{margin}；跟踪目标所需速度不超过以往速度的"
                   f"{v['tracked_at_risk_ratio']:g}倍（或{v['tracked_at_risk_pp']:g}个百分点、"
                   f"{v['tracked_at_risk_growth_pct']:g}%）",
        "off_track": f"达标概率<{risk}，或预测/所需速度超出上述范围",
        "achieved": "目标年不晚于基期年，实际值达标",
        "missed": "目标年不晚于基期年，实际值未达标",
        "needs_input": "缺少判断所需的数据：原因栏写明需要哪一个数字，可在本页录入",
        "quarantined": "目标数值有数据问题（见数据核查），确认更正值前不计入统计和概率",
        "not_modelled": "规划未给出可核对的数值或规则",
    }
    en = {
        "met": "already met at the base year and kept by the projection / progress",
        "on_track": f"P(met) ≥ {on} where drawn; else the projection meets it; tracked targets: required pace "
                    f"not above the past pace (without one: ≤ {v['tracked_on_track_pp']:g} pp or "
                    f"{v['tracked_on_track_growth_pct']:g} % a year)",
        "at_risk": f"P(met) {risk}–{on}; else the projection misses by ≤ {margin}; tracked targets: required pace "
                   f"up to {v['tracked_at_risk_ratio']:g}× the past pace (or {v['tracked_at_risk_pp']:g} pp, "
                   f"{v['tracked_at_risk_growth_pct']:g} %)",
        "off_track": f"P(met) < {risk}, or the projection / required pace beyond those limits",
        "achieved": "target year not after the base year, and the observed value meets it",
        "missed": "target year not after the base year, and the observed value misses it",
        "needs_input": "a figure is missing: the reason names it, and this page has an input for it",
        "quarantined": "the target figure has a data problem (see data checks); out of counts and probabilities "
                       "until a corrected value is confirmed",
        "not_modelled": "the plan states no figure or rule to check",
    }
    texts = zh if lang == "zh" else en
    return [(s, texts[s]) for s in PROBLEM_ORDER]




PROBLEMS = ("off_track", "missed", "at_risk")


def problems_by_decider(frame: pd.DataFrame) -> dict[str, int]:
    """Problem targets (off track, missed, at risk; not quarantined) per level that decides them, so a leader
    sees which misses are the district's to fix (区县 first)."""
    rows = frame[frame["display_status"].isin(PROBLEMS)]
    counts = rows["decided_by"].value_counts()
    return {level: int(counts.get(level, 0)) for level in ("区县", "市", "省", "中央") if counts.get(level, 0)}


def deciders_text(frame: pd.DataFrame, lang: str = "zh") -> str:
    """"问题目标 7 个：区县决定 5 个，市决定 2 个" — empty when there is no problem target."""
    counts = problems_by_decider(frame)
    if not counts:
        return ""
    total = sum(counts.values())
    if lang == "zh":
        return f"问题目标{total}个：" + "，".join(f"{level}决定{n}个" for level, n in counts.items())
    return f"{total} problem targets: " + ", ".join(
        f"{n} decided by the {authority.label(level, 'en')}" for level, n in counts.items())
