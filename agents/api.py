"""Agents, model credentials, conversations and streamed answers. Thin: parse, call, shape."""

import json
from collections.abc import AsyncIterator, Iterator
from datetime import datetime
from typing import Any

from asgiref.sync import sync_to_async
from django.core.handlers.asgi import ASGIRequest
from django.http import HttpRequest, StreamingHttpResponse
from ninja import Router, Schema, Status
from pydantic import Field

from agents import selectors, services
from agents.access import (
    access_agent,
    access_agent_versions,
    access_conversation,
    may_edit_agent,
)
from agents.answers import AnswerFailed, AnswerFinished, answer_message, stream_answer
from agents.models import (
    Agent,
    AgentStatus,
    AgentTool,
    AgentVersion,
    AgentVisibility,
    Conversation,
    FeedbackRating,
    Message,
    ModelProvider,
    ModelProviderCredential,
)
from agents.runtime import CitationEvent, TokenEvent
from agents.selectors import CheckedAnswer, CheckedCitation, CitationState
from api.auth import request_actor
from api.route_limits import enforce_route_limit
from workspaces.access import access_role
from workspaces.models import Membership, Role
from workspaces.selectors import membership_is_active

router = Router(tags=["agents"])


class AgentIn(Schema):
    handle: str = Field(min_length=1, max_length=64)
    name: str = Field(min_length=1, max_length=200)
    description: str = ""
    instructions: str = ""
    model_id: str = Field(default="", description='"openai:gpt-4o-mini"; empty: extractive')
    temperature: float = 0.2
    view_ids: list[int] = []
    tools: list[AgentTool] = [AgentTool.SEARCH]
    visibility: AgentVisibility = AgentVisibility.WORKSPACE
    editor_ids: list[int] = []


class AgentPatch(Schema):
    name: str | None = None
    description: str | None = None
    instructions: str | None = None
    model_id: str | None = None
    temperature: float | None = None
    view_ids: list[int] | None = None
    tools: list[AgentTool] | None = None
    visibility: AgentVisibility | None = None
    editor_ids: list[int] | None = None


class AgentOut(Schema):
    id: int
    handle: str
    name: str
    description: str
    instructions: str
    model_id: str
    temperature: float
    tools: list[str]
    view_ids: list[int]
    space_ids: list[int]
    editor_ids: list[int]
    status: AgentStatus
    visibility: AgentVisibility
    version: int
    can_edit: bool
    created_at: datetime
    updated_at: datetime

    @staticmethod
    def of(agent: Agent, actor: Membership) -> "AgentOut":
        views = list(agent.views.all())
        editor_ids = sorted(editor.id for editor in agent.editors.all())
        return AgentOut(
            id=agent.id,
            handle=agent.handle,
            name=agent.name,
            description=agent.description,
            instructions=agent.instructions,
            model_id=agent.model_id,
            temperature=agent.temperature,
            tools=list(agent.tools),
            view_ids=sorted(view.id for view in views),
            space_ids=sorted({view.space_id for view in views}),
            editor_ids=editor_ids,
            status=AgentStatus(agent.status),
            visibility=AgentVisibility(agent.visibility),
            version=agent.version,
            can_edit=may_edit_agent(actor=actor, editor_ids=editor_ids),
            created_at=agent.created_at,
            updated_at=agent.updated_at,
        )


class AgentVersionOut(Schema):
    number: int
    snapshot: dict[str, Any]
    created_by_email: str | None
    created_at: datetime

    @staticmethod
    def of(version: AgentVersion) -> "AgentVersionOut":
        author = version.created_by
        return AgentVersionOut(
            number=version.number,
            snapshot=version.snapshot,
            created_by_email=author.user.email if author else None,
            created_at=version.created_at,
        )


class CredentialIn(Schema):
    api_key: str = Field(default="", max_length=2000)
    base_url: str = Field(default="", max_length=500)


class CredentialOut(Schema):
    provider: ModelProvider
    base_url: str
    has_key: bool
    key_hint: str = Field(description="The key's last characters; the key is never returned.")
    updated_at: datetime
    updated_by_name: str | None = Field(description="Who set it; null once they left.")
    updated_by_email: str | None

    @staticmethod
    def of(credential: ModelProviderCredential) -> "CredentialOut":
        author = credential.updated_by
        return CredentialOut(
            provider=ModelProvider(credential.provider),
            base_url=credential.base_url,
            has_key=bool(credential.encrypted_api_key),
            key_hint=credential.key_hint,
            updated_at=credential.updated_at,
            updated_by_name=author.user.full_name if author else None,
            updated_by_email=author.user.email if author else None,
        )


class ConversationIn(Schema):
    title: str = Field(default="", max_length=200)


class ConversationOut(Schema):
    id: int
    title: str
    created_at: datetime
    updated_at: datetime


