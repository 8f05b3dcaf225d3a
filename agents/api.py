"""Agents, model credentials, conversations and streamed answers. Thin: parse, call, shape."""

import json
from collections.abc import AsyncIterator, Iterator
from datetime import datetime
from typing import Any, Literal

from asgiref.sync import sync_to_async
from django.core.handlers.asgi import ASGIRequest
from django.http import HttpRequest, StreamingHttpResponse
from ninja import Query, Router, Schema, Status
from ninja.security.base import AuthBase
from pydantic import Field

from accounts.models import User
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
from api.auth import AUTH, request_actor
from api.route_limits import enforce_route_limit
from workspaces.access import access_role
from workspaces.models import ApiToken, Membership, Role
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


class AgentDraftOut(Schema):
    name: str
    description: str
    instructions: str
    model_id: str
    temperature: float
    tools: list[str]
    view_ids: list[int]
    visibility: AgentVisibility


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
    has_unpublished_changes: bool = Field(
        default=False,
        description="A published agent edited since: the changes wait in `draft` until "
        "published; everyone else still gets the published version.",
    )
    draft: AgentDraftOut | None = Field(
        default=None, description="The unpublished changes; only for those who may edit."
    )

    @staticmethod
    def of(agent: Agent, actor: Membership) -> "AgentOut":
        views = list(agent.views.all())
        editor_ids = sorted(editor.id for editor in agent.editors.all())
        can_edit = may_edit_agent(actor=actor, editor_ids=editor_ids)
        draft = AgentDraftOut(**agent.draft) if agent.draft and can_edit else None
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
            can_edit=can_edit,
            created_at=agent.created_at,
            updated_at=agent.updated_at,
            has_unpublished_changes=bool(agent.draft),
            draft=draft,
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


class InstructionLineOut(Schema):
    kind: Literal["same", "changed", "added", "removed"]
    before: str | None
    after: str | None


class FieldChangeOut(Schema):
    field: str = Field(description="model_id, temperature, tools, views (names) or visibility")
    before: Any
    after: Any
    changed: bool


