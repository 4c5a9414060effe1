"""Issue 21 #6: personal data does not stay where the user did not leave it.

* CPR numbers in every written form (dots, slashes, dashes, spaces, letter-spaced PDF/OCR text, after "CPR-nummer
  er" or not), in a .txt and a PDF ingested with the real pipeline, reach no byte of any file of the index folder
  (chroma.sqlite3, read cache, BM25, manifest, embedding cache); ordinary numbers stay readable.
* An uploaded original is kept under its masked name, deleted when its ingest fails and when its last document
  is removed (a file ingested from elsewhere is never touched).
* The embedding cache forgets a removed letter's texts (their keys and vectors); other letters' stay.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from index.embedding_cache import text_key
from index.index import Index
from ingest.clean import CPR_MASK
from ingest.pipeline import ingest
from ingest.removal import remove
from ingest.schema import Status
from ingest.uploads import discard, save_upload
from tests.factories import letter, make_pdf
from tests.index_checks import assert_consistent, chroma_chunks

# (sentence around the number, the number as written): each with its own date, so a leak names its form.
FORMS = [
    ("Mit CPR-nummer er {} og jeg bor i Horsens.", "1 5 0 2 7 5 - 4 3 2 3"),
    ("CPR-nummer er {} ifølge sagen.", "1 6 0 3 7 6 4 3 2 2"),
    ("Min datter {} går i skole i Hedensted.", "17.04.77-4324"),
    ("Min søn har nummeret {} i sin journal.", "180578/4325"),
    ("Min mand {} arbejder på bostedet.", "19-06-79-4326"),
    ("Naboen {} er enig med os.", "20 07 80 4327"),
    ("Personnummer: {} (min far).", "21.08.81 4328"),
]
PDF_FORMS = [  # the same forms with other dates (another document, another text)
    ("Mit CPR-nummer er {} og jeg bor i Grenaa.", "0 2 0 3 6 0 - 4 3 3 1"),
    ("CPR-nummer er {} ifølge sagen.", "0 3 0 4 6 1 4 3 3 2"),
    ("Min datter {} går i skole i Grenaa.", "04.05.62-4333"),
    ("Min søn har nummeret {} i sin journal.", "050663/4334"),
    ("Min mand {} arbejder på bostedet.", "06-07-64-4335"),
    ("Naboen {} er enig med os.", "07 08 65 4336"),
    ("Personnummer: {} (min far).", "08.09.66 4337"),
]
ORDINARY = ["86 12 34 56", "15.02.2023", "6,2 mio.", "1-30-72-1-23", "2023-012345", "Vestergade 12, 8700 Horsens"]
ORDINARY_LINE = ("Ring på tlf. 86 12 34 56. Mødet den 15.02.2023 handler om 6,2 mio. kr. "
                 "Sagsnr. 1-30-72-1-23, j.nr. 2023-012345. Adresse: Vestergade 12, 8700 Horsens.")


def _needles(forms: list[tuple[str, str]]) -> list[str]:
    """What must not be stored of each number: as written, its date part as written, its ten digits."""
    out = []
    for _, number in forms:
        digits = "".join(c for c in number if c.isdigit())
        date_end = [i for i, c in enumerate(number) if c.isdigit()][5] + 1
        out += [number, number[:date_end], digits]
    return out


def _leaks(index_dir: Path, needles: list[str]) -> dict[str, list[str]]:
    """{needle: files of the index folder holding it} over every file, in UTF-8, UTF-16 and UTF-32."""
    found: dict[str, list[str]] = {}
    files = sorted(p for p in index_dir.rglob("*") if p.is_file())
    assert files
    for path in files:
        data = path.read_bytes()
        for needle in needles:
            if any(needle.encode(enc) in data for enc in ("utf-8", "utf-16-le", "utf-32-le")):
                found.setdefault(needle, []).append(str(path.relative_to(index_dir)))
    return found


def test_cpr_numbers_in_every_written_form_reach_no_file_of_the_index(embedder, make_settings, tmp_path):
    folder = tmp_path / "svar"
    folder.mkdir()
    body = "\n\n".join(sentence.format(number) for sentence, number in FORMS)
    (folder / "naboer.txt").write_text(letter("Høringssvar fra en borger", f"{body}\n\n{ORDINARY_LINE}"), encoding="utf-8")
    pdf_lines = ["Høringssvar fra en anden borger", "", *(sentence.format(number) for sentence, number in PDF_FORMS)]
    make_pdf(folder / "scannet.pdf", ["\n".join(pdf_lines)])
    settings = make_settings()
    report = ingest([folder], settings, embedder=embedder)
    assert not report.failed and report.count(Status.ingested) == 2, report.to_json()

    index_dir = Path(settings.index)
    assert (index_dir / "manifest.json").is_file() and any(index_dir.rglob("chroma.sqlite3"))
    assert any((index_dir / "read-cache").rglob("*")) and (index_dir / "embeddings.sqlite").is_file()
    assert _leaks(index_dir, _needles(FORMS) + _needles(PDF_FORMS)) == {}
    # The letters are there, every number masked, and the ordinary numbers read as they were written.
    texts = chroma_chunks(settings)["documents"]
    whole = "\n".join(texts)
    assert whole.count(CPR_MASK) >= len(FORMS) + len(PDF_FORMS)
    assert "Naboen [CPR] er enig med os." in whole and "Mit CPR-nummer er [CPR] og jeg bor i Grenaa." in whole
    for number in ORDINARY:
        assert number in whole, number
    assert_consistent(settings)


# ------------------------------------------------------------------------------------------------ uploads

CPR_NAME = "Svar fra Jens 150275-4321.txt"


def test_an_upload_is_kept_under_its_masked_name_and_goes_with_its_last_document(embedder, make_settings, tmp_path):
    uploads = tmp_path / "uploads"
    settings = make_settings(uploads=uploads)
    saved = save_upload(CPR_NAME, letter("Jens Hansen", "Jeg ønsker flere pladser i aflastningen.").encode(), uploads, 10**6)
    assert saved.parent == uploads and "150275" not in saved.name and "4321" not in saved.name
    assert saved.name.startswith("Svar fra Jens _CPR-") and saved.suffix == ".txt"
    # A folder ingested from the command line: never touched by a removal.
    elsewhere = tmp_path / "svar" / "faxe.txt"
    elsewhere.parent.mkdir()
    elsewhere.write_text(letter("Faxe Kommune", "Faxe Kommune ønsker flere busser."), encoding="utf-8")
    report = ingest([str(saved), str(elsewhere)], settings, embedder=embedder)
    assert report.count(Status.ingested) == 2
    assert discard([saved], uploads, Index(settings).manifest().files) == []  # listed: kept

    removed = remove([str(saved)], settings)
    assert len(removed) == 1 and not saved.exists() and list(uploads.iterdir()) == []
    remove([str(elsewhere)], settings)
    assert elsewhere.is_file()  # not an upload
    assert not any("150275" in p.name for p in tmp_path.rglob("*"))


def test_an_upload_whose_ingest_fails_is_deleted(embedder, make_settings, tmp_path):
    uploads = tmp_path / "uploads"
    settings = make_settings(uploads=uploads)
    broken = save_upload("Klage 160376-4322.pdf", b"%PDF-1.4 not really a pdf", uploads, 10**6)
    good = save_upload("Svar 170477-4323.txt", letter("Jens Hansen", "Jeg er imod lukningen af skolen.").encode(), uploads, 10**6)
    report = ingest([str(broken), str(good)], settings, embedder=embedder)
    assert [o.status for o in report.outcomes] == [Status.failed, Status.ingested] or report.count(Status.failed) == 1
    deleted = discard([broken, good], uploads, Index(settings).manifest().files)
    assert deleted == [broken] and not broken.exists() and good.is_file()


# ------------------------------------------------------------------------------------------ embedding cache

SHARED = "Vi ser frem til et godt samarbejde om planen i de kommende år."


def _cache_keys(path: Path) -> set[str]:
    with sqlite3.connect(path) as con:
        return {row[0] for row in con.execute("SELECT key FROM embeddings")}


@pytest.mark.parametrize("shared_cache", [False, True], ids=["own cache", "shared cache"])
def test_the_embedding_cache_forgets_a_removed_letters_texts(embedder, make_settings, tmp_path, shared_cache):
    folder = tmp_path / "svar"
    folder.mkdir()
    letters = {
        "vejle.txt": letter("Vejle Kommune", f"Vejle Kommune støtter planen for cykelstier langs indfaldsvejene.\n\n{SHARED}"),
        "faxe.txt": letter("Faxe Kommune", f"Faxe Kommune ønsker flere busser i landdistrikterne og til Køge.\n\n{SHARED}"),
        "borger.txt": letter("Jens Hansen", "Jeg er imod lukningen af den lokale skole i Bredballe, hvor min datter går."),
    }
    for name, text in letters.items():
        (folder / name).write_text(text, encoding="utf-8")
    cache = tmp_path / "shared" / "embeddings.sqlite" if shared_cache else None
    settings = make_settings(embedding_cache=cache) if cache else make_settings()
    cache_path = cache or Path(settings.index) / "embeddings.sqlite"
    ingest([folder], settings, embedder=embedder)
    store = Index(settings).store
    records = {Path(d.source).name: d for d in Index(settings).manifest().documents.values()}
    keys = {name: {text_key(t) for t in store.texts_of([records[name].doc_id])} for name in letters}
    assert all(keys[name] <= _cache_keys(cache_path) for name in letters)
    shared_keys = {text_key(t) for t in store.texts_of([records["faxe.txt"].doc_id]) if t in letters["vejle.txt"]}
    assert shared_keys  # the closing sentence both municipalities wrote

    remove([str(folder / "faxe.txt")], settings)
    left = _cache_keys(cache_path)
    own = keys["faxe.txt"] - shared_keys
    assert own and not own & left, "a removed letter's text is still a key of the embedding cache"
    assert keys["vejle.txt"] <= left and keys["borger.txt"] <= left  # the other letters' vectors stay
    raw = b"".join(p.read_bytes() for p in cache_path.parent.iterdir() if p.name.startswith(cache_path.name))
    assert not [k for k in own if k.encode() in raw], "a removed key's bytes are still in the cache's files"

    # Re-ingesting what remains embeds nothing; the removed letter comes back with new vectors.
    again = ingest([folder], settings, embedder=embedder)
    assert again.count(Status.ingested) == 1 and own <= _cache_keys(cache_path)