class CitationOut(Schema):
    number: int
    state: CitationState = Field(
        default=CitationState.AVAILABLE,
        description="available; changed (the source changed since the answer: title and url "
        "are its current version's); unavailable (deleted, or closed to you now: nothing of "
        "it is returned)",
    )
    title: str | None = None
    url: str | None = None
    passage: str | None = None
    document_id: int | None = None
    chunk_id: int | None = None
    attachment_id: int | None = Field(
        default=None,
        description="a file attached to this conversation: open it with GET "
        ".../conversations/{conversation_id}/attachments/{attachment_id}",
    )

    @staticmethod
    def of(citation: CheckedCitation) -> "CitationOut":
        return CitationOut(
            number=citation.number,
            state=citation.state,
            title=citation.title,
            url=citation.url,
            passage=citation.passage,
            document_id=citation.document_id,
            chunk_id=citation.chunk_id,
            attachment_id=citation.attachment_id,
        )


class MessageOut(Schema):
    id: int
    role: str
    content: str
    status: str
    error_code: str
    agent_handle: str | None
    agent_version: int | None
    used_model: bool
    citations: list[CitationOut]
    # The question this answers, so "ask again" can post it once more.
    reply_to_id: int | None = None
    content_withheld: bool = Field(
        default=False,
        description="The text is held back: it cited a source you can no longer open, and "
        "the workspace hides such answers. Ask again for an answer under today's access.",
    )
    sources_changed: bool = Field(
        default=False, description="A cited source was deleted, tightened or changed since."
    )
    created_at: datetime

    @staticmethod
    def of(message: Message, checked: CheckedAnswer | None = None) -> "MessageOut":
        """`checked`: the answer as its reader may see it now (agents.selectors.check_answers);
        every route returning a stored answer passes it."""
        return MessageOut(
            id=message.id,
            role=message.role,
            content=checked.content if checked else message.content,
            status=message.status,
            error_code=message.error_code,
            agent_handle=message.agent.handle if message.agent else None,
            agent_version=message.agent_version.number if message.agent_version else None,
            used_model=message.used_model,
            citations=[CitationOut.of(c) for c in checked.citations] if checked else [],
            reply_to_id=message.reply_to_id,
            content_withheld=checked.content_withheld if checked else False,
            sources_changed=checked.sources_changed if checked else False,
            created_at=message.created_at,
        )


def _checked_messages(actor: Membership, messages: list[Message]) -> list[MessageOut]:
    """Messages as `actor` may see them now: citations re-checked in one query."""
    checked = selectors.check_answers(reader=actor, messages=messages)
    return [MessageOut.of(m, checked[m.id]) for m in messages]


class ConversationDetailOut(ConversationOut):
    messages: list[MessageOut]


class MessageIn(Schema):
    agent: str = Field(min_length=1, max_length=65, description="the agent's handle")
    content: str = Field(min_length=1)


class TurnOut(Schema):
    question: MessageOut
    answer: MessageOut


class FeedbackIn(Schema):
    rating: FeedbackRating
    comment: str = ""


class FeedbackOut(Schema):
    message_id: int
    rating: FeedbackRating
    comment: str


@router.get("/workspaces/{workspace_id}/agents", response=list[AgentOut])
def list_agents(request: HttpRequest, workspace_id: int) -> list[AgentOut]:
    """The agents you can use: those whose every space you belong to."""
    actor = request_actor(request, workspace_id)
    return [AgentOut.of(a, actor) for a in selectors.list_agents_for(membership=actor)]


@router.post("/workspaces/{workspace_id}/agents", response={201: AgentOut})
def create_agent(request: HttpRequest, workspace_id: int, payload: AgentIn) -> Status:
    actor = request_actor(request, workspace_id)
    agent = services.create_agent(actor=actor, **payload.dict())
    return Status(201, AgentOut.of(agent, actor))


@router.get("/workspaces/{workspace_id}/agents/{agent_id}", response=AgentOut)
def get_agent(request: HttpRequest, workspace_id: int, agent_id: int) -> AgentOut:
    actor = request_actor(request, workspace_id)
    return AgentOut.of(access_agent(actor=actor, agent_id=agent_id), actor)


@router.patch("/workspaces/{workspace_id}/agents/{agent_id}", response=AgentOut)
def update_agent(
    request: HttpRequest, workspace_id: int, agent_id: int, payload: AgentPatch
) -> AgentOut:
    actor = request_actor(request, workspace_id)
    changes = payload.dict(exclude_unset=True)
    return AgentOut.of(services.update_agent(actor=actor, agent_id=agent_id, **changes), actor)


@router.post("/workspaces/{workspace_id}/agents/{agent_id}/publish", response=AgentOut)
def publish_agent(request: HttpRequest, workspace_id: int, agent_id: int) -> AgentOut:
    actor = request_actor(request, workspace_id)
    return AgentOut.of(services.publish_agent(actor=actor, agent_id=agent_id), actor)


