"""Who-says-what mode on the real sample index: every document in scope gets a verdict."""

from __future__ import annotations

import json
import re

import pytest
from typer.testing import CliRunner

from answering.ask import answer_question
from answering.coverage_answer import lead_sentence, topic_of
from answering.citations import locate
from hoering.cli import app
from retrieval.coverage import document_verdicts
from retrieval.verdict import ORDER, band_for, decide
from tests.test_verdict import use_band


@pytest.mark.parametrize(
    "question",
    ["Hvad siger kommunerne om ventelister?", "What do the municipalities say about waiting lists?"],
)
def test_municipalities_on_waiting_lists(searcher, sample_docs, question):
    answer = answer_question(question, searcher, mode="coverage")
    municipalities = {d.doc_id for d in sample_docs.values() if d.sender_type == "kommune"}
    assert {e.doc_id for e in answer.coverage} == municipalities  # scope is exactly the municipalities
    by_sender = {e.sender: e for e in answer.coverage}
    hedensted = next(e for s, e in by_sender.items() if s.startswith("Hedensted Kommune"))
    norddjurs = by_sender["Norddjurs Kommune"]
    assert 0 <= norddjurs.probability < hedensted.probability <= 1
    assert hedensted.citations and norddjurs.verdict != "mentions"
    if answer.language == "en":
        # English verdicts are decided only where they are right 97 % of the time on held-out topics, which the
        # judge reaches for few English pairs (docs/decisions/0013): Hedensted is *uncertain*, shown with its
        # waiting-list sentence for a person to decide, never "does not mention"
        assert hedensted.verdict in ("mentions", "uncertain")
        assert answer.counts["in_scope"] == 2 and answer.counts["mentions"] + answer.counts["uncertain"] >= 1
        citation = next(c for c in answer.citations if c.n == hedensted.citations[0])
        assert "ventelister" in citation.quote
        return
    assert answer.counts == {"in_scope": 2, "mentions": 1, "uncertain": 0}  # the shipped band decides both letters
    assert hedensted.mentions and not norddjurs.mentions and not norddjurs.citations
    assert (hedensted.verdict, norddjurs.verdict) == ("mentions", "not_mentioned")
    citation = next(c for c in answer.citations if c.n == hedensted.citations[0])
    passage = next(p for p in answer.passages if p.chunk_id == citation.chunk_id)
    assert citation.verified and locate(citation.quote, passage.text)
    assert "ventelister" in passage.text  # the waiting-list passage
    first_line = answer.text.splitlines()[0]
    # the letter is named with "afsender ikke bekræftet" while its sender is a claim to check (issue 21 #4)
    unconfirmed = sample_docs["002_eb13e6cc94d726ef.txt"].needs_review
    if answer.language == "da":
        assert first_line.startswith("1 af 2 kommuner nævner ventelister")
        norddjurs_named = "Norddjurs Kommune (afsender ikke bekræftet)" if unconfirmed else "Norddjurs Kommune"
        assert f"{norddjurs_named} nævner det ikke." in answer.text
    else:
        assert first_line.startswith("1 of 2 municipalities mentions waiting lists")
        norddjurs_named = "Norddjurs Kommune (sender not verified)" if unconfirmed else "Norddjurs Kommune"
        assert f"{norddjurs_named} does not mention it." in answer.text


def test_no_filter_covers_all_five(searcher, sample_docs):
    result = document_verdicts(searcher, "Hvem nævner rekruttering og fastholdelse af personale?")
    assert result.filters.is_empty()
    assert {v.doc_id for v in result.verdicts} == {d.doc_id for d in sample_docs.values()}
    answer = answer_question("Hvem nævner rekruttering og fastholdelse af personale?", searcher, mode="coverage")
    assert answer.counts["in_scope"] == 5 and len(answer.coverage) == 5
    assert answer.counts["mentions"] == sum(e.mentions for e in answer.coverage)
    assert answer.counts["uncertain"] == sum(e.verdict == "uncertain" for e in answer.coverage)
    silent = [e.sender for e in answer.coverage if not e.mentions]
    for sender in silent:  # everyone not mentioning is named too
        assert sender in answer.text


RECRUITMENT = "Hvem nævner rekruttering og fastholdelse af personale?"


