"""Load and validate Shapan's sourced data (``data/``) into typed, read-only objects.

Everything in ``data/`` is a fact with a source: ``sources.toml`` lists the sources, ``districts.csv`` the
districts, ``indicators.csv`` the figures (one fact a row, long format), ``indicator_meta.csv`` what each
indicator means, ``projects.csv`` the capacity projects named in the plans, ``assumptions.toml`` every
model parameter default, and ``reference/*.csv`` external facts (census, life tables, minimum wages).

The loader is strict: an unknown column, unit, comparator, kind or source id, a duplicate row, a value
that is not a number -> :class:`~models.errors.ShapanError` naming the file and row.

``load_dataset()`` returns a frozen :class:`Dataset` with a ``version`` (first 12 hex digits of the
sha256 over all data files) that every export carries.
"""

from __future__ import annotations

import functools
import hashlib
import math
import os
import tomllib
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from types import MappingProxyType
from typing import Any

import pandas as pd

from models.errors import ShapanError

DEFAULT_DATA_DIR = Path(__file__).resolve().parent.parent / "data"

INDICATOR_COLUMNS = [
    "district",
    "indicator",
    "year",
    "value",
    "unit",
    "kind",
    "comparator",
    "binding",
    "source",
    "locator",
    "published",
    "note",
]
PROJECT_COLUMNS = [
    "district",
    "project",
    "year_start",
    "year_open",
    "beds",
    "nursing_beds",
    "operator",
    "facility_type",
    "pipeline",
    "source",
    "locator",
    "published",
    "note",
]
META_COLUMNS = [
    "indicator",
    "label_zh",
    "label_en",
    "unit",
    "direction",
    "model",
    "description",
    "domain",
    "decided_by",
    "aliases",
]
META_REQUIRED = META_COLUMNS[:7]  # domain, decided_by and aliases may be absent (then empty / 区县)
DOMAINS = ("assistance", "elderly", "affairs", "governance")  # 社会救助 / 养老服务 / 社会事务 / 基层治理
DECIDERS = ("区县", "市", "省", "中央")  # who sets a target or standard (DESIGN.md: someone decides)
DISTRICT_COLUMNS = [
    "id",
    "name_zh",
    "name_en",
    "province",
    "city",
    "plan_source",
    "plan_period",
    "doc_kind",
    "min_wage_area",
    "min_wage_tier",
    "population_source",
    "notes",
]
KINDS = {"baseline", "target", "actual", "derived", "assumed"}
COMPARATORS = {">=", "<=", "=", "sync"}
BINDINGS = {"约束性", "预期性", ""}
DIRECTIONS = {"higher", "lower", "none"}
OPERATORS = {"gov", "social", "mixed", ""}
SOURCE_KINDS = {"seed", "external", "model", "user"}  # user: cited in an imported workbook
SOURCE_KEYS = {"title", "issuer", "doc_no", "date", "kind", "file", "url", "note", "status"}
ASSUMPTION_KEYS = {"value", "unit", "label_zh", "label_en", "source", "reason", "min", "max", "note"}
YEAR_RANGE = (2010, 2040)


def data_dir() -> Path:
    """The data folder: ``$SHAPAN_DATA_DIR`` if set (tests use fixtures), else the project's ``data/``."""
    return Path(os.environ.get("SHAPAN_DATA_DIR", DEFAULT_DATA_DIR))


@dataclass(frozen=True)
class Assumption:
    """One model parameter default with its unit, labels, range and source."""

    key: str
    value: float
    unit: str
    label_zh: str
    label_en: str
    source: str
    reason: str = ""
    min: float | None = None
    max: float | None = None
    note: str = ""

    @property
    def is_assumption(self) -> bool:
        return self.source == "assumption"