@router.get("/workspaces/{workspace_id}/agents/{agent_id}/versions", response=list[AgentVersionOut])
def list_agent_versions(
    request: HttpRequest, workspace_id: int, agent_id: int
) -> list[AgentVersionOut]:
    """The agent's past versions: for its editors and the workspace's admins only."""
    agent = access_agent_versions(actor=request_actor(request, workspace_id), agent_id=agent_id)
    return [AgentVersionOut.of(v) for v in selectors.list_agent_versions(agent=agent)]


@router.get("/workspaces/{workspace_id}/model-credentials", response=list[CredentialOut])
def list_model_credentials(request: HttpRequest, workspace_id: int) -> list[CredentialOut]:
    actor = access_role(request_actor(request, workspace_id), Role.ADMIN)
    credentials = selectors.list_model_credentials(workspace_id=actor.workspace_id)
    return [CredentialOut.of(c) for c in credentials]


@router.put("/workspaces/{workspace_id}/model-credentials/{provider}", response=CredentialOut)
def set_model_credential(
    request: HttpRequest, workspace_id: int, provider: ModelProvider, payload: CredentialIn
) -> CredentialOut:
    credential = services.set_model_credential(
        actor=request_actor(request, workspace_id),
        provider=provider,
        api_key=payload.api_key,
        base_url=payload.base_url,
    )
    return CredentialOut.of(credential)


@router.delete("/workspaces/{workspace_id}/model-credentials/{provider}", response={204: None})
def delete_model_credential(
    request: HttpRequest, workspace_id: int, provider: ModelProvider
) -> Status:
    services.delete_model_credential(actor=request_actor(request, workspace_id), provider=provider)
    return Status(204, None)


@router.get("/workspaces/{workspace_id}/conversations", response=list[ConversationOut])
def list_conversations(request: HttpRequest, workspace_id: int) -> list[Conversation]:
    actor = request_actor(request, workspace_id)
    return list(selectors.list_conversations_for(membership=actor))


@router.post("/workspaces/{workspace_id}/conversations", response={201: ConversationOut})
def create_conversation(request: HttpRequest, workspace_id: int, payload: ConversationIn) -> Status:
    actor = request_actor(request, workspace_id)
    return Status(201, services.create_conversation(actor=actor, title=payload.title))


@router.get(
    "/workspaces/{workspace_id}/conversations/{conversation_id}", response=ConversationDetailOut
)
def get_conversation(
    request: HttpRequest, workspace_id: int, conversation_id: int
) -> ConversationDetailOut:
    actor = request_actor(request, workspace_id)
    conversation = access_conversation(actor=actor, conversation_id=conversation_id)
    messages = list(selectors.conversation_messages(conversation=conversation))
    return ConversationDetailOut(
        id=conversation.id,
        title=conversation.title,
        created_at=conversation.created_at,
        updated_at=conversation.updated_at,
        messages=_checked_messages(actor, messages),
    )


@router.post(
    "/workspaces/{workspace_id}/conversations/{conversation_id}/messages",
    response={201: TurnOut},
)
def post_message(
    request: HttpRequest, workspace_id: int, conversation_id: int, payload: MessageIn
) -> Status:
    """Ask and wait for the whole answer. A failed answer still answers 201: the agent
    message has status error and says what to do."""
    enforce_route_limit(request, "answers")
    actor = request_actor(request, workspace_id)
    answer = services.post_message(
        actor=actor,
        conversation_id=conversation_id,
        agent_handle=payload.agent,
        content=payload.content,
    )
    answer = answer_message(agent_message_id=answer.id)
    assert answer.reply_to is not None
    question, answered = _checked_messages(actor, [answer.reply_to, answer])
    return Status(201, TurnOut(question=question, answer=answered))


class AnswerStartedEvent(Schema):
    """The `message` event, first: the ids of the question and of the answer being written."""

    conversation_id: int
    question_id: int
    answer_id: int


class AnswerTokenEvent(Schema):
    """A `token` event: the next piece of the answer's text."""

    text: str


class AnswerErrorEvent(Schema):
    """The `error` event, last when the answer failed: a code and what to do."""

    code: str
    message: str
    answer_id: int | None


# The answer stream's events by name, with the schema of each one's JSON `data`. They are in
# the OpenAPI document's components (config.router adds them) and on the stream route, so the web
# app's types are generated from them like every other payload's.
ANSWER_STREAM_EVENTS: dict[str, type[Schema]] = {
    "message": AnswerStartedEvent,
    "token": AnswerTokenEvent,
    "citation": CitationOut,
    "done": MessageOut,
    "error": AnswerErrorEvent,
}