def test_verdicts_follow_the_band(searcher, tmp_path, monkeypatch):
    """retrieval.coverage decides each letter by the band of retrieval/verdict.py: inside it, uncertain (not a
    mention in the boolean); the verdicts listed mentions, uncertain, not mentioned, by probability within."""
    shipped = document_verdicts(searcher, RECRUITMENT)
    assert shipped.band == band_for(searcher.embedder.name, "da")  # the band shipped in retrieval/data/relevance.json
    for v in shipped.verdicts:
        assert v.verdict == decide(v.probability, shipped.band) and v.mentions == (v.verdict == "mentions")
    p = {v.doc_id: v.probability for v in shipped.verdicts}
    use_band(monkeypatch, tmp_path, da=(0.1, 0.9))
    result = document_verdicts(searcher, RECRUITMENT)
    assert {v.doc_id: v.probability for v in result.verdicts} == p  # the band decides; the judge is unchanged
    for v in result.verdicts:
        expected = "mentions" if v.probability >= 0.9 else "not_mentioned" if v.probability < 0.1 else "uncertain"
        assert v.verdict == expected and v.mentions == (expected == "mentions")
    assert result.uncertain and [ORDER[v.verdict] for v in result.verdicts] == sorted(ORDER[v.verdict] for v in result.verdicts)


def test_uncertain_letters_are_counted_named_and_quoted(searcher, tmp_path, monkeypatch):
    """The lead carries the uncertain count ("· 2 usikre"); the uncertain letters have their own line, each with
    its best sentence as a verified citation, numbered after the mentioning letters' in the order the text names
    them; the JSON keeps the boolean and adds the state and probability."""
    use_band(monkeypatch, tmp_path, da=(0.1, 0.9), en=(0.1, 0.9))
    answer = answer_question(RECRUITMENT, searcher, mode="coverage")
    states = [e.verdict for e in answer.coverage]
    k, u = states.count("mentions"), states.count("uncertain")
    assert u >= 1 and answer.counts == {"in_scope": 5, "mentions": k, "uncertain": u}
    assert states == sorted(states, key=ORDER.__getitem__)
    lines = answer.text.splitlines()
    note = f"{u} usikre" if u > 1 else "1 usikker"
    assert lines[0] == f"{k} af 5 høringssvar nævner rekruttering og fastholdelse af personale · {note}."
    assert lines[1].startswith("Nævner det: ")
    unsure = next(line for line in lines if line.startswith("Usikkert: "))
    for entry in answer.coverage:
        if entry.verdict == "not_mentioned":
            assert not entry.citations and entry.label not in unsure
            continue
        assert not entry.mentions or entry.verdict == "mentions"
        [n] = entry.citations
        citation = answer.citations[n - 1]
        assert citation.verified and citation.doc_id == entry.doc_id
        if entry.verdict == "uncertain":  # named with its best sentence, so a person decides in seconds
            assert f"{entry.label} (»{citation.quote}« [{n}])" in unsure
    assert [c.n for c in answer.citations] == [int(n) for n in re.findall(r"\[(\d+)\]", answer.text)]
    data = answer.to_json()
    assert data["counts"]["uncertain"] == u
    assert [(e["verdict"], e["mentions"]) for e in data["coverage"]] == [(s, s == "mentions") for s in states]


def test_uncertain_only_is_no_none_sentence(searcher, tmp_path, monkeypatch):
    """No letter decided as mentioning, both uncertain: "0 af 2 … · 2 usikre.", never "Ingen af dem nævner …"."""
    use_band(monkeypatch, tmp_path, da=(0.005, 0.9999))  # measured: Norddjurs .019, Hedensted .998 — both inside
    answer = answer_question("Hvad siger kommunerne om ventelister?", searcher, mode="coverage")
    assert answer.counts == {"in_scope": 2, "mentions": 0, "uncertain": 2} and not answer.grounded
    lines = answer.text.splitlines()
    assert lines[0] == "0 af 2 kommuner nævner ventelister · 2 usikre."
    assert lines[1].startswith("Usikkert: ") and "Ingen af dem" not in answer.text
    assert lead_sentence(answer) == lines[0]


def test_topic_extraction():
    assert topic_of("Hvad siger kommunerne om ventelister?", "da") == "ventelister"
    assert topic_of("Who mentions temporary staff?", "en") == "temporary staff"
    assert topic_of("Hvem nævner vikarer?", "da") == "vikarer"


