"""Which sentences can be evidence: statements, not letterheads, contact blocks, page headers or table headings.

A verdict ("mentions the topic") and every quote must rest on a sentence that says something. Short lines
without sentence punctuation are headings, letterheads ("Høringssvar fra Skive Kommune 12. oktober 2023") or
table header rows; lines with an e-mail address, a web address or a phone number are contact blocks. These
rules are about the form of a line, never about a topic, so they carry over to any hearing.
"""

from __future__ import annotations

import re

_WORD = re.compile(r"[^\W\d_]{2,}")
_CONTACT = re.compile(r"@|https?://|www\.|\b(?:tlf|telefon|mobil|e-?mail|mail|cvr|ean)\b\.?\s*[:.]?\s*\+?\d|\+45\s*\d", re.I)
_PAGE = re.compile(r"^\s*(?:side|page)\s+\d+(?:\s*(?:af|of)\s*\d+)?\b", re.I)
# A page header run into the text ("… specialområder Side 13 Rekruttering/ Arbejds miljø …"): a capitalised
# "Side 13"/"Page 13" inside a line (in running Danish or English text the word is written in lower case).
_RUN_IN_PAGE = re.compile(r"\S\s+(?:Side|Page)\s+\d+\b")
_END = re.compile(r"[.!?:;…][\"”»’)\]]*\s*$")
MIN_WORDS = 5
HEADING_WORDS = 12  # a line this short without sentence punctuation is a heading, not a statement


def is_statement(text: str) -> bool:
    """True when ``text`` (one sentence or line) can stand as evidence for what a letter says: it says something
    (``says_something``) and does not report another party's words (``is_reported``)."""
    return says_something(text) and not is_reported(text)


def says_something(text: str) -> bool:
    """True when ``text`` is a sentence that says something: not a heading, letterhead, contact line, table row,
    list of keywords (``is_keyword_list``) or line about the letter itself (``is_meta_discourse``). Whose words
    they are is ``is_reported``'s question."""
    words = _WORD.findall(text)
    if len(words) < MIN_WORDS or is_keyword_list(text) or is_meta_discourse(text):
        return False
    if _CONTACT.search(text) or _PAGE.search(text) or _RUN_IN_PAGE.search(text):
        return False
    if "\t" in text and len(words) < 2 * HEADING_WORDS:  # a table row of short cells
        return False
    if not _END.search(text) and len(words) < HEADING_WORDS:
        return False
    return True


# Reported speech: another party's words quoted or retold in a letter ("Hedensted Kommune skriver: »Vi har ingen
# ventelister …«", "Ifølge KL er …") are not what the letter itself says, and never evidence of what that party
# says: its own letter is. A quote is reported speech when a reporting verb introduces it, or when
# it is a sentence of its own (REPORTED_QUOTE_WORDS words or more); a quoted title or term ("tilfredshedsunder-
# søgelsen ”Ordet er dit”") is part of the letter's own sentence.
_REPORTING_VERBS = (
    "skriver|skrev|mener|mente|siger|sagde|udtaler|udtalte|anfører|anførte|oplyser|oplyste|fastslår|hævder|"
    "påstår|erklærer|erklærede|melder|meldte|understreger|citerer|writes|wrote|says|said|states|stated|claims|"
    "claimed|argues|argued"
)
_OPEN_QUOTE = "»“„\"”"
_CLOSE_QUOTE = "«”“\""
_INTRODUCED = re.compile(rf"\b(?:{_REPORTING_VERBS})\s*[:,]?\s*$", re.I)
_ACCORDING_TO = re.compile(r"\b(?:[Ii]følge|IFØLGE|[Aa]ccording to)\s+(?:[A-ZÆØÅ]|de\s+andre\b|the\s+other\b)")
REPORTED_QUOTE_WORDS = 6
MAX_QUOTE_CHARS = 1000


