"""The plan calendar: which years are the base, the 14th plan period, the 15th plan period, the horizon.

Every district plan in ``data/`` is a 14th Five-Year Plan (十四五, 2021–2025) based on 2020, the last year
of the 13th plan (十三五, 2016–2020, history from its base year 2015). The retrospective drafts the 15th plan
(十五五, 2026–2030). Models project to 2035. These years are declared here once; every module that needs
one imports it from here.
"""

from __future__ import annotations

HISTORY_START = 2015  # base year of the 13th plan: first year of published history
BASE_YEAR = 2020  # last year of the 13th plan, base year of the 14th
PERIODS: dict[int, tuple[int, int]] = {13: (2016, 2020), 14: (2021, 2025), 15: (2026, 2030)}  # plan -> first, last
PLAN = 14  # the plan the data's targets belong to
PLAN_YEARS = PERIODS[PLAN]  # (2021, 2025)
PLAN_START_YEAR, PLAN_END_YEAR = PLAN_YEARS
NEXT_PLAN_YEARS = PERIODS[PLAN + 1]  # (2026, 2030): the period the retrospective drafts targets for
NEXT_PLAN_END_YEAR = NEXT_PLAN_YEARS[1]
HORIZON_END = 2035  # last year the models project
MODEL_YEARS = (HISTORY_START, HORIZON_END)  # allowed range of scenario / actuals years
REBASE_YEARS = (PLAN_START_YEAR, NEXT_PLAN_END_YEAR)  # years a run can be rebased on actuals


def plan_of(year: int) -> int | None:
    """The Five-Year Plan (13, 14, 15) whose period contains ``year``; None outside them."""
    for plan, (first, last) in PERIODS.items():
        if first <= year <= last:
            return plan
    return None


def period(plan: int) -> tuple[int, int]:
    """First and last year of the ``plan``-th Five-Year Plan (any plan: five years each, 14th = 2021–2025)."""
    first = PERIODS[PLAN][0] + 5 * (plan - PLAN)
    return first, first + 4


def period_years(plan: int) -> list[int]:
    """The five calendar years of the ``plan``-th Five-Year Plan."""
    first, last = period(plan)
    return list(range(first, last + 1))
