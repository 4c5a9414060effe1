"""Theme labels as a case officer writes them: a noun phrase of the topic ("Rekruttering og fastholdelse af
faguddannet personale", "Ventelister i psykiatrien"), 2–6 words, never a sentence fragment.

Without a tagger (no Danish part-of-speech model ships offline on PyPI) the words are classed by the FORM of Danish:
closed lists of function words (prepositions, determiners and possessives, pronouns, conjunctions, adverbs,
auxiliaries and the commonest finite verbs) and the morphology of the open words only where it is safe in context
(after "at" or a modal an open word is an infinitive; an open word ending in -r/-s/-de/-te after a subject pronoun,
or before one (verb-second: "Generelt oplever vi"), is a finite verb; -es is a passive; -ende a participle). A
phrase is then a noun phrase by its shape, read over the tags:

    NOM    = (degree-adverb? open)+               "faguddannet personale", "mest specialiserede opgaver"
    NP     = determiner? NOM (og|eller|samt NOM)?  "rekruttering og fastholdelse"
    PHRASE = NP (preposition determiner? NOM (og NOM)?){0,2}

whose last word is a head noun (not a participle, an -ig/-lig/-isk adjective, a genitive or a passive), which a
further open word does not continue (a noun phrase cut in two) and which does not begin after a number (a quantity
without its number). Rules about the form of the language, never lists of topics. See docs/decisions/0006.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

MIN_WORDS = 2
MAX_WORDS = 6

_PREP = re.compile(r"^(?:af|på|til|for|om|med|ved|mellem|under|over|efter|fra|mod|i|hos|blandt|inden|uden|gennem|"
                   r"omkring|trods|via|vedr|vedrørende|angående|bag|foran|langs|pr|per|indenfor|udenfor|"
                   r"of|on|to|about|with|in|at|from|by|between|against|within|without)$", re.IGNORECASE)
# articles, demonstratives, possessives and quantifiers: they open a noun phrase and never end one
_DET = re.compile(r"^(?:en|et|den|det|de|denne|dette|disse|hver|hvert|enhver|ethvert|alle|nogle|nogen|noget|ingen|"
                  r"intet|mange|flere|færre|begge|anden|andet|andre|samme|hele|selve|sådan|sådant|sådanne|min|mit|"
                  r"mine|din|dit|dine|sin|sit|sine|hans|hendes|dens|dets|vores|vor|vort|deres|jeres|the|a|an|our|"
                  r"their|its|this|these|those|all|some|many|more|other)$", re.IGNORECASE)
_JOIN = re.compile(r"^(?:og|eller|samt|and|or)$", re.IGNORECASE)
_DEGREE = re.compile(r"^(?:mere|mest|meget|mindre|mindst|særligt|højt|stærkt|most|very)$", re.IGNORECASE)
# words that never belong to a noun phrase label: pronouns, subordinating conjunctions, adverbs, auxiliaries and the
# commonest finite verbs of letters (closed classes of the language)
_BLOCK = re.compile(
    r"^(?:jeg|du|han|hun|vi|man|os|dem|mig|dig|sig|ham|hende|selv|hvem|hvad|hvilket|hvilken|hvilke|som|der|her|"
    r"men|så|at|hvis|når|fordi|da|idet|mens|selvom|skønt|end|både|hverken|enten|såfremt|medmindre|ifølge|"
    r"ikke|også|ligeledes|desuden|samtidig|derfor|dermed|fortsat|yderligere|især|generelt|endnu|allerede|altid|"
    r"aldrig|kun|blot|bare|ofte|typisk|løbende|heller|nu|jo|dog|vel|nok|tilsvarende|endvidere|herudover|herunder|"
    r"således|hermed|herved|gerne|nemlig|måske|hvorvidt|hvordan|hvorfor|hvor|hvornår|derudover|ellers|alligevel|"
    r"netop|stadig|stadigt|hidtil|fremover|dertil|herefter|ligesom|eksempelvis|fx|bl|heraf|primært|udelukkende|"
    r"alene|helt|ganske|lidt|snart|straks|længere|dels|både|ej|ja|nej|op|ud|ind|ned|hen|frem|videre|sammen|"
    r"er|var|være|været|bliver|blev|blive|blevet|har|havde|have|haft|kan|kunne|skal|skulle|vil|ville|må|måtte|"
    r"bør|burde|får|fik|få|gør|gjorde|gøre|sker|ske|skete|ses|findes|fandtes|fremgår|står|stod|ligger|lå|går|gik|"
    r"kommer|kom|giver|gav|tager|tog|siger|sagde|ser|så|mener|finder|synes|ønsker|håber|vurderer|oplever|"
    r"øvrigt|hjem|hjemme|ude|inde|velkommen|velkomment|velkomne|enig|enige|glad|glade|"
    r"not|is|are|was|were|be|been|has|have|had|can|could|shall|should|will|would|may|must|we|i|you|they|it|"
    r"that|which|who|also|very)$", re.IGNORECASE)
_MODAL = re.compile(r"^(?:at|kan|kunne|skal|skulle|vil|ville|må|måtte|bør|burde|to)$", re.IGNORECASE)
_SUBJECT = re.compile(r"^(?:jeg|du|han|hun|vi|man|der|som|de|den|det|i)$", re.IGNORECASE)
_FINITE = re.compile(r"(?:[^e]r|er|[^eu]s|ede|te|de)$", re.IGNORECASE)  # forms a finite verb takes (tried only in context)
_PASSIVE = re.compile(r"[^cns]es$", re.IGNORECASE)  # "skabes", "prioriteres" (not "proces", nor a genitive "-ernes")
# a head noun is not a participle, an adjective of a derivational ending, a genitive or a passive
_GENITIVE = r"(?:ens|ets|ers|nes|es|[aeioyæøå]s)$"  # "regionens", "udvalgets", "borgers" (not "indsats", "fokus")
_NOT_HEAD = re.compile(rf"(?:ende|ede|ige|lige|ig|lig|isk|iske|somme|bare|{_GENITIVE})", re.IGNORECASE)


@dataclass(frozen=True)
class Tagged:
    words: list[str]
    tags: str  # one letter per word: P preposition, D determiner, J og/eller, M degree, O open, V verb, X blocked


def tag(words: list[str], blocked: list[bool] | None = None) -> Tagged:
    """One class letter per word (see ``Tagged``); ``blocked`` marks words that may not stand in a label (names,
    numbers)."""
    tags: list[str] = []
    for i, word in enumerate(words):
        if i >= 2 and tags[i - 2] == "V" and tags[i - 1] == "J" and not _DET.match(word):
            tags.append("V")  # "at medinddrage og høre": verbs coordinated
        elif blocked is not None and blocked[i]:
            tags.append("X")
        elif _PREP.match(word):
            tags.append("P")
        elif _JOIN.match(word):
            tags.append("J")
        elif _DET.match(word) and not _subject_before_verb(words, i):
            tags.append("D")
        elif _DEGREE.match(word):
            tags.append("M")
        elif _BLOCK.match(word):
            tags.append("X")
        else:
            tags.append("V" if _is_verb(words, i) or _final_infinitive(words, tags, i) else "O")
    return Tagged(words, "".join(tags))


def _final_infinitive(words: list[str], tags: list[str], i: int) -> bool:
    """"I hvilket regi skal coachingen foregå": a clause-final word in -e/-å right after the subject of an earlier
    modal is its infinitive."""
    return i == len(words) - 1 and i >= 2 and tags[i - 1] == "O" and words[i].lower().endswith(("e", "å")) \
        and any(_MODAL.match(w) for w in words[:i - 1])


def _subject_before_verb(words: list[str], i: int) -> bool:
    """"Det kræver …", "De ønsker …": a sentence-opening det/den/de followed by a finite form is a subject."""
    return i == 0 and words[i].lower() in ("det", "den", "de") and i + 1 < len(words) \
        and bool(re.search(r"[rs]$", words[i + 1])) and not _DET.match(words[i + 1])


def _is_verb(words: list[str], i: int) -> bool:
    word = words[i]
    before = words[i - 1].lower() if i > 0 else ""
    after = words[i + 1] if i + 1 < len(words) else ""
    if before and _MODAL.match(before):
        return True  # "at understøtte", "skal sikre"
    k = i - 1
    while k > 0 and i - k <= 3 and _BLOCK.match(words[k]) and not _MODAL.match(words[k]):
        k -= 1  # "vil jeg gerne fastholde", "kan vi understøtte": a subject or an adverb between
    if k < i - 1 and _MODAL.match(words[k]) and words[k].lower() != "at":
        return True
    if len(word) > 4 and _PASSIVE.search(word):
        return True  # "skabes", "tiltrækkes"
    if _FINITE.search(word):
        pronoun = before in ("de", "den", "det")  # or an article: then only a present or passive form follows
        if before and _SUBJECT.match(before) and not (pronoun and (i > 1 or not re.search(r"[rs]$", word))):
            return True  # "vi oplever", "der knytter", "som henvender"
        if after and _SUBJECT.match(after) and after.lower() not in ("de", "den", "det", "i"):
            return True  # "Generelt oplever vi"
    return False


_NOM = r"(?:M?O)+"
_PHRASE = re.compile(rf"D?{_NOM}(?:J{_NOM})?(?:PD?{_NOM}(?:J{_NOM})?){{0,2}}")


def noun_phrases(tagged: Tagged, min_words: int = MIN_WORDS, max_words: int = MAX_WORDS) -> list[tuple[int, int]]:
    """Spans (start, end exclusive) of the words that read as a noun phrase label (see the module docstring)."""
    words, tags = tagged.words, tagged.tags
    spans = []
    for i in range(len(words)):
        if tags[i] not in "OMD":
            continue
        if i > 0 and (tags[i - 1] in "OM" or any(ch.isdigit() for ch in words[i - 1])):
            continue  # a noun phrase cut in two, or a quantity without its number
        if i > 0 and tags[i - 1] == "D" and words[i].lower().endswith("e") and tags[i] == "O":
            continue  # "den [enkelte medarbejder]": an adjective keeps its article (the phrase from "den" is tried)
        if i > 1 and tags[i - 1] == "J" and tags[i - 2] in "OM":
            continue  # a coordination cut in two ("team- og [ledelsescoachingen]")
        for j in range(i + min_words, min(len(words), i + max_words) + 1):
            if not _PHRASE.fullmatch(tags, i, j) or not head_noun(words[j - 1], tags[j - 2] if j - i > 1 else ""):
                continue
            if j < len(words) and tags[j] in "OM":
                continue  # a further open word continues the noun phrase
            if tags[i] == "D" and not (j - i > 2 and tags[i + 1] == "O" and words[i + 1].lower().endswith("e")):
                continue  # an article stays only before an adjective ("den borgerrettede indsats")
            spans.append((i, j))
    return spans


def head_noun(word: str, before: str = "") -> bool:
    """Whether ``word`` can end a noun phrase; ``before`` is the tag of the word before it. An adjective form heads
    its phrase only where no noun could follow it in between: right after a preposition, a determiner or og
    ("inddragelse af pårørende og frivillige")."""
    if word.lower().endswith(("us", "ss")):
        return True
    if not _NOT_HEAD.search(word):
        return True
    return before in ("P", "D", "J") and not re.search(_GENITIVE, word, re.IGNORECASE)


_WORD = re.compile(r"[^\W_][\w-]*", re.UNICODE)


def fragment_reason(label: str) -> str | None:
    """Why ``label`` is not a noun phrase of 2–6 words (a sentence fragment, too short or too long), or None."""
    words = _WORD.findall(label)
    if not MIN_WORDS <= len(words) <= MAX_WORDS:
        return f"{len(words)} words"
    tagged = tag([w.lower() if i == 0 else w for i, w in enumerate(words)])
    tags = tagged.tags
    if "X" in tags or "V" in tags:
        bad = [w for w, t in zip(words, tags) if t in "XV"]
        return "verb, pronoun, adverb or conjunction: " + ", ".join(bad)
    if tags[0] in "PJ":
        return "opens with " + words[0]
    if tags[-1] in "PDJM":
        return "ends without its noun: " + words[-1]
    if not head_noun(words[-1], tags[-2]):
        return "ends in a modifier, genitive or verb form: " + words[-1]
    if not _PHRASE.fullmatch(tags):
        return "not the shape of a noun phrase: " + tags
    return None
