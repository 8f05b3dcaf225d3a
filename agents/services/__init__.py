"""Every write of the agents app, one verb per change, grouped by what it changes:

- agents: agents (each save a new version) and model credentials
- conversations: conversations, posted messages and feedback
- answers: settling a pending answer (complete with citations, or failed)
- slack: the Slack bot's settings, threads and questions asked before a channel

`from agents.services import create_agent` keeps working for the most used verbs.
"""

from agents.services.agents import (
    create_agent,
    delete_model_credential,
    publish_agent,
    restore_agent_version,
    set_model_credential,
    update_agent,
)
from agents.services.conversations import (
    MAX_MESSAGE_CHARACTERS,
    TITLE_CHARACTERS,
    create_conversation,
    delete_conversation,
    give_feedback,
    post_message,
    rename_conversation,
    revoke_conversation_share,
    share_conversation,
    share_token_hash,
)

__all__ = [
    "MAX_MESSAGE_CHARACTERS",
    "TITLE_CHARACTERS",
    "create_agent",
    "create_conversation",
    "delete_conversation",
    "delete_model_credential",
    "give_feedback",
    "post_message",
    "publish_agent",
    "rename_conversation",
    "restore_agent_version",
    "revoke_conversation_share",
    "set_model_credential",
    "share_conversation",
    "share_token_hash",
    "update_agent",
]
