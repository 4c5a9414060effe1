"""The 98 Danish municipalities, 5 regions and some state authorities (names, aliases, e-mail domains), from
core/data/gazetteer.json."""

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


@dataclass(frozen=True)
class Authority:
    """A region or a state authority: its name, the other names it goes by, its mail domains."""

    name: str
    domains: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()


@dataclass
class Gazetteer:
    municipalities: list[Municipality]
    regions: list[str]
    region_domains: dict[str, tuple[str, ...]] = field(default_factory=dict)
    region_aliases: dict[str, tuple[str, ...]] = field(default_factory=dict)
    authorities: list[Authority] = field(default_factory=list)

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
        # "Region Midtjylland", "Region Midt", "Hovedstadsregionen", also in the genitive ("Region Midtjyllands")
        self._region_names = {
            variant.lower(): region for region in self.regions for variant in (region, *self.region_aliases.get(region, ()))
        }
        written = [v for region in self.regions for v in (region, *self.region_aliases.get(region, ()))]
        regions = "|".join(re.escape(v) for v in sorted(written, key=len, reverse=True))
        self._region = re.compile(rf"\b({regions})s?\b")
        self._authority_names = {v.lower(): a for a in self.authorities for v in (a.name, *a.aliases)}

    def municipality(self, name: str) -> Municipality | None:
        """The municipality a name names ("Norddjurs", "Århus", "Københavns"), also in the genitive."""
        key = name.lower().strip()
        found = self._variants.get(key) or self.by_name.get(key)
        if found is None and key.endswith("s"):
            found = self._variants.get(key[:-1]) or self.by_name.get(key[:-1])
        return found

    def region(self, name: str) -> str | None:
        """The region a name names ("Region Midtjylland", "Region Midt", "Region Nordjyllands"), or None."""
        key = re.sub(r"\s+", " ", name.lower().strip())
        return self._region_names.get(key) or (self._region_names.get(key[:-1]) if key.endswith("s") else None)

    def authority(self, name: str) -> Authority | None:
        """The state authority a name names ("Sundhedsstyrelsen"), or None."""
        return self._authority_names.get(re.sub(r"\s+", " ", name.lower().strip()))

    def municipality_mentions(self, text: str) -> Counter[str]:
        """How often each municipality is named as "<Name> Kommune" in the text."""
        counts: Counter[str] = Counter()
        for m in self._mention.finditer(text):
            mun = self.municipality(m.group(1))
            if mun:
                counts[mun.name] += 1
        return counts

    def municipality_by_email(self, address: str) -> Municipality | None:
        """The municipality whose domain (or a subdomain of it) the address is at."""
        return next((self.by_domain[d] for d in _domains_of(address) if d in self.by_domain), None)

    def region_by_email(self, address: str) -> str | None:
        """The region whose domain (or a subdomain of it) the address is at."""
        at = set(_domains_of(address))
        return next((region for region, domains in self.region_domains.items() if at & set(domains)), None)

    def authority_by_email(self, address: str) -> Authority | None:
        """The state authority whose domain (or a subdomain of it) the address is at."""
        at = set(_domains_of(address))
        return next((a for a in self.authorities if at & set(a.domains)), None)

    def region_mentions(self, text: str) -> Counter[str]:
        """How often each region is named in the text ("Region Midtjylland", "Region Midt")."""
        return Counter(self._region_names[m.group(1).lower()] for m in self._region.finditer(text))


def _domains_of(address: str) -> list[str]:
    """The address's domain and each domain above it ("a@social.rm.dk" → social.rm.dk, rm.dk), not the top level."""
    domain = address.rsplit("@", 1)[-1].lower().strip(" .<>")
    parts = domain.split(".")
    return [".".join(parts[i:]) for i in range(len(parts) - 1)]


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
    return Gazetteer(
        municipalities=municipalities,
        regions=[r["name"] for r in raw["regions"]],
        region_domains={r["name"]: tuple(r.get("domains", [])) for r in raw["regions"]},
        region_aliases={r["name"]: tuple(r.get("aliases", [])) for r in raw["regions"]},
        authorities=[
            Authority(name=a["name"], domains=tuple(a.get("domains", [])), aliases=tuple(a.get("aliases", [])))
            for a in raw.get("authorities", [])
        ],
    )
