"""Several app sessions share one Searcher (and its embedder): answers from many threads while an upload is
ingested into the same index never fail, never show a half-written document, and see the new letter after."""

from __future__ import annotations

import shutil
import threading

from answering.answer import answer_question
from ingest.pipeline import ingest
from retrieval.search import Searcher

QUESTIONS = [
    "Hvad siger kommunerne om ventelister?",
    "Hvem nævner rekruttering og fastholdelse af personale?",
    "What do the municipalities say about waiting lists?",
    "Hvad mener Roskilde om besparelserne?",
]
NEW_LETTER = """Høringssvar fra Cykelforeningen Østjylland

Vi ønsker flere overdækkede cykelparkeringspladser ved de sociale tilbud, så medarbejderne kan cykle på arbejde.

Med venlig hilsen
Cykelforeningen Østjylland
"""


def test_answers_from_many_threads_while_an_upload_is_ingested(sample_index, make_settings, embedder, tmp_path):
    settings = make_settings("shared")
    shutil.copytree(sample_index.index, settings.index)
    searcher = Searcher(settings, embedder=embedder)  # what st.cache_resource shares between sessions
    uploads = tmp_path / "uploads"
    uploads.mkdir()
    (uploads / "cykler.txt").write_text(NEW_LETTER, encoding="utf-8")
    errors: list[BaseException] = []
    answers = []
    lock = threading.Lock()

    def session(offset: int) -> None:
        try:
            for i in range(6):
                answer = answer_question(QUESTIONS[(offset + i) % len(QUESTIONS)], searcher)
                with lock:
                    answers.append(answer)
                passages = {p.chunk_id: p.text for p in answer.passages}
                for c in answer.citations:  # every citation verified against the passage it was read from
                    assert c.verified and " ".join(c.quote.split()) in " ".join(passages[c.chunk_id].split())
        except BaseException as exc:  # noqa: BLE001 - collected and re-raised in the main thread
            errors.append(exc)

    def upload() -> None:
        try:
            report = ingest([str(uploads)], settings, embedder=embedder)
            assert report.to_json()["ingested"] == 1
        except BaseException as exc:  # noqa: BLE001
            errors.append(exc)

    threads = [threading.Thread(target=session, args=(n,)) for n in range(4)] + [threading.Thread(target=upload)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)
    assert not errors, errors
    assert len(answers) == 24 and all(a.grounded for a in answers if a.question == QUESTIONS[0])
    # Every snapshot a reader saw was whole: the manifest's chunk counts match what was read.
    snap = searcher.snapshot()
    assert len(snap.ids) == sum(d.chunks for d in snap.manifest.documents.values())
    new = searcher.search("overdækkede cykelparkeringspladser", k=3)
    assert new.passages and new.passages[0].sender == "Cykelforeningen Østjylland"
