"""LLM answers through the chat model chosen by settings (a LangChain model behind answering.chat_model's
``ChatModel``); every citation verified before it is shown.

HOERING_LLM: ``ollama:<model>``, ``openai:<model>`` (with HOERING_LLM_BASE_URL for any OpenAI-compatible
server, e.g. llama.cpp or vLLM), ``azure:<deployment>`` (HOERING_LLM_BASE_URL = the Azure endpoint), or any
``provider:model`` that LangChain's ``init_chat_model`` knows.
"""

from __future__ import annotations

import re
from typing import Iterator

from answering.chat_model import ChatModel, LangChainChatModel, human
from answering.citations import (MARKER, claim_sentences, group_claim, group_supported, in_text_order, make_citation,
                                  meaningful_quote, quote_fits_claim, quote_reported)
from answering.prompts import answer_messages, condense_prompt, translate_prompt
from answering.texts import unverified_note
from core.settings import Settings
from answering.schema import Answer, Citation, Turn
from index.records import Passage
from index.statements import is_meta_discourse

_QUOTED = re.compile(r"[»“\"„]([^«”\"“]{3,600})[«”\"“]\s*$")
_TRAILING_MARKERS = re.compile(r"(?:\s*\[(?:\d{1,3}|\?)\])+\s*$")
_MULTI_MARKER = re.compile(r"\[(\d{1,3}(?:\s*[,;]\s*\d{1,3})+)\]")
# Where the claim a quote is attached to begins: a sentence end, a line break, or the end of an earlier quote
# or reference ("A mener »…« [1], og B skriver »…« [2]": the claim of [2] is ", og B skriver").
_CLAIM_START = re.compile(r"(?:[.!?](?=\s)|\n|[«”\]])[^.!?\n«”\]]*$")
_PROVIDERS = {"azure": "azure_openai", "openai": "openai", "ollama": "ollama"}
LLM_FAILED = "llm_failed"  # Answer.error when the model failed while writing (the extractive answer stands in)
MAX_ANSWER_TOKENS = 1024  # a model caught in a loop must not write until its context is full (minutes)


def create_chat_model(settings: Settings) -> ChatModel | None:
    """The configured chat model, or None when no LLM is configured."""
    if not settings.llm:
        return None
    from langchain.chat_models import init_chat_model

    provider, _, model = settings.llm.partition(":")
    if not model:
        provider, model = "openai", provider
    provider = _PROVIDERS.get(provider, provider)
    kwargs: dict = {"temperature": 0}
    if provider == "openai":
        if settings.llm_base_url:
            kwargs["base_url"] = settings.llm_base_url
            # langchain-openai sends max_tokens as max_completion_tokens, which self-hosted servers such as
            # llama-cpp-python silently ignore; they read max_tokens.
            kwargs["extra_body"] = {"max_tokens": MAX_ANSWER_TOKENS}
        else:
            kwargs["max_tokens"] = MAX_ANSWER_TOKENS
        if settings.llm_api_key:
            kwargs["api_key"] = settings.llm_api_key
        elif settings.llm_base_url:
            kwargs["api_key"] = "not-needed"  # local OpenAI-compatible servers want some key
        # else: OpenAI itself, which reads OPENAI_API_KEY from the environment
    elif provider == "azure_openai":
        kwargs.update(azure_deployment=model, azure_endpoint=settings.llm_base_url, api_key=settings.llm_api_key,
                      api_version=settings.llm_api_version)
    elif provider == "ollama":
        kwargs["num_predict"] = MAX_ANSWER_TOKENS
        if settings.llm_base_url:
            kwargs["base_url"] = settings.llm_base_url
    return LangChainChatModel(init_chat_model(model, model_provider=provider, **kwargs))


def llm_answer_stream(llm: ChatModel, question: str, language: str, passages: list[Passage], filters, answer: Answer,
                      quote_for, scope: dict[str, str] | None = None,
                      labels: dict[str, str] | None = None) -> Iterator[str]:
    """Stream the model's words; afterwards fill ``answer`` with the verified text and citations only.
    ``scope``: doc_id → sender type of every document in scope (claims about a group are checked against it);
    ``labels``: doc_id → the sender as the model is to name it (one voice per document).

    A failing model sets ``answer.error`` ("llm_failed") and leaves the answer to the extractive fallback."""
    pieces: list[str] = []
    try:
        for text in llm.stream(answer_messages(question, language, passages, labels)):
            if text:
                pieces.append(text)
                yield text
    except Exception as exc:  # noqa: BLE001 - a failing LLM must never cost the user the answer
        answer.error = LLM_FAILED
        answer.text = f"({type(exc).__name__}: {exc})"
        return
    text, citations, dropped = verify_answer("".join(pieces), passages, quote_for, language, scope)
    answer.dropped_citations = dropped
    if citations:
        answer.method = "llm"
        answer.text = text
        answer.citations = citations


