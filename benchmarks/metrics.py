"""Retrieval metrics matching BEIR / pytrec_eval conventions.

A *run* maps query id -> ranked doc ids (best first). *qrels* map query id -> {doc id: grade}.
Averages are taken over every judged query with at least one relevant document, and a
query absent from the run scores 0 (``trec_eval -c``): a system that silently skips hard
queries must not look better for it. Queries present only in the run are ignored.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence

__all__ = ["ndcg_at_k", "percentile", "recall_at_k", "reciprocal_rank_fusion"]

Run = Mapping[str, Sequence[str]]
Qrels = Mapping[str, Mapping[str, int]]


def _dedupe(ranking: Iterable[str], k: int | None = None) -> list[str]:
    # A doc retrieved twice (e.g. two chunks of one document) may only earn gain once.
    seen: set[str] = set()
    out: list[str] = []
    for doc_id in ranking:
        if doc_id in seen:
            continue
        seen.add(doc_id)
        out.append(doc_id)
        if k is not None and len(out) >= k:
            break
    return out


def _judged_queries(qrels: Qrels) -> list[str]:
    return [qid for qid, rels in qrels.items() if any(g > 0 for g in rels.values())]


def _check_k(k: int) -> None:
    if k <= 0:
        raise ValueError(f"k must be positive, got {k}")


def _dcg(gains: Iterable[float]) -> float:
    return sum(g / math.log2(rank + 1) for rank, g in enumerate(gains, start=1))


def ndcg_at_k(run: Run, qrels: Qrels, k: int = 10) -> float:
    """Mean nDCG@k with linear graded gain and log2(rank + 1) discount (pytrec_eval ndcg_cut)."""
    _check_k(k)
    qids = _judged_queries(qrels)
    if not qids:
        return 0.0
    total = 0.0
    for qid in qids:
        rels = qrels[qid]
        ideal = _dcg(sorted((g for g in rels.values() if g > 0), reverse=True)[:k])
        ranked = _dedupe(run.get(qid, ()), k)
        total += _dcg(max(rels.get(d, 0), 0) for d in ranked) / ideal
    return total / len(qids)


def recall_at_k(run: Run, qrels: Qrels, k: int = 100) -> float:
    """Mean fraction of each query's relevant docs found in its top k (pytrec_eval recall_k)."""
    _check_k(k)
    qids = _judged_queries(qrels)
    if not qids:
        return 0.0
    total = 0.0
    for qid in qids:
        relevant = {d for d, g in qrels[qid].items() if g > 0}
        hits = sum(1 for d in _dedupe(run.get(qid, ()), k) if d in relevant)
        total += hits / len(relevant)
    return total / len(qids)


def reciprocal_rank_fusion(
    rankings: Sequence[Sequence[str]],
    k: int = 60,
    weights: Sequence[float] | None = None,
) -> list[str]:
    """Fuse ranked lists by sum of ``weight / (k + rank)`` with 1-based ranks (Cormack et al.).

    Ties keep the order in which documents were first seen, so fusion is deterministic.
    """
    if k < 0:
        raise ValueError(f"k must be non-negative, got {k}")
    if weights is None:
        weights = [1.0] * len(rankings)
    elif len(weights) != len(rankings):
        raise ValueError(f"got {len(weights)} weights for {len(rankings)} rankings")
    if any(w < 0 for w in weights):
        raise ValueError("weights must be non-negative")

    scores: dict[str, float] = {}
    for ranking, weight in zip(rankings, weights, strict=True):
        for rank, doc_id in enumerate(_dedupe(ranking), start=1):
            scores[doc_id] = scores.get(doc_id, 0.0) + weight / (k + rank)
    # dicts keep insertion order and sorted() is stable, which gives first-seen tie-breaking.
    return sorted(scores, key=lambda d: scores[d], reverse=True)


def percentile(values: Iterable[float], p: float) -> float:
    """The p-th percentile (0..100) with linear interpolation, as numpy's default method."""
    if not 0 <= p <= 100:
        raise ValueError(f"p must be within [0, 100], got {p}")
    data = sorted(values)
    if not data:
        raise ValueError("percentile of an empty sequence")
    pos = (len(data) - 1) * p / 100
    lo = math.floor(pos)
    hi = min(lo + 1, len(data) - 1)
    return data[lo] + (data[hi] - data[lo]) * (pos - lo)
