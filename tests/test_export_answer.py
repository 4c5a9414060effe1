"""export.answer: the Markdown and Word exports of an answer carry the question, the answer and every verified
citation (sender, page, quote); unverified ones never; letter text stays text; Word accepts any question."""

from __future__ import annotations

import io
import re

import docx
import pytest

from export.answer import to_docx, to_markdown
from core.senders import sender_type_label
from export.labels import file_label
from answering.schema import Answer, Citation
from index.records import Filters

QUESTION = "Hvad siger kommunerne om ventelister?"


@pytest.fixture(scope="module")
def real_answer(sample_index, embedder):
    """A real extractive answer over the sample corpus, with several verified citations."""
    from answering.ask import answer_question
    from retrieval.search import Searcher

    answer = answer_question("Hvem nævner rekruttering og fastholdelse af personale?", Searcher(sample_index, embedder=embedder))
    assert answer.grounded and len([c for c in answer.citations if c.verified]) >= 3
    return answer


def _citation(n: int, sender: str, quote: str, *, page: int = 1, verified: bool = True, source: str = "") -> Citation:
    return Citation(
        n=n, doc_id=f"doc{n}", chunk_id=f"doc{n}:0000", source=source or f"/data/breve/{n:03d}_brev.txt",
        sender=sender, sender_type="kommune", page=page, quote=quote, verified=verified,
    )


def _made_up_answer(**update) -> Answer:
    answer = Answer(
        question=QUESTION,
        text=(
            "Det skriver høringssvarene:\n\n"
            "- Hedensted Kommune skriver: »Vi har lange ventelister.« [1]\n"
            "- Norddjurs Kommune skriver: »Ventetiden er et problem.« [3]\n\n"
            "Afgrænset til: afsendertype = kommuner (udledt af spørgsmålet – kan fjernes)."
        ),
        filters=Filters(sender_type="kommune", inferred=["sender_type"]),
        grounded=True,
        citations=[
            _citation(1, "Hedensted Kommune", "Vi har lange ventelister.", page=2),
            _citation(2, "Opdigtet Afsender", "Dette citat kunne ikke verificeres.", verified=False),
            _citation(3, "Norddjurs Kommune", "Ventetiden er et problem.", page=4),
        ],
    )
    return answer.model_copy(update=update)


def _docx_text(data: bytes) -> tuple[list, str]:
    document = docx.Document(io.BytesIO(data))
    paragraphs = document.paragraphs
    return paragraphs, "\n".join(p.text for p in paragraphs)


def _unescape(markdown: str) -> str:
    return re.sub(r"\\(.)", r"\1", markdown)


def test_markdown_of_a_real_answer_has_question_answer_and_every_citation(real_answer):
    markdown = to_markdown(real_answer)
    plain = _unescape(markdown)
    assert markdown.startswith("# Svar fra Høringsassistent\n")
    assert f"**Spørgsmål:** {real_answer.question}" in plain
    assert "## Svar" in markdown and "## Kilder" in markdown
    assert real_answer.text in plain
    for c in real_answer.citations:
        if c.verified:
            # the sender type as a word, the file only by its own name (the sample's hash names have none)
            assert f"{c.n}. {c.sender} ({sender_type_label(c.sender_type, 'da')}) – side {c.page}: »{c.quote}«" in plain
    assert "_" not in markdown.split("## Kilder")[1].split("_Filtre")[0]  # no hash file name, no raw "med_udvalg"


def test_docx_of_a_real_answer_has_question_answer_and_every_citation(real_answer):
    paragraphs, text = _docx_text(to_docx(real_answer))
    assert paragraphs[0].text == "Svar fra Høringsassistent" and paragraphs[0].style.name == "Heading 1"
    assert f"Spørgsmål: {real_answer.question}" in text
    bullets = [p.text for p in paragraphs if p.style.name == "List Bullet"]
    assert bullets == [line[2:] for line in real_answer.text.split("\n") if line.startswith("- ")]
    sources = [p for p in paragraphs if p.style.name == "List Number"]
    verified = [c for c in real_answer.citations if c.verified]
    assert len(sources) == len(verified)
    for par, c in zip(sources, verified):
        assert par.text == f"[{c.n}] {c.sender} ({sender_type_label(c.sender_type, 'da')}) – side {c.page}: »{c.quote}«"
        assert c.source not in par.text and not file_label(c.source)
        assert par.runs[0].bold and par.runs[0].text == f"[{c.n}] {c.sender}"
        assert par.runs[-1].italic and par.runs[-1].text == f"»{c.quote}«"


def test_unverified_citations_are_left_out_of_both():
    answer = _made_up_answer()
    markdown = _unescape(to_markdown(answer))
    _, text = _docx_text(to_docx(answer))
    for out in (markdown, text):
        assert "Hedensted Kommune" in out and "side 2" in out and "»Vi har lange ventelister.«" in out
        assert "Norddjurs Kommune" in out and "side 4" in out and "»Ventetiden er et problem.«" in out
        assert "Opdigtet Afsender" not in out
        assert "Dette citat kunne ikke verificeres" not in out
    # field names and values in words, in the answer's language
    assert "Filtre: afsendertype = kommuner" in markdown and "Filtre: afsendertype = kommuner" in text
    assert "sender_type" not in markdown + text
    assert "Hedensted Kommune (kommune) – 001_brev.txt, side 2: »" in markdown.replace("\\", "")


