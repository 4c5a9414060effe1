"""ingest/hearing_list.py: a høringsliste read from XLSX, CSV (any delimiter, utf-8/cp1252) and pasted lines."""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook

from ingest.hearing_list import read_csv, read_hearing_list, read_lines, read_xlsx

HEARING = Path(__file__).parent / "data" / "hearing"
SAMPLE = [
    "HMU, Socialområdet", "Hedensted kommune", "Norddjurs Kommune", "Lokal-MED-udvalget, Specialområde Hjernesgade",
    "OMU Social, Roskilde", "Syddjurs Kommune", "Danske Handicaporganisationer", "Skanderborg Kommune", "Favrskov Kommune",
]


def _xlsx(tmp_path: Path, rows: list[tuple]) -> Path:
    book = Workbook()
    for row in rows:
        book.active.append(row)
    path = tmp_path / "liste.xlsx"
    book.save(path)
    return path


def test_the_sample_list_reads_the_same_from_xlsx_and_csv():
    xlsx = read_hearing_list(HEARING / "hoeringsliste.xlsx")
    csv = read_hearing_list(HEARING / "hoeringsliste.csv")
    assert [p.name for p in xlsx.parties] == SAMPLE == [p.name for p in csv.parties]
    assert xlsx.column == csv.column == "Høringspart"
    assert xlsx.problems == csv.problems == ()
    assert xlsx.parties[0].row == 2 and xlsx.parties[0].extra["E-mail"] == "hmu-social@rm.dk"
    assert csv.parties == xlsx.parties  # rows and names; extra is not compared


def test_the_name_column_is_found_by_its_header_not_its_place(tmp_path):
    path = _xlsx(tmp_path, [("Nr.", "E-mail", "Modtagers navn"), (1, "a@b.dk", "Norddjurs Kommune"),
                            (2, "c@d.dk", "Ældre Sagen")])
    found = read_xlsx(path.read_bytes())
    assert found.column == "Modtagers navn"
    assert [(p.name, p.row, p.extra) for p in found.parties] == [
        ("Norddjurs Kommune", 2, {"Nr.": "1", "E-mail": "a@b.dk"}), ("Ældre Sagen", 3, {"Nr.": "2", "E-mail": "c@d.dk"})]


def test_without_a_known_header_the_first_text_column_is_the_name(tmp_path):
    found = read_csv(b"12;Norddjurs Kommune;x@y.dk\n13;Syddjurs Kommune;z@y.dk\n")
    assert found.column is None and [p.name for p in found.parties] == ["Norddjurs Kommune", "Syddjurs Kommune"]


def test_csv_in_cp1252_with_semicolons_and_quoted_commas():
    data = 'Navn;Kategori\n"OMU Social, Roskilde";MED\nÆldre Sagen;Forening\nFOA – Fag og Arbejde;Forbund\n'
    found = read_csv(data.encode("cp1252"))
    assert [p.name for p in found.parties] == ["OMU Social, Roskilde", "Ældre Sagen", "FOA – Fag og Arbejde"]
    assert found.parties[1].extra == {"Kategori": "Forening"}


def test_csv_in_utf8_with_bom_and_commas_and_a_one_column_list():
    assert [p.name for p in read_csv("\ufeffname,email\nRegion Midtjylland,rm@rm.dk\n".encode()).parties] == [
        "Region Midtjylland"]
    one_column = read_csv("Høringspart\nOMU Social, Roskilde\nNorddjurs Kommune\n".encode())
    assert [p.name for p in one_column.parties] == ["OMU Social, Roskilde", "Norddjurs Kommune"]


def test_pasted_lines_lose_bullets_numbering_and_blank_lines_and_repeat_once():
    found = read_lines("• Norddjurs Kommune\n\n  1. OMU Social, Roskilde\n- norddjurs  kommune\n2) A.P. Møller\n* LEV\n")
    assert [(p.name, p.row) for p in found.parties] == [
        ("Norddjurs Kommune", 1), ("OMU Social, Roskilde", 3), ("A.P. Møller", 5), ("LEV", 6)]
    assert [(p.row, p.code, p.detail) for p in found.problems] == [(4, "duplicate", "1")]


def test_pasted_cells_from_a_spreadsheet_read_as_a_table():
    found = read_lines("Høringspart\tE-mail\nNorddjurs Kommune\tpost@norddjurs.dk\n")
    assert [(p.name, p.extra) for p in found.parties] == [("Norddjurs Kommune", {"E-mail": "post@norddjurs.dk"})]


def test_a_formula_cell_is_reported_never_evaluated_and_formula_prefixes_go(tmp_path):
    path = _xlsx(tmp_path, [("Høringspart",), ("=HYPERLINK(\"http://x\",\"Klik\")",), ("Norddjurs Kommune",), ("",),
                            (None,), ("Syddjurs Kommune",)])
    found = read_hearing_list(path)
    assert [p.name for p in found.parties] == ["Norddjurs Kommune", "Syddjurs Kommune"]
    assert [(p.row, p.code) for p in found.problems] == [(2, "formula")]
    csv = read_csv(b"Navn\n=cmd|' /C calc'!A0\n+Region Nordjylland\n@SUM(1)\n")
    assert [p.name for p in csv.parties] == ["cmd|' /C calc'!A0", "Region Nordjylland", "SUM(1)"]
    assert not any(p.name[0] in "=+@-" for p in csv.parties)


def test_bad_input_is_a_problem_not_an_exception(tmp_path):
    broken = tmp_path / "liste.xlsx"
    broken.write_bytes(b"PK\x03\x04 not a workbook")
    assert read_hearing_list(broken).problems[0].code == "unreadable"
    assert read_hearing_list(tmp_path / "missing.csv").problems[0].code == "unreadable"
    assert read_csv(b"").parties == () and read_lines("\n\n").parties == ()
    long = read_lines("x" * 400 + "\nNorddjurs Kommune")
    assert [p.name for p in long.parties] == ["Norddjurs Kommune"] and long.problems[0].code == "too_long"
    numbers = read_csv(b"1;2\n3;4\n")
    assert numbers.parties == () and numbers.problems[0].code == "no_name_column"
