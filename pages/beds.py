"""养老床位 Beds (pipeline, demand vs supply, DES).

Placeholder (title + under construction) until its work stream fills it.
"""

from pages._ui import under_construction

under_construction("nav.beds")
