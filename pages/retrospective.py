"""期末评估 Retrospective (actuals, backtest).

Placeholder (title + under construction) until its work stream fills it.
"""

from pages._ui import under_construction

under_construction("nav.retrospective")
