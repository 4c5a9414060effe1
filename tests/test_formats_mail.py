"""ingest.formats.mail: a mail (.eml, Outlook .msg) is one document — its body, then each attachment under a line
naming it, pages numbered through, with the mail's sender and date; a failed attachment is a warning."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timezone

import pytest

from ingest.formats.base import LoadError
from ingest.formats.mail import msg_documents
from ingest.formats.table import load_bytes
from tests.factories import letter, make_eml, msg_bytes, pdf_bytes


# --------------------------------------------------------------------------------------------- EML


def test_eml_body_and_pdf_attachment_are_one_document(tmp_path):
    """A mail is one høringssvar (issue 21 #3): its body, then each attachment under a line naming it, pages
    numbered through, with the mail's sender and date."""
    attachment = pdf_bytes(["Bilag: bemærkninger til planen", "Side to af bilaget"], title=None)
    path = make_eml(
        tmp_path / "mail.eml",
        sender="Ældre Sagen Hedensted <hedensted@aeldresagen.dk>",
        subject="Høringssvar om ældreplanen",
        body="Hermed vores høringssvar, se vedhæftede bilag.\n",
        attachments={"bilag.pdf": attachment, "notat.txt": b"Et kort notat om planen.", "logo.png": b"\x89PNG\r\n\x1a\n"},
    )
    [mail] = load_bytes(path.read_bytes(), path.name, str(path))
    assert mail.source == str(path) and mail.parent_source is None
    assert mail.title == "Høringssvar om ældreplanen"
    assert [p.number for p in mail.pages] == [1, 2, 3, 4]
    assert "Hermed vores høringssvar" in mail.pages[0].text and "bemærkninger" not in mail.pages[0].text
    assert mail.pages[1].text.startswith("Vedhæftet fil: bilag.pdf\n\n")
    assert "Bilag: bemærkninger til planen" in mail.pages[1].text
    assert "Side to af bilaget" in mail.pages[2].text and "Vedhæftet" not in mail.pages[2].text
    assert mail.pages[3].text.strip() == "Vedhæftet fil: notat.txt\n\nEt kort notat om planen."
    assert not any("PNG" in p.text for p in mail.pages)  # a logo is no letter
    assert mail.sender_hint == "Ældre Sagen Hedensted"
    assert mail.sender_email == "hedensted@aeldresagen.dk"
    assert mail.date_hint == "2023-09-14"


def test_eml_of_attachments_only_is_one_document_titled_by_its_first_attachment(tmp_path):
    path = make_eml(tmp_path / "mail.eml", sender="Jens Hansen <jens@example.dk>", subject="", body="",
                    attachments={"svar.txt": b"Jeg er imod lukningen.", "bilag.txt": b"Et bilag."})
    [mail] = load_bytes(path.read_bytes(), path.name, str(path))
    assert [p.text.strip() for p in mail.pages] == ["Vedhæftet fil: svar.txt\n\nJeg er imod lukningen.",
                                            "Vedhæftet fil: bilag.txt\n\nEt bilag."]
    assert mail.title == "svar.txt"


def test_eml_with_broken_attachment_keeps_the_body_and_warns(tmp_path):
    path = make_eml(
        tmp_path / "mail.eml",
        sender="Jens Hansen <jens@example.dk>",
        subject="Svar",
        body="Mit svar står her.",
        attachments={"bilag.pdf": b"%PDF-1.4 not really"},
    )
    [body] = load_bytes(path.read_bytes(), path.name, str(path))
    assert "Mit svar står her." in body.pages[0].text
    [warning] = body.warnings  # in words, not a bare code
    assert warning.startswith("bilag.pdf: PDF-filen er beskadiget eller ikke en PDF")


def test_eml_prefers_the_plain_body_and_reads_an_html_only_body():
    from email.message import EmailMessage

    both = EmailMessage()
    both["From"], both["Subject"] = "Grete Olsen <grete@example.dk>", "Svar"
    both.set_content("Jeg støtter forslaget om flere bænke.")
    both.add_alternative("<html><body><p>HTML-udgaven</p></body></html>", subtype="html")
    [doc] = load_bytes(both.as_bytes(), "a.eml", "a.eml")
    assert doc.pages[0].text.strip() == "Jeg støtter forslaget om flere bænke."
    assert doc.date_hint is None  # no Date header

    html_only = EmailMessage()
    html_only["From"], html_only["Subject"] = "Grete Olsen <grete@example.dk>", "Svar"
    html_only.set_content(
        "<html><head><style>p {color: red}</style></head><body><p>Jeg ønsker <b>flere</b> bænke.</p>"
        "<script>track()</script></body></html>",
        subtype="html",
    )
    [doc] = load_bytes(html_only.as_bytes(), "b.eml", "b.eml")
    assert doc.pages[0].text == "Jeg ønsker flere bænke."
    assert doc.sender_hint == "Grete Olsen"


def test_eml_without_headers_is_refused():
    with pytest.raises(LoadError) as info:
        load_bytes(b"\n\njust some bytes", "mail.eml", "mail.eml")
    assert info.value.code == "bad_email"


# --------------------------------------------------------------------------------------- Outlook .msg


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
    [mail] = msg_documents(message, "svar/faxe.msg", load=load_bytes)
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
    [doc] = msg_documents(message, "m.msg", load=load_bytes)
    assert "Jeg er imod lukningen af Bostedet Åbo." in " ".join(doc.pages[0].text.split())
    assert "x()" not in doc.pages[0].text
    assert doc.sender_email == "borger@example.dk" and doc.date_hint is None
    [warning] = doc.warnings  # in words, not a bare code
    assert warning.startswith("brev.pdf: PDF-filen er beskadiget eller ikke en PDF")


def test_msg_without_text_is_no_text():
    with pytest.raises(LoadError) as caught:
        msg_documents(StandInMessage(sender="", date=None, subject="", body=""), "tom.msg", load=load_bytes)
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
