"""The LangChain runtime: a tool-calling loop that streams tokens and numbered citations,
and the extractive answerer used when no model is configured.

Plain Python over a chat model and the asker's membership; the conversation rows are
written by agents.services around it.
"""

from __future__ import annotations

import logging
import math
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from langchain_core.language_models import BaseChatModel
from langchain_core.messages import (
    AIMessage,
    AIMessageChunk,
    BaseMessage,
    HumanMessage,
    SystemMessage,
    ToolMessage,
)

from agents import conf
from agents.tools import (
    AttachmentSearch,
    PassageRegistry,
    SourcePassage,
    attachment_passages,
    build_tools,
    search_passages,
)
from common.outbound import outbound_error_in
from knowledge.models import DataSourceView
from workspaces.models import Membership

logger = logging.getLogger(__name__)

NO_MODEL_NOTE = (
    "No language model is configured for this agent, so this answer quotes the most relevant "
    "passages from its sources. An admin can add a model key under model credentials."
)
EXTRACTIVE_DOCUMENTS = 3
EXTRACTIVE_SENTENCES = 2
CITATION_PATTERN = re.compile(r"\[(\d+(?:\s*,\s*\d+)*)\]")
WORD_PATTERN = re.compile(r"[a-z0-9]+")
SENTENCE_END = re.compile(r"(?<=[.!?])\s+")
# Words too common to tell passages apart when picking what to quote.
STOP_WORDS = frozenset(
    re.findall(
        r"\w+",
        "a an and are as at be by can do does for from how i in is it my of on or the to we "
        "what when where which who why will with you your",
    )
)

CITING_RULES = (
    "Answer from the company's documents. Use the tools to find passages; each passage has a "
    "number. Cite every claim with the passage numbers in square brackets, like [1] or [2][3]. "
    "Cite only numbers the tools gave you. If the passages do not answer the question, say so "
    "plainly instead of guessing."
)


