"""Rebuild the two "ingen bemærkninger" answers of the sample hearing: a signed letter (DOCX) and a one-line mail
(EML) with no attachment: `.venv/bin/python tests/data/hearing/make_letters.py`."""

from __future__ import annotations

from email.message import EmailMessage
from pathlib import Path

import docx

HERE = Path(__file__).parent / "letters"
HEARING = "Visions- og udviklingsplan for Socialområdet i Region Midtjylland"


def letter() -> None:
    document = docx.Document()
    for line in ("Skanderborg Kommune", "Social og Sundhed", "Adelgade 44, 8660 Skanderborg", "", "Region Midtjylland",
                 "Regionssekretariatet", "", "Dato: 2. oktober 2023", "Sagsnr.: 23/18544", ""):
        document.add_paragraph(line)
    document.add_heading(f"Høringssvar vedr. {HEARING}", level=1)
    document.add_paragraph("Skanderborg Kommune takker for muligheden for at afgive høringssvar.")
    document.add_paragraph("Skanderborg Kommune har ingen bemærkninger til det fremsendte udkast.")
    for line in ("", "Med venlig hilsen", "", "Mette Kjær", "Direktør for Social og Sundhed", "Tlf. 87 94 70 00"):
        document.add_paragraph(line)
    document.save(HERE / "skanderborg_ingen_bemaerkninger.docx")


def mail() -> None:
    message = EmailMessage()
    message["From"] = "Favrskov Kommune <favrskov@favrskov.dk>"
    message["To"] = "hoering@rm.dk"
    message["Subject"] = f"Høringssvar: {HEARING}"
    message["Date"] = "Wed, 04 Oct 2023 09:12:00 +0200"
    message.set_content("Hej\n\nFavrskov Kommune har ingen bemærkninger til høringen.\n\nVenlig hilsen\n"
                        "Jens Holm\nSekretariatet, Favrskov Kommune\n")
    (HERE / "favrskov_ingen_bemaerkninger.eml").write_bytes(bytes(message))


if __name__ == "__main__":
    letter()
    mail()
