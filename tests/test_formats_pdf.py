"""ingest.formats.pdf: PDF letters from real bytes (generated files and excerpts of real public PDFs in
tests/data/corpus): pages, title and reading order, repeated pages, running headers, ligatures, refusals."""

from __future__ import annotations

import io
import os
import re
from pathlib import Path

import pytest

from index.manifest import Manifest
from ingest.chunking import make_splitter
from ingest.formats.base import LoadError
from ingest.formats.table import load_bytes
from ingest.prepare import prepare_file
from tests.conftest import settings_for
from tests.factories import DANISH, make_encrypted_pdf, make_pdf, pdf_bytes
from tests.reference_text import find_line, norm


def _prepare(path: Path, tmp_path: Path):
    """Load → clean → metadata → chunk one file exactly as ingest does (no embedding)."""
    prepared = prepare_file(str(path), Manifest(), settings_for(tmp_path / "unused"), make_splitter(800, 100))
    assert prepared.error is None, prepared.error
    return prepared


def _only_doc(prepared):
    assert len(prepared.documents) == 1
    return prepared.documents[0]


def test_generated_pdf_pages_text_and_title(tmp_path):
    path = make_pdf(tmp_path / "brev.pdf", ["Side et: " + DANISH, "Side to (med parentes)", "Side tre"], title="Høringssvar")
    [doc] = load_bytes(path.read_bytes(), path.name, str(path))
    assert [p.number for p in doc.pages] == [1, 2, 3]
    assert DANISH in doc.pages[0].text
    assert "Side to (med parentes)" in doc.pages[1].text
    assert "Side tre" in doc.pages[2].text
    assert doc.title == "Høringssvar"
    assert doc.source == str(path)


def test_pdf_distinctive_word_on_page_two_gets_chunk_page_two(tmp_path):
    filler = "Kommunen har læst planen grundigt og har en række bemærkninger til den samlede indsats."
    # ~2,000 characters a page, the word in the middle of page 2: no 800-character chunk holding it
    # can reach page 1 or 3.
    pages = [
        "\n".join([filler] * 22),
        "\n".join([filler] * 11 + ["Her nævnes ordet blåbærgrød som kun står på side to."] + [filler] * 11),
        "\n".join([filler] * 22),
    ]
    path = make_pdf(tmp_path / "tre_sider.pdf", pages)
    doc, chunks = _only_doc(_prepare(path, tmp_path))
    assert doc.pages == 3
    hits = [c for c in chunks if "blåbærgrød" in c.text]
    assert hits, "the distinctive word must survive loading, cleaning and chunking"
    assert all(c.pages == [2] for c in hits)
    # Reading order: page 1 text, then page 2, then page 3; every chunk's pages are where its text is.
    assert [c.pages[0] for c in chunks] == sorted(c.pages[0] for c in chunks)
    assert {p for c in chunks for p in c.pages} == {1, 2, 3}
    for c in chunks:
        assert c.text == doc.text[c.start : c.end]


REPEATED_PAGE = (
    "Høringssvar fra Grundejerforeningen Søhøjlandet\n"
    "Vi ønsker at støjvolden bliver forlænget langs hele strækningen ved Ålborgvej.\n"
    "Med venlig hilsen\n"
    "Anna Hansen"
)


def _one_stream_pdf(path: Path, copies: int) -> Path:
    """A PDF whose ``copies`` pages all draw one and the same content stream (as some printers write them)."""
    from pypdf import PdfReader, PdfWriter

    page = PdfReader(io.BytesIO(pdf_bytes([REPEATED_PAGE]))).pages[0]
    writer = PdfWriter()
    for _ in range(copies):
        writer.add_page(page)
    with open(path, "wb") as out:
        writer.write(out)
    return path


@pytest.mark.parametrize("shared_stream", [False, True], ids=["own-streams", "one-stream"])
def test_a_text_pdf_whose_pages_repeat_is_read_as_text(shared_stream, make_settings, embedder, tmp_path):
    """Issue 21 #12: pages with identical text were all taken for running headers, the letter came out empty and
    was refused as scanned. Identical pages count once, so nothing of the letter is a header."""
    from pypdf import PdfReader

    from ingest.pipeline import ingest
    from index.index import Index

    path = tmp_path / "gentaget.pdf"
    if shared_stream:
        _one_stream_pdf(path, 3)
        contents = {page.raw_get("/Contents").idnum for page in PdfReader(path).pages}
        assert len(contents) == 1  # really one stream drawn by three pages
    else:
        make_pdf(path, [REPEATED_PAGE] * 3)
    report = ingest([str(path)], make_settings(), embedder=embedder)
    [outcome] = report.outcomes
    assert outcome.status.value == "ingested", outcome
    [record] = Index(make_settings()).manifest().documents.values()
    assert record.pages == 3
    # Nothing of the letter was dropped as a header: sender line, statement and signature are on every page.
    doc, chunks = _only_doc(_prepare(path, tmp_path))
    for number, (start, end) in enumerate(doc.page_spans, start=1):
        for line in REPEATED_PAGE.split("\n"):
            assert line in doc.text[start:end], (number, line)
    assert {p for c in chunks for p in c.pages} == {1, 2, 3}


