import json
import math
from pathlib import Path

import pytest

from benchmarks.beir import BeirDoc, load_beir
from benchmarks.bm25_baseline import Bm25Baseline
from benchmarks.metrics import (
    ndcg_at_k,
    percentile,
    recall_at_k,
    reciprocal_rank_fusion,
)

# --- nDCG -----------------------------------------------------------------------------------


def test_ndcg_perfect_ranking_is_one() -> None:
    qrels = {"q1": {"a": 1, "b": 1}}
    assert ndcg_at_k({"q1": ["a", "b", "x"]}, qrels, k=10) == pytest.approx(1.0)


def test_ndcg_graded_relevance_hand_computed() -> None:
    qrels = {"q1": {"a": 3, "b": 1, "c": 0}}
    # Less relevant doc first: DCG = 1/log2(2) + 3/log2(3); ideal = 3/log2(2) + 1/log2(3).
    expected = (1 + 3 / math.log2(3)) / (3 + 1 / math.log2(3))
    assert ndcg_at_k({"q1": ["b", "a", "c"]}, qrels, k=10) == pytest.approx(expected)
    assert expected == pytest.approx(0.796708, abs=1e-6)


def test_ndcg_cutoff_and_ideal_from_qrels() -> None:
    qrels = {"q1": {"a": 1, "b": 1}}
    # Only "a" fits under k=1; the ideal also stops at k, so this is still perfect.
    assert ndcg_at_k({"q1": ["a", "b"]}, qrels, k=1) == pytest.approx(1.0)
    # The relevant doc is just past the cutoff.
    assert ndcg_at_k({"q1": ["x", "a"]}, qrels, k=1) == 0.0
    # One of two relevant docs, found at rank 2.
    expected = (1 / math.log2(3)) / (1 + 1 / math.log2(3))
    assert ndcg_at_k({"q1": ["x", "a"]}, qrels, k=10) == pytest.approx(expected)


def test_ndcg_missing_query_scores_zero_and_unjudged_queries_ignored() -> None:
    qrels = {"q1": {"a": 1}, "q2": {"b": 1}, "q3": {"c": 0}}
    run = {"q1": ["a"], "extra": ["z"]}
    # q2 is missing from the run (counts 0), q3 has no relevant doc, "extra" has no judgements.
    assert ndcg_at_k(run, qrels, k=10) == pytest.approx(0.5)


def test_ndcg_duplicate_hits_earn_gain_once() -> None:
    qrels = {"q1": {"a": 1, "b": 1}}
    ideal = 1 + 1 / math.log2(3)
    assert ndcg_at_k({"q1": ["a", "a", "b"]}, qrels, k=10) == pytest.approx(1.0)
    assert ndcg_at_k({"q1": ["a", "a"]}, qrels, k=10) == pytest.approx(1 / ideal)


def test_ndcg_rejects_bad_k() -> None:
    with pytest.raises(ValueError):
        ndcg_at_k({}, {"q": {"a": 1}}, k=0)


# --- Recall ---------------------------------------------------------------------------------


def test_recall_at_k() -> None:
    qrels = {"q1": {"a": 1, "b": 2, "c": 1, "n": 0}, "q2": {"d": 1}}
    run = {"q1": ["a", "x", "c", "b"], "q2": ["d"]}
    # q1: 2 of 3 relevant within k=3 ("n" is judged non-relevant and does not count).
    assert recall_at_k(run, qrels, k=3) == pytest.approx((2 / 3 + 1) / 2)
    assert recall_at_k(run, qrels, k=100) == pytest.approx(1.0)
    assert recall_at_k({"q1": ["a", "b", "c"]}, qrels, k=100) == pytest.approx(0.5)


# --- RRF ------------------------------------------------------------------------------------


def test_rrf_ordering() -> None:
    fused = reciprocal_rank_fusion([["a", "b", "c"], ["b", "c", "a"]], k=60)
    # b = 1/62 + 1/61, a = 1/61 + 1/63, c = 1/63 + 1/62.
    assert fused == ["b", "a", "c"]


def test_rrf_union_and_tie_break_by_first_seen() -> None:
    fused = reciprocal_rank_fusion([["a", "c"], ["b", "d"]], k=60)
    assert fused == ["a", "b", "c", "d"]


def test_rrf_weights() -> None:
    rankings = [["a", "b"], ["b", "a"]]
    assert reciprocal_rank_fusion(rankings, weights=[1.0, 0.0]) == ["a", "b"]
    assert reciprocal_rank_fusion(rankings, weights=[1.0, 3.0]) == ["b", "a"]
    with pytest.raises(ValueError):
        reciprocal_rank_fusion(rankings, weights=[1.0])
    with pytest.raises(ValueError):
        reciprocal_rank_fusion(rankings, weights=[1.0, -1.0])


