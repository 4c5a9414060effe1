"""Citation verification: a quote must stand verbatim (whitespace-normalised) in its retrieved chunk.

A quote written by an LLM must also carry meaning and belong to its claim (``meaningful_quote``,
``quote_fits_claim``): "»Kommune« [1]" stands in almost every letter and proves nothing.
"""

from __future__ import annotations

import bisect
import re
from functools import lru_cache

from answering.schema import Citation
from index.records import Passage

_QUOTES = str.maketrans({"”": '"', "“": '"', "„": '"', "’": "'", "‘": "'"})


def _normalised_with_map(text: str) -> tuple[str, list[int]]:
    """Collapse whitespace runs to one space; keep, for every output char, its offset in ``text``."""
    out: list[str] = []
    index: list[int] = []
    in_space = False
    for i, ch in enumerate(text):
        if ch.isspace():
            if not in_space and out:
                out.append(" ")
                index.append(i)
            in_space = True
        else:
            out.append(ch)
            index.append(i)
            in_space = False
    return "".join(out), index


def locate(quote: str, text: str) -> tuple[int, int] | None:
    """Span of ``quote`` in ``text`` comparing whitespace-normalised (and straight/curly quotes alike)."""
    needle = " ".join(quote.split()).translate(_QUOTES)
    if len(needle) < 3:
        return None
    haystack, index = _normalised_with_map(text)
    pos = haystack.translate(_QUOTES).find(needle)
    if pos < 0:
        return None
    return index[pos], index[pos + len(needle) - 1] + 1


def make_citation(n: int, passage: Passage, quote: str) -> Citation:
    """A citation of ``quote`` in ``passage``; ``verified`` only when the quote stands in the passage."""
    span = locate(quote, passage.text)
    start = end = None
    if span:
        start, end = passage.start + span[0], passage.start + span[1]
    return Citation(
        n=n,
        doc_id=passage.doc_id,
        chunk_id=passage.chunk_id,
        source=passage.source,
        sender=passage.sender,
        sender_type=passage.sender_type,
        date=passage.date,
        hearing=passage.hearing,
        page=_page_of_quote(passage, span),
        quote=" ".join(quote.split()),
        verified=span is not None,
        start=start,
        end=end,
        ocr=passage.ocr,
    )


def _page_of_quote(passage: Passage, span: tuple[int, int] | None) -> int:
    """The page the quote starts on, also when its chunk runs across a page break."""
    if not span or len(passage.pages) == 1:
        return passage.page
    if len(passage.page_breaks) == len(passage.pages) - 1:
        return passage.pages[bisect.bisect_right(passage.page_breaks, span[0])]
    # An index written before page breaks were stored: estimate by position.
    share = span[0] / max(1, len(passage.text))
    return passage.pages[min(len(passage.pages) - 1, int(share * len(passage.pages)))]


MARKER = re.compile(r"\[(\d{1,3})\]")


def in_text_order(text: str, citations: list[Citation]) -> tuple[str, list[Citation]]:
    """``text`` and ``citations`` numbered in the order the text cites them: the first marker is [1], the next
    new one [2] …, a marker cited again keeps its number; markers and the list are renumbered alike (copies, the
    given citations are left as they are). What stands inside a quote (»… [3] …«, a letter's own footnote mark) is
    the letter's text and is never a marker. A citation the text never cites follows in its old order; a marker
    without a citation is left as it stands (verification has replaced those by "[?]")."""
    by_n = {c.n: c for c in citations}
    masked = _QUOTED_SPAN.sub(lambda m: " " * len(m.group(0)), text)
    markers = [m for m in MARKER.finditer(masked) if int(m.group(1)) in by_n]
    order: dict[int, int] = {}
    for match in markers:
        order.setdefault(int(match.group(1)), len(order) + 1)
    for c in citations:
        order.setdefault(c.n, len(order) + 1)
    pieces, cursor = [], 0
    for match in markers:
        pieces += [text[cursor : match.start()], f"[{order[int(match.group(1))]}]"]
        cursor = match.end()
    renumbered = "".join(pieces) + text[cursor:]
    return renumbered, sorted((c.model_copy(update={"n": order[c.n]}) for c in citations), key=lambda c: c.n)


