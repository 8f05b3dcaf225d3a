"""Admin settings of the Slack bot: which agent answers in which channel."""

from django.http import HttpRequest
from ninja import Router, Schema

from agents.models import SlackBotSettings
from agents.services import slack as services
from api.auth import request_actor

router = Router(tags=["slack bot"])


class ChannelAgentIn(Schema):
    channel_id: str
    agent_id: int


class SlackBotSettingsIn(Schema):
    default_agent_id: int | None = None
    channels: list[ChannelAgentIn] = []


class SlackBotSettingsOut(Schema):
    connection_id: int
    default_agent_id: int | None
    channels: list[ChannelAgentIn]
    interactions_path: str

    @staticmethod
    def of(bot: SlackBotSettings) -> "SlackBotSettingsOut":
        return SlackBotSettingsOut(
            connection_id=bot.connection_id,
            default_agent_id=bot.default_agent_id,
            channels=[
                ChannelAgentIn(channel_id=row.channel_id, agent_id=row.agent_id)
                for row in bot.channels.order_by("channel_id")
            ],
            interactions_path=f"/webhooks/slack/{bot.connection_id}/interactions",
        )


@router.get(
    "/workspaces/{workspace_id}/connections/{connection_id}/slack-bot",
    response=SlackBotSettingsOut,
)
def get_slack_bot(
    request: HttpRequest, workspace_id: int, connection_id: int
) -> SlackBotSettingsOut:
    bot = services.get_slack_bot_settings(
        actor=request_actor(request, workspace_id), connection_id=connection_id
    )
    return SlackBotSettingsOut.of(bot)


@router.put(
    "/workspaces/{workspace_id}/connections/{connection_id}/slack-bot",
    response=SlackBotSettingsOut,
)
def set_slack_bot(
    request: HttpRequest, workspace_id: int, connection_id: int, payload: SlackBotSettingsIn
) -> SlackBotSettingsOut:
    """A `~handle` in a message picks the agent; else the channel's; else the default."""
    bot = services.set_slack_bot_settings(
        actor=request_actor(request, workspace_id),
        connection_id=connection_id,
        default_agent_id=payload.default_agent_id,
        channels=[row.model_dump() for row in payload.channels],
    )
    return SlackBotSettingsOut.of(bot)
