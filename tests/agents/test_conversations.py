"""Conversations: streamed answers with citations through the real OpenAI client against the
fake server, the extractive answer without a model, failures that keep the question, and the
access rules on citations and threads."""

from __future__ import annotations

import re
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command

from agents.models import Citation, Feedback, Message
from tests.agents.conftest import (
    FAKE_MODEL,
    SALARY_TEXT,
    Knowledge,
    make_agent,
    new_conversation,
    read_events,
    use_fake_model,
)
from tests.factories import Tenant
from tests.fakes.openai.server import (
    FakeOpenAI,
    Reply,
    ToolCall,
    rate_limited,
    server_error,
    too_slow,
)
from workspaces.models import GroupMember

pytestmark = pytest.mark.django_db


def search_then(query: str) -> Reply:
    return Reply(tool_calls=(ToolCall("search", {"query": query}),))


def cite_every_passage_and_an_invented_one(request: dict[str, Any]) -> Reply:
    """Answers like a model that cites all it was shown, plus a number it made up."""
    shown = "\n".join(m["content"] for m in request["messages"] if m["role"] == "tool")
    numbers = re.findall(r"^\[(\d+)\]", shown, flags=re.MULTILINE)
    return Reply(content="From the handbook: " + " ".join(f"[{n}]" for n in numbers) + " [99].")


def stream(api: Any, tenant: Tenant, conversation_id: int, agent: str, content: str) -> Any:
    return api.post(
        f"workspaces/{tenant.workspace.id}/conversations/{conversation_id}/messages/stream",
        {"agent": agent, "content": content},
    )


def test_the_answer_streams_tokens_then_citations_then_done(
    tenant: Tenant, knowledge: Knowledge, fake_openai: FakeOpenAI, api_as: Any
) -> None:
    use_fake_model(tenant, fake_openai)
    make_agent(tenant.builder, "hr", [knowledge.handbook], model_id=FAKE_MODEL)
    fake_openai.queue(
        search_then("travel expenses deadline"),
        Reply(content="File travel expenses within 30 days [1]."),
    )
    conversation = new_conversation(tenant.member)
    response = stream(api_as(tenant.member), tenant, conversation.id, "hr", "Expense deadline?")
    assert response.status_code == 200
    events = read_events(response)
    kinds = [kind for kind, _ in events]
    assert kinds[0] == "message" and kinds[-1] == "done"
    assert kinds.count("token") > 3  # tokens arrive in pieces, not as one block
    tokens = "".join(data["text"] for kind, data in events if kind == "token")
    assert tokens == "File travel expenses within 30 days [1]."
    citation = next(data for kind, data in events if kind == "citation")
    assert citation["number"] == 1 and citation["title"] == "Expense policy"
    assert citation["url"] == "https://wiki.example/expenses"
    assert kinds.index("citation") < kinds.index("done")

    done = events[-1][1]
    assert done["status"] == "complete" and done["used_model"] is True
    assert (
        done["citations"][0]["passage"].startswith("Expense policy")
        or "30 days" in (done["citations"][0]["passage"])
    )
    # The model was asked with the tool, got the passages back, and the key was sent.
    first, second = fake_openai.requests
    assert first["tools"][0]["function"]["name"] == "search" and first["stream"] is True
    tool_result = next(m for m in second["messages"] if m["role"] == "tool")
    assert "[1] Expense policy" in tool_result["content"]
    saved = api_as(tenant.member).get(
        f"workspaces/{tenant.workspace.id}/conversations/{conversation.id}"
    )
    question, answer = saved.json()["messages"]
    assert question["content"] == "Expense deadline?" and answer["citations"][0]["number"] == 1


def test_citations_reference_only_passages_the_asker_may_open(
    tenant: Tenant, knowledge: Knowledge, fake_openai: FakeOpenAI, api_as: Any
) -> None:
    use_fake_model(tenant, fake_openai)
    make_agent(tenant.builder, "hr", [knowledge.handbook], model_id=FAKE_MODEL)
    cited: dict[str, set[str]] = {}
    for person in (tenant.member, tenant.outsider):
        fake_openai.queue(
            search_then("salary bands engineers"), cite_every_passage_and_an_invented_one
        )
        conversation = new_conversation(person)
        events = read_events(
            stream(api_as(person), tenant, conversation.id, "hr", "What about salary bands?")
        )
        assert events[-1][0] == "done"
        cited[person.user.email] = {c["title"] for c in events[-1][1]["citations"]}
        numbers = {c["number"] for c in events[-1][1]["citations"]}
        assert 99 not in numbers  # an invented number never becomes a citation
        if person == tenant.outsider:
            shown = "\n".join(
                m["content"] for m in fake_openai.requests[-1]["messages"] if m["role"] == "tool"
            )
            assert SALARY_TEXT not in shown  # the model never even saw it
    assert "Salary bands" in cited["member@acme.test"]
    assert "Salary bands" not in cited["outsider@acme.test"]
    assert cited["outsider@acme.test"]  # the outsider still gets the public passages
    assert not Citation.objects.filter(
        message__author=tenant.outsider, document__title="Salary bands"
    ).exists()


def test_without_a_model_the_answer_is_extractive_cited_and_says_so(
    tenant: Tenant, knowledge: Knowledge, api_as: Any
) -> None:
    make_agent(tenant.builder, "hr", [knowledge.handbook], model_id="openai:gpt-4o-mini")
    conversation = new_conversation(tenant.member)
    response = api_as(tenant.member).post(
        f"workspaces/{tenant.workspace.id}/conversations/{conversation.id}/messages",
        {"agent": "@hr", "content": "How long do I have to file travel expenses?"},
    )
    assert response.status_code == 201
    answer = response.json()["answer"]
    assert answer["status"] == "complete" and answer["used_model"] is False
    assert "No language model is configured" in answer["content"]
    assert answer["citations"][0]["title"] == "Expense policy"
    assert "[1] Expense policy: Submit travel expenses within 30 days" in answer["content"]