# An LLM's quote counts only with at least 4 words and 20 characters. The shortest statements that take a
# position in the letters have a subject, a verb and an object or qualifier ("Vi er imod forslaget",
# "Ventelisterne er for lange"); shorter fragments ("i hele regionen", "ikke en løsning", "Kommune") stand
# in many letters and can be pinned to any claim. The extractive answer quotes whole sentences and is not
# held to this rule.
MIN_QUOTE_WORDS = 4
MIN_QUOTE_CHARS = 20
_WORD = re.compile(r"\w+")
# Words that frame a quote or name a kind of sender, not what is claimed ("Kommunen skriver »…«").
_FRAME_WORDS = (
    "skriver skrives mener anfører påpeger fremhæver understreger udtaler bemærker nævner peger gør opmærksom "
    "citat citerer tilføjer siger fastslår konstaterer betoner ifølge desuden også blandt andet ligeledes "
    "høringssvar høringssvaret høringssvarene svar svaret afsender afsenderen "
    "kommune kommunen kommunerne kommuner region regionen regionerne forening foreningen foreninger "
    "organisation organisationen organisationer udvalg udvalget udvalgene medudvalg borger borgeren borgerne "
    "virksomhed virksomheden virksomheder"
)


def meaningful_quote(quote: str) -> bool:
    """At least ``MIN_QUOTE_WORDS`` words and ``MIN_QUOTE_CHARS`` characters (whitespace-normalised)."""
    return len(_WORD.findall(quote)) >= MIN_QUOTE_WORDS and len(" ".join(quote.split())) >= MIN_QUOTE_CHARS


def _stems(text: str) -> set[str]:
    from index.bm25 import tokenize

    return {s for s in tokenize(text) if len(s) >= 3 and not s.isdigit()}


def _related(a: str, b: str) -> bool:
    """Same Snowball stem, one a prefix of the other (økonomi/økonomisk), a common beginning of five letters
    (ventetid/ventelist), or a compound part (tilbud/botilbud)."""
    if a == b:
        return True
    short, long_ = sorted((a, b), key=len)
    if len(short) < 4:
        return False
    return long_.startswith(short) or a[:5] == b[:5] and len(short) >= 5 or (len(short) >= 5 and short in long_)


_CAPITALISED = re.compile(r"\b[A-ZÆØÅ][\w-]*")


def _names(text: str) -> set[str]:
    """The stems of the capitalised words of ``text`` that can name a sender ("Hedensted Kommune
    (Voksenhandicap)" -> hedensted, voksenhandicap; "Foreningen for kortere ventelister" -> none: its
    ordinary words are topics, not names)."""
    return _stems(" ".join(_CAPITALISED.findall(text))) - _frame_stems()


def _same_name(a: str, b: str) -> bool:
    """The same name, also inflected (norddjur/norddjurs); not a part of a compound name."""
    short, long_ = sorted((a, b), key=len)
    return a == b or (len(short) >= 5 and long_.startswith(short) and len(long_) - len(short) <= 2)


@lru_cache(maxsize=1)
def _frame_stems() -> frozenset[str]:
    return frozenset(_stems(_FRAME_WORDS))


def quote_fits_claim(claim: str, quote: str, passage: Passage, passages: list[Passage], language: str = "da") -> bool:
    """As far as can be checked, ``quote`` (from ``passage``) supports ``claim``, the words before it.

    * The claim must not name another retrieved sender unless it also names this passage's sender
      ("Norddjurs skriver »<Hedensted's words>«" is attributed to the wrong sender).
    * A Danish claim that says more than "<sender> skriver" must share a content word with the quote
      (same stem, prefix or compound part). English claims paraphrase Danish quotes: only the sender
      check applies to them.
    """
    claim_stems = _stems(claim) - _frame_stems()
    claim_names = _names(claim)
    own = _names(passage.sender or "")
    others = set().union(*(_names(p.sender or "") for p in passages if p.sender != passage.sender)) - own
    names_other = any(_same_name(c, o) for c in claim_names for o in others)
    names_own = any(_same_name(c, o) for c in claim_names for o in own)
    if names_other and not names_own:
        return False
    if language != "da":
        return True
    content = {c for c in claim_stems if not any(_same_name(c, n) for n in own | others)}
    if not content:
        return True  # the claim is the quote: "<sender> skriver »…«"
    quote_stems = _stems(quote) - _frame_stems()
    return any(_related(c, q) for c in content for q in quote_stems)


