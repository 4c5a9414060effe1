"""Citation verification (answering/citations.py): a quote counts only when it stands verbatim in its chunk."""

from __future__ import annotations

import pytest

from answering.citations import MARKER, locate, make_citation
from index.records import Passage
from retrieval.search import Searcher

QUOTE = "Vi oplever store kapacitetsudfordringer, som kommer til syne, ved at der er lange ventelister og en meget lang matchningsproces."


# --- locate (pure) -------------------------------------------------------------------------------------


def test_locate_finds_an_exact_quote():
    text = "Indledning. Der er lange ventelister i dag. Slut."
    span = locate("lange ventelister", text)
    assert span is not None
    assert text[span[0] : span[1]] == "lange ventelister"


def test_locate_normalises_whitespace_in_both_quote_and_text():
    text = "Der er  lange\nventelister\n\nog en\tmeget lang proces."
    span = locate("lange ventelister og en meget   lang", text)
    assert span is not None
    a, b = span
    assert " ".join(text[a:b].split()) == "lange ventelister og en meget lang"
    assert text[a:b].startswith("lange") and text[a:b].endswith("lang")


def test_locate_treats_curly_and_straight_quotes_alike():
    text = "Strategisporet ”Fagligt stærke specialområder” og FN’s konventioner."
    assert locate('"Fagligt stærke specialområder"', text) is not None
    assert locate("FN's konventioner", text) is not None


def test_locate_rejects_altered_and_too_short_quotes():
    text = "Der er lange ventelister og en meget lang matchningsproces."
    assert locate("Der er korte ventelister", text) is None
    assert locate("lange venteliste og", text) is None  # one letter missing
    assert locate("  ", text) is None
    assert locate("er", text) is None  # shorter than 3 characters: never a citation


def test_locate_is_case_sensitive_verbatim():
    assert locate("Lange Ventelister", "der er lange ventelister") is None


def test_marker_pattern_reads_numbers():
    assert [m.group(1) for m in MARKER.finditer("a [1] b [12] c [x] d [1000]")] == ["1", "12"]


# --- make_citation on real passages -----------------------------------------------------------------------


@pytest.fixture(scope="module")
def passage(sample_index, embedder) -> Passage:
    searcher = Searcher(sample_index, embedder=embedder)
    top = searcher.search("Hvad siger kommunerne om ventelister?").passages[0]
    assert QUOTE in top.text
    return top


@pytest.fixture(scope="module")
def document_text(sample_index, passage) -> str:
    from index.index import Index

    text = Index(sample_index).store.document_text(passage.doc_id)
    assert text
    return text


def test_exact_quote_is_verified_and_carries_the_passage_metadata(passage):
    citation = make_citation(1, passage, QUOTE)
    assert citation.verified
    assert citation.n == 1
    assert citation.quote == QUOTE
    assert citation.doc_id == passage.doc_id and citation.chunk_id == passage.chunk_id
    assert citation.sender == "Hedensted Kommune (Voksenhandicap)"
    assert citation.sender_type == "kommune"
    assert citation.source == passage.source
    assert citation.page == 1
    assert citation.date == "2023-09-19"


def test_span_maps_to_the_document_text(passage, document_text):
    citation = make_citation(1, passage, QUOTE)
    assert citation.start is not None and citation.end is not None
    assert citation.start >= passage.start and citation.end <= passage.end
    assert document_text[citation.start : citation.end] == QUOTE


def test_span_maps_to_the_document_text_across_whitespace(passage, document_text):
    spread = QUOTE.replace(" ", "\n  ", 3)
    citation = make_citation(2, passage, spread)
    assert citation.verified
    assert citation.quote == QUOTE  # shown whitespace-normalised
    assert " ".join(document_text[citation.start : citation.end].split()) == QUOTE


@pytest.mark.parametrize(
    "altered",
    [
        QUOTE.replace("lange ventelister", "korte ventelister"),
        QUOTE.replace("store", "små"),
        QUOTE.replace("meget lang", "meget kort"),
        "Vi oplever ingen kapacitetsudfordringer",
    ],
)
def test_a_quote_with_one_word_changed_is_not_verified(passage, altered):
    citation = make_citation(1, passage, altered)
    assert not citation.verified
    assert citation.start is None and citation.end is None


