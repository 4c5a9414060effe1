"""Mails (.eml with the standard library, Outlook .msg with extract-msg): one høringssvar each, however many files
it carries — the body, then each readable attachment's text, with the mail's sender and date as hints.

A mail's attachments are read by the ``load`` it is handed (ingest.formats.table.load_bytes: any format but mails
and images), so this module never imports the table of formats.
"""

from __future__ import annotations

import email
import email.policy
from email.utils import parseaddr, parsedate_to_datetime
from pathlib import PurePath
from typing import Callable

from core.formats import IMAGE_SUFFIXES, SUPPORTED_SUFFIXES
from core.phrases import message
from ingest.formats.base import LoadError, ReadFile, short_reason
from ingest.formats.text import html_to_text
from ingest.schema import LoadedDocument, Page


def load_eml(data: bytes, source: str, *, load: ReadFile) -> list[LoadedDocument]:
    """The mail as one document: its body, then its PDF/DOCX/text attachments (see mail_documents)."""
    try:
        mail = email.message_from_bytes(data, policy=email.policy.default)
    except Exception as exc:  # noqa: BLE001 - the email package raises many kinds
        raise LoadError("bad_email", error=short_reason(exc)) from exc
    if not mail.keys():
        raise LoadError("bad_email", error="no headers")
    date_hint = None
    try:
        if mail.get("Date"):
            date_hint = parsedate_to_datetime(str(mail["Date"])).date().isoformat()
    except (TypeError, ValueError):
        date_hint = None
    body_text = ""
    body = mail.get_body(preferencelist=("plain", "html"))
    if body is not None:
        content = body.get_content()
        body_text = html_to_text(content)[0] if body.get_content_subtype() == "html" else content
    attachments = [(part.get_filename() or "", lambda part=part: part.get_payload(decode=True) or b"") for part in mail.iter_attachments()]
    return mail_documents(
        source,
        sender=str(mail.get("From", "")),
        date_hint=date_hint,
        subject=str(mail.get("Subject", "")) or None,
        body=body_text,
        attachments=attachments,
        load=load,
    )


def mail_documents(
    source: str,
    *,
    sender: str,
    date_hint: str | None,
    subject: str | None,
    body: str,
    attachments: list[tuple[str, Callable[[], bytes]]],
    load: ReadFile,
) -> list[LoadedDocument]:
    """A mail (.eml or .msg) as ONE document — one høringssvar, however many files it carries: the body, then
    each readable attachment's text under a line naming the attachment, pages numbered through, with the mail's
    sender and date as hints. An attachment that cannot be read is a warning on the mail, never a lost mail."""
    name, address = parseaddr(sender)
    pages: list[Page] = [Page(number=1, text=body)] if body.strip() else []
    warnings: list[str] = []
    titles: list[str] = []
    for filename, payload in attachments:
        suffix = PurePath(filename).suffix.lower()
        if suffix not in SUPPORTED_SUFFIXES or suffix in (".eml", ".msg") or suffix in IMAGE_SUFFIXES:
            continue  # images in mails are mostly logos and signatures: not read as letters
        try:
            loaded = load(payload(), filename, f"{source}#{filename}")
        except LoadError as exc:
            warnings.append(f"{filename}: {message(exc.code, 'da', **exc.params)}")  # words, never a bare code
            continue
        for doc in loaded:  # (a zip attached to a mail: each of its files)
            titles.append(doc.title or filename)
            warnings.extend(doc.warnings)
            pages.extend(_attachment_pages(doc.source.removeprefix(f"{source}#"), doc.pages, first=len(pages) + 1))
    if not pages:
        raise LoadError("no_text")
    return [
        LoadedDocument(
            source=source, pages=pages, title=subject or (titles[0] if titles else None), sender_hint=name or None,
            sender_email=address or None, date_hint=date_hint, warnings=warnings,
        )
    ]


def _attachment_pages(name: str, pages: list[Page], first: int) -> list[Page]:
    """An attachment's pages as pages of its mail: numbered on from ``first``, the first under a line naming it."""
    heading = message("mail_attachment", "da", name=name)  # part of the letter's text, which is Danish
    return [
        page.model_copy(update={"number": first + i, "text": f"{heading}\n\n{page.text}" if i == 0 else page.text})
        for i, page in enumerate(pages)
    ]


def load_msg(data: bytes, source: str, *, load: ReadFile) -> list[LoadedDocument]:
    """An Outlook .msg (read with extract-msg): body, sender, date and attachments, like an .eml."""
    import extract_msg

    try:
        msg = extract_msg.openMsg(data)
    except Exception as exc:  # noqa: BLE001 - olefile/extract-msg raise many kinds
        raise LoadError("bad_email", error=short_reason(exc)) from exc
    try:
        return msg_documents(msg, source, load=load)
    finally:
        try:
            msg.close()
        except Exception:  # noqa: BLE001
            pass


def msg_documents(msg, source: str, *, load: ReadFile) -> list[LoadedDocument]:
    """Map an extract-msg message object (sender, date, subject, body, htmlBody, attachments with
    longFilename/shortFilename and data) to the mail's document (see mail_documents)."""
    try:
        body = msg.body or ""
    except Exception:  # noqa: BLE001 - a body extract-msg cannot decode: fall back to the HTML body
        body = ""
    if not body.strip():
        html = getattr(msg, "htmlBody", None) or b""
        if html:
            body = html_to_text(html.decode("utf-8", errors="replace") if isinstance(html, bytes) else html)[0]
    date_hint = _msg_date(msg)
    attachments = []
    for att in getattr(msg, "attachments", None) or []:
        filename = getattr(att, "longFilename", None) or getattr(att, "shortFilename", None) or ""
        payload = getattr(att, "data", None)
        if isinstance(payload, (bytes, bytearray)):  # embedded messages (data is a Message) are not read
            attachments.append((filename, lambda payload=payload: bytes(payload)))
    return mail_documents(
        source,
        sender=str(getattr(msg, "sender", None) or ""),
        date_hint=date_hint,
        subject=getattr(msg, "subject", None) or None,
        body=body,
        attachments=attachments,
        load=load,
    )


def _msg_date(msg) -> str | None:
    """The .msg's date as an ISO date (extract-msg gives a datetime, or sometimes the header's text)."""
    date = getattr(msg, "date", None)
    if date is not None and hasattr(date, "date"):
        return date.date().isoformat()
    if isinstance(date, str) and date:
        try:
            return parsedate_to_datetime(date).date().isoformat()
        except (TypeError, ValueError):
            return None
    return None
