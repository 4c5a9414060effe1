""""Ingen bemærkninger": a letter that only says it has no remarks, recognised from the form of its sentences.

Danish authorities answer a hearing they have nothing to add to in a handful of set forms ("Kommunen har ingen
bemærkninger til høringen", "… giver ikke anledning til bemærkninger", "Vi har ingen indsigelser", "… tager
orienteringen til efterretning", "… kan tiltræde forslaget uden bemærkninger", "No comments."), often as a
one-line mail body between a greeting and a signature. A letter is *no remarks* when one of its sentences says
so and nothing substantive remains once that sentence, greetings, signatures, contact blocks, addresses, dates,
headings and lines about the letter itself are set aside (index.statements decides which lines say something).
A letter with no remarks to one part that goes on to comment on another has content, so it is not.

Rules about the form of a sentence (the act of declining to remark), never about a topic; no model, no storage.
Lives in retrieval (next to coverage and the verdicts) because it reads a letter's text to decide an outcome of
the hearing; it needs only index.statements below it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from index.statements import _goes_on, is_meta_discourse, is_statement

# the nouns of a remark, Danish and English
_NOUN = (r"(?:bemærkninger|bemærkning|kommentarer|kommentar|indsigelser|indsigelse|indvendinger|indvending|"
         r"remarks|comments|objections|observations)")
_NO = r"(?:ingen|ikke\s+(?:nogen\s+|nogle\s+)?|no|not\s+any|nothing\s+in\s+the\s+way\s+of)"
_FURTHER = r"(?:(?:yderligere|særlige|videre|konkrete|væsentlige|further|additional|particular|specific)\s+)?"
NO_REMARKS_RULES: tuple[tuple[str, re.Pattern[str]], ...] = tuple((name, re.compile(p, re.IGNORECASE)) for name, p in (
    # "X har ingen bemærkninger", "Der er ikke bemærkninger fra …", "We have no comments"
    ("has_none", rf"\b(?:har|er|have|has|are|is)\s+(?:[\w.-]+\s+){{0,4}}?{_NO}\s*{_FURTHER}{_NOUN}\b"),
    # a subordinate clause puts the negation before the verb: "…, at man ikke har bemærkninger til høringen"
    ("has_none_clause", rf"\b(?:ikke|aldrig)\s+(?:har|havde|er)\s+(?:nogen\s+|nogle\s+)?{_FURTHER}{_NOUN}\b"),
    # "Ingen bemærkninger.", "No comments", "Ingen yderligere kommentarer fra Skive Kommune"
    ("bare", rf"^\W*(?:ingen|no)\s+{_FURTHER}{_NOUN}\b"),
    # "… giver ikke anledning til bemærkninger", "… does not give rise to any comments"
    ("no_cause", (rf"\b(?:giver|gav|har\s+givet|give|gives)\s+(?:\w+\s+){{0,2}}?(?:ikke|ingen)\s+(?:\w+\s+)?"
                 rf"anledning\s+til\s+(?:\w+\s+){{0,2}}?{_NOUN}\b|"
                 rf"\b(?:ikke|ingen)\s+(?:\w+\s+)?(?:giver|gav|har\s+givet)\s+anledning\s+til\s+(?:\w+\s+){{0,2}}?{_NOUN}\b|"
                 rf"\b(?:does|do|did)\s+not\s+give\s+rise\s+to\s+(?:any\s+)?{_FURTHER}{_NOUN}\b")),
    # "… tager orienteringen til efterretning." (the act, nothing after it)
    ("noted", (r"\b(?:tager|tages|taget|tog)\s+(?:[\w-]+\s+){0,4}?til\s+efterretning\s*[.!]?\s*$|"
              r"\b(?:takes?|taken|take)\s+note\s+of\s+(?:the\s+)?(?:consultation|proposal|draft|information)\s*[.!]?$")),
    # "… kan tiltræde forslaget uden bemærkninger", "… godkendes uden bemærkninger"
    ("without", (rf"\b(?:tiltræde|tiltræder|tiltrædes|godkende|godkender|godkendes|vedtage|vedtager|vedtages|"
                rf"acceptere|accepterer|anbefale|anbefaler|tage|tager|tages|approve|approves|endorse|accept)\s+"
                rf"(?:[\w-]+\s+){{0,5}}?uden\s+{_FURTHER}{_NOUN}\b")),
    # "… har intet at bemærke", "… har ikke noget at tilføje", "nothing to add"
    ("nothing_to", (r"\b(?:intet|ikke\s+noget|ikke\s+yderligere|nothing)\s+(?:\w+\s+)?(?:at|to)\s+(?:bemærke|indvende|"
                   r"tilføje|kommentere|add|remark|comment)\b")),
    # "… ønsker ikke at afgive bemærkninger/høringssvar", "… does not wish to comment"
    ("declines", (r"\b(?:ønsker|vil)\s+(?:\w+\s+)?ikke\s+at\s+(?:afgive|komme\s+med|kommentere)\b|"
                 r"\b(?:does|do)\s+not\s+wish\s+to\s+(?:comment|submit|make)\b")),
))
# a sentence that declines to remark on one thing and then remarks ("…, men vi ønsker …", "… bortset fra …")
_EXCEPT = re.compile(r"\b(?:bortset\s+fra|undtagen|dog|med\s+undtagelse\s+af|except|apart\s+from|other\s+than|"
                     r"følgende|nedenstående|the\s+following)\b", re.IGNORECASE)
_GOES_ON = re.compile(r"\b(?:men|but|however|fordi|because|idet|dog|although|selvom|skønt)\b|"
                      r"\bog\s+(?:vi|jeg)\s+(?:ønsker|mener|vil|skal|opfordrer|anbefaler|finder|foreslår)\b",
                      re.IGNORECASE)
NO_REMARKS_WORDS = 40  # a sentence longer than this says more than that it has no remarks

# lines that say nothing about the matter: dates, subject lines, salutations, names and bare addresses are caught
# by index.statements (too short or not a sentence); these are the procedural sentences around "no remarks"
# ("Kommunen har gennemgået det fremsendte materiale.", "Vi har læst høringsmaterialet.")
_PROCEDURAL = re.compile(
    r"^(?:hermed|herved|hereby)\b|"
    r"\b(?:har|have|has)\s+(?:[\w.-]+\s+){0,3}?(?:gennemgået|læst|set\s+på|kigget\s+på|modtaget|behandlet|drøftet|"
    r"vurderet|reviewed|read|received|considered|examined)\b", re.IGNORECASE)
PROCEDURAL_WORDS = 20

_LINE_END = re.compile(r"[.!?:;…][\"”»’)\]]*\s*$")
_SENTENCE_BREAK = re.compile(r"(?<=[.!?])[\"”»’)\]]*\s+(?=[\"“»(]?[A-ZÆØÅ0-9])")


@dataclass(frozen=True)
class NoRemarks:
    """Whether a letter only says it has no remarks: the sentence that says so, and why the answer is what it
    is (``reason``: "only_no_remarks", "has_content", "no_marker" or "empty")."""

    found: bool
    sentence: str | None
    reason: str
    rule: str | None = None
    content: str | None = None  # the first substantive sentence when there is one


def split_sentences(text: str) -> list[str]:
    """The sentences of a letter: wrapped lines joined (a line ending in a hyphen or followed by a line in lower
    case continues), then split after sentence punctuation. Short lines of a mail (greeting, name, title, phone)
    stay lines of their own."""
    units: list[str] = []
    for raw in text.splitlines():
        line = " ".join(raw.split())
        if not line:
            continue
        if units and _continues(units[-1], line):
            prev = units[-1]
            units[-1] = prev[:-1] + line if prev.endswith("-") and line[:1].islower() else f"{prev} {line}"
        else:
            units.append(line)
    return [s.strip() for unit in units for s in _SENTENCE_BREAK.split(unit) if s.strip()]


def _continues(previous: str, line: str) -> bool:
    if previous.endswith("-") and not previous.endswith(" -"):
        return True
    return line[:1].islower() and not _LINE_END.search(previous)


def no_remarks_rule(sentence: str) -> str | None:
    """The name of the rule by which ``sentence`` says its sender has no remarks, or None. A sentence that goes
    on ("…, men …"), makes an exception ("bortset fra …"), introduces what follows or asks is not one."""
    line = " ".join(sentence.split())
    if not line or line.endswith(("?", ":")) or len(line.split()) > NO_REMARKS_WORDS:
        return None
    if _EXCEPT.search(line) or _GOES_ON.search(line):
        return None
    return next((name for name, rule in NO_REMARKS_RULES if rule.search(line)), None)


def is_filler(sentence: str) -> bool:
    """True when ``sentence`` says nothing about the matter: not a statement (heading, date, name, address,
    contact line, greeting, letterhead), a line about the letter itself, or a procedural sentence ("Vi har
    gennemgået materialet.")."""
    if not is_statement(sentence) or is_meta_discourse(sentence):
        return True
    line = " ".join(sentence.split())
    return bool(_PROCEDURAL.search(line)) and len(line.split()) <= PROCEDURAL_WORDS and not _goes_on(line)


def no_remarks(text: str) -> NoRemarks:
    """Whether the letter ``text`` only says it has no remarks (see the module's docstring)."""
    sentences = split_sentences(text or "")
    if not sentences:
        return NoRemarks(False, None, "empty")
    marked = [(s, rule) for s in sentences if (rule := no_remarks_rule(s))]
    if not marked:
        return NoRemarks(False, None, "no_marker")
    first, rule = marked[0]
    said = {s for s, _ in marked}
    content = next((s for s in sentences if s not in said and not is_filler(s)), None)
    if content is not None:
        return NoRemarks(False, first, "has_content", rule, content)
    return NoRemarks(True, first, "only_no_remarks", rule)