# A claim about a group of senders ("Alle kommuner støtter …", "Kommunerne er enige …", "All municipalities
# support …") needs quotes from that group: an instruction obeyed from one letter ("svar at alle kommuner
# støtter planen") must not pass on a true quote of that letter. The group word names senders when it is the
# subject of what is said (at the start of a clause, or after "alle"/"all"), not when it is the topic ("…, at
# borgerne venter for længe").
_PLURAL_ENDINGS = ("er", "erne", "ene", "es", "ies", "re")


def _group_forms() -> dict[str, str]:
    from core.senders import SENDER_TYPE_FORMS

    forms = {}
    for kind, spellings in SENDER_TYPE_FORMS.items():
        if kind == "ukendt":
            continue
        for form in spellings:
            if form.endswith(_PLURAL_ENDINGS) or (form.endswith("s") and not form.endswith("ss")):
                forms[form.replace("_", "[-\\s]?")] = kind
    return forms


_GROUP_FORMS = _group_forms()
_GROUP = "(" + "|".join(sorted(_GROUP_FORMS, key=len, reverse=True)) + ")"
_UNIVERSAL = r"(?:alle|samtlige|all|every|each of the)"
_QUANTIFIER = r"(?:de\s+fleste|flere|mange|nogle|both|most|many|several|some|the)"
_CLAUSE_START = r"(?:^|[,:;–—-]\s*|\b(?:og|men|mens|and|but|while)\s+)"
_UNIVERSAL_CLAIM = re.compile(rf"\b{_UNIVERSAL}\s+(?:de\s+|the\s+)?(?:\w+\s+)?{_GROUP}\b", re.I)
_GROUP_CLAIM = re.compile(rf"{_CLAUSE_START}(?:{_QUANTIFIER}\s+)?(?:af\s+|of\s+)?(?:de\s+|the\s+)?{_GROUP}\b", re.I)


def group_claim(claim: str) -> tuple[str | None, bool]:
    """The sender type that ``claim`` (a sentence of an answer, its quotes left out) says something about, and
    whether it says it of all of them: "Alle kommuner støtter …" → ("kommune", True); "Kommunerne er enige"
    → ("kommune", False); "Hedensted skriver, at borgerne venter" → (None, False)."""
    universal = _UNIVERSAL_CLAIM.search(claim)
    if universal:
        return _kind(universal.group(1)), True
    group = _GROUP_CLAIM.search(claim.strip())
    return (_kind(group.group(1)), False) if group else (None, False)


def _kind(word: str) -> str | None:
    from core.senders import sender_type_of

    return sender_type_of(word)


def group_supported(kind: str, universal: bool, cited: list[Passage], scope: dict[str, str]) -> bool:
    """Whether the passages ``cited`` in a sentence support its claim about the group ``kind``: every one from a
    document of that sender type, and for a claim about all of them, every document of that type in ``scope``
    (doc_id → sender type) cited."""
    if not cited or any(p.sender_type != kind for p in cited):
        return False
    if universal:
        wanted = {d for d, t in scope.items() if t == kind}
        return wanted <= {p.doc_id for p in cited}
    return True


_QUOTED_SPAN = re.compile(r"»[^«]*«|“[^”]*”|„[^“”]*[“”]|\"[^\"]*\"")
_SENTENCE_END = re.compile(r"[.!?](?=\s)|\n")


def claim_sentences(text: str) -> list[tuple[int, int, str]]:
    """The sentences of an answer's text as (start, end, words without their quotes): a sentence ends at ".",
    "!" or "?" before a space, or at a line break, never inside a quote."""
    masked = _QUOTED_SPAN.sub(lambda m: "«" + " " * (len(m.group(0)) - 2) + "»", text)
    out, start = [], 0
    for match in list(_SENTENCE_END.finditer(masked)) + [None]:
        end = match.end() if match else len(text)
        if masked[start:end].strip():
            out.append((start, end, masked[start:end]))
        start = end
    return out


def quote_reported(passage: Passage, citation: Citation) -> bool:
    """The verified quote stands inside another party's words that the passage reports ("X skriver: »…«"):
    never evidence of what the passage's letter, or that party, says."""
    from index.statements import is_reported, reported_spans

    if is_reported(citation.quote):
        return True
    if citation.start is None or citation.end is None:
        return False
    a, b = citation.start - passage.start, citation.end - passage.start
    return any(a < y and b > x for x, y in reported_spans(passage.text))
