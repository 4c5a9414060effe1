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
from answering.conversation import Turn
from answering.citations import MARKER, make_citation, meaningful_quote, quote_fits_claim
from answering.prompts import answer_messages, template
from answering.texts import phrase
from core.settings import Settings
from answering.schema import Answer, Citation
from index.records import Passage

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
                      quote_for) -> Iterator[str]:
    """Stream the model's words; afterwards fill ``answer`` with the verified text and citations only.

    A failing model sets ``answer.error`` ("llm_failed") and leaves the answer to the extractive fallback."""
    pieces: list[str] = []
    try:
        for text in llm.stream(answer_messages(question, language, passages)):
            if text:
                pieces.append(text)
                yield text
    except Exception as exc:  # noqa: BLE001 - a failing LLM must never cost the user the answer
        answer.error = LLM_FAILED
        answer.text = f"({type(exc).__name__}: {exc})"
        return
    text, citations, dropped = verify_answer("".join(pieces), passages, quote_for, language)
    answer.dropped_citations = dropped
    if citations:
        answer.method = "llm"
        answer.text = text
        answer.citations = citations


def verify_answer(raw: str, passages: list[Passage], quote_for, language: str = "da") -> tuple[str, list[Citation], int]:
    """Keep only citations that point to a retrieved passage and carry a quote that stands in it verbatim.

    Unverifiable markers are replaced by a visible "[?]"; a note says how many were removed.
    """
    text = _MULTI_MARKER.sub(lambda m: "".join(f"[{n.strip()}]" for n in re.split(r"[,;]", m.group(1))), raw.strip())
    citations: dict[int, Citation] = {}
    dropped = 0
    out: list[str] = []
    cursor = 0
    for match in MARKER.finditer(text):
        out.append(text[cursor : match.start()])
        cursor = match.end()
        n = int(match.group(1))
        if not 1 <= n <= len(passages):
            dropped += 1
            out.append("[?]")
            continue
        passage = passages[n - 1]
        # A citation counts only with the model's own verbatim quote right before it: a bare "[n]" after a
        # claim proves nothing about the claim, so it is marked like any other unverifiable reference.
        before = _TRAILING_MARKERS.sub("", "".join(out)[-700:])  # "»…« [1][2]": the quote serves each marker
        quoted = _QUOTED.search(before)
        citation = None
        # The quote must carry meaning and belong to its claim ("»Kommune« [1]" would verify anything).
        if quoted and meaningful_quote(quoted.group(1)):
            claim = _claim_before(before[: quoted.start()])
            if quote_fits_claim(claim, quoted.group(1), passage, passages, language):
                citation = make_citation(n, passage, quoted.group(1).strip())
        if citation is None or not citation.verified:
            dropped += 1
            out.append("[?]")
            continue
        citations.setdefault(n, citation)
        out.append(match.group(0))
    out.append(text[cursor:])
    verified_text = "".join(out)
    if dropped:
        verified_text += "\n\n" + phrase(language, "unverified").format(n=dropped)
    return verified_text, sorted(citations.values(), key=lambda c: c.n), dropped


def _claim_before(text: str) -> str:
    """The words of the claim a quote is attached to: from the claim's start up to the quote."""
    match = _CLAIM_START.search(text)
    return (text[match.start() + 1 :] if match else text).strip()


def condense_question(llm: ChatModel, question: str, history: list[Turn]) -> str:
    history_text = "\n".join(f"- {turn.standalone}" for turn in history[-4:])
    prompt = template("condense_question").format(history=history_text, question=question)
    try:
        rewritten = llm.invoke(human(prompt)).strip().splitlines()
    except Exception:  # noqa: BLE001 - fall back to the question as asked
        return question
    return rewritten[0].strip() if rewritten and rewritten[0].strip() else question


def danish_rewrite(llm: ChatModel, question: str) -> str | None:
    try:
        text = llm.invoke(human(template("translate_query").format(question=question))).strip()
    except Exception:  # noqa: BLE001
        return None
    return text.splitlines()[0].strip() if text else None
