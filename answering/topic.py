"""The topic of a question, as the question words it: "Hvad siger kommunerne om ventelister?" → "ventelister",
"Which municipalities mention a new football stadium?" → "a new football stadium".

``topic_of`` reads who-says-what questions (its lead sentence: "1 af 2 kommuner nævner ventelister");
``asked_topic`` is stricter, for a sentence that tells the user their question's topic is raised by no letter: it
takes the words after "om"/"about" only when a verb of saying or mentioning comes first ("Hvad mener … om X?",
"What do … say about X?", "Do any responses mention X?"), so that "What is the impact of cuts on staff?" is not
answered "None … mention staff". Rules about the form of the question, never about its topic.
"""

from __future__ import annotations

import re

_TOPIC = {
    "da": re.compile(r"\b(?:om|vedrørende|angående|til)\s+(.+?)\s*\??$", re.I),
    "en": re.compile(r"\b(?:about|on|regarding|concerning)\s+(.+?)\s*\??$", re.I),
}
_MENTION_VERB = re.compile(r"^(?:hvem|hvilke\s+\w+|who|which\s+\w+)\s+(?:nævner|omtaler|skriver om|mentions?|raises?|"
                           r"talks? about)\s+(.+?)\s*\??$", re.I)
# A verb of saying, thinking or mentioning (or a noun for a view) before the topic's preposition.
_FRAMED = {
    "da": re.compile(
        r"\b(?:siger|sagt|skriver|skrevet|skrives|mener|synes|tænker|nævner|nævnes|omtaler|omtales|fortæller|udtaler|"
        r"står\s+der|holdning(?:en|er|erne)?|synspunkt(?:er|erne)?|bemærkninger(?:ne)?|kommentarer(?:ne)?)\b"
        r".*?\b(?:om|vedrørende|angående|til)\s+(.+?)\s*\??$", re.I),
    "en": re.compile(
        r"\b(?:say|says|said|write|writes|wrote|written|think|thinks|thought|feel|feels|mention|mentions|mentioned|"
        r"talk|talks|views?|positions?|stance|comments?|opinions?)\b.*?\b(?:about|on|regarding|concerning)\s+(.+?)"
        r"\s*\??$", re.I),
}
_FOLLOW_UP = re.compile(r"\s*\([^()]*\)\s*$")  # the follow-up as asked, after the question it continues
_MENTION_OBJECT = {  # English puts the subject before the verb: "Do any of the responses mention X?"
    "en": re.compile(r"\b(?:mention|mentions|raise|raises|discuss|discusses|address|addresses)\s+(.+?)\s*\??$", re.I),
}


def _clean(topic: str) -> str | None:
    topic = topic.strip(" ?.!\"'»«”“")
    return topic or None


def topic_of(question: str, language: str) -> str | None:
    """The topic of a who-says-what question ("Hvem nævner vikarer?" → "vikarer"), or None."""
    m = _MENTION_VERB.match(question.strip()) or _TOPIC.get(language, _TOPIC["en"]).search(question.strip())
    return m.group(1).strip(" ?.") if m else None


def asked_topic(question: str, language: str) -> str | None:
    """The topic a question asks about, as it words it, when its form makes that clear: "Hvad mener høringssvarene
    om den nye letbane?" → "den nye letbane"; "Do any responses mention a new football stadium?" → "a new football
    stadium"; None for a question whose topic is not introduced by a verb of saying or mentioning."""
    text = " ".join(question.split())
    # a follow-up made standalone ("Hvad siger om ventelister? (og hvad siger Norddjurs?)"): its first question
    text = _FOLLOW_UP.sub("", text)
    text = text[: text.index("?") + 1] if "?" in text else text
    m = (_MENTION_VERB.match(text) or _FRAMED.get(language, _FRAMED["en"]).search(text)
         or (_MENTION_OBJECT[language].search(text) if language in _MENTION_OBJECT else None))
    return _clean(m.group(1)) if m else None