def test_rrf_small_k_favours_top_ranks() -> None:
    rankings = [["a", "b", "c"], ["c", "b", "a"], ["b", "a", "c"]]
    # k=0 makes rank 1 dominate: b = 1/2 + 1/2 + 1 = 2.0 beats a = 1 + 1/3 + 1/2 = 1.83.
    assert reciprocal_rank_fusion(rankings, k=0)[0] == "b"
    assert reciprocal_rank_fusion([], k=60) == []


# --- percentile -----------------------------------------------------------------------------


def test_percentile_linear_interpolation() -> None:
    values = [4.0, 1.0, 3.0, 2.0]
    assert percentile(values, 0) == 1.0
    assert percentile(values, 50) == pytest.approx(2.5)
    assert percentile(values, 90) == pytest.approx(3.7)
    assert percentile(values, 100) == 4.0
    assert percentile([7.0], 95) == 7.0
    with pytest.raises(ValueError):
        percentile([], 50)
    with pytest.raises(ValueError):
        percentile(values, 101)


# --- BEIR loader ----------------------------------------------------------------------------


def _write_beir(root: Path) -> None:
    corpus = [
        {"_id": "d1", "title": "Solar panels", "text": "Photovoltaic cells convert sunlight."},
        {"_id": "d2", "title": "", "text": "Wind turbines generate electricity."},
        {"_id": "d3", "title": "Coffee", "text": "Espresso is brewed under pressure."},
    ]
    queries = [
        {"_id": "q1", "text": "how do solar panels work"},
        {"_id": "q2", "text": "wind power"},
        {"_id": "q3", "text": "unjudged query"},
    ]
    root.mkdir(parents=True, exist_ok=True)
    (root / "corpus.jsonl").write_text("\n".join(json.dumps(d) for d in corpus) + "\n")
    (root / "queries.jsonl").write_text("\n".join(json.dumps(q) for q in queries) + "\n")
    (root / "qrels").mkdir()
    (root / "qrels" / "test.tsv").write_text(
        "query-id\tcorpus-id\tscore\nq1\td1\t2\nq2\td2\t1\nq2\td3\t0\nq9\td1\t1\n"
    )


def test_load_beir(tmp_path: Path) -> None:
    _write_beir(tmp_path / "tiny")
    ds = load_beir(tmp_path / "tiny")
    assert ds.name == "tiny"
    assert set(ds.corpus) == {"d1", "d2", "d3"}
    assert ds.corpus["d1"] == BeirDoc("d1", "Solar panels", "Photovoltaic cells convert sunlight.")
    assert ds.corpus["d2"].full_text == "Wind turbines generate electricity."
    # q3 has no judgements; q9 has judgements but no query text.
    assert ds.queries == {"q1": "how do solar panels work", "q2": "wind power"}
    assert ds.qrels == {"q1": {"d1": 2}, "q2": {"d2": 1, "d3": 0}}


def test_load_beir_missing_files(tmp_path: Path) -> None:
    _write_beir(tmp_path / "tiny")
    (tmp_path / "tiny" / "qrels" / "test.tsv").unlink()
    with pytest.raises(FileNotFoundError, match=r"qrels/test\.tsv"):
        load_beir(tmp_path / "tiny")
    with pytest.raises(FileNotFoundError, match=r"corpus\.jsonl"):
        load_beir(tmp_path / "does-not-exist")
    with pytest.raises(FileNotFoundError, match=r"qrels/dev\.tsv"):
        load_beir(tmp_path / "tiny", split="dev")


# --- BM25 baseline --------------------------------------------------------------------------


def test_bm25_ranks_matching_doc_first(tmp_path: Path) -> None:
    _write_beir(tmp_path / "tiny")
    ds = load_beir(tmp_path / "tiny")
    bm = Bm25Baseline(ds.corpus)

    hits = bm.search("solar panel", k=10)
    assert hits[0][0] == "d1"
    # Docs sharing no term with the query are not returned.
    assert [d for d, _ in hits] == ["d1"]
    assert hits[0][1] > 0

    many = bm.search_many({"a": "espresso brewing", "b": "turbines", "c": "zebra"}, k=2)
    assert many["a"][0][0] == "d3"
    assert many["b"][0][0] == "d2"
    assert many["c"] == []

    run = {q: [d for d, _ in h] for q, h in bm.search_many(ds.queries, k=3).items()}
    assert ndcg_at_k(run, ds.qrels, k=10) == pytest.approx(1.0)


def test_bm25_accepts_plain_strings() -> None:
    bm = Bm25Baseline({"x": "kubernetes cluster upgrade", "y": "quarterly sales report"})
    assert bm.search("sales", k=5)[0][0] == "y"
    with pytest.raises(ValueError):
        Bm25Baseline({})
