"""Data sources, their views in spaces, documents and chunks with their vectors.

Chunks carry copies of the fields retrieval filters on (workspace, data source, parents,
access list), so the permission filter is part of one SQL query over one table.
"""

from __future__ import annotations

from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVector, SearchVectorField
from django.db import models
from django.db.models import Func
from pgvector.django import HnswIndex, SparseVectorField, VectorField

from textpipeline.embedding import EMBEDDING_DIMENSIONS

FULL_TEXT_CONFIG = "english"
# Lexemes hash into this many sparse dimensions (md5-based, so stable across Postgres versions).
BM25_DIMENSIONS = 16_777_216


class DataSourceKind(models.TextChoices):
    FOLDER = "folder"
    SLACK = "slack"
    NOTION = "notion"
    GOOGLE_DRIVE = "google_drive"
    GITHUB = "github"


class DataSource(models.Model):
    """The synced or uploaded documents of one connection or folder."""

    workspace = models.ForeignKey("workspaces.Workspace", on_delete=models.CASCADE)
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=32, choices=DataSourceKind.choices)
    created_by = models.ForeignKey(
        "workspaces.Membership", null=True, blank=True, on_delete=models.SET_NULL
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["workspace", "name"], name="data_source_unique_name")
        ]

    def __str__(self) -> str:
        return self.name


class DataSourceView(models.Model):
    """A data source, or the parts of it under `parent_ids`, placed in a space."""

    workspace = models.ForeignKey("workspaces.Workspace", on_delete=models.CASCADE)
    data_source = models.ForeignKey(DataSource, on_delete=models.CASCADE, related_name="views")
    space = models.ForeignKey("workspaces.Space", on_delete=models.CASCADE, related_name="views")
    # Empty means the whole data source; otherwise documents whose parents include one of these.
    parent_ids = ArrayField(models.CharField(max_length=255), default=list, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["data_source", "space"], name="view_one_per_space")
        ]


class DocumentStatus(models.TextChoices):
    PENDING = "pending"
    READY = "ready"
    FAILED = "failed"


class Document(models.Model):
    """One source item. `parents` starts with the document's own id, then its ancestors."""

    workspace = models.ForeignKey("workspaces.Workspace", on_delete=models.CASCADE)
    data_source = models.ForeignKey(DataSource, on_delete=models.CASCADE, related_name="documents")
    external_id = models.CharField(max_length=255)
    title = models.CharField(max_length=500)
    url = models.URLField(max_length=2000, blank=True, default="")
    mime_type = models.CharField(max_length=200, blank=True, default="")
    parents = ArrayField(models.CharField(max_length=255), default=list, blank=True)
    breadcrumb = ArrayField(models.CharField(max_length=500), default=list, blank=True)
    source_created_at = models.DateTimeField(null=True, blank=True)
    source_updated_at = models.DateTimeField(null=True, blank=True)
    text = models.TextField(blank=True, default="")
    size_bytes = models.BigIntegerField(default=0)
    content_hash = models.CharField(max_length=64, blank=True, default="")
    # sha256 of an uploaded file's raw bytes: the same bytes again are `unchanged` at once,
    # without a trip through the parse queue.
    file_sha256 = models.CharField(max_length=64, blank=True, default="")
    # The content hash the stored chunks were built from; equal to content_hash when current.
    indexed_hash = models.CharField(max_length=64, blank=True, default="")
    status = models.CharField(
        max_length=16, choices=DocumentStatus.choices, default=DocumentStatus.PENDING
    )
    error_code = models.CharField(max_length=64, blank=True, default="")
    error_message = models.TextField(blank=True, default="")
    chunk_count = models.IntegerField(default=0)
    # The source's access list. Public documents are open to everyone in the view's space.
    access_public = models.BooleanField(default=True)
    access_emails = ArrayField(models.CharField(max_length=254), default=list, blank=True)
    access_group_ids = ArrayField(models.CharField(max_length=255), default=list, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)
    # When a connector's sync last saw the item at its source: a full sync deletes the
    # documents it did not see.
    synced_at = models.DateTimeField(null=True, blank=True)
    # Who uploaded a folder's file (the latest upload of it): a data-subject export lists a
    # person's uploads and an erasure deletes them; a legal hold on them keeps it. Null for
    # synced documents.
    uploaded_by = models.ForeignKey(
        "workspaces.Membership",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="uploaded_documents",
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["data_source", "external_id"], name="document_unique_external_id"
            )
        ]

    def __str__(self) -> str:
        return self.title


