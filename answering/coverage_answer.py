"""The who-says-what answer: "1 af 2 kommuner nævner ventelister: Hedensted Kommune (…) [1]. Norddjurs Kommune
nævner det ikke." Every document in scope is accounted for; citations are verified as everywhere else.

With uncertain verdicts (retrieval/verdict.py) the lead carries their count and each state has its own line:
"2 af 5 kommuner nævner ventelister · 1 usikker." / "Nævner det: …" / "Usikkert: Norddjurs Kommune (»…« [3])." /
"… nævner det ikke." An uncertain letter is quoted with its best sentence, so a person decides it in seconds."""

from __future__ import annotations

from typing import Callable

from answering.chat_model import ChatModel
from answering.citations import make_citation
from answering.sentences import QuoteFinder
from answering.texts import describe_filters, no_match, sender_labels
from answering.topic import topic_of
from core.phrases import LANGUAGES, PHRASES, message
from core.senders import SENDER_TYPES, sender_type_label
from retrieval.coverage import CoverageResult, document_verdicts
from answering.schema import Answer, CoverageEntry
from answering.trace import coverage_trace
from index.snapshot import Snapshot
from ingest.campaigns import MIN_SIZE, group_campaigns
from retrieval.no_remarks import no_remarks
from retrieval.question import Query
from retrieval.schema import Verdict
from retrieval.search import Searcher
from retrieval.verdict import ORDER

def _word(language: str, key: str, **params: object) -> str:
    """A word of the who-says-what sentence ("af", "nævner" …) from the phrasebook."""
    return message(f"coverage.{key}", language, **params)


def _join(names: list[str], word: str) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + f" {word} " + names[-1]


Progress = Callable[[int, int], None]


def stance_word(stance: str | None, language: str) -> str:
    """An LLM's stance ("støtter") in the answer's language ("supports"); "" without one."""
    if not stance:
        return ""
    return message(f"stance.{stance}", language) if f"stance.{stance}" in PHRASES else stance


def _group(kind: str | None, lang: str) -> str:
    return sender_type_label(kind, lang, "group") if kind in SENDER_TYPES else _word(lang, "responses")


def _topic(question: str, lang: str) -> str:
    return topic_of(question, lang) or _word(lang, "topic")


def lead_sentence(answer: Answer) -> str:
    """The short lead of a who-says-what answer, for a shell that shows the verdicts as a table:
    "1 af 2 kommuner nævner ventelister." or "2 af 5 kommuner nævner ventelister · 1 usikker." (the counts, no
    quotes); the answer's text when nothing was in scope."""
    counts = answer.counts or {}
    n_scope, k, u = counts.get("in_scope", 0), counts.get("mentions", 0), counts.get("uncertain", 0)
    if answer.method != "coverage" or not n_scope:
        return answer.text
    lang = answer.language
    topic = _topic(answer.question, lang)
    verb = _word(lang, "mention_one" if k == 1 else "mention")
    lead = f"{k} {_word(lang, 'of')} {n_scope} {_group(answer.filters.sender_type, lang)} {verb} {topic}{_uncertain(u, lang)}."
    return lead + (" " + _word(lang, "none", topic=topic) if k == 0 and u == 0 else "")


_no_remarks_memo: dict[tuple[int, str], bool] = {}


def _only_no_remarks(snap: Snapshot | None, doc_id: str) -> bool:
    """Whether the letter only says it has no remarks (retrieval/no_remarks.py), remembered per index version."""
    if snap is None:
        return False
    key = (snap.version, doc_id)
    if key not in _no_remarks_memo:
        if len(_no_remarks_memo) > 100_000:
            _no_remarks_memo.clear()
        _no_remarks_memo[key] = no_remarks(snap.document_text(doc_id)).found
    return _no_remarks_memo[key]


def _campaign_counts(snap: Snapshot | None, mentioning: list[str]) -> dict[str, int]:
    """Campaign letters among the letters that mention the topic (ingest/campaigns.py: near-identical letters of
    one template): {"letters": in campaigns, "campaigns": how many, "distinct": the letters with each campaign
    counted once}; {} when there are none (or fewer letters than a campaign needs)."""
    if snap is None or len(mentioning) < MIN_SIZE:
        return {}
    found = group_campaigns([(doc_id, snap.document_text(doc_id)) for doc_id in mentioning])
    members = sum(len(c.members) for c in found)
    if not found:
        return {}
    return {"letters": members, "campaigns": len(found), "distinct": len(mentioning) - members + len(found)}