def test_pdf_without_text_layer_is_a_clear_failure(tmp_path):
    with pytest.raises(LoadError) as info:
        load_bytes(pdf_bytes(["", ""]), "scan.pdf", "scan.pdf")
    assert info.value.code == "no_text"


def test_encrypted_pdf_is_refused(tmp_path):
    path = make_encrypted_pdf(tmp_path / "hemmelig.pdf", ["Fortroligt høringssvar"])
    with pytest.raises(LoadError) as info:
        load_bytes(path.read_bytes(), path.name, str(path))
    assert info.value.code == "encrypted_pdf"


@pytest.mark.parametrize(
    "data",
    [pdf_bytes(["Norddjurs Kommune"])[:200], b"%PDF-1.4\n" + os.urandom(2000), os.urandom(4000)],
    ids=["truncated", "header-then-junk", "junk"],
)
def test_corrupt_pdf_is_refused(data):
    with pytest.raises(LoadError) as info:
        load_bytes(data, "brev.pdf", "brev.pdf")
    assert info.value.code == "corrupt_pdf"
    assert info.value.params["error"]


# ------------------------------------------------- real documents (excerpts in tests/data/corpus)

REAL_PDFS = ["dagsbil", "document", "Aarhus_Byråd-Aarhus_Byråd_den_27._august_2025"]


@pytest.mark.parametrize("name", REAL_PDFS)
def test_real_pdf_keeps_page_numbers_and_reading_order(name, real_corpus, tmp_path):
    """Against the corpus's independent text export (pages separated by form feeds): every line that is
    unique there and in our text is on the same page and in the same order."""
    pdf = real_corpus / "aarhus" / "orig" / f"{name}.pdf"
    reference = real_corpus / "aarhus" / f"{name}.txt"
    doc, chunks = _only_doc(_prepare(pdf, tmp_path))
    ref_text = reference.read_text(encoding="utf-8")
    ref_pages = ref_text.split("\f")
    ref_all = norm(ref_text)
    assert doc.pages == len([p for p in ref_pages if p.strip()])

    checked, positions = 0, []
    for number, page in enumerate(ref_pages, start=1):
        for line in page.split("\n"):
            line = norm(line)
            if len(line.split()) < 5 or ref_all.count(line) != 1:
                continue
            matches = find_line(doc.text, line)
            if len(matches) != 1:
                continue
            m = matches[0]
            assert doc.page_of(m.start(), m.end())[0] == number, line
            containing = [c for c in chunks if c.start <= m.start() and m.end() <= c.end]
            assert all(number in c.pages for c in containing), line
            positions.append(m.start())
            checked += 1
    assert checked >= 10 * doc.pages or checked >= 50, f"too few lines compared ({checked})"
    assert positions == sorted(positions), "reading order differs from the reference export"


def test_real_pdf_drops_running_header_and_page_numbers(real_corpus, tmp_path):
    pdf = real_corpus / "aarhus" / "orig" / "dagsbil.pdf"
    [raw] = load_bytes(pdf.read_bytes(), pdf.name, str(pdf))
    assert all("Sundhed og Omsorg 2025" in p.text.split("\n")[0] for p in raw.pages)  # the running header
    assert all(f"Side {p.number} af 4" in p.text for p in raw.pages)
    doc, _ = _only_doc(_prepare(pdf, tmp_path))
    assert not re.search(r"Side \d af 4", doc.text)
    assert not re.search(r"Sager p.\s+vej . Sundhed og Omsorg 2025", doc.text)
    assert "Færdigbehandlede sager i 2024" in doc.text  # content that follows the header stays


def test_real_pdf_ligatures_are_resolved(real_corpus, tmp_path):
    pdf = real_corpus / "aarhus" / "orig" / "document.pdf"
    [raw] = load_bytes(pdf.read_bytes(), pdf.name, str(pdf))
    assert "\ufb02ertal" in raw.pages[0].text  # the PDF's text layer uses the ﬂ ligature
    doc, chunks = _only_doc(_prepare(pdf, tmp_path))
    assert "flertal" in doc.text and "finde en plads" in doc.text
    assert not re.search("[\ufb00-\ufb06]", doc.text)
