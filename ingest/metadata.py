"""Rule-based respondent metadata: sender, sender type, municipality, date, hearing and title.

Reads letterheads, opening sentences ("Norddjurs Kommune takker ..."), MED-committee names, "Med venlig
hilsen" signature blocks with e-mail domains, and "Høringssvar til ..." lines. See docs/decisions/0003.
"""

from __future__ import annotations

import re
from collections import Counter

from ingest.clean import mask_cpr
from ingest.dates import find_dates
from ingest.gazetteer import Gazetteer, gazetteer
from ingest.schema import DocumentMetadata, LoadedDocument

_COMMITTEE = (
    r"(?:Hoved-?\s?MED-?\s?udvalg(?:et)?|Hovedudvalg(?:et)?|Område-?\s?MED-?\s?udvalg(?:et)?|"
    r"Lokal-?\s?MED-?\s?udvalg(?:et)?|MED-?\s?udvalg(?:et)?|OmrådeMedarbejderUdvalg(?:et)?|"
    r"(?:HMU|LMU|OMU|AMU|CMU|FMU|SMU|LokalMED|HovedMED|OmrådeMED)\b)"
)
_COMMITTEE_LINE = re.compile(rf"^(?:Formandsskabet\s+i\s+)?{_COMMITTEE}", re.I)
_COMMITTEE_PHRASE = re.compile(
    rf"({_COMMITTEE}(?:\s+(?:for|på|i|ved)\s+[A-ZÆØÅ][\w-]+(?:\s+(?:og|i)\s+[A-ZÆØÅ][\w-]+)?"
    rf"|\s+[A-ZÆØÅ][\w-]+(?:\s+[A-ZÆØÅ][\w-]+){{0,2}}(?:\s+\([A-ZÆØÅ]{{2,6}}\))?)?)"
)
_GREETING = re.compile(r"^(?:med\s+)?(?:venlig(?:e)?\s+hilsen|venlig\s+hilsen|mvh\.?|kind regards|best regards)\b", re.I)
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_POSTCODE_LINE = re.compile(r"\b\d{4}\s+[A-ZÆØÅ][a-zæøå]+")
# "Høringssvar til X" / "Høringssvar vedr. X" / "Høringssvar: X" name the hearing ("… fra X" names the sender).
_HEARING = re.compile(
    r"(?:hørings\s?svar|høringsbidrag|udtale-?\s?svar|bemærkninger)\s*"
    r"(?:til|vedr\.?|vedrørende|om|på|angående|:|–|-)\s*(?:høring\s+(?:af|om|over)\s+)?(.{6,160})",
    re.I,
)
_FROM_LINE = re.compile(r"^(?:hørings\s?svar|høringsbidrag|udtale-?\s?svar|bemærkninger)\s+fra\s+(.{3,100}?)\s*[.:]?$", re.I)
_BUDGET = re.compile(r"\b(budget(?:forslag(?:et)?)?\s*(?:for\s+)?\d{4}(?:\s*[-–]\s*\d{2,4})?)", re.I)
_TITLE_SUFFIXES = ("chef", "leder", "direktør", "konsulent", "formand", "borgmester", "sekretær", "rådgiver", "næstformand")
_ORGANISATION = re.compile(  # also compounds: "Handicapforening", "Ældrerådet", "Landsforbundet"
    r"\b(\w*(?:forening|forbund|organisation|selskab|råd|netværk)(?:en|et|er|erne|s)?|"
    r"DH|Danske Handicaporganisationer|FOA|BUPL|Socialpædagogerne|KL|Ældre Sagen|"
    r"Bedre Psykiatri|SIND|LEV|Danske Regioner)\b",
    re.I,
)
_ADDRESSEE = re.compile(r"^(?:til|att\.?|modtager|cc|høring)\b", re.I)  # "Til: Udvalget, Ældrerådet" is not the sender
_COMPANY = re.compile(r"(?<!\w)(A/S|ApS|I/S|P/S|IVS|K/S)(?!\w)")


