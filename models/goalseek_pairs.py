"""Multi-lever "what would": where no single lever reaches a target, the smallest pair of levers that does.

For each pair (A, B) of levers that move the indicator (:func:`models.targets.levers_for`), A is set on a
grid over its range and B is solved exactly (:func:`models.targets.solve`, brentq) for each grid value;
every feasible (a, b) is a candidate. "Smallest" is measured in beds touched per year — new beds +
beds converted to nursing + beds transferred to social operation (the bed-count levers) — and, between
equal bed counts, the smaller change of the share levers (%) from their current values. The grid of a
bed-count lever is refined once around the best value (whole beds). The best candidate is rounded to
whole beds in the direction that keeps the target met and, where Monte Carlo draws exist, B is raised
until P(met) ≥ ``p_target`` (:func:`models.goalseek.solve_confidence` with A fixed), so the answer is a
combination a planner can adopt with the stated confidence.
"""

from __future__ import annotations

import itertools
import math
from typing import Any

import numpy as np

from models import goalseek, labels
from models import scenario as sc
from models import targets as tg
from models.data import Dataset
from models.errors import ShapanError
from models.resolve import Resolved

BED_GRID = (0, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000)
SHARE_STEP = 10.0  # % grid for share levers
REFINE_POINTS = 12


def _grid(res: Resolved, ds: Dataset, lever: str) -> list[float]:
    lo, hi = (float(v) for v in sc.param_range(tg.LEVERS[lever], ds.assumptions))
    if lever in goalseek.WHOLE_BED_LEVERS:
        return [float(x) for x in BED_GRID if lo <= x <= hi]
    return [float(x) for x in np.arange(lo, hi + 1e-9, SHARE_STEP)]


def _moves(res: Resolved, ds: Dataset, project: Any, lever: str) -> bool:
    key = tg.LEVERS[lever]
    lo, hi = (float(v) for v in sc.param_range(key, ds.assumptions))
    a, b = project(tg.with_values(res, **{key: lo})), project(tg.with_values(res, **{key: hi}))
    return bool(np.isfinite(a) and np.isfinite(b) and abs(a - b) > 1e-9)


def _cost(res: Resolved, values: dict[str, float]) -> tuple[float, float]:
    beds = sum(v for lever, v in values.items() if lever in goalseek.WHOLE_BED_LEVERS)
    shares = sum(abs(v - float(res[tg.LEVERS[lever]])) for lever, v in values.items()
                 if lever not in goalseek.WHOLE_BED_LEVERS)
    return float(beds), float(shares)


def _solve_b(res: Resolved, ds: Dataset, indicator: str, a_lever: str, a: float, b_lever: str, target: float,
             year: int) -> float | None:
    try:
        found = tg.solve(tg.with_values(res, **{tg.LEVERS[a_lever]: a}), ds, indicator, b_lever,
                         target=target, year=year)
    except ShapanError:
        return None
    return float(found["value"])


def _best_for_pair(res: Resolved, ds: Dataset, indicator: str, a_lever: str, b_lever: str, target: float,
                   year: int) -> dict[str, float] | None:
    found = [(a, b) for a in _grid(res, ds, a_lever)
             if (b := _solve_b(res, ds, indicator, a_lever, a, b_lever, target, year)) is not None]
    if not found:
        return None
    best = min(found, key=lambda ab: _cost(res, {a_lever: ab[0], b_lever: ab[1]}))
    if a_lever in goalseek.WHOLE_BED_LEVERS:  # refine between the grid neighbours of the best value
        grid = _grid(res, ds, a_lever)
        i = grid.index(best[0])
        lo, hi = grid[max(i - 1, 0)], grid[min(i + 1, len(grid) - 1)]
        for a in np.unique(np.round(np.linspace(lo, hi, REFINE_POINTS))):
            b = _solve_b(res, ds, indicator, a_lever, float(a), b_lever, target, year)
            if b is not None and _cost(res, {a_lever: a, b_lever: b}) < _cost(res, {a_lever: best[0],
                                                                                   b_lever: best[1]}):
                best = (float(a), b)
    return {a_lever: best[0], b_lever: best[1]}


def _text(res: Resolved, ds: Dataset, combo: dict[str, Any], indicator: str, target: float, comparator: str,
          year: int, lang: str) -> str:
    def part(lever: str, value: float) -> str:
        key = tg.LEVERS[lever]
        label, unit = sc.param_label(key, lang, ds.assumptions), sc.param_unit(key, lang, ds.assumptions)
        return f"{label} {value:,.0f} {unit}" if lever in goalseek.WHOLE_BED_LEVERS else f"{label} {value:g} {unit}"

    parts = ("＋" if lang == "zh" else " + ").join(part(lv, v) for lv, v in combo["values"].items())
    name = ds.label(indicator, lang)
    p = combo.get("p_met")
    words = labels.pair("comparator", comparator)  # models/labels [comparator]; an unknown one prints as itself
    if lang == "zh":
        text = f"单一措施无法使{year}年{name}{words[0]}{target:g}；组合：{parts}，即可达到"
        return text + (f"（达标概率{p * 100:.0f}%）。" if p is not None else "。")
    text = f"No single lever brings {name} to {words[1]} {target:g} by {year}; together: {parts} would"
    return text + (f" (P(met) {p * 100:.0f} %)." if p is not None else ".")


