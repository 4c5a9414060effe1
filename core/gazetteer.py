"""The 98 Danish municipalities and 5 regions (names, aliases, e-mail domains), from core/data/gazetteer.json."""

from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

DATA = Path(__file__).parent / "data" / "gazetteer.json"


@dataclass(frozen=True)
class Municipality:
    name: str
    official: str
    region: str
    domains: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()


@dataclass
class Gazetteer:
    municipalities: list[Municipality]
    regions: list[str]
    region_domains: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.by_name = {m.name.lower(): m for m in self.municipalities}
        self.by_domain = {d.lower(): m for m in self.municipalities for d in m.domains}
        names: dict[str, Municipality] = {}
        for m in self.municipalities:
            for variant in (m.name, *m.aliases):
                base = re.sub(r"\s+(Regions)?[Kk]ommunes?$", "", variant)
                names[base.lower()] = m
        self._variants = names
        alternation = "|".join(re.escape(v) for v in sorted(names, key=len, reverse=True))
        # "Norddjurs Kommune", "Roskilde Kommunes", "Københavns Kommune", "Bornholms Regionskommune"
        self._mention = re.compile(rf"\b({alternation})s?\s+(?:Regions)?[Kk]ommunes?\b", re.I)
        self._region = re.compile(
            r"\bRegion\s+(Hovedstaden|Sjælland|Syddanmark|Midtjylland|Nordjylland)s?\b"
        )

    def municipality(self, name: str) -> Municipality | None:
        return self._variants.get(name.lower().strip()) or self.by_name.get(name.lower().strip())

    def municipality_mentions(self, text: str) -> Counter[str]:
        """How often each municipality is named as "<Name> Kommune" in the text."""
        counts: Counter[str] = Counter()
        for m in self._mention.finditer(text):
            mun = self.municipality(m.group(1))
            if mun is None and m.group(1).lower().endswith("s"):
                mun = self.municipality(m.group(1)[:-1])
            if mun:
                counts[mun.name] += 1
        return counts

    def municipality_by_email(self, address: str) -> Municipality | None:
        domain = address.rsplit("@", 1)[-1].lower().strip(" .>")
        parts = domain.split(".")
        for i in range(len(parts) - 1):
            hit = self.by_domain.get(".".join(parts[i:]))
            if hit:
                return hit
        return None

    def region_by_email(self, address: str) -> str | None:
        domain = address.rsplit("@", 1)[-1].lower().strip(" .>")
        for region, region_domain in self.region_domains.items():
            if domain == region_domain or domain.endswith("." + region_domain):
                return region
        return None

    def region_mentions(self, text: str) -> Counter[str]:
        return Counter(f"Region {m.group(1)}" for m in self._region.finditer(text))


@lru_cache(maxsize=1)
def gazetteer() -> Gazetteer:
    raw = json.loads(DATA.read_text(encoding="utf-8"))
    municipalities = [
        Municipality(
            name=m["name"],
            official=m.get("official") or f"{m['name']} Kommune",
            region=m.get("region", ""),
            domains=tuple(m.get("domains", [])),
            aliases=tuple(m.get("aliases", [])),
        )
        for m in raw["municipalities"]
    ]
    regions = [r["name"] for r in raw["regions"]]
    region_domains = {r["name"]: d for r in raw["regions"] for d in r.get("domains", [])}
    return Gazetteer(municipalities=municipalities, regions=regions, region_domains=region_domains)
