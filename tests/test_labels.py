"""The one label registry (models/labels): same ids in zh and en, every id the models use has both labels,
and the surfaces that printed these ids before print the same text now."""

from __future__ import annotations

import re
import tomllib

import pytest

from models import (
    authority,
    charts,
    coverage,
    des,
    drivers,
    engine,
    labels,
    population_basis,
    presets,
    target_modes,
    tekun_tiers,
)
from models import budget as bu
from models import evaluation as ev
from models import scenario as sc
from models.data import COMPARATORS, DECIDERS, load_dataset
from models.reporting import words as wd
from models.resolve import resolve
from models.views import beds as vb
from pages._ui import load_locale


@pytest.fixture(scope="module")
def ds():
    return load_dataset()


def _ids_used(ds) -> dict[str, set[str]]:
    """Every id each kind of label is asked for: from the models' vocabularies and from the data."""
    series_without_meta = {s for s in engine.SERIES_IDS if ds.label(s, "zh") == s}
    programmes = set(bu.PROGRAMMES) | {bu.TOTAL}
    driver_ids: set[str] = set()
    for district in ds.districts["id"]:
        res = resolve(presets.load_preset(district, "baseline", ds), ds)
        run = engine.run(res, ds)
        programmes |= set(run.budget["programme"]) | set(run.budget_notes)
        series_without_meta |= {s for s in run.series if ds.label(s, "zh") == s}
        driver_ids |= set(drivers.inputs(res, ds, n=10, seed=1))
    return {
        "status": set(target_modes.PROBLEM_ORDER) | set(target_modes.FUTURE_STATUSES) | set(target_modes.PAST_STATUSES),
        "mode": set(target_modes.MODES),
        "domain": set(ds.meta["domain"].fillna("")),
        "programme": programmes,
        "binding": set(ds.indicators["binding"].fillna("")),
        "rule": set(sc.BENEFIT_RULES) | set(sc.PLAN_PROFILES),
        "series": series_without_meta,
        "decider": set(DECIDERS),
        "result": set(ev.RESULT_STATUSES),
        "des_metric": set(des.RESULT_COLUMNS) | set(vb.DES_METRICS) | set(vb.DES_NEEDED),
        "driver": driver_ids,
        "tier": set(tekun_tiers.TIERS),
        "comparator": COMPARATORS - {"sync"},  # the numeric ones: "sync" targets are never goal-sought
        "basis": {*population_basis.BASES, population_basis.NOT_STATED},
        "basis_status": set(population_basis.STATUSES),
    }


def test_zh_and_en_have_the_same_tables_and_keys():
    raw = {lang: tomllib.loads((labels.HERE / f"{lang}.toml").read_text(encoding="utf-8")) for lang in labels.LANGS}
    assert list(raw["zh"]) == list(raw["en"])
    for kind in raw["zh"]:
        assert set(raw["zh"][kind]) == set(raw["en"][kind]), kind
        for lang in labels.LANGS:
            assert all(isinstance(v, str) and v.strip() for v in raw[lang][kind].values()), (kind, lang)


def test_every_id_used_has_a_zh_and_an_en_label(ds):
    missing = [(kind, i, lang) for kind, ids in _ids_used(ds).items() for i in sorted(ids) for lang in labels.LANGS
               if not labels.has(kind, i)]
    assert missing == []
    for kind, ids in _ids_used(ds).items():
        for i in ids:
            assert labels.label(kind, i, "zh", strict=True)
            assert labels.label(kind, i, "en", strict=True)


def test_variant_tables_only_name_ids_of_their_kind():
    """[programme_long] / [programme_plain] / [programme_title] / [rule_title] rename ids the base kind has."""
    for kind in labels.kinds():
        base = next((b for b in ("programme", "rule") if kind.startswith(f"{b}_")), None)
        if base:
            assert set(labels.table(kind)) <= set(labels.table(base)), kind


def test_titles_are_the_pages_words():
    """Hand-checked: what the budget page and the lever select boxes printed from pages/locale before."""
    assert labels.title("programme", "dibao_urban", "en") == "Urban 低保"  # [programme] capitalised
    assert labels.title("programme", "social_assistance_topdown", "en") == "Social assistance total (top-down)"
    assert labels.title("programme", "total", "zh") == "合计"
    assert labels.title("programme", "orphan", "zh") == "孤儿基本生活费"  # [programme_title]
    assert labels.title("programme", "orphan", "en") == "Orphan allowance"
    assert labels.title("programme", "elderly_subsidy", "en") == "Old-age / care subsidies"
    assert labels.title("rule", "fixed_growth", "zh") == "固定年增长率"
    assert labels.title("rule", "front", "en") == "Front-loaded"
    assert labels.title("des_metric", "p_wait", "en") == "P(wait)"  # a kind without a title table
    assert labels.title("tier", "brand_new", "en") == "Brand_new"  # unknown: the id, capitalised