def verify_answer(raw: str, passages: list[Passage], quote_for, language: str = "da",
                  scope: dict[str, str] | None = None) -> tuple[str, list[Citation], int]:
    """Keep only citations that point to a retrieved passage and carry a quote that stands in it verbatim, in
    the letter's own words (not another party's words it reports, nor a line about the letter itself), and fits
    its claim; a claim about a group
    of senders ("Alle kommuner støtter …") needs quotes from that group, for "alle" from every document of the
    group in ``scope`` (doc_id → sender type; the retrieved passages' documents when not given).

    Unverifiable markers are replaced by a visible "[?]", as is an uncited claim about all of a group; a note
    says how many were removed. The citations are numbered in the order the text first cites them
    (``in_text_order``): [1] is the first passage cited, whatever its place among the retrieved passages.
    """
    text = _MULTI_MARKER.sub(lambda m: "".join(f"[{n.strip()}]" for n in re.split(r"[,;]", m.group(1))), raw.strip())
    markers = list(MARKER.finditer(text))
    found = [_verified(text, match, passages, language) for match in markers]
    if scope is None:
        scope = {p.doc_id: p.sender_type for p in passages}
    unsupported = _check_group_claims(text, markers, found, passages, scope)
    citations: dict[int, Citation] = {}
    dropped = len(unsupported)
    out: list[str] = []
    cursor = 0
    for match, citation in zip(markers, found):
        out.append(_marked(text[cursor : match.start()], cursor, unsupported))
        cursor = match.end()
        if citation is None:
            dropped += 1
            out.append("[?]")
            continue
        citations.setdefault(citation.n, citation)
        out.append(match.group(0))
    out.append(_marked(text[cursor:], cursor, unsupported))
    verified_text = "".join(out)
    if dropped:
        verified_text += "\n\n" + unverified_note(dropped, language, in_text=True)
    verified_text, numbered = in_text_order(verified_text, list(citations.values()))
    return verified_text, numbered, dropped


def _verified(text: str, match: re.Match, passages: list[Passage], language: str) -> Citation | None:
    """The citation a marker stands for, or None when it cannot be verified."""
    n = int(match.group(1))
    if not 1 <= n <= len(passages):
        return None
    passage = passages[n - 1]
    # A citation counts only with the model's own verbatim quote right before it: a bare "[n]" after a
    # claim proves nothing about the claim, so it is marked like any other unverifiable reference.
    before = _TRAILING_MARKERS.sub("", text[max(0, match.start() - 700) : match.start()])
    quoted = _QUOTED.search(before)  # "»…« [1][2]": the quote serves each marker
    # The quote must carry meaning and belong to its claim ("»Kommune« [1]" would verify anything).
    if not quoted or not meaningful_quote(quoted.group(1)):
        return None
    claim = _claim_before(before[: quoted.start()])
    if not quote_fits_claim(claim, quoted.group(1), passage, passages, language):
        return None
    citation = make_citation(n, passage, quoted.group(1).strip())
    if not citation.verified or quote_reported(passage, citation):
        return None
    if is_meta_discourse(citation.quote):  # a line about the letter itself ("Høringssvaret er fremlagt for …")
        return None  # says nothing about the matter: never evidence of a claim
    return citation


def _check_group_claims(text: str, markers: list[re.Match], found: list[Citation | None], passages: list[Passage],
                        scope: dict[str, str]) -> set[int]:
    """Unsupported claims about a group: their citations are set to None in ``found``; returns the end offsets
    of uncited claims about all of a group (each gets a "[?]")."""
    uncited: set[int] = set()
    for start, end, words in claim_sentences(text):
        kind, universal = group_claim(words)
        if kind is None:
            continue
        inside = [i for i, m in enumerate(markers) if start <= m.start() < end]
        cited = [passages[found[i].n - 1] for i in inside if found[i] is not None]
        if not inside and not universal:
            continue
        if not group_supported(kind, universal, cited, scope):
            for i in inside:
                found[i] = None
            if not inside:  # a claim about all of a group with no reference at all
                at = len(text[:end].rstrip())
                uncited.add(at - 1 if text[at - 1] in ".!?:;" else at)  # "… er enige [?]."
    return uncited


def _marked(piece: str, offset: int, unsupported: set[int]) -> str:
    """``piece`` (text[offset:…]) with "[?]" after each uncited, unsupported group claim that ends in it."""
    for at in sorted((u - offset for u in unsupported if offset < u <= offset + len(piece)), reverse=True):
        piece = piece[:at] + " [?]" + piece[at:]
    return piece


def _claim_before(text: str) -> str:
    """The words of the claim a quote is attached to: from the claim's start up to the quote."""
    match = _CLAIM_START.search(text)
    return (text[match.start() + 1 :] if match else text).strip()


def condense_question(llm: ChatModel, question: str, history: list[Turn]) -> str:
    prompt = condense_prompt([turn.standalone for turn in history[-4:]], question)
    try:
        rewritten = llm.invoke(human(prompt)).strip().splitlines()
    except Exception:  # noqa: BLE001 - fall back to the question as asked
        return question
    return rewritten[0].strip() if rewritten and rewritten[0].strip() else question


def danish_rewrite(llm: ChatModel, question: str) -> str | None:
    try:
        text = llm.invoke(human(translate_prompt(question))).strip()
    except Exception:  # noqa: BLE001
        return None
    return text.splitlines()[0].strip() if text else None