def reported_spans(text: str) -> list[tuple[int, int]]:
    """The character spans of ``text`` that report another party's words: each quote introduced by a reporting
    verb, from its opening mark to its closing mark or the end of its paragraph (it may run over several
    sentences and lines), and each quoted sentence (REPORTED_QUOTE_WORDS words or more, closed on its own line)."""
    spans: list[tuple[int, int]] = []
    i = 0
    while True:
        opening = _next_of(text, _OPEN_QUOTE, i)
        if opening < 0:
            return spans
        introduced = bool(_INTRODUCED.search(text[max(0, opening - 40) : opening]))
        stop = "\n\n" if introduced else "\n"  # a quote not introduced is a sentence on one line
        limit = min(len(text), opening + MAX_QUOTE_CHARS)
        limit = next((p for p in [text.find(stop, opening, limit)] if p >= 0), limit)
        closing = _next_of(text, _CLOSE_QUOTE, opening + 1, limit)
        if closing >= 0 and (introduced or len(_WORD.findall(text[opening + 1 : closing])) >= REPORTED_QUOTE_WORDS):
            spans.append((opening, closing + 1))
        elif closing < 0 and introduced:  # the closing mark is missing: the quote runs to its paragraph's end
            spans.append((opening, limit))
        i = closing + 1 if closing >= 0 else opening + 1


def _next_of(text: str, marks: str, start: int, stop: int | None = None) -> int:
    """Position of the first of ``marks`` in ``text[start:stop]``, or -1."""
    found = [p for p in (text.find(m, start, stop if stop is not None else len(text)) for m in marks) if p >= 0]
    return min(found) if found else -1


def is_reported(text: str) -> bool:
    """True when the sentence ``text`` reports another party's words ("X skriver: »…«", a quoted sentence,
    "ifølge X …") or is the rest of a quote whose opening stands in an earlier sentence ("… er fint.«")."""
    if _ACCORDING_TO.search(text) or reported_spans(text):
        return True
    closing = _next_of(text, "«", 0)  # a closing guillemet without its opening: the end of a quoted passage
    return closing >= 0 and _next_of(text, "»", 0, closing) < 0


def statement_flags(text: str, spans) -> list[bool]:
    """For each sentence span of ``text`` (a chunk): whether it is a statement (``is_statement``) outside every
    quote of another party's words in the chunk (a quote may run over several sentences)."""
    reported = reported_flags(text, spans)
    return [says_something(text[a:b]) and not r for (a, b), r in zip(spans, reported)]


_MAY_REPORT = re.compile(rf"[{_OPEN_QUOTE}«]|følge|ccording", re.I)


def reported_flags(text: str, spans) -> list[bool]:
    """For each sentence span of ``text`` (a chunk): whether it reports another party's words, by itself
    (``is_reported``) or inside a quote that runs over several sentences."""
    if not _MAY_REPORT.search(text):
        return [False] * len(spans)
    quotes = reported_spans(text)
    return [is_reported(text[a:b]) or any(a < y and b > x for x, y in quotes) for a, b in spans]


# A list of keywords ("ventelister botilbud ventelister venteliste …") says nothing and must not be evidence
# (nor lift its letter above real statements): a run of words with no function word at all, or one word
# (not a function word) repeated as a quarter of them.
_FUNCTION_WORDS = frozenset(  # Danish and English function words (a vocabulary, not text anyone reads)
    ("og i at er der det en et de den til på for med af som vi jeg ikke har kan skal vil om men fra ved så "
     "også bliver blive være var ud op os vores sig sin sit sine man eller hvor når hvis kun meget mere").split()
    + "the a an and of to is are we in for on with that not be this it our as by".split()
)
KEYWORD_LIST_WORDS = 8


_KEYWORD_LABEL = re.compile(r"^\W*(?:nøgleord|søgeord|emneord|stikord|keywords?|tags?|search\s+terms)\s*:", re.I)


def is_keyword_list(text: str) -> bool:
    """True for a line that is a list of keywords, not a sentence: labelled so ("Nøgleord: …"), without a function
    word, one word stem repeated through it ("ventelister, venteliste, … ventelister til botilbud"), or a long run
    of one- and two-word items between commas with hardly a function word."""
    words = _WORD.findall(text)
    if len(words) < KEYWORD_LIST_WORDS:
        return False
    if _KEYWORD_LABEL.match(text):
        return True
    lowered = [w.lower() for w in words]
    function = sum(w in _FUNCTION_WORDS for w in lowered)
    if not function:
        return True
    stems = [w[:6] for w in lowered if w not in _FUNCTION_WORDS]  # "venteliste", "ventelister": one stem
    most = max((stems.count(w) for w in set(stems)), default=0)
    if most * 4 >= len(lowered) and most >= 3:
        return True
    items = [item.split() for item in re.split(r"[,;]", text) if item.strip()]
    short = sum(len(item) <= 2 for item in items)
    return len(items) >= 6 and short >= 0.8 * len(items) and function * 10 <= len(lowered)


