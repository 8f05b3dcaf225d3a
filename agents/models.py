"""Agents with their version history, per-workspace model credentials, and conversations.

A conversation remembers the spaces of every agent used in it (`required_space_ids`), so its
visibility only ever tightens: a thread that touched a restricted agent stays behind that
space even after the agent changes.
"""

from __future__ import annotations

from typing import Any

from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVector, SearchVectorField
from django.db import models
from pgvector.django import VectorField

from knowledge.models import FULL_TEXT_CONFIG
from textpipeline.embedding import EMBEDDING_DIMENSIONS


class AgentStatus(models.TextChoices):
    DRAFT = "draft"
    PUBLISHED = "published"


class AgentVisibility(models.TextChoices):
    # Listed for every member who belongs to all of the agent's spaces.
    WORKSPACE = "workspace"
    # Only its editors and admins (still subject to the agent's spaces).
    EDITORS = "editors"


class AgentTool(models.TextChoices):
    SEARCH = "search"
    RECENT_DOCUMENTS = "recent_documents"


class Agent(models.Model):
    workspace = models.ForeignKey("workspaces.Workspace", on_delete=models.CASCADE)
    handle = models.SlugField(max_length=64)
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True, default="")
    instructions = models.TextField(blank=True, default="")
    # "<provider>:<model>", e.g. "openai:gpt-4o-mini"; empty means no model (extractive answers).
    model_id = models.CharField(max_length=200, blank=True, default="")
    temperature = models.FloatField(default=0.2)
    tools = ArrayField(models.CharField(max_length=32), default=list, blank=True)
    views = models.ManyToManyField("knowledge.DataSourceView", blank=True, related_name="agents")
    editors = models.ManyToManyField(
        "workspaces.Membership", blank=True, related_name="edited_agents"
    )
    status = models.CharField(max_length=16, choices=AgentStatus.choices, default=AgentStatus.DRAFT)
    visibility = models.CharField(
        max_length=16, choices=AgentVisibility.choices, default=AgentVisibility.WORKSPACE
    )
    version = models.IntegerField(default=0)
    created_by = models.ForeignKey(
        "workspaces.Membership", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # Unpublished changes of a published agent (the fields of a version snapshot): the agent's
    # columns stay what is published, so members, Slack and conversations keep the live
    # version while builders edit; publishing applies this and clears it.
    draft = models.JSONField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["workspace", "handle"], name="agent_unique_handle")
        ]

    def __str__(self) -> str:
        return self.handle


class AgentVersion(models.Model):
    """A snapshot of an agent as saved; conversations point at the version that answered."""

    workspace = models.ForeignKey("workspaces.Workspace", on_delete=models.CASCADE)
    agent = models.ForeignKey(Agent, on_delete=models.CASCADE, related_name="versions")
    number = models.IntegerField()
    snapshot = models.JSONField()
    created_by = models.ForeignKey(
        "workspaces.Membership", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["agent", "number"], name="agent_version_unique")
        ]


class ModelProvider(models.TextChoices):
    OPENAI = "openai"
    ANTHROPIC = "anthropic"
    GOOGLE = "google"
    MISTRAL = "mistral"
    OPENAI_COMPATIBLE = "openai-compatible"


class ModelProviderCredential(models.Model):
    """A workspace's key for one provider, Fernet-encrypted (agents.crypto)."""

    workspace = models.ForeignKey("workspaces.Workspace", on_delete=models.CASCADE)
    provider = models.CharField(max_length=32, choices=ModelProvider.choices)
    encrypted_api_key = models.TextField(blank=True, default="")
    key_hint = models.CharField(max_length=8, blank=True, default="")
    base_url = models.URLField(max_length=500, blank=True, default="")
    updated_by = models.ForeignKey(
        "workspaces.Membership", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["workspace", "provider"], name="model_credential_one_per_provider"
            )
        ]


class Conversation(models.Model):
    workspace = models.ForeignKey("workspaces.Workspace", on_delete=models.CASCADE)
    owner = models.ForeignKey(
        "workspaces.Membership", on_delete=models.CASCADE, related_name="conversations"
    )
    title = models.CharField(max_length=200, blank=True, default="")
    # Union of the spaces of every agent used here; only grows.
    required_space_ids = ArrayField(models.BigIntegerField(), default=list, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)


class MessageRole(models.TextChoices):
    USER = "user"
    AGENT = "agent"


class MessageStatus(models.TextChoices):
    PENDING = "pending"
    COMPLETE = "complete"
    ERROR = "error"


