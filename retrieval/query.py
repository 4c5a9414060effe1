"""Understanding a question: its language, the filters it implies, and its BM25 terms."""

from __future__ import annotations

import re
from functools import lru_cache

from index.bm25 import tokenize
from core.gazetteer import gazetteer
from core.senders import classify_name
from index.records import Filters

_EN_WORDS = {"what", "which", "who", "how", "does", "do", "say", "says", "about", "the", "is", "are", "of", "and", "mention", "mentions", "any", "on", "their", "think", "why", "where"}
_DA_WORDS = {"hvad", "hvem", "hvilke", "hvordan", "siger", "mener", "om", "og", "de", "det", "nævner", "er", "til", "på", "noget", "hvorfor", "skriver", "kommunerne"}

_GROUPS: list[tuple[str, re.Pattern[str]]] = [
    ("kommune", re.compile(r"\b(kommunerne|kommuner|hvilken kommune|municipalities|which municipality)\b", re.I)),
    ("med_udvalg", re.compile(r"\b(med-?udvalg\w*|hvilket med-?udvalg|medarbejderudvalg\w*|medarbejderne|medarbejdersiden|employee committees?|staff committees?|employee representatives|works councils?)\b", re.I)),
    ("organisation", re.compile(r"\b(organisationerne|organisationer|organi[sz]ations|foreningerne|associations)\b", re.I)),
    ("region", re.compile(r"\b(regionerne|the regions)\b", re.I)),
    ("borger", re.compile(r"\b(hvad\s+(?:siger|mener|skriver)\s+borgerne|what\s+do\s+(?:the\s+)?citizens\s+say|borgernes\s+høringssvar)\b", re.I)),
    ("virksomhed", re.compile(r"\b(virksomhederne|companies|businesses)\b", re.I)),
]


# Words that vote for Danish besides _DA_WORDS (kept apart: _DA_WORDS also names the question words BM25 drops).
_DA_VOTE = _DA_WORDS | {"hvilken", "hvilket"}


@lru_cache(maxsize=1)
def _detector():
    """Lingua, once per process, for the languages a question must be told apart from: Danish, English and the
    neighbours closest to Danish (Norwegian Bokmål, Swedish, German), in low-accuracy mode (trigram models only).
    Measured on the 1,302 Danish and English questions of eval/questions.jsonl, eval/holdout.jsonl and xquad-dev
    (bench/startup_bench.py --languages): ``detect_language`` gets 1,298 right with this detector, as with the
    high-accuracy one and with all 75 languages; its first detection takes 0.04 s and the process 77 MB, against
    0.9 s / 233 MB in high-accuracy mode and 6 s / 963 MB for all languages. (Before "hvilken"/"hvilket" voted
    for Danish: 1,295 high-accuracy, 1,294 low-accuracy.)"""
    from lingua import Language, LanguageDetectorBuilder

    return LanguageDetectorBuilder.from_languages(*(getattr(Language, name) for name in DETECTOR_LANGUAGES)).with_low_accuracy_mode().build()


DETECTOR_LANGUAGES = ("DANISH", "ENGLISH", "BOKMAL", "SWEDISH", "GERMAN")


def detect_language(text: str, default: str = "da") -> str:
    """'da' or 'en'. Lingua decides when confident; short questions fall back to function words."""
    words = set(re.findall(r"[a-zæøå]+", text.lower()))
    if any(ch in text.lower() for ch in "æøå") and not words & _EN_WORDS:
        return "da"
    scores = {v.language.name: v.value for v in _detector().compute_language_confidence_values(text)}
    english = scores.get("ENGLISH", 0.0)
    nordic = scores.get("DANISH", 0.0) + scores.get("BOKMAL", 0.0) + scores.get("SWEDISH", 0.0)
    vote = len(words & _EN_WORDS) - len(words & _DA_VOTE)
    if english >= 0.6 and vote >= 0:
        return "en"
    if nordic >= 0.6 and vote <= 0:
        return "da"
    if vote:
        return "en" if vote > 0 else "da"
    return "en" if english > nordic else default if english == nordic else "da"


def infer_filters(question: str, known_senders: list[str] | None = None) -> Filters:
    """Filters a question implies: a sender group ("kommunerne"), a named municipality or a named sender.

    An explicit group word wins over a sender's name; and a sender is only named by a word written as a
    name (capitalised, or an abbreviation in capitals), so a letter from "Foreningen for kortere ventelister"
    cannot turn the topic word "ventelister" of someone else's question into a filter on that association."""
    values: dict[str, str] = {}
    gaz = gazetteer()
    named = []
    for word in re.findall(r"[A-ZÆØÅ][\w-]+", question):
        mun = gaz.municipality(word)
        if mun and mun.name not in named:
            named.append(mun.name)
    if len(named) == 1:
        values["municipality"] = named[0]
    if not named:
        for sender_type, pattern in _GROUPS:
            if pattern.search(question):
                values["sender_type"] = sender_type
                break
        sender = _named_sender(question, known_senders or [])
        # A named sender narrows its own group ("Hvad siger OMU Social om … medarbejderne?"); a group word
        # of another group wins ("Hvad siger kommunerne om Foreningen for …s forslag?").
        claimed = classify_name(sender) if sender else None
        if sender and values.get("sender_type") in (None, claimed and claimed.type):
            values["sender"] = sender
            values.pop("sender_type", None)
    return Filters(**values, inferred=list(values))


