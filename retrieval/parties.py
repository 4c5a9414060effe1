"""Match the senders of a hearing's letters to the parties on its høringsliste (core/parties.py).

A name is first brought to a comparable form (``name_form``) by rules about how Danish public names are written:
case, punctuation and hyphens; "Kommune"/"kommunes"/"kommunen"; a municipality or a region as the gazetteer
(core/gazetteer.py) knows it, in the genitive too ("Region Midtjyllands"), as a place; the forms of MED committees
(HMU = Hoved-MEDudvalg, OMU = Område-MEDudvalg / OmrådeMedarbejderUdvalg, LMU = Lokal-MEDudvalg, MED-udvalg =
medarbejderudvalg) as one committee kind; an acronym in parentheses after a name ("(SOH)"); Danish definite and
genitive endings. Two forms are then scored by rapidfuzz's token-set ratio, bounded by what the forms say: two
different places or two different committee kinds never make a match, a committee and a body that is none make
an uncertain one at most, and so does a name that shares nothing with the party but its kind ("MED-udvalget").

Assignment is one-to-one and greedy, best score first: each party goes to at most one sender. Letters whose
senders have the same form (one body writing twice: a letter and a supplement) count as one sender and may all
answer for the party. A sender whose best party went to a better-scoring sender gets that party as "uncertain"
(reason "contested") for the official to decide; it never takes it as "sure". A match is "sure" only at
``SURE`` or above and with no free alternative party within ``MARGIN``; between ``POSSIBLE`` and ``SURE``, or
ambiguous, it is "uncertain"; below ``POSSIBLE`` the sender is on no list ("unlisted": answered though not invited)."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz

from core.gazetteer import Gazetteer, gazetteer
from core.parties import MATCH_STATUSES, NAME_FUNCTION_WORDS, MatchStatus, Party
from core.senders import classify_name

__all__ = ["NameForm", "PartyAnswer", "PartyMatch", "PartyMatching", "match_parties", "name_form", "score_names"]

SURE_STATUS, UNSURE_STATUS, NO_STATUS = MATCH_STATUSES
SURE = 88.0
POSSIBLE = 60.0
MARGIN = 8.0
_CAP_PLACE = 40.0  # two different municipalities or regions
_CAP_KIND = 55.0  # two different committee kinds (an HMU is not an LMU)
_CAP_UNSURE = SURE - 1  # a committee against a body that is none; only the kind in common
_FLOOR_KIND = POSSIBLE + 5  # one committee kind and a word in common ("OMU Voksensocialområdet", "OMU Social")

# The forms of MED committees, by kind (rules about how their names are written, not a list of committees).
_COMMITTEES = (
    ("hmu", r"hoved\W*med\W*(?:arbejder)?\W*udvalg\w*|hovedmed\w*|hovedudvalg\w*|hmu"),
    ("omu", r"område\W*med\W*(?:arbejder)?\W*udvalg\w*|områdemed\w*|omu"),
    ("lmu", r"lokal\W*med\W*(?:arbejder)?\W*udvalg\w*|lokalmed\w*|lmu"),
    ("amu", r"amu"), ("cmu", r"cmu"), ("fmu", r"fmu"), ("smu", r"smu"),
    ("med", r"med\W*udvalg\w*|medarbejderudvalg\w*|med\W*organisation\w*"),
)
_COMMITTEE_RE = [(kind, re.compile(rf"(?<!\w)(?:{pattern})(?!\w)", re.IGNORECASE)) for kind, pattern in _COMMITTEES]
_MED_WORD = re.compile(r"(?<!\w)MED(?!\w)")  # "MED" in capitals is the committee, "med" the preposition
_ACRONYM = re.compile(r"\(\s*([A-ZÆØÅ]{2,6})\s*\)")
_KOMMUNE = re.compile(r"(?<!\w)(?:regions)?kommune(?:s|n|ns|r|rne)?(?!\w)", re.IGNORECASE)
_REGION = re.compile(r"(?<!\w)region\s+([\wæøå]+)", re.IGNORECASE)
_ENDINGS = ("ernes", "erne", "ets", "ens", "et", "en", "er", "es", "e", "s")
_GENERIC = frozenset({"kommune", "region"})


@dataclass(frozen=True)
class NameForm:
    """A name as compared: ``text`` its normalised words; ``kinds`` the committee kinds it names ("hmu" …);
    ``places`` municipalities and regions ("kommune:Roskilde", "region:Region Midtjylland"); ``acronyms`` those
    written in parentheses; ``body`` "kommune"/"region" when it names the municipality or region itself, a
    department after it at most ("Hedensted Kommune (Voksenhandicap)"), as core.senders.classify_name reads it;
    "Region Midtjyllands Handicapråd" is a body of its own."""

    text: str
    kinds: frozenset[str]
    places: frozenset[str]
    acronyms: frozenset[str]
    body: str | None

    @property
    def committee(self) -> bool:
        return bool(self.kinds)

    @property
    def words(self) -> frozenset[str]:
        """The words that tell one party from another: not the kind, the place or "kommune"."""
        return frozenset(w for w in self.text.split() if w not in self.kinds and w not in _GENERIC and ":" not in w)


@dataclass(frozen=True)
class PartyMatch:
    """One sender and the listed party it was matched to (None for "unlisted"), the score (0-100), the status and
    the reason as a code: "same_name", "fuzzy", "acronym", "ambiguous", "contested", "below_sure",
    "type_differs", "only_kind", "same_kind", "place_differs", "kind_differs", "not_listed"."""

    sender: str
    party: Party | None
    score: float
    status: MatchStatus
    reason: str


@dataclass(frozen=True)
class PartyAnswer:
    """One listed party: ``answered`` when a sender is matched to it for sure; ``senders`` those matched for
    sure, ``uncertain`` those matched to it "uncertain" (the official confirms or adjusts)."""

    party: Party
    answered: bool
    senders: tuple[str, ...]
    uncertain: tuple[str, ...]


@dataclass(frozen=True)
class PartyMatching:
    """The matches in the order of the senders given, and each listed party in list order."""

    matches: tuple[PartyMatch, ...]
    parties: tuple[PartyAnswer, ...]

    @property
    def uninvited(self) -> tuple[str, ...]:
        """Senders on no list: answered though not invited."""
        return tuple(m.sender for m in self.matches if m.status == NO_STATUS)

    @property
    def not_answered(self) -> tuple[Party, ...]:
        """Listed parties with no sender matched, sure or not."""
        return tuple(a.party for a in self.parties if not a.answered and not a.uncertain)


def name_form(name: str, gaz: Gazetteer | None = None) -> NameForm:
    """The comparable form of a sender's or a party's name (see the module's docstring)."""
    gaz = gaz or gazetteer()
    text = unicodedata.normalize("NFKC", name)
    acronyms = frozenset(a.lower() for a in _ACRONYM.findall(text))
    text = _ACRONYM.sub(" ", text)
    kinds: set[str] = set()
    for kind, pattern in _COMMITTEE_RE:
        if pattern.search(text):
            kinds.add(kind)
            text = pattern.sub(f" {kind} ", text)
    if _MED_WORD.search(text):
        kinds.add("med")
        text = _MED_WORD.sub(" med ", text)
    if len(kinds) > 1:
        kinds.discard("med")  # "Hoved-MEDudvalget" is an HMU, whatever MED words follow
    places: set[str] = set()
    body = None
    for mun in gaz.municipality_mentions(text):
        places.add(f"kommune:{mun}")
    for region in gaz.region_mentions(text):
        places.add(f"region:{region}")
    said = classify_name(name, gaz)  # the project's one reading of a sender's name: is it the body itself?
    if not kinds and said is not None and said.type in ("kommune", "region"):
        body = said.type
    text = _REGION.sub(lambda m: _region_word(m, gaz), text)
    text = _KOMMUNE.sub(" kommune ", text)
    words: list[str] = []
    for word in re.split(r"[^\w:]+", text):
        if not word:
            continue
        if word.startswith("region:"):
            places.add(word)
            words.append(word.lower())
            continue
        mun = gaz.municipality(word) if word[:1].isupper() and len(word) >= 3 else None
        if mun is not None:
            places.add(f"kommune:{mun.name}")
            words.append(f"kommune:{mun.name}".lower())
            continue
        low = word.lower()
        if low in NAME_FUNCTION_WORDS:
            continue
        words.append(low if low in kinds or low in _GENERIC else _stem(low))
    return NameForm(" ".join(words), frozenset(kinds), frozenset(places), acronyms, body)


def score_names(sender: NameForm, party: NameForm) -> tuple[float, str]:
    """How well a sender's form matches a party's (0-100) and why, as a reason code."""
    if not sender.text and not sender.acronyms or not party.text and not party.acronyms:
        return 0.0, "not_listed"
    if sender.text == party.text and (sender.text or sender.acronyms == party.acronyms):
        return 100.0, "same_name"
    score = float(fuzz.token_set_ratio(_generic_kind(sender, party), _generic_kind(party, sender)))
    reason = "fuzzy"
    if sender.acronyms & (party.acronyms | party.words) or party.acronyms & (sender.acronyms | sender.words):
        score, reason = max(score, 95.0), "acronym"
    if sender.places and party.places and not sender.places & party.places:
        return min(score, _CAP_PLACE), "place_differs"
    specific = {k for k in sender.kinds if k != "med"}, {k for k in party.kinds if k != "med"}
    if all(specific) and not specific[0] & specific[1]:
        return min(score, _CAP_KIND), "kind_differs"
    if sender.committee != party.committee or sender.body != party.body:
        return min(score, _CAP_UNSURE), "type_differs"
    shared = sender.words & party.words or (sender.places & party.places) or (sender.acronyms & party.acronyms)
    if reason != "acronym" and not shared and not _compounds_share(sender.words, party.words):
        return min(score, _CAP_UNSURE), "only_kind"
    if specific[0] & specific[1] and score < POSSIBLE:  # same committee kind, a word in common: ask, never drop
        return _FLOOR_KIND, "same_kind"
    return score, reason


def match_parties(senders: Sequence[str | None], parties: Sequence[Party], gaz: Gazetteer | None = None) -> PartyMatching:
    """Each sender's match on the list, one-to-one (see the module's docstring), and each party's answer. A letter
    with no recognised sender (None or "") matches no party."""
    gaz = gaz or gazetteer()
    senders = [s or "" for s in senders]
    forms = [name_form(s, gaz) for s in senders]
    groups: dict[tuple[str, frozenset[str]], list[int]] = {}
    for i, form in enumerate(forms):
        groups.setdefault((form.text, form.acronyms), []).append(i)
    keys = list(groups)
    party_forms = [name_form(p.name, gaz) for p in parties]
    scores = {
        (g, j): score_names(forms[groups[key][0]], party_forms[j]) for g, key in enumerate(keys) for j in range(len(parties))
    }
    owner: dict[int, int] = {}  # party → group
    assigned: dict[int, int] = {}  # group → party
    for (g, j), (value, _) in sorted(scores.items(), key=lambda item: (-item[1][0], item[0])):
        if value < POSSIBLE:
            break
        if g not in assigned and j not in owner:
            assigned[g], owner[j] = j, g
    result: dict[int, PartyMatch] = {}
    for g, key in enumerate(keys):
        ranked = sorted(range(len(parties)), key=lambda j: (-scores[(g, j)][0], j))
        match = _decide(g, ranked, scores, assigned, owner, parties)
        for i in groups[key]:
            result[i] = PartyMatch(senders[i], match.party, match.score, match.status, match.reason)
    matches = tuple(result[i] for i in range(len(senders)))
    answers = tuple(
        PartyAnswer(
            party,
            any(m.party is party and m.status == SURE_STATUS for m in matches),
            tuple(m.sender for m in matches if m.party is party and m.status == SURE_STATUS),
            tuple(m.sender for m in matches if m.party is party and m.status == UNSURE_STATUS),
        )
        for party in parties
    )
    return PartyMatching(matches, answers)


def _decide(g: int, ranked: list[int], scores: dict, assigned: dict[int, int], owner: dict[int, int],
            parties: Sequence[Party]) -> PartyMatch:
    if g in assigned:
        j = assigned[g]
        value, reason = scores[(g, j)]
        rivals = [scores[(g, k)][0] for k in ranked if k != j and owner.get(k, g) == g]
        if rivals and rivals[0] >= value - MARGIN:
            return PartyMatch("", parties[j], value, UNSURE_STATUS, "ambiguous")
        if value < SURE:
            return PartyMatch("", parties[j], value, UNSURE_STATUS, reason if reason != "fuzzy" else "below_sure")
        return PartyMatch("", parties[j], value, SURE_STATUS, reason)
    if ranked and scores[(g, ranked[0])][0] >= POSSIBLE:
        j = ranked[0]
        return PartyMatch("", parties[j], scores[(g, j)][0], UNSURE_STATUS, "contested")
    best = scores[(g, ranked[0])][0] if ranked else 0.0
    return PartyMatch("", None, best, NO_STATUS, "not_listed")


def _region_word(match: re.Match, gaz: Gazetteer) -> str:
    region = gaz.region(match.group(0))
    return f" region:{region.removeprefix('Region ').lower()} " if region else match.group(0)


def _generic_kind(form: NameForm, other: NameForm) -> str:
    """A name's words with a bare "MED-udvalg" read as the other name's committee kind, which it may be."""
    if form.kinds == {"med"} and other.kinds and other.kinds != {"med"}:
        kinds = " ".join(sorted(other.kinds - {"med"}))
        return " ".join(kinds if word == "med" else word for word in form.text.split())
    return form.text


def _stem(word: str) -> str:
    """A word without its Danish definite or genitive ending ("socialområdet", "socialområde" → "socialområd")."""
    for ending in _ENDINGS:
        if word.endswith(ending) and len(word) - len(ending) >= 4 and len(word) >= 6:
            return word[: -len(ending)]
    return word


def _compounds_share(a: frozenset[str], b: frozenset[str]) -> bool:
    """One name's word inside a compound of the other ("social" in "voksensocial"), at least 5 letters."""
    return any(len(x) >= 5 and len(y) >= 5 and (x in y or y in x) for x in a for y in b)
