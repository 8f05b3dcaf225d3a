from __future__ import annotations

from typing import Any

import pytest

from textpipeline.embedding import get_embeddings


@pytest.fixture(scope="session")
def embedder() -> Any:
    return get_embeddings("local")


@pytest.fixture(autouse=True)
def quick_model_calls(settings: Any) -> None:
    # As in tests/agents: the answer benchmark's model calls (when one is set) fail fast.
    settings.AGENT_MODEL_TIMEOUT_SECONDS = 5
    settings.AGENT_MODEL_MAX_RETRIES = 0