def combinations(res: Resolved, ds: Dataset, indicator: str, *, year: int | None = None,
                 target: float | None = None, p_target: float | None = 0.8, n: int | None = None,
                 seed: int | None = None, limit: int = 3) -> dict[str, Any]:
    """The smallest lever pairs that meet ``indicator``'s target (best first), with P(met) for the best.

    Returns ``{"indicator", "year", "target", "comparator", "single_reachable", "combinations": [...],
    "text_zh", "text_en"}``; each combination has ``values`` ({lever: value}, whole beds), ``beds_per_year``
    and, for the first, ``p_met`` (Monte Carlo, when ``p_target`` is given) — B raised until P ≥ p_target.
    ``single_reachable`` lists the levers that reach the target alone (then no pair is needed)."""
    row_target, row_year, comparator = goalseek._target(res, ds, indicator, target, year)
    project = tg.projector(res, ds, indicator, row_year)
    now = project(res)
    if not np.isfinite(now):  # a base figure is not published (e.g. 城口's nursing share)
        raise ShapanError("not_modelled", indicator=indicator)
    if bool(tg.meets(np.array([now]), comparator, row_target)[0]):
        return {"indicator": indicator, "year": row_year, "target": row_target, "comparator": comparator,
                "already_met": True, "projected": now, "single_reachable": [], "combinations": [],
                "text_zh": f"当前方案{row_year}年{ds.label(indicator, 'zh')}为{now:.4g}，已达到目标，无需调整。",
                "text_en": f"The current scenario already meets the {ds.label(indicator, 'en')} target in "
                           f"{row_year} ({now:.4g}); no change is needed."}
    levers = [lv for lv in tg.levers_for(indicator, res["benefits.rule"]) if _moves(res, ds, project, lv)]
    single = [lv for lv in levers if _solve_b(res, ds, indicator, lv, float(res[tg.LEVERS[lv]]), lv,
                                               row_target, row_year) is not None]
    out: dict[str, Any] = {"indicator": indicator, "year": row_year, "target": row_target,
                           "comparator": comparator, "already_met": False, "projected": now,
                           "single_reachable": single, "combinations": []}
    if single:
        out["text_zh"] = out["text_en"] = ""
        return out
    found = []
    for x, y in itertools.combinations(levers, 2):  # a share lever goes on the grid, the bed lever is solved
        a_lever, b_lever = (y, x) if x in goalseek.WHOLE_BED_LEVERS and y not in goalseek.WHOLE_BED_LEVERS else (x, y)
        best = _best_for_pair(res, ds, indicator, a_lever, b_lever, row_target, row_year)
        if best is not None:
            found.append(_whole(res, ds, indicator, best, a_lever, b_lever, row_target, comparator, row_year))
    found = [f for f in found if f is not None]
    found.sort(key=lambda c: _cost(res, c["values"]))
    out["combinations"] = found[:limit]
    if found and p_target is not None:
        out["combinations"][0] = _confident(res, ds, indicator, out["combinations"][0], p_target, n, seed,
                                            row_target, row_year)
    if found:
        out["text_zh"] = _text(res, ds, out["combinations"][0], indicator, row_target, comparator, row_year, "zh")
        out["text_en"] = _text(res, ds, out["combinations"][0], indicator, row_target, comparator, row_year, "en")
    else:
        out["text_zh"] = f"单一措施和两两组合都无法在{row_year}年达到{ds.label(indicator, 'zh')}目标。"
        out["text_en"] = f"Neither one lever nor any pair reaches the {ds.label(indicator, 'en')} target by {row_year}."
    return out


def _whole(res: Resolved, ds: Dataset, indicator: str, values: dict[str, float], a_lever: str, b_lever: str,
           target: float, comparator: str, year: int) -> dict[str, Any] | None:
    """Round the bed levers to whole beds, B in the direction that keeps the target met."""
    project = tg.projector(res, ds, indicator, year)
    out = dict(values)
    if a_lever in goalseek.WHOLE_BED_LEVERS:
        out[a_lever] = float(round(values[a_lever]))
    for up in (True, False):
        trial = dict(out)
        trial[b_lever] = goalseek._round(b_lever, values[b_lever], up)
        got = project(tg.with_values(res, **{tg.LEVERS[k]: v for k, v in trial.items()}))
        if bool(tg.meets(np.array([got]), comparator, target)[0]) or math.isclose(got, target, abs_tol=1e-9):
            return {"values": trial, "achieved": got, "beds_per_year": _cost(res, trial)[0]}
    return None


def _confident(res: Resolved, ds: Dataset, indicator: str, combo: dict[str, Any], p_target: float,
               n: int | None, seed: int | None, target: float, year: int) -> dict[str, Any]:
    """Raise the solved lever of ``combo`` until the Monte Carlo P(met) ≥ ``p_target`` (the other fixed)."""
    a_lever, b_lever = list(combo["values"])
    fixed = tg.with_values(res, **{tg.LEVERS[a_lever]: combo["values"][a_lever]})
    found = goalseek.solve_confidence(fixed, ds, indicator, b_lever, p_target=p_target, n=n, seed=seed,
                                      target=target, year=year)
    out = dict(combo)
    if found["reachable"]:
        values = {a_lever: combo["values"][a_lever], b_lever: found["value"]}
        achieved = tg.projector(res, ds, indicator, year)(tg.with_values(fixed, **{tg.LEVERS[b_lever]: found["value"]}))
        out.update(values=values, achieved=achieved, p_met=found["p_at_value"], beds_per_year=_cost(res, values)[0],
                   p_target=p_target)
    else:
        out.update(p_met=found["p_at_value"], p_target=p_target, p_target_unreachable=True)
    return out
