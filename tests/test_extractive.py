"""The extractive answer (answering/extractive.py, sentences.py, texts.py) on real passages of the sample index."""

from __future__ import annotations

from answering.extractive import MAX_PER_SENDER, extractive_answer, not_found_answer, select_passages
from answering.sentences import MAX_QUOTE, QuoteFinder
from answering.texts import describe_filters
from index.records import Filters, Passage

WAITING = "Hvad siger kommunerne om ventelister?"


def plain(text: str) -> str:
    """The answer text without Markdown emphasis (layout may change; words and quotes may not)."""
    return text.replace("**", "")


def _passage(sender: str, score: float, n: int) -> Passage:
    return Passage(chunk_id=f"{sender}:{n}", doc_id=sender, source=f"{sender}.txt", sender=sender, sender_type="kommune",
                   page=1, pages=[1], start=0, end=10, text=f"Tekst nummer {n} fra {sender}.", score=score)


def test_select_passages_keeps_each_letters_best_and_more_only_close_to_the_best_two_per_letter():
    passages = [_passage("A", 1.0, 1), _passage("A", 0.9, 2), _passage("A", 0.8, 3), _passage("B", 0.7, 4),
                _passage("C", 0.5, 5), _passage("C", 0.45, 6)]
    chosen = select_passages(passages)
    # A:3 is A's third; C:5 is C's best (issue 21 #8: one letter scoring high must not crowd out the others, so
    # a letter's best passage is no longer measured against another letter's); C:6 is below 0.55 × best.
    assert [p.chunk_id for p in chosen] == ["A:1", "A:2", "B:4", "C:5"]
    assert max(sum(p.sender == s for p in chosen) for s in "ABC") == MAX_PER_SENDER
    assert select_passages([]) == []


def test_quote_finder_picks_the_answering_sentence_verbatim(searcher):
    top = searcher.search(WAITING).passages[0]
    quote = QuoteFinder(searcher, WAITING)(top)
    assert "lange ventelister" in quote
    assert quote in top.text
    assert not quote.startswith("- ")  # list bullets are not part of the quote
    assert len(quote) <= MAX_QUOTE


def test_extractive_answer_quotes_and_cites_verbatim(searcher):
    result = searcher.search(WAITING, k=8)
    relevant = result.passages[:1]
    text, citations = extractive_answer("da", relevant, QuoteFinder(searcher, WAITING), result.filters)
    assert len(citations) == 1
    c = citations[0]
    assert c.verified and c.n == 1
    assert c.sender == "Hedensted Kommune (Voksenhandicap)"
    assert "lange ventelister" in c.quote and c.quote in " ".join(relevant[0].text.split())
    lines = plain(text).splitlines()
    assert lines[0] == "Det skriver høringssvarene:"
    assert f"- Hedensted Kommune (Voksenhandicap) skriver: »{c.quote}« [1]" in lines
    assert lines[-1] == "Afgrænset til: afsendertype = kommuner (udledt af spørgsmålet – kan fjernes)."


def test_extractive_answer_in_english_frames_in_english_and_quotes_danish(searcher):
    question = "what do municipalities say about waiting lists?"
    result = searcher.search(question, k=8)
    text, citations = extractive_answer("en", result.passages[:1], QuoteFinder(searcher, question), result.filters)
    assert text.startswith("The consultation responses say (quoted in Danish):")
    assert "- Hedensted Kommune (Voksenhandicap) writes: »" in plain(text)
    assert citations and "lange ventelister" in citations[0].quote
    assert text.rstrip().endswith("Limited to: sender type = municipalities (inferred from the question – can be removed).")


def test_extractive_answer_groups_by_sender_and_numbers_in_order(searcher):
    question = "Hvem peger på personalemangel som et voksende problem?"
    result = searcher.search(question, k=8)
    text, citations = extractive_answer("da", result.passages, QuoteFinder(searcher, question), result.filters)
    assert [c.n for c in citations] == list(range(1, len(citations) + 1))
    assert all(c.verified for c in citations)
    assert len({c.quote for c in citations}) == len(citations)  # no quote twice
    for c in citations:
        assert f"[{c.n}]" in text
        assert f"»{c.quote}«" in text
    senders = [c.sender for c in citations]
    lines = plain(text).splitlines()
    for sender in set(senders):
        # one line per letter (here one letter per sender), its sender named (and marked when not confirmed)
        assert sum(line.startswith(f"- {sender} ") and " skriver: »" in line for line in lines) == 1
        assert senders.count(sender) <= MAX_PER_SENDER


def test_not_found_answer_labels_nearest_passages_as_such(searcher):
    question = "Hvad siger høringssvarene om cykelstier langs landevejene?"
    result = searcher.search(question)
    text = not_found_answer("da", result.passages, result.filters, QuoteFinder(searcher, question))
    lines = text.splitlines()
    assert lines[0] == "Høringssvarene nævner ikke det, du spørger om."
    assert "Nærmeste uddrag (besvarer ikke spørgsmålet direkte):" in lines
    assert sum(line.startswith("- ") for line in lines) == 3
    assert "[1]" not in text  # the nearest passages are never presented as citations


