"""Small generators of real input files for the tests (PDF, scanned PDF, DOCX, e-mail, Outlook .msg), written into
a test's tmp_path.

Everything here produces genuine files that the production loaders read with their real parsers
(pypdf, python-docx, the email package); nothing is mocked.
"""

from __future__ import annotations

import os
from datetime import datetime, timezone
from email.message import EmailMessage
from email.utils import format_datetime
from pathlib import Path

DANISH = "Rødgrød med fløde på Ærø – Åbenrå og Øresund koster 5 € i Æbeltoft"  # what a wrong decoding garbles


def pdf_bytes(pages: list[str], title: str | None = None) -> bytes:
    """A minimal valid PDF: one page per string, each line of it drawn in Helvetica (WinAnsiEncoding).

    WinAnsiEncoding is cp1252, so Danish letters (æøå ÆØÅ) and § – “ ” come out right in text extraction.
    """

    def literal(text: str) -> bytes:
        raw = text.encode("cp1252")
        return b"(" + raw.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)") + b")"

    n = len(pages)
    # Object numbers: 1 catalog, 2 pages, 3 font, then per page: page object and content stream; last: info.
    objects: dict[int, bytes] = {}
    page_ids = [4 + 2 * i for i in range(n)]
    objects[1] = b"<< /Type /Catalog /Pages 2 0 R >>"
    objects[2] = b"<< /Type /Pages /Kids [" + b" ".join(b"%d 0 R" % p for p in page_ids) + b"] /Count %d >>" % n
    objects[3] = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>"
    for i, text in enumerate(pages):
        page_id, content_id = page_ids[i], page_ids[i] + 1
        ops = [b"BT", b"/F1 11 Tf", b"14 TL", b"56 780 Td"]
        for line in text.split("\n"):
            ops.append(literal(line) + b" Tj T*")
        ops.append(b"ET")
        stream = b"\n".join(ops)
        objects[page_id] = (
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
            b"/Resources << /Font << /F1 3 0 R >> >> /Contents %d 0 R >>" % content_id
        )
        objects[content_id] = b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream"
    info_id = 4 + 2 * n
    objects[info_id] = b"<< /Producer (tests) " + (b"/Title " + literal(title) if title else b"") + b" >>"

    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets: dict[int, int] = {}
    for number in sorted(objects):
        offsets[number] = len(out)
        out += b"%d 0 obj\n" % number + objects[number] + b"\nendobj\n"
    xref = len(out)
    size = max(objects) + 1
    out += b"xref\n0 %d\n0000000000 65535 f \n" % size
    for number in range(1, size):
        out += b"%010d 00000 n \n" % offsets[number]
    out += b"trailer\n<< /Size %d /Root 1 0 R /Info %d 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (size, info_id, xref)
    return bytes(out)


