"""A validated workbook (:class:`models.workbook_import.Parsed`) -> a user district folder under SHAPAN_HOME.

:func:`build_files` writes the district in the formats of ``data/`` (see :mod:`models.user_districts`):
the plan becomes source ``<id>_plan`` (kind ``user``); a row's ``source`` cell is blank (= the plan), a
known Shapan source id (kept), or free text (a new user source ``<id>_srcN`` titled with it); indicator
ids missing from the registry get an ``indicator_meta.csv`` row from the sheet's label. The plan /
freeze / stress presets are the shipped ones with the district replaced.

:func:`import_workbook` checks the folder with the strict loaders of :mod:`models.data` (in a temporary
folder) before it replaces the user's copy, so a district that is stored always loads.
"""

from __future__ import annotations

import dataclasses
import io
import math
import tempfile
from pathlib import Path
from typing import Any

import pandas as pd
import tomli_w

from models import presets, user_districts
from models import scenario as sc
from models import setters as st_
from models import workbook_import as wi
from models.data import INDICATOR_COLUMNS, META_COLUMNS, PROJECT_COLUMNS, Dataset, load_dataset
from models.errors import ShapanError
from models.views import calendar as cal


def _fmt(value: Any) -> str:
    if isinstance(value, float):
        if math.isnan(value):
            return ""
        return str(int(value)) if value.is_integer() else repr(value)
    return "" if value is None else str(value)


def _csv(rows: list[dict[str, Any]], columns: list[str]) -> str:
    frame = pd.DataFrame([{c: _fmt(r.get(c, "")) for c in columns} for r in rows], columns=columns, dtype=str)
    buf = io.StringIO()
    frame.to_csv(buf, index=False, lineterminator="\n")
    return buf.getvalue()


class _Sources:
    """Resolves ``source`` cells: blank -> the plan, known id -> itself, text -> a new user source."""

    def __init__(self, district: str, known: set[str]) -> None:
        self.plan = f"{district}_plan"
        self.district, self.known = district, known
        self.added: dict[str, dict[str, str]] = {}
        self.by_title: dict[str, str] = {}

    def __call__(self, cell: str) -> str:
        if not cell:
            return self.plan
        if cell in self.known or cell == self.plan:
            return cell
        if cell not in self.by_title:
            sid = f"{self.district}_src{len(self.by_title) + 1}"
            self.by_title[cell] = sid
            note = "用户导入工作簿中引用 / cited in an imported workbook"
            self.added[sid] = {"title": cell, "kind": "user", "note": note}
        return self.by_title[cell]


def _presets(district: str) -> dict[str, str]:
    out = {}
    for name in presets.PRESET_NAMES:
        template = sorted(presets.PRESET_DIR.glob(f"*_{name}.toml"))[0]
        scen = sc.loads(template.read_text(encoding="utf-8"), file=template.name)
        out[f"scenarios/{district}_{name}.toml"] = sc.dumps(dataclasses.replace(scen, district=district))
    return out


def _meta_rows(parsed: wi.Parsed, ds: Dataset) -> list[dict[str, str]]:
    known, rows = set(ds.meta["indicator"]), {}
    for _, _, rec in parsed.figures:
        ind = rec["indicator"]
        if ind in known or ind in rows:
            continue
        direction = {">=": "higher", "<=": "lower"}.get(rec["comparator"], "none")
        rows[ind] = {"indicator": ind, "label_zh": rec["label"] or ind, "label_en": ind, "unit": rec["unit"],
                     "direction": direction, "model": "", "description": "用户导入 / user-imported"}
        if not rec["label"]:
            parsed.warnings.append(
                f"新指标 {ind} 没有指标名称，暂以代码显示 / new id {ind} has no label; shown as its id")
    return list(rows.values())


def _district_row(parsed: wi.Parsed, district: str, sources: _Sources) -> dict[str, str]:
    d = parsed.district
    return {
        "id": district, "name_zh": d["name_zh"], "name_en": d.get("name_en") or d["name_zh"],
        "province": d["province"], "city": d["city"], "plan_source": sources.plan,
        "plan_period": d["plan_period"], "doc_kind": d.get("doc_kind") or "plan",
        "min_wage_area": d.get("min_wage_area", ""), "min_wage_tier": d.get("min_wage_tier", ""),
        "population_source": sources(d.get("population_source", "")), "notes": d.get("notes", ""),
    }