def test_pages_locale_has_no_copy_of_registry_labels():
    """The page-locale keys that repeated registry labels are gone: pages label model ids through
    pages._ui.id_label (models.labels)."""
    gone = ("levers.choice.", "budget.prog_", "budget.tier_", "beds.des_metric_", "population.basis_status_",
            "population.basis_hukou", "population.basis_resident", "population.basis_unstated")
    for lang in labels.LANGS:
        assert [k for k in load_locale(lang) if k.startswith(gone)] == [], lang


def test_plain_programme_names_are_one_script():
    """The 15th-plan draft's reasons are pure Chinese or pure English: [programme_plain] has no mixed name."""
    cjk = re.compile(r"[\u3400-\u9fff]")
    for key in labels.table("programme_plain", "en"):
        assert not cjk.search(labels.programme(key, "en", plain=True)), key
        assert cjk.search(labels.programme(key, "zh", plain=True)), key
    assert labels.programme("orphan", "en", plain=True) == "orphan allowance"  # no plain name: the usual one


def test_unknown_id_prints_as_itself_or_raises_when_strict():
    assert labels.label("status", "brand_new", "en") == "brand_new"
    with pytest.raises(KeyError, match="no en label for status id 'brand_new'"):
        labels.label("status", "brand_new", "en", strict=True)
    with pytest.raises(ValueError, match='"lang" must be one of'):
        labels.table("status", "fr")


def test_surfaces_print_the_registry_words():
    """Hand-checked words: the page vocabulary (Title case), the report's (in sentences), the coverage names."""
    assert charts.status_label("on_track", "en") == "On track"
    assert charts.status_label("on_track") == "可实现"
    assert wd.status("on_track", "en") == "on track"
    assert wd.status("needs_input", "en") == "needs input"
    assert wd.status("brand_new", "zh") == "其他"
    assert charts.mode_label("tracked", "zh") == "进度跟踪"
    assert charts.domain_label("", "en") == "Other"
    assert coverage.name("dibao_urban", "en") == "urban 低保"
    assert wd.programme("dibao_urban", "en") == "urban 低保 (minimum living allowance)"  # the report's fuller name
    assert wd.programme("social_assistance_topdown", "en") == "social assistance total (top-down)"
    assert wd.binding("约束性", "en") == "binding"
    assert wd.binding(float("nan"), "zh") == "—"
    assert wd.series("orphan_standard", "zh") == ("孤儿基本生活费标准", "元/人·月")
    assert wd.series("x", "zh") is None
    assert authority.label("市", "en") == "municipality/city"
    assert authority.label("市", "zh") == "市"
    assert tekun_tiers.missing_text(["disabled", "selfcare"], "en") == \
        "enter the 2020 特困 caseload of: fully dependent, self-care"
    assert tekun_tiers.missing_text(["semidisabled"], "zh") == "请输入2020年特困人员护理档人数：半失能"
    assert population_basis.Basis("x", "户籍", "user").describe("zh") == \
        "口径：户籍人口（用户输入的基数，沿用本区县口径）"


def test_no_second_label_table_in_models():
    """The tables the registry replaced are gone (a second copy is how the texts drifted apart before)."""
    gone = [(charts, "STATUS_LABELS"), (charts, "MODE_LABELS"), (charts, "DOMAIN_LABELS"),
            (coverage, "PROGRAMME_NAMES"), (wd, "PROGRAMME_WORDS"), (wd, "STATUS_WORDS"), (wd, "BINDING_WORDS"),
            (wd, "RULE_WORDS"), (wd, "SERIES_WORDS"), (authority, "LABELS_EN")]
    from models import benefits, draft, evaluation_words
    gone += [(benefits, "PROGRAMME_NAMES_ZH"), (draft, "PROGRAMME_NAMES"), (evaluation_words, "SERIES_LABELS")]
    from models import evaluation_report

    gone += [(evaluation_report, "RESULT_LABELS"), (evaluation_report, "BINDING")]
    from models import goalseek_pairs

    gone += [(des, "RESULT_LABELS"), (drivers, "LABELS"), (tekun_tiers, "TIER_NAMES"),
             (goalseek_pairs, "COMPARATOR_WORDS"), (population_basis, "LABELS"), (population_basis, "STATUS_LABELS"),
             (population_basis, "CODES")]
    assert [f"{m.__name__}.{name}" for m, name in gone if hasattr(m, name)] == []