def test_not_found_answer_mentions_the_scope(searcher):
    filters = Filters(sender_type="kommune", inferred=["sender_type"])
    text = not_found_answer("en", [], filters, None)
    assert text.startswith("The responses do not mention what you are asking about (within the selected scope).")
    assert "Limited to: sender type = municipalities (inferred from the question – can be removed)." in text


def test_describe_filters_names_user_and_inferred_filters():
    filters = Filters(sender_type="med_udvalg", municipality="Roskilde", inferred=["municipality"])
    assert describe_filters(filters, "da") == (
        "Afgrænset til: afsendertype = MED-udvalg; kommune = Roskilde (udledt af spørgsmålet – kan fjernes)."
    )
    assert describe_filters(Filters(), "da") == ""
    # dates as everywhere people read them (issue 21 #12: one date format), not ISO
    assert describe_filters(Filters(date_from="2023-01-01"), "en") == "Limited to: from date = 1 Jan 2023."
    assert describe_filters(Filters(date_from="2023-09-01", date_to="2023-09-30"), "da") == (
        "Afgrænset til: fra dato = 01.09.2023; til dato = 30.09.2023.")


def test_a_line_about_the_letter_is_never_quoted_while_another_passage_says_something(searcher):
    """Hedensted's last passage holds nothing but "Høringssvaret er fremlagt for Udvalget for Social Omsorg …", a
    greeting and a signature: beside a passage that says something, it is not quoted at all (issue 22 #4)."""
    from index.statements import is_meta_discourse, is_statement

    question = "Hvad siger kommunerne om ventelister?"
    result = searcher.search(question, k=8)
    letter_only = [p for p in result.passages if p.text.startswith("Høringssvaret er fremlagt")]
    assert letter_only, "the sample index has Hedensted's closing passage among the passages"
    quote_for = QuoteFinder(searcher, question)
    assert not is_statement(quote_for(letter_only[0]))
    text, citations = extractive_answer("da", result.passages, quote_for, result.filters)
    assert citations and "fremlagt for" not in text
    assert all(is_statement(c.quote) and not is_meta_discourse(c.quote) for c in citations)
    assert any("lange ventelister" in c.quote for c in citations)


def test_nearest_passages_never_show_a_line_about_the_letter(searcher):
    from answering.extractive import nearest_quotes

    question = "Hvad siger kommunerne om ventelister?"
    passages = searcher.search(question, k=8).passages
    shown = nearest_quotes(passages, QuoteFinder(searcher, question), limit=8)
    assert shown and all("fremlagt for" not in quote for _, quote in shown)
    assert all(not p.text.startswith("Høringssvaret er fremlagt") for p, _ in shown)


def test_none_mention_names_the_count_the_scope_and_the_topic():
    from answering.texts import none_mention

    aarhus = Filters(sender="Aarhus Kommune")
    assert none_mention(2, aarhus, "et nyt fodboldstadion", "da") == (
        "Ingen af de 2 høringssvar fra Aarhus Kommune nævner et nyt fodboldstadion.")
    assert none_mention(2, aarhus, "a new football stadium", "en") == (
        "None of the 2 responses from Aarhus Kommune mention a new football stadium.")
    assert none_mention(5, Filters(), "et nyt fodboldstadion", "da") == "Ingen af de 5 høringssvar nævner et nyt fodboldstadion."
    assert none_mention(1, Filters(municipality="Norddjurs"), None, "da") == (
        "Det eneste høringssvar fra Norddjurs nævner ikke det, du spørger om.")
    assert none_mention(1200, Filters(), "ventelister", "da") == "Ingen af de 1.200 høringssvar nævner ventelister."
    scoped = Filters(sender_type="kommune", municipality="Roskilde", hearing="Budget 2024", date_from="2023-09-01",
                     date_to="2023-10-31", inferred=["sender_type"])
    assert none_mention(3, scoped, "ventelister", "da") == (
        "Ingen af de 3 høringssvar fra kommuner i Roskilde til høringen Budget 2024 dateret 01.09.2023–31.10.2023 "
        "nævner ventelister.")
    assert none_mention(3, scoped, "waiting lists", "en") == (
        "None of the 3 responses from municipalities in Roskilde to the consultation Budget 2024 dated 1 Sep 2023–31 "
        "Oct 2023 mention waiting lists.")
    assert none_mention(2, Filters(date_from="2023-09-01"), "ventelister", "da") == (
        "Ingen af de 2 høringssvar dateret fra 01.09.2023 nævner ventelister.")
    assert none_mention(2, Filters(date_to="2023-09-01"), "waiting lists", "en") == (
        "None of the 2 responses dated up to 1 Sep 2023 mention waiting lists.")