def test_cli_coverage_json_shape(sample_index):
    result = CliRunner().invoke(
        app, ["ask", "Hvad siger kommunerne om ventelister?", "--mode", "coverage", "--index", str(sample_index.index), "--json"]
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert {"question", "answer", "filters", "grounded", "citations", "coverage", "counts"} <= set(data)
    assert data["counts"] == {"in_scope": 2, "mentions": 1, "uncertain": 0}
    for entry in data["coverage"]:
        assert set(entry) == {"doc_id", "source", "sender", "sender_type", "mentions", "verdict", "probability",
                              "stance", "summary", "citations"}
        assert entry["mentions"] == (entry["verdict"] == "mentions")
        assert entry["verdict"] in ("mentions", "not_mentioned") and round(entry["probability"], 3) == entry["probability"]
    cited = {n for e in data["coverage"] for n in e["citations"]}
    assert cited == {c["n"] for c in data["citations"]}


def test_plain_ask_json_has_no_coverage_keys(sample_index):
    result = CliRunner().invoke(app, ["ask", "Hvad siger kommunerne om ventelister?", "--index", str(sample_index.index), "--json"])
    assert result.exit_code == 0
    assert set(json.loads(result.stdout)) == {"question", "answer", "filters", "grounded", "citations"}


@pytest.mark.parametrize(
    "question, expected",
    [
        ("Hvem nævner ventelister?", "Ingen høringssvar matcher afgrænsningen: afsendertype = regioner; fra dato = 01.01.2030. Fjern"),
        ("Who mentions waiting lists?", "No responses match the scope: sender type = regions; from date = 1 Jan 2030. Remove"),
    ],
)
def test_an_empty_scope_says_so_and_how_to_widen_it(searcher, question, expected):
    """Issue 21 #12: filters that leave no letter printed only the filter line ("Afgrænset til: …")."""
    from index.records import Filters

    answer = answer_question(question, searcher, Filters(sender_type="region", date_from="2030-01-01"), mode="coverage")
    assert answer.counts == {"in_scope": 0, "mentions": 0, "uncertain": 0} and not answer.grounded
    assert answer.text.startswith(expected), answer.text
    assert "Afgrænset til" not in answer.text and "Limited to" not in answer.text


def test_cli_coverage_with_an_empty_scope_says_so(sample_index):
    """The real CLI process: the plain answer names the filters and how to widen them."""
    import subprocess

    from tests.processes import hoering_command, python_env

    done = subprocess.run(
        [*hoering_command(), "ask", "Hvem nævner ventelister?", "--mode", "coverage", "--sender-type", "region",
         "--index", str(sample_index.index)],
        env=python_env(COLUMNS="400"), capture_output=True, text=True, timeout=180,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("Ingen høringssvar matcher afgrænsningen: afsendertype = regioner. Fjern et af filtrene"), done.stdout


def test_no_remarks_letters_are_not_said_to_be_silent_on_the_topic(hearing_build, embedder):
    """Issue 24 #3: a letter that only says "ingen bemærkninger" is never counted as "nævner det ikke"."""
    from retrieval.search import Searcher

    answer = answer_question("Hvem nævner ventelister?", Searcher(hearing_build, embedder=embedder), mode="coverage")
    assert answer.counts["no_remarks"] == 2
    silent_line = next(line for line in answer.text.splitlines() if line.endswith("nævner det ikke."))
    assert "Skanderborg" not in silent_line and "Favrskov" not in silent_line
    assert "Skanderborg Kommune og Favrskov Kommune har ingen bemærkninger til høringen." in answer.text


def test_campaign_letters_are_counted_both_ways(make_settings, embedder, tmp_path):
    """Issue 24 #4: letters that share a template are counted as letters and with the campaign counted once."""
    from ingest.pipeline import ingest
    from retrieval.search import Searcher

    template = ("Vi skriver for at udtrykke vores bekymring over de lange ventelister til bosteder og aflastning. "
                "Familier venter i mere end et år på en plads, og imens slides de pårørende op. Vi opfordrer "
                "regionen til at afsætte flere midler til pladser, så ventetiden kan bringes ned, og til at "
                "inddrage de pårørende i planlægningen af nye tilbud. Det haster for de familier, der venter nu.")
    folder = tmp_path / "letters"
    folder.mkdir()
    for i, name in enumerate(("Anne Holm", "Bo Riis", "Carl Dam", "Dorte Lund")):
        (folder / f"kampagne_{i}.txt").write_text(f"Høringssvar fra {name}\n\n{template}\n\nMed venlig hilsen\n{name}\n",
                                                  encoding="utf-8")
    (folder / "eget.txt").write_text("Høringssvar fra Ældrerådet\n\nÆldrerådet peger på ventelisterne til "
                                     "plejeboliger, som er vokset det seneste år, og ønsker en plan for flere pladser.\n",
                                     encoding="utf-8")
    settings = make_settings("campaign")
    assert not ingest([str(folder)], settings, embedder=embedder).failed
    answer = answer_question("Hvem nævner ventelister?", Searcher(settings, embedder=embedder), mode="coverage")
    assert answer.counts["mentions"] == 5
    assert answer.counts["campaign_letters"] == 4 and answer.counts["mentions_distinct"] == 2
    assert "Heraf er 4 enslydende breve fra 1 kampagne(r); talt som ét svar pr. kampagne er det 2." in answer.text
