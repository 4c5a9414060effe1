"""The read cache of the committed index (index/read_cache.py): a reader gets exactly what Chroma holds, reads
nothing from Chroma when the cache of its commit is there, never reads a cache of another commit, and falls back
to Chroma (and writes the cache again) when the cache is damaged."""

from __future__ import annotations

import json
import subprocess
import shutil
from pathlib import Path

import numpy as np
import pytest

from index import read_cache
from index.index import Index
from index.snapshot import load_snapshot
from ingest.pipeline import ingest
from ingest.removal import remove
from tests.conftest import SAMPLE_DIR, SAMPLE_FILES
from tests.factories import CYCLING_LETTER, letter
from tests.processes import hoering_command, python_env


def _same(a, b) -> None:
    """Two snapshots hold the same rows, records, columns, codes, vectors and sentences."""
    assert a.version == b.version and a.ids == b.ids and a.texts == b.texts and a.records == b.records
    assert list(a.records) == list(b.records) and a.sentences_are_chunks == b.sentences_are_chunks
    assert np.array_equal(a.vectors, b.vectors) and np.array_equal(a.sentence_vectors, b.sentence_vectors)
    assert np.array_equal(a.sentence_rows, b.sentence_rows) and np.array_equal(a.sentence_spans, b.sentence_spans)
    assert np.array_equal(a.statements, b.statements) and a.senders == b.senders
    for name in a._columns:
        assert list(a._columns[name]) == list(b._columns[name]), name
    for name in a._codes:
        assert np.array_equal(a._codes[name][0], b._codes[name][0]) and a._codes[name][1] == b._codes[name][1], name
    assert a.bm25.chunk_ids == b.bm25.chunk_ids


def _folders(settings) -> list[Path]:
    root = read_cache.cache_root(settings)
    return sorted(p for p in root.glob("*/v*") if p.is_dir()) if root.is_dir() else []


def _count_store_reads(index: Index, monkeypatch) -> list[str]:
    asked: list[str] = []
    read_chunks = index.store.read_chunks
    monkeypatch.setattr(index.store, "read_chunks", lambda doc_ids=None, **kw: (asked.extend(doc_ids or ["*"]), read_chunks(doc_ids, **kw))[1])
    return asked


@pytest.fixture(scope="module")
def _three_letters(tmp_path_factory, embedder):
    from tests.conftest import settings_for

    base = tmp_path_factory.mktemp("read_cache")
    folder = base / "letters"
    folder.mkdir()
    for name in SAMPLE_FILES[:3]:
        shutil.copy(SAMPLE_DIR / name, folder / name)
    settings = settings_for(base / "index")
    ingest([str(folder)], settings, embedder=embedder)
    return settings, folder


@pytest.fixture
def small_index(_three_letters, make_settings, tmp_path):
    """A copy of an index of three sample letters (its own folder, so its own cache: written by a first read)."""
    base, folder = _three_letters
    settings = make_settings("small")
    shutil.copytree(base.index, settings.index)
    load_snapshot(Index(settings))
    return settings, folder


def test_the_cache_holds_exactly_what_chroma_holds_and_a_reader_reads_nothing_from_chroma(sample_index, monkeypatch):
    from_chroma = load_snapshot(Index(sample_index), cached=False)
    load_snapshot(Index(sample_index))  # the cache of the session's index (written by its first reader)
    untouched = Index(sample_index)
    load_snapshot(untouched)
    assert "store" not in untouched.__dict__, "the Chroma client was not even opened"
    index = Index(sample_index)
    asked = _count_store_reads(index, monkeypatch)
    from_cache = load_snapshot(index)
    assert asked == [] and type(from_cache.records).__name__ == "CachedRecords"
    _same(from_cache, from_chroma)
    row = len(from_cache.ids) // 2
    assert from_cache.passage(row) == from_chroma.passage(row)
    assert isinstance(from_cache.vectors, np.ndarray) and not from_cache.vectors.flags.writeable  # mapped, read-only


def test_a_cache_of_an_older_commit_is_never_read(small_index, embedder, tmp_path, monkeypatch):
    settings, folder = small_index
    [older] = _folders(settings)
    kept = tmp_path / "older-cache"
    shutil.copytree(older, kept)
    older_ids = load_snapshot(Index(settings)).ids

    new = tmp_path / "new"
    new.mkdir()
    (new / "cykler.txt").write_text(CYCLING_LETTER, encoding="utf-8")
    ingest([str(new)], settings, embedder=embedder)  # a second commit
    [newer] = _folders(settings)
    assert newer != older and not older.exists(), "the writer replaced the older commit's cache"

    # The older cache back in place, the newer one gone: the reader must read Chroma, not the older cache.
    shutil.rmtree(newer)
    shutil.copytree(kept, older)
    index = Index(settings)
    assert read_cache.load(index, index.manifest()) is None
    asked = _count_store_reads(index, monkeypatch)
    snap = load_snapshot(index)
    assert asked, "read from Chroma"
    assert len(snap.ids) > len(older_ids) and any("cykelparkering" in t for t in snap.texts)
    assert _folders(settings) == [newer], "rebuilt for the committed version; the older one deleted"

    # Even under the committed version's folder name, an older commit's cache is refused (its meta says so).
    shutil.rmtree(newer)
    shutil.copytree(kept, newer)
    index = Index(settings)
    assert read_cache.load(index, index.manifest()) is None
    monkeypatch.undo()
    _same(load_snapshot(index), load_snapshot(Index(settings), cached=False))


