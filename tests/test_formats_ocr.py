"""ingest.formats.ocr: OCR of scanned letters (real Tesseract with Danish data when installed; its absence simulated)."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from ingest.formats import ocr
from tests.factories import letter, make_pdf, scanned_image, scanned_pdf_bytes

needs_ocr = pytest.mark.skipif(not ocr.available(), reason=f"OCR unavailable: {ocr.status().reason}")

CYCLING = (
    "Vi støtter planen for cykelstierne langs landevejen. Det er vigtigt for pendlerne, at stierne bliver "
    "belyst om vinteren. Kommunen har selv afsat midler til vedligeholdelse af stierne i de kommende år, "
    "og vi foreslår, at regionen og kommunen laver en fælles plan for strækningen mellem byerne."
)


def _no_ocr(monkeypatch):
    monkeypatch.setattr(ocr, "status", lambda refresh=False: ocr.OcrStatus(False, "simulated: tesseract missing"))


def test_status_names_a_reason_when_tesseract_or_danish_is_missing(monkeypatch):
    ocr.status(refresh=True)
    monkeypatch.setattr(ocr.shutil, "which", lambda name: None)
    state = ocr.status(refresh=True)
    assert not state.available and "tesseract" in state.reason
    monkeypatch.undo()
    import pytesseract

    monkeypatch.setattr(ocr.shutil, "which", lambda name: "/usr/bin/tesseract")
    monkeypatch.setattr(pytesseract, "get_languages", lambda config="": ["eng", "osd"])
    state = ocr.status(refresh=True)
    assert not state.available and "Danish" in state.reason
    monkeypatch.undo()
    ocr.status(refresh=True)


@needs_ocr
def test_only_the_page_without_text_layer_is_ocred():
    from ingest.formats.table import load_bytes

    page1 = letter("Faxe Kommune", "Vi støtter planen for cykelstierne.")
    [doc] = load_bytes(scanned_pdf_bytes([page1]), "brev.pdf", "brev.pdf")
    assert [p.number for p in doc.pages] == [1, 2]
    assert doc.pages[0].ocr is False and "Faxe Kommune" in doc.pages[0].text
    assert doc.pages[1].ocr is True
    assert "støjvolden" in doc.pages[1].text and "Æblehaven" in doc.pages[1].text


@needs_ocr
@pytest.mark.parametrize("fmt,suffix", [("PNG", ".png"), ("JPEG", ".jpg"), ("TIFF", ".tiff")])
def test_image_letters_are_read_as_one_ocr_page(fmt, suffix):
    from ingest.formats.table import load_bytes

    buf = io.BytesIO()
    scanned_image().convert("RGB").save(buf, fmt)
    [doc] = load_bytes(buf.getvalue(), f"scan{suffix}", f"scan{suffix}")
    assert len(doc.pages) == 1 and doc.pages[0].ocr
    assert "Grundejerforeningen" in doc.pages[0].text and "Børnene" in doc.pages[0].text


@needs_ocr
def test_scanned_page_is_found_by_search_and_cited_with_its_page_and_ocr(tmp_path, make_settings, embedder):
    from answering.citations import make_citation
    from index.index import Index
    from ingest.pipeline import ingest
    from retrieval.search import Searcher

    folder = tmp_path / "svar"
    folder.mkdir()
    (folder / "scannet.pdf").write_bytes(
        scanned_pdf_bytes([letter("Faxe Kommune", CYCLING)])
    )
    settings = make_settings(chunk_size=200, chunk_overlap=0)
    report = ingest([str(folder)], settings, embedder=embedder)
    assert not report.failed, report.to_json()

    metas = Index(settings).store.read_chunks(with_embeddings=False).metadatas
    assert any(m["pages"] == "1" for m in metas) and any("2" in m["pages"].split(",") for m in metas)
    assert all(m.get("ocr") is True for m in metas if "2" in m["pages"].split(","))
    assert not any(m.get("ocr") for m in metas if m["pages"] == "1")  # the text page was not OCR'ed

    searcher = Searcher(settings, embedder=embedder)
    result = searcher.search("støjvolden ved Æblehaven", k=3)
    passages = result.passages if hasattr(result, "passages") else result
    top = passages[0]
    assert 2 in top.pages and top.ocr is True and "støjvolden" in top.text
    assert set(top.to_json()) == {"rank", "doc_id", "source", "sender", "sender_type", "page", "text", "score"}
    citation = make_citation(1, top, "Vi ønsker at støjvolden bliver forlænget")
    assert citation.verified and citation.page == 2 and citation.ocr is True
    assert set(citation.to_json()) == {"n", "doc_id", "source", "sender", "page", "quote"}
    plain = searcher.search("cykelstierne langs landevejen", k=1).passages[0]
    assert plain.pages == [1] and plain.ocr is False


def test_without_tesseract_a_scanned_pdf_gets_the_clear_outcome_and_the_rest_is_ingested(
    tmp_path, make_settings, embedder, monkeypatch
):
    from ingest.pipeline import ingest

    _no_ocr(monkeypatch)
    folder = tmp_path / "svar"
    folder.mkdir()
    (folder / "scannet.pdf").write_bytes(scanned_pdf_bytes())
    buf = io.BytesIO()
    scanned_image().save(buf, "PNG")
    (folder / "foto.png").write_bytes(buf.getvalue())
    make_pdf(folder / "digital.pdf", [letter("Norddjurs Kommune", "Vi har ingen bemærkninger til planen.")])
    (folder / "delvis.pdf").write_bytes(scanned_pdf_bytes([letter("Faxe Kommune", "Vi støtter planen.")]))

    report = ingest([str(folder)], make_settings(), embedder=embedder)
    failed = {Path(o.source).name: o.detail for o in report.failed}
    expected = "scannet dokument uden tekstlag: installer tesseract-ocr-dan for at læse det"
    assert failed == {"scannet.pdf": expected, "foto.png": expected}
    assert report.to_json()["ingested"] == 2  # digital.pdf, and delvis.pdf's text page
    partial = next(o for o in report.outcomes if o.source.endswith("delvis.pdf"))
    assert "side 2" in partial.detail and "OCR" in partial.detail


def test_english_message_for_missing_ocr():
    from core.phrases import message

    assert message("scanned_no_ocr", "en") == "scanned document without a text layer: install tesseract-ocr-dan to read it"


def test_ui_source_header_marks_ocr_text():
    from answering.schema import Citation
    from ui.sources import metadata_line

    # The mark stands on the source's metadata line, next to the page (the header is "Afsender · side 2").
    base = dict(n=1, doc_id="d", chunk_id="c", source="svar/scannet.pdf", sender="Grundejerforeningen", page=2, quote="x")
    assert "tekst fra OCR" in metadata_line(Citation(**base, ocr=True), "da")
    assert "text from OCR" in metadata_line(Citation(**base, ocr=True), "en")
    assert "OCR" not in metadata_line(Citation(**base), "da")
