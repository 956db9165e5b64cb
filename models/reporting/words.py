"""Every word the report pack prints, in Chinese and English (one place, so a test can check both)."""

from __future__ import annotations

from typing import Any

from models import labels

WORDS: dict[str, tuple[str, str]] = {
    # frame
    "title": ("{name}民政事业发展规划目标评估", "{name}: civil-affairs plan target assessment"),
    "subtitle": ("民政规划沙盘 · 汇报材料", "Shapan planning sandbox · report for the leadership meeting"),
    "meta": ("方案：{scenario}　方案哈希：{hash}　数据版本：{version}　日期：{date}",
             "Scenario: {scenario}   hash: {hash}   data version: {version}   date: {date}"),
    "footer": ("{district} · 方案哈希 {hash} · 数据版本 {version} · 第{page}页",
               "{district} · scenario {hash} · data {version} · page {page}"),
    "plan": ("依据：{plan}", "Source plan: {plan}"),
    "scenario_plan": ("规划路径", "plan path"), "scenario_freeze": ("冻结在2020年", "frozen at 2020"),
    "scenario_stress": ("压力情景", "stress scenario"), "scenario_baseline": ("业务照常", "business as usual"),
    # headings (official order: 一、二、三 …)
    "h_summary": ("一、要点摘要", "1. Summary"),
    "h_findings": ("主要结论", "Headline findings"),
    "h_decisions": ("提请决策事项", "Decisions requested"),
    "h_scorecard": ("二、目标评分", "2. Target scorecard"),
    "h_problems": ("（一）需要关注的目标", "2.1 Targets that need attention"),
    "h_judged": ("（二）可实现或已实现的目标", "2.2 Targets on track or met"),
    "h_unjudged": ("（三）尚未测算的目标", "2.3 Targets not yet assessed"),
    "h_drivers": ("（四）未达标的主要原因", "2.4 What drives a miss"),
    "drivers_note": ("对每个模型测算的目标，按蒙特卡洛抽样估计哪些不确定因素决定其会不会未达标：敏感度为一阶敏感度指数"
                     "（0–1，越大影响越大），只列出抽样中时而达标、时而未达标的目标。",
                     "For each modelled target, which uncertain inputs decide whether it is missed, from the same "
                     "Monte Carlo draws: first-order sensitivity (0–1, larger = more influence); only targets that "
                     "the draws sometimes meet and sometimes miss are listed."),
    "col_driver_target": ("目标", "Target"), "col_drivers": ("主要原因", "Main drivers"),
    "driver_target": ("{label}（{year}年{target}）", "{label} ({target} in {year})"),
    "driver_item": ("{label}（敏感度{s}，{direction}）", "{label} (sensitivity {s}; {direction})"),
    "driver_up": ("越大越易未达标", "higher makes a miss likelier"),
    "driver_down": ("越大越不易未达标", "higher makes a miss less likely"),
    "driver_none": ("无单一主要因素", "no single dominant input"),
    "h_trends": ("三、关键趋势", "3. Key trends"),
    "basis_note": ("人口口径：本报告的老年人口数均为{basis}（{status}）。", "Population basis: every elderly "
                   "count in this report is the {basis} ({status})."),
    "basis_reason": ("{reason}", " {reason}"),
    "h_cost": ("四、财政成本", "4. Budget cost"),
    "h_appendix": ("附录", "Appendix"),
    "h_app_targets": ("附录一　全部目标", "Appendix 1. Every target"),
    "h_app_assumptions": ("附录二　参数、假设与来源", "Appendix 2. Parameters, assumptions and sources"),
    "h_app_quality": ("附录三　数据质量提示", "Appendix 3. Data-quality notes"),
    "slide_cost": ("财政成本（2021–2025年）", "Budget cost 2021–2025"),
    "slide_decisions": ("提请决策事项", "Decisions requested"),
    "slide_summary": ("主要结论", "Headline findings"),
    # findings
    "finding_problem": ("{label}（{binding}）：{year}年目标{target}，按本方案预计为{projected}，差{gap}，{status}。",
                        "{label} ({binding}): the {year} target is {target}; this scenario projects {projected}, "
                        "{gap} short: {status}."),
    "finding_probability": ("达标概率{p}。", "Probability of meeting it: {p}."),
    "finding_lever": ("要达标，需将“{lever}”由{current}调整到{value}，由{decider}决定",
                      "Meeting it takes “{lever}” at {value} instead of {current}; decided by the {decider}"),
    "finding_cost_change": ("，2021–2025年财政支出相应变化{cost}。", "; 2021–2025 spending changes by {cost}."),
    "finding_cost_none": ("，测算的救助支出不变（床位建设投资不在本模型测算范围内）。",
                          "; costed assistance spending is unchanged (bed construction investment is not costed)."),
    "finding_cost_none_benefit": ("，已测算的救助支出不变（相关救助项目未测算）。",
                                  "; costed spending is unchanged (the programmes concerned are not costed)."),
    "finding_no_lever": ("现有调节参数均无法使其达标，需要新的措施，由{decider}研究决定。",
                         "No lever in the model meets it: new measures are needed, for the {decider} to decide."),
    "finding_status": ("全部{n}项可测算的规划期目标中，难实现{off}项、有风险{risk}项、可实现或已实现{good}项；"
                       "另有{other}项为文字目标或尚无模型，逐项列于附录一。",
                       "Of {n} assessable plan-period targets, {off} are off track, {risk} at risk and {good} on "
                       "track or met; {other} more are text targets or not modelled (all listed in appendix 1)."),
    "finding_cost": ("2021–2025年已测算项目财政支出合计{total}，比冻结情景（标准和床位保持2020年水平）多{inc}",
                     "Costed 2021–2025 spending totals {total}, {inc} more than the freeze scenario "
                     "(2020 standards and beds)"),
    "finding_cost_partial": ("；{missing}尚未测算，合计不含这些项目。", "; {missing} not costed and not in the total."),
    "finding_cost_none_costed": ("本区县规划未公布测算财政支出所需的数据，财政成本未测算。",
                                 "The plan publishes no figures to cost spending from; no cost is shown."),
    "decision_lever": ("是否将“{lever}”调整为{value}，以实现{label}{year}年目标。决策主体：{decider}。",
                       "Whether to set “{lever}” to {value} to meet the {year} {label} target. Decided by: {decider}."),
    "decision_new_measure": ("是否研究新增措施以实现{label}{year}年目标。决策主体：{decider}。",
                             "Whether to develop new measures to meet the {year} {label} target. Decided by: {decider}."),
    "decision_budget": ("是否按本方案安排2021–2025年已测算项目资金{total}（比冻结情景多{inc}）。",
                        "Whether to budget {total} for the costed programmes in 2021–2025 ({inc} above freeze)."),
    "decision_data": ("请区民政局核实{n}处相互矛盾的规划数据（见附录三）。",
                      "Ask the civil-affairs bureau to verify {n} contradictory figures (appendix 3)."),
    "decision_keep": ("维持现行规划路径，按年度跟踪目标进展。", "Keep the plan's path and track the targets yearly."),
    "pct_points": ("{n}个百分点", "{n} percentage points"),
    # scorecard
    "status_note": ("状态依据蒙特卡洛{n}次抽样的达标概率：≥80%可实现，40%–80%有风险，<40%难实现；"
                    "未抽样的目标按预测值判断。",
                    "Status from {n} Monte Carlo draws: P ≥ 80 % on track, 40–80 % at risk, < 40 % off track; "
                    "targets without draws are judged on the projection."),
    "status_counts": ("共{total}个目标（表格与正文表述合并为一行）：{counts}。",
                      "{total} targets (table and text statements merged): {counts}."),
    "unjudged_line": ("{domain}：{n}项（{detail}），见附录一。", "{domain}: {n} ({detail}); see appendix 1."),
    "count_item": ("{label}{n}项", "{n} {label}"),
    "none_problem": ("没有难实现或有风险的目标。", "No target is off track or at risk."),
    "none_judged": ("没有可实现或已实现的目标。", "No target is on track or met."),
    "col_indicator": ("指标", "Indicator"), "col_binding": ("属性", "Binding"), "col_target": ("目标", "Target"),
    "col_baseline": ("基期值", "Baseline"), "col_projected": ("预测值", "Projected"), "col_gap": ("差距", "Gap"),
    "col_p": ("达标概率", "P(met)"), "col_status": ("状态", "Status"), "col_locator": ("出处", "Locator"),
    "col_year": ("年份", "Year"), "col_param": ("参数", "Parameter"), "col_value": ("取值", "Value"),
    "col_source": ("来源或理由", "Source or reason"), "col_programme": ("项目", "Programme"),
    "col_total": ("2021–2025年合计", "2021–2025 total"), "col_freeze": ("冻结情景合计", "Freeze total"),
    "col_total_real": ("合计（按2020年价格）", "Total at 2020 prices"),
    "col_increment": ("增量", "Increment"), "col_domain": ("领域", "Domain"),
    "total": ("合计", "Total"),
    "target_year": ("{year}年{target}", "{target} by {year}"),
    "baseline_year": ("{value}（{year}年）", "{value} ({year})"),
    # trends and cost
    "trend_line": ("{label}：{base_year}年{base}，{year}年预计{p50}（80%区间{p10}～{p90}）。",
                   "{label}: {base} in {base_year}; {p50} expected in {year} (80 % range {p10}–{p90})."),
    "trend_target": ("目标{target}。", "Target {target}."),
    "cost_unit": ("单位：万元。", "Unit: 10k yuan."),
    "cost_note": ("“增量”为相对冻结情景（标准与床位保持2020年水平）的差额。", "“Increment” is relative to the freeze "
                  "scenario (2020 standards and beds)."),
    "cost_missing": ("未测算项目：{missing}（规划未公布对象人数或支出，无法测算）。",
                     "Not costed: {missing} (the plan publishes neither caseload nor spending)."),
    "cost_chart": ("各项目财政支出（万元）", "Spending by programme (10k yuan)"),
    "slide_domain_none": ("本领域没有模型预测的指标，目标逐项列于附录。",
                          "No indicator of this domain is projected; its targets are listed in the appendix."),
    "slide_more": ("另有{n}项，见附录一。", "{n} more in appendix 1."),
    "slide_domain_counts": ("{n}项目标：{detail}。", "{n} targets: {detail}."),
    # appendix
    "prov_user": ("用户设定", "set by the user"),
    "prov_default": ("模型默认设置", "model default"),
    "prov_not_published": ("规划未公布，相关测算不开展", "not published; not modelled"),
    "prov_data": ("规划数据：{label}{year}年{value}（{where}）", "plan figure: {label} {year} = {value} ({where})"),
    "prov_derived_cagr": ("推算：{label}{a}—{b}年年均增长率（{va}→{vb}）", "derived: {label} growth {a}–{b} ({va}→{vb})"),
    "prov_derived": ("推算：{detail}", "derived: {detail}"),
    "prov_assumed_pop": ("推算：总人口×全省60岁及以上人口占比（人口普查）",
                         "derived: total population × the province's 60+ share (census)"),
    "prov_age_table": ("本区县上传的5岁组年龄表", "the district's uploaded 5-year age table"),
    "prov_assumption": ("假设：{reason}", "assumption: {reason}"),
    "prov_assumption_model": ("假设（模型推算，理由见参数说明）", "assumption (model estimate)"),
    "prov_tekun_follows": ("假设：随城市低保标准同步增长（特困基本生活标准按城市低保标准的倍数确定）",
                           "assumption: grows with urban 低保 (特困 is set at a multiple of urban 低保)"),
    "prov_same_as_urban": ("假设：与城市低保标准增长率相同（规划未公布2015年数）",
                           "assumption: same growth as urban 低保 (no 2015 figure published)"),
    "prov_source": ("来源：{title}", "source: {title}"),
    "yes": ("是", "yes"), "no": ("否", "no"),
    "quality_error": ("需核实", "To verify"), "quality_warning": ("提示", "Note"),
    "quality_sentence": ("{level}：{message}（数据表第{rows}行）", "{level}: {message} (data rows {rows})"),
    "quality_none": ("未发现本区县的数据质量问题。", "No data-quality finding for this district."),
    "kind_target": ("目标", "target"), "kind_baseline": ("基期", "baseline"), "kind_derived": ("推算", "derived"),
    "kind_actual": ("实际", "actual"),
}
STATUS_FALLBACK = ("其他", "other")  # a status the registry does not know