def test_an_index_rebuilt_to_the_same_version_does_not_read_the_old_cache(make_settings, embedder, tmp_path):
    """Same path, same version number, other letters (the index folder deleted and built again, the cache kept
    in HOERING_CACHE_DIR): the manifest fingerprint tells the commits apart."""
    cache = tmp_path / "shared-cache"
    settings = make_settings("rebuilt", cache_dir=cache)
    first, second = tmp_path / "first", tmp_path / "second"
    first.mkdir(), second.mkdir()
    (first / "a.txt").write_text(letter("Ældrerådet i Syddjurs", "Vi ønsker flere pladser til aflastning."), encoding="utf-8")
    (second / "b.txt").write_text(letter("Handicaprådet i Favrskov", "Vi ønsker bedre kørsel til dagtilbud."), encoding="utf-8")
    ingest([str(first)], settings, embedder=embedder)
    version = Index(settings).version()
    assert _folders(settings)
    from index.store import close_embedded

    close_embedded()
    shutil.rmtree(settings.index)
    ingest([str(second)], settings, embedder=embedder)
    assert Index(settings).version() == version
    snap = load_snapshot(Index(settings))
    assert any("kørsel til dagtilbud" in t for t in snap.texts) and not any("aflastning" in t for t in snap.texts)


@pytest.mark.parametrize("damage", ["truncate vectors", "garble texts", "no meta", "pickled vectors", "rows count"])
def test_a_damaged_cache_falls_back_to_chroma_and_is_written_again(small_index, damage, monkeypatch):
    settings, _ = small_index
    [folder] = _folders(settings)
    expected = load_snapshot(Index(settings), cached=False)
    if damage == "truncate vectors":
        path = folder / "vectors.npy"
        path.write_bytes(path.read_bytes()[:-100])
    elif damage == "garble texts":
        path = folder / "texts.txt"
        data = bytearray(path.read_bytes())
        data[10] = ord("X") if data[10] != ord("X") else ord("Y")
        path.write_bytes(bytes(data))
    elif damage == "no meta":
        (folder / "meta.json").unlink()
    elif damage == "pickled vectors":  # an object array needs pickle to load: never unpickled, refused
        np.save(folder / "vectors.npy", np.array([{"a": 1}] * 3, dtype=object), allow_pickle=True)
    else:
        meta = json.loads((folder / "meta.json").read_text())
        meta["rows"] += 1
        (folder / "meta.json").write_text(json.dumps(meta))
    index = Index(settings)
    assert read_cache.load(index, index.manifest()) is None
    asked = _count_store_reads(index, monkeypatch)
    _same(load_snapshot(index), expected)
    assert asked, "read from Chroma"
    monkeypatch.undo()
    assert _folders(settings) == [folder]
    again = Index(settings)
    rows = read_cache.load(again, again.manifest())
    assert rows is not None, "written again"


def test_a_removed_letter_leaves_no_text_in_the_cache(small_index):
    settings, folder = small_index
    gone = folder / SAMPLE_FILES[0]
    words = gone.read_text(encoding="utf-8").split("\n")
    needle = max(words, key=len)[:60].encode("utf-8")
    cache_files = lambda: [p for p in read_cache.cache_root(settings).rglob("*") if p.is_file()]  # noqa: E731
    assert any(needle in p.read_bytes() for p in cache_files())
    remove([str(gone)], settings)
    assert not any(needle in p.read_bytes() for p in cache_files())
    assert len(_folders(settings)) == 1


def test_a_cache_that_cannot_be_written_never_fails_a_read(make_settings, embedder, tmp_path):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the cache folder would be")
    settings = make_settings("blocked", cache_dir=blocker)
    letters = tmp_path / "l"
    letters.mkdir()
    (letters / "a.txt").write_text(letter("Ældrerådet i Syddjurs", "Vi ønsker flere pladser til aflastning."), encoding="utf-8")
    ingest([str(letters)], settings, embedder=embedder)  # the writer's cache fails quietly
    snap = load_snapshot(Index(settings))
    assert snap.ids and blocker.read_text().startswith("a file")


