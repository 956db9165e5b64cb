"""目标可达性 Targets (status, goal-seek, Monte Carlo).

Placeholder (title + under construction) until its work stream fills it.
"""

from pages._ui import under_construction

under_construction("nav.targets")
