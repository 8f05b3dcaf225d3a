"""The scale benchmark at toy size: its figures are well formed and it cleans up after itself."""

from __future__ import annotations

import numpy as np
import pytest

from accounts.models import User
from audit.models import AuditEvent
from benchmarks import scale
from benchmarks.scale import _sampler, run_scale_benchmark
from knowledge.models import Chunk, DataSource, DataSourceView, Document, TermStat
from workspaces.models import Group, Space, Workspace

CHUNKS = 3000


@pytest.mark.parametrize("kind", ["uniform", "low_rank"])
def test_samplers_draw_reproducible_unit_vectors(kind, monkeypatch) -> None:
    monkeypatch.setattr(scale, "_SAMPLE_BLOCK", 64)  # several blocks and a partial last one
    first = _sampler(kind, np.random.default_rng(3))(1001)
    again = _sampler(kind, np.random.default_rng(3))(1001)

    assert first.shape == (1001, 384)
    assert first.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(first, axis=1), 1.0, atol=1e-5)
    np.testing.assert_array_equal(first, again)


@pytest.mark.django_db
def test_small_run_reports_figures_and_leaves_nothing_behind() -> None:
    lines: list[str] = []

    result = run_scale_benchmark(chunks=CHUNKS, queries=5, seed=1, write=lines.append)

    assert result["chunks"] == CHUNKS
    assert result["kept"] is False
    assert result["insert_rows_per_second"] > 0
    figures = {round(row["selectivity"] * 100): row for row in result["selectivities"]}
    assert set(figures) == {1, 10, 100}
    assert {pct: row["permitted"] for pct, row in figures.items()} == {
        1: CHUNKS // 100,
        10: CHUNKS // 10,
        100: CHUNKS,
    }
    for row in figures.values():
        assert 0 < row["p50_ms"] <= row["p95_ms"]
        assert row["exact_p50_ms"] > 0
        assert row["speedup"] > 0
        assert 0.0 <= row["recall_at_10"] <= 1.0
        # The exact SQL scan agreeing with numpy proves the ground truth maps to the right rows.
        assert row["exact_recall_at_10"] == 1.0
    assert figures[100]["recall_at_10"] >= 0.9
    assert any("reader is in all 10 groups" in line for line in lines)
    assert any(line.startswith("Deleted benchmark workspace") for line in lines)

    workspace_id = result["workspace_id"]
    assert not Workspace.objects.filter(slug=result["workspace_slug"]).exists()
    for model in (
        Chunk,
        Document,
        DataSource,
        DataSourceView,
        Space,
        Group,
        TermStat,
        AuditEvent,
    ):
        assert not model.objects.filter(workspace_id=workspace_id).exists(), model.__name__
    assert not User.objects.filter(email__startswith="bench-scale-").exists()
