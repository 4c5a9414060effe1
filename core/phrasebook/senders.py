"""The sender types in words (core.senders.sender_type_label): each type in three forms, Danish and English.

``word``: one sender's type in a sentence or a table cell ("Hedensted Kommune · kommune", the who-says-what table,
the source panel, the answer's exports); ``role``: the role a respondent speaks in, as a heading or a cell of its
own ("Udtaler sig som": the høringsnotat, the themes and case-file pages); ``group``: a group of senders ("1 af 2
kommuner …", "afsendertype = kommuner"). The English role of an employee committee is shorter than its word
("MED committee" / "employee (MED) committee"); every other role is its word with a capital letter.
"""

from __future__ import annotations

PHRASES: dict[str, dict[str, str]] = {
    "sender_type.kommune.word": {"da": "kommune", "en": "municipality"},
    "sender_type.kommune.role": {"da": "Kommune", "en": "Municipality"},
    "sender_type.kommune.group": {"da": "kommuner", "en": "municipalities"},
    "sender_type.region.word": {"da": "region", "en": "region"},
    "sender_type.region.role": {"da": "Region", "en": "Region"},
    "sender_type.region.group": {"da": "regioner", "en": "regions"},
    "sender_type.med_udvalg.word": {"da": "MED-udvalg", "en": "employee (MED) committee"},
    "sender_type.med_udvalg.role": {"da": "MED-udvalg", "en": "MED committee"},
    "sender_type.med_udvalg.group": {"da": "MED-udvalg", "en": "employee (MED) committees"},
    "sender_type.organisation.word": {"da": "organisation", "en": "organisation"},
    "sender_type.organisation.role": {"da": "Organisation", "en": "Organisation"},
    "sender_type.organisation.group": {"da": "organisationer", "en": "organisations"},
    "sender_type.virksomhed.word": {"da": "virksomhed", "en": "company"},
    "sender_type.virksomhed.role": {"da": "Virksomhed", "en": "Company"},
    "sender_type.virksomhed.group": {"da": "virksomheder", "en": "companies"},
    "sender_type.borger.word": {"da": "borger", "en": "citizen"},
    "sender_type.borger.role": {"da": "Borger", "en": "Citizen"},
    "sender_type.borger.group": {"da": "borgere", "en": "citizens"},
    "sender_type.ukendt.word": {"da": "ukendt", "en": "unknown"},
    "sender_type.ukendt.role": {"da": "Ukendt", "en": "Unknown"},
    "sender_type.ukendt.group": {"da": "ukendte afsendere", "en": "unknown senders"},
}
