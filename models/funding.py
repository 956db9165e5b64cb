"""Who pays: the split of assistance spending (低保, 特困, 孤儿, 临时救助 …) by level, with its basis.

The mechanism has a source, the percentages do not. 困难群众救助 is a central–local shared responsibility
(国办发〔2018〕6号, ``gov_office_2018_6``); the central subsidy is allocated by factors (local fiscal capacity,
caseload), not by one of the fixed tier shares that notice sets for seven other items; Chongqing splits
shared items between the city and its districts (渝府办发〔2019〕41号, ``cq_gov_office_2019_41``). No plan
and no source read here prints a district's shares, so ``budget.share_central_pct`` and
``budget.share_municipal_pct`` are assumptions (editable; ``data/assumptions.toml`` says why) and the
district pays the remainder. :func:`basis` says all of that wherever the split is shown.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from models import budget as bu
from models.data import Dataset

SHARE_KEYS = ("budget.share_central_pct", "budget.share_municipal_pct")
MECHANISM_SOURCES = {"": "gov_office_2018_6", "重庆市": "cq_gov_office_2019_41"}  # province ("" = every) -> id
LEVELS = ("central", "municipal", "district")


def shares(res: Any) -> dict[str, float]:
    """``{"central", "municipal", "district"}`` in % (district = 100 − the other two)."""
    central, municipal = (float(res[k]) for k in SHARE_KEYS)
    return {"central": central, "municipal": municipal, "district": 100.0 - central - municipal}


def _provenance(res: Any, ds: Dataset, key: str) -> str:
    if res.provenance.get(key) == "user":
        return "user"
    entry = ds.assumptions.get(key)
    return "assumption" if entry is None or entry.is_assumption else entry.source


def basis(res: Any, ds: Dataset) -> dict[str, Any]:
    """The split with where each share comes from and the policy that sets the mechanism (zh and en)."""
    pct = shares(res)
    prov = {k.split(".")[1]: _provenance(res, ds, k) for k in SHARE_KEYS}
    province = str(ds.district(res.district)["province"])
    ids = [sid for where, sid in MECHANISM_SOURCES.items() if where in ("", province) and sid in ds.sources]
    sources = [{"id": s, "title": ds.sources[s].get("title", ""), "doc_no": ds.sources[s].get("doc_no", ""),
                "url": ds.sources[s].get("url", "")} for s in ids]
    docs = "、".join(s["doc_no"] for s in sources if s["doc_no"])
    docs_en = ", ".join(s["doc_no"] for s in sources if s["doc_no"])
    label_zh = {"user": "用户输入", "assumption": "假设"}
    label_en = {"user": "user input", "assumption": "assumption"}
    central, municipal = prov["share_central_pct"], prov["share_municipal_pct"]
    zh = (f"中央{pct['central']:g}%（{label_zh.get(central, central)}）、市级{pct['municipal']:g}%"
          f"（{label_zh.get(municipal, municipal)}）、区县{pct['district']:g}%（其余）。"
          f"分担机制见{docs}：困难群众救助为共同财政事权，中央补助按地方财力和保障对象数量等因素分配，"
          "未公布区县比例，故比例为可修改的假设；有区县决算时请改为实际比例。")
    en = (f"central {pct['central']:g}% ({label_en.get(central, central)}), municipal {pct['municipal']:g}% "
          f"({label_en.get(municipal, municipal)}), district {pct['district']:g}% (the rest). The mechanism is "
          f"set by {docs_en}: assistance to people in need is a shared responsibility and the central subsidy is "
          "allocated by factors (fiscal capacity, caseload); no district share is published, so the shares "
          "are editable assumptions — replace them with the district's final accounts where known.")
    return {"shares_pct": pct, "provenance": {"central": central, "municipal": municipal, "district": "remainder"},
            "sources": sources, "basis_zh": zh, "basis_en": en}


def period_split(costs: pd.DataFrame, res: Any, start: int, end: int,
                 value: str = "cost_wan_yuan") -> dict[str, float] | None:
    """Totals by level over ``start..end`` (万元) of column ``value``; ``None`` when nothing is costed."""
    if costs.empty:
        return None
    window = costs[(costs["year"] >= start) & (costs["year"] <= end)]
    if window.empty:
        return None
    total = float(window[value].sum())
    pct = shares(res)
    split = bu.split_by_level(pd.DataFrame({"cost_wan_yuan": [total]}), pct["central"], pct["municipal"])
    return {level: float(split[f"{level}_wan_yuan"].iloc[0]) for level in LEVELS}


def run_payload(result: Any, ds: Dataset, real_costs: pd.DataFrame, start: int, end: int) -> dict[str, Any]:
    """``funding_split`` of ``shapan run --json``: shares, basis, sources and the period totals by level
    (nominal and at base-year prices)."""
    res = result.resolved
    out = basis(res, ds)
    out["period"] = {"start": start, "end": end,
                     "nominal": period_split(result.budget, res, start, end),
                     "real": period_split(real_costs, res, start, end, "cost_real_wan_yuan")}
    return out
