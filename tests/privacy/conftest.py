"""A person seeded across every table a workspace holds about them, and the worker's part
of a request run in this process (the task is ours)."""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Any

import pytest
from django.db import transaction

from agents.models import Citation, Message, MessageRole, SlackUser
from agents.services import create_agent, create_conversation, give_feedback
from common.crypto import encrypt_json
from connections.models import Connection
from connectors.documents import AccessList, DocumentInput
from knowledge import services as knowledge_services
from knowledge.ingestion import upsert_documents
from knowledge.models import DataSource, DataSourceKind, Document
from privacy.models import DataSubjectRequest
from privacy.services import run_data_subject_request
from tests.factories import Tenant, make_user
from workspaces import services as workspace_services
from workspaces.models import Membership, Role

SUBJECT_EMAIL = "zed.quillfeather@acme.test"
SUBJECT_NAME = "Zed Quillfeather"


@pytest.fixture(autouse=True)
def archive_dir(settings: Any, tmp_path: Any) -> Any:
    settings.PRIVACY_ARCHIVE_DIR = tmp_path / "privacy-exports"
    return settings.PRIVACY_ARCHIVE_DIR


@dataclass
class Seeded:
    membership: Membership
    conversation_id: int
    answer_id: int
    upload_document_id: int
    upload_bytes: bytes
    synced_document_id: int
    api_token_id: int


def seed_person(tenant: Tenant) -> Seeded:
    """The subject joins by invitation, is in a group and granted a space, asks an agent
    (an answer with a citation), rates it, uploads a file, makes an API token, builds an
    agent and a folder, and is named on a synced document's access list."""
    admin = tenant.admin
    user = make_user(SUBJECT_EMAIL)
    user.full_name = SUBJECT_NAME
    user.save(update_fields=["full_name"])
    invitation, _ = workspace_services.create_invitation(
        actor=admin, email=SUBJECT_EMAIL, role=Role.BUILDER
    )
    membership = workspace_services.accept_my_invitation(user=user, invitation_id=invitation.id)
    group = workspace_services.create_group(actor=admin, name="Quill circle")
    workspace_services.add_group_member(actor=admin, group_id=group.id, membership_id=membership.id)
    workspace_services.grant_space_access(
        actor=admin, space_id=tenant.restricted_space.id, membership_id=membership.id
    )
    conversation = create_conversation(actor=membership, title="Zed's question about leave")
    question = Message.objects.create(
        workspace=tenant.workspace,
        conversation=conversation,
        role=MessageRole.USER,
        author=membership,
        content="How many days of leave do I have?",
    )
    answer = Message.objects.create(
        workspace=tenant.workspace,
        conversation=conversation,
        role=MessageRole.AGENT,
        reply_to=question,
        content="Twenty-five days [1].",
    )
    Citation.objects.create(
        workspace=tenant.workspace,
        message=answer,
        number=1,
        title="Leave policy",
        passage="Everyone has twenty-five days of leave.",
    )
    give_feedback(
        actor=membership,
        conversation_id=conversation.id,
        message_id=answer.id,
        rating="up",
        comment="Thanks, from Zed",
    )
    folder = knowledge_services.create_folder(
        actor=admin, space_id=tenant.company_space.id, name="Shared notes"
    ).data_source_id
    content = b"Zed's notes on the quarterly plan.\n"
    [outcome] = knowledge_services.upload_files(
        actor=membership,
        data_source_id=folder,
        files=[
            knowledge_services.UploadedFile(
                filename="zed-notes.txt",
                content_type="text/plain",
                size=len(content),
                stream=io.BytesIO(content),
            )
        ],
    )
    token, _ = workspace_services.create_api_token(actor=membership, name="Zed's laptop")
    # An agent they built and edit: it stays (the workspace's), without them.
    create_agent(actor=membership, handle="leave-helper", name="Leave helper")
    knowledge_services.create_folder(
        actor=membership, space_id=tenant.company_space.id, name="Zed's folder"
    )
    with transaction.atomic():
        drive = knowledge_services.create_synced_data_source(
            actor=admin, name="Drive", kind=DataSourceKind.GOOGLE_DRIVE, space=tenant.company_space
        )
        upsert_documents(
            data_source=drive,
            documents=[
                DocumentInput(
                    external_id="drive-1",
                    title="Quarterly plan",
                    text="The plan.",
                    access=AccessList(public=False, emails=(SUBJECT_EMAIL,)),
                ),
                DocumentInput(external_id="drive-2", title="Handbook", text="For everyone."),
            ],
        )
    synced = Document.objects.get(data_source=drive, external_id="drive-1")
    # The Slack bot's copy of the Slack workspace's people knows them too.
    slack = Connection.objects.create(
        workspace=tenant.workspace,
        data_source=DataSource.objects.create(
            workspace=tenant.workspace, name="Slack", kind="slack"
        ),
        kind="slack",
        credentials_encrypted=encrypt_json({"bot_token": "xoxb-test"}),
    )
    SlackUser.objects.create(
        workspace=tenant.workspace,
        connection=slack,
        slack_id="UZED",
        email=SUBJECT_EMAIL,
        name=SUBJECT_NAME,
    )
    return Seeded(
        membership=membership,
        conversation_id=conversation.id,
        answer_id=answer.id,
        upload_document_id=outcome.document_id,
        upload_bytes=content,
        synced_document_id=synced.id,
        api_token_id=token.id,
    )


def run(request_id: int) -> DataSubjectRequest:
    """What the worker's task does, in this process."""
    run_data_subject_request(request_id=request_id)
    return DataSubjectRequest.objects.get(id=request_id)
