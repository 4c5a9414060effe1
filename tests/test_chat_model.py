"""The chat-model seam (answering/chat_model.py): the LangChain adapter over LangChain's own fake chat models
(invoke, stream, name, message shapes), structured output, and the ChatModel contract our fakes implement."""

from __future__ import annotations

from typing import Iterator, Sequence

import pytest
from langchain_core.language_models.fake_chat_models import FakeListChatModel, GenericFakeChatModel
from langchain_core.messages import AIMessage
from pydantic import BaseModel, field_validator

from answering.chat_model import ChatModel, LangChainChatModel, Message, human, json_object, parse_structured
from answering.llm_tasks import Position
from tests.fakes import BrokenChatModel, ScriptedChatModel, replying


def test_adapter_invoke_returns_the_whole_reply_as_text():
    model = LangChainChatModel(FakeListChatModel(responses=["Hej verden", "Anden"]))
    assert model.invoke(human("Sig hej")) == "Hej verden"
    assert model.invoke([Message("system", "Du er kort."), Message("human", "Igen")]) == "Anden"


def test_adapter_streams_text_pieces_only():
    model = LangChainChatModel(GenericFakeChatModel(messages=iter(["Der er lange ventelister [1]."])))
    pieces = list(model.stream(human("Hvad siger de?")))
    assert all(isinstance(p, str) and p for p in pieces)  # text, never LangChain chunks, never empty
    assert len(pieces) > 5 and "".join(pieces) == "Der er lange ventelister [1]."


def test_adapter_streams_character_by_character_from_a_fake_list_model():
    model = LangChainChatModel(FakeListChatModel(responses=["abc"]))
    assert list(model.stream(human("x"))) == ["a", "b", "c"]


def test_adapter_reads_list_of_parts_content():
    reply = AIMessage(content=[{"type": "text", "text": "Del 1, "}, "del 2"])
    model = LangChainChatModel(GenericFakeChatModel(messages=iter([reply])))
    assert model.invoke(human("x")) == "Del 1, del 2"


def test_adapter_passes_role_and_content_to_langchain():
    seen = []

    class Recording(GenericFakeChatModel):
        def _generate(self, messages, stop=None, run_manager=None, **kwargs):
            seen.append([(m.type, m.content) for m in messages])
            return super()._generate(messages, stop=stop, run_manager=run_manager, **kwargs)

    model = LangChainChatModel(Recording(messages=iter(["ok"])))
    assert model.invoke([Message("system", "Regler"), Message("human", "Spørgsmål")]) == "ok"
    assert seen == [[("system", "Regler"), ("human", "Spørgsmål")]]


def test_adapter_name_is_the_model_name():
    assert LangChainChatModel(FakeListChatModel(responses=["x"])).name == "FakeListChatModel"

    class Named(FakeListChatModel):
        model_name: str = "gemma-3-270m"

    assert LangChainChatModel(Named(responses=["x"])).name == "gemma-3-270m"


def test_adapter_lets_a_failure_through_for_the_caller_to_handle():
    model = LangChainChatModel(FakeListChatModel(responses=["abcdef"], error_on_chunk_number=3))
    pieces = []
    with pytest.raises(Exception):
        for piece in model.stream(human("x")):
            pieces.append(piece)
    assert pieces == ["a", "b", "c"]


class Verdict(BaseModel):
    stance: str

    @field_validator("stance")
    @classmethod
    def known(cls, value: str) -> str:
        if value not in ("støtter", "bekymret"):
            raise ValueError("unknown stance")
        return value


@pytest.mark.parametrize(
    ("reply", "expected"),
    [
        ('{"stance": "støtter"}', "støtter"),
        ('Her er svaret:\n```json\n{"stance": "bekymret"}\n```', "bekymret"),
        ('{"stance": "jubler"}', None),  # does not validate
        ("ikke json", None),
        ("{}", None),
        ("[1, 2]", None),
    ],
)
def test_structured_output_validates_or_gives_none(reply, expected):
    got = LangChainChatModel(FakeListChatModel(responses=[reply])).structured(human("x"), Verdict)
    assert (got.stance if got else None) == expected
    assert (parse_structured(reply, Verdict) or Verdict.model_construct(stance=None)).stance == expected


def test_structured_output_of_the_map_step_schema():
    reply = '{"stance": "Bekymret", "summary": "Lange   ventelister.", "quote": "lange ventelister"}'
    position = replying(reply).structured(human("x"), Position)
    assert position is not None and position.stance == "bekymret" and position.summary == "Lange ventelister."
    assert json_object("intet her") is None and parse_structured(None, Position) is None


def test_a_chat_model_needs_only_stream():
    class Echo(ChatModel):
        name = "echo"

        def stream(self, messages: Sequence[Message]) -> Iterator[str]:
            yield from messages[-1].content.split(" ")

    echo = Echo()
    assert echo.invoke(human("a b c")) == "abc"
    assert echo.structured(human('{"stance": "støtter"}'), Verdict).stance == "støtter"
    with pytest.raises(TypeError):
        ChatModel()  # abstract


def test_the_fakes_implement_the_interface():
    scripted = ScriptedChatModel(respond=lambda prompt: f"svar på {prompt}")
    assert isinstance(scripted, ChatModel)
    assert "".join(scripted.stream(human("a b"))) == scripted.invoke(human("a b")) == "svar på a b"
    assert scripted.calls == [[Message("human", "a b")]] * 2
    broken = BrokenChatModel("et to tre fire", pieces=2)
    with pytest.raises(ConnectionError):
        list(broken.stream(human("x")))
    with pytest.raises(ConnectionError):
        broken.invoke(human("x"))
    once = replying("kun én")
    assert once.invoke(human("x")) == "kun én"
    with pytest.raises(RuntimeError):
        once.invoke(human("x"))
