"""概览 Overview (scorecard of every target).

Placeholder (title + under construction) until its work stream fills it.
"""

from pages._ui import under_construction

under_construction("nav.overview")
