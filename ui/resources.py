"""Process-wide resources, shared by all browser sessions (st.cache_resource): settings, the index (which the
writers use: upload, removal, metadata edits), the searcher that reads it, chat model, and the background ingest of
the sample letters when the app starts on an empty index."""

from __future__ import annotations

import threading
from dataclasses import dataclass
from pathlib import Path

import streamlit as st

from answering.chat_model import ChatModel
from answering.llm import create_chat_model
from core.settings import Settings, get_settings
from index.casefile_store import CaseFileStore
from index.index import Index
from retrieval.search import Searcher


def settings() -> Settings:
    return get_settings()


@st.cache_resource(show_spinner=False)
def _index(folder: str, embedding: str, device: str, chroma_host: str | None) -> Index:
    return Index(settings())


def index() -> Index:
    """The one Index per index and model that the searcher reads: the writers (upload, removal, metadata edits,
    the sample's ingest) write through it; readers read through ``searcher().snapshot()``."""
    s = settings()
    return _index(str(s.index), s.embedding, s.embedding_device, s.chroma_host)


@st.cache_resource(show_spinner=False)
def _searcher(folder: str, embedding: str, device: str, chroma_host: str | None) -> Searcher:
    searcher = Searcher(settings(), index=_index(folder, embedding, device, chroma_host))
    # The page is interactive at once; the model and language detector load meanwhile.
    threading.Thread(target=searcher.warm_up, name="warm-up", daemon=True).start()
    return searcher


def searcher() -> Searcher:
    """One Searcher per index and model; thread-safe, so concurrent sessions share its embedder and snapshot."""
    s = settings()
    return _searcher(str(s.index), s.embedding, s.embedding_device, s.chroma_host)


@st.cache_resource(show_spinner=False)
def _chat_model(llm: str | None, base_url: str | None) -> ChatModel | None:
    return create_chat_model(settings())


def chat_model() -> ChatModel | None:
    """The configured language model (one per process), or None: answers are then built from quotes."""
    s = settings()
    return _chat_model(s.llm, s.llm_base_url)


def casefile_store() -> CaseFileStore:
    """The case files of the index (its SQLite file, or the shared database of HOERING_REVIEW_DB_URL)."""
    return CaseFileStore.for_settings(settings())


def language() -> str:
    return st.session_state.get("language", settings().language)


# --- the sample letters, ingested in the background (issue 16: the app up at once) -----------------------------


@dataclass(frozen=True)
class SampleProgress:
    """Where the background ingest of the sample stands: ``done`` of ``total`` files, and whether a question can
    be asked yet (a first letter is committed)."""

    done: int
    total: int
    askable: bool


class SampleLoader:
    """Ingests the folder ``settings.sample`` (``make run``: data/sample) in a background thread when the app starts
    on an empty index: one file per ingest, so each letter is committed (and can be asked about) as soon as it is
    embedded, while the page is already usable. One loader per process (st.cache_resource) and one across processes
    (a file lock beside the index); the index and the embedder are the searcher's, so the model loads once."""

    def __init__(self, settings: Settings, searcher: Searcher, index: Index) -> None:
        self.settings = settings
        self.searcher = searcher
        self.index = index
        self.done = 0
        self.total = 0
        self.error: str | None = None
        self._thread: threading.Thread | None = None
        self._checked = False  # the index was looked at (an ingest started, or none was needed)
        self._state = threading.Lock()

    def start_if_empty(self) -> None:
        """Start the background ingest when the index holds no document (once per process)."""
        from filelock import FileLock, Timeout

        from ingest.pipeline import discover

        with self._state:
            folder = self.settings.sample
            if self._checked or folder is None or not Path(folder).is_dir():
                return
            self._checked = True
            if self.index.manifest().documents:
                return
            lock = FileLock(str(Path(self.settings.index) / ".sample-ingest.lock"))
            try:
                lock.acquire(timeout=0)
            except Timeout:  # another process loads it: its commits show here too
                files, _ = discover([folder])
                self.total = len(files)
                self._thread = threading.Thread(target=self._follow, args=(lock,), name="sample-follow", daemon=True)
            else:
                files, _ = discover([folder])
                self.total = len(files)
                self._thread = threading.Thread(target=self._run, args=(lock, files), name="sample-ingest", daemon=True)
            self._thread.start()

    def _run(self, lock, files: list[str]) -> None:
        from ingest.pipeline import ingest

        try:
            for path in files:  # one commit per letter: the first ones are askable while the rest load
                ingest([path], self.settings, embedder=self.searcher.embedder, index=self.index)
                self.done += 1
        except Exception as exc:  # noqa: BLE001 - shown in the app; the page stays usable
            self.error = str(exc)
        finally:
            lock.release()

    def _follow(self, lock) -> None:
        """Another process holds the loader's lock: wait for it, counting the documents it commits."""
        lock.acquire()
        lock.release()
        self.done = self.total

    def progress(self) -> SampleProgress | None:
        """None when no ingest of the sample runs in this process (or it has finished)."""
        thread = self._thread
        if thread is None or not thread.is_alive():
            return None
        documents = len(self.index.manifest().documents)
        done = self.done if thread.name == "sample-ingest" else min(self.total, documents)
        return SampleProgress(done=done, total=self.total, askable=documents > 0)


@st.cache_resource(show_spinner=False)
def _sample_loader(folder: str, sample: str | None) -> SampleLoader:
    return SampleLoader(settings(), searcher(), index())


def sample_progress() -> SampleProgress | None:
    """The background ingest of the sample letters (started here when the index is empty), or None."""
    s = settings()
    loader = _sample_loader(str(s.index), str(s.sample) if s.sample else None)
    loader.start_if_empty()
    return loader.progress()


def asking_disabled() -> bool:
    """True while the sample is being ingested and no letter is committed yet (nothing to ask about)."""
    progress = sample_progress()
    return progress is not None and not progress.askable