def test_english_labels():
    answer = _made_up_answer(language="en", question="What do the municipalities say about waiting lists?")
    markdown = to_markdown(answer)
    _, text = _docx_text(to_docx(answer))
    assert markdown.startswith("# Answer from Høringsassistent")
    assert "**Question:** What do the municipalities say about waiting lists?" in markdown
    assert "## Sources" in markdown and ", page 2: »" in markdown
    assert "Question: What do the municipalities say" in text and ", page 4: »" in text
    # one language: the sender type, the page and the filters in English too
    for out in (_unescape(markdown), text):
        assert "Hedensted Kommune (municipality) – 001_brev.txt, page 2: »" in out
        assert "Filters: sender type = municipalities" in out
        assert "kommune)" not in out and "side " not in out


def test_an_answer_without_citations_exports_too():
    answer = Answer(question="Hvad siger de om månelandinger?", text="Høringssvarene nævner ikke det, du spørger om.")
    markdown = to_markdown(answer)
    assert "Høringssvarene nævner ikke det, du spørger om." in markdown and "Filtre: ingen" in markdown
    _, text = _docx_text(to_docx(answer))
    assert "Høringssvarene nævner ikke det, du spørger om." in text


def test_markdown_export_keeps_letter_markup_as_text():
    markdown_it = pytest.importorskip("markdown_it")
    hostile = "<script>alert(1)</script> [klik her](javascript:alert(2)) **fed** _kursiv_ `kode` ~~x~~ | a |"
    answer = _made_up_answer(
        question="Hvad med <b>fed</b> og [links](http://evil.example)?",
        text=f"Det skriver høringssvarene:\n\n- Foreningen *X* skriver: »{hostile}« [1]\n# ikke en overskrift\n1. ikke en liste",
        citations=[_citation(1, "Foreningen *X*", hostile, source="/data/breve/__init___brev.txt")],
    )
    markdown = to_markdown(answer)
    assert _unescape(markdown.split("## Svar", 1)[1].split("## Kilder")[0]).strip() == answer.text
    assert "001_brev" in to_markdown(_made_up_answer())  # a plain file name stays readable (no "\_")
    rendered = markdown_it.MarkdownIt("commonmark").enable(["table", "strikethrough"]).render(markdown)
    tags = set(re.findall(r"</?([a-z0-9]+)", rendered))
    # Only the export's own structure: title, headings, bold label, bullets, numbered sources, italic footer.
    assert tags <= {"h1", "h2", "p", "strong", "ul", "ol", "li", "em"}, tags
    assert "<script" not in rendered and "<a " not in rendered and "<code>" not in rendered and "<h1>ikke" not in rendered
    assert rendered.count("<strong>") == 1 and rendered.count("<h1>") == 1 and rendered.count("<ol>") == 1
    assert "&lt;script&gt;alert(1)&lt;/script&gt; [klik her](javascript:alert(2)) **fed** _kursiv_ `kode`" in rendered
    assert "__init___brev.txt" in rendered and "/data/breve/" not in rendered  # the file by its own name only


def test_docx_accepts_characters_xml_forbids():
    # A question pasted from a PDF can carry a form feed; python-docx refuses such characters outright.
    answer = _made_up_answer(question="Hvad siger\x0c kommunerne\x00 om ventelister?\x1b")
    _, text = _docx_text(to_docx(answer))
    assert "Spørgsmål: Hvad siger kommunerne om ventelister?" in text


@pytest.mark.parametrize("question, language", [
    ("Hvad siger kommunerne om ventelister?", "da"),
    ("What do the municipalities say about waiting lists?", "en"),
])
def test_a_who_says_what_export_shows_each_letters_state_and_the_uncertain_count(searcher, tmp_path, monkeypatch,
                                                                              question, language):
    """Three-state verdicts in the exported answer (Markdown and Word): the lead counts the uncertain letters, the
    uncertain letter has its own line with its best sentence, and the table says ja / usikker per letter."""
    from answering.ask import answer_question
    from tests.test_verdict import use_band

    # Norddjurs falls inside the band, Hedensted above (measured: da .019 and .998, en .030 and .233)
    use_band(monkeypatch, tmp_path, **{language: {"da": (0.005, 0.5), "en": (0.01, 0.2)}[language]})
    answer = answer_question(question, searcher, mode="coverage")
    assert answer.counts == {"in_scope": 2, "mentions": 1, "uncertain": 1}
    norddjurs = next(e for e in answer.coverage if e.verdict == "uncertain")
    quote = answer.citations[norddjurs.citations[0] - 1].quote
    words = {"da": ("1 af 2 kommuner nævner ventelister · 1 usikker.", "Usikkert: ", "ja", "usikker"),
             "en": ("1 of 2 municipalities mentions waiting lists · 1 uncertain.", "Uncertain: ", "yes", "uncertain")}
    lead, unsure, yes, uncertain = words[language]
    markdown = _unescape(to_markdown(answer))
    _, text = _docx_text(to_docx(answer))
    for out in (markdown, text):
        assert lead in out
        assert f"{unsure}{norddjurs.label} (»{quote}« [2])." in out
    assert f"| {norddjurs.label} | {sender_type_label('kommune', language)} | {uncertain} | {quote} |" in markdown
    [table] = docx.Document(io.BytesIO(to_docx(answer))).tables
    assert [row.cells[2].text for row in table.rows[1:]] == [yes, uncertain]
    assert table.rows[2].cells[3].text == quote
