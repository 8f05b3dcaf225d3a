"""The fake server against the real openai client, so agent tests exercise the real wire."""

from __future__ import annotations

import openai
import pytest
from langchain_core.messages import HumanMessage
from langchain_core.tools import tool
from langchain_openai import ChatOpenAI

from tests.fakes.openai.server import (
    FakeOpenAI,
    Reply,
    ToolCall,
    rate_limited,
    server_error,
    too_slow,
)


@tool
def search(query: str) -> str:
    """Search."""
    return query


def client(fake: FakeOpenAI, **options: object) -> ChatOpenAI:
    return ChatOpenAI(
        model="gpt-4o-mini", api_key="sk-test", base_url=fake.base_url, max_retries=0, **options
    )


def test_non_streamed_completion_and_tool_call(fake_openai: FakeOpenAI) -> None:
    fake_openai.queue(
        Reply(content="Hello there."), Reply(tool_calls=(ToolCall("search", {"query": "x"}),))
    )
    assert client(fake_openai).invoke([HumanMessage("hi")]).content == "Hello there."
    message = client(fake_openai).bind_tools([search]).invoke([HumanMessage("find x")])
    assert message.tool_calls[0]["name"] == "search"
    assert message.tool_calls[0]["args"] == {"query": "x"}
    assert fake_openai.requests[1]["tools"][0]["function"]["name"] == "search"


def test_streamed_tokens_and_tool_call_deltas(fake_openai: FakeOpenAI) -> None:
    fake_openai.queue(
        Reply(content="Streaming works fine."),
        Reply(tool_calls=(ToolCall("search", {"query": "travel expenses policy"}),)),
    )
    chunks = list(client(fake_openai).stream([HumanMessage("hi")]))
    assert len([c for c in chunks if c.text]) > 2
    assert "".join(c.text for c in chunks) == "Streaming works fine."
    gathered = None
    for chunk in client(fake_openai).bind_tools([search]).stream([HumanMessage("find")]):
        gathered = chunk if gathered is None else gathered + chunk
    assert gathered is not None
    assert gathered.tool_calls[0]["args"] == {"query": "travel expenses policy"}
    assert fake_openai.requests[0]["stream"] is True


def test_errors_and_timeouts_reach_the_client_as_the_real_api_sends_them(
    fake_openai: FakeOpenAI,
) -> None:
    fake_openai.queue(rate_limited(retry_after=7), server_error(), too_slow(2.0))
    with pytest.raises(openai.RateLimitError) as limited:
        client(fake_openai).invoke([HumanMessage("hi")])
    assert limited.value.response.headers["retry-after"] == "7"
    assert limited.value.code == "rate_limit_exceeded"
    with pytest.raises(openai.InternalServerError):
        client(fake_openai).invoke([HumanMessage("hi")])
    with pytest.raises(openai.APITimeoutError):
        client(fake_openai, timeout=0.3).invoke([HumanMessage("hi")])
