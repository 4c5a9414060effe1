"""LLM work over the whole corpus for officials: a stance and one-line position per respondent (map step),
short position titles for themes, written résumés for the høringsnotat.

Each call is cached on disk by (model, task, input hash), run in parallel batches with progress, validated,
and falls back to the extractive result when the model's output does not validate.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor, as_completed
from typing import Callable

from pydantic import BaseModel, field_validator

from answering.chat_model import ChatModel, human, parse_structured
from answering.citations import make_citation, meaningful_quote, quote_fits_claim
from answering.prompts import coverage_map_prompt, summary_prompt, theme_title_prompt
from answering.schema import Citation
from index.llm_cache import LLMCache
from index.records import Passage

STANCES = ("støtter", "bekymret", "forslag", "neutral")
TITLE_OPENINGS = ("Støtte til", "Bekymring for", "Forslag om", "Ønske om", "Modstand mod", "Spørgsmål om", "Opmærksomhed på")
MAX_WORKERS = 4
Progress = Callable[[int, int], None]


def run_prompts(llm: ChatModel, task: str, prompts: list[str], cache: LLMCache | None, progress: Progress | None = None,
                valid: Callable[[str], bool] | None = None) -> list[str | None]:
    """Ask the model every prompt (cached, in parallel); None where the call failed. Only replies ``valid`` accepts
    are cached: a reply the task cannot use is asked again next time, not kept for good."""
    model = llm.name
    results: list[str | None] = [None] * len(prompts)
    todo = []
    for i, prompt in enumerate(prompts):
        cached = cache.get(LLMCache.key(model, task, prompt)) if cache else None
        if cached is not None:
            results[i] = cached
        else:
            todo.append(i)
    done = len(prompts) - len(todo)
    if progress:
        progress(done, len(prompts))

    def call(i: int) -> tuple[int, str | None]:
        try:
            return i, llm.invoke(human(prompts[i])).strip()
        except Exception:  # noqa: BLE001 - one failed call falls back, never stops the rest
            return i, None

    with ThreadPoolExecutor(max_workers=MAX_WORKERS, thread_name_prefix=f"llm-{task}") as pool:
        for future in as_completed([pool.submit(call, i) for i in todo]):
            i, text = future.result()
            results[i] = text
            if text is not None and cache and (valid is None or valid(text)):
                cache.put(LLMCache.key(model, task, prompts[i]), text)
            done += 1
            if progress:
                progress(done, len(prompts))
    return results


class Position(BaseModel):
    stance: str
    summary: str
    quote: str = ""

    @field_validator("stance")
    @classmethod
    def known_stance(cls, value: str) -> str:
        value = value.strip().lower()
        if value not in STANCES:
            raise ValueError(f"stance must be one of {STANCES}")
        return value

    @field_validator("summary")
    @classmethod
    def one_line(cls, value: str) -> str:
        value = " ".join(value.split())
        if not value or len(value.split()) > 40:
            raise ValueError("summary must be one short line")
        return value


def respondent_positions(llm: ChatModel, question: str, language: str, respondents: list[tuple[str, list[Passage]]],
                         cache: LLMCache | None = None, progress: Progress | None = None) -> list[tuple[Position | None, Citation | None]]:
    """Map step: for each (sender, passages) a validated Position and, if its quote verifies, a Citation."""
    prompts = [coverage_map_prompt(sender, question, language, passages) for sender, passages in respondents]
    out: list[tuple[Position | None, Citation | None]] = []
    for (sender, passages), raw in zip(respondents, run_prompts(llm, "coverage_map", prompts, cache, progress,
                                                                           valid=lambda t: parse_structured(t, Position) is not None)):
        position = parse_structured(raw, Position)  # the raw reply is what is cached
        citation = None
        if position and position.quote and meaningful_quote(position.quote):  # "»Kommune«" proves no position
            for passage in passages:
                if not quote_fits_claim(position.summary or "", position.quote, passage, passages, language):
                    continue
                candidate = make_citation(0, passage, position.quote)
                if candidate.verified:
                    citation = candidate
                    break
        out.append((position, citation))
    return out


def valid_title(text: str | None) -> str | None:
    if not text:
        return None
    title = text.strip().splitlines()[0].strip(" \"'»«*#.")
    if not title.startswith(TITLE_OPENINGS) or len(title.split()) > 12:
        return None
    return title


def theme_titles(llm: ChatModel, themes_quotes: list[list[str]], cache: LLMCache | None = None, progress: Progress | None = None) -> list[str | None]:
    prompts = [theme_title_prompt(quotes) for quotes in themes_quotes]
    return [valid_title(raw) for raw in run_prompts(llm, "theme_title", prompts, cache, progress,
                                                    valid=lambda t: valid_title(t) is not None)]


def written_summaries(llm: ChatModel, documents: list[tuple[str, str]], cache: LLMCache | None = None, progress: Progress | None = None) -> list[str | None]:
    """A résumé per (sender, text); None when the model failed or wrote more than a short paragraph."""
    prompts = [summary_prompt(sender, text) for sender, text in documents]
    out = []
    for raw in run_prompts(llm, "respondent_summary", prompts, cache, progress,
                           valid=lambda t: 0 < len(t.split()) <= 90):
        text = " ".join((raw or "").split())
        out.append(text if text and len(text.split()) <= 90 else None)
    return out
