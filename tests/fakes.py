"""Fake chat models for tests: they implement the public ``ChatModel`` interface (answering/chat_model.py), so
the answering code runs unchanged; the LangChain adapter has its own tests (tests/test_chat_model.py)."""

from __future__ import annotations

import re
import threading
from typing import Callable, Iterator, Sequence

from answering.chat_model import ChatModel, Message


class ScriptedChatModel(ChatModel):
    """A fake chat model whose reply is a function of the prompt (its messages' texts joined by a blank line);
    it records every call. Streams word by word, whitespace kept (as LangChain's GenericFakeChatModel does)."""

    def __init__(self, respond: Callable[[str], str], name: str = "scripted-fake") -> None:
        self.respond = respond
        self.name = name
        self.calls: list[list[Message]] = []
        self._lock = threading.Lock()  # the LLM tasks call from several threads

    def _reply(self, messages: Sequence[Message]) -> str:
        with self._lock:
            self.calls.append(list(messages))
        return self.respond("\n\n".join(m.content for m in messages))

    def invoke(self, messages: Sequence[Message]) -> str:
        return self._reply(messages)

    def stream(self, messages: Sequence[Message]) -> Iterator[str]:
        for piece in re.split(r"(\s)", self._reply(messages)):
            if piece:
                yield piece


def replying(*replies: str) -> ScriptedChatModel:
    """A fake chat model that gives these replies in order, one per call (and fails when they run out)."""
    remaining = iter(replies)

    def respond(prompt: str) -> str:
        try:
            return next(remaining)
        except StopIteration:
            raise RuntimeError("the fake chat model has no replies left") from None

    return ScriptedChatModel(respond=respond)


class BrokenChatModel(ScriptedChatModel):
    """Writes the first ``pieces`` pieces of its reply, then fails like a server that went away."""

    def __init__(self, reply: str, pieces: int = 10) -> None:
        super().__init__(respond=lambda prompt: reply, name="broken-fake")
        self.pieces = pieces

    def invoke(self, messages: Sequence[Message]) -> str:
        raise ConnectionError("the language model went away")

    def stream(self, messages: Sequence[Message]) -> Iterator[str]:
        for n, piece in enumerate(super().stream(messages)):
            if n == self.pieces:
                raise ConnectionError("the language model went away")
            yield piece