@dataclass(frozen=True, eq=False)
class Dataset:
    """All of ``data/``, validated. DataFrames are shared: treat them as read-only (copy before editing).

    Compared and hashed by identity (one object per load), so it can key caches.
    """

    sources: MappingProxyType
    districts: pd.DataFrame
    indicators: pd.DataFrame
    meta: pd.DataFrame
    projects: pd.DataFrame
    assumptions: MappingProxyType
    units: pd.DataFrame
    version: str
    root: Path = field(repr=False)
    # user districts merged from SHAPAN_HOME (models.user_districts); empty for data/ alone
    base_version: str = ""
    user_districts: tuple[str, ...] = ()
    user_errors: tuple[str, ...] = ()
    district_versions: MappingProxyType = field(default_factory=lambda: MappingProxyType({}), repr=False)
    extra_roots: tuple[Path, ...] = field(default=(), repr=False)

    def version_for(self, district_id: str) -> str:
        """The data version a district's results carry (a user district's own; else data/'s)."""
        return self.district_versions.get(district_id) or self.base_version or self.version

    def is_user(self, district_id: str) -> bool:
        return district_id in self.user_districts

    @functools.cached_property
    def _district_rows(self) -> dict[str, pd.Series]:
        return {row["id"]: row for _, row in self.districts.iterrows()}

    def district(self, district_id: str) -> pd.Series:
        """The district's row (shared, like every frame here: read-only). A page asks several times a run."""
        row = self._district_rows.get(district_id)
        if row is None:
            raise ShapanError("unknown_district", district=district_id, allowed=", ".join(self.districts["id"]))
        return row

    def indicators_for(self, district_id: str) -> pd.DataFrame:
        self.district(district_id)
        return self.indicators[self.indicators["district"] == district_id].reset_index(drop=True)

    def projects_for(self, district_id: str) -> pd.DataFrame:
        self.district(district_id)
        return self.projects[self.projects["district"] == district_id].reset_index(drop=True)

    @functools.cached_property
    def _references(self) -> dict[str, pd.DataFrame]:
        return {}

    def reference(self, name: str) -> pd.DataFrame:
        """``data/reference/<name>.csv`` plus the user districts' rows; read once per Dataset (the data version
        covers these files), a fresh copy per call so a caller may edit it."""
        if name not in self._references:
            frame = read_reference(self.root, name)
            extra = [self.root_reference(r, name) for r in self.extra_roots]
            extra = [f for f in extra if f is not None]
            self._references[name] = pd.concat([frame, *extra], ignore_index=True) if extra else frame
        return self._references[name].copy()

    @staticmethod
    def root_reference(root: Path, name: str) -> pd.DataFrame | None:
        return read_reference(root, name) if (root / "reference" / f"{name}.csv").is_file() else None

    @functools.cached_property
    def _labels(self) -> dict[str, dict[str, str]]:
        meta = self.meta
        return {lang: dict(zip(meta["indicator"], meta[f"label_{lang}"], strict=True)) for lang in ("zh", "en")}

    @functools.cached_property
    def _label_index(self) -> dict[str, str]:
        index = {}
        for row in self.meta.itertuples(index=False):
            for name in (row.label_zh, row.label_en, *filter(None, row.aliases.split("|"))):
                index.setdefault(normalise_label(name).lower(), row.indicator)
        return index

    def indicator_for_label(self, label: str) -> str | None:
        """The canonical indicator id whose label (zh or en) or alias is ``label`` (None if unknown)."""
        return self._label_index.get(normalise_label(label).lower())

    def meta_of(self, indicator: str, column: str, default: str = "") -> str:
        """One ``indicator_meta.csv`` cell (``default`` when the indicator has no metadata)."""
        value = self._meta_cells.get((indicator, column), "")
        return value if value != "" else default

    @functools.cached_property
    def _meta_cells(self) -> dict[tuple[str, str], str]:
        return {(row["indicator"], col): str(row[col]) for row in self.meta.to_dict("records") for col in row}

    def label(self, indicator: str, lang: str = "zh") -> str:
        """The indicator's label in ``lang`` (its id when it has no metadata)."""
        return self._labels["zh" if lang == "zh" else "en"].get(indicator, indicator)


# ---------------------------------------------------------------------------------------------- readers


