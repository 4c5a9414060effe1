"""The sender vocabulary shared by every layer, and the one sender classifier: the sender types, the forms a user
may write them in, the one labeller that words a type for a reader (``sender_type_label``, from the phrasebook),
what a sender's name says (type, municipality, region), and what proves a public sender (a mail address on its own
domain). Pure functions over the text and the gazetteer (core/gazetteer.py)."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, replace
from typing import Literal, get_args

from core.gazetteer import Gazetteer, gazetteer
from core.phrases import message


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


SenderTypeForm = Literal["word", "role", "group"]


def sender_type_label(value: str | None, language: str, form: SenderTypeForm = "word") -> str:
    """A sender type as a reader reads it, in ``language`` (core/phrasebook/senders.py): as a ``word`` for one
    sender ("kommune", "MED-udvalg", "municipality"), as the ``role`` a respondent speaks in ("Kommune", "MED
    committee") or as a ``group`` of senders ("kommuner", "municipalities"). A value that is no sender type (None,
    "") reads as "ukendt" in that form."""
    kind = value if value in SENDER_TYPES else "ukendt"
    return message(f"sender_type.{kind}.{form}", language)


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


# A state authority by the form of its name ("Sundhedsstyrelsen", "Styrelsen for …", "Social- og Boligministeriet",
# "Arbejdstilsynet"); the gazetteer lists some with their mail domains.
STATE_AUTHORITY = re.compile(
    r"^(?:(?:[A-ZÆØÅ][\w]*-,?\s+)+og\s+)?(?:[A-ZÆØÅ]\w*(?:styrelsen|ministeriet|tilsynet)|Styrelsen\s+for\s+[\w\s-]+"
    r"|Folketinget|Folketingets\s+Ombudsmand|Rigsrevisionen)$"
)

PUBLIC_TYPES = ("kommune", "region", "med_udvalg")


@dataclass(frozen=True)
class Sender:
    """Who a name says wrote a letter: its name as to be stored, its type, and the municipality or region it
    belongs to. ``authority``: a state authority (type organisation). ``lookalike``: the name was written with
    characters of another script, or compatibility forms, that look like the Latin ones of the name it was read
    as ("Norddjurs Kоmmune" with a Cyrillic о); the name is kept as written, never corrected into the real one."""

    name: str
    type: SenderType
    municipality: str | None = None
    region: str | None = None
    authority: bool = False
    lookalike: bool = False

    @property
    def public(self) -> bool:
        """A municipality, a region, a MED committee (of one) or a state authority: a sender whose name alone is
        no proof that it wrote (docs/decisions/0003)."""
        return self.type in PUBLIC_TYPES or self.authority


def classify_name(name: str, gaz: Gazetteer | None = None) -> Sender | None:
    """What a name that states a sender says ("OMU Social, Roskilde Kommune", "Region Midtjylland",
    "Foreningen for …", "Jens Hansen"): its type and place, or None when it says nothing. The one reading of a
    sender's name: ingest (letterheads, signatures, "Høringssvar fra X", mail display names) and the query side
    (the type of a named sender) both use it."""
    gaz = gaz or gazetteer()
    name = name.strip()
    read = skeleton(name)
    return _as_written(name, read, _public_body(read, gaz, committee=True) or _private_sender(read))


def institution_line(line: str, gaz: Gazetteer | None = None) -> Sender | None:
    """A line that is a municipality's, a region's or a state authority's name on its own, an address or a
    department after a comma, a dash or in parentheses at most ("Norddjurs Kommune, Torvet 3", "Region
    Nordjylland", "Hedensted Kommune (Voksenhandicap)"): a letterhead's or a signature's sender."""
    gaz = gaz or gazetteer()
    line = line.strip()
    read = skeleton(line)
    return _as_written(line, read, _public_body(read, gaz, committee=False))


def _as_written(name: str, read: str, found: Sender | None) -> Sender | None:
    """A public body by its proper name ("Norddjurs Kommune" for "Norddjurs Kommune, Torvet 3"); any other
    sender, and any name written to look like another, by the name as written."""
    if found is None:
        return None
    lookalike = looks_alike(name) or (found.public and read != name)
    if lookalike or not found.public:
        found = replace(found, name=name)
    return replace(found, lookalike=lookalike)


def _public_body(name: str, gaz: Gazetteer, committee: bool) -> Sender | None:
    if committee:
        phrase = COMMITTEE_PHRASE.search(name)
        if phrase and phrase.start() == 0:
            places = gaz.municipality_mentions(name)
            regions = gaz.region_mentions(name)
            return Sender(name, "med_udvalg", next(iter(places), None), next(iter(regions), None))
    head, rest = _head(name)
    mun = municipality_name(head, gaz)
    if mun:
        department = rest.strip() if rest.strip().startswith("(") else ""
        return Sender(f"{mun.official} {department}".strip(), "kommune", mun.name, mun.region)
    region = gaz.region(head)
    if region:
        return Sender(region, "region", None, region)
    authority = gaz.authority(head)
    if authority or STATE_AUTHORITY.match(head):
        return Sender(authority.name if authority else head, "organisation", authority=True)
    return None


def _head(name: str) -> tuple[str, str]:
    """ "Norddjurs Kommune, Torvet 3" → ("Norddjurs Kommune", ", Torvet 3"); also before " - ", " – ", "(" or a
    closing full stop."""
    m = re.match(r"^(.*?)\s*((?:(?<!-),|\s[-–]\s|\(|\.$).*)?$", name)  # "Social-, Bolig- og …" is one name
    return m.group(1).strip(), m.group(2) or ""


def _private_sender(name: str) -> Sender | None:
    if COMPANY.search(name):
        return Sender(name, "virksomhed")
    if ORGANISATION.search(name):
        return Sender(name, "organisation")
    return Sender(name, "borger") if looks_like_name(name) else None


def municipality_name(line: str, gaz: Gazetteer):
    """A line that is a municipality's name (with an address after a comma or dash at most)."""
    m = re.match(r"^([A-ZÆØÅ][\w-]+(?:[- ][A-ZÆØÅ][\w-]+)?)s?\s+(?:Regions)?[Kk]ommune\b\s*(?:$|[,–-]\s|\.$)", line)
    return gaz.municipality(m.group(1)) if m else None


def looks_like_name(text: str) -> bool:
    words = text.split()
    return 2 <= len(words) <= 4 and all(re.match(r"^[A-ZÆØÅ][a-zæøåéü.-]+$", w) for w in words)


# --- evidence: what proves a public sender, what makes a name suspect ------------------------------------------


def sender_of_address(address: str | None, gaz: Gazetteer | None = None) -> Sender | None:
    """The public sender a mail address proves: a municipality's, a region's or a listed state authority's own
    domain (or a subdomain of it), from the gazetteer. A look-alike domain ("norddjurs.dk.example.com",
    "norddjurs-kommune.dk") proves nothing."""
    if not address:
        return None
    gaz = gaz or gazetteer()
    mun = gaz.municipality_by_email(address)
    if mun:
        return Sender(mun.official, "kommune", mun.name, mun.region)
    region = gaz.region_by_email(address)
    if region:
        return Sender(region, "region", None, region)
    authority = gaz.authority_by_email(address)
    return Sender(authority.name, "organisation", authority=True) if authority else None


def proven_by(sender: Sender, address: str | None, gaz: Gazetteer | None = None) -> bool:
    """Whether a mail address is evidence for the sender: any sender that is not public needs none; a
    municipality (or its MED committee) needs its own domain, a region its own, a committee of no known place
    any municipality's or region's, a state authority its listed domain or its name as a .dk domain."""
    if not sender.public:
        return True
    if sender.authority and address and _own_domain(sender.name, address):
        return True
    proof = sender_of_address(address, gaz)
    if proof is None:
        return False
    if sender.authority:
        listed = (gaz or gazetteer()).authority(sender.name)
        return proof.authority and (listed is None or proof.name == listed.name)
    if sender.type == "kommune" or (sender.type == "med_udvalg" and sender.municipality):
        return proof.type == "kommune" and proof.municipality == sender.municipality
    if sender.type == "region" or (sender.type == "med_udvalg" and sender.region):
        return proof.type == "region" and proof.region == sender.region
    return proof.type in ("kommune", "region")  # a MED committee of no named place


def _own_domain(name: str, address: str) -> bool:
    """An address at the authority's name as a .dk domain ("Erhvervsstyrelsen" → erhvervsstyrelsen.dk)."""
    folded = name.lower().translate(str.maketrans({"æ": "ae", "ø": "oe", "å": "aa"}))
    domain = address.rsplit("@", 1)[-1].lower().strip(" .<>")
    label = re.sub(r"[^a-z0-9]", "", folded)
    return bool(label) and (domain == f"{label}.dk" or domain.endswith(f".{label}.dk"))


def skeleton(name: str) -> str:
    """The name with compatibility forms folded (NFKC: "Ｎorddjurs" → "Norddjurs") and each letter of another
    script that is confusable with a Latin letter replaced by it (Unicode's confusables, via
    confusable_homoglyphs: Cyrillic "о" → "o", Greek "Κ" → "K")."""
    from confusable_homoglyphs import confusables

    folded = unicodedata.normalize("NFKC", name)
    found = confusables.is_confusable(folded, greedy=True, preferred_aliases=["latin"]) or []
    latin = {  # letters of another script only: a digit or a sign ("1", "|") is not read as a letter
        hit["character"]: hit["homoglyphs"][0]["c"]
        for hit in found
        if hit["alias"] not in ("COMMON", "INHERITED") and hit["homoglyphs"]
        and all(unicodedata.name(c, "").startswith("LATIN") for c in hit["homoglyphs"][0]["c"])
    }
    return "".join(latin.get(ch, ch) for ch in folded)


def looks_alike(name: str) -> bool:
    """Whether a name mixes scripts (Latin with Cyrillic or Greek letters) or holds compatibility forms
    (fullwidth letters): written to look like another name. A name wholly in one other script is not."""
    from confusable_homoglyphs import confusables

    return bool(name) and (unicodedata.normalize("NFKC", name) != name or bool(confusables.is_mixed_script(name)))
