"""Lexical BM25 baseline (bm25s) that every retrieval change is measured against.

Defaults mirror the bm25s reference BEIR setup (Lucene BM25, k1=1.5, b=0.75, English
stopwords, Snowball English stemmer), whose published SciFact nDCG@10 is about 0.66.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import bm25s

from benchmarks.beir import BeirDoc

try:
    import Stemmer
except ImportError:  # pragma: no cover - exercised only where PyStemmer is absent
    Stemmer = None

__all__ = ["Bm25Baseline"]


def _english_stemmer() -> Callable[..., Any] | None:
    # Without stemming SciFact drops a few nDCG points; keep working, just less well.
    if Stemmer is None:
        return None
    stemmer: Callable[..., Any] = Stemmer.Stemmer("english").stemWords
    return stemmer


class Bm25Baseline:
    """BM25 over ``title + " " + text`` of each document."""

    def __init__(
        self,
        corpus: Mapping[str, BeirDoc | str],
        *,
        k1: float = 1.5,
        b: float = 0.75,
        method: str = "lucene",
        stem: bool = True,
    ) -> None:
        if not corpus:
            raise ValueError("cannot build a BM25 index over an empty corpus")
        self.doc_ids: list[str] = list(corpus)
        texts = [d.full_text if isinstance(d, BeirDoc) else d for d in corpus.values()]
        self._stemmer = _english_stemmer() if stem else None
        self._retriever = bm25s.BM25(k1=k1, b=b, method=method)
        self._retriever.index(self._tokenize(texts, return_ids=True), show_progress=False)

    @property
    def stemmed(self) -> bool:
        return self._stemmer is not None

    def _tokenize(self, texts: list[str], *, return_ids: bool) -> Any:
        return bm25s.tokenize(
            texts,
            stopwords="en",
            stemmer=self._stemmer,
            return_ids=return_ids,
            show_progress=False,
        )

    def search(self, query: str, k: int = 10) -> list[tuple[str, float]]:
        return self.search_many({"q": query}, k)["q"]

    def search_many(
        self, queries: Mapping[str, str], k: int = 10
    ) -> dict[str, list[tuple[str, float]]]:
        """Top-k ``(doc_id, score)`` per query id, best first; docs with no term overlap are
        left out rather than padded in arbitrary order."""
        if k <= 0:
            raise ValueError(f"k must be positive, got {k}")
        if not queries:
            return {}
        qids = list(queries)
        # String tokens (not ids) so they are looked up in the index vocabulary; terms the
        # corpus never saw are dropped by bm25s instead of raising.
        tokens = self._tokenize([queries[q] for q in qids], return_ids=False)
        top = min(k, len(self.doc_ids))
        docs, scores = self._retriever.retrieve(tokens, k=top, show_progress=False)
        results: dict[str, list[tuple[str, float]]] = {}
        for qid, idx_row, score_row in zip(qids, docs, scores, strict=True):
            results[qid] = [
                (self.doc_ids[int(i)], float(s))
                for i, s in zip(idx_row, score_row, strict=True)
                if s > 0
            ]
        return results