class Message(models.Model):
    workspace = models.ForeignKey("workspaces.Workspace", on_delete=models.CASCADE)
    conversation = models.ForeignKey(
        Conversation, on_delete=models.CASCADE, related_name="messages"
    )
    role = models.CharField(max_length=16, choices=MessageRole.choices)
    author = models.ForeignKey(
        "workspaces.Membership", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    agent = models.ForeignKey(Agent, null=True, blank=True, on_delete=models.SET_NULL)
    agent_version = models.ForeignKey(
        AgentVersion, null=True, blank=True, on_delete=models.SET_NULL
    )
    # The user message an agent message answers.
    reply_to = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    content = models.TextField(blank=True, default="")
    status = models.CharField(
        max_length=16, choices=MessageStatus.choices, default=MessageStatus.COMPLETE
    )
    error_code = models.CharField(max_length=64, blank=True, default="")
    # False when the answer is extractive because no model is configured.
    used_model = models.BooleanField(default=False)
    # Who else will see the answer (the members of a Slack channel): it may only draw on what
    # each of them may open. `audience_outsiders` counts people there who are no members at
    # all; with any of them present nothing is read.
    audience = models.ManyToManyField("workspaces.Membership", blank=True, related_name="+")
    audience_outsiders = models.IntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    # When a source this answer cited was deleted, or its access tightened, after it was
    # written (agents.purge): the answer's passages of it are gone, and readers are told.
    sources_changed_at = models.DateTimeField(null=True, blank=True)
    # Where the Slack bot posted this answer, so its sources can be edited in place
    # (chat.update) when one is deleted or tightened. Empty for answers given elsewhere.
    slack_connection = models.ForeignKey(
        "connections.Connection", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    slack_channel_id = models.CharField(max_length=64, blank=True, default="")
    slack_ts = models.CharField(max_length=32, blank=True, default="")


def purge_on_delete(collector: Any, field: Any, sub_objs: Any, using: str) -> None:
    """on_delete of Citation.document: a deleted source takes its passages out of old answers
    in the deleting transaction (knowledge deletes documents without knowing of agents). The
    citations lose their copies, their answers are marked, and Slack posts are re-rendered
    once the deletion commits."""
    from agents.purge import on_documents_deleted

    on_documents_deleted(collector=collector, field=field, citations=sub_objs, using=using)


class Citation(models.Model):
    """A numbered reference in an agent message, with a snapshot of the passage it cites."""

    workspace = models.ForeignKey("workspaces.Workspace", on_delete=models.CASCADE)
    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="citations")
    number = models.IntegerField()
    # No database constraint: knowledge_chunk is partitioned, and its primary key is
    # (id, workspace_id). Deletes through the ORM still set this to NULL; a chunk deleted in
    # SQL may leave a dangling id, which reads never follow (the passage is a snapshot).
    chunk = models.ForeignKey(
        "knowledge.Chunk",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_constraint=False,
    )
    # Deleting a document purges its copies here in the same transaction (purge_on_delete).
    document = models.ForeignKey(
        "knowledge.Document", null=True, blank=True, on_delete=purge_on_delete, related_name="+"
    )
    # A passage of a file attached to the conversation (agents.services.attachments); deleting
    # the attachment purges the copies as deleting a document does.
    attachment = models.ForeignKey(
        "agents.Attachment", null=True, blank=True, on_delete=purge_on_delete, related_name="+"
    )
    # The document's content hash when the answer was written: a different one now means
    # the source changed since this answer.
    document_hash = models.CharField(max_length=64, blank=True, default="")
    title = models.CharField(max_length=500)
    url = models.URLField(max_length=2000, blank=True, default="")
    passage = models.TextField()
    # Set when the copies above were cleared because the source was deleted or its reader
    # lost access to it; a purged citation is only ever shown as unavailable.
    purged_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["message", "number"], name="citation_unique_number")
        ]


class FeedbackRating(models.TextChoices):
    UP = "up"
    DOWN = "down"


class Feedback(models.Model):
    workspace = models.ForeignKey("workspaces.Workspace", on_delete=models.CASCADE)
    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="feedback")
    membership = models.ForeignKey("workspaces.Membership", on_delete=models.CASCADE)
    rating = models.CharField(max_length=8, choices=FeedbackRating.choices)
    comment = models.TextField(blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["message", "membership"], name="feedback_one_per_person"
            )
        ]


class SlackBotSettings(models.Model):
    """How the Slack bot of one Slack connection picks an agent: per channel, else this
    default (DESIGN.md: a `~handle` in the message always wins)."""

    workspace = models.ForeignKey("workspaces.Workspace", on_delete=models.CASCADE)
    connection = models.OneToOneField(
        "connections.Connection", on_delete=models.CASCADE, related_name="slack_bot"
    )
    default_agent = models.ForeignKey(
        Agent, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )


class SlackChannelAgent(models.Model):
    workspace = models.ForeignKey("workspaces.Workspace", on_delete=models.CASCADE)
    settings = models.ForeignKey(
        SlackBotSettings, on_delete=models.CASCADE, related_name="channels"
    )
    channel_id = models.CharField(max_length=64)
    agent = models.ForeignKey(Agent, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["settings", "channel_id"], name="slack_channel_agent_unique"
            )
        ]


