"""The answer-trust benchmark runs end to end on its demo corpus (extractive answerer)."""

from __future__ import annotations

from typing import Any

import pytest

from benchmarks.answers import run_answer_benchmark
from workspaces.models import Workspace

pytestmark = pytest.mark.django_db


def test_benchmark_reports_hit_rate_and_citation_precision(embedder: Any, monkeypatch: Any) -> None:
    monkeypatch.delenv("AGENT_BENCHMARK_MODEL", raising=False)
    lines: list[str] = []
    run_answer_benchmark(write=lines.append)
    print("\n".join(lines))
    extractive = next(line for line in lines if line.startswith("extractive"))
    figures = dict(part.split("=") for part in extractive.split()[1:])
    assert float(figures["hit@5"]) >= 0.75
    assert float(figures["citation_precision"]) >= 0.5
    assert "none configured" in lines[-1]
    assert not Workspace.objects.filter(slug__startswith="bench-answers-").exists()
