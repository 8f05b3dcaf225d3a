"""How an answer looks in Slack: mrkdwn text with linked citations, a Sources block, a link to
continue in the web app and feedback buttons (Block Kit)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

CITATION = re.compile(r"\[(\d+)\]")
SECTION_LIMIT = 3000  # Slack's limit for a section's text
FEEDBACK_UP = "answer_feedback_up"
FEEDBACK_DOWN = "answer_feedback_down"


@dataclass(frozen=True)
class Source:
    number: int
    title: str
    url: str


def _escape(text: str) -> str:
    """Slack mrkdwn control characters (its docs: escape &, < and >)."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _link(url: str, label: str) -> str:
    return f"<{url}|{label.replace('|', '¦')}>" if url else label


def answer_text(text: str, sources: Sequence[Source]) -> str:
    by_number = {source.number: source for source in sources}

    def cite(match: re.Match[str]) -> str:
        source = by_number.get(int(match.group(1)))
        return _link(source.url, match.group(0)) if source else match.group(0)

    return CITATION.sub(cite, _escape(text))


def _sections(text: str) -> list[dict[str, Any]]:
    chunks = [text[i : i + SECTION_LIMIT] for i in range(0, len(text), SECTION_LIMIT)] or [" "]
    return [{"type": "section", "text": {"type": "mrkdwn", "text": chunk}} for chunk in chunks]


def progress_blocks(text: str) -> list[dict[str, Any]]:
    return _sections(_escape(text) + " …")


def answer_blocks(
    *,
    text: str,
    sources: Sequence[Source],
    conversation_url: str,
    message_id: int,
    notes: Sequence[str] = (),
) -> list[dict[str, Any]]:
    blocks = _sections(answer_text(text, sources))
    if sources:
        lines = [
            f"{source.number}. {_link(source.url, _escape(source.title))}" for source in sources
        ]
        blocks.append(
            {
                "type": "context",
                "elements": [{"type": "mrkdwn", "text": "*Sources*\n" + "\n".join(lines)}],
            }
        )
    footer = [_link(conversation_url, "Continue in the web app"), *notes]
    blocks.append({"type": "context", "elements": [{"type": "mrkdwn", "text": " · ".join(footer)}]})
    blocks.append(
        {
            "type": "actions",
            "elements": [
                {
                    "type": "button",
                    "action_id": FEEDBACK_UP,
                    "text": {"type": "plain_text", "text": "👍 Helpful"},
                    "value": str(message_id),
                },
                {
                    "type": "button",
                    "action_id": FEEDBACK_DOWN,
                    "text": {"type": "plain_text", "text": "👎 Not helpful"},
                    "value": str(message_id),
                },
            ],
        }
    )
    return blocks


def failure_blocks(message: str, conversation_url: str) -> list[dict[str, Any]]:
    return [
        *_sections(f":warning: {_escape(message)}"),
        {
            "type": "context",
            "elements": [
                {"type": "mrkdwn", "text": _link(conversation_url, "Open in the web app")}
            ],
        },
    ]
