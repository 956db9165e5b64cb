"""人口老龄化 Population (cohort projection of the elderly).

Placeholder (title + under construction) until its work stream fills it.
"""

from pages._ui import under_construction

under_construction("nav.population")
