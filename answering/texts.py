"""Fixed answer phrases, Danish and English (answers follow the question's language)."""

from __future__ import annotations

from index.records import Filters

SENDER_TYPE_NAMES = {
    "da": {"kommune": "kommuner", "region": "regioner", "med_udvalg": "MED-udvalg", "organisation": "organisationer",
           "virksomhed": "virksomheder", "borger": "borgere", "ukendt": "ukendte afsendere"},
    "en": {"kommune": "municipalities", "region": "regions", "med_udvalg": "employee (MED) committees",
           "organisation": "organisations", "virksomhed": "companies", "borger": "citizens", "ukendt": "unknown senders"},
}
FIELD_NAMES = {
    "da": {"sender": "afsender", "sender_type": "afsendertype", "municipality": "kommune", "hearing": "høring",
           "date_from": "fra dato", "date_to": "til dato"},
    "en": {"sender": "sender", "sender_type": "sender type", "municipality": "municipality", "hearing": "hearing",
           "date_from": "from date", "date_to": "to date"},
}
PHRASES = {
    "da": {
        "intro": "Det skriver høringssvarene:",
        "says": "skriver",
        "not_found": "Høringssvarene nævner ikke det, du spørger om",
        "in_scope": " (inden for den valgte afgrænsning)",
        "nearest": "Nærmeste uddrag (besvarer ikke spørgsmålet direkte):",
        "no_scope": "Der er ingen høringssvar inden for afgrænsningen",
        "scope": "Afgrænset til",
        "inferred": "udledt af spørgsmålet – kan fjernes",
        "empty_index": "Indekset er tomt: indlæs høringssvar først.",
        "unverified": "({n} henvisning(er) kunne ikke verificeres i høringssvarene og er markeret [?].)",
    },
    "en": {
        "intro": "The consultation responses say (quoted in Danish):",
        "says": "writes",
        "not_found": "The responses do not mention what you are asking about",
        "in_scope": " (within the selected scope)",
        "nearest": "Nearest passages (they do not answer the question directly):",
        "no_scope": "There are no responses within the scope",
        "scope": "Limited to",
        "inferred": "inferred from the question – can be removed",
        "empty_index": "The index is empty: ingest consultation responses first.",
        "unverified": "({n} reference(s) could not be verified in the responses and are marked [?].)",
    },
}


def phrase(language: str, key: str) -> str:
    return PHRASES.get(language, PHRASES["da"])[key]


def describe_filters(filters: Filters, language: str) -> str:
    """'Afgrænset til: afsendertype = kommuner (udledt af spørgsmålet – kan fjernes).'"""
    if filters.is_empty():
        return ""
    names = FIELD_NAMES.get(language, FIELD_NAMES["da"])
    parts = []
    for field, value in filters.active().items():
        shown = SENDER_TYPE_NAMES[language].get(value, value) if field == "sender_type" else value
        note = f" ({phrase(language, 'inferred')})" if field in filters.inferred else ""
        parts.append(f"{names[field]} = {shown}{note}")
    return f"{phrase(language, 'scope')}: " + "; ".join(parts) + "."
