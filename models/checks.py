"""Data-quality checks over ``data/`` (``shapan check``; shown on the 数据与来源 page).

The loader already rejects malformed rows. These checks look for figures that are well-formed but
suspicious: targets implausible against their baseline (implied yearly growth far outside the norm, or a
unit slip such as 万人 vs 人), the same figure printed differently in two places of one plan, a published
rural/urban ratio that its two standards do not reproduce, beds ÷ beds-per-1,000 contradicting a
published elderly count, person-time (人次) figures whose unit (person-months vs person-years) must be
inferred, and indicators without metadata. Each finding names the rows (line numbers of indicators.csv,
counting the header as line 1).
"""

from __future__ import annotations

import math
from typing import Any

import pandas as pd

from models.data import Dataset
from models.views import calendar as cal

MAX_PLAUSIBLE_GROWTH_PCT = 30.0  # |implied yearly growth| above this is flagged
RATIO_TOLERANCE_PP = 0.5  # recomputed vs published rural/urban ratio, percentage points
POP_TOLERANCE_PCT = 10.0  # implied vs published 60+ population


def _finding(
    level: str, code: str, zh: str, en: str, rows: list[int], district: str = "", indicator: str = ""
) -> dict[str, Any]:
    return {
        "level": level,
        "code": code,
        "message_zh": zh,
        "message_en": en,
        "rows": rows,
        "district": district,
        "indicator": indicator,
    }


def _line(frame: pd.DataFrame, idx: Any) -> int:
    return int(idx) + 2


def _numeric(frame: pd.DataFrame) -> pd.DataFrame:
    return frame[frame["value"].notna()]


def check_target_growth(ind: pd.DataFrame) -> list[dict[str, Any]]:
    """Targets whose implied yearly change from the latest earlier baseline is implausible."""
    out = []
    num = _numeric(ind)
    base = num[num["kind"] == "baseline"]
    for idx, t in num[num["kind"] == "target"].iterrows():
        prior = base[
            (base["district"] == t["district"])
            & (base["indicator"] == t["indicator"])
            & (base["year"] < t["year"])
            & (base["value"] > 0)
        ]
        if prior.empty or t["value"] <= 0 or t["unit"] == "%":
            continue
        b = prior.sort_values("year").iloc[-1]
        years = t["year"] - b["year"]
        growth = ((t["value"] / b["value"]) ** (1 / years) - 1) * 100
        if abs(growth) > MAX_PLAUSIBLE_GROWTH_PCT:
            ratio = t["value"] / b["value"]
            unit_hint = " 可能是单位错误（如万人与人）" if ratio >= 10 or ratio <= 0.1 else ""
            unit_hint_en = " possible unit slip (e.g. 万人 vs persons)" if unit_hint else ""
            out.append(
                _finding(
                    "warning",
                    "target_unit_slip" if unit_hint else "target_growth_implausible",  # a unit slip quarantines
                    f"{t['district']} {t['indicator']}：{int(b['year'])}年基数{b['value']:g}到{int(t['year'])}年目标"
                    f"{t['value']:g}，隐含年均变化{growth:.1f}%，超出±{MAX_PLAUSIBLE_GROWTH_PCT:g}%。{unit_hint}",
                    f"{t['district']} {t['indicator']}: baseline {b['value']:g} ({int(b['year'])}) to target "
                    f"{t['value']:g} ({int(t['year'])}) implies {growth:.1f}%/yr, beyond ±{MAX_PLAUSIBLE_GROWTH_PCT:g}%."
                    f"{unit_hint_en}",
                    [_line(ind, b.name), _line(ind, idx)],
                    t["district"],
                    t["indicator"],
                )
            )
    return out


def check_disagreements(ind: pd.DataFrame) -> list[dict[str, Any]]:
    """The same district/indicator/year/kind printed with different values (or, for a target stated in the
    table and again in the text, different comparators) in different places. For targets the two statements
    are one target (models.target_modes merges them, table first); the disagreement is this finding."""
    out = []
    num = ind[ind["kind"].isin(["baseline", "target"]) & (ind["value"].notna() | (ind["kind"] == "target"))]
    for (district, indicator, year, kind), grp in num.groupby(["district", "indicator", "year", "kind"]):
        values = grp["value"].dropna()
        differs = values.nunique() > 1 or (values.size and values.size < len(grp))
        if kind == "target":
            differs = differs or grp["comparator"].nunique() > 1
        if differs:
            parts = "；".join(f"{r.locator}「{r.published or f'{r.value:g}'}」" for r in grp.itertuples())
            out.append(
                _finding(
                    "warning",
                    "target_statements_conflict" if kind == "target" else "inconsistent_figures",
                    f"{district} {indicator} {year}年（{kind}）在不同位置数值不一致：{parts}",
                    f"{district} {indicator} {year} ({kind}) differs between places: {parts}",
                    [_line(ind, i) for i in grp.index],
                    district,
                    indicator,
                )
            )
    return out


