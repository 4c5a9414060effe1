"""The extractive answer (default, no LLM): the most relevant sentences, grouped by document (one voice per
letter, never per sender name), each cited."""

from __future__ import annotations

from answering.citations import in_text_order, make_citation
from answering.texts import describe_filters, none_mention, phrase, sender_labels
from answering.schema import Citation
from index.records import Passage
from index.statements import is_reported, is_statement

MAX_SENDERS = 5  # documents quoted at most
MAX_PER_SENDER = 2  # passages quoted of one document at most


def select_passages(passages: list[Passage], relative: float = 0.55) -> list[Passage]:
    """The passages worth quoting: each document's best passage (one letter must not crowd out the others,
    however high it scores), and further passages of a document only when close to the best one; at most
    MAX_PER_SENDER per document and MAX_SENDERS documents."""
    if not passages:
        return []
    top = passages[0].score
    chosen: list[Passage] = []
    per_doc: dict[str, int] = {}
    for p in passages:
        seen = per_doc.get(p.doc_id, 0)
        if seen and p.score < relative * top:
            continue
        if seen >= MAX_PER_SENDER:
            continue
        if len(per_doc) >= MAX_SENDERS and not seen:
            continue
        per_doc[p.doc_id] = seen + 1
        chosen.append(p)
    return chosen


def extractive_answer(language: str, passages: list[Passage], quote_for, filters) -> tuple[str, list[Citation]]:
    """Answer text with [n] markers and the verified citations behind them (``quote_for(passage) -> str``).

    Quotes are grouped by document, the documents ordered by how well their best quote answers the question
    (``quote_for.score``, when the quote finder keeps one): a letter that scores high on a keyword list but says
    nothing to the question comes after the letters that do. A document's sender is named as
    ``sender_labels`` names it (told apart from another letter of the same sender name)."""
    quoted: dict[str, list[tuple[Passage, str]]] = {}
    for passage, quote in _quotes(passages, quote_for):
        quoted.setdefault(passage.doc_id, []).append((passage, quote))
    score = getattr(quote_for, "score", None)
    order = list(quoted)
    if score is not None:
        order.sort(key=lambda d: -max(score(p.chunk_id) for p, _ in quoted[d]))
    labels = _labels(quote_for, order, passages, language)
    citations: list[Citation] = []
    lines = [phrase(language, "intro"), ""]
    for doc_id in order:
        cites = []
        for passage, quote in quoted[doc_id]:
            citation = make_citation(len(citations) + 1, passage, quote)
            citation.label = labels[doc_id]  # a source header names the letter as the answer does
            if citation.verified:
                citations.append(citation)
                cites.append(citation)
        if cites:
            quotes = " … ".join(f"»{c.quote}« [{c.n}]" for c in cites)
            lines.append(f"- {labels[doc_id]} {phrase(language, 'says')}: {quotes}")
    scope = describe_filters(filters, language)
    if scope:
        lines += ["", scope]
    return in_text_order("\n".join(lines), citations)  # [1] is the first quote of the text, then [2] …


def _quotes(passages: list[Passage], quote_for) -> list[tuple[Passage, str]]:
    """The selected passages with their quotes, each quote once and never another party's words as this letter's.
    A quote that is no statement (a line about the letter itself such as "Høringssvaret er fremlagt for …", a
    letterhead, a contact line: index/statements.py) is left out when another passage gives one that is."""
    chosen: list[tuple[Passage, str]] = []
    seen: set[str] = set()
    for passage in select_passages(passages):
        quote = " ".join(quote_for(passage).split())
        if quote in seen or is_reported(quote):
            continue
        seen.add(quote)
        chosen.append((passage, quote))
    said = [(p, q) for p, q in chosen if is_statement(q)]
    return said or chosen


def _labels(quote_for, doc_ids: list[str], passages: list[Passage], language: str) -> dict[str, str]:
    """Each document's sender as the answer names it (the quote finder's snapshot knows every document)."""
    snap = getattr(quote_for, "snapshot", None)
    labels = sender_labels(doc_ids, snap, language) if snap is not None else {}
    return {**{p.doc_id: p.sender for p in passages}, **labels}


def nearest_quotes(nearest: list[Passage], quote_for, limit: int = 3) -> list[tuple[Passage, str]]:
    """The closest passages with their quote, leaving out any whose quote is no statement (a letterhead, a
    contact line with an e-mail address or phone number, a page header): those are never shown as evidence."""
    shown = []
    for p in nearest:
        quote = " ".join(quote_for(p).split())
        if quote and is_statement(quote):
            shown.append((p, quote))
        if len(shown) >= limit:
            break
    return shown


def not_found_answer(language: str, nearest: list[Passage], filters, quote_for, *, in_scope: int | None = None,
                     topic: str | None = None, uncertain: int = 0) -> str:
    """The refusal, with the closest passages shown as such (never as an answer). Given the number of letters in
    scope, it names them, the scope and the topic ("Ingen af de 2 høringssvar fra Aarhus Kommune nævner et nyt
    fodboldstadion."); without it, the plain "Høringssvarene nævner ikke det, du spørger om"."""
    if in_scope:
        text = none_mention(in_scope, filters, topic, language, uncertain)
    else:
        text = phrase(language, "not_found") + (phrase(language, "in_scope") if not filters.is_empty() else "") + "."
    shown = nearest_quotes(nearest, quote_for)
    if shown:
        lines = [text, "", phrase(language, "nearest")]
        labels = _labels(quote_for, [p.doc_id for p, _ in shown], nearest, language)
        for p, quote in shown:
            lines.append(f"- {labels[p.doc_id]} ({phrase(language, 'page', page=p.page)}): »{quote}«")
        text = "\n".join(lines)
    scope = describe_filters(filters, language)
    return text + (f"\n\n{scope}" if scope else "")
