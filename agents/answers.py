"""Answering a posted message: resolve the agent version's model from the workspace's
credentials, run the runtime as the asker, stream its events, and settle the answer through
agents.services.answers.

Whatever happens, the pending agent message ends as complete or error, with a message
saying what to do; the user's question was saved before this starts.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from langchain_core.language_models import BaseChatModel

from agents.attachment_search import AttachmentPassage, search_attachment_passages
from agents.models import (
    Attachment,
    AttachmentStatus,
    Message,
    MessageStatus,
    ModelProvider,
    ModelProviderCredential,
)
from agents.providers import ModelUnavailable, build_chat_model, parse_model_id
from agents.runtime import (
    AgentRunError,
    CitationEvent,
    FinishedEvent,
    RunRequest,
    TokenEvent,
    run_agent,
)
from agents.selectors import conversation_history
from agents.services.answers import complete_answer, fail_answer
from agents.tools import AttachmentSearch
from common.crypto import decrypt
from knowledge.models import DataSourceView

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class AnswerFinished:
    message: Message


@dataclass(frozen=True)
class AnswerFailed:
    message: Message
    code: str
    text: str


AnswerEvent = TokenEvent | CitationEvent | AnswerFinished | AnswerFailed


def chat_model_for(*, workspace_id: int, model_id: str, temperature: float) -> BaseChatModel | None:
    """The agent's chat model, or None when none is configured (no model id, or no key for
    its provider in this workspace): the caller then answers extractively."""
    if not model_id:
        return None
    choice = parse_model_id(model_id)
    credential = ModelProviderCredential.objects.filter(
        workspace_id=workspace_id, provider=choice.provider
    ).first()
    if credential is None:
        return None
    api_key = decrypt(credential.encrypted_api_key) if credential.encrypted_api_key else ""
    if not api_key and choice.provider != ModelProvider.OPENAI_COMPATIBLE:
        return None
    return build_chat_model(
        model_id=model_id, api_key=api_key, base_url=credential.base_url, temperature=temperature
    )


def _run_request(message: Message) -> tuple[RunRequest, dict[str, Any]]:
    # The recorded version, not the live agent, defines the run: what the conversation says
    # answered is what answered. The asker's own spaces still bound every read.
    snapshot: dict[str, Any] = message.agent_version.snapshot if message.agent_version else {}
    views = list(
        DataSourceView.objects.filter(
            workspace_id=message.workspace_id, id__in=snapshot.get("view_ids", [])
        )
    )
    if message.audience_outsiders:
        views = []  # someone who will see the answer may open nothing of this workspace
    assert message.author is not None and message.reply_to is not None
    audience = list(message.audience.select_related("user"))
    request = RunRequest(
        asker=message.author,
        views=views,
        question=message.reply_to.content,
        instructions=snapshot.get("instructions", ""),
        tool_names=tuple(snapshot.get("tools", ())),
        history=conversation_history(message=message),
        audience=audience,
        search_attachments=_attachment_search(
            message, shared=bool(audience or message.audience_outsiders)
        ),
    )
    return request, snapshot


def _attachment_search(message: Message, *, shared: bool) -> AttachmentSearch | None:
    """The conversation's attached files, for its owner asking in the web app; never for an
    answer others will see (a Slack channel)."""
    asker = message.author
    if shared or asker is None:
        return None
    if not Attachment.objects.filter(
        conversation_id=message.conversation_id, owner=asker, status=AttachmentStatus.READY
    ).exists():
        return None  # no file to search: the agent's tools stay as they were

    def search(query: str, k: int) -> list[AttachmentPassage]:
        return search_attachment_passages(
            conversation_id=message.conversation_id, asker=asker, query=query, k=k
        )

    return search


def _fail(message: Message, code: str, text: str) -> AnswerFailed:
    return AnswerFailed(fail_answer(message=message, code=code, text=text), code, text)


def _complete(message: Message, finished: FinishedEvent) -> AnswerFinished:
    completed = complete_answer(
        message=message,
        text=finished.text,
        used_model=finished.used_model,
        citations=finished.citations,
    )
    return AnswerFinished(completed)


def stream_answer(*, agent_message_id: int) -> Iterator[AnswerEvent]:
    """Tokens and citations as they come, then AnswerFinished or AnswerFailed. A message that
    is no longer pending is reported as it stands, so a redelivered task changes nothing."""
    message = Message.objects.select_related(
        "author__user", "author__workspace", "reply_to", "agent_version"
    ).get(id=agent_message_id)
    if message.status != MessageStatus.PENDING:
        yield (
            AnswerFinished(message)
            if message.status == MessageStatus.COMPLETE
            else AnswerFailed(message, message.error_code, message.content)
        )
        return
    if message.author is None or message.reply_to is None:
        yield _fail(message, "asker_gone", "The person who asked has left the workspace.")
        return
    settled = False
    try:
        request, snapshot = _run_request(message)
        chat_model = chat_model_for(
            workspace_id=message.workspace_id,
            model_id=snapshot.get("model_id", ""),
            temperature=float(snapshot.get("temperature", 0.2)),
        )
        for event in run_agent(request, chat_model):
            if isinstance(event, FinishedEvent):
                settled = True
                yield _complete(message, event)
            else:
                yield event
    except (AgentRunError, ModelUnavailable) as error:
        settled = True
        yield _fail(message, error.code, error.message)
    except Exception:
        logger.exception("answering message %s failed", agent_message_id)
        settled = True
        yield _fail(
            message,
            "internal_error",
            "Something went wrong on our side while answering; it has been logged. Your "
            "question is saved: ask again, and tell your operator if it keeps happening.",
        )
    finally:
        if not settled:
            # The reader went away mid-stream (GeneratorExit): do not leave it pending forever.
            _fail(
                message,
                "interrupted",
                "The answer was interrupted before it finished. Your question is saved; ask again.",
            )


def answer_message(*, agent_message_id: int) -> Message:
    """Run an answer to the end without a reader (Celery, Slack, the ask command)."""
    outcome: Message | None = None
    for event in stream_answer(agent_message_id=agent_message_id):
        if isinstance(event, AnswerFinished | AnswerFailed):
            outcome = event.message
    assert outcome is not None
    return outcome