class StoredUpload(models.Model):
    """An uploaded file's bytes, from the web request that received it to the worker that
    parses it. In Postgres, because web and workers may run in containers that share no
    volume; in parts, so neither side holds a whole file in memory. Deleted once parsed."""

    workspace = models.ForeignKey("workspaces.Workspace", on_delete=models.CASCADE)
    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="uploads")
    filename = models.CharField(max_length=500)
    content_type = models.CharField(max_length=200, blank=True, default="")
    size_bytes = models.BigIntegerField()
    sha256 = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)


class StoredUploadPart(models.Model):
    """One part (up to 1 MiB) of a stored upload's bytes, in order."""

    upload = models.ForeignKey(StoredUpload, on_delete=models.CASCADE, related_name="parts")
    position = models.IntegerField()
    data = models.BinaryField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["upload", "position"], name="upload_part_position")
        ]


class Chunk(models.Model):
    """A passage of a document with its vector. The table is partitioned by workspace (hash,
    16 partitions; migration 0004): its primary key in the database is (id, workspace_id)."""

    workspace = models.ForeignKey("workspaces.Workspace", on_delete=models.CASCADE)
    data_source = models.ForeignKey(DataSource, on_delete=models.CASCADE)
    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="chunks")
    position = models.IntegerField()
    text = models.TextField()
    # sha256 of `text`: an identical text elsewhere reuses its vector instead of re-embedding.
    text_hash = models.CharField(max_length=64)
    token_count = models.IntegerField(default=0)
    embedding = VectorField(dimensions=EMBEDDING_DIMENSIONS)
    search_vector = models.GeneratedField(
        expression=SearchVector("text", config=FULL_TEXT_CONFIG),
        output_field=SearchVectorField(),
        db_persist=True,
    )
    # True BM25 inside Postgres: per-lexeme saturated term frequencies (k1=1.2, b=0.75), whose
    # inner product with a query's IDF weights is the chunk's BM25 score. See migration 0002.
    bm25 = models.GeneratedField(
        expression=Func(
            SearchVector("text", config=FULL_TEXT_CONFIG),
            function="knowledge_bm25_weights",
            output_field=SparseVectorField(dimensions=BM25_DIMENSIONS),
        ),
        output_field=SparseVectorField(dimensions=BM25_DIMENSIONS),
        db_persist=True,
    )
    parents = ArrayField(models.CharField(max_length=255), default=list)
    access_public = models.BooleanField(default=True)
    access_emails = ArrayField(models.CharField(max_length=254), default=list)
    access_group_ids = ArrayField(models.CharField(max_length=255), default=list)

    class Meta:
        indexes = [
            HnswIndex(
                name="chunk_embedding_hnsw",
                fields=["embedding"],
                m=16,
                ef_construction=64,
                opclasses=["vector_cosine_ops"],
            ),
            GinIndex(fields=["search_vector"], name="chunk_search_vector_gin"),
            GinIndex(fields=["parents"], name="chunk_parents_gin"),
            models.Index(fields=["workspace", "data_source"], name="chunk_workspace_source"),
            models.Index(fields=["workspace", "text_hash"], name="chunk_text_hash"),
        ]
        constraints = [
            # A unique constraint on a partitioned table must hold the partition key; a
            # document lies in one workspace, so this is unique (document, position).
            models.UniqueConstraint(
                fields=["document", "position", "workspace"], name="chunk_unique_position"
            )
        ]


class TermStat(models.Model):
    """How many chunks of a workspace hold each lexeme: the document frequencies BM25's IDF
    needs. Kept by statement-level triggers on knowledge_chunk (migration 0002), so bulk
    inserts, cascading deletes and every other path stay counted. The row with the empty
    lexeme counts all chunks of the workspace."""

    workspace = models.ForeignKey("workspaces.Workspace", on_delete=models.CASCADE)
    lexeme = models.TextField()
    chunk_count = models.BigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["workspace", "lexeme"], name="term_stat_unique")
        ]
