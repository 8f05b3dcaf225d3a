"""Answer trust on the demo corpus: hit@5 of the supporting passage, and citation precision
(the fraction of cited passages that come from a supporting document)."""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from django.db import transaction
from langchain_core.language_models import BaseChatModel

from accounts.models import User
from agents.providers import build_chat_model
from agents.runtime import AgentRunError, FinishedEvent, RunRequest, run_agent
from benchmarks.answer_corpus import DOCUMENTS, QUESTIONS, BenchQuestion
from connectors.documents import DocumentInput
from knowledge.ingestion import ingest_documents
from knowledge.models import DataSourceView, Document
from knowledge.selectors import search_chunks
from knowledge.services import create_folder
from workspaces.models import Membership, Workspace
from workspaces.services import create_workspace

HIT_DEPTH = 5


@dataclass
class AnswerScores:
    questions: int = 0
    hits: int = 0
    cited: int = 0
    cited_supporting: int = 0
    failures: int = 0

    @property
    def hit_at_5(self) -> float:
        return self.hits / self.questions if self.questions else 0.0

    @property
    def citation_precision(self) -> float:
        return self.cited_supporting / self.cited if self.cited else 0.0


def score_answers(
    *,
    asker: Membership,
    views: Sequence[DataSourceView],
    questions: Sequence[BenchQuestion],
    chat_model: BaseChatModel | None,
) -> AnswerScores:
    external_ids = dict(
        Document.objects.filter(workspace_id=asker.workspace_id).values_list("id", "external_id")
    )
    scores = AnswerScores()
    for question in questions:
        scores.questions += 1
        hits = search_chunks(actor=asker, views=list(views), query=question.question, k=HIT_DEPTH)
        passages = [hit.document_id for hit in hits for _ in hit.passages][:HIT_DEPTH]
        scores.hits += any(external_ids.get(d) == question.supporting for d in passages)
        request = RunRequest(asker=asker, views=views, question=question.question)
        try:
            finished = [e for e in run_agent(request, chat_model) if isinstance(e, FinishedEvent)]
        except AgentRunError:
            scores.failures += 1
            continue
        for passage in finished[-1].citations:
            scores.cited += 1
            supporting = external_ids.get(passage.document_id or 0) == question.supporting
            scores.cited_supporting += supporting
    return scores


def _benchmark_model() -> BaseChatModel | None:
    model_id = os.environ.get("AGENT_BENCHMARK_MODEL", "")
    if not model_id:
        return None
    return build_chat_model(
        model_id=model_id,
        api_key=os.environ.get("AGENT_BENCHMARK_API_KEY", ""),
        base_url=os.environ.get("AGENT_BENCHMARK_BASE_URL", ""),
        temperature=0.0,
    )


def _report(label: str, scores: AnswerScores, write: Callable[[str], None]) -> None:
    write(
        f"{label:<12} questions={scores.questions} hit@5={scores.hit_at_5:.2f} "
        f"citation_precision={scores.citation_precision:.2f} cited={scores.cited} "
        f"failures={scores.failures}"
    )


def run_answer_benchmark(*, write: Callable[[str], None], keep: bool = False) -> None:
    suffix = uuid.uuid4().hex[:8]
    with transaction.atomic():
        user = User.objects.create_user(email=f"bench-{suffix}@answers.invalid", password=None)
        workspace = create_workspace(
            name="Answer benchmark", creator=user, slug=f"bench-answers-{suffix}"
        )
    asker = Membership.objects.select_related("workspace", "user").get(workspace=workspace)
    try:
        view = create_folder(
            actor=asker, space_id=workspace.spaces.get().id, name="Benchmark handbook"
        )
        ingest_documents(
            data_source=view.data_source,
            documents=[DocumentInput(d.external_id, d.title, d.text) for d in DOCUMENTS],
        )
        write(f"corpus: {len(DOCUMENTS)} documents, {len(QUESTIONS)} questions")
        extractive = score_answers(asker=asker, views=[view], questions=QUESTIONS, chat_model=None)
        _report("extractive", extractive, write)
        model = _benchmark_model()
        if model is None:
            write(
                "model: none configured (set AGENT_BENCHMARK_MODEL, e.g. openai:gpt-4o-mini, "
                "with AGENT_BENCHMARK_API_KEY and optionally AGENT_BENCHMARK_BASE_URL)"
            )
        else:
            scores = score_answers(asker=asker, views=[view], questions=QUESTIONS, chat_model=model)
            _report(os.environ["AGENT_BENCHMARK_MODEL"], scores, write)
    finally:
        if not keep:
            Workspace.objects.filter(id=workspace.id).delete()
            user.delete()