def make_pdf(path: Path, pages: list[str], title: str | None = None) -> Path:
    """Write a PDF with one page per string (see :func:`pdf_bytes`) and return its path."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(pdf_bytes(pages, title))
    return path


FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
SCANNED_LINES = [
    "Grundejerforeningen Søhøjlandet",
    "",
    "Høringssvar om støjvolden ved Ålborgvej",
    "",
    "Vi ønsker at støjvolden bliver forlænget",
    "langs hele strækningen ved Æblehaven.",
    "Børnene går til skole ad stien hver dag.",
]


def scanned_image(lines: list[str] = SCANNED_LINES):
    """A Danish letter rendered as a white A4 image at 200 dpi (large font), like a scanner's output;
    ``lines=[]`` gives a scan of a blank page."""
    from PIL import Image, ImageDraw, ImageFont

    image = Image.new("L", (1654, 2339), 255)
    if not lines:
        return image
    if not Path(FONT).exists():
        import pytest

        pytest.skip(f"font {FONT} not present")
    font = ImageFont.truetype(FONT, 40)
    draw = ImageDraw.Draw(image)
    y = 150
    for line in lines:
        draw.text((150, y), line, font=font, fill=0)
        y += 70
    return image


def scanned_pdf_bytes(text_pages: list[str] = (), lines: list[str] = SCANNED_LINES) -> bytes:
    """A PDF whose first pages (if any) have a text layer and whose last page is only an image
    (a scan of ``lines``; of a blank page when ``lines=[]``)."""
    import io

    from pypdf import PdfReader, PdfWriter

    buf = io.BytesIO()
    scanned_image(lines).save(buf, "PDF", resolution=200.0)
    writer = PdfWriter()
    if text_pages:
        for page in PdfReader(io.BytesIO(pdf_bytes(list(text_pages)))).pages:
            writer.add_page(page)
    for page in PdfReader(io.BytesIO(buf.getvalue())).pages:
        writer.add_page(page)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def make_encrypted_pdf(path: Path, pages: list[str], password: str = "hemmelig") -> Path:
    """A PDF that needs a user password to open (pypdf's PdfWriter.encrypt)."""
    import io

    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    for page in PdfReader(io.BytesIO(pdf_bytes(pages))).pages:
        writer.add_page(page)
    writer.encrypt(user_password=password, owner_password=password + "-ejer", algorithm="RC4-128")  # RC4: no optional crypto dependency
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as handle:
        writer.write(handle)
    return path


def make_docx(
    path: Path,
    *,
    heading: str,
    paragraphs: list[str],
    bullets: list[str] = (),
    table: list[list[str]] = (),
    after_break: list[str] = (),
    title: str | None = None,
) -> Path:
    """A Word document with python-docx: heading, paragraphs, a bulleted list, a table, then a page break
    followed by ``after_break`` paragraphs (on page 2)."""
    import docx

    document = docx.Document()
    if title:
        document.core_properties.title = title
    document.add_heading(heading, level=1)
    for text in paragraphs:
        document.add_paragraph(text)
    for text in bullets:
        document.add_paragraph(text, style="List Bullet")
    if table:
        grid = document.add_table(rows=len(table), cols=len(table[0]))
        for r, row in enumerate(table):
            for c, value in enumerate(row):
                grid.cell(r, c).text = value
    if after_break:
        document.add_page_break()
        for text in after_break:
            document.add_paragraph(text)
    path.parent.mkdir(parents=True, exist_ok=True)
    document.save(str(path))
    return path


def make_eml(
    path: Path,
    *,
    sender: str,
    subject: str,
    body: str,
    attachments: dict[str, bytes] | None = None,
    date: datetime | None = datetime(2023, 9, 14, 10, 30, tzinfo=timezone.utc),
) -> Path:
    """An e-mail (.eml) with a plain-text body and attachments given as {filename: bytes}."""
    message = EmailMessage()
    message["From"] = sender
    message["To"] = "hoering@region.dk"
    message["Subject"] = subject
    if date is not None:
        message["Date"] = format_datetime(date)
    message.set_content(body)
    for filename, data in (attachments or {}).items():
        maintype, subtype = {
            ".pdf": ("application", "pdf"),
            ".docx": ("application", "vnd.openxmlformats-officedocument.wordprocessingml.document"),
            ".txt": ("text", "plain"),
        }.get(Path(filename).suffix.lower(), ("application", "octet-stream"))
        if maintype == "text":
            message.add_attachment(data.decode("utf-8"), subtype=subtype, filename=filename)
        else:
            message.add_attachment(data, maintype=maintype, subtype=subtype, filename=filename)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(message.as_bytes())
    return path


# A short letter added to a copy of the sample index in snapshot, concurrency and server-mode tests.
CYCLING_LETTER = """Høringssvar fra Cykelforeningen Østjylland

Vi ønsker flere overdækkede cykelparkeringspladser ved de sociale tilbud, så medarbejderne kan cykle på arbejde.

Med venlig hilsen
Cykelforeningen Østjylland
"""


def letter(sender_line: str, body: str, *, date: str = "14. september 2023", hearing: str = "Høringssvar til Budget 2025") -> str:
    """A short Danish consultation letter as plain text (small enough to embed in a fraction of a second)."""
    return f"{sender_line}\n\n{date}\n\n{hearing}\n\n{body}\n\nMed venlig hilsen\n\nJens Hansen\n"


# Bad files of a mixed folder (see make_bad_folder) and a word their one failure reason must contain.
BAD_FILES = {
    "beskadiget.pdf": "beskadiget",  # a truncated PDF
    "krypteret.pdf": "krypteret",  # needs a password
    "tom.pdf": "tom",  # zero bytes
    "skrald.pdf": "beskadiget eller ikke en PDF",  # random bytes named .pdf
    "regneark.xyz": "understøttes ikke",  # a format we do not read
}
GOOD_FILES = {"god.pdf": "Faxe Kommune", "god.docx": "Danske Handicaporganisationer Vejle"}  # name: sender


def make_bad_folder(folder: Path) -> Path:
    """A folder with the five BAD_FILES and the two GOOD_FILES (a PDF and a DOCX)."""
    make_pdf(folder / "god.pdf", ["Faxe Kommune takker for muligheden for at afgive høringssvar.\nVi støtter planen."])
    make_docx(
        folder / "god.docx",
        heading="Danske Handicaporganisationer Vejle",
        paragraphs=["Høringssvar til Budget 2025", "Vi er bekymrede for besparelserne på botilbuddene."],
        bullets=["flere hænder", "bedre fysiske rammer"],
    )
    good = pdf_bytes(["Norddjurs Kommune har ingen bemærkninger."])
    (folder / "beskadiget.pdf").write_bytes(good[: len(good) // 2])
    make_encrypted_pdf(folder / "krypteret.pdf", ["Fortroligt svar"])
    (folder / "tom.pdf").write_bytes(b"")
    (folder / "skrald.pdf").write_bytes(os.urandom(4096))
    (folder / "regneark.xyz").write_text("ikke et format vi kender", encoding="utf-8")
    return folder


def msg_bytes(
    *,
    sender_name: str,
    sender_email: str,
    subject: str,
    body: str,
    attachments: dict[str, bytes] | None = None,
    date: datetime = datetime(2023, 9, 14, 10, 30, tzinfo=timezone.utc),
) -> bytes:
    """A genuine Outlook .msg (an OLE compound file written with extract-msg's OleWriter) in the MS-OXMSG layout:
    Unicode string properties as ``__substg1.0_XXXX001F`` streams, a top-level ``__properties_version1.0`` with
    the submit/delivery time, the transport headers (From, Date), and one ``__attach_version1.0_#N`` storage
    per attachment (long file name, binary data, attach method 1 = by value)."""
    import io
    import struct

    from extract_msg.ole_writer import OleWriter

    def var(tag: int, size: int) -> bytes:
        return struct.pack("<IIII", tag, 0x6, size, 0)

    def fixed(tag: int, value: bytes) -> bytes:
        return struct.pack("<II", tag, 0x6) + value

    def filetime(when: datetime) -> bytes:
        return struct.pack("<Q", int((when - datetime(1601, 1, 1, tzinfo=timezone.utc)).total_seconds() * 10_000_000))

    attachments = attachments or {}
    writer = OleWriter()
    strings = {
        0x001A: "IPM.Note",
        0x0037: subject,
        0x1000: body,
        0x0C1A: sender_name,
        0x0C1F: sender_email,
        0x0C1E: "SMTP",
        0x0042: sender_name,
        0x0065: sender_email,
        0x007D: f"From: {sender_name} <{sender_email}>\r\nSubject: {subject}\r\nDate: {format_datetime(date)}\r\n\r\n",
    }
    props = b""
    for pid, text in strings.items():
        data = text.encode("utf-16-le")
        writer.addEntry(f"__substg1.0_{pid:04X}001F", data)
        props += var((pid << 16) | 0x001F, len(data) + 2)
    props += fixed((0x0039 << 16) | 0x0040, filetime(date)) + fixed((0x0E06 << 16) | 0x0040, filetime(date))
    header = b"\0" * 8 + struct.pack("<IIII", 0, len(attachments), 0, len(attachments)) + b"\0" * 8
    writer.addEntry("__properties_version1.0", header + props)
    writer.addEntry("__nameid_version1.0", storage=True)
    for stream in ("00020102", "00030102", "00040102"):
        writer.addEntry(f"__nameid_version1.0/__substg1.0_{stream}", b"")
    for i, (name, data) in enumerate(attachments.items()):
        root = f"__attach_version1.0_#{i:08X}"
        writer.addEntry(root, storage=True)
        filename = name.encode("utf-16-le")
        writer.addEntry(f"{root}/__substg1.0_3707001F", filename)
        writer.addEntry(f"{root}/__substg1.0_3001001F", filename)
        writer.addEntry(f"{root}/__substg1.0_37010102", data)
        attach_props = var((0x3707 << 16) | 0x001F, len(filename) + 2) + var((0x3701 << 16) | 0x0102, len(data))
        attach_props += fixed((0x3705 << 16) | 0x0003, struct.pack("<II", 1, 0))
        attach_props += fixed((0x0E21 << 16) | 0x0003, struct.pack("<II", i, 0))
        writer.addEntry(f"{root}/__properties_version1.0", b"\0" * 8 + attach_props)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