def W(key: str, lang: str, **fmt: Any) -> str:  # noqa: N802 - short name used in every sentence
    """The report's word ``key`` in ``lang`` with ``fmt`` filled in."""
    zh, en = WORDS[key]
    return (zh if lang == "zh" else en).format(**fmt)


def pick(pair: tuple[str, str], lang: str) -> str:
    return pair[0] if lang == "zh" else pair[1]


def status(value: str, lang: str) -> str:
    """A target status as a sentence prints it (English in lower case: "on track")."""
    if not labels.has("status", value):
        return pick(STATUS_FALLBACK, lang)
    text = labels.label("status", value, lang)
    return labels.lower_first(text) if lang == "en" else text


def binding(value: Any, lang: str) -> str:
    return labels.label("binding", value if labels.has("binding", value) else "", lang)


def programme(value: str, lang: str) -> str:
    """A programme's name as the report prints it (the fuller English name where the registry has one)."""
    return labels.programme(value, lang, long=True)


SERIES_UNITS = {  # model series without an indicator_meta row -> unit (their labels: models/labels [series])
    "population_65plus": "人", "population_80plus": "人", "population_45_59": "人", "disabled_elderly": "人",
    "orphan_standard": "元/人·月", "care_subsidy": "元/人·月", "bed_demand_normative": "张", "bed_demand_need": "张",
}


