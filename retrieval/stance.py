"""Stance without a language model: for, against or unclear, read from the formal markers of Danish
administrative language.

Danish hearing letters state their position in set verb phrases: support ("kan tilslutte sig", "bakker op om",
"støtter", "er positive over for", "hilser … velkommen", "anbefaler"), opposition ("kan ikke støtte", "er imod",
"tager afstand fra", "kan ikke anbefale", "modsætter sig"), concern ("er bekymret for", "frygter", "advarer
mod"), requests ("opfordrer til", "foreslår", "ønsker") and no remarks (retrieval.no_remarks). A marker counts
in the sentence's own clause (not inside an "at"/"som"/"hvis" clause about someone else, unless the writer is its
subject: "…, at vi støtter …"), and a negation just before or after its verb turns it ("kan ikke tilslutte sig"
is opposition, "er ikke imod" and "ingen indvendinger" lean to support, "er ikke bekymrede" counts for nothing).

A letter (or the sentences of a letter about one theme) is *for* when its support outweighs its opposition and
concern by the margin ``MARGIN``, *imod* the other way round, and *uklar* when the markers are mixed or there
are none; the deciding sentences are shown. Rules about the form of the language (verbs and their negation),
never topic words.
"""

from __future__ import annotations

import re
from functools import lru_cache
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

from retrieval.no_remarks import no_remarks_rule, split_sentences

Kind = Literal["support", "opposition", "concern", "request", "no_remarks"]
Polarity = Literal["for", "imod", ""]
LetterStance = Literal["for", "imod", "uklar"]

KINDS: tuple[str, ...] = ("support", "opposition", "concern", "request", "no_remarks")
STATES: tuple[str, ...] = ("for", "imod", "uklar")

# (kind, weight, pattern): the verb phrase of a marker, Danish and English; "{o}" is room for a subject or
# an adverb between the finite verb and the rest ("kan vi fuldt ud tilslutte os", "bakker derfor op om")
_O = r"(?:[\w-]+\s+){0,3}?"
_MARKERS: tuple[tuple[str, int, str], ...] = (
    ("support", 2, rf"\bkan\s+{_O}tilslutte\s+(?:sig|os|mig)\b|\btilslutter\s+{_O}(?:sig|os|mig)\b"),
    ("support", 2, rf"\bbakker?\s+{_O}op\s+(?:om|bag)\b|\bstøtter\s+{_O}op\s+om\b"),
    ("support", 2, rf"\bstøtter\b|\bkan\s+{_O}støtte\b|\bvil\s+{_O}støtte\b"),
    ("support", 2, rf"\ber\s+{_O}positive?\s+(?:over\s+for|overfor|indstillet)\b|\bser\s+{_O}positivt\s+på\b"),
    ("support", 2, r"\bhilser\s+(?:[\w-]+\s+){0,16}?velkomm(?:en|ent|e)\b"),
    # a recommendation to reject is opposition ("… anbefaler at afvise forslaget")
    ("opposition", 2, rf"\b(?:anbefaler|indstiller)\s+{_O}at\s+(?:afvise|forkaste|undlade|opgive|droppe)\b"),
    # "anbefaler, at X vedtages" is support; "anbefaler, at regionen ser på …" asks for something
    ("support", 1, (rf"\b(?:anbefaler|kan\s+{_O}anbefale)(?:\s+[\w-]+){{0,3}}?,?\s+at\s+(?:[\w-]+\s+){{1,6}}?(?:vedtages|godkendes|"
                   rf"gennemføres|fastholdes|tiltrædes|besluttes|realiseres)\b")),
    ("request", 0, r"\b(?:anbefaler|kan\s+(?:[\w-]+\s+){0,3}?anbefale)(?:\s+[\w-]+){0,3}?,?\s+at\b"),
    ("support", 1, rf"\banbefaler\b|\bkan\s+{_O}anbefale\b"),
    ("support", 1, (rf"\bsætter\s+{_O}pris\s+på\b|\ber\s+{_O}glade?\s+for\b|\bdeler\s+(?:[\w-]+\s+){{0,3}}?"
                   rf"(?:fokus|ønske|opfattelse|holdning|vurdering|synspunkt)\w*\b|\bappreciates?\b")),
    ("support", 2, rf"\bbifalder\b|\bglæder\s+{_O}(?:sig|os)\s+over\b|\ber\s+{_O}enige?\s+i\b|\bgår\s+{_O}ind\s+for\b"),
    ("support", 2, (rf"\bkan\s+{_O}tiltræde\b|\btiltræder\b|\bsupports?\b|\bwelcomes?\b|\bendorses?\b|"
                   rf"\b(?:agree|agrees)\s+with\b|\bin\s+favou?r\s+of\b")),
    ("opposition", 2, rf"\ber\s+{_O}imod\b|\bstemmer\s+{_O}imod\b|\bgår\s+{_O}imod\b|\bmodsætter\s+{_O}(?:sig|os)\b"),
    ("opposition", 2, rf"\btager\s+{_O}afstand\s+fra\b|\bfraråder\b|\bprotesterer\s+{_O}mod\b|\bafviser\b"),
    ("opposition", 2, (rf"\ber\s+{_O}(?:uenige?|kritiske?)\s+(?:i|over\s+for|overfor)\b|\bopposes?\b|\bobjects?\s+to\b|"
                      r"\b(?:are|is)\s+against\b")),
    ("concern", 1, (rf"\ber\s+{_O}(?:bekymret|bekymrede|betænkelige?|urolige?)\b|\bfrygter\b|\badvarer\s+{_O}(?:mod|imod)\b|"
                   rf"\bbeklager\b(?!,?\s+hvis\b)|\bdet\s+er\s+{_O}(?:bekymrende|betænkeligt|foruroligende)\b|\bconcerned\b|\bfear\b|\bwarns?\s+against\b")),
    ("request", 0, (rf"\bopfordrer\s+{_O}(?:til|regionen|kommunen|udvalget|byrådet)\b|\bopfordrer\b|\bforeslår\b|"
                   rf"\bønsker\b(?!\s+(?:om|til)\b)|\bbør\b|\bder\s+er\s+{_O}behov\s+for\b|\bshould\b|\bhenstiller\b|\bbeder\s+{_O}om\b|\burges?\b|\bproposes?\b|\brequests?\b")),
)
_RULES = tuple((kind, weight, re.compile(p, re.IGNORECASE)) for kind, weight, p in _MARKERS)
# "ingen indvendinger/indsigelser (mod …)": no objection, which leans to support
_NO_OBJECTION = re.compile(r"\b(?:ingen|ikke\s+(?:nogen\s+)?|no)\s*(?:\w+\s+)?(?:indvendinger|indsigelser|objections?)\b",
                           re.IGNORECASE)
