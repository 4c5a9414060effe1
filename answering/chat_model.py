"""The language model behind one small interface (in the spirit of simonw/llm: one small class per backend).

The answering code talks to a ``ChatModel`` only: ``name``, ``invoke`` (the whole reply), ``stream`` (the reply in
pieces) and ``structured`` (the reply as a validated Pydantic model, or None). ``LangChainChatModel`` adapts any
LangChain chat model; everything LangChain-specific (its message shapes, the text of a message or stream chunk)
lives in that adapter and nowhere else. Tests implement ``ChatModel`` directly.
"""

from __future__ import annotations

import json
import re
from abc import ABC, abstractmethod
from typing import Any, Iterator, Literal, NamedTuple, Sequence, TypeVar

from pydantic import BaseModel, ValidationError

Role = Literal["system", "human"]
Schema = TypeVar("Schema", bound=BaseModel)


class Message(NamedTuple):
    """One message of a prompt: who says it (the system prompt or the user) and what."""

    role: Role
    content: str


def human(content: str) -> list[Message]:
    """A prompt of one user message."""
    return [Message("human", content)]


class ChatModel(ABC):
    """A chat model: subclasses implement ``stream``; ``invoke`` and ``structured`` follow from it unless a
    backend has a better way. A failing call raises; callers decide what falls back."""

    name: str = "chat-model"  # identifies the model's outputs (part of the LLM cache key)

    @abstractmethod
    def stream(self, messages: Sequence[Message]) -> Iterator[str]:
        """The reply in pieces as they are written (no empty pieces)."""

    def invoke(self, messages: Sequence[Message]) -> str:
        """The whole reply."""
        return "".join(self.stream(messages))

    def structured(self, messages: Sequence[Message], schema: type[Schema]) -> Schema | None:
        """The reply as an instance of ``schema``, or None when it holds no JSON object that validates."""
        return parse_structured(self.invoke(messages), schema)


def json_object(text: str) -> dict | None:
    """The outermost JSON object in a model's reply (models like to wrap it in prose or code fences)."""
    match = re.search(r"\{.*\}", text or "", re.S)
    if not match:
        return None
    try:
        data = json.loads(match.group(0))
    except json.JSONDecodeError:
        return None
    return data if isinstance(data, dict) else None


def parse_structured(text: str | None, schema: type[Schema]) -> Schema | None:
    """``text``'s JSON object validated as ``schema``; None when there is none (or an empty one) or it is invalid."""
    data = json_object(text or "")
    if not data:
        return None
    try:
        return schema.model_validate(data)
    except ValidationError:
        return None


class LangChainChatModel(ChatModel):
    """Any LangChain chat model (``BaseChatModel``: ChatOpenAI, AzureChatOpenAI, ChatOllama, the fakes …)."""

    def __init__(self, model: Any) -> None:
        self.langchain_model = model
        self.name = str(getattr(model, "model_name", None) or getattr(model, "model", None) or type(model).__name__)

    def invoke(self, messages: Sequence[Message]) -> str:
        return _text(self.langchain_model.invoke(_langchain_messages(messages)))

    def stream(self, messages: Sequence[Message]) -> Iterator[str]:
        for chunk in self.langchain_model.stream(_langchain_messages(messages)):
            text = _text(chunk)
            if text:
                yield text


def _langchain_messages(messages: Sequence[Message]) -> list[tuple[str, str]]:
    """LangChain's (role, content) message tuples."""
    return [(message.role, message.content) for message in messages]


def _text(chunk: Any) -> str:
    """The text of a LangChain message or stream chunk (string or list-of-parts content)."""
    content = getattr(chunk, "content", chunk)
    if isinstance(content, list):
        return "".join(part.get("text", "") if isinstance(part, dict) else str(part) for part in content)
    return str(content)