_GENERIC = {
    "kommune", "region", "social", "socialområdet", "socialområde", "med", "udvalg", "udvalget", "for", "og", "i",
    "specialområde", "hoved-medudvalget", "voksenhandicap", "organisation", "forening",
}


def _name_words(question: str) -> list[tuple[int, int, str]]:
    """(start, end, word) of the question's words written as a name: capitalised and not the question's
    first word ("Hjernesgade", "Foreningen"), or an abbreviation in capitals anywhere ("OMU", "SOH")."""
    words = list(re.finditer(r"[\w-]+", question))
    named = []
    for i, m in enumerate(words):
        word = m.group(0)
        acronym = len(word) >= 2 and word.isupper()
        if acronym or (i > 0 and word[:1].isupper()):
            named.append((m.start(), m.end(), word))
    return named


def _named_sender(question: str, senders: list[str]) -> str | None:
    """A sender named by a distinctive word of its name ("Hjernesgade", "OMU"), written as a name."""
    asked = {w.lower() for _, _, w in _name_words(question)}
    hits = []
    for sender in senders:
        words = {w.lower().strip("()") for w in re.findall(r"[\w()-]+", sender)}
        # Distinctive: not a generic word, and long ("hjernesgade") or an all-letter short name ("omu", "soh").
        distinctive = {w for w in words if w not in _GENERIC and (len(w) >= 5 or (w.isalpha() and len(w) >= 3))}
        distinctive = {w for w in distinctive if sum(w in s.lower() for s in senders) == 1}
        if distinctive & asked:
            hits.append(sender)
    return hits[0] if len(hits) == 1 else None


def query_terms(question: str) -> list[str]:
    """BM25 terms of the question (Danish stemming and stopwords; question words and English stopwords dropped)."""
    english = _ENGLISH_STOPWORDS
    return [t for t in tokenize(" ".join(w for w in re.findall(r"[\w-]+", question) if w.lower() not in english)) if t not in _QUESTION_STEMS]


def strip_scope_words(question: str, filters: Filters) -> str:
    """The question's topic without the words that became inferred filters ("kommunerne", "Norddjurs")."""
    text = question
    if "sender_type" in filters.inferred:
        for _, pattern in _GROUPS:
            text = pattern.sub(" ", text)
    if "municipality" in filters.inferred and filters.municipality:
        text = re.sub(rf"\b{re.escape(filters.municipality)}s?\b(\s+[Kk]ommunes?)?", " ", text)
    if "sender" in filters.inferred and filters.sender:
        text = _strip_sender_name(text, filters.sender)
    return re.sub(r"\s+", " ", text).strip()


def _strip_sender_name(text: str, sender: str) -> str:
    """Remove the sender's name where the question names it: each run of words of the name that holds a word
    written as a name ("Foreningen for kortere ventelister", "OMU"). The same words elsewhere are the topic
    ("… om ventelister?") and stay."""
    name = {w.lower().strip("()") for w in re.findall(r"[\w()-]+", sender)}
    named = {start for start, _, _ in _name_words(text)}
    words = list(re.finditer(r"[\w-]+", text))
    cut: list[tuple[int, int]] = []
    i = 0
    while i < len(words):
        j = i
        while j < len(words) and (words[j].group(0).lower() in name or words[j].group(0).lower().rstrip("s") in name):
            j += 1
        if j > i and any(words[k].start() in named for k in range(i, j)):
            cut.append((words[i].start(), words[j - 1].end()))
        i = max(j, i + 1)
    for start, end in reversed(cut):
        text = text[:start] + " " + text[end:]
    return text


_ENGLISH_STOPWORDS = {
    "a", "about", "all", "an", "and", "any", "are", "as", "at", "be", "by", "can", "could", "did", "do", "does",
    "for", "from", "has", "have", "how", "i", "if", "in", "is", "it", "its", "mention", "mentions", "more", "of",
    "on", "or", "our", "say", "says", "should", "that", "the", "their", "them", "there", "they", "think", "this",
    "to", "was", "we", "what", "when", "where", "which", "who", "why", "will", "with", "would", "you",
}
# Words of the question's frame, not its topic: every letter is a "høringssvar" that "siger" something.
_FRAME_WORDS = {"hvilken", "hvilket", "mener", "synes", "skriver", "nævn", "høringssvar", "høringssvarene",
                "høringssvaret", "høring", "svar", "planen", "understreger", "ønsker", "vil", "peger"}
_QUESTION_STEMS = set(tokenize(" ".join(sorted(_DA_WORDS | _FRAME_WORDS))))