def _one(num: pd.DataFrame, district: str, indicator: str, year: int, kinds: tuple[str, ...]) -> pd.Series | None:
    rows = num[
        (num["district"] == district)
        & (num["indicator"] == indicator)
        & (num["year"] == year)
        & (num["kind"].isin(kinds))
    ]
    return None if rows.empty else rows.iloc[0]


def check_ratio(ind: pd.DataFrame) -> list[dict[str, Any]]:
    """Published rural/urban 低保 ratio vs the ratio recomputed from the two published standards."""
    out = []
    num = _numeric(ind)
    pub = num[(num["indicator"] == "rural_urban_dibao_ratio") & (num["kind"] == "baseline")]
    for idx, r in pub.iterrows():
        urban = _one(num, r["district"], "dibao_urban_standard", r["year"], ("baseline",))
        rural = _one(num, r["district"], "dibao_rural_standard", r["year"], ("baseline",))
        if urban is None or rural is None:
            continue
        ratio = rural["value"] / urban["value"] * 100
        level = "warning" if abs(ratio - r["value"]) > RATIO_TOLERANCE_PP else "info"
        out.append(
            _finding(
                level,
                "ratio_recomputed",
                f"{r['district']} {r['year']}年：农村/城市低保标准 {rural['value']:g}/{urban['value']:g} = {ratio:.2f}%，"
                f"发布比例 {r['value']:g}%",
                f"{r['district']} {r['year']}: rural/urban 低保 {rural['value']:g}/{urban['value']:g} = {ratio:.2f}%, "
                f"published ratio {r['value']:g}%",
                [_line(ind, urban.name), _line(ind, rural.name), _line(ind, idx)],
                r["district"],
                "rural_urban_dibao_ratio",
            )
        )
    return out


def check_beds_population(ind: pd.DataFrame) -> list[dict[str, Any]]:
    """Beds ÷ beds-per-1,000 implies a 60+ count; compare with a published 60+ count."""
    out = []
    num = _numeric(ind[ind["kind"] == "baseline"])
    for (district, year), grp in num.groupby(["district", "year"]):
        beds = grp[grp["indicator"] == "elderly_beds"]
        dens = grp[grp["indicator"] == "beds_per_1000_elderly"]
        pop = grp[grp["indicator"] == "population_60plus"]
        if beds.empty or dens.empty:
            continue
        for bi, b in beds.iterrows():
            for di, d in dens.iterrows():
                implied = b["value"] / d["value"] * 1000
                if pop.empty:
                    out.append(
                        _finding(
                            "info",
                            "implied_population",
                            f"{district} {year}年：床位{b['value']:g}张 ÷ 每千名老人{d['value']:g}张 → 隐含老年人口约{implied:,.0f}人（规划未公布）",
                            f"{district} {year}: {b['value']:g} beds ÷ {d['value']:g} per 1,000 → implies about "
                            f"{implied:,.0f} elderly (not published)",
                            [_line(ind, bi), _line(ind, di)],
                            district,
                            "population_60plus",
                        )
                    )
                for pi, p in pop.iterrows():
                    gap = (implied / p["value"] - 1) * 100
                    level = "warning" if abs(gap) > POP_TOLERANCE_PCT else "info"
                    out.append(
                        _finding(
                            level,
                            "implied_population",
                            f"{district} {year}年：床位÷每千名老人床位 隐含老年人口{implied:,.0f}人，发布60岁以上{p['value']:,.0f}人，差{gap:+.1f}%",
                            f"{district} {year}: beds ÷ per-1,000 implies {implied:,.0f} elderly vs published "
                            f"{p['value']:,.0f} 60+ ({gap:+.1f}%)",
                            [_line(ind, bi), _line(ind, di), _line(ind, pi)],
                            district,
                            "population_60plus",
                        )
                    )
    return out


PERSON_TIME_PROGRAMMES = (  # programme prefix of *_spending_13fyp / *_person_times_13fyp -> its standard
    ("dibao", "dibao_urban_standard"),
    ("dibao_rural", "dibao_rural_standard"),
    ("dibao_urban", "dibao_urban_standard"),
    ("tekun", "tekun_standard"),
)