def extract_metadata(doc: LoadedDocument, text: str, gaz: Gazetteer | None = None) -> DocumentMetadata:
    """Metadata for one cleaned document text, using hints from the container (e-mail headers)."""
    gaz = gaz or gazetteer()
    lines = [line.strip() for line in text.split("\n") if line.strip()]
    signature = _signature_block(lines)
    mentions = gaz.municipality_mentions(text)

    sender, sender_type, municipality = _sender(lines, signature, mentions, doc, gaz)
    hearing = _hearing(lines, text)
    title = _title(doc, lines)
    return DocumentMetadata(
        # The text is masked already; a title or sender taken from the container (PDF /Title, e-mail
        # Subject and From) is not, and must not carry a CPR number into the index either.
        sender=mask_cpr(sender),
        sender_type=sender_type,
        municipality=municipality,
        date=_letter_date(lines) or doc.date_hint,
        hearing=hearing,
        title=mask_cpr(title) if title else title,
    )


def _sender(lines, signature, mentions: Counter, doc: LoadedDocument, gaz: Gazetteer):
    head = lines[:4]
    emails = _EMAIL.findall("\n".join(signature)) + ([doc.sender_email] if doc.sender_email else [])

    # 1. A MED committee in the letterhead or the opening sentence.
    committee = _committee(head, lines)
    if committee:
        municipality = _belongs_to(committee, mentions, gaz)
        if municipality and municipality.lower() not in committee.lower():
            committee = f"{committee}, {gaz.municipality(municipality).official}"
        return committee, "med_udvalg", municipality

    # 2. "<Name> Kommune ..." opening a paragraph, or standing alone in the letterhead or signature.
    for line in lines[:12] + signature:
        mun = _leading_municipality(line, gaz)
        if mun:
            return mun.official, "kommune", mun.name

    # 3. The signature's e-mail domain belongs to a municipality or a region.
    for address in emails:
        mun = gaz.municipality_by_email(address)
        if mun:
            department = _department(signature)
            sender = f"{mun.official} ({department})" if department else mun.official
            return sender, "kommune", mun.name
        region = gaz.region_by_email(address)
        if region and _is_own_region(signature, region):
            return region, "region", None

    # 4. Organisations and companies: "Høringssvar fra X", or named in the signature, letterhead or e-mail sender.
    for line in head:
        named = _FROM_LINE.match(line)
        if named:
            name = named.group(1).strip()
            kind = "virksomhed" if _COMPANY.search(name) else "organisation" if _ORGANISATION.search(name) else (
                "borger" if _looks_like_name(name) else "organisation")
            return name, kind, _belongs_to(name, mentions, gaz)
    candidates = signature + head + ([doc.sender_hint] if doc.sender_hint else [])
    for line in candidates:
        if _COMPANY.search(line) and len(line) < 100:
            return line, "virksomhed", _belongs_to(line, mentions, gaz)
    for line in candidates:
        if _ORGANISATION.search(line) and len(line) < 100 and not _ADDRESSEE.match(line):
            return line.rstrip(".,"), "organisation", _belongs_to(line, mentions, gaz)

    # 5. A private person: a name under the greeting, or the e-mail sender's name.
    person = _person(signature) or (doc.sender_hint if doc.sender_hint and _looks_like_name(doc.sender_hint) else None)
    if person:
        return person, "borger", None
    return doc.sender_hint or doc.sender_email or "", "ukendt", None


def _committee(head: list[str], lines: list[str]) -> str | None:
    for line in head:
        if _COMMITTEE_LINE.match(line) and len(line) < 90:
            name = re.split(r",|\s[-–]\s|\s(?:udtale-?svar|høringssvar|har\s)", line, maxsplit=1, flags=re.I)[0]
            name = re.sub(r"^Formandsskabet\s+i\s+", "", name, flags=re.I).strip(" .:")
            return _best_casing(name, "\n".join(lines))
    opening = " ".join(lines[:3])
    m = _COMMITTEE_PHRASE.search(opening)
    if m and opening.find(m.group(1)) < 200:
        return _best_casing(m.group(1).strip(" .,"), "\n".join(lines))
    return None


def _best_casing(name: str, text: str) -> str:
    """The spelling of ``name`` in the text with the most capitals ("OMU social" → "OMU Social")."""
    variants = re.findall(re.escape(name), text, flags=re.I) or [name]
    return max(variants, key=lambda v: sum(ch.isupper() for ch in v))