def _uncertain(u: int, lang: str) -> str:
    """" · 1 usikker" after the count of a who-says-what lead; "" without uncertain verdicts."""
    return " · " + _word(lang, "uncertain_count" if u == 1 else "uncertain_count_plural", n=u) if u else ""


def coverage_answer(query: Query, searcher: Searcher, snap: Snapshot, *, llm: ChatModel | None = None,
                    on_progress: Progress | None = None) -> Answer:
    """Who says what (``method == "coverage"``) over ``snap``, for ``query`` (the question as ``answering.ask``
    read it). One judge decides the verdicts and picks their quotes. With an LLM, each mentioning respondent also
    gets a stance and a one-line position (map step, cached per document and question, in parallel batches with
    ``on_progress(done, total)``)."""
    judge = searcher.judge(snap, query)
    result = document_verdicts(searcher, query, snap=snap, judge=judge)
    quote_for = QuoteFinder(searcher, query.text, judge)
    if llm is not None:
        _add_positions(llm, searcher, result, on_progress)
    answer = build_answer(query.question, result, quote_for)
    answer.trace = coverage_trace(query, result, judge, {e.doc_id: e.verdict for e in answer.coverage})
    return answer


def _add_positions(llm: ChatModel, searcher: Searcher, result: CoverageResult, on_progress: Progress | None) -> None:
    from answering.llm_tasks import respondent_positions

    mentioning = result.mentioning
    cache = searcher.paths.llm_cache()
    positions = respondent_positions(
        llm, result.question, result.language, [(v.sender, v.passages) for v in mentioning], cache, on_progress
    )
    for verdict, (position, citation) in zip(mentioning, positions):
        if position is None:
            continue
        verdict.stance, verdict.summary = position.stance, position.summary
        if citation is not None:  # the model's own quote verified: cite its passage first
            verdict.passages.sort(key=lambda p: p.chunk_id != citation.chunk_id)
            verdict.llm_quote = citation.quote


def build_answer(question: str, result: CoverageResult, quote_for) -> Answer:
    """The answer over ``result``'s verdicts. A mentioning or uncertain letter is quoted with its best passage (a
    verified citation, numbered in the order the text names them); a letter the judge said mentions the topic but
    whose quote cannot be verified is shown as uncertain (a person reads it), never as mentioning."""
    lang = result.language if result.language in LANGUAGES else "en"
    answer = Answer(question=question, text="", language=lang, filters=result.filters, grounded=False, method="coverage")
    snap = getattr(quote_for, "snapshot", None)  # one voice per document: a sender name shared is told apart
    labels = sender_labels([v.doc_id for v in result.verdicts], snap, lang) if snap is not None else {}
    pieces = _cite_verdicts(answer, result, quote_for, labels)
    k = sum(e.verdict == "mentions" for e in answer.coverage)
    u = sum(e.verdict == "uncertain" for e in answer.coverage)
    declined = {e.doc_id for e in answer.coverage if e.verdict == "not_mentioned" and _only_no_remarks(snap, e.doc_id)}
    campaign = _campaign_counts(snap, [e.doc_id for e in answer.coverage if e.verdict == "mentions"])
    answer.text = "\n".join(_lines(answer, result, pieces, declined, campaign, _topic(question, lang)))
    answer.grounded = k > 0
    answer.counts = {"in_scope": len(result.verdicts), "mentions": k, "uncertain": u}
    if declined:
        answer.counts["no_remarks"] = len(declined)
    if campaign:  # only where letters that mention it share a template: counted both ways
        answer.counts.update(campaign_letters=campaign["letters"], mentions_distinct=campaign["distinct"])
    for citation in answer.citations:  # a source header names the letter as the answer does (issue 21 #4)
        citation.label = labels.get(citation.doc_id)
    return answer