def _read_csv(path: Path, columns: list[str], required: list[str] | None = None) -> pd.DataFrame:
    if not path.exists():
        raise ShapanError("file_missing", file=path.name)
    try:
        frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    except pd.errors.EmptyDataError as exc:
        raise ShapanError("file_empty", file=path.name) from exc
    except (pd.errors.ParserError, UnicodeDecodeError) as exc:
        raise ShapanError("csv_syntax", file=path.name, detail=str(exc).splitlines()[0]) from exc
    missing = [c for c in (required or columns) if c not in frame.columns]
    if missing:
        raise ShapanError("missing_columns", file=path.name, columns=", ".join(missing))
    unknown = [c for c in frame.columns if c not in columns]
    if unknown:
        raise ShapanError("unknown_columns", file=path.name, columns=", ".join(unknown))
    for col in columns:
        if col not in frame.columns:
            frame[col] = ""
    frame = frame[columns].apply(lambda s: s.str.strip())
    return frame


def _read_toml(path: Path) -> dict[str, Any]:
    if not path.exists():
        raise ShapanError("file_missing", file=path.name)
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise ShapanError("toml_syntax", file=path.name, detail=str(exc)) from exc


def _number(value: str, file: str, row: int, column: str, *, allow_empty: bool = False) -> float:
    """Parse a cell as a finite float; csv row numbers are 1-based counting the header as row 1."""
    if value == "":
        if allow_empty:
            return math.nan
        raise ShapanError("bad_value", file=file, row=row, column=column, value=value, reason="必填/required")
    try:
        number = float(value)
    except ValueError as exc:
        raise ShapanError(
            "bad_value", file=file, row=row, column=column, value=value, reason="不是数字/not a number"
        ) from exc
    if not math.isfinite(number):
        raise ShapanError("bad_value", file=file, row=row, column=column, value=value, reason="非有限数/not finite")
    return number


def _check_choice(frame: pd.DataFrame, column: str, allowed: set[str], file: str) -> None:
    for i, value in enumerate(frame[column], start=2):
        if value not in allowed:
            raise ShapanError(
                "bad_value",
                file=file,
                row=i,
                column=column,
                value=value,
                reason="允许/allowed: " + ", ".join(sorted(a or "(empty)" for a in allowed)),
            )


def load_sources(root: Path) -> dict[str, dict[str, str]]:
    raw = _read_toml(root / "sources.toml")
    for sid, entry in raw.items():
        if not isinstance(entry, dict):
            raise ShapanError("wrong_type", file="sources.toml", key=sid, expected="table", value=entry)
        unknown = set(entry) - SOURCE_KEYS
        if unknown:
            raise ShapanError(
                "unknown_key",
                file="sources.toml",
                key=f"{sid}.{sorted(unknown)[0]}",
                allowed=", ".join(sorted(SOURCE_KEYS)),
            )
        for key in ("title", "kind"):
            if not entry.get(key):
                raise ShapanError("missing_key", file="sources.toml", key=f"{sid}.{key}")
        if entry["kind"] not in SOURCE_KINDS:
            raise ShapanError(
                "bad_value",
                file="sources.toml",
                row=sid,
                column="kind",
                value=entry["kind"],
                reason="允许/allowed: " + ", ".join(sorted(SOURCE_KINDS)),
            )
        if entry["kind"] == "seed" and not entry.get("file"):
            raise ShapanError("missing_key", file="sources.toml", key=f"{sid}.file")
    return raw


