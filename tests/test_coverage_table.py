"""export.coverage_table: who says what as a table (afsender | type | nævner emnet? | citat | side | kilde) in the
answer's language, and as XLSX and CSV in which no cell can become a formula; export.labels: what a reader sees
of a citation's metadata (pages, file names without hashes; sender types as words: tests/test_senders.py)."""

from __future__ import annotations

import csv
import io

import openpyxl
import pytest

from answering.ask import ask, final_answer
from answering.coverage_answer import lead_sentence
from answering.schema import Answer, Citation, CoverageEntry
from export.coverage_table import coverage_rows, headers, to_csv, to_xlsx
from export.labels import file_label, first_words, page_label
from index.records import Filters
from tests.test_verdict import use_band

HOSTILE = "=HYPERLINK(\"http://evil.example\",\"klik\")"


def _answer(language: str = "da", *, uncertain: bool = False) -> Answer:
    """Two letters that mention the topic, one that does not and, with ``uncertain``, one the judge left
    uncertain (listed last in the answer, with its best sentence as citation 3)."""
    citations = [
        Citation(n=1, doc_id="d1", chunk_id="d1:0", source="/x/001_569e1742befe58b9.txt", sender="Hedensted Kommune",
                 sender_type="kommune", page=3, quote="Vi har lange ventelister.", verified=True),
        Citation(n=2, doc_id="d2", chunk_id="d2:0", source="/x/brev.txt", sender=HOSTILE, sender_type="borger",
                 page=1, quote="+45 er ikke et tal, men en formel?", verified=True),
    ]
    coverage = [
        CoverageEntry(doc_id="d1", source="/x/001_569e1742befe58b9.txt", sender="Hedensted Kommune",
                      sender_type="kommune", mentions=True, probability=0.97, citations=[1]),
        CoverageEntry(doc_id="d2", source="/x/brev.txt", sender=HOSTILE, sender_type="borger", mentions=True,
                      probability=0.81, citations=[2]),
        CoverageEntry(doc_id="d3", source="/x/003_be0da06586603f9f.txt", sender="LMU Hjernesgade",
                      sender_type="med_udvalg", mentions=False, probability=0.04, citations=[]),
    ]
    counts = {"in_scope": 3, "mentions": 2, "uncertain": 0}
    if uncertain:
        citations.append(Citation(n=3, doc_id="d4", chunk_id="d4:0", source="/x/002_eb13e6cc94d726ef.txt",
                                  sender="Norddjurs Kommune", sender_type="kommune", page=2,
                                  quote="Ventetiden er lang for nogle borgere.", verified=True))
        coverage.append(CoverageEntry(doc_id="d4", source="/x/002_eb13e6cc94d726ef.txt", sender="Norddjurs Kommune",
                                      sender_type="kommune", verdict="uncertain", probability=0.41, citations=[3]))
        counts = {"in_scope": 4, "mentions": 2, "uncertain": 1}
    return Answer(question="Hvad siger de om ventelister?" if language == "da" else "What do they say about waiting lists?",
                  text="…", language=language, method="coverage", grounded=True, citations=citations,
                  coverage=coverage, counts=counts, filters=Filters())


def test_rows_in_the_answers_language_with_quote_page_and_citation():
    rows = coverage_rows(_answer())
    assert headers("da") == ("Afsender", "Type", "Nævner emnet?", "Citat", "Side", "Kilde")
    assert [r.cells() for r in rows] == [
        ("Hedensted Kommune", "kommune", "ja", "Vi har lange ventelister.", 3, "[1]"),
        (HOSTILE, "borger", "ja", "+45 er ikke et tal, men en formel?", 1, "[2]"),
        ("LMU Hjernesgade", "MED-udvalg", "nej", "", None, ""),
    ]
    assert [r.n for r in rows] == [1, 2, None]
    english = coverage_rows(_answer("en"))
    assert headers("en") == ("Sender", "Type", "Mentions the topic?", "Quote", "Page", "Source")
    assert [(r.type, r.mentions) for r in english] == [("municipality", "yes"), ("citizen", "yes"),
                                                       ("employee (MED) committee", "no")]


def test_lead_sentence_is_the_count_without_quotes():
    assert lead_sentence(_answer()) == "2 af 3 høringssvar nævner ventelister."
    assert lead_sentence(_answer("en")) == "2 of 3 responses mention waiting lists."


