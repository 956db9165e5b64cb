"""User-supplied districts: stored under the user folder, merged into the dataset like shipped ones.

A district imported from a workbook (:mod:`models.workbook`) lives in
``$SHAPAN_HOME/districts/<id>/`` (``SHAPAN_HOME`` defaults to ``~/.shapan``; nothing is ever written
to ``data/``). The folder has the same formats as ``data/`` so the same strict loaders read it:

* ``districts.csv`` (one row), ``indicators.csv``, ``projects.csv``, ``indicator_meta.csv`` (only ids
  the registry does not have), ``sources.toml`` (the plan and any source the user cited; kind ``user``),
  ``reference/district_population.csv`` (the population basis) and ``scenarios/<id>_<preset>.toml``
  (the plan / freeze / stress presets, generated from the shipped ones).

:func:`load` is :func:`models.data.load_dataset` plus the user's districts (what the CLI uses);
:func:`dataset` is the same, cached per process (what the app uses; :func:`reload` after an import).
:func:`merge` adds every such folder to a :class:`~models.data.Dataset`. A folder that no longer
loads (edited by hand, older format) is skipped and its error kept in ``Dataset.user_errors`` so one
broken import never stops the app. Each user district gets its own data version
(``Dataset.version_for``): shipped districts' scenario hashes do not change when a district is imported.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import os
import re
import shutil
import tempfile
from pathlib import Path
from types import MappingProxyType

import pandas as pd

from models import data as dm
from models.errors import ShapanError

ID_RE = re.compile(r"^[a-z][a-z0-9_]{1,39}$")
FILES = ("districts.csv", "indicators.csv", "projects.csv", "indicator_meta.csv", "sources.toml")


def home() -> Path:
    """The user folder: ``$SHAPAN_HOME`` or ``~/.shapan``."""
    return Path(os.environ.get("SHAPAN_HOME") or Path.home() / ".shapan")


def districts_dir(root: Path | None = None) -> Path:
    return (Path(root) if root is not None else home()) / "districts"


def district_dir(district: str, root: Path | None = None) -> Path:
    return districts_dir(root) / district


def check_id(district: str, shipped: set[str] | frozenset[str] = frozenset()) -> str:
    """A safe new district id (lower-case letters, digits, ``_``; not a shipped district's id)."""
    district = (district or "").strip()
    if not ID_RE.match(district):
        raise ShapanError(
            "bad_value", file="--id", row=1, column="id", value=district,
            reason="小写字母开头，只含小写字母、数字和下划线，2–40个字符 / "
                   "start with a lower-case letter; lower-case letters, digits and _ only, 2-40 characters",
        )
    if district in shipped:
        raise ShapanError(
            "bad_value", file="--id", row=1, column="id", value=district,
            reason="与内置区县重名 / a shipped district already has this id",
        )
    return district


def user_ids(root: Path | None = None) -> list[str]:
    folder = districts_dir(root)
    if not folder.is_dir():
        return []
    return sorted(p.name for p in folder.iterdir() if p.is_dir() and ID_RE.match(p.name)
                  and (p / "districts.csv").is_file())


def _load_one(folder: Path, ds: dm.Dataset) -> dict:
    """Load one user district folder with the loaders of :mod:`models.data` (strict)."""
    own = dm.load_sources(folder)
    clash = set(own) & set(ds.sources)
    if clash:
        raise ShapanError("duplicate_row", file=f"{folder.name}/sources.toml", row=sorted(clash)[0],
                          other="data/sources.toml", key=sorted(clash)[0])
    sources = {**ds.sources, **own}
    units = set(ds.units["unit"])
    districts = dm.load_districts(folder, sources)
    if list(districts["id"]) != [folder.name]:
        raise ShapanError("bad_value", file=f"{folder.name}/districts.csv", row=2, column="id",
                          value=",".join(districts["id"]), reason=f"应为/must be {folder.name}")
    ids = {folder.name}
    meta = dm.load_meta(folder, units) if (folder / "indicator_meta.csv").is_file() else ds.meta.iloc[0:0]
    return {
        "sources": own,
        "districts": districts,
        "indicators": dm.load_indicators(folder, sources, ids, units),
        "projects": dm.load_projects(folder, sources, ids),
        "meta": meta[~meta["indicator"].isin(ds.meta["indicator"])],
        "version": dm._version(folder),
    }


def load(data_root: Path | None = None, root: Path | None = None) -> dm.Dataset:
    """``data/`` (or ``data_root``) plus the user districts under ``root`` (default :func:`home`)."""
    return merge(dm.load_dataset(data_root), root)


def _signature(root: Path) -> tuple:
    """Changes when a district folder is added, replaced or removed (folder mtimes)."""
    folder = districts_dir(root)
    if not folder.is_dir():
        return ()
    return tuple((p.name, p.stat().st_mtime_ns) for p in sorted(folder.iterdir()) if p.is_dir())


@functools.cache
def _merged(ds: dm.Dataset, root: str, signature: tuple) -> dm.Dataset:
    return merge(ds, Path(root))


def dataset() -> dm.Dataset:
    """:func:`models.data.dataset` (cached) plus the user districts, re-merged when the folder changes."""
    root = home()
    return _merged(dm.dataset(), str(root), _signature(root))


def reload() -> dm.Dataset:
    """Forget the merged datasets (after an import or a removal) and merge again."""
    _merged.cache_clear()
    return dataset()


def merge(ds: dm.Dataset, root: Path | None = None) -> dm.Dataset:
    """``ds`` plus every user district under ``root`` (default :func:`home`); ``ds`` itself unchanged."""
    loaded, errors = [], []
    shipped = set(ds.districts["id"])
    for district in user_ids(root):
        folder = district_dir(district, root)
        if district in shipped:
            errors.append(f"{folder}: id {district} is a shipped district")
            continue
        try:
            loaded.append((folder, _load_one(folder, ds)))
        except ShapanError as err:
            errors.append(f"{folder}: {err.message('en')}")
    if not loaded and not errors:
        return ds
    sources = dict(ds.sources)
    versions = {}
    digest = hashlib.sha256(ds.version.encode())
    for folder, part in loaded:
        sources.update(part["sources"])
        own = hashlib.sha256(f"{ds.version}/{part['version']}".encode()).hexdigest()[:12]
        versions[folder.name] = own
        digest.update(f"{folder.name}:{own}".encode())

    def cat(name: str) -> pd.DataFrame:
        frames = [getattr(ds, name)] + [part[name] for _, part in loaded]
        return pd.concat(frames, ignore_index=True) if len(frames) > 1 else frames[0]

    return dataclasses.replace(
        ds,
        sources=MappingProxyType(sources),
        districts=cat("districts"),
        indicators=cat("indicators"),
        projects=cat("projects"),
        meta=cat("meta").drop_duplicates(subset=["indicator"], keep="first", ignore_index=True),
        version=digest.hexdigest()[:12] if loaded else ds.version,
        base_version=ds.version,
        user_districts=tuple(folder.name for folder, _ in loaded),
        user_errors=tuple(errors),
        district_versions=MappingProxyType(versions),
        extra_roots=tuple(folder for folder, _ in loaded),
    )


def localise_findings(ds: dm.Dataset, findings: list[dict]) -> list[dict]:
    """Findings of :mod:`models.checks` with a user district's rows counted in its own indicators.csv.

    The checks number rows in the merged table (data/'s rows first); a user district's rows are one block
    in it, so line k of its own file is merged line k + the block's start.
    """
    out = []
    for finding in findings:
        district = finding.get("district", "")
        if district in ds.user_districts:
            start = int(ds.indicators.index[ds.indicators["district"] == district][0])
            finding = dict(finding, rows=[r - start for r in finding["rows"]],
                           file=str(ds.extra_roots[ds.user_districts.index(district)] / "indicators.csv"))
        out.append(finding)
    return out


# ------------------------------------------------------------------------------------------- writing


def write(district: str, files: dict[str, str], root: Path | None = None) -> Path:
    """Replace the folder of ``district`` atomically with ``files`` (relative path -> text)."""
    base = districts_dir(root)
    base.mkdir(parents=True, exist_ok=True)
    target = base / district
    if target.resolve().parent != base.resolve():
        raise ShapanError("bad_value", file="--id", row=1, column="id", value=district, reason="path")
    staging = Path(tempfile.mkdtemp(dir=base, prefix=".tmp-"))
    try:
        for rel, text in files.items():
            path = staging / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
        old = None
        if target.exists():
            old = base / f".old-{district}-{os.getpid()}"
            os.replace(target, old)
        os.replace(staging, target)
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return target


def remove(district: str, root: Path | None = None) -> bool:
    """Delete a user district's folder; False when there is none."""
    if not ID_RE.match(district):
        return False
    folder = district_dir(district, root)
    if not folder.is_dir():
        return False
    shutil.rmtree(folder)
    return True


def preset_dir(district: str, root: Path | None = None) -> Path:
    return district_dir(district, root) / "scenarios"
