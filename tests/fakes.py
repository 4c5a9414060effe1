"""Fake chat models for tests (LangChain's interface, so the real code paths run unchanged)."""

from __future__ import annotations

from typing import Callable, Iterator

from langchain_core.language_models.fake_chat_models import GenericFakeChatModel
from langchain_core.messages import AIMessage, BaseMessage
from langchain_core.outputs import ChatGeneration, ChatResult
from pydantic import Field


class ScriptedChatModel(GenericFakeChatModel):
    """A fake chat model whose reply is a function of the prompt it gets; it records every call.

    Streams word by word like GenericFakeChatModel (whose ``_stream`` calls this ``_generate``).
    """

    messages: Iterator = Field(default_factory=lambda: iter(()))
    respond: Callable[[str], str]
    calls: list[list[BaseMessage]] = Field(default_factory=list)

    def _generate(self, messages, stop=None, run_manager=None, **kwargs) -> ChatResult:
        self.calls.append(list(messages))
        prompt = "\n\n".join(str(m.content) for m in messages)
        return ChatResult(generations=[ChatGeneration(message=AIMessage(content=self.respond(prompt)))])