class AgentRunError(Exception):
    """A failure the asker should read in the conversation, with what to do next."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass(frozen=True)
class TokenEvent:
    text: str


@dataclass(frozen=True)
class CitationEvent:
    passage: SourcePassage


@dataclass(frozen=True)
class FinishedEvent:
    text: str
    citations: list[SourcePassage]
    used_model: bool


RunEvent = TokenEvent | CitationEvent | FinishedEvent


@dataclass
class CitationTracker:
    """Finds [n] references in the growing answer; unknown numbers are dropped, so a model
    cannot cite a passage the tools never showed it."""

    registry: PassageRegistry
    cited: list[SourcePassage] = field(default_factory=list)

    def feed(self, text: str) -> list[SourcePassage]:
        seen = {passage.number for passage in self.cited}
        found = []
        for match in CITATION_PATTERN.finditer(text):
            for number_text in match.group(1).split(","):
                passage = self.registry.get(int(number_text))
                if passage is not None and passage.number not in seen:
                    seen.add(passage.number)
                    found.append(passage)
        self.cited.extend(found)
        return found


@dataclass(frozen=True)
class RunRequest:
    asker: Membership
    views: Sequence[DataSourceView]
    question: str
    instructions: str = ""
    tool_names: Sequence[str] = ("search",)
    history: Sequence[tuple[str, str]] = ()  # (role "user" | "agent", text), oldest first
    # Others who will see the answer; reads are limited to what each of them may open.
    audience: Sequence[Membership] = ()
    # The files attached to the conversation, searched beside the agent's sources.
    search_attachments: AttachmentSearch | None = None


def run_agent(request: RunRequest, chat_model: BaseChatModel | None) -> Iterator[RunEvent]:
    if chat_model is None:
        yield from extractive_answer(request)
    else:
        yield from model_answer(request, chat_model)


def _words(text: str) -> set[str]:
    return set(WORD_PATTERN.findall(text.lower()))


def best_sentences(text: str, question: str, count: int = EXTRACTIVE_SENTENCES) -> str:
    sentences = [s.strip() for s in SENTENCE_END.split(" ".join(text.split())) if s.strip()]
    wanted = _words(question)
    ranked = sorted(range(len(sentences)), key=lambda i: (-len(_words(sentences[i]) & wanted), i))[
        :count
    ]
    return " ".join(sentences[i] for i in sorted(ranked))


def _stream_words(text: str) -> Iterator[str]:
    yield from re.findall(r"\S+\s*|\s+", text)


def _overlap(passage: SourcePassage, question: str) -> int:
    return len((_words(question) - STOP_WORDS) & _words(passage.text))


def _on_topic(passages: list[SourcePassage], question: str) -> list[SourcePassage]:
    """The best passage, and the others that share nearly as many of the question's words:
    retrieval always returns k passages, but quoting unrelated ones misleads."""
    if not passages:
        return []
    best = _overlap(passages[0], question)
    return [passages[0]] + [
        p for p in passages[1:] if _overlap(p, question) >= max(1, math.ceil(0.6 * best))
    ]


def _without_title(passage: SourcePassage) -> str:
    # Chunks carry their title in front for retrieval; the quote already names it.
    text = passage.text.lstrip()
    if text.startswith(passage.title):
        text = text[len(passage.title) :].lstrip(" :\n")
    # A Markdown document often opens with its title again as a heading.
    return re.sub(rf"^#+\s*{re.escape(passage.title)}\s*", "", text)


def extractive_answer(request: RunRequest) -> Iterator[RunEvent]:
    registry = PassageRegistry()
    passages = search_passages(
        asker=request.asker,
        views=request.views,
        query=request.question,
        registry=registry,
        k=EXTRACTIVE_DOCUMENTS,
        passages_per_hit=1,
        audience=request.audience,
    )
    attached = (
        attachment_passages(
            search=request.search_attachments,
            query=request.question,
            registry=registry,
            k=EXTRACTIVE_DOCUMENTS,
        )
        if request.search_attachments is not None
        else []
    )
    if attached:
        # Attached files and the agent's sources compete on the same footing: the passages
        # sharing most of the question's words lead (stable, so ties keep retrieval's order).
        passages = sorted(attached + passages, key=lambda p: -_overlap(p, request.question))
    passages = _on_topic(passages, request.question)
    if not passages:
        text = (
            f"{NO_MODEL_NOTE}\n\nI found nothing in this agent's sources that you can open about "
            "this. Try other words, or ask a builder to add the right data to the agent."
        )
    else:
        quotes = [
            f"[{p.number}] {p.title}: {best_sentences(_without_title(p), request.question)}"
            for p in passages
        ]
        text = NO_MODEL_NOTE + "\n\n" + "\n\n".join(quotes)
    tracker = CitationTracker(registry)
    streamed = ""
    for piece in _stream_words(text):
        streamed += piece
        yield TokenEvent(piece)
        for passage in tracker.feed(streamed):
            yield CitationEvent(passage)
    yield FinishedEvent(text, tracker.cited, used_model=False)


def _conversation(request: RunRequest, has_tools: bool) -> list[BaseMessage]:
    system = "\n\n".join(part for part in (request.instructions.strip(), CITING_RULES) if part)
    if not has_tools:
        system += "\n\nThis agent has no tools: say that it has no sources to cite."
    if request.search_attachments is not None:
        system += (
            "\n\nThe asker attached files to this conversation: search them with "
            "search_attached_files when the question may be about them."
        )
    messages: list[BaseMessage] = [SystemMessage(system)]
    for role, text in request.history:
        messages.append(HumanMessage(text) if role == "user" else AIMessage(text))
    messages.append(HumanMessage(request.question))
    return messages


def model_answer(request: RunRequest, chat_model: BaseChatModel) -> Iterator[RunEvent]:
    registry = PassageRegistry()
    tools = build_tools(
        asker=request.asker,
        views=request.views,
        tool_names=request.tool_names,
        registry=registry,
        audience=request.audience,
        search_attachments=request.search_attachments,
    )
    tools_by_name = {tool.name: tool for tool in tools}
    messages = _conversation(request, has_tools=bool(tools))
    with_tools = chat_model.bind_tools(tools) if tools else chat_model
    tracker = CitationTracker(registry)
    answer = ""
    steps = conf.max_tool_steps()
    for step in range(steps + 1):
        last_step = step == steps or not tools
        if step == steps and tools:
            messages.append(
                HumanMessage("You have used all your tool calls. Answer now from what you found.")
            )
        gathered: AIMessageChunk | None = None
        for chunk in _stream(chat_model if last_step else with_tools, messages):
            gathered = chunk if gathered is None else gathered + chunk
            piece = chunk.text
            if piece:
                answer += piece
                yield TokenEvent(piece)
                for passage in tracker.feed(answer):
                    yield CitationEvent(passage)
        if gathered is None or not gathered.tool_calls or last_step:
            break
        messages.append(AIMessage(content=gathered.content, tool_calls=gathered.tool_calls))
        for call in gathered.tool_calls:
            tool = tools_by_name.get(call["name"])
            result = (
                tool.invoke(call["args"])
                if tool is not None
                else f"There is no tool named {call['name']}; use one of {sorted(tools_by_name)}."
            )
            messages.append(ToolMessage(content=str(result), tool_call_id=call["id"] or ""))
    if not answer.strip():
        raise AgentRunError(
            "empty_answer",
            "The model returned an empty answer. Your question is saved; ask again, or rephrase.",
        )
    yield FinishedEvent(answer, tracker.cited, used_model=True)


def _stream(model: Any, messages: list[BaseMessage]) -> Iterator[AIMessageChunk]:
    try:
        yield from model.stream(messages)
    except AgentRunError:
        raise
    except Exception as error:
        raise explain_model_error(error) from error


def _retry_after(error: Exception) -> str:
    response = getattr(error, "response", None)
    headers = getattr(response, "headers", None) or {}
    value = headers.get("retry-after") if hasattr(headers, "get") else None
    return f" It asked to wait {value} s." if value else ""


def explain_model_error(error: Exception) -> AgentRunError:
    """Provider errors, by the names every provider SDK uses, as a message saying what to do."""
    names = " ".join(cls.__name__ for cls in type(error).__mro__)
    saved = "Your question is saved"
    refused = outbound_error_in(error)
    if refused is not None:
        return AgentRunError(f"model_{refused.code}", f"{refused.message} {saved}.")
    if "Timeout" in names:
        return AgentRunError(
            "model_timeout",
            f"The model provider did not answer within {conf.model_timeout_seconds():g} s. "
            f"{saved}; ask again in a moment. If it keeps happening, ask an admin to check the "
            "provider or raise AGENT_MODEL_TIMEOUT_SECONDS.",
        )
    if "RateLimit" in names or getattr(error, "status_code", None) == 429:
        return AgentRunError(
            "model_rate_limited",
            f"The model provider is rate limiting this workspace.{_retry_after(error)} {saved}; "
            "ask again shortly, or ask an admin to raise the provider's limits.",
        )
    if "Authentication" in names or "PermissionDenied" in names:
        return AgentRunError(
            "model_credentials_rejected",
            f"The model provider rejected this workspace's key. {saved}; ask an admin to set a "
            "valid key under model credentials.",
        )
    if "Connection" in names:
        return AgentRunError(
            "model_unreachable",
            f"The model provider could not be reached. {saved}; ask again in a moment, or ask "
            "an admin to check the provider's address.",
        )
    logger.warning("model call failed: %r", error)
    status = getattr(error, "status_code", None)
    detail = f" (HTTP {status})" if status else ""
    return AgentRunError(
        "model_failed",
        # Never the provider's own words: what a server answered is not shown (common.outbound).
        f"The model provider failed{detail}. {saved}; ask again, and tell an admin if it keeps "
        "failing.",
    )
