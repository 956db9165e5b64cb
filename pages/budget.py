"""财政成本 Budget (cost by programme and year).

Placeholder (title + under construction) until its work stream fills it.
"""

from pages._ui import under_construction

under_construction("nav.budget")
