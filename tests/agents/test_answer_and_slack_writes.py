"""The agents app's write verbs for answers and the Slack bot: each stores all of its change
or none of it, and the Slack bot's settings change is audited."""

from __future__ import annotations

import pytest
from django.db import DataError, IntegrityError

from agents.models import (
    Citation,
    Conversation,
    Message,
    MessageStatus,
    SlackBotSettings,
    SlackThread,
)
from agents.services import post_message
from agents.services.answers import complete_answer, fail_answer
from agents.services.slack import (
    open_thread_conversation,
    post_message_for_audience,
    set_slack_bot_settings,
)
from agents.tools import SourcePassage
from audit.models import AuditEvent
from common.crypto import encrypt_json
from common.errors import InvalidInput, NotFound
from connections.models import Connection
from knowledge.ingestion import upsert_documents
from knowledge.models import DataSource
from tests.agents.conftest import make_agent, new_conversation
from tests.factories import Tenant
from tests.knowledge.conftest import doc, make_folder

pytestmark = pytest.mark.django_db


@pytest.fixture
def document_id(tenant: Tenant) -> int:
    folder = make_folder(tenant, tenant.company_space.id, "Handbook").data_source
    (stored,) = upsert_documents(
        data_source=folder, documents=[doc("leave", "Leave", "Ten days.")]
    ).changed
    return stored


def passage(number: int, document_id: int) -> SourcePassage:
    return SourcePassage(
        number=number, chunk_id=None, document_id=document_id, title="T", url="", text="Ten"
    )


@pytest.fixture
def pending(tenant: Tenant) -> Message:
    make_agent(tenant.builder, "helper", [])
    conversation = new_conversation(tenant.member)
    return post_message(
        actor=tenant.member,
        conversation_id=conversation.id,
        agent_handle="helper",
        content="What is the leave policy?",
    )


def slack_connection(tenant: Tenant) -> Connection:
    data_source = DataSource.objects.create(workspace=tenant.workspace, name="Slack", kind="slack")
    return Connection.objects.create(
        workspace=tenant.workspace,
        data_source=data_source,
        kind="slack",
        credentials_encrypted=encrypt_json({"bot_token": "xoxb-test"}),
    )


def test_a_completed_answer_is_stored_with_its_citations(
    pending: Message, document_id: int
) -> None:
    complete_answer(
        message=pending,
        text="Ten days [1].",
        used_model=False,
        citations=[passage(1, document_id)],
    )
    pending.refresh_from_db()
    assert (pending.status, pending.content) == (MessageStatus.COMPLETE, "Ten days [1].")
    assert list(Citation.objects.filter(message=pending).values_list("number", flat=True)) == [1]


def test_an_answer_whose_citations_fail_stays_pending(pending: Message, document_id: int) -> None:
    # Two passages with one number: the database refuses the second citation.
    with pytest.raises(IntegrityError):
        complete_answer(
            message=pending,
            text="Ten days.",
            used_model=True,
            citations=[passage(1, document_id), passage(1, document_id)],
        )
    stored = Message.objects.get(id=pending.id)
    assert (stored.status, stored.content) == (MessageStatus.PENDING, "")
    assert not Citation.objects.filter(message=pending).exists()


def test_a_failed_answer_says_what_to_do(pending: Message) -> None:
    fail_answer(message=pending, code="model_unavailable", text="Ask again later.")
    stored = Message.objects.get(id=pending.id)
    assert (stored.status, stored.error_code, stored.content) == (
        MessageStatus.ERROR,
        "model_unavailable",
        "Ask again later.",
    )
    assert stored.completed_at is not None


def test_a_slack_thread_continues_one_conversation_per_person(tenant: Tenant) -> None:
    connection = slack_connection(tenant)
    first = open_thread_conversation(
        actor=tenant.member, connection=connection, channel_id="C1", thread_ts="1.1"
    )
    again = open_thread_conversation(
        actor=tenant.member, connection=connection, channel_id="C1", thread_ts="1.1"
    )
    someone_else = open_thread_conversation(
        actor=tenant.builder, connection=connection, channel_id="C1", thread_ts="1.1"
    )
    assert first == again != someone_else
    assert Conversation.objects.get(id=first).owner_id == tenant.member.id
    assert SlackThread.objects.count() == 2


def test_a_thread_that_cannot_be_stored_leaves_no_conversation(tenant: Tenant) -> None:
    connection = slack_connection(tenant)
    before = Conversation.objects.count()
    with pytest.raises(DataError):
        open_thread_conversation(
            actor=tenant.member, connection=connection, channel_id="C1", thread_ts="9" * 40
        )
    assert Conversation.objects.count() == before
    assert not SlackThread.objects.exists()


def test_a_question_for_an_audience_records_who_will_see_it(tenant: Tenant) -> None:
    make_agent(tenant.builder, "helper", [])
    conversation = new_conversation(tenant.member)
    answer = post_message_for_audience(
        actor=tenant.member,
        conversation_id=conversation.id,
        agent_handle="helper",
        content="Who is on call?",
        audience=[tenant.builder],
        outsiders=2,
    )
    stored = Message.objects.get(id=answer.id)
    assert list(stored.audience.all()) == [tenant.builder]
    assert stored.audience_outsiders == 2


def test_a_question_whose_audience_cannot_be_stored_is_not_posted(tenant: Tenant) -> None:
    make_agent(tenant.builder, "helper", [])
    conversation = new_conversation(tenant.member)
    with pytest.raises(DataError):
        post_message_for_audience(
            actor=tenant.member,
            conversation_id=conversation.id,
            agent_handle="helper",
            content="Who is on call?",
            audience=[tenant.builder],
            outsiders=2**31,  # past the column's range
        )
    assert not Message.objects.filter(conversation=conversation).exists()


def test_the_bots_settings_change_is_audited_and_all_or_nothing(tenant: Tenant) -> None:
    connection = slack_connection(tenant)
    agent = make_agent(tenant.builder, "helper", [])
    set_slack_bot_settings(
        actor=tenant.admin,
        connection_id=connection.id,
        default_agent_id=agent.id,
        channels=[{"channel_id": "C1", "agent_id": agent.id}],
    )
    event = AuditEvent.objects.get(action="slack_bot.settings_changed")
    assert (event.target_type, event.target_id) == ("connection", str(connection.id))
    assert event.data == {"default_agent_id": agent.id, "channels": ["C1"]}
    with pytest.raises(InvalidInput):
        set_slack_bot_settings(
            actor=tenant.admin,
            connection_id=connection.id,
            default_agent_id=None,
            channels=[{"channel_id": "C2", "agent_id": agent.id}, {"channel_id": "C2"}],
        )
    bot = SlackBotSettings.objects.get(connection=connection)
    assert bot.default_agent_id == agent.id
    assert list(bot.channels.values_list("channel_id", flat=True)) == ["C1"]
    assert AuditEvent.objects.filter(action="slack_bot.settings_changed").count() == 1


def test_another_workspace_cannot_change_the_bot(tenant: Tenant, other_tenant: Tenant) -> None:
    connection = slack_connection(tenant)
    with pytest.raises(NotFound):
        set_slack_bot_settings(
            actor=other_tenant.admin,
            connection_id=connection.id,
            default_agent_id=None,
            channels=[],
        )
    assert not AuditEvent.objects.filter(action="slack_bot.settings_changed").exists()
