"""救助标准 Benefits (standard paths and compliance).

Placeholder (title + under construction) until its work stream fills it.
"""

from pages._ui import under_construction

under_construction("nav.benefits")
