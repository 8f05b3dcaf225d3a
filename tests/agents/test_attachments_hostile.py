"""Hostile attachments through the API and a real worker: a zip bomb and a malformed PDF end
as failed attachments with their reasons, and the same worker then reads a good file."""

from __future__ import annotations

import time
from typing import Any

import pytest

from agents.models import Attachment, AttachmentPart, AttachmentStatus
from tests.agents.test_attachments import attach
from tests.factories import Tenant
from tests.hostile_files import good_markdown, huge_entry
from tests.processes import celery_worker


@pytest.mark.django_db(transaction=True)
def test_a_zip_bomb_and_a_broken_pdf_fail_alone_and_the_worker_reads_on(
    tenant: Tenant, api_as: Any
) -> None:
    from agents import services

    conversation = services.create_conversation(actor=tenant.member)
    api = api_as(tenant.member)
    files = {
        "bomb.docx": huge_entry("docx"),
        "broken.pdf": b"%PDF-1.4 this is not really a pdf",
        "policy.md": good_markdown(),  # last: the worker must still read it
    }
    response = attach(api, tenant, conversation.id, files)
    assert response.status_code == 201, response.content
    assert {item["status"] for item in response.json()["files"]} == {"queued"}

    with celery_worker(queues="embed"):
        deadline = time.monotonic() + 150
        while Attachment.objects.filter(status=AttachmentStatus.QUEUED).exists():
            assert time.monotonic() < deadline, "attachments still queued after 150 s"
            time.sleep(0.5)

    outcome = {a.filename: a for a in Attachment.objects.filter(conversation=conversation)}
    for name in ("bomb.docx", "broken.pdf"):
        assert outcome[name].status == AttachmentStatus.FAILED, name
        assert outcome[name].error_code and outcome[name].error_message
    assert outcome["bomb.docx"].error_code in {"unpacked_too_large", "compression_ratio_too_high"}
    assert outcome["policy.md"].status == AttachmentStatus.READY
    assert outcome["policy.md"].chunk_count >= 1
    assert not AttachmentPart.objects.exists()  # bytes gone, read or not
