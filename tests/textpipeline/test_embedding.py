import math

import numpy as np
import pytest

from textpipeline.embedding import (
    EMBEDDING_DIMENSIONS,
    LocalMiniLMEmbeddings,
    embed_texts_batched,
    get_embeddings,
)


@pytest.fixture(scope="module")
def embedder() -> LocalMiniLMEmbeddings:
    emb = get_embeddings("local")
    assert isinstance(emb, LocalMiniLMEmbeddings)
    return emb


def _cos(a: list[float], b: list[float]) -> float:
    return float(np.dot(a, b))


def test_loads_offline_and_returns_unit_vectors(embedder, monkeypatch):
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    vectors = embedder.embed_documents(["The cat sat on the mat.", "Quarterly revenue grew."])
    assert len(vectors) == 2
    for vec in vectors:
        assert len(vec) == EMBEDDING_DIMENSIONS
        assert all(isinstance(x, float) for x in vec)
        assert math.isclose(float(np.linalg.norm(vec)), 1.0, rel_tol=1e-5)
    query = embedder.embed_query("Where did the cat sit?")
    assert len(query) == EMBEDDING_DIMENSIONS
    assert math.isclose(float(np.linalg.norm(query)), 1.0, rel_tol=1e-5)


def test_exposes_tokenizer_and_window(embedder):
    assert embedder.max_tokens == 256
    assert embedder.tokenizer.tokenize("hello world") == ["hello", "world"]


def test_semantic_similarity_ranks_related_text_higher(embedder):
    query = embedder.embed_query("How do I reset my password?")
    close, unrelated = embedder.embed_documents(
        [
            "To change a forgotten password, use the 'Forgot password' link on the login page.",
            "The annual company picnic will be held at the lake in June.",
        ]
    )
    assert _cos(query, close) > _cos(query, unrelated) + 0.2


def test_batching_matches_one_by_one(embedder):
    texts = [
        "short",
        "A somewhat longer sentence about vacation policy and approvals.",
        "Servers are patched every second Tuesday of the month by the infra team.",
        "x " * 300,  # longer than the window: truncation must not depend on batch peers
        "Expense reports above 500 EUR need a manager's sign-off.",
    ]
    single = [embedder.embed_query(t) for t in texts]
    seen: list[int] = []
    batched = embed_texts_batched(embedder, texts, batch_size=2, on_batch=seen.append)
    assert seen == [2, 2, 1]
    np.testing.assert_allclose(np.array(batched), np.array(single), atol=1e-5)
    np.testing.assert_allclose(
        np.array(embedder.embed_documents(texts)), np.array(single), atol=1e-5
    )


def test_empty_inputs(embedder):
    assert embedder.embed_documents([]) == []
    assert embed_texts_batched(embedder, []) == []


def test_local_is_a_process_singleton(embedder, monkeypatch):
    monkeypatch.delenv("EMBEDDING_MODEL", raising=False)
    assert get_embeddings() is embedder
    monkeypatch.setenv("EMBEDDING_MODEL", "local")
    assert get_embeddings() is embedder
    # Separate instances must not load a second copy of the weights.
    assert LocalMiniLMEmbeddings().model is embedder.model


@pytest.mark.parametrize("spec", ["bogus", "openai", "openai:", "huggingface:foo", ""])
def test_unknown_spec_raises_clear_error(spec, monkeypatch):
    monkeypatch.delenv("EMBEDDING_MODEL", raising=False)
    if spec == "":
        # Empty env value means "unset" -> default local; an explicit empty spec is invalid.
        with pytest.raises(ValueError, match="openai:<model>"):
            get_embeddings("   ")
        return
    with pytest.raises(ValueError, match=r'"local".*"openai:<model>"'):
        get_embeddings(spec)


def test_env_spec_is_used(monkeypatch):
    monkeypatch.setenv("EMBEDDING_MODEL", "bogus")
    with pytest.raises(ValueError, match="bogus"):
        get_embeddings()


def test_openai_spec_builds_client_without_network(monkeypatch):
    pytest.importorskip("langchain_openai")
    monkeypatch.setenv("EMBEDDING_API_KEY", "sk-test")
    monkeypatch.setenv("EMBEDDING_BASE_URL", "http://localhost:9/v1")
    emb = get_embeddings("openai:text-embedding-3-small")
    assert emb.model == "text-embedding-3-small"
    assert emb.dimensions == EMBEDDING_DIMENSIONS
    assert emb.openai_api_base == "http://localhost:9/v1"


def test_openai_spec_without_key_or_base_url_fails_clearly(monkeypatch):
    pytest.importorskip("langchain_openai")
    for var in ("EMBEDDING_API_KEY", "OPENAI_API_KEY", "EMBEDDING_BASE_URL"):
        monkeypatch.delenv(var, raising=False)
    with pytest.raises(ValueError, match="OPENAI_API_KEY"):
        get_embeddings("openai:text-embedding-3-small")
