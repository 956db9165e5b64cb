"""A report table: strings already formatted in the plan's units, printed as they are by every renderer.

Its own module so that the report's sections (:mod:`models.reporting.content`,
:mod:`models.reporting.evaluation_section`) can both build tables without importing each other.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Table:
    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    widths: tuple[float, ...]  # relative
    statuses: tuple[str, ...] = ()  # per row, for colouring
    total_row: bool = False
    numeric: tuple[int, ...] = ()  # right-aligned columns