def test_uncertain_rows_say_so_show_their_best_sentence_and_come_between():
    """Ja / nej / usikker in the mentions column; the uncertain letter's best sentence in the quote column so a
    person decides it at a glance; sorted mentions, uncertain, not mentioned whatever the answer's order."""
    rows = coverage_rows(_answer(uncertain=True))
    assert [r.cells() for r in rows] == [
        ("Hedensted Kommune", "kommune", "ja", "Vi har lange ventelister.", 3, "[1]"),
        (HOSTILE, "borger", "ja", "+45 er ikke et tal, men en formel?", 1, "[2]"),
        ("Norddjurs Kommune", "kommune", "usikker", "Ventetiden er lang for nogle borgere.", 2, "[3]"),
        ("LMU Hjernesgade", "MED-udvalg", "nej", "", None, ""),
    ]
    assert [(r.verdict, r.mentioned, r.n) for r in rows] == [
        ("mentions", True, 1), ("mentions", True, 2), ("uncertain", False, 3), ("not_mentioned", False, None)]
    english = coverage_rows(_answer("en", uncertain=True))
    assert [r.mentions for r in english] == ["yes", "yes", "uncertain", "no"]
    assert lead_sentence(_answer(uncertain=True)) == "2 af 4 høringssvar nævner ventelister · 1 usikker."
    assert lead_sentence(_answer("en", uncertain=True)) == "2 of 4 responses mention waiting lists · 1 uncertain."
    text = to_csv(_answer(uncertain=True)).decode("utf-8")
    csv_rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff")), delimiter=";"))
    assert csv_rows[3] == ["Norddjurs Kommune", "kommune", "usikker", "Ventetiden er lang for nogle borgere.", "2", "[3]"]
    sheet = openpyxl.load_workbook(io.BytesIO(to_xlsx(_answer(uncertain=True)))).active
    assert [c.value for c in sheet[4]] == ["Norddjurs Kommune", "kommune", "usikker",
                                           "Ventetiden er lang for nogle borgere.", 2, "[3]"]


def test_csv_and_xlsx_carry_every_row_and_no_formula():
    answer = _answer()
    text = to_csv(answer).decode("utf-8")
    assert text.startswith("\ufeff")  # Excel reads æøå
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff")), delimiter=";"))
    assert rows[0] == ["Afsender", "Type", "Nævner emnet?", "Citat", "Side", "Kilde"]
    assert rows[1] == ["Hedensted Kommune", "kommune", "ja", "Vi har lange ventelister.", "3", "[1]"]
    assert rows[2][0] == "'" + HOSTILE and rows[2][3] == "'+45 er ikke et tal, men en formel?"
    assert rows[3] == ["LMU Hjernesgade", "MED-udvalg", "nej", "", "", ""]

    book = openpyxl.load_workbook(io.BytesIO(to_xlsx(answer)))
    sheet = book.active
    assert sheet.title == "Hvem siger hvad"
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    assert values[0] == ["Afsender", "Type", "Nævner emnet?", "Citat", "Side", "Kilde"]
    assert values[1] == ["Hedensted Kommune", "kommune", "ja", "Vi har lange ventelister.", 3, "[1]"]
    assert values[2][0] == "'" + HOSTILE
    for row in sheet.iter_rows():
        for cell in row:
            assert cell.data_type in ("s", "n"), (cell.coordinate, cell.data_type)
            assert not (isinstance(cell.value, str) and cell.value.startswith(("=", "+", "-", "@")))


def test_labels_say_what_a_reader_needs():
    assert file_label("/data/sample/001_569e1742befe58b9.txt") == ""  # a hash is no name: the sender says who
    assert file_label("/uploads/Høringssvar fra FOA.pdf") == "Høringssvar fra FOA.pdf"
    assert file_label("/uploads/brev-1a2b3c4d.pdf") == "brev.pdf"  # the content-hash suffix of a name clash
    assert file_label("/in/bundle.zip#svar/borger.pdf") == "bundle.zip › borger.pdf"
    assert file_label(None) == "" and file_label("") == ""
    assert page_label(3, "da") == "side 3" and page_label(3, "en") == "page 3" and page_label(None, "da") == ""
    assert first_words("Vi oplever store kapacitetsudfordringer, som kommer til syne") == "Vi oplever store kapacitetsudfordringer, som kommer …"