def load_assumptions(root: Path, sources: dict[str, Any]) -> dict[str, Assumption]:
    raw = _read_toml(root / "assumptions.toml")
    out: dict[str, Assumption] = {}
    for section, entries in raw.items():
        if not isinstance(entries, dict):
            raise ShapanError("wrong_type", file="assumptions.toml", key=section, expected="table", value=entries)
        for name, entry in entries.items():
            key = f"{section}.{name}"
            if not isinstance(entry, dict):
                raise ShapanError("wrong_type", file="assumptions.toml", key=key, expected="table", value=entry)
            unknown = set(entry) - ASSUMPTION_KEYS
            if unknown:
                raise ShapanError(
                    "unknown_key",
                    file="assumptions.toml",
                    key=f"{key}.{sorted(unknown)[0]}",
                    allowed=", ".join(sorted(ASSUMPTION_KEYS)),
                )
            for req in ("value", "unit", "label_zh", "label_en", "source"):
                if req not in entry or entry[req] == "":
                    raise ShapanError("missing_key", file="assumptions.toml", key=f"{key}.{req}")
            if entry["source"] == "assumption":
                if not entry.get("reason"):
                    raise ShapanError("missing_key", file="assumptions.toml", key=f"{key}.reason")
            elif entry["source"] not in sources:
                raise ShapanError("unknown_source", file="assumptions.toml", row=key, source=entry["source"])
            value = entry["value"]
            if isinstance(value, bool) or not isinstance(value, int | float):
                raise ShapanError(
                    "wrong_type", file="assumptions.toml", key=f"{key}.value", expected="number", value=value
                )
            lo, hi = entry.get("min"), entry.get("max")
            if lo is not None and hi is not None and not lo <= value <= hi:
                raise ShapanError("out_of_range", file="assumptions.toml", key=key, value=value, min=lo, max=hi)
            out[key] = Assumption(
                key=key,
                value=float(value),
                unit=entry["unit"],
                label_zh=entry["label_zh"],
                label_en=entry["label_en"],
                source=entry["source"],
                reason=entry.get("reason", ""),
                min=None if lo is None else float(lo),
                max=None if hi is None else float(hi),
                note=entry.get("note", ""),
            )
    return out


def load_indicators(root: Path, sources: dict[str, Any], districts: set[str], units: set[str]) -> pd.DataFrame:
    file = "indicators.csv"
    frame = _read_csv(root / file, INDICATOR_COLUMNS)
    _check_choice(frame, "kind", KINDS, file)
    _check_choice(frame, "binding", BINDINGS, file)
    _check_choice(frame, "district", districts, file)
    _check_choice(frame, "unit", units, file)
    values, years = [], []
    for i, row in enumerate(frame.itertuples(index=False), start=2):
        year = _number(row.year, file, i, "year")
        if not (year.is_integer() and YEAR_RANGE[0] <= year <= YEAR_RANGE[1]):
            raise ShapanError(
                "bad_value", file=file, row=i, column="year", value=row.year, reason=f"{YEAR_RANGE[0]}–{YEAR_RANGE[1]}"
            )
        years.append(int(year))
        values.append(_number(row.value, file, i, "value", allow_empty=row.comparator == "sync" or bool(row.published)))
        if row.source not in sources:
            raise ShapanError("unknown_source", file=file, row=i, source=row.source)
        if not row.locator and row.kind != "derived":
            raise ShapanError("bad_value", file=file, row=i, column="locator", value="", reason="必填/required")
        if row.kind == "target":
            if row.comparator not in COMPARATORS:
                raise ShapanError(
                    "bad_value",
                    file=file,
                    row=i,
                    column="comparator",
                    value=row.comparator,
                    reason="目标行需比较符/targets need one of " + ", ".join(sorted(COMPARATORS)),
                )
        elif row.comparator:
            raise ShapanError(
                "bad_value",
                file=file,
                row=i,
                column="comparator",
                value=row.comparator,
                reason="只有目标行有比较符/only target rows take a comparator",
            )
    frame["year"] = years
    frame["value"] = values
    key_cols = ["district", "indicator", "year", "kind", "locator"]
    dup = frame.duplicated(subset=key_cols, keep=False)
    if dup.any():
        rows = [i + 2 for i in frame.index[dup]]
        first = frame.loc[frame.index[dup][0], key_cols].tolist()
        raise ShapanError("duplicate_row", file=file, row=rows[1], other=rows[0], key="/".join(map(str, first)))
    return frame


def load_projects(root: Path, sources: dict[str, Any], districts: set[str]) -> pd.DataFrame:
    file = "projects.csv"
    frame = _read_csv(root / file, PROJECT_COLUMNS)
    _check_choice(frame, "district", districts, file)
    _check_choice(frame, "operator", OPERATORS, file)
    _check_choice(frame, "pipeline", {"yes", "no", "total"}, file)
    for i, row in enumerate(frame.itertuples(index=False), start=2):
        if row.source not in sources:
            raise ShapanError("unknown_source", file=file, row=i, source=row.source)
        for col in ("year_start", "year_open", "beds", "nursing_beds"):
            number = _number(getattr(row, col), file, i, col, allow_empty=True)
            if not math.isnan(number) and number < 0:
                raise ShapanError("bad_value", file=file, row=i, column=col, value=getattr(row, col), reason=">= 0")
    for col in ("year_start", "year_open", "beds", "nursing_beds"):
        frame[col] = pd.to_numeric(frame[col].replace("", None), errors="coerce").astype("Float64")
    return frame