_ADMINISTRATIVE = re.compile(
    r"\b(?:hørings\s?svar\w*|høringsbidrag\w*|udtale-?\s?svar\w*|høringsudkast\w*|høringsmateriale\w*)\b|"
    r"\b(?:er|blevet|været)\s+(?:fremlagt|forelagt|behandlet|godkendt|drøftet|vedtaget)\b|\bhar\s+drøftet\b|"
    r"\btakker\s+for\b|\bvenlig\s+hilsen\b|\binvitationen\s+til\b", re.I)


def is_administrative(text: str) -> bool:
    """A sentence about the letter itself (who received or discussed it, thanks, greetings), not a statement about
    the matter: never a theme's quote or label, never an answer's quote while its passage says more. Wider than
    ``is_meta_discourse`` (which decides evidence): any sentence that names the response ("høringssvar …")."""
    return bool(_ADMINISTRATIVE.search(text)) or is_meta_discourse(text)


# Lines about the letter itself (meta-discourse), not about the matter: the letter or its procedure as subject
# ("Høringssvaret er fremlagt for Udvalget for Social Omsorg …", "Høringssvaret er godkendt af …"), thanks and
# greetings ("Tak for muligheden for at afgive høringssvar", "Med venlig hilsen"), receiving, submitting,
# forwarding or attaching ("Vi har modtaget …", "Hermed fremsendes …", "Vedlagt …", "Vi henviser til …"), and
# pointers to a table, an attachment or what follows ("… fremgår af skemaet indsat nedenfor", "se bilag", "Vi
# vil give følgende opmærksomhedspunkter videre:"). These rules read the *form* of a sentence: the communicative
# act and the letter's own vocabulary for itself, never a topic. A sentence that goes on to say something
# ("Tak for muligheden, men vi er bekymrede for …", "… og vil understrege, at …") is a statement, and so is a
# question; sentences of more than META_WORDS words are taken to say more than the act.
META_WORDS = 40
INTRODUCER_WORDS = 20  # "Vi har følgende bemærkninger:" is short; a long sentence ending in a colon says more
_SUBJECT = r"(?:[\w.()/-]+\s+){1,7}?"  # the subject of the sentence: up to seven words before its verb
_LETTER = (r"(?:hørings\s?svar(?:et)?|høringsbidrag(?:et)?|udtale-?\s?svar(?:et)?|svar(?:et)?|brev(?:et)?|"
           r"notat(?:et)?|udtalelsen?|skrivelsen?|bemærkninger(?:ne)?|kommentarer(?:ne)?|henvendelsen?|"
           r"(?:consultation\s+)?response|letter|submission|reply|comments|note)")
_PROCEDURE = (r"(?:fremlagt|forelagt|godkendt|behandlet|drøftet|vedtaget|sendt|fremsendt|afgivet|udarbejdet|"
              r"skrevet|indsendt|tiltrådt|underskrevet|afsendt|udformet|koordineret|submitted|approved|presented|"
              r"discussed|prepared|sent|endorsed|adopted|signed|forwarded|written|drafted|agreed)")
_POINTER = (r"(?:nedenfor|herunder|nedenstående|i\s+bilag(?:\s*\d+)?|"
            r"i\s+(?:den\s+|det\s+)?(?:vedlagte|vedhæftede)\s+\w+|"
            r"vedlagt|below|attached|enclosed|in\s+the\s+(?:attached|enclosed|following)\s+\w+|"
            r"in\s+(?:the\s+)?(?:annex|appendix|attachment)(?:\s*\d+)?)")