def test_a_real_english_table_leaves_undecided_letters_uncertain_with_their_best_sentence(searcher):
    """The shipped English band decides only verdicts that are right 97 % of the time (docs/decisions/0013), which
    the judge reaches for few English pairs: Hedensted (p .23) is *uncertain*, shown with its waiting-list
    sentence for a person to decide, never "no"; Norddjurs (p .03) is never "yes"."""
    answer = final_answer(ask("What do the municipalities say about waiting lists?", searcher, mode="coverage"))
    rows = coverage_rows(answer)
    hedensted = next(r for r in rows if r.sender.startswith("Hedensted"))
    assert hedensted.verdict == "uncertain" and hedensted.mentions == "uncertain" and not hedensted.mentioned
    assert "lange ventelister" in hedensted.quote and hedensted.page == 1 and hedensted.n == 1
    norddjurs = next(r for r in rows if r.sender.startswith("Norddjurs Kommune"))
    assert norddjurs.verdict != "mentions" and not norddjurs.mentioned
    assert bool(norddjurs.quote) == (norddjurs.verdict == "uncertain")  # an uncertain row shows its best sentence
    k, u = answer.counts["mentions"], answer.counts["uncertain"]
    assert k == 0 and u >= 1 and answer.counts["in_scope"] == 2
    assert lead_sentence(answer) == f"0 of 2 municipalities mention waiting lists · {u} uncertain."


@pytest.mark.parametrize("question, language, group", [
    ("Hvad siger kommunerne om ventelister?", "da", "kommuner"),
    ("What do the municipalities say about waiting lists?", "en", "municipalities"),
])
def test_a_real_who_says_what_table(searcher, tmp_path, monkeypatch, question, language, group):
    """A band that decides both letters (the shipped Danish one; for English one set around the measured
    probabilities, Hedensted .23 and Norddjurs .03): a "yes" row with its quote and a "no" row without."""
    if language == "en":
        use_band(monkeypatch, tmp_path, en=(0.1, 0.2))
    stages = []
    answer = final_answer(ask(question, searcher, mode="coverage", on_stage=stages.append))
    assert stages == ["search"] and answer.language == language
    rows = coverage_rows(answer)
    labels = {e.sender: e.label for e in answer.coverage}
    assert set(labels) == {"Hedensted Kommune (Voksenhandicap)", "Norddjurs Kommune"}
    assert {r.sender for r in rows} == set(labels.values())  # each row named as the answer names its letter
    hedensted = next(r for r in rows if r.sender.startswith("Hedensted"))
    assert hedensted.mentioned and "lange ventelister" in hedensted.quote and hedensted.page == 1 and hedensted.n == 1
    norddjurs = next(r for r in rows if r.sender.startswith("Norddjurs Kommune"))
    assert not norddjurs.mentioned and norddjurs.quote == "" and norddjurs.page is None
    assert lead_sentence(answer).startswith(f"1 {'af' if language == 'da' else 'of'} 2 {group} ")
    words = {"da": ("kommune", "ja", "nej"), "en": ("municipality", "yes", "no")}[language]
    assert {r.type for r in rows} == {words[0]} and {r.mentions for r in rows} == set(words[1:])
    assert [r.verdict for r in rows] == [e.verdict for e in answer.coverage] == ["mentions", "not_mentioned"]


def test_stages_of_an_answer_come_in_order(searcher):
    stages = []
    answer = final_answer(ask("Hvad siger kommunerne om ventelister?", searcher, on_stage=stages.append))
    assert answer.grounded and stages == ["search", "quotes", "write"]


def test_the_answer_exports_carry_the_table():
    import docx

    from export.answer import to_docx, to_markdown

    answer = _answer()
    markdown = to_markdown(answer)
    assert "| Afsender | Type | Nævner emnet? | Citat | Side | Kilde |" in markdown
    assert "| Hedensted Kommune | kommune | ja | Vi har lange ventelister. | 3 | \\[1\\] |" in markdown
    assert "| LMU Hjernesgade | MED-udvalg | nej |  |  |  |" in markdown
    document = docx.Document(io.BytesIO(to_docx(answer)))
    [table] = document.tables
    assert [c.text for c in table.rows[0].cells] == ["Afsender", "Type", "Nævner emnet?", "Citat", "Side", "Kilde"]
    assert [c.text for c in table.rows[1].cells] == ["Hedensted Kommune", "kommune", "ja", "Vi har lange ventelister.", "3", "[1]"]
    assert len(table.rows) == 4
