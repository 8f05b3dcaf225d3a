"""Writes for conversations, the messages posted in them, and feedback on answers.

Posting saves the question and a pending answer; answering it (the slow part) is
agents.answers, which settles the answer through agents.services.answers.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Collection
from datetime import datetime

from django.db import transaction

from agents.access import (
    access_agent_by_handle,
    access_agent_message,
    access_conversation,
    agent_space_ids,
)
from agents.models import (
    Conversation,
    ConversationShare,
    Feedback,
    FeedbackRating,
    Message,
    MessageRole,
    MessageStatus,
)
from audit.services import AuditTarget, audit_change
from common.errors import InvalidInput
from workspaces.access import access_role
from workspaces.models import Membership, Role

MAX_MESSAGE_CHARACTERS = 20_000
TITLE_CHARACTERS = 80


def share_token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create_conversation(*, actor: Membership, title: str = "") -> Conversation:
    return Conversation.objects.create(
        workspace_id=actor.workspace_id, owner=actor, title=title.strip()[:200]
    )


@transaction.atomic
def rename_conversation(*, actor: Membership, conversation_id: int, title: str) -> Conversation:
    conversation = access_conversation(actor=actor, conversation_id=conversation_id)
    title = title.strip()
    if not title:
        raise InvalidInput("A conversation needs a title; write one, or keep the old one.")
    conversation.title = title[:200]
    conversation.save(update_fields=["title", "updated_at"])
    return conversation


@transaction.atomic
def delete_conversation(*, actor: Membership, conversation_id: int) -> dict[str, int]:
    """Delete one's own conversation with everything stored of it: messages, citations (the
    copies of the passages they quoted), feedback, its share link and Slack thread. Not
    audited: the conversation is the person's own, like its title."""
    conversation = access_conversation(actor=actor, conversation_id=conversation_id)
    _, per_model = Conversation.objects.filter(id=conversation.id).delete()
    return dict(per_model)


@transaction.atomic
def share_conversation(*, actor: Membership, conversation_id: int) -> tuple[ConversationShare, str]:
    """A new link to the conversation (any earlier one stops working). Returns the share and
    its token, which is shown this once: only its hash is kept."""
    conversation = access_conversation(actor=actor, conversation_id=conversation_id)
    ConversationShare.objects.filter(conversation=conversation).delete()
    token = secrets.token_urlsafe(32)
    share = ConversationShare.objects.create(
        workspace_id=actor.workspace_id,
        conversation=conversation,
        token_hash=share_token_hash(token),
        created_by=actor,
    )
    audit_change(
        actor=actor,
        action="conversation.shared",
        target=AuditTarget("conversation", conversation.id),
        data={},
    )
    return share, token


@transaction.atomic
def revoke_conversation_share(*, actor: Membership, conversation_id: int) -> bool:
    conversation = access_conversation(actor=actor, conversation_id=conversation_id)
    deleted, _ = ConversationShare.objects.filter(conversation=conversation).delete()
    if deleted:
        audit_change(
            actor=actor,
            action="conversation.share_revoked",
            target=AuditTarget("conversation", conversation.id),
            data={},
        )
    return bool(deleted)


@transaction.atomic
def post_message(
    *, actor: Membership, conversation_id: int, agent_handle: str, content: str
) -> Message:
    """Save the question and a pending answer in one transaction, before any model runs, so
    a failing model never loses the question. Returns the pending agent message; answer it
    with agents.answers.stream_answer (in the request) or the agents.answer_message task."""
    conversation = access_conversation(actor=actor, conversation_id=conversation_id)
    agent = access_agent_by_handle(actor=actor, handle=agent_handle.strip().lstrip("@"))
    content = content.strip()
    if not content:
        raise InvalidInput("The message is empty; write a question.")
    if len(content) > MAX_MESSAGE_CHARACTERS:
        raise InvalidInput(f"The message is longer than {MAX_MESSAGE_CHARACTERS} characters.")
    version = agent.versions.order_by("-number").first()
    question = Message.objects.create(
        workspace_id=actor.workspace_id,
        conversation=conversation,
        role=MessageRole.USER,
        author=actor,
        content=content,
    )
    answer = Message.objects.create(
        workspace_id=actor.workspace_id,
        conversation=conversation,
        role=MessageRole.AGENT,
        author=actor,
        agent=agent,
        agent_version=version,
        reply_to=question,
        status=MessageStatus.PENDING,
    )
    # Tighten, never loosen: the thread now holds data of these spaces.
    conversation.required_space_ids = sorted(
        set(conversation.required_space_ids) | agent_space_ids(agent)
    )
    if not conversation.title:
        conversation.title = content[:TITLE_CHARACTERS]
    conversation.save(update_fields=["required_space_ids", "title", "updated_at"])
    return answer


@transaction.atomic
def give_feedback(
    *,
    actor: Membership,
    conversation_id: int,
    message_id: int,
    rating: FeedbackRating,
    comment: str = "",
) -> Feedback:
    message = access_agent_message(
        actor=actor, conversation_id=conversation_id, message_id=message_id
    )
    feedback, _ = Feedback.objects.update_or_create(
        message=message,
        membership=actor,
        defaults={"workspace_id": actor.workspace_id, "rating": rating, "comment": comment},
    )
    return feedback


@transaction.atomic
def purge_conversations(
    *,
    workspace_id: int,
    inactive_since: datetime,
    keep_owner_ids: Collection[int] = (),
    limit: int,
) -> int:
    """Delete up to `limit` of the workspace's conversations whose last activity was before
    `inactive_since`, with their messages, citations (the passage copies), feedback and Slack
    threads, except those owned by a member in `keep_owner_ids` (a legal hold). For
    retention, which audits the counts; returns how many conversations were deleted."""
    conversations = Conversation.objects.filter(
        workspace_id=workspace_id, updated_at__lt=inactive_since
    )
    if keep_owner_ids:
        conversations = conversations.exclude(owner_id__in=list(keep_owner_ids))
    ids = list(conversations.order_by("id").values_list("id", flat=True)[:limit])
    if not ids:
        return 0
    _, per_model = Conversation.objects.filter(id__in=ids).delete()
    return per_model.get(Conversation._meta.label, 0)


@transaction.atomic
def delete_conversations_of(*, actor: Membership, membership_id: int) -> dict[str, int]:
    """Remove a member's conversations (their messages, citations and feedback go with
    them) and the feedback they gave anywhere else, for a data-subject erasure. Admins only;
    one audit event with the counts (no titles: they are the person's own words)."""
    access_role(actor, Role.ADMIN)
    feedback = Feedback.objects.filter(workspace_id=actor.workspace_id, membership_id=membership_id)
    feedback_deleted, _ = feedback.delete()
    conversations = Conversation.objects.filter(
        workspace_id=actor.workspace_id, owner_id=membership_id
    )
    _, per_model = conversations.delete()
    counts = {
        "conversations": per_model.get(Conversation._meta.label, 0),
        "messages": per_model.get(Message._meta.label, 0),
        "feedback": feedback_deleted + per_model.get(Feedback._meta.label, 0),
    }
    audit_change(
        actor=actor,
        action="conversations.erased",
        target=AuditTarget("membership", membership_id),
        data=counts,
    )
    return counts
