"""Writers taking turns (issue 21: defect 10, and `remove`/`docs set` waiting silently from defect 12).

Real processes on a real index: another process holds the writer lock while `hoering docs set` and `hoering remove`
run; they say at once on stderr that they wait, and finish with their usual exit code once the lock is free. A long
`hoering ingest` (slow files, each stopped by its time budget) gives the lock up between files while a `docs set`
waits: the correction is saved within about one file's time, not after the whole run, and the ingest then goes on
from the manifest as the correction left it (the correction is kept, every good letter is ingested, the index whole).
"""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from filelock import FileLock, Timeout

from index.index import Index
from ingest.pipeline import ingest
from tests.conftest import settings_for
from tests.factories import letter
from tests.index_checks import assert_consistent
from tests.processes import hoering_command, python_env, stop
from tests.test_app import fresh_index  # noqa: F401  (a fixture)
from tests.test_browser import browser  # noqa: F401  (a fixture)
from tests.test_budgets import pdf_with_streams, varied_ops

WAITING = "Venter på, at en anden indlæsning bliver færdig …"
HOLDER = """
import sys
from filelock import FileLock
lock = FileLock(sys.argv[1])
lock.acquire()
print("held", flush=True)
sys.stdin.read()  # until the test closes stdin
lock.release()
"""


@pytest.fixture
def one_letter(tmp_path, embedder):
    """Settings of an index holding one letter (Vejle Kommune), and that letter's doc_id."""
    folder = tmp_path / "svar"
    folder.mkdir()
    (folder / "Vejle Kommune.txt").write_text(
        letter("Vejle Kommune", "Vejle Kommune støtter planen for flere aflastningspladser."), encoding="utf-8"
    )
    settings = settings_for(tmp_path / "index")
    ingest([folder], settings, embedder=embedder)
    [doc_id] = Index(settings).manifest().documents
    return settings, doc_id, folder


class Stderr:
    """A process's stderr read in a thread: what it has said so far, and waiting until it says something."""

    def __init__(self, process: subprocess.Popen) -> None:
        self.text = ""
        self._thread = threading.Thread(target=self._read, args=(process,), daemon=True)
        self._thread.start()

    def _read(self, process: subprocess.Popen) -> None:
        for line in process.stderr:
            self.text += line

    def wait_for(self, words: str, timeout: float = 120) -> float:
        deadline = time.monotonic() + timeout
        while words not in self.text:
            assert time.monotonic() < deadline, f"never said {words!r}: {self.text[-2000:]}"
            time.sleep(0.05)
        return time.monotonic()


def writer_lock_held(index: Path) -> bool:
    lock = FileLock(str(index / ".writer.lock"))
    try:
        lock.acquire(timeout=0)
    except Timeout:
        return True
    lock.release()
    return False


