"""Outlook .msg mails: body, sender, date and attachments become one document, like an .eml's."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timezone

import pytest

from ingest.loaders import LoadError, load_bytes, msg_documents
from tests.factories import letter, msg_bytes, pdf_bytes


@dataclass
class StandInAttachment:
    """The attributes of extract_msg.Attachment the loader reads."""

    longFilename: str | None
    data: object
    shortFilename: str | None = None


@dataclass
class StandInMessage:
    """The attributes of extract_msg.Message the loader reads (for the cases a written .msg cannot easily show)."""

    sender: str
    date: datetime | None
    subject: str
    body: str | None
    htmlBody: bytes | None = None
    attachments: list = field(default_factory=list)


ATTACHMENT = pdf_bytes([letter("Faxe Kommune", "Vi støtter planen for de nye botilbud, men savner finansiering.")])


def test_msg_maps_body_sender_date_and_attachments():
    message = StandInMessage(
        sender="Faxe Kommune <post@faxekommune.dk>",
        date=datetime(2023, 9, 14, 10, 30, tzinfo=timezone.utc),
        subject="Høringssvar fra Faxe Kommune",
        body="Hermed vores høringssvar, se vedhæftede brev.\n\nMed venlig hilsen\nFaxe Kommune",
        attachments=[
            StandInAttachment("Høringssvar Faxe.pdf", ATTACHMENT),
            StandInAttachment(None, b"Kort bilag om ventelister.", shortFilename="BILAG~1.TXT"),
            StandInAttachment("logo.png.exe", b"MZ"),  # not a format we read: skipped
            StandInAttachment("videresendt.msg", object()),  # an embedded message (data is not bytes): skipped
        ],
    )
    [mail] = msg_documents(message, "svar/faxe.msg")
    assert mail.source == "svar/faxe.msg" and mail.parent_source is None
    assert mail.title == "Høringssvar fra Faxe Kommune" and "vedhæftede brev" in mail.pages[0].text
    assert (mail.sender_hint, mail.sender_email, mail.date_hint) == ("Faxe Kommune", "post@faxekommune.dk", "2023-09-14")
    body, pdf, txt = mail.pages
    assert [page.number for page in mail.pages] == [1, 2, 3]
    assert pdf.text.startswith("Vedhæftet fil: Høringssvar Faxe.pdf") and "finansiering" in pdf.text
    assert txt.text.startswith("Vedhæftet fil: BILAG~1.TXT") and "ventelister" in txt.text
    assert not any("MZ" in page.text for page in mail.pages)


def test_msg_html_only_body_and_failed_attachment_warning():
    message = StandInMessage(
        sender="borger@example.dk",
        date=None,
        subject="Svar",
        body="",
        htmlBody="<html><body><p>Jeg er imod lukningen af <b>Bostedet Åbo</b>.</p><script>x()</script></body></html>".encode(),
        attachments=[StandInAttachment("brev.pdf", b"%PDF-1.4 broken")],
    )
    [doc] = msg_documents(message, "m.msg")
    assert "Jeg er imod lukningen af Bostedet Åbo." in " ".join(doc.pages[0].text.split())
    assert "x()" not in doc.pages[0].text
    assert doc.sender_email == "borger@example.dk" and doc.date_hint is None
    [warning] = doc.warnings  # in words, not a bare code
    assert warning.startswith("brev.pdf: PDF-filen er beskadiget eller ikke en PDF")


def test_msg_without_text_is_no_text():
    with pytest.raises(LoadError) as caught:
        msg_documents(StandInMessage(sender="", date=None, subject="", body=""), "tom.msg")
    assert caught.value.code == "no_text"


def test_garbage_msg_is_a_clear_error():
    with pytest.raises(LoadError) as caught:
        load_bytes(b"this is not an OLE file at all" * 10, "x.msg", "x.msg")
    assert caught.value.code == "bad_email"


def test_real_msg_file_with_pdf_attachment():
    """A genuine .msg (OLE compound file, see factories.msg_bytes) read by extract-msg through load_bytes."""
    data = msg_bytes(
        sender_name="Faxe Kommune",
        sender_email="post@faxekommune.dk",
        subject="Høringssvar fra Faxe Kommune",
        body="Hermed vores høringssvar om botilbud, se vedhæftede brev. Æ Ø Å.",
        attachments={"Høringssvar Faxe.pdf": ATTACHMENT, "logo.png": b"\x89PNG\r\n\x1a\n"},
    )
    [mail] = load_bytes(data, "faxe.msg", "svar/faxe.msg")
    assert mail.source == "svar/faxe.msg" and mail.title == "Høringssvar fra Faxe Kommune"
    body, pdf = mail.pages
    assert "vedhæftede brev. Æ Ø Å." in body.text
    assert pdf.text.startswith("Vedhæftet fil: Høringssvar Faxe.pdf") and "finansiering" in pdf.text
    assert (mail.sender_hint, mail.sender_email, mail.date_hint) == ("Faxe Kommune", "post@faxekommune.dk", "2023-09-14")


def test_ingest_msg_with_an_attachment_is_one_response(tmp_path, make_settings, embedder):
    from index.index import Index
    from ingest.pipeline import ingest

    path = tmp_path / "faxe.msg"
    path.write_bytes(msg_bytes(
        sender_name="Faxe Kommune", sender_email="post@faxekommune.dk", subject="Høringssvar",
        body="Hermed vores høringssvar, se det vedhæftede brev.", attachments={"brev.pdf": ATTACHMENT},
    ))
    settings = make_settings()
    report = ingest([str(path)], settings, embedder=embedder)
    assert report.to_json()["ingested"] == 1 and not report.failed
    index = Index(settings)
    [mail] = index.manifest().documents.values()
    assert mail.source == str(path) and mail.pages == 2
    assert mail.sender == "Faxe Kommune" and mail.date == "2023-09-14"
    assert "finansiering" in index.store.document_text(mail.doc_id)