def _cite_verdicts(answer: Answer, result: CoverageResult, quote_for, labels: dict[str, str]) -> dict[str, list[str]]:
    """Each verdict as an entry of ``answer.coverage`` (uncertain first after mentioning, as ORDER sorts them),
    a mentioning or uncertain letter cited with its best verified quote; returns each state's pieces of text
    ("Label (»quote« [n])")."""
    lang = answer.language
    pieces: dict[str, list[str]] = {"mentions": [], "uncertain": []}
    for verdict in result.verdicts:
        label = labels.get(verdict.doc_id, verdict.sender)
        state = verdict.verdict
        cited = []
        if state != "not_mentioned":
            for passage in verdict.passages[:1]:
                citation = make_citation(len(answer.citations) + 1, passage, verdict.llm_quote or quote_for(passage))
                if not citation.verified:
                    citation = make_citation(len(answer.citations) + 1, passage, quote_for(passage))
                if citation.verified:
                    answer.citations.append(citation)
                    answer.passages.append(passage)
                    cited.append(citation.n)
            if not cited:
                state = "uncertain"
                pieces[state].append(label)
            elif verdict.summary and state == "mentions":  # written by the LLM; the verified quote stands beside it
                quote = answer.citations[-1].quote
                pieces[state].append(f"{label} ({stance_word(verdict.stance, lang)}): {verdict.summary} »{quote}« [{cited[0]}]")
            else:
                pieces[state].append(f"{label} (»{answer.citations[-1].quote}« [{cited[0]}])")
        shared = verdict.model_dump(include=set(Verdict.model_fields))
        shared.update(verdict=state, mentions=state == "mentions", probability=verdict.probability)
        answer.coverage.append(CoverageEntry(**shared, citations=cited, label=label))
    answer.coverage.sort(key=lambda e: ORDER[e.verdict])  # a demoted letter joins the uncertain ones
    return pieces


def _lines(answer: Answer, result: CoverageResult, pieces: dict[str, list[str]], declined: set[str],
           campaign: dict[str, int], topic: str) -> list[str]:
    """The answer's lines: the count (and a line per state where some are uncertain), who does not mention it,
    who has no remarks at all, the campaign letters, and the scope."""
    lang = answer.language
    n_scope, group = len(result.verdicts), _group(result.filters.sender_type, lang)
    k = sum(e.verdict == "mentions" for e in answer.coverage)
    u = sum(e.verdict == "uncertain" for e in answer.coverage)
    silent = [e.label or e.sender for e in answer.coverage if e.verdict == "not_mentioned" and e.doc_id not in declined]
    verb = _word(lang, "mention_one" if k == 1 else "mention")
    lines = []
    if n_scope == 0:  # the filters leave no letter (an empty index has no filters to name)
        lines.append(no_match(result.filters, lang))
    elif u:  # the counts, then a line per state: the uncertain letters with their best sentence
        lines.append(f"{k} {_word(lang, 'of')} {n_scope} {group} {verb} {topic}{_uncertain(u, lang)}.")
        if k:
            lines.append(_word(lang, "mentioning_line", letters="; ".join(pieces["mentions"])))
        lines.append(_word(lang, "uncertain_line", letters="; ".join(pieces["uncertain"])))
    elif k == 0:
        lines.append(f"0 {_word(lang, 'of')} {n_scope} {group} {_word(lang, 'mention')} {topic}. " + _word(lang, "none", topic=topic))
    else:
        lines.append(f"{k} {_word(lang, 'of')} {n_scope} {group} {verb} {topic}: " + "; ".join(pieces["mentions"]) + ".")
    if silent and (k or u):
        lines.append(f"{_join(silent, _word(lang, 'and'))} {_word(lang, 'not' if len(silent) == 1 else 'not_plural')}.")
    if declined:  # "ingen bemærkninger" is the letter's answer to the whole hearing, not silence on this topic
        names = [e.label or e.sender for e in answer.coverage if e.doc_id in declined]
        lines.append(_word(lang, "no_remarks_one" if len(names) == 1 else "no_remarks", letters=_join(names, _word(lang, "and"))))
    if campaign:
        lines.append(_word(lang, "campaigns", **campaign))
    scope = describe_filters(result.filters, lang)
    if scope and n_scope:
        lines += ["", scope]
    return lines