MEMBERSHIP_ENDED = {
    "code": "membership_ended",
    "message": "Your access to this workspace ended while the answer was streaming.",
}


def _event(name: str, data: Schema) -> bytes:
    assert isinstance(data, ANSWER_STREAM_EVENTS[name])
    return f"event: {name}\ndata: {json.dumps(data.dict(), default=str)}\n\n".encode()


def _answer_events(actor: Membership, answer: Message) -> Iterator[bytes]:
    assert answer.reply_to_id is not None  # an agent's message answers a question
    yield _event(
        "message",
        AnswerStartedEvent(
            conversation_id=answer.conversation_id,
            question_id=answer.reply_to_id,
            answer_id=answer.id,
        ),
    )
    for event in stream_answer(agent_message_id=answer.id):
        if not membership_is_active(actor.id):
            yield _event("error", AnswerErrorEvent(**MEMBERSHIP_ENDED, answer_id=answer.id))
            return
        if isinstance(event, TokenEvent):
            # str(): a model's text can be a callable str subclass, which a Schema would call.
            yield _event("token", AnswerTokenEvent(text=str(event.text)))
        elif isinstance(event, CitationEvent):
            passage = event.passage
            yield _event(
                "citation",
                CitationOut(
                    number=passage.number,
                    state=CitationState.AVAILABLE,  # read under the asker's access just now
                    title=passage.title,
                    url=passage.url,
                    passage=passage.text,
                    document_id=passage.document_id,
                    chunk_id=passage.chunk_id,
                    attachment_id=passage.attachment_id,
                ),
            )
        elif isinstance(event, AnswerFinished):
            yield _event("done", _checked_messages(actor, [event.message])[0])
        elif isinstance(event, AnswerFailed):
            yield _event(
                "error", AnswerErrorEvent(code=event.code, message=event.text, answer_id=answer.id)
            )


def _stream_openapi() -> dict[str, Any]:
    """The stream route's 200 in the OpenAPI document: server-sent events whose `data` is
    the JSON of the schema its name maps to."""
    names = ", ".join(f"`{name}`: {model.__name__}" for name, model in ANSWER_STREAM_EVENTS.items())
    return {
        "responses": {
            200: {
                "description": f"Server-sent events; each event's data by its name ({names}).",
                "content": {
                    "text/event-stream": {
                        "schema": {
                            "oneOf": [
                                {"$ref": f"#/components/schemas/{model.__name__}"}
                                for model in ANSWER_STREAM_EVENTS.values()
                            ]
                        }
                    }
                },
            }
        }
    }


def _next_event(events: Iterator[bytes]) -> bytes | None:
    return next(events, None)


async def _pulled_in_sync_thread(events: Iterator[bytes]) -> AsyncIterator[bytes]:
    # Under ASGI Django would buffer a sync iterator whole; pulling one event at a time in
    # the request's sync thread keeps the stream live and the DB connection on one thread.
    pull = sync_to_async(_next_event, thread_sensitive=True)
    while (chunk := await pull(events)) is not None:
        yield chunk


@router.post(
    "/workspaces/{workspace_id}/conversations/{conversation_id}/messages/stream",
    openapi_extra=_stream_openapi(),
)
def stream_message(
    request: HttpRequest, workspace_id: int, conversation_id: int, payload: MessageIn
) -> StreamingHttpResponse:
    """Ask and receive server-sent events: `message` (ids), `token`, `citation`, then `done`
    (the saved answer) or `error` (code and what to do). Access errors answer JSON first."""
    enforce_route_limit(request, "answers")
    actor = request_actor(request, workspace_id)
    answer = services.post_message(
        actor=actor,
        conversation_id=conversation_id,
        agent_handle=payload.agent,
        content=payload.content,
    )
    events = _answer_events(actor, answer)
    content: Iterator[bytes] | AsyncIterator[bytes] = (
        _pulled_in_sync_thread(events) if isinstance(request, ASGIRequest) else events
    )
    response = StreamingHttpResponse(content, content_type="text/event-stream")
    response["Cache-Control"] = "no-cache"
    response["X-Accel-Buffering"] = "no"
    return response


@router.post(
    "/workspaces/{workspace_id}/conversations/{conversation_id}/messages/{message_id}/feedback",
    response={201: FeedbackOut},
)
def give_feedback(
    request: HttpRequest,
    workspace_id: int,
    conversation_id: int,
    message_id: int,
    payload: FeedbackIn,
) -> Status:
    feedback = services.give_feedback(
        actor=request_actor(request, workspace_id),
        conversation_id=conversation_id,
        message_id=message_id,
        rating=payload.rating,
        comment=payload.comment,
    )
    return Status(
        201,
        FeedbackOut(
            message_id=feedback.message_id,
            rating=FeedbackRating(feedback.rating),
            comment=feedback.comment,
        ),
    )
