"""The plan's own bed pipeline: named projects at their dates, the plan's total phased over the plan years.

A plan states a bed total for its last year (巴南: 养老床位 12,000 in 2025, i.e. +2,000) or a number of new
beds (武隆: 新增普惠养老床位 1,500), and names a few projects, most without an opening year ("十四五期间").
The default pipeline is:

* projects with an opening year open then;
* projects without one, and the rest of the plan total (total − base − all named projects, when positive),
  are phased over the plan years ``base_year + 1 .. plan_end_year`` by a profile:
  ``linear`` (equal each year), ``front`` (weights n, n−1, …, 1) or ``back`` (1, 2, …, n);
* whole beds: each phased amount is split into integers that sum exactly to it (largest remainder).

So 巴南 reaches the plan's 12,000 beds in 2025 by default, and undated projects no longer all open in the
plan's last year (which made beds per 1,000 fall and then jump).
"""

from __future__ import annotations

import math

import numpy as np

from models.beds import Project
from models.errors import ShapanError

PROFILES = ("linear", "front", "back")


def weights(n_years: int, profile: str) -> np.ndarray:
    """Phasing weights over ``n_years`` plan years (sum 1)."""
    if profile not in PROFILES:
        raise ShapanError("wrong_type", file="[beds]", key="plan_profile", expected=" | ".join(PROFILES),
                          value=profile)
    if n_years < 1:
        return np.zeros(0)
    raw = {"linear": np.ones(n_years), "front": np.arange(n_years, 0, -1.0), "back": np.arange(1.0, n_years + 1)}
    w = raw[profile]
    return w / w.sum()


def whole(total: int, w: np.ndarray) -> np.ndarray:
    """Integers proportional to ``w`` that sum exactly to ``total`` (largest-remainder rounding)."""
    exact = total * w
    out = np.floor(exact).astype(int)
    short = int(total - out.sum())
    if short > 0:
        order = np.argsort(-(exact - out), kind="stable")
        out[order[:short]] += 1
    return out


def phase(project: Project, years: list[int], profile: str) -> list[Project]:
    """One undated project spread over ``years``: pieces with the same operator and nursing share."""
    pieces = whole(int(project.beds), weights(len(years), profile))
    nursing = None
    if project.nursing_beds is not None and not math.isnan(project.nursing_beds):
        nursing = whole(int(project.nursing_beds), weights(len(years), profile))
    return [
        Project(year_open=y, beds=int(b), nursing_beds=None if nursing is None else int(nursing[i]),
                operator=project.operator)
        for i, (y, b) in enumerate(zip(years, pieces, strict=True))
        if b > 0
    ]


def pipeline(
    base_beds: float,
    dated: list[Project],
    undated: list[Project],
    plan_total: float | None,
    base_year: int,
    plan_end_year: int,
    profile: str = "linear",
) -> tuple[list[Project], int]:
    """Projects of the default pipeline and the number of beds added to reach ``plan_total`` (0 if none).

    ``plan_total`` is the plan's bed stock in ``plan_end_year`` (NaN/None: the plan states none).
    """
    years = list(range(base_year + 1, plan_end_year + 1))
    out = list(dated)
    for project in undated:
        out.extend(phase(project, years, profile) if years else [])
    rest = 0
    if plan_total is not None and not math.isnan(plan_total):
        named = sum(p.beds for p in dated if base_year < p.year_open <= plan_end_year) + sum(p.beds for p in undated)
        rest = max(0, round(plan_total - base_beds - named))
        if rest and years:
            out.extend(phase(Project(year_open=plan_end_year, beds=rest), years, profile))
    return out, rest