def _population(parsed: wi.Parsed, district: str, row: dict[str, str], ds: Dataset) -> dict[str, str]:
    d = parsed.district
    total = d.get("population_total", "")
    if not total:
        parsed.warnings.append("“区县”表未填总人口：60岁以上人口需在“指标”表给出 population_60plus 基期值"
                               " / no total population: give population_60plus as a baseline figure")
        return {}
    try:
        number, year = float(total), int(float(d.get("population_year") or cal.BASE_YEAR))
    except ValueError as exc:
        raise ShapanError("bad_cell", file=parsed.file, sheet="区县", row="population_total", column="C",
                          field="population_total", value=total, reason="应为数字 / a number is expected") from exc
    text = f"district,year,total_population,basis,source\n{district},{year},{_fmt(number)},"
    basis = d.get("population_basis", "").replace(",", "，")
    return {"reference/district_population.csv": f"{text}{basis},{row['population_source']}\n"}


def _basis(parsed: wi.Parsed, district: str, row: dict[str, str]) -> dict[str, str]:
    """The district's stated 60+ basis (户籍/常住) as its own ``reference/population_basis.csv``."""
    from models import population_basis as pb

    text = parsed.district.get("population_basis_60plus", "")
    try:
        record = pb.from_cell(text, district, row["plan_source"], row["population_source"])
    except ValueError as exc:
        raise ShapanError("bad_cell", file=parsed.file, sheet="区县", row="population_basis_60plus", column="C",
                          field="population_basis_60plus", value=text, reason=str(exc)) from None
    return {pb.FILE: _csv([record], pb.COLUMNS)} if record else {}


def _check_wage(parsed: wi.Parsed, ds: Dataset) -> None:
    area, tier = parsed.district.get("min_wage_area", ""), parsed.district.get("min_wage_tier", "")
    wages = ds.reference("minimum_wage").astype(str)
    if not area:
        parsed.warnings.append("未填最低工资地区：不计算与最低工资挂钩的护理补贴 / no minimum-wage area: "
                               "care subsidies tied to the minimum wage are not computed")
    elif not ((wages["area"] == area) & (wages["tier"] == tier)).any():
        allowed = ", ".join(sorted(set(wages["area"] + " " + wages["tier"])))
        raise ShapanError("bad_cell", file=parsed.file, sheet="区县", row="min_wage_area/min_wage_tier", column="C",
                          field="min_wage_area", value=f"{area} {tier}", reason=f"可选 / allowed: {allowed}")


def build_files(parsed: wi.Parsed, ds: Dataset, district: str) -> dict[str, str]:
    """The user folder's files (relative path -> text) for ``parsed`` stored as ``district``."""
    d = parsed.district
    sources = _Sources(district, set(ds.sources))
    row = _district_row(parsed, district, sources)
    _check_wage(parsed, ds)
    figures = [dict(rec, district=district, source=sources(rec["source"])) for _, _, rec in parsed.figures]
    projects = [dict(rec, district=district, source=sources(rec["source"])) for _, rec in parsed.projects]
    setters = [dict(rec, district=district, source=sources(rec["source"])) for _, rec in parsed.setters]
    plan = {"title": d["plan_title"], "issuer": d.get("issuer", ""), "doc_no": d.get("doc_no", ""),
            "date": d.get("date", ""), "kind": "user", "note": f"导入自工作簿 / imported from {parsed.file}"}
    files = {
        "districts.csv": _csv([row], list(row)),
        "indicators.csv": _csv(figures, INDICATOR_COLUMNS),
        "projects.csv": _csv(projects, PROJECT_COLUMNS),
        "indicator_meta.csv": _csv(_meta_rows(parsed, ds), META_COLUMNS),
        st_.SETTERS_FILE: _csv(setters, st_.SETTER_COLUMNS),
        "sources.toml": tomli_w.dumps({sources.plan: plan, **sources.added}),
        **_population(parsed, district, row, ds),
        **_basis(parsed, district, row),
        **_presets(district),
    }
    return files


def import_workbook(data: bytes, file: str, ds: Dataset, district: str | None = None,
                    root: Path | None = None) -> dict[str, Any]:
    """Validate the workbook and store it as user district ``district`` (default: its ``id`` field).

    Returns ``{"id", "rows", "indicators", "projects", "warnings", "path"}``. Raises ShapanError naming
    the sheet, row and column of the first bad cell; nothing is written then.
    """
    base = load_dataset(ds.root) if ds.user_districts else ds
    parsed = wi.read_workbook(data, file, base)
    district = user_districts.check_id(district or parsed.district.get("id", ""), set(base.districts["id"]))
    files = build_files(parsed, base, district)
    with tempfile.TemporaryDirectory() as tmp:
        user_districts.write(district, files, Path(tmp))
        merged = user_districts.merge(base, Path(tmp))
        if merged.user_errors:
            raise ShapanError("generic", detail=merged.user_errors[0])
    path = user_districts.write(district, files, root)
    return {"id": district, "rows": len(parsed.figures) + len(parsed.projects), "indicators": len(parsed.figures),
            "projects": len(parsed.projects), "warnings": parsed.warnings, "path": str(path)}