_META_RULES = tuple(re.compile(p, re.IGNORECASE) for p in (
    # closings, greetings and signatures
    r"^(?:med\s+)?(?:venlig(?:st)?e?|de\s+bedste|mange|kærlig|hjertelig)\s+hilsen(?:er)?\b",
    r"^(?:kind|best|warm|with\s+kind|with\s+best)\s+regards\b|^(?:yours\s+(?:sincerely|faithfully|truly)|sincerely)\b",
    r"^(?:på\s+vegne\s+af|on\s+behalf\s+of|p\.\s?v\.)\s",
    r"^(?:kære|dear)\s+[^.!?]{0,60}[,!]?$",
    # thanks
    r"^(?:(?:mange|tusind|hjertelig|stor)\s+)?tak\s+for\b|^(?:many\s+)?thanks\s+for\b|^thank\s+you\b",
    rf"^{_SUBJECT}(?:takker|thanks?|takke|would\s+like\s+to\s+thank)\s+(?:\w+\s+){{0,2}}?for\b",
    r"\b(?:grateful|taknemmelige?)\s+for\s+(?:the\s+opportunity|the\s+invitation|muligheden|invitationen)\b",
    # the letter (or its comments) as the subject of a procedure; the letter approved or discussed
    (rf"^(?:(?:dette|denne|disse|det|den|de|vores|vort|vor|nærværende|this|the|our|these)\s+)?(?:\w+\s+)?{_LETTER}\s+"
     rf"(?:(?:er|blev|bliver|vil\s+blive|har\s+været|is|was|has\s+been|have\s+been|will\s+be|are|were)\s+)?"
     rf"(?:\w+\s+){{0,2}}?{_PROCEDURE}\b"),
    (rf"\b(?:har|have|has)\s+(?:\w+\s+){{0,2}}?(?:godkendt|tiltrådt|behandlet|drøftet|approved|endorsed|discussed)\s+"
     rf"(?:\w+\s+){{0,2}}?(?:{_LETTER})\b"),
    # a body has discussed or considered the proposal (the procedure, not a view of it)
    (rf"^{_SUBJECT}(?:har|have|has)\s+(?:\w+\s+){{0,2}}?(?:drøftet|behandlet|discussed|considered|reviewed)\s+"
     r"(?:[\w-]+\s+){0,2}?[\w-]*(?:forslag|udkast|høring|materiale|plan|proposal|draft|consultation)"),
    # received, submitted, forwarded, attached, referred to
    (rf"^{_SUBJECT}(?:har|have|has)\s+(?:\w+\s+){{0,3}}?(?:modtaget|received)\s+(?:\w+\s+){{0,3}}?"
     r"[\w-]*(?:høring|invitation|materiale|brev|henvendelse|udkast|forslag|mail|consultation|letter|draft|"
     r"proposal|document|request)"),
    (r"^(?:\S+\s+){0,8}?(?:hermed|herved|hereby)\b.*\b(?:fremsend|sende|sendes|afgive|afgiver|afgives|indsend|"
     r"submit|forward|vedlæg|enclose|følger)"),
    (r"^(?:vedlagt|vedhæftet|attached|enclosed|please\s+find)\b|"
     r"\b(?:er|is|are)\s+(?:hermed\s+)?(?:vedlagt|vedhæftet|attached|enclosed)\s*[.:]?$"),
    (r"^\(?(?:se|jf\.?|see|cf\.?|please\s+see)\s+(?:\w+\s+){0,2}?(?:bilag\w*|vedlagte|vedhæftede|nedenfor|nedenstående|"
     r"herunder|ovenfor|ovenstående|skema\w*|tabel\w*|attachment|annex\w*|appendix|enclosure|below|above|table)\b"),
    rf"^{_SUBJECT}(?:henviser|refererer|refer|refers)\s+(?:\w+\s+){{0,2}}?(?:til|to)\s+(?!,|at\b|that\b|the\s+fact\b)",
    # contact and availability
    (r"\b(?:kan|bedes)\s+rettes\s+til\b|\b(?:står|stiller\s+os)\s+gerne\s+til\s+rådighed\b|\buddyber\s+gerne\b|"
     r"\bdo\s+not\s+hesitate\s+to\s+contact\b|\bplease\s+contact\b|"
     r"\b(?:happy|glad)\s+to\s+(?:elaborate|discuss|answer)\b"),
))
# pointers: a sentence (no clause boundary) that says where the comments stand, or introduces what follows
_POINTS_TO = re.compile(
    rf"^[^,;]*\b(?:fremgår|findes|ses|fremkommer|følger|er\s+(?:samlet|beskrevet|angivet|opstillet|uddybet|listet|"
    rf"vist|indsat|gengivet)|appears?|follows?|can\s+be\s+found|(?:is|are)\s+(?:set\s+out|listed|given|shown|"
    rf"summari[sz]ed|described))\b[^,;]*\b{_POINTER}\s*[.:]?$|"
    r"^[^,;]*\bfremgår\s+af\s+(?:det\s+|den\s+|de\s+)?(?:vedlagte\s+|vedhæftede\s+|nedenstående\s+|følgende\s+)?"
    r"(?:skema\w*|bilag\w*|tabel\w*|oversigt\w*)(?:\s+\w+){0,2}\s*[.:]?$", re.IGNORECASE)
