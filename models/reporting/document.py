"""The report as a flat list of blocks (headings, paragraphs, lists, tables, charts, page breaks) in the
official order; the PDF, Word and HTML renderers walk this list, so all three say the same thing."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from models.reporting.content import Content, Table
from models.reporting.words import W


@dataclass(frozen=True)
class Block:
    kind: str  # title | subtitle | meta | h1 | h2 | h3 | p | note | numbered | table | chart | pagebreak
    text: str = ""
    items: tuple[str, ...] = ()
    table: Table | None = None
    chart: dict[str, Any] | None = None


def blocks(c: Content) -> list[Block]:
    lang = c.lang
    out = [Block("title", c.title), Block("subtitle", c.subtitle), Block("meta", c.meta), Block("meta", c.plan),
           Block("h1", W("h_summary", lang)), Block("h2", W("h_findings", lang)),
           Block("numbered", items=c.findings), Block("h2", W("h_decisions", lang)),
           Block("numbered", items=c.decisions), Block("pagebreak"),
           Block("h1", W("h_scorecard", lang)), Block("note", c.status_note), Block("h2", W("h_problems", lang))]
    out.append(Block("table", table=c.problems) if c.problems.rows else Block("p", W("none_problem", lang)))
    out.append(Block("h2", W("h_judged", lang)))
    out.append(Block("table", table=c.judged) if c.judged.rows else Block("p", W("none_judged", lang)))
    if c.unjudged:
        out += [Block("h2", W("h_unjudged", lang)), *[Block("p", line) for line in c.unjudged]]
    if c.drivers is not None:
        out += [Block("h2", W("h_drivers", lang)), Block("note", W("drivers_note", lang)),
                Block("table", table=c.drivers)]
    if c.trends:
        out.append(Block("h1", W("h_trends", lang)))
        if c.population_basis:
            out.append(Block("note", c.population_basis))
        for trend in c.trends:
            out.append(Block("chart", text=trend.line, chart=trend.spec))  # caption kept with its chart
    out.append(Block("h1", W("h_cost", lang)))
    out += [Block("note", n) for n in c.cost_notes]
    if c.cost_table is not None:
        out.append(Block("table", table=c.cost_table))
    if c.cost_chart is not None:
        out.append(Block("chart", chart=c.cost_chart))
    if c.evaluation:  # with actuals: 五、期末评估 and 六、十五五草案 before the appendix
        out.append(Block("pagebreak"))
        out += [Block(p.kind, text=p.text, items=p.items, table=p.table) for p in c.evaluation]
    out += [Block("pagebreak"), Block("h1", W("h_appendix", lang)), Block("h2", W("h_app_targets", lang))]
    for label, table in c.appendix_targets:
        out += [Block("h3", label), Block("table", table=table)]
    out += [Block("h2", W("h_app_assumptions", lang)), Block("table", table=c.assumptions),
            Block("h2", W("h_app_quality", lang)), *[Block("p", q) for q in c.quality]]
    return out


HEADING_KINDS = ("h1", "h2", "h3")


def headings(c: Content) -> list[str]:
    """Every heading in order (for tests: no duplicates, official order)."""
    return [b.text for b in blocks(c) if b.kind in HEADING_KINDS]