_NEGATION = re.compile(r"\b(?:ikke|ej|aldrig|hverken|næppe|not|never|no|cannot|can't)\b", re.IGNORECASE)
NEGATION_BEFORE = 3  # words before the marker in which a negation turns it ("kan ikke tilslutte sig")
# a clause about someone else: a marker inside it is not the writer's ("Vi noterer, at regionen støtter …")
_SUBORDINATE = re.compile(r"(?:^(?:hvis|såfremt|medmindre|selvom|når|if|unless|when|although)|(?:,\s*|\s)(?:at|som|"
                          r"hvis|såfremt|medmindre|fordi|når|hvor|selvom|der|hvorvidt|that|which|who|if|unless|because))\s+"
                          r"(?!(?:vi|jeg|we|i)\b)", re.IGNORECASE)
_COORDINATE = re.compile(r"\s*(?:;|,?\s+(?:og|men|samt|but|and)\s+(?=(?:vi|jeg|we|i|derfor|dog)\b))", re.IGNORECASE)
_OPINION = re.compile(r"\b(?:mener|finder|synes|vurderer|understreger|påpeger|believes?|finds?|considers?)\s*"
                      r"(?:\w+\s+){0,2}?(?:vi|jeg|we|i)?\s*$", re.IGNORECASE)
MARGIN = 2.0  # one side must weigh at least this many times the other to decide the letter
_TURNED = {"support": ("opposition", 2), "opposition": ("support", 1), "request": ("opposition", 1)}
_POLARITY = {"support": "for", "opposition": "imod", "concern": "imod", "request": "", "no_remarks": ""}


@dataclass(frozen=True)
class Marker:
    """One marker in a sentence: what kind it is after negation, the words that carry it, and its weight."""

    kind: Kind
    phrase: str
    negated: bool
    weight: int

    @property
    def polarity(self) -> Polarity:
        return _POLARITY[self.kind]  # type: ignore[return-value]


@dataclass(frozen=True)
class SentenceStance:
    """A sentence and its markers; ``kind`` is the one that decides it (the heaviest), or None."""

    sentence: str
    markers: tuple[Marker, ...]

    @property
    def kind(self) -> Kind | None:
        if not self.markers:
            return None
        return max(self.markers, key=lambda m: (m.weight, m.kind != "request")).kind

    @property
    def weight_for(self) -> int:
        return sum(m.weight for m in self.markers if m.polarity == "for")

    @property
    def weight_against(self) -> int:
        return sum(m.weight for m in self.markers if m.polarity == "imod")