def test_a_lost_chroma_database_is_not_hidden_by_the_cache(small_index):
    settings, _ = small_index
    assert _folders(settings)
    (Path(settings.index) / "chroma" / "chroma.sqlite3").unlink()
    index = Index(settings)
    assert read_cache.load(index, index.manifest()) is None  # the reader goes to Chroma and names the damage


# --- issue 21, defect 9: every file of the cache is checked, not only its texts ----------------------------------

QUESTION = "Er der ventelister til botilbud?"


def _ask(settings) -> subprocess.CompletedProcess:
    """A real ``hoering ask --json`` on the index (a process of its own: it reads the cache from disk)."""
    return subprocess.run([*hoering_command(), "ask", QUESTION, "--json", "--index", str(settings.index)],
                          env=python_env(COLUMNS="1000"), capture_output=True, text=True, timeout=300)


@pytest.fixture(scope="module")
def fresh_answer(sample_index) -> dict:
    done = _ask(sample_index)
    assert done.returncode == 0, done.stderr[-2000:]
    return json.loads(done.stdout)


def _shift_documents(folder: Path) -> None:
    """The document column of rows.npy moved down one row: same size and shape, every row's letter wrong."""
    rows = np.load(folder / "rows.npy")
    rows[:, 0] = np.roll(rows[:, 0], 1)
    np.save(folder / "rows.npy", rows)


def _nan_vectors(folder: Path) -> None:
    for name in ("vectors.npy", "sentence_vectors.npy"):
        vectors = np.load(folder / name, mmap_mode="r+")
        vectors[::2] = np.nan
        vectors.flush()
        del vectors


def _truncate(folder: Path) -> None:
    path = folder / "sentence_vectors.npy"
    with open(path, "r+b") as f:
        f.truncate(path.stat().st_size // 2)


def _edit_records(folder: Path) -> None:
    """Same sizes: each row's page and span changed, and which sentences can be evidence turned around."""
    rows = np.load(folder / "rows.npy")
    rows[:, 2:4] += 7
    rows[:, 4] += 1
    np.save(folder / "rows.npy", rows)
    statements = np.load(folder / "statements.npy")
    np.save(folder / "statements.npy", ~statements)


@pytest.mark.parametrize("damage", [_shift_documents, _nan_vectors, _truncate, _edit_records],
                         ids=["shifted document column", "NaN vectors", "truncated file", "edited records"])
def test_any_damaged_cache_file_is_discarded_and_answers_equal_a_fresh_caches(sample_index, fresh_answer, tmp_path, damage):
    from tests.conftest import settings_for

    shutil.copytree(sample_index.index, tmp_path / "index")
    settings = settings_for(tmp_path / "index")
    load_snapshot(Index(settings))  # this copy's own cache
    [folder] = _folders(settings)
    sizes = {p.name: p.stat().st_size for p in folder.iterdir()}
    damage(folder)
    if damage is not _truncate:
        assert {p.name: p.stat().st_size for p in folder.iterdir()} == sizes, "sizes alone cannot tell"

    done = _ask(settings)
    assert done.returncode == 0, done.stderr[-2000:]
    assert json.loads(done.stdout) == fresh_answer
    told = " ".join(done.stderr.split())
    assert "læsecachen" in told and "beskadiget" in told and "genopbygges fra Chroma" in told, done.stderr
    assert "Traceback" not in done.stderr
    index = Index(settings)
    assert read_cache.load(index, index.manifest()) is not None, "written again from Chroma"
    again = _ask(settings)  # and read from the rebuilt cache: the same answer, nothing discarded
    assert json.loads(again.stdout) == fresh_answer and "læsecachen" not in again.stderr


def test_a_damaged_older_cache_is_not_reused_by_the_next_writer(small_index, embedder, tmp_path):
    """A writer builds the new commit's cache from the newest older one: a shifted column there must not be
    carried into the new cache."""
    settings, _ = small_index
    [folder] = _folders(settings)
    _shift_documents(folder)
    new = tmp_path / "new"
    new.mkdir()
    (new / "cykler.txt").write_text(CYCLING_LETTER, encoding="utf-8")
    ingest([str(new)], settings, embedder=embedder)
    _same(load_snapshot(Index(settings)), load_snapshot(Index(settings), cached=False))


def test_vectors_that_are_not_finite_are_never_cached(small_index, monkeypatch):
    settings, _ = small_index
    for folder in _folders(settings):
        shutil.rmtree(folder)
    snap = load_snapshot(Index(settings), cached=False)
    snap.vectors = snap.vectors.copy()
    snap.vectors[0, 0] = np.inf
    assert read_cache.save(Index(settings), snap) is None and _folders(settings) == []