class SlackThread(models.Model):
    """A Slack thread continues one conversation per person asking in it."""

    workspace = models.ForeignKey("workspaces.Workspace", on_delete=models.CASCADE)
    connection = models.ForeignKey("connections.Connection", on_delete=models.CASCADE)
    channel_id = models.CharField(max_length=64)
    thread_ts = models.CharField(max_length=32)
    member = models.ForeignKey("workspaces.Membership", on_delete=models.CASCADE)
    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["connection", "channel_id", "thread_ts", "member"],
                name="slack_thread_unique",
            )
        ]


class SlackUser(models.Model):
    """The Slack bot's copy of one Slack workspace's people, per connection: filled once by
    users.list, then kept current by the `user_change` and `team_join` events (and a single
    users.info for someone not in it), so answering never pages users.list. The email decides
    who the asker is; a deactivated Slack user (`deleted`) cannot ask."""

    workspace = models.ForeignKey("workspaces.Workspace", on_delete=models.CASCADE)
    connection = models.ForeignKey(
        "connections.Connection", on_delete=models.CASCADE, related_name="slack_users"
    )
    slack_id = models.CharField(max_length=32)
    email = models.CharField(max_length=254, blank=True, default="")
    name = models.CharField(max_length=255, blank=True, default="")
    is_bot = models.BooleanField(default=False)
    deleted = models.BooleanField(default=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["connection", "slack_id"], name="slack_user_unique")
        ]


class AttachmentStatus(models.TextChoices):
    QUEUED = "queued"
    READY = "ready"
    FAILED = "failed"


class Attachment(models.Model):
    """A file a person attached to one of their conversations (agents.services.attachments).

    Its passages are searched for that conversation alone, never indexed into a space or a
    data source: they live in AttachmentChunk, not knowledge.Chunk, so no knowledge search can
    reach them. Deleted with the conversation, bytes and chunks included (cascade).
    """

    workspace = models.ForeignKey("workspaces.Workspace", on_delete=models.CASCADE)
    conversation = models.ForeignKey(
        Conversation, on_delete=models.CASCADE, related_name="attachments"
    )
    owner = models.ForeignKey("workspaces.Membership", on_delete=models.CASCADE, related_name="+")
    filename = models.CharField(max_length=500)
    content_type = models.CharField(max_length=200, blank=True, default="")
    size_bytes = models.BigIntegerField(default=0)
    sha256 = models.CharField(max_length=64, blank=True, default="")
    status = models.CharField(
        max_length=16, choices=AttachmentStatus.choices, default=AttachmentStatus.QUEUED
    )
    error_code = models.CharField(max_length=64, blank=True, default="")
    error_message = models.TextField(blank=True, default="")
    title = models.CharField(max_length=500, blank=True, default="")
    text = models.TextField(blank=True, default="")
    chunk_count = models.IntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)


class AttachmentPart(models.Model):
    """One part (up to 1 MiB) of an attachment's bytes, from the web request to the worker
    that parses it (as knowledge.StoredUploadPart); deleted once parsed."""

    attachment = models.ForeignKey(Attachment, on_delete=models.CASCADE, related_name="parts")
    position = models.IntegerField()
    data = models.BinaryField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["attachment", "position"], name="attachment_part_position"
            )
        ]


class AttachmentChunk(models.Model):
    """A passage of an attachment with its vector, filtered by conversation when searched."""

    workspace = models.ForeignKey("workspaces.Workspace", on_delete=models.CASCADE)
    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="+")
    attachment = models.ForeignKey(Attachment, on_delete=models.CASCADE, related_name="chunks")
    position = models.IntegerField()
    text = models.TextField()
    embedding = VectorField(dimensions=EMBEDDING_DIMENSIONS)
    search_vector = models.GeneratedField(
        expression=SearchVector("text", config=FULL_TEXT_CONFIG),
        output_field=SearchVectorField(),
        db_persist=True,
    )

    class Meta:
        indexes = [
            models.Index(fields=["conversation"], name="attachment_chunk_conversation"),
            GinIndex(fields=["search_vector"], name="attachment_chunk_search_gin"),
        ]


class ConversationShare(models.Model):
    """A link that opens a conversation read-only for other members of its workspace, each
    only if they may open every source it cites. Only the token's hash is stored; revoking
    deletes the row."""

    workspace = models.ForeignKey("workspaces.Workspace", on_delete=models.CASCADE)
    conversation = models.OneToOneField(
        Conversation, on_delete=models.CASCADE, related_name="share"
    )
    token_hash = models.CharField(max_length=64, unique=True)
    created_by = models.ForeignKey(
        "workspaces.Membership", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