def test_a_quote_from_another_letter_is_not_verified_against_this_passage(passage):
    # verbatim in Norddjurs' letter, but not in the cited Hedensted chunk
    citation = make_citation(1, passage, "prisen på regionale specialiserede tilbud")
    assert not citation.verified


def test_unverified_citations_never_reach_the_json(passage):
    from answering.schema import Answer

    good = make_citation(1, passage, QUOTE)
    bad = make_citation(2, passage, QUOTE.replace("lange", "korte"))
    answer = Answer(question="q", text="t", citations=[good, bad], grounded=True)
    shown = answer.to_json()["citations"]
    assert [c["n"] for c in shown] == [1]
    assert set(shown[0]) == {"n", "doc_id", "source", "sender", "page", "quote"}


def test_page_of_a_quote_in_a_chunk_across_a_page_break():
    text = "Første side slutter her med en sætning. " + "x " * 50 + "Anden side begynder med en anden sætning."
    passage = Passage(
        chunk_id="d:0000", doc_id="d", source="s.pdf", sender="Afsender", sender_type="borger",
        page=3, pages=[3, 4], start=100, end=100 + len(text), text=text,
    )
    first = make_citation(1, passage, "Første side slutter her")
    second = make_citation(2, passage, "Anden side begynder med en anden sætning.")
    assert first.verified and second.verified
    assert first.page == 3 and second.page == 4
    assert first.start == 100 and second.end == 100 + len(text)


def test_a_quote_after_a_page_break_inside_one_chunk_names_its_own_page(make_settings, embedder, tmp_path):
    """A chunk can run across a page break; the citation names the page its quote starts on."""
    from ingest.pipeline import ingest
    from retrieval.search import Searcher
    from tests.factories import make_pdf

    pdf = make_pdf(tmp_path / "brev.pdf", [
        "Hoeringssvar fra Grundejerforeningen Solbakken. Vi har laest planen.",
        "Vi oensker flere bænke langs stien ved søen, så ældre kan hvile sig.",
    ])
    settings = make_settings()
    ingest([pdf], settings, embedder=embedder)
    searcher = Searcher(settings, embedder=embedder)
    passage = searcher.search("bænke langs stien ved søen", k=1).passages[0]
    assert passage.pages == [1, 2] and len(passage.page_breaks) == 1  # one chunk over both pages
    from answering.citations import make_citation

    on_two = make_citation(1, passage, "bænke langs stien ved søen")
    on_one = make_citation(2, passage, "Vi har laest planen")
    assert on_two.verified and on_two.page == 2
    assert on_one.verified and on_one.page == 1


# --- citations numbered in the order the text cites them ----------------------------------------------------


def _citation(n: int):
    from answering.schema import Citation

    return Citation(n=n, doc_id=f"d{n}", chunk_id=f"d{n}:0", source="s.txt", sender=f"S{n}", page=1, quote=f"q{n}",
                    verified=True)


def test_citations_are_numbered_in_the_order_the_text_cites_them():
    from answering.citations import in_text_order

    text, citations = in_text_order("A skriver »x« [3]. B skriver »y« [1]; A igen [3]. Ukendt [?].",
                                    [_citation(1), _citation(3)])
    assert text == "A skriver »x« [1]. B skriver »y« [2]; A igen [1]. Ukendt [?]."
    assert [(c.n, c.doc_id) for c in citations] == [(1, "d3"), (2, "d1")]


def test_a_number_inside_a_quote_is_the_letters_text_not_a_marker():
    from answering.citations import in_text_order

    text, citations = in_text_order("»som vist i note [2] herunder« [3] og »z« [2]", [_citation(2), _citation(3)])
    assert text == "»som vist i note [2] herunder« [1] og »z« [2]"
    assert [c.doc_id for c in citations] == ["d3", "d2"]


def test_in_text_order_leaves_the_given_citations_alone_and_keeps_uncited_ones_last():
    from answering.citations import in_text_order

    given = [_citation(1), _citation(2)]
    text, citations = in_text_order("kun »y« [2]", given)
    assert text == "kun »y« [1]" and [(c.n, c.doc_id) for c in citations] == [(1, "d2"), (2, "d1")]
    assert [c.n for c in given] == [1, 2]
