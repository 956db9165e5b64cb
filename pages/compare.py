"""方案对比 Compare (scenarios side by side).

Placeholder (title + under construction) until its work stream fills it.
"""

from pages._ui import under_construction

under_construction("nav.compare")
