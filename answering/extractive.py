"""The extractive answer (default, no LLM): the most relevant sentences, grouped by sender, each cited."""

from __future__ import annotations

from answering.citations import make_citation
from answering.texts import describe_filters, phrase
from answering.schema import Citation
from index.records import Passage
from index.statements import is_statement

MAX_SENDERS = 5
MAX_PER_SENDER = 2


def select_passages(passages: list[Passage], relative: float = 0.55) -> list[Passage]:
    """The passages worth quoting: close to the best one, at most two per sender."""
    if not passages:
        return []
    top = passages[0].score
    chosen: list[Passage] = []
    per_sender: dict[str, int] = {}
    for p in passages:
        if p.score < relative * top:
            continue
        if per_sender.get(p.sender, 0) >= MAX_PER_SENDER:
            continue
        if len(per_sender) >= MAX_SENDERS and p.sender not in per_sender:
            continue
        per_sender[p.sender] = per_sender.get(p.sender, 0) + 1
        chosen.append(p)
    return chosen


def extractive_answer(language: str, passages: list[Passage], quote_for, filters) -> tuple[str, list[Citation]]:
    """Answer text with [n] markers and the verified citations behind them (``quote_for(passage) -> str``)."""
    citations: list[Citation] = []
    by_sender: dict[str, list[Citation]] = {}
    for passage in select_passages(passages):
        quote = quote_for(passage)
        if any(c.quote == " ".join(quote.split()) for c in citations):
            continue
        citation = make_citation(len(citations) + 1, passage, quote)
        if citation.verified:
            citations.append(citation)
            by_sender.setdefault(passage.sender, []).append(citation)
    lines = [phrase(language, "intro"), ""]
    for sender, cites in by_sender.items():
        quotes = " … ".join(f"»{c.quote}« [{c.n}]" for c in cites)
        lines.append(f"- {sender} {phrase(language, 'says')}: {quotes}")
    scope = describe_filters(filters, language)
    if scope:
        lines += ["", scope]
    return "\n".join(lines), citations


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


def not_found_answer(language: str, nearest: list[Passage], filters, quote_for) -> str:
    """The plain refusal, with the closest passages shown as such (never as an answer)."""
    text = phrase(language, "not_found") + (phrase(language, "in_scope") if not filters.is_empty() else "") + "."
    shown = nearest_quotes(nearest, quote_for)
    if shown:
        lines = [text, "", phrase(language, "nearest")]
        for p, quote in shown:
            lines.append(f"- {p.sender} ({phrase(language, 'page', page=p.page)}): »{quote}«")
        text = "\n".join(lines)
    scope = describe_filters(filters, language)
    return text + (f"\n\n{scope}" if scope else "")
