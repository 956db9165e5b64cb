"""``shapan`` command line: every command takes ``--json`` and then prints exactly one JSON document.

Errors (bad district, scenario file, indicator, lever, actuals file ...) go to stderr in Chinese and
English with exit code 2; nothing is printed to stdout then.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from models import cli_checks, engine, limits, population_basis, presets, user_districts
from models import scenario as sc
from models import targets as tg
from models.checks import run_checks, summary
from models.data import Dataset
from models.errors import ShapanError
from models.resolve import Resolved, resolve
from models.views import calendar

RUN_SERIES = (  # DESIGN.md: `shapan run` series includes at least these
    "population_60plus", "elderly_beds", "beds_per_1000_elderly", "nursing_bed_share", "dibao_urban_standard",
    "dibao_rural_standard", "rural_urban_dibao_ratio", "tekun_standard",
)


def _clean(value: Any) -> Any:
    """JSON-safe: NaN -> null, numpy scalars -> Python, tuples -> lists."""
    if isinstance(value, dict):
        return {str(k): _clean(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_clean(v) for v in value]
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def _records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    return [_clean(row) for row in frame.to_dict(orient="records")]


def _emit(args: argparse.Namespace, payload: Any, table: pd.DataFrame | None = None) -> None:
    if args.json:
        sys.stdout.write(json.dumps(_clean(payload), ensure_ascii=False, sort_keys=False) + "\n")
    elif table is not None:
        with pd.option_context("display.max_rows", 500, "display.max_columns", 30, "display.width", 200):
            sys.stdout.write(table.to_string(index=False) + "\n")
    else:
        sys.stdout.write(json.dumps(_clean(payload), ensure_ascii=False, indent=2) + "\n")


def _load_scenario(args: argparse.Namespace, ds: Dataset) -> Any:
    if getattr(args, "scenario", None):
        path = Path(args.scenario)
        # size checked by stat before reading; messages name the file as the CLI user typed it
        scen = presets.load_file(path, ds, file=str(args.scenario))
        if args.district and scen.district != args.district:
            raise ShapanError(
                "generic",
                detail=f"{path.name}: scenario.district = {scen.district!r}, but --district {args.district!r}",
            )
    else:
        ds.district(args.district)
        scen = presets.load_preset(args.district, "baseline", ds)
    scen = _with_age_table(args, scen)
    end_year = getattr(args, "end_year", None)
    if end_year is not None:  # range checked in cli_checks.check_args
        import dataclasses

        scen = dataclasses.replace(scen, end_year=end_year)
    return scen


def _scenario(args: argparse.Namespace, ds: Dataset) -> Resolved:
    return resolve(_load_scenario(args, ds), ds)


def _rebased(args: argparse.Namespace, ds: Dataset) -> Any:
    """The rebased run when ``--base-year`` (or the scenario file's base year) is after 2020, else None."""
    from models import rebase

    scen = _load_scenario(args, ds)
    base_year = getattr(args, "base_year", None) or scen.base_year
    if base_year == calendar.BASE_YEAR and not getattr(args, "actuals", None):
        return None
    if getattr(args, "actuals", None):
        actuals = _actuals(argparse.Namespace(actuals=args.actuals, district=scen.district), ds)
    else:
        actuals = rebase.actuals_of(scen)
    if base_year == calendar.BASE_YEAR:
        raise ShapanError("generic", detail="--actuals needs --base-year, e.g. 2025 / 使用--actuals时需指定--base-year")
    return rebase.rebase(scen, ds, actuals, base_year)


# -------------------------------------------------------------------------------------------- commands


def cmd_districts(args: argparse.Namespace, ds: Dataset) -> None:
    rows = []
    for d in ds.districts.itertuples():
        src = ds.sources[d.plan_source]
        rows.append(
            {
                "id": d.id,
                "name_zh": d.name_zh,
                "name_en": d.name_en,
                "province": d.province,
                "plan_title": src["title"],
                "doc_no": src.get("doc_no", ""),
                "doc_kind": d.doc_kind,
                "plan_period": d.plan_period,
                "user_supplied": ds.is_user(d.id),
            }
        )
    _emit(args, rows, pd.DataFrame(rows))


def cmd_indicators(args: argparse.Namespace, ds: Dataset) -> None:
    frame = ds.indicators_for(args.district)
    _emit(args, _records(frame), frame[["indicator", "year", "value", "unit", "kind", "comparator", "locator"]])


def cmd_check(args: argparse.Namespace, ds: Dataset) -> None:
    findings = user_districts.localise_findings(ds, run_checks(ds))
    if args.district:
        ds.district(args.district)
        findings = [f for f in findings if f["district"] in (args.district, "")]
    out = summary(findings)
    table = pd.DataFrame(
        [
            {"level": f["level"], "code": f["code"], "rows": f["rows"], "message": f["message_zh"]}
            for f in out["errors"] + out["warnings"] + out["info"]
        ]
    )
    _emit(args, out, table)


def cmd_run(args: argparse.Namespace, ds: Dataset) -> None:
    rebased = _rebased(args, ds)
    res = _scenario(args, ds) if rebased is None else rebased.resolved
    result = engine.run(res, ds) if rebased is None else rebased.result
    budget: dict[str, dict[int, float]] = {}
    for row in result.budget.itertuples():
        budget.setdefault(row.programme, {})[int(row.year)] = float(row.cost_wan_yuan)
    series = dict(result.series)
    for indicator in RUN_SERIES:  # the contract's keys are always present; {} = not published, not projected
        series.setdefault(indicator, {})
    payload = {
        "scenario_hash": res.hash,
        "data_version": res.data_version,
        "scenario": res.scenario.name,
        "district": res.district,
        "years": res.years,
        "series": series,
        "budget": budget,
        "flags": _records(result.flags),
        "not_costed": result.budget_notes,
        "budget_coverage": _coverage(result, ds),
        **_prices(result, ds),
        "population_basis": population_basis.basis_for(res, ds).as_json(),
    }
    if rebased is not None:  # where each base-year figure came from (用户录入 / derived / projected)
        payload["base_year"] = res.scenario.base_year
        payload["base_figures"] = _records(rebased.bases)
    wide = pd.DataFrame(result.series)
    _emit(args, payload, wide.reset_index(names="year") if not wide.empty else None)


def _prices(result: engine.RunResult, ds: Dataset) -> dict[str, Any]:
    """``budget_real`` (base-year prices), ``prices`` (CPI by year with its basis), ``budget_totals``
    (plan-period nominal and real sums) — models.prices — and ``funding_split`` (shares by paying level with
    their basis and sources, plan-period totals by level) — models.funding."""
    from models import funding, prices

    years = result.resolved.years
    start, end = (years[1] if len(years) > 1 else years[0]), calendar.PLAN_END_YEAR
    out = prices.run_payload(result, ds, start, end)
    out["funding_split"] = funding.run_payload(result, ds, prices.run_real_budget(result, ds), start, end)
    return out


def _coverage(result: engine.RunResult, ds: Dataset) -> dict[str, Any]:
    from models import coverage

    cov = coverage.coverage(result, ds)
    return {
        "costed": cov["costed"],
        "not_costed": [{"programme": m["programme"], "reason": m["reason"], "reason_en": m["reason_en"]}
                       for m in cov["not_costed"]],
        "total_is_partial": cov["total_is_partial"],
        "label_zh": coverage.label(cov, "zh"),
        "label_en": coverage.label(cov, "en"),
    }

TARGET_JSON = (  # DESIGN.md CLI contract, plus binding/unit/gap/source/locator and the explanation columns
    "indicator", "year", "target", "comparator", "baseline", "projected", "status", "required_growth", "probability",
    "mode", "reason", "quarantined", "decided_by", "locators", "reason_en", "reason_code", "basis", "domain",
    "needs", "display_status", "binding", "unit", "gap", "source", "locator",
)


def cmd_targets(args: argparse.Namespace, ds: Dataset) -> None:
    """Every target, one row each; P(met) from the scenario's Monte Carlo (``--mc N`` draws, 0 = none)."""
    res = _scenario(args, ds)
    if args.mc is not None and not 0 <= args.mc <= 100_000:
        raise ShapanError("out_of_range", file="--mc", key="mc", value=args.mc, min=0, max=100_000)
    frame = tg.assess(res, ds, mc_n=args.mc)
    payload = [dict(r, scenario_hash=res.hash) for r in _records(frame[list(TARGET_JSON)])]
    table = frame[["indicator", "year", "target", "comparator", "projected", "mode", "status", "probability",
                   "decided_by"]]
    _emit(args, payload, table)


def cmd_solve(args: argparse.Namespace, ds: Dataset) -> None:
    res = _scenario(args, ds)
    out = tg.solve(res, ds, args.indicator, args.lever, target=args.target, year=args.year)
    out["scenario_hash"] = res.hash
    _emit(args, out)


def cmd_goalseek(args: argparse.Namespace, ds: Dataset) -> None:
    """Exact-hit lever value and the whole-unit value that gives P(met) >= --p (models.goalseek)."""
    from models import goalseek

    res = _scenario(args, ds)
    out = goalseek.solve_confidence(res, ds, args.indicator, args.lever, p_target=args.p, n=args.mc,
                                    target=args.target, year=args.year)
    out["scenario_hash"] = res.hash
    out["alternatives"] = goalseek.alternatives(res, ds, args.indicator, out["year"])
    out["what_would"] = _what_would(res, ds, args, out["year"])
    _emit(args, out)


def _what_would(res: Any, ds: Dataset, args: argparse.Namespace, year: int) -> dict[str, Any]:
    """Where no single lever reaches the target: the smallest lever pair (models.goalseek_pairs)."""
    from models import goalseek_pairs

    return goalseek_pairs.combinations(res, ds, args.indicator, year=year, target=args.target, p_target=args.p,
                                       n=args.mc)


def cmd_simulate(args: argparse.Namespace, ds: Dataset) -> None:
    from models import des

    res = _scenario(args, ds)  # --replications, --seed, --jobs: range checked in cli_checks.check_args
    params = engine.des_params(res, ds)
    reps = des.multiple_replications(params, args.replications, args.seed, n_jobs=args.jobs)
    summ = des.summarise(reps)
    payload = {
        "scenario_hash": res.hash,
        "data_version": res.data_version,
        "district": res.district,
        "replications": args.replications,
        "seed": args.seed,
        "summary": _records(summ),
    }
    _emit(args, payload, summ)


def cmd_beds_needed(args: argparse.Namespace, ds: Dataset) -> None:
    """Beds that keep P(wait) ≤ x % per year (Erlang-C), optionally checked by the DES at that capacity."""
    from models import bed_sweep

    res = _scenario(args, ds)
    params = engine.des_params(res, ds)
    table = bed_sweep.sweep(params, args.p_wait)
    if args.confirm and not args.replications:
        raise ShapanError("missing_key", file="beds-needed --confirm", key="--replications")
    if args.replications and args.confirm:  # the DES judges the final choice (growing demand, carried queues)
        table = bed_sweep.confirm_with_des(params, table, args.p_wait, args.replications, args.seed,
                                           max_rounds=args.max_rounds)
    elif args.replications:
        table = table.merge(bed_sweep.check_with_des(params, table, args.replications, args.seed), on="year")
    payload = {
        "scenario_hash": res.hash,
        "data_version": res.data_version,
        "district": res.district,
        "p_wait_max_pct": args.p_wait,
        "rows": _records(table),
    }
    _emit(args, payload, table)


def cmd_validate_des(args: argparse.Namespace, ds: Dataset) -> None:
    from models.des_validation import validate_against_erlang

    _emit(args, validate_against_erlang(n_jobs=args.jobs))


def cmd_backtest(args: argparse.Namespace, ds: Dataset) -> None:
    from models import backtest

    actuals = _actuals(args, ds)
    frame = backtest.backtest(ds, args.district, actuals)
    if not frame.empty:  # judge the forecast made from 2020 information (baseline Monte Carlo)
        from models import backtest_eval, evaluation

        forecast = evaluation.plan_time_forecast(ds, args.district, n=args.mc, seed=args.seed)
        frame = backtest_eval.with_forecast_evaluation(frame, forecast)
    _emit(args, _records(frame), frame)


def _actuals(args: argparse.Namespace, ds: Dataset) -> pd.DataFrame:
    from models import backtest

    path = Path(args.actuals)
    data = limits.read_file(path, limits.current().actuals_bytes, str(path))  # stat before reading
    return backtest.read_actuals(data, path.name, ds, args.district)


def cmd_evaluate(args: argparse.Namespace, ds: Dataset) -> None:
    """十四五期末评估: one row per plan-period target (models.evaluation)."""
    from models import evaluation

    actuals = _actuals(args, ds)
    if not 1 <= args.mc <= 100_000:
        raise ShapanError("out_of_range", file="--mc", key="mc", value=args.mc, min=1, max=100_000)
    forecast = evaluation.plan_time_forecast(ds, args.district, n=args.mc, seed=args.seed)
    frame = evaluation.evaluate_term(ds, args.district, actuals, forecast)
    extra = {"forecast_scenario_hash": forecast.resolved.hash, "data_version": ds.version}
    cols = ["indicator", "year", "comparator", "target", "actual", "status", "margin", "forecast_2020",
            "status_at_plan_time"]
    _emit(args, [dict(r, **extra) for r in _records(frame)], frame[cols])


def cmd_forecast(args: argparse.Namespace, ds: Dataset) -> None:
    from models import bands

    res = _scenario(args, ds)
    payload = bands.bands(res, ds, n=args.mc, seed=args.seed)
    payload["population_basis"] = population_basis.basis_for(res, ds).as_json()
    rows = [{"indicator": k, "year": y, **v} for k, by_year in payload["series"].items() for y, v in by_year.items()]
    _emit(args, payload, pd.DataFrame(rows) if rows else None)


def cmd_draft(args: argparse.Namespace, ds: Dataset) -> None:
    """十五五 drafting: 2030 targets from the baseline rebased on the actuals (models.draft)."""
    from models import draft, rebase
    from models import scenario as sc

    actuals = _actuals(args, ds)
    own = None
    if args.targets:
        path = Path(args.targets)
        if not path.is_file():
            raise ShapanError("file_missing", file=str(path))
        own = draft.read_targets(path.read_bytes(), path.name, ds)
    if not 1 <= args.mc <= 100_000:
        raise ShapanError("out_of_range", file="--mc", key="mc", value=args.mc, min=1, max=100_000)
    base_year = int(actuals["year"].max()) if args.base_year is None else args.base_year
    rebased = rebase.rebase(draft.default_scenario(ds, args.district), ds, actuals, base_year)
    table = draft.draft(ds, args.district, rebased, own, n=args.mc)
    planned = draft.draft_scenario(ds, rebased, table)
    if args.out:  # the 专栏 indicator table: Word for a .docx path, else xlsx
        if Path(args.out).suffix.lower() == ".docx":
            from models import draft_docx, report

            data = draft_docx.export_docx(ds, table, args.district, planned.resolved.hash, date=report.report_date())
        else:
            data = draft.export_xlsx(ds, table, planned.resolved.hash)
        Path(args.out).write_bytes(data)
    if args.save:
        Path(args.save).write_text(sc.dumps(planned.resolved.scenario), encoding="utf-8")
    extra = {"scenario_hash": rebased.resolved.hash, "draft_scenario_hash": planned.resolved.hash,
             "data_version": ds.version}
    cols = ["indicator", "comparator", "target", "base_value", "projected", "status", "probability",
            "cost_2026_2030", "basis"]
    _emit(args, [dict(r, **extra) for r in _records(table)], table[cols])


def cmd_report(args: argparse.Namespace, ds: Dataset) -> None:
    from models import report

    cli_checks.check_output(args.out)  # a folder, or a path under a file: refused before the work
    res = _scenario(args, ds)
    actuals = _actuals(args, ds) if args.actuals else None  # adds 期末评估 and the 十五五 draft
    data = report.build(res, ds, args.format, lang=args.lang, date=args.date, actuals=actuals)
    out = cli_checks.write_output(args.out, data)
    _emit(
        args,
        {
            "path": str(out),
            "format": args.format,
            "bytes": len(data),
            "scenario_hash": res.hash,
            "data_version": res.data_version,
        },
    )


def cmd_export_district(args: argparse.Namespace, ds: Dataset) -> None:
    from models import workbook

    if args.empty == bool(args.district):
        raise ShapanError(
            "generic", detail="请给出 --district 或 --empty 之一 / give exactly one of --district, --empty"
        )
    cli_checks.check_output(args.out)  # a folder, or under a file: refused before the work
    data = workbook.export_workbook(ds, None if args.empty else args.district)
    out = cli_checks.write_output(args.out, data)
    _emit(args, {"path": str(out), "district": args.district or "", "bytes": len(data), "data_version": ds.version})


def cmd_import_district(args: argparse.Namespace, ds: Dataset) -> None:
    from models import limits, workbook_import, workbook_store

    path = Path(args.file)
    data = limits.read_file(path, workbook_import.MAX_BYTES, args.file)
    _emit(args, workbook_store.import_workbook(data, path.name, ds, args.id))


def cmd_extract_plan(args: argparse.Namespace, ds: Dataset) -> None:
    from models import limits, plan_extract

    path = Path(args.file)
    rows = plan_extract.extract(limits.read_file(path, plan_extract.MAX_BYTES, args.file), path.name, ds.meta)
    _emit(args, _records(rows), rows[["indicator", "label", "year", "value", "unit", "kind", "comparator", "locator"]])


def _age_table_option(p: argparse.ArgumentParser) -> None:
    p.add_argument("--age-table", dest="age_table",
                   help="5-year age table (CSV/xlsx: 年龄组,人数 ... 85岁及以上); overrides the age shape")
    p.add_argument("--age-table-basis", dest="age_table_basis", metavar="户籍|常住",
                   help="population basis of the age table: 户籍 (registered, hukou) or 常住 (resident)")


def _with_age_table(args: argparse.Namespace, scen: Any) -> Any:
    """``--age-table F [--age-table-basis B]``: the table (and its basis) in the scenario; a basis alone
    sets the basis of the scenario's own table."""
    basis = getattr(args, "age_table_basis", None)
    if getattr(args, "age_table", None):
        from models import age_table

        data = limits.read_file(args.age_table, limits.current().actuals_bytes, input_name=str(args.age_table))
        table = age_table.parse(data, str(args.age_table))
        if basis is not None:  # checked before the table goes in, so the error names the option
            sc.validate_age_table_basis("--age-table-basis", basis)
        return scen.with_age_table(table, basis or "")
    if basis is not None:
        if not scen.age_table:
            raise ShapanError("basis_without_table", file="--age-table-basis", key="--age-table")
        sc.validate_age_table_basis("--age-table-basis", basis)
        return scen.with_age_table_basis(basis)
    return scen


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="shapan", description="Shapan 民政规划沙盘 command line")
    sub = parser.add_subparsers(dest="command", required=True)

    def add(name: str, fn, *, district: bool = False, scenario: bool = False) -> argparse.ArgumentParser:
        p = sub.add_parser(name)
        p.add_argument("--json", action="store_true", help="print one JSON document")
        if district:
            p.add_argument("--district", required=not scenario, help="district id, e.g. chengkou")
        if scenario:
            p.add_argument("--scenario", help="scenario TOML file (default: the district's plan preset)")
            p.add_argument("--end-year", type=int, dest="end_year")
        p.set_defaults(fn=fn)
        return p

    add("districts", cmd_districts)
    add("indicators", cmd_indicators, district=True)
    add("check", cmd_check).add_argument("--district", help="only this district's findings")
    p = add("run", cmd_run, district=True, scenario=True)
    p.add_argument("--base-year", type=int, dest="base_year", help="rebase on the actuals of this year (e.g. 2025)")
    p.add_argument("--actuals", help="CSV/xlsx: indicator,year,value[,source]")
    _age_table_option(p)
    p = add("targets", cmd_targets, district=True, scenario=True)
    p.add_argument("--mc", type=int, default=None,
                   help="Monte Carlo draws (default: the scenario's; 0 = deterministic rule)")
    _age_table_option(p)
    p = add("solve", cmd_solve, district=True, scenario=True)
    p.add_argument("--indicator", required=True)
    p.add_argument("--lever", required=True)
    p.add_argument("--target", type=float)
    p.add_argument("--year", type=int)
    p = add("goalseek", cmd_goalseek, district=True, scenario=True)
    p.add_argument("--indicator", required=True)
    p.add_argument("--lever", required=True)
    p.add_argument("--p", type=float, default=0.8, help="P(met) to reach, 0..1 (default 0.8)")
    p.add_argument("--mc", type=int, default=None, help="Monte Carlo draws (default: uncertainty.draws)")
    p.add_argument("--target", type=float)
    p.add_argument("--year", type=int)
    p = add("simulate", cmd_simulate, district=True, scenario=True)
    p.add_argument("--replications", type=int, default=30)
    p.add_argument("--seed", type=int, default=20211231)
    p.add_argument("--jobs", type=int, default=1)
    p = add("beds-needed", cmd_beds_needed, district=True, scenario=True)
    p.add_argument("--p-wait", type=float, default=5.0, dest="p_wait", help="P(wait) ceiling in %%")
    p.add_argument("--replications", type=int, default=None, help="DES check at the suggested beds (default: none)")
    p.add_argument("--confirm", action="store_true",
                   help="raise beds where the DES P(wait) is over the ceiling and check again (needs --replications)")
    p.add_argument("--max-rounds", type=int, default=5, dest="max_rounds", help="DES rounds for --confirm (1–20)")
    p.add_argument("--seed", type=int, default=20211231)
    add("validate-des", cmd_validate_des).add_argument("--jobs", type=int, default=1)
    p = add("backtest", cmd_backtest, district=True)
    p.add_argument("--actuals", required=True)
    p.add_argument("--mc", type=int, default=1000, help="Monte Carlo draws of the 2020 forecast")
    p.add_argument("--seed", type=int, default=None, help="seed of the draws (default: the scenario's)")
    p = add("evaluate", cmd_evaluate, district=True)
    p.add_argument("--actuals", required=True, help="CSV/xlsx: indicator,year,value[,source]")
    p.add_argument("--mc", type=int, default=1000, help="Monte Carlo draws of the 2020 forecast")
    p.add_argument("--seed", type=int, default=None, help="seed of the draws (default: the scenario's)")
    p = add("forecast", cmd_forecast, district=True, scenario=True)
    p.add_argument("--mc", type=int, default=None, help="Monte Carlo draws (default: uncertainty.draws)")
    p.add_argument("--seed", type=int, default=None, help="seed (default: the scenario's)")
    _age_table_option(p)
    p = add("draft", cmd_draft, district=True)
    p.add_argument("--actuals", required=True, help="CSV/xlsx: indicator,year,value[,source]")
    p.add_argument("--targets", help="your own 2030 targets, CSV: indicator,target[,comparator]")
    p.add_argument("--base-year", type=int, dest="base_year", help="default: the latest year of the actuals")
    p.add_argument("--mc", type=int, default=500, help="Monte Carlo draws for P(met)")
    p.add_argument("--out", help="write the 专栏 indicator table (.xlsx, or .docx for Word)")
    p.add_argument("--save", help="write the draft scenario (TOML: actuals + levers)")
    p = add("report", cmd_report, district=True, scenario=True)
    p.add_argument("--format", choices=["pdf", "xlsx", "html", "docx", "pptx"], required=True)
    p.add_argument("--lang", choices=["zh", "en"], default="zh")
    p.add_argument("--date", help="report date YYYY-MM-DD (default: SOURCE_DATE_EPOCH, else today)")
    p.add_argument("--actuals", help="CSV/xlsx indicator,year,value[,source]: adds 期末评估 and the 十五五 draft")
    p.add_argument("--out", required=True)
    p = add("export-district", cmd_export_district)
    p.add_argument("--district", help="district id to fill the workbook with")
    p.add_argument("--empty", action="store_true", help="the blank template")
    p.add_argument("--out", required=True)
    p = add("import-district", cmd_import_district)
    p.add_argument("file", help="district workbook (.xlsx)")
    p.add_argument("--id", help="the new district's id (default: the workbook's 区县代码)")
    add("extract-plan", cmd_extract_plan).add_argument("file", help="plan document (.docx or .txt)")
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse already printed its message to stderr
        return int(exc.code or 0)
    try:
        cli_checks.check_args(args)
        args.fn(args, user_districts.load())
    except ShapanError as err:
        sys.stderr.write(f"错误：{err.message('zh')}\nError: {err.message('en')}\n")
        return 2
    except OSError as exc:  # a file-system failure no command anticipated: still no traceback
        name = Path(exc.filename).name if isinstance(exc.filename, str) else ""
        reason = exc.strerror or type(exc).__name__
        sys.stderr.write(f"错误：文件操作失败 {name}：{reason}\nError: file operation failed {name}: {reason}\n")
        return 2
    except MemoryError:
        sys.stderr.write("错误：内存不足，输入过大\nError: out of memory: the input is too large\n")
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
