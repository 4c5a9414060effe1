"""A Chroma server that dies under a long-lived reader (issue 21, from defect 12): the app and a CLI process that
answered once say what the README says for a server that is down at start — one line in the user's language,
no bare ``ConnectError`` — with a real ``chroma run`` killed after the first answer."""

from __future__ import annotations

import os
import subprocess
import sys
import time

import pytest

from index.manifest_store import ChromaManifestStore
from ingest.pipeline import ingest
from tests.conftest import REPO, SAMPLE_DIR, settings_for
from tests.processes import python_env, start_chroma_server, stop
from tests.test_server_mode import QUESTIONS, _chroma_binary

pytestmark = pytest.mark.server

DOWN_DA = "kan ikke forbinde til Chroma-serveren på 127.0.0.1:{port}"
DOWN_EN = "cannot connect to the Chroma server at 127.0.0.1:{port}"
WAITING = "ANSWERED-ONCE"
# A real `hoering ask --queries`: after its first answer it says so and waits for a line on stdin (the test
# kills the server meanwhile), then answers the next questions.
CHILD = f"""
import sys
import hoering.ask_cli as ask_cli
import hoering.cli as cli
original = ask_cli._answer
calls = []

def answer_then_wait(*args, **kwargs):
    calls.append(1)
    if len(calls) == 2:
        print({WAITING!r}, flush=True)
        sys.stdin.readline()
    return original(*args, **kwargs)

ask_cli._answer = answer_then_wait
cli.main()
"""


@pytest.fixture
def mortal_server(tmp_path, sample_index, embedder):
    """A Chroma server of its own (this test kills it), with the sample ingested through it."""
    process, port = start_chroma_server(_chroma_binary(), tmp_path)
    try:
        settings = settings_for(tmp_path / "local", chroma_host="127.0.0.1", chroma_port=port, chroma_prefix="mortal",
                                embedding_cache=sample_index.index / "embeddings.sqlite")
        assert ingest([str(SAMPLE_DIR)], settings, embedder=embedder).to_json()["ingested"] == 5
        yield settings, process
    finally:
        stop(process)


def test_a_cli_reader_whose_server_dies_after_its_first_answer_says_so_in_one_line(mortal_server, tmp_path):
    settings, server = mortal_server
    questions = tmp_path / "questions.txt"
    questions.write_text("\n".join(QUESTIONS[:2]), encoding="utf-8")
    env = python_env(HOERING_INDEX=str(settings.index), HOERING_CHROMA_HOST="127.0.0.1",
                     HOERING_CHROMA_PORT=str(settings.chroma_port), HOERING_CHROMA_PREFIX="mortal",
                     HOERING_LANGUAGE="en", COLUMNS="1000")
    child = subprocess.Popen([sys.executable, "-c", CHILD, "ask", "--queries", str(questions), "--json"], cwd=REPO,
                             env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert child.stdout.readline().strip() == WAITING  # one answer made through the server
        stop(server)
        time.sleep(ChromaManifestStore.STAMP_SECONDS + 0.5)  # the reader must ask the server again
        out, err = child.communicate(input="go\n", timeout=300)
    finally:
        stop(child)
    assert child.returncode == 2, err[-3000:]
    assert "Traceback" not in err and "ConnectError" not in err, err[-3000:]
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("ERROR") and DOWN_EN.format(port=settings.chroma_port) in lines[0], err


def test_the_app_whose_server_dies_after_its_first_answer_says_so_in_one_line(mortal_server, tmp_path, monkeypatch):
    from streamlit.testing.v1 import AppTest

    from tests.test_app import APP, TIMEOUT, _ask, _last_answer, _reset_caches

    settings, server = mortal_server
    for name in list(os.environ):
        if name.startswith("HOERING_"):
            monkeypatch.delenv(name)
    monkeypatch.chdir(tmp_path)
    for name, value in {
        "INDEX": settings.index, "UPLOADS": tmp_path / "uploads", "FEEDBACK": tmp_path / "feedback.jsonl",
        "CHROMA_HOST": "127.0.0.1", "CHROMA_PORT": settings.chroma_port, "CHROMA_PREFIX": "mortal",
        "EMBEDDING_CACHE": settings.embedding_cache,
    }.items():
        monkeypatch.setenv(f"HOERING_{name}", str(value))
    _reset_caches()
    try:
        at = AppTest.from_file(str(APP), default_timeout=TIMEOUT).run()
        assert _last_answer(_ask(at, QUESTIONS[0])).citations  # answered through the server

        stop(server)
        time.sleep(ChromaManifestStore.STAMP_SECONDS + 0.5)
        at.chat_input[0].set_value(QUESTIONS[2]).run()
        assert not at.exception, [e.value for e in at.exception]
        errors = [e.value.replace("\\", "") for e in at.error]  # (the markdown source: escaped)
        assert len(errors) == 1 and DOWN_DA.format(port=settings.chroma_port) in errors[0], errors

        monkeypatch.setenv("HOERING_LANGUAGE", "en")  # a new session, the server still down: the same line, in English
        _reset_caches()
        at = AppTest.from_file(str(APP), default_timeout=TIMEOUT).run()
        assert not at.exception, [e.value for e in at.exception]
        errors = [e.value.replace("\\", "") for e in at.error]  # (the markdown source: escaped)
        assert len(errors) == 1 and DOWN_EN.format(port=settings.chroma_port) in errors[0], errors
    finally:
        _reset_caches()