class AgentVersionDiffOut(Schema):
    from_version: int
    to_version: int
    instructions: list[InstructionLineOut] = Field(
        description="Side by side, line by line: `before` in the older, `after` in the newer."
    )
    fields: list[FieldChangeOut]

    @staticmethod
    def of(diff: selectors.VersionDiff) -> "AgentVersionDiffOut":
        return AgentVersionDiffOut(
            from_version=diff.from_number,
            to_version=diff.to_number,
            instructions=[
                InstructionLineOut(kind=line.kind, before=line.before, after=line.after)  # type: ignore[arg-type]
                for line in diff.instructions
            ],
            fields=[
                FieldChangeOut(field=f.field, before=f.before, after=f.after, changed=f.changed)
                for f in diff.fields
            ],
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
    shared: bool = Field(default=False, description="A share link to it works now.")


class ConversationPatch(Schema):
    title: str = Field(min_length=1, max_length=200)


class ShareOut(Schema):
    token: str = Field(description="Shown this once; only its hash is kept.")
    path: str = Field(description="The web app's page for the link: /shared/<token>.")


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


class FeedbackOut(Schema):
    message_id: int
    rating: FeedbackRating
    comment: str


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
    feedback: FeedbackOut | None = Field(
        default=None, description="Your own feedback on this answer, if you gave any."
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
            feedback=_own_feedback(message),
            created_at=message.created_at,
        )


def _own_feedback(message: Message) -> "FeedbackOut | None":
    """The reader's feedback when the messages were read with it (selectors'
    conversation_messages with a reader); None otherwise."""
    for feedback in getattr(message, "reader_feedback", ()):
        return FeedbackOut(
            message_id=feedback.message_id,
            rating=FeedbackRating(feedback.rating),
            comment=feedback.comment,
        )
    return None


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


class VersionDiffQuery(Schema):
    from_version: int = Field(alias="from", ge=1)
    to_version: int = Field(alias="to", ge=1)


@router.get(
    "/workspaces/{workspace_id}/agents/{agent_id}/versions/diff", response=AgentVersionDiffOut
)
def diff_agent_versions(
    request: HttpRequest, workspace_id: int, agent_id: int, query: Query[VersionDiffQuery]
) -> AgentVersionDiffOut:
    """What changed between two versions (`?from=N&to=M`): instructions line by line, model,
    temperature, tools, data views and visibility. For those who may read the history."""
    actor = request_actor(request, workspace_id)
    agent = access_agent_versions(actor=actor, agent_id=agent_id)
    diff = selectors.agent_version_diff(
        reader=actor, agent=agent, from_number=query.from_version, to_number=query.to_version
    )
    return AgentVersionDiffOut.of(diff)


@router.post(
    "/workspaces/{workspace_id}/agents/{agent_id}/versions/{number}/restore", response=AgentOut
)
def restore_agent_version(
    request: HttpRequest, workspace_id: int, agent_id: int, number: int
) -> AgentOut:
    """Bring a past version back as the draft (a published agent keeps answering as
    published until you publish)."""
    actor = request_actor(request, workspace_id)
    agent = services.restore_agent_version(actor=actor, agent_id=agent_id, number=number)
    return AgentOut.of(agent, actor)


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


def _detail(
    conversation: Conversation,
    messages: list[MessageOut],
    *,
    shared: bool,
) -> ConversationDetailOut:
    return ConversationDetailOut(
        id=conversation.id,
        title=conversation.title,
        created_at=conversation.created_at,
        updated_at=conversation.updated_at,
        shared=shared,
        messages=messages,
    )


@router.get(
    "/workspaces/{workspace_id}/conversations/{conversation_id}", response=ConversationDetailOut
)
def get_conversation(
    request: HttpRequest, workspace_id: int, conversation_id: int
) -> ConversationDetailOut:
    actor = request_actor(request, workspace_id)
    conversation = access_conversation(actor=actor, conversation_id=conversation_id)
    messages = list(selectors.conversation_messages(conversation=conversation, reader=actor))
    return _detail(
        conversation,
        _checked_messages(actor, messages),
        shared=selectors.is_conversation_shared(conversation=conversation),
    )


@router.patch(
    "/workspaces/{workspace_id}/conversations/{conversation_id}", response=ConversationOut
)
def rename_conversation(
    request: HttpRequest, workspace_id: int, conversation_id: int, payload: ConversationPatch
) -> ConversationOut:
    conversation = services.rename_conversation(
        actor=request_actor(request, workspace_id),
        conversation_id=conversation_id,
        title=payload.title,
    )
    return ConversationOut(
        id=conversation.id,
        title=conversation.title,
        created_at=conversation.created_at,
        updated_at=conversation.updated_at,
        shared=selectors.is_conversation_shared(conversation=conversation),
    )


@router.delete("/workspaces/{workspace_id}/conversations/{conversation_id}", response={204: None})
def delete_conversation(request: HttpRequest, workspace_id: int, conversation_id: int) -> Status:
    """Delete the conversation with its messages, the passages its answers quoted, your
    feedback on them and its share link."""
    services.delete_conversation(
        actor=request_actor(request, workspace_id), conversation_id=conversation_id
    )
    return Status(204, None)


@router.post(
    "/workspaces/{workspace_id}/conversations/{conversation_id}/share", response={201: ShareOut}
)
def share_conversation(request: HttpRequest, workspace_id: int, conversation_id: int) -> Status:
    """A new link (an earlier one stops working). It opens the conversation read-only for
    members of this workspace who may open every source it cites; the token is shown once."""
    _, token = services.share_conversation(
        actor=request_actor(request, workspace_id), conversation_id=conversation_id
    )
    return Status(201, ShareOut(token=token, path=f"/shared/{token}"))


@router.delete(
    "/workspaces/{workspace_id}/conversations/{conversation_id}/share", response={204: None}
)
def revoke_conversation_share(
    request: HttpRequest, workspace_id: int, conversation_id: int
) -> Status:
    services.revoke_conversation_share(
        actor=request_actor(request, workspace_id), conversation_id=conversation_id
    )
    return Status(204, None)


class _AnyVisitor(AuthBase):
    """Lets a visitor who is not logged in reach the route, so that they get the same 404 as
    everyone who may not read what it holds (and not a 401 that says a link exists)."""

    openapi_type = "apiKey"
    openapi_in = "cookie"
    openapi_name = "sessionid"

    def __call__(self, request: HttpRequest) -> Any:
        return "visitor"


@router.get(
    "/workspaces/{workspace_id}/shared-conversations/{token}",
    response=ConversationDetailOut,
    auth=[*AUTH, _AnyVisitor()],
)
def read_shared_conversation(
    request: HttpRequest, workspace_id: int, token: str
) -> ConversationDetailOut:
    """A conversation shared by link, read-only: for members of this workspace who belong to
    its agents' spaces and may open every source it cites. Anyone else: 404."""
    if not isinstance(getattr(request, "auth", None), ApiToken | User):
        raise selectors.shared_not_found()
    actor = request_actor(request, workspace_id)
    conversation, messages, checked = selectors.read_shared_conversation(
        reader=actor, token_hash=services.share_token_hash(token[:200])
    )
    return _detail(conversation, [MessageOut.of(m, checked[m.id]) for m in messages], shared=True)


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