def check_person_times(ind: pd.DataFrame) -> list[dict[str, Any]]:
    """Spending ÷ (人次 × mean standard): is 人次 counted per month or per year, and does it differ between
    programmes of one plan? Uses the budget model's own inference (:func:`models.budget.infer_person_time_unit`)."""
    from models.budget import infer_person_time_unit, period_mean_standard_yuan_month

    out = []
    num = _numeric(ind)
    for district in num["district"].unique():
        units: dict[str, tuple[str, list[int]]] = {}
        for prog, std_id in PERSON_TIME_PROGRAMMES:
            spend = _one(num, district, f"{prog}_spending_13fyp", cal.BASE_YEAR, ("baseline",))
            times = _one(num, district, f"{prog}_person_times_13fyp", cal.BASE_YEAR, ("baseline",))
            end = _one(num, district, std_id, cal.BASE_YEAR, ("baseline",))
            if spend is None or times is None or end is None or times["value"] <= 0:
                continue
            start = _one(num, district, std_id, cal.HISTORY_START, ("baseline",))
            mean_std = end["value"] if start is None else period_mean_standard_yuan_month(start["value"], end["value"])
            inf = infer_person_time_unit(spend["value"], times["value"], mean_std)
            rows = [_line(ind, spend.name), _line(ind, times.name)]
            out.append(_finding(
                "info" if inf.unit else "warning", "person_time_unit",
                f"{district} {prog}：十三五支出{spend['value']:g}万元，{times['value']:g}人次，平均标准{mean_std:.0f}元/月。{inf.explanation_zh}",
                f"{district} {prog}: 13th-FYP spend {spend['value']:g} 万元, {times['value']:g} person-times, mean standard "
                f"{mean_std:.0f} 元/month. {inf.explanation_en}",
                rows, district, f"{prog}_spending_13fyp"))
            if inf.unit:
                units[prog] = (inf.unit, rows)
        if len({u for u, _ in units.values()}) > 1:
            parts = ", ".join(f"{p}={u}" for p, (u, _) in units.items())
            out.append(_finding(
                "warning", "person_time_units_differ",
                f"{district}：同一规划中不同项目的“人次”口径不同（{parts}），汇总或比较人次时需先换算",
                f"{district}: programmes of one plan count 人次 differently ({parts}); convert before adding or comparing",
                sorted({r for _, rows in units.values() for r in rows}), district, "person_times_13fyp"))
    return out


def check_meta(ind: pd.DataFrame, meta: pd.DataFrame) -> list[dict[str, Any]]:
    """Indicators without metadata, or whose unit differs from the metadata unit."""
    out = []
    known = dict(zip(meta["indicator"], meta["unit"], strict=True))
    for indicator, grp in ind.groupby("indicator"):
        if indicator not in known:
            out.append(
                _finding(
                    "error",
                    "missing_meta",
                    f"指标 {indicator} 没有 indicator_meta 记录",
                    f"indicator {indicator} has no indicator_meta row",
                    [_line(ind, i) for i in grp.index],
                    "",
                    indicator,
                )
            )
            continue
        odd = grp[grp["unit"] != known[indicator]]
        if not odd.empty:
            out.append(
                _finding(
                    "warning",
                    "unit_mismatch",
                    f"指标 {indicator} 的单位与元数据（{known[indicator]}）不一致",
                    f"indicator {indicator}: unit differs from its metadata ({known[indicator]})",
                    [_line(ind, i) for i in odd.index],
                    "",
                    indicator,
                )
            )
    return out


def check_target_already_met(ind: pd.DataFrame, meta: pd.DataFrame) -> list[dict[str, Any]]:
    """Future targets that the latest baseline already satisfies (a weak target, or a slip)."""
    out = []
    num = _numeric(ind)
    base = num[num["kind"] == "baseline"]
    for idx, t in num[(num["kind"] == "target") & (num["comparator"].isin([">=", "<="]))].iterrows():
        prior = base[
            (base["district"] == t["district"]) & (base["indicator"] == t["indicator"]) & (base["year"] < t["year"])
        ]
        if prior.empty:
            continue
        b = prior.sort_values("year").iloc[-1]
        met = b["value"] >= t["value"] if t["comparator"] == ">=" else b["value"] <= t["value"]
        if met and not (math.isclose(b["value"], t["value"]) and t["unit"] == "%"):
            out.append(
                _finding(
                    "info",
                    "target_already_met",
                    f"{t['district']} {t['indicator']}：{int(b['year'])}年已达{b['value']:g}，{int(t['year'])}年目标{t['comparator']}{t['value']:g}",
                    f"{t['district']} {t['indicator']}: {b['value']:g} in {int(b['year'])} already meets the "
                    f"{int(t['year'])} target {t['comparator']}{t['value']:g}",
                    [_line(ind, b.name), _line(ind, idx)],
                    t["district"],
                    t["indicator"],
                )
            )
    return out


def run_checks(ds: Dataset) -> list[dict[str, Any]]:
    """All data-quality findings, errors first."""
    ind, meta = ds.indicators, ds.meta
    findings = (
        check_meta(ind, meta)
        + check_target_growth(ind)
        + check_disagreements(ind)
        + check_ratio(ind)
        + check_beds_population(ind)
        + check_person_times(ind)
        + check_target_already_met(ind, meta)
    )
    order = {"error": 0, "warning": 1, "info": 2}
    return sorted(findings, key=lambda f: (order[f["level"]], f["district"], f["code"]))


def summary(findings: list[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    """``{"errors": [...], "warnings": [...], "info": [...]}`` as printed by ``shapan check --json``."""
    return {
        "errors": [f for f in findings if f["level"] == "error"],
        "warnings": [f for f in findings if f["level"] == "warning"],
        "info": [f for f in findings if f["level"] == "info"],
    }
