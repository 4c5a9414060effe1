"""Rule-based respondent metadata: sender, sender type, municipality, date, hearing and title.

Reads letterheads, opening sentences ("Norddjurs Kommune takker ..."), MED-committee names, "Med venlig
hilsen" signature blocks with e-mail domains, and "Høringssvar til ..." lines. See docs/decisions/0003.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import replace

from ingest.clean import clean_field, mask_cpr
from ingest.dates import find_dates
from core.gazetteer import Gazetteer, gazetteer
from core.senders import (
    COMMITTEE, COMMITTEE_PHRASE, COMPANY, ORGANISATION, Sender, classify_name, institution_line, looks_alike,
    looks_like_name, proven_by, sender_of_address, skeleton,
)
from index.records import DocumentMetadata
from ingest.schema import LoadedDocument

_COMMITTEE_LINE = re.compile(rf"^(?:Formandsskabet\s+i\s+)?{COMMITTEE}", re.I)
_GREETING = re.compile(
    r"^(?:(?:med\s+)?(?:venlig(?:e)?\s+hilsen|venlig\s+hilsen|mvh\.?|kind regards|best regards)\b|"
    r"(?:de\s+)?(?:bedste\s+|mange\s+)?hilsn?(?:en|er)?\s*[,.!]?$)",
    re.I,
)
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_POSTCODE_LINE = re.compile(r"\b\d{4}\s+[A-ZÆØÅ][a-zæøå]+")
# "Høringssvar til X" / "Høringssvar vedr. X" / "Høringssvar: X" name the hearing ("… fra X" names the sender).
_HEARING = re.compile(
    r"(?:hørings\s?svar|høringsbidrag|udtale-?\s?svar|bemærkninger)\s*"
    r"(?:til|vedr\.?|vedrørende|om|på|angående|:|–|-)\s*(?:høring\s+(?:af|om|over)\s+)?(.{6,160})",
    re.I,
)
# "… ingen bemærkninger til høringen." / "… til forslaget": the words point at a hearing without naming it.
_NAMES_NOTHING = re.compile(r"^(?:den(?:ne)?\s+|det(?:te)?\s+)?(?:høring(?:en)?|forslag(?:et)?|udkast(?:et)?|"
                            r"materialet|sagen|planen)\s*[.!]?\s*$", re.I)
_FROM_LINE = re.compile(r"^(?:hørings\s?svar|høringsbidrag|udtale-?\s?svar|bemærkninger)\s+fra\s+(.{3,100}?)\s*[.:]?$", re.I)
_BUDGET = re.compile(r"\b(budget(?:forslag(?:et)?)?\s*(?:for\s+)?\d{4}(?:\s*[-–]\s*\d{2,4})?)", re.I)
_TITLE_SUFFIXES = ("chef", "leder", "direktør", "konsulent", "formand", "borgmester", "sekretær", "rådgiver", "næstformand")
_ADDRESSEE = re.compile(r"^(?:til|att\.?|modtager|cc|høring)\b", re.I)  # "Til: Udvalget, Ældrerådet" is not the sender
# A letterhead line naming the recipient's council: the public body on the next line is the addressee.
_RECIPIENT = re.compile(r"^(?:regionsrådet|byrådet|kommunalbestyrelsen|borgmester(?:en)?|regionsrådsformand(?:en)?)\b", re.I)


def extract_metadata(doc: LoadedDocument, text: str, gaz: Gazetteer | None = None) -> DocumentMetadata:
    """Metadata for one cleaned document text, using hints from the container (e-mail headers)."""
    gaz = gaz or gazetteer()
    # Container hints (e-mail From/Subject, PDF /Title) come from outside the letter: no control characters
    # or terminal escape sequences from them may reach a stored field.
    doc = doc.model_copy(
        update={k: clean_field(getattr(doc, k)) or None for k in ("sender_hint", "sender_email", "title")}
    )
    lines = [line.strip() for line in text.split("\n") if line.strip()]
    mentions = gaz.municipality_mentions(text)

    sender, sender_type, municipality, needs_review = _sender(lines, mentions, doc, gaz)
    hearing = _hearing(([doc.title] if doc.title else []) + lines, text)  # a mail's subject names it first
    title = _title(doc, lines)
    return DocumentMetadata(
        # The text is masked already; a title or sender taken from the container (PDF /Title, e-mail
        # Subject and From) is not, and must not carry a CPR number into the index either.
        sender=mask_cpr(clean_field(sender)),
        sender_type=sender_type,
        municipality=municipality,
        date=_letter_date(lines) or doc.date_hint,
        hearing=clean_field(hearing) or None if hearing else hearing,
        title=mask_cpr(clean_field(title)) if title else title,
        needs_review=needs_review,
    )


def _sender(lines: list[str], mentions: Counter, doc: LoadedDocument, gaz: Gazetteer) -> tuple[str, str, str | None, bool]:
    """Who wrote the letter, and whether that is a guess an official should review.

    Evidence in order of strength (docs/decisions/0003): the e-mail From header (an address at a municipality
    or region, or a display name that names an institution), the signature block, a "Høringssvar fra X" line,
    the letterhead; a sender read from an opening sentence ("Norddjurs Kommune takker …") is only a guess.
    Quoted text (lines starting with ">", a replied-to mail) is never evidence. For a mail's own body the
    From header comes first; for a letter (a file, or a mail's attachment) the letter's own evidence does.
    A public sender's name is no proof that it wrote: see ``_unproven``.
    """
    own = _own_lines(lines)
    signature = _signature_block(own)
    found, guess = _found_sender(own, signature, mentions, doc, gaz)
    if found is None:
        return doc.sender_hint or doc.sender_email or "", "ukendt", None, True
    review = guess or _unproven(found, doc, signature, gaz) or looks_alike(doc.sender_hint or "")
    return found.name, found.type, found.municipality, review


def _found_sender(own: list[str], signature: list[str], mentions: Counter, doc: LoadedDocument, gaz: Gazetteer) -> tuple[Sender | None, bool]:
    """The sender the strongest evidence names, and whether it is only a guess."""
    letterhead = _letterhead(own)
    opening = own[: len(letterhead) + 2]  # the letterhead and the first sentences
    mail_body = bool(doc.sender_email or doc.sender_hint) and doc.parent_source is None

    committee_head = _committee_in_letterhead(letterhead[:4], own, mentions, gaz)
    signed = _signed_by_institution(signature, own, mentions, gaz)
    from_line = _from_line(own[:4], mentions, gaz)
    head = _letterhead_institution(letterhead, mentions, gaz)
    header = _from_header(doc, letterhead + signature, own, mentions, gaz)
    header_person = Sender(doc.sender_hint, "borger") if doc.sender_hint and looks_like_name(doc.sender_hint) else None
    person = _person(signature)
    guessed = _opening_sentence(opening, own, mentions, gaz)

    if mail_body:
        for found in (header, signed, from_line):
            if found:
                return found, False
        if header_person:  # a person's mail: what the letter says about an institution is not its sender
            return header_person, bool(committee_head or head or guessed)
        if person:
            return person, False
        for found in (committee_head, head):  # never a sentence of a mail from an address that names no one
            if found:
                return found, True
    else:  # a letter: its own evidence, then (for an attachment) the mail it came with
        for found in (committee_head, signed, from_line, head, person, header, header_person):
            if found:
                return found, False
        if guessed:
            return guessed, True
    return None, True


def _unproven(found: Sender, doc: LoadedDocument, signature: list[str], gaz: Gazetteer) -> bool:
    """A sender named without evidence, to be checked by an official (issue 21 #4): a name written to look like
    another (mixed scripts, look-alike characters), or a public sender (municipality, region, MED committee,
    state authority) whose mail address is not on its own domain. For a mail, and a mail's attachment, that is
    the From address (a name, a letterhead, a signature are only text anyone can write); for a letter filed
    on its own, the addresses in its signature when it has any."""
    if found.lookalike:
        return True
    if not found.public:
        return False
    if doc.sender_email or doc.sender_hint:
        return not proven_by(found, doc.sender_email, gaz)
    addresses = _EMAIL.findall("\n".join(signature))
    return bool(addresses) and not any(proven_by(found, address, gaz) for address in addresses)


_QUOTE_START = re.compile(
    r"^(?:-{2,}\s*(?:original message|oprindelig meddelelse|videresendt (?:meddelelse|besked)|forwarded message)"
    r"|(?:den|on)\b.{0,160}\b(?:skrev|wrote)\b.{0,160}:$)",
    re.I,
)


def _own_lines(lines: list[str]) -> list[str]:
    """The letter's own lines: quoted lines ("> …") dropped, a replied-to or forwarded mail cut off."""
    own = []
    for line in lines:
        if _QUOTE_START.match(line):
            break
        if not line.startswith(">"):
            own.append(line)
    return own


def _letterhead(lines: list[str]) -> list[str]:
    """The short lines before the letter's first sentence (sender, address, date, subject)."""
    head = []
    for line in lines[:8]:
        words = line.split()
        if len(line) > 90 or (len(words) >= 4 and line.rstrip().endswith((".", "!", "?"))):
            break
        head.append(line)
    return head


def _classify(name: str, mentions: Counter, gaz: Gazetteer) -> Sender:
    """The sender a name the letter states as its sender says ("Høringssvar fra X", an e-mail display name),
    read by core.senders.classify_name; a name that says nothing is taken as an organisation's."""
    found = classify_name(name, gaz) or Sender(name, "organisation")
    if found.type == "med_udvalg":
        return _with_municipality(found, mentions, gaz)
    if found.type in ("organisation", "virksomhed"):
        return replace(found, municipality=_belongs_to(found.name, mentions, gaz))
    return found


def _with_municipality(committee: Sender, mentions: Counter, gaz: Gazetteer) -> Sender:
    """A MED committee with the municipality it belongs to: named in its name, else the one the letter names."""
    municipality = committee.municipality or _belongs_to(committee.name, mentions, gaz)
    name = committee.name
    if municipality and municipality.lower() not in skeleton(name).lower():
        name = f"{name}, {gaz.municipality(municipality).official}"
    return replace(committee, name=name, municipality=municipality)


def _committee(name: str, gaz: Gazetteer) -> Sender:
    return classify_name(name, gaz) or Sender(name, "med_udvalg")


def _committee_in_letterhead(head: list[str], lines: list[str], mentions: Counter, gaz: Gazetteer) -> Sender | None:
    for line in head:
        if _COMMITTEE_LINE.match(skeleton(line)) and len(line) < 90:
            name = re.split(r",|\s[-–]\s|\s(?:udtale-?svar|høringssvar|har\s)", line, maxsplit=1, flags=re.I)[0]
            name = re.sub(r"^Formandsskabet\s+i\s+", "", name, flags=re.I).strip(" .:")
            return _with_municipality(_committee(_best_casing(name, "\n".join(lines)), gaz), mentions, gaz)
    return None


def _signed_by_institution(signature: list[str], lines: list[str], mentions: Counter, gaz: Gazetteer) -> Sender | None:
    """An institution in the signature block: a MED committee, a municipality, region or state authority on a
    line of its own, an address at a municipality or region, a company or an organisation."""
    for line in signature:
        m = COMMITTEE_PHRASE.search(skeleton(line))
        if m and len(line) < 90:
            name = line[m.start(1) : m.end(1)].strip(" .,")
            return _with_municipality(_committee(_best_casing(name, "\n".join(lines)), gaz), mentions, gaz)
    for line in signature:
        found = institution_line(line, gaz)
        if found:
            return found
    for address in _EMAIL.findall("\n".join(signature)):
        found = sender_of_address(address, gaz)
        if found and found.type == "kommune":
            department = _department(signature)
            return replace(found, name=f"{found.name} ({department})") if department else found
        if found:
            return found
    signature = [_without_title(line) for line in signature]
    for line in signature:
        if COMPANY.search(line) and len(line) < 100:
            return Sender(line, "virksomhed", _belongs_to(line, mentions, gaz))
    for line in signature:
        if ORGANISATION.search(line) and len(line) < 100 and not _ADDRESSEE.match(line):
            return Sender(line.rstrip(".,"), "organisation", _belongs_to(line, mentions, gaz))
    return None


def _without_title(line: str) -> str:
    """ "Formand, Foreningen for kortere ventelister" → "Foreningen for kortere ventelister"."""
    head, _, rest = line.partition(",")
    if rest.strip() and len(head.split()) <= 2 and head.strip().lower().endswith(_TITLE_SUFFIXES):
        return rest.strip()
    return line


def _from_line(head: list[str], mentions: Counter, gaz: Gazetteer) -> Sender | None:
    """ "Høringssvar fra Region Midtjylland" (also "… fra X til/vedr./om <hearing>")."""
    for line in head:
        named = _FROM_LINE.match(line)
        if named:
            name = re.split(r"\s+(?:til|vedr\.?|vedrørende|angående|om)\s+", named.group(1).strip(), maxsplit=1)[0]
            return _classify(name, mentions, gaz)
    return None


def _letterhead_institution(head: list[str], mentions: Counter, gaz: Gazetteer) -> Sender | None:
    """A municipality, region, state authority, company or organisation standing on a line of its own in the
    letterhead, not under an addressee line ("Til", "Att.", "Regionsrådet")."""
    for before, line in zip(["", *head], head):
        found = institution_line(line, gaz)
        if found and not (_ADDRESSEE.match(before) or _RECIPIENT.match(before)):
            return found
    for line in head:
        if COMPANY.search(line) and len(line) < 100:
            return Sender(line, "virksomhed", _belongs_to(line, mentions, gaz))
    for line in head:
        if ORGANISATION.search(line) and len(line) < 100 and not _ADDRESSEE.match(line) and not _HEARING.search(line):
            return Sender(line.rstrip(".,"), "organisation", _belongs_to(line, mentions, gaz))
    return None


def _from_header(doc: LoadedDocument, own_lines: list[str], lines: list[str], mentions: Counter, gaz: Gazetteer) -> Sender | None:
    """The e-mail From header when it names an institution: an address at a municipality, a region or a state
    authority (its MED committee when the display name or the letterhead names one), or a display name naming a
    committee, a public body, a company or an organisation (a name only: see ``_unproven``)."""
    named = _classify(doc.sender_hint, mentions, gaz) if doc.sender_hint else None
    proof = sender_of_address(doc.sender_email, gaz)
    if proof:
        if proof.type == "kommune":
            committee = named if named and named.type == "med_udvalg" else _committee_in_letterhead(own_lines, lines, mentions, gaz)
            if committee and committee.municipality in (None, proof.municipality):
                return _with_municipality(replace(committee, municipality=proof.municipality), mentions, gaz)
        return proof
    # "Ældre Sagen Hedensted" looks like a person's name, but names an organisation. "organisation" is also
    # _classify's fallback for any name: here only a name that says so counts.
    if named and (named.type in ("med_udvalg", "kommune", "region", "virksomhed") or named.authority or ORGANISATION.search(doc.sender_hint)):
        return named
    return None


def _opening_sentence(opening: list[str], lines: list[str], mentions: Counter, gaz: Gazetteer) -> Sender | None:
    """A guess from the first sentences: "Norddjurs Kommune takker …", "Vi i LMU Vest …"."""
    for line in opening:
        mun = _leading_municipality(line, gaz)
        if mun:
            return Sender(mun.official, "kommune", mun.name, mun.region)
    text = " ".join(opening)
    m = COMMITTEE_PHRASE.search(text)
    if m and m.start() < 200:
        return _with_municipality(_committee(_best_casing(m.group(1).strip(" .,"), "\n".join(lines)), gaz), mentions, gaz)
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
    mun = gaz.municipality(m.group(1))
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


def _person(signature: list[str]) -> Sender | None:
    if signature and looks_like_name(signature[0]) and not _EMAIL.search(signature[0]):
        return Sender(signature[0], "borger")
    return None


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
        if m and m.start() < 40 and not _NAMES_NOTHING.match(m.group(1)):
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
    from index.bm25 import tokenize

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
