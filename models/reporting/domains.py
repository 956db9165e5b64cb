"""Report domains: the grouping of targets by field of work (养老服务, 社会救助 …) from ``domains.toml``."""

from __future__ import annotations

import functools
import tomllib
from dataclasses import dataclass
from pathlib import Path

DOMAINS_FILE = Path(__file__).with_name("domains.toml")
OTHER = "other"


@dataclass(frozen=True)
class Domain:
    key: str
    label_zh: str
    label_en: str
    match: tuple[str, ...]
    decided_by_zh: str
    decided_by_en: str

    def label(self, lang: str) -> str:
        return self.label_zh if lang == "zh" else self.label_en


@dataclass(frozen=True)
class Domains:
    items: tuple[Domain, ...]

    @property
    def order(self) -> tuple[str, ...]:
        return tuple(d.key for d in self.items)

    def get(self, key: str) -> Domain:
        return next(d for d in self.items if d.key == key)

    def of(self, indicator: str) -> str:
        """The first domain one of whose substrings occurs in ``indicator`` (else ``other``)."""
        for domain in self.items:
            if any(m in indicator for m in domain.match):
                return domain.key
        return OTHER

    def label(self, key: str, lang: str) -> str:
        return self.get(key).label(lang)

    def decided_by(self, indicator: str, lang: str) -> str:
        domain = self.get(self.of(indicator))
        return domain.decided_by_zh if lang == "zh" else domain.decided_by_en


@functools.cache
def load(path: Path = DOMAINS_FILE) -> Domains:
    raw = tomllib.loads(path.read_text(encoding="utf-8"))
    items = tuple(
        Domain(key, v["label_zh"], v["label_en"], tuple(v.get("match", ())), v["decided_by_zh"], v["decided_by_en"])
        for key, v in raw.items()
    )
    if OTHER not in {d.key for d in items}:
        raise ValueError(f'{path.name}: a domain "{OTHER}" is required (indicators that match no domain)')
    return Domains(items)