@pytest.mark.parametrize(
    ("reply", "code", "advice"),
    [
        (too_slow(3.0), "model_timeout", "did not answer within 0.5 s"),
        (rate_limited(retry_after=9), "model_rate_limited", "wait 9 s"),
        (server_error(), "model_failed", "HTTP 500"),
    ],
)
def test_a_failing_model_keeps_the_question_and_says_what_to_do(
    tenant: Tenant,
    knowledge: Knowledge,
    fake_openai: FakeOpenAI,
    api_as: Any,
    settings: Any,
    reply: Reply,
    code: str,
    advice: str,
) -> None:
    settings.AGENT_MODEL_TIMEOUT_SECONDS = 0.5
    use_fake_model(tenant, fake_openai)
    make_agent(tenant.builder, "hr", [knowledge.handbook], model_id=FAKE_MODEL)
    fake_openai.queue(reply)
    conversation = new_conversation(tenant.member)
    events = read_events(stream(api_as(tenant.member), tenant, conversation.id, "hr", "Holidays?"))
    kind, error = events[-1]
    assert kind == "error" and error["code"] == code
    assert advice in error["message"] and "Your question is saved" in error["message"]
    question, answer = Message.objects.filter(conversation=conversation).order_by("id")
    assert question.content == "Holidays?" and question.status == "complete"
    assert answer.status == "error" and answer.error_code == code
    assert answer.content == error["message"]


def test_the_step_limit_ends_tool_calling_with_an_answer(
    tenant: Tenant, knowledge: Knowledge, fake_openai: FakeOpenAI, api_as: Any, settings: Any
) -> None:
    settings.AGENT_MAX_TOOL_STEPS = 2
    use_fake_model(tenant, fake_openai)
    make_agent(tenant.builder, "hr", [knowledge.handbook], model_id=FAKE_MODEL)
    fake_openai.queue(
        search_then("expenses"), search_then("holidays"), Reply(content="Done looking [1][2].")
    )
    conversation = new_conversation(tenant.member)
    events = read_events(stream(api_as(tenant.member), tenant, conversation.id, "hr", "All?"))
    assert events[-1][0] == "done"
    assert len(fake_openai.requests) == 3
    assert "tools" not in fake_openai.requests[-1]  # the last step may only answer
    assert [c["number"] for c in events[-1][1]["citations"]] == [1, 2]


def test_a_thread_that_used_a_restricted_agent_closes_when_its_asker_leaves_the_space(
    tenant: Tenant, knowledge: Knowledge, api_as: Any
) -> None:
    make_agent(tenant.builder, "deals", [knowledge.finance])
    conversation = new_conversation(tenant.member)
    member = api_as(tenant.member)
    base = f"workspaces/{tenant.workspace.id}/conversations"
    posted = member.post(
        f"{base}/{conversation.id}/messages", {"agent": "deals", "content": "Initech deal?"}
    )
    assert posted.json()["answer"]["citations"][0]["title"] == "Acquisition"
    assert [c["id"] for c in member.get(base).json()] == [conversation.id]
    GroupMember.objects.filter(membership=tenant.member).delete()
    assert member.get(base).json() == []
    hidden = member.get(f"{base}/{conversation.id}")
    assert hidden.status_code == 404 and "Initech" not in hidden.content.decode()


def test_feedback_on_an_agent_message(tenant: Tenant, knowledge: Knowledge, api_as: Any) -> None:
    make_agent(tenant.builder, "hr", [knowledge.handbook])
    conversation = new_conversation(tenant.member)
    base = f"workspaces/{tenant.workspace.id}/conversations/{conversation.id}"
    turn = (
        api_as(tenant.member)
        .post(f"{base}/messages", {"agent": "hr", "content": "expenses?"})
        .json()
    )
    url = f"{base}/messages/{turn['answer']['id']}/feedback"
    response = api_as(tenant.member).post(url, {"rating": "down", "comment": "Too long."})
    assert response.status_code == 201 and response.json()["rating"] == "down"
    api_as(tenant.member).post(url, {"rating": "up", "comment": "Better."})
    feedback = Feedback.objects.get()
    assert (feedback.rating, feedback.comment) == ("up", "Better.")
    assert api_as(tenant.outsider).post(url, {"rating": "up"}).status_code == 404
    question_url = f"{base}/messages/{turn['question']['id']}/feedback"
    assert api_as(tenant.member).post(question_url, {"rating": "up"}).status_code == 404


def test_the_ask_command_prints_the_streamed_answer_and_its_sources(
    tenant: Tenant, knowledge: Knowledge, fake_openai: FakeOpenAI
) -> None:
    use_fake_model(tenant, fake_openai)
    make_agent(tenant.builder, "hr", [knowledge.handbook], model_id=FAKE_MODEL)
    fake_openai.queue(search_then("expenses"), Reply(content="Within 30 days [1]."))
    out = StringIO()
    call_command(
        "ask", "hr", "Expense deadline?", workspace="acme", as_email="member@acme.test", stdout=out
    )
    printed = out.getvalue()
    assert "Within 30 days [1]." in printed
    assert "Sources:\n[1] Expense policy - https://wiki.example/expenses" in printed
