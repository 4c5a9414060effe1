"""Process-wide resources, shared by all browser sessions (st.cache_resource): settings, searcher, chat model."""

from __future__ import annotations

import threading

import streamlit as st

from answering.chat_model import ChatModel
from answering.llm import create_chat_model
from core.settings import Settings, get_settings
from retrieval.search import Searcher


def settings() -> Settings:
    return get_settings()


@st.cache_resource(show_spinner=False)
def _searcher(index: str, embedding: str, device: str, chroma_host: str | None) -> Searcher:
    searcher = Searcher(settings())
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


def language() -> str:
    return st.session_state.get("language", settings().language)