def series(key: str, lang: str) -> tuple[str, str] | None:
    """(label, unit) of a model series without an indicator_meta row; None for any other id."""
    if not labels.has("series", key):
        return None
    return labels.label("series", key, lang), SERIES_UNITS.get(key, "")
XLSX_COLS = {
    "year": ("年份", "Year"), "programme": ("项目", "Programme"), "recipients": ("对象人数（人）", "Recipients"),
    "standard_yuan_month": ("标准（元/人·月）", "Standard (yuan/person/month)"),
    "payment_ratio": ("发放系数", "Payment ratio"), "payments_per_year": ("每年发放月数", "Payments per year"),
    "cost_wan_yuan": ("支出（万元）", "Cost (10k yuan)"),
}
SOURCE_NAMES = {  # sources whose title is not Chinese: the name a Chinese report prints
    "un_wpp2019": ("联合国《世界人口展望2019》", "UN World Population Prospects 2019"),
    "un_wpp2024": ("联合国《世界人口展望2024》", "UN World Population Prospects 2024"),
    "shapan_model": ("沙盘模型推算", "Shapan model calculation"),
}
TERMS = {  # words inside data-quality messages and reasons → the report's language
    "person-year": ("人·年", "person-year"), "person-month": ("人·月", "person-month"),
    "dibao": ("低保", "dibao"), "tekun": ("特困", "tekun"),
    "σ_level": ("σ水平", "σ_level"), "σ_shock": ("σ冲击", "σ_shock"),
}