def load_meta(root: Path, units: set[str]) -> pd.DataFrame:
    file = "indicator_meta.csv"
    frame = _read_csv(root / file, META_COLUMNS, META_REQUIRED)
    frame["decided_by"] = frame["decided_by"].replace("", "区县")
    _check_choice(frame, "direction", DIRECTIONS, file)
    _check_choice(frame, "domain", {*DOMAINS, ""}, file)
    _check_choice(frame, "decided_by", set(DECIDERS), file)
    _check_choice(frame, "unit", units, file)
    dup = frame.duplicated(subset=["indicator"], keep=False)
    if dup.any():
        rows = [i + 2 for i in frame.index[dup]]
        raise ShapanError(
            "duplicate_row", file=file, row=rows[1], other=rows[0], key=frame.loc[dup, "indicator"].iloc[0]
        )
    seen: dict[str, tuple[int, str]] = {}
    for i, row in enumerate(frame.itertuples(index=False), start=2):
        for name in {row.label_zh, *filter(None, row.aliases.split("|"))}:
            key = normalise_label(name)
            if key in seen and seen[key][1] != row.indicator:  # one label (or alias), one id
                raise ShapanError("duplicate_row", file=file, row=i, other=seen[key][0], key=f"label {name}")
            seen.setdefault(key, (i, row.indicator))
    return frame


def normalise_label(text: str) -> str:
    """A label as compared across plans: full-width brackets and quotes unified, spaces and punctuation dropped."""
    table = str.maketrans("（）", "()", " 　“”\"\'、·,，:：")
    return text.translate(table).strip()


def load_districts(root: Path, sources: dict[str, Any]) -> pd.DataFrame:
    file = "districts.csv"
    frame = _read_csv(root / file, DISTRICT_COLUMNS)
    for i, row in enumerate(frame.itertuples(index=False), start=2):
        for col in ("plan_source", "population_source"):
            if getattr(row, col) not in sources:
                raise ShapanError("unknown_source", file=file, row=i, source=getattr(row, col))
    if frame["id"].duplicated().any():
        i = int(frame.index[frame["id"].duplicated()][0]) + 2
        raise ShapanError("duplicate_row", file=file, row=i, other="?", key=frame.loc[i - 2, "id"])
    return frame


def read_reference(root: Path, name: str) -> pd.DataFrame:
    """An external reference table ``data/reference/<name>.csv`` (numbers parsed where they are numbers)."""
    path = root / "reference" / f"{name}.csv"
    if not path.exists():
        raise ShapanError("file_missing", file=f"reference/{name}.csv")
    return pd.read_csv(path)


def _version(root: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(root.rglob("*")):
        if path.is_file() and "staging" not in path.parts and path.suffix in {".csv", ".toml"}:
            digest.update(path.relative_to(root).as_posix().encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def load_dataset(root: Path | None = None) -> Dataset:
    """Load and validate everything in ``data/``; raises :class:`ShapanError` naming file and row.

    The user's own districts (``$SHAPAN_HOME``) are merged by :func:`models.user_districts.load`, which
    the CLI and the app use; this function reads ``data/`` (or ``root``) alone.
    """
    root = Path(root) if root is not None else data_dir()
    sources = load_sources(root)
    units_frame = _read_csv(root / "units.csv", ["unit", "label_en", "dimension"])
    units = set(units_frame["unit"])
    districts = load_districts(root, sources)
    ids = set(districts["id"])
    return Dataset(
        sources=MappingProxyType(sources),
        districts=districts,
        indicators=load_indicators(root, sources, ids, units),
        meta=load_meta(root, units),
        projects=load_projects(root, sources, ids),
        assumptions=MappingProxyType(load_assumptions(root, sources)),
        units=units_frame,
        version=_version(root),
        root=root,
    )


@cache
def dataset() -> Dataset:
    """The project's data, loaded once per process (read-only)."""
    return load_dataset()