@dataclass(frozen=True)
class Stance:
    """A letter's (or a set of sentences') stance: for / imod / uklar, the sentences that decide it, and every
    sentence with a marker."""

    stance: LetterStance
    deciding: tuple[str, ...]
    marked: tuple[SentenceStance, ...]
    weight_for: int
    weight_against: int
    no_remarks: bool = False


@lru_cache(maxsize=65536)
def sentence_markers(sentence: str) -> SentenceStance:
    """The markers of one sentence, scoped to its own clauses and with negation handled. Remembered per sentence: a
    hearing's report reads each letter's sentences for its stance and again for each theme it is placed on."""
    line = " ".join(sentence.split())
    if line.endswith("?"):
        return SentenceStance(sentence, ())  # a question states no position
    if no_remarks_rule(line):
        if _NO_OBJECTION.search(line):
            return SentenceStance(sentence, (Marker("support", _NO_OBJECTION.search(line).group(0), True, 1),))
        return SentenceStance(sentence, (Marker("no_remarks", line, False, 0),))
    found: list[Marker] = []
    taken: list[tuple[int, int]] = []
    offset = 0
    for clause, cut in _main_clauses(line):
        for kind, weight, rule in _RULES:
            for match in rule.finditer(clause):
                if match.start() >= cut:  # inside a clause about someone else
                    continue
                start, end = offset + match.start(), offset + match.end()
                if any(a < end and start < b for a, b in taken):
                    continue
                taken.append((start, end))
                found.append(_marker(kind, weight, clause[:cut] if match.end() > cut else clause, match))
        no_objection = _NO_OBJECTION.search(clause[:cut])
        if no_objection:
            found.append(Marker("support", no_objection.group(0), True, 1))
        offset += len(clause)
    return SentenceStance(sentence, tuple(m for m in found if m is not None))


def _main_clauses(line: str) -> list[tuple[str, int]]:
    """The writer's own clauses of a sentence: each coordinated clause, with the position where its first
    subordinate clause begins (a marker must start before it; "anbefaler at afvise" starts before its "at")."""
    return [(c, _cut(c)) for c in _COORDINATE.split(line)]


def _cut(clause: str) -> int:
    """Where the first subordinate clause about someone else begins: not the "at" clause of the writer's own
    opinion verb ("Vi mener, at der bør …", "Kommunen finder, at …"), which states the writer's position."""
    for s in _SUBORDINATE.finditer(clause):
        if not _OPINION.search(clause[: s.start()]):
            return s.start()
    return len(clause)


def _marker(kind: str, weight: int, clause: str, match: re.Match[str]) -> Marker | None:
    before = clause[: match.start()].split()[-NEGATION_BEFORE:]
    inside_after = clause[match.start() :].split()[: len(match.group(0).split()) + 1]
    negated = any(_NEGATION.fullmatch(w.strip(",.;:")) for w in before + inside_after)
    if not negated:
        return Marker(kind, match.group(0), False, weight)  # type: ignore[arg-type]
    if kind not in _TURNED:
        return None  # "er ikke bekymrede": no concern, and no stance either
    turned, turned_weight = _TURNED[kind]
    return Marker(turned, match.group(0), True, turned_weight)  # type: ignore[arg-type]


def stance_of_sentences(sentences: Iterable[str]) -> Stance:
    """The stance of a set of sentences (a letter's, or those of a letter about one theme)."""
    marked = tuple(s for s in (sentence_markers(x) for x in sentences) if s.markers)
    weight_for = sum(s.weight_for for s in marked)
    weight_against = sum(s.weight_against for s in marked)
    only_no_remarks = bool(marked) and all(s.kind == "no_remarks" for s in marked)
    if weight_for and weight_for >= MARGIN * weight_against:
        state: LetterStance = "for"
        deciding = tuple(s.sentence for s in marked if s.weight_for)
    elif weight_against and weight_against >= MARGIN * weight_for:
        state = "imod"
        deciding = tuple(s.sentence for s in marked if s.weight_against)
    else:
        state = "uklar"
        deciding = tuple(s.sentence for s in marked if s.weight_for or s.weight_against)
    return Stance(state, deciding, marked, weight_for, weight_against, only_no_remarks)


def stance(text: str) -> Stance:
    """The stance of a letter's text (split into sentences by retrieval.no_remarks.split_sentences)."""
    return stance_of_sentences(split_sentences(text or ""))
