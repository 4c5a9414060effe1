"""Rebuild the sample hearing's høringsliste (hoeringsliste.xlsx and hoeringsliste.csv) from PARTIES:
`.venv/bin/python tests/data/hearing/make_list.py`. The names are written as a ministry's list would write them,
not as the letters in data/sample do; two parties sent no letter, two answered "ingen bemærkninger" (letters/)."""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook

HERE = Path(__file__).parent
HEADER = ("Høringspart", "E-mail", "Kategori")
PARTIES = (
    ("HMU, Socialområdet", "hmu-social@rm.dk", "MED-udvalg"),
    ("Hedensted kommune", "post@hedensted.dk", "Kommune"),
    ("Norddjurs Kommune", "norddjurs@norddjurs.dk", "Kommune"),
    ("Lokal-MED-udvalget, Specialområde Hjernesgade", "soh@rm.dk", "MED-udvalg"),
    ("OMU Social, Roskilde", "omu@roskilde.dk", "MED-udvalg"),
    ("Syddjurs Kommune", "syddjurs@syddjurs.dk", "Kommune"),  # did not answer
    ("Danske Handicaporganisationer", "dh@handicap.dk", "Organisation"),  # did not answer
    ("Skanderborg Kommune", "skanderborg@skanderborg.dk", "Kommune"),  # "ingen bemærkninger" (letters/, a letter)
    ("Favrskov Kommune", "favrskov@favrskov.dk", "Kommune"),  # "ingen bemærkninger" (letters/, a one-line mail)
)


def main() -> None:
    book = Workbook()
    sheet = book.active
    sheet.title = "Høringsliste"
    sheet.append(HEADER)
    for row in PARTIES:
        sheet.append(row)
    book.save(HERE / "hoeringsliste.xlsx")
    lines = [";".join(HEADER), *(";".join(row) for row in PARTIES)]
    (HERE / "hoeringsliste.csv").write_bytes(("\r\n".join(lines) + "\r\n").encode("cp1252"))


if __name__ == "__main__":
    main()