ISSUER_WORDS = {
    "United Nations Population Division": ("联合国经济和社会事务部人口司", "United Nations Population Division"),
    "(secondary web page)": ("（转载网页）", "(secondary web page)"), "(secondary report)": ("（转载报告）", "(secondary report)"),
    "Shapan": ("民政规划沙盘", "Shapan"), "(literature)": ("（文献）", "(literature)"), "(literature, unverified)": ("（文献，未核实）", "(literature, unverified)"),
}


def source_issuer(ds, source_id: str, lang: str) -> str:
    issuer = str(ds.sources.get(source_id, {}).get("issuer", ""))
    for text, pair in ISSUER_WORDS.items():
        issuer = issuer.replace(text, pick(pair, lang))
    return issuer


def source_name(ds, source_id: str, lang: str) -> str:
    if source_id in SOURCE_NAMES:
        return pick(SOURCE_NAMES[source_id], lang)
    return ds.sources.get(source_id, {}).get("title", source_id)


def locator(text, lang: str) -> str:
    """A locator as printed: ``derived from 一、（三）`` → ``据一、（三）推算``."""
    if not isinstance(text, str) or not text:
        return "—"
    if text.startswith("derived from "):
        where = text.removeprefix("derived from ").strip()
        return f"据{where}推算" if lang == "zh" else text
    return text
