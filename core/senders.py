"""The sender vocabulary shared by every layer: the sender types, the forms a user may write them in, and
the type a sender's own name says. Pure functions over the text and the gazetteer."""

from __future__ import annotations

import re
from typing import Literal, get_args

from core.gazetteer import Gazetteer, gazetteer


SenderType = Literal["kommune", "region", "med_udvalg", "organisation", "virksomhed", "borger", "ukendt"]
SENDER_TYPES: tuple[str, ...] = get_args(SenderType)


SENDER_TYPE_FORMS = {  # sender type → accepted spellings, after lowercasing and "-"/" " → "_"
    "kommune": ("kommune", "kommuner", "kommunen", "kommunerne", "municipality", "municipalities"),
    "region": ("region", "regioner", "regionen", "regionerne", "regions"),
    "med_udvalg": ("med_udvalg", "med_udvalget", "med_udvalgene", "medudvalg", "medudvalget", "medudvalgene",
                   "employee_committee", "employee_committees"),
    "organisation": ("organisation", "organisationer", "organisationen", "organisationerne", "organisations",
                     "organization", "organizations"),
    "virksomhed": ("virksomhed", "virksomheder", "virksomheden", "virksomhederne", "company", "companies",
                   "business", "businesses"),
    "borger": ("borger", "borgere", "borgeren", "borgerne", "citizen", "citizens"),
    "ukendt": ("ukendt", "ukendte", "unknown"),
}


_SENDER_TYPE_OF = {form: kind for kind, forms in SENDER_TYPE_FORMS.items() for form in forms}


def sender_type_of(value: str) -> str | None:
    """The sender type a user wrote, in any accepted form ("Kommunerne", "MED-udvalg" …), or None."""
    return _SENDER_TYPE_OF.get(re.sub(r"[\s-]+", "_", value.strip().lower()))


COMMITTEE = (
    r"(?:Hoved-?\s?MED-?\s?udvalg(?:et)?|Hovedudvalg(?:et)?|Område-?\s?MED-?\s?udvalg(?:et)?|"
    r"Lokal-?\s?MED-?\s?udvalg(?:et)?|MED-?\s?udvalg(?:et)?|OmrådeMedarbejderUdvalg(?:et)?|"
    r"(?:HMU|LMU|OMU|AMU|CMU|FMU|SMU|LokalMED|HovedMED|OmrådeMED)\b)"
)


COMMITTEE_PHRASE = re.compile(
    rf"({COMMITTEE}(?:\s+(?:for|på|i|ved)\s+[A-ZÆØÅ][\w-]+(?:\s+(?:og|i)\s+[A-ZÆØÅ][\w-]+)?"
    rf"|\s+[A-ZÆØÅ][\w-]+(?:\s+[A-ZÆØÅ][\w-]+){{0,2}}(?:\s+\([A-ZÆØÅ]{{2,6}}\))?)?)"
)


ORGANISATION = re.compile(  # also compounds: "Handicapforening", "Ældrerådet", "Landsforbundet"
    r"\b(\w*(?:forening|forbund|organisation|selskab|råd|netværk)(?:en|et|er|erne|s)?|"
    r"DH|Danske Handicaporganisationer|FOA|BUPL|Socialpædagogerne|KL|Ældre Sagen|"
    r"Bedre Psykiatri|SIND|LEV|Danske Regioner)\b",
    re.I,
)


COMPANY = re.compile(r"(?<!\w)(A/S|ApS|I/S|P/S|IVS|K/S)(?!\w)")


def sender_type_of_name(name: str) -> str | None:
    """The sender type a sender's name itself says ("OMU Social, Roskilde Kommune" → med_udvalg,
    "Foreningen for …" → organisation, "Hedensted Kommune (…)" → kommune); None when it says none."""
    committee = COMMITTEE_PHRASE.search(name)
    if committee and committee.start() == 0:
        return "med_udvalg"
    if re.search(r"\b[Kk]ommune\b", name) and municipality_name(re.split(r"\s*[(,]", name)[0], gazetteer()):
        return "kommune"
    if re.match(r"^Region\s+[A-ZÆØÅ]", name):
        return "region"
    if COMPANY.search(name):
        return "virksomhed"
    if ORGANISATION.search(name):
        return "organisation"
    return "borger" if looks_like_name(name) else None


def municipality_name(line: str, gaz: Gazetteer):
    """A line that is a municipality's name (with an address after a comma or dash at most)."""
    m = re.match(r"^([A-ZÆØÅ][\w-]+(?:[- ][A-ZÆØÅ][\w-]+)?)s?\s+(?:Regions)?[Kk]ommune\b\s*(?:$|[,–-]\s|\.$)", line)
    if not m:
        return None
    name = m.group(1)
    return gaz.municipality(name) or (gaz.municipality(name[:-1]) if name.endswith("s") else None)


def looks_like_name(text: str) -> bool:
    words = text.split()
    return 2 <= len(words) <= 4 and all(re.match(r"^[A-ZÆØÅ][a-zæøåéü.-]+$", w) for w in words)
