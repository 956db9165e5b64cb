"""汇报材料 Report (xlsx / PDF / HTML).

Placeholder (title + under construction) until its work stream fills it.
"""

from pages._ui import under_construction

under_construction("nav.report")