_INTRODUCES = re.compile(r"^[^,;]*\b(?:følgende|nedenstående|the\s+following|as\s+follows|som\s+følger)\b[^:,;]*:$",
                         re.IGNORECASE)
# A sentence that goes on after the act to say something: "… og vil understrege, at …", "…, men …", or a further
# clause that is neither more thanks or greeting ("Tak for ordet, og tak for talen"), a vocative ("…, formand,"),
# nor more procedure ("Hermed fremsendes høringssvaret, som er godkendt af byrådet").
_GOES_ON = re.compile(
    r"\b(?:men|but|however|fordi|because|idet)\b|\bog\s+(?:vi|jeg|vil|skal|kan|må|ønsker|mener|finder|ser|er|har|"
    r"understreger|bemærker|opfordrer|anbefaler)\b|\band\s+(?:we|i|would|will|want|believe|find|note|are|have|stress|"
    r"urge|recommend)\b", re.IGNORECASE)
_CLAUSE = re.compile(r"\s*[,;–—]\s+")
_MORE_OF_THE_ACT = re.compile(
    rf"^(?:(?:og|and|også|i\s+øvrigt|also)\s+)*(?:(?:mange|tusind|stor)\s+)?(?:tak|thanks?|tillykke|velkommen|"
    rf"congratulations|welcome|med\s+venlig)\b|\b{_PROCEDURE}\b", re.IGNORECASE)


def _goes_on(line: str) -> bool:
    """Whether ``line`` says more than its act (thanks, a pointer, a procedure): see ``_GOES_ON``."""
    if _GOES_ON.search(line):
        return True
    further = _CLAUSE.split(line)[1:]
    return any(len(p.split()) > 2 and not _MORE_OF_THE_ACT.search(p) for p in further)


# Words one of the rules needs (a quick test before the rules run: most sentences have none of them); "_" marks
# the start of a word.
_MAY_BE_META = tuple(w.replace("_", " ") for w in (
    "hilsen regards sincerely vegne behalf _p.v kære dear _tak thank grateful _svar hørings udtale _brev notat "
    "udtalelse skrivelse bemærkning kommentar henvendelse response letter submission reply comments _note drøftet "
    "behandlet discussed considered reviewed modtaget received hermed herved hereby vedlagt vedhæftet attached "
    "enclosed please bilag _se_ _jf _see_ _cf henviser refererer refer rettes rådighed uddyber contact elaborate "
    "nedenfor herunder nedenstående below annex appendix attachment fremgår følgende following follows").split())
_BULLET = re.compile(r"^\s*(?:[-•–*]|\d{1,2}[.)])\s+")


def is_meta_discourse(text: str) -> bool:
    """True when the sentence ``text`` is about the letter itself or its procedure, not about the matter: the
    response as the subject of a procedure ("Høringssvaret er fremlagt for …", "… er godkendt af …"), thanks and
    greetings ("Tak for muligheden for at afgive høringssvar", "Med venlig hilsen"), receiving, submitting,
    forwarding, attaching or referring ("Vi har modtaget …", "Vi henviser til …"), or a pointer to a table, an
    attachment or what follows ("… fremgår af skemaet indsat nedenfor", "se bilag", "… følgende punkter videre:").
    Rules about the form of the sentence (``_META_RULES``), never about its topic."""
    lowered = " " + text.lower().lstrip("(-•–* ")
    if not any(word in lowered for word in _MAY_BE_META):
        return False
    line = _BULLET.sub("", " ".join(text.split()))
    if not line or line.endswith("?") or len(line.split()) > META_WORDS:
        return False
    if _POINTS_TO.search(line) or (_INTRODUCES.search(line) and len(line.split()) <= INTRODUCER_WORDS):
        return True
    if not any(rule.search(line) for rule in _META_RULES):
        return False
    return not _goes_on(line)