def _belongs_to(sender: str, mentions: Counter, gaz: Gazetteer) -> str | None:
    """The municipality a non-municipal sender belongs to: named in its name, the only one, or the main one."""
    for name in mentions:
        if name.lower() in sender.lower():
            return name
    if len(mentions) == 1 or (mentions and mentions.most_common(1)[0][1] >= 2):
        return mentions.most_common(1)[0][0]
    return None


def _leading_municipality(line: str, gaz: Gazetteer):
    m = re.match(r"^([A-ZÆØÅ][\w-]+(?:[- ][A-ZÆØÅ][\w-]+)?)s?\s+(?:Regions)?[Kk]ommune(?:s)?\b(.*)$", line)
    if not m:
        return None
    mun = gaz.municipality(m.group(1)) or (gaz.municipality(m.group(1)[:-1]) if m.group(1).endswith("s") else None)
    rest = m.group(2).strip()
    if mun and (not rest or re.match(r"^[a-zæøå]", rest)) and not line.lower().startswith(("til ",)):
        return mun
    return None


def _signature_block(lines: list[str]) -> list[str]:
    for i in range(len(lines) - 1, -1, -1):
        if _GREETING.match(lines[i]):
            return lines[i + 1 : i + 12]
    return []


def _department(signature: list[str]) -> str | None:
    for i, line in enumerate(signature):
        if _POSTCODE_LINE.search(line) and i > 0:
            candidate = signature[i - 1]
            words = candidate.split()
            if (
                1 <= len(words) <= 4
                and not re.search(r"\d|@", candidate)
                and not candidate.lower().endswith(_TITLE_SUFFIXES)
                and i - 1 > 0
            ):
                return candidate
    return None


def _is_own_region(signature: list[str], region: str) -> bool:
    return any(region.lower() in line.lower() for line in signature) or bool(signature)


def _person(signature: list[str]) -> str | None:
    if signature and _looks_like_name(signature[0]) and not _EMAIL.search(signature[0]):
        return signature[0]
    return None


def _looks_like_name(text: str) -> bool:
    words = text.split()
    return 2 <= len(words) <= 4 and all(re.match(r"^[A-ZÆØÅ][a-zæøåéü.-]+$", w) for w in words)


def _letter_date(lines: list[str]) -> str | None:
    """The letter's own date: a short line (letterhead or signature) that holds a date."""
    for line in lines[:20] + lines[-15:]:
        if len(line) <= 45:
            dates = find_dates(line)
            if dates:
                return dates[0][1]
    return None


def _hearing(lines: list[str], text: str) -> str | None:
    for line in lines[:15]:
        m = _HEARING.search(line)
        if m and m.start() < 40:
            value = m.group(1)
            budget = _BUDGET.match(value)
            return _tidy(budget.group(1) if budget else re.split(r"(?<=[a-zæøå0-9])\.\s|\.$", value)[0])
    m = _BUDGET.search(text[:600])
    return _tidy(m.group(1)) if m else None


def _tidy(value: str) -> str:
    value = re.sub(r"\s+", " ", value).strip(" .:,;-–\"”“")
    value = re.sub(r"^budget(?:forslag(?:et)?)?\s*(?:for\s+)?", "Budget ", value, flags=re.I)
    return value[:1].upper() + value[1:]


def _title(doc: LoadedDocument, lines: list[str]) -> str | None:
    if doc.title:
        return doc.title.strip()[:200]
    for line in lines[:15]:
        if _HEARING.search(line) and len(line) < 200:
            return line.rstrip(" .")
    return lines[0][:200] if lines else None


def canonical_hearing(hearing: str | None, known: list[str]) -> str | None:
    """Reuse an already-known hearing label when this one names the same hearing in other words."""
    if not hearing:
        return hearing
    from ingest.bm25_index import tokenize

    mine = set(tokenize(hearing))
    best, best_score = None, 0.0
    for label in known:
        theirs = set(tokenize(label))
        if {t for t in mine if t.isdigit()} != {t for t in theirs if t.isdigit()}:
            continue  # "Budget 2024" is not "Budget 2024-2027"
        if mine and theirs:
            score = len(mine & theirs) / len(mine | theirs)
            if score > best_score:
                best, best_score = label, score
    return best if best is not None and best_score >= 0.6 else hearing