@pytest.mark.parametrize("command, expected, code", [
    (["docs", "set", "{doc_id}", "--sender", "Vejle Kommune, Social og Sundhed"], "Rettet: ", 0),
    (["remove", "{doc_id}"], "Fjernet 1 dokument(er).", 0),
    (["remove", "ffffffffffff"], "Fjernet 0 dokument(er).", 1),
])
def test_a_writer_behind_the_lock_says_so_at_once_and_finishes_after_release(one_letter, tmp_path, command, expected, code):
    settings, doc_id, _ = one_letter
    holder = subprocess.Popen([sys.executable, "-c", HOLDER, str(settings.index / ".writer.lock")], env=python_env(),
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "held"
        args = [a.format(doc_id=doc_id) for a in command]
        writer = subprocess.Popen([*hoering_command(), *args, "--index", str(settings.index)], cwd=tmp_path,
                                  env=python_env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        try:
            err = Stderr(writer)
            err.wait_for(WAITING)
            time.sleep(1.0)
            assert writer.poll() is None, err.text  # it waits: nothing written behind the holder's back
            assert expected not in err.text
            holder.stdin.close()  # the lock is free
            assert writer.wait(timeout=120) == code, err.text
            err._thread.join(timeout=10)
            assert expected in err.text and err.text.count(WAITING) == 1
        finally:
            stop(writer)
    finally:
        stop(holder)
    documents = Index(settings).manifest().documents
    if args[0] == "docs":
        assert documents[doc_id].sender == "Vejle Kommune, Social og Sundhed"
    else:
        assert (doc_id in documents) == (code == 1)
    assert not list((settings.index / ".writer.waiting").iterdir())  # its waiting entry is gone


def test_english_waiting_phrase():
    from core.phrases import message

    assert message("cli.waiting_for_writer", "en") == "Waiting for another ingest to finish …"
    assert message("ui.waiting_for_writer", "da") == WAITING


SLOW_FILES = 6  # each stopped by its 3 s budget; two are read at a time
FILE_SECONDS = 3


@pytest.mark.parametrize("then", ["finish", "kill"])
def test_a_long_ingest_gives_the_lock_to_a_waiting_docs_set(one_letter, tmp_path, embedder, then):
    """Issue 21, defect 10: the writer lock was held for a whole ingest; a `docs set` issued during it waited for
    the end (about 20 s here; see the report of issue 21). Now the ingest gives way between files and while a slow
    file is read: the correction is saved while the ingest still runs, after about one file's time at most. The
    ingest then finishes; or, SIGKILLed after its turn, it leaves a whole index that a rerun completes."""
    settings, doc_id, _ = one_letter
    folder = tmp_path / "indbakke"
    folder.mkdir()
    for n in range(SLOW_FILES):  # slow files first, good letters between and after them
        (folder / f"{n:02d} tung scanning.pdf").write_bytes(pdf_with_streams(1, [varied_ops(8, seed=n)]))
        (folder / f"{n:02d} svar.txt").write_text(
            letter(f"Borgerforeningen nr. {n}", f"Borgerforening nummer {n} ønsker kortere ventetid på botilbud."),
            encoding="utf-8",
        )
    env = python_env(HOERING_FILE_SECONDS=str(FILE_SECONDS), HOERING_MAX_PARSE_MB="64")
    index = str(settings.index)

    def docs_set(sender: str) -> tuple[float, subprocess.CompletedProcess]:
        started = time.monotonic()
        done = subprocess.run([*hoering_command(), "docs", "set", doc_id, "--sender", sender, "--index", index],
                              cwd=tmp_path, env=env, capture_output=True, text=True, timeout=600)
        return time.monotonic() - started, done

    idle, done = docs_set("Vejle Kommune")  # the same command with the lock free: its own start-up and work
    assert done.returncode == 0, done.stderr[-2000:]
    run = subprocess.Popen([*hoering_command(), "ingest", str(folder), "--index", index, "--json"], cwd=tmp_path,
                           env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 180
        while not writer_lock_held(settings.index):
            assert run.poll() is None and time.monotonic() < deadline, run.stderr.read()[-2000:]
            time.sleep(0.05)
        time.sleep(2.0)  # well into the run: a slow file is being read
        waited, done = docs_set("Vejle Kommune, Social og Sundhed")
        still_running = run.poll() is None
        if then == "kill":
            time.sleep(1.0)  # the ingest has taken the lock back and reads on
            run.send_signal(signal.SIGKILL)
        out, err = run.communicate(timeout=600)
    finally:
        stop(run)
    print(f"\ndocs set with the lock free: {idle:.1f} s; during the ingest: {waited:.1f} s "
          f"(lock wait about {waited - idle:.1f} s); ingest still running when it was done: {still_running}")
    assert done.returncode == 0, done.stderr[-2000:]
    assert WAITING in done.stderr
    assert still_running, "the docs set waited for the whole ingest"
    assert waited - idle < 2 * FILE_SECONDS + 5, (idle, waited)
    if then == "finish":  # the ingest went on after its turn: every good letter in, every slow file failed alone
        assert run.returncode == 1, err[-2000:]  # failed files: exit 1, as documented
        report = json.loads(out)
        assert report["ingested"] == SLOW_FILES and len(report["failed"]) == SLOW_FILES
    else:  # killed: what it left is whole, and the same ingest run again completes it
        assert run.returncode == -signal.SIGKILL
        assert_consistent(settings)
        rerun = ingest([folder], settings_for(settings.index, file_seconds=FILE_SECONDS, max_parse_mb=64), embedder=embedder)
        assert len(rerun.failed) == SLOW_FILES
    documents = Index(settings).manifest().documents
    assert documents[doc_id].sender == "Vejle Kommune, Social og Sundhed"
    assert len(documents) == SLOW_FILES + 1
    assert_consistent(settings)


@pytest.mark.browser
def test_the_app_says_a_removal_waits_for_another_writer(fresh_index, browser, tmp_path):  # noqa: F811
    """In a real browser: "Ja, fjern dokumentet" while another process holds the writer lock shows the waiting
    text in a spinner at once; the letter is removed when the lock is free, and the page says so."""
    from tests.test_browser_walk import _open, _serve_as_make_run, _settle, _wait_text

    norddjurs = next(d for d in Index(fresh_index).manifest().documents.values() if d.sender == "Norddjurs Kommune")
    label = "Norddjurs Kommune – 002_eb13e6cc94d726ef.txt"
    (tmp_path / "app").mkdir()
    for url in _serve_as_make_run(fresh_index.index, tmp_path / "app"):
        page = browser.new_page(viewport={"width": 1400, "height": 1000}, locale="da-DK")
        page.goto(url, wait_until="domcontentloaded")
        page.get_by_test_id("stChatInputTextArea").wait_for(state="visible", timeout=90_000)
        _settle(page)
        _open(page, "dokumenter", "da")
        page.get_by_test_id("stSelectbox").filter(has_text="Vælg dokument").click()
        page.get_by_role("option", name=label).click()
        _settle(page)
        page.get_by_role("button", name="Fjern dokument").click()
        _wait_text(page, "fra indekset?")
        _settle(page)
        holder = subprocess.Popen([sys.executable, "-c", HOLDER, str(fresh_index.index / ".writer.lock")],
                                  env=python_env(), stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        try:
            assert holder.stdout.readline().strip() == "held"
            page.get_by_role("button", name="Ja, fjern dokumentet").click()
            _wait_text(page, WAITING, timeout=60)
            spinner = page.get_by_test_id("stExpander").filter(has_text=WAITING)
            assert spinner.count() == 1 and spinner.get_by_test_id("stExpanderIconSpinner").count() == 1
            time.sleep(1.0)
            assert norddjurs.doc_id in Index(fresh_index).manifest().documents  # nothing behind the holder's back
        finally:
            holder.stdin.close()  # the lock is free
            holder.wait(timeout=30)
            stop(holder)
        _wait_text(page, f"Fjernet: {label}")
        _settle(page)
        assert WAITING not in page.inner_text("body")
        assert norddjurs.doc_id not in Index(fresh_index).manifest().documents
        page.close()
