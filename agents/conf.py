"""Agent settings, read from the environment with Django settings able to override them
(tests shorten the timeout through the settings fixture)."""

from __future__ import annotations

import os

from django.conf import settings


def _number(name: str, default: float) -> float:
    configured = getattr(settings, name, None)
    if configured is not None:
        return float(configured)
    return float(os.environ.get(name, default))


def model_timeout_seconds() -> float:
    return _number("AGENT_MODEL_TIMEOUT_SECONDS", 60)


def model_max_retries() -> int:
    return int(_number("AGENT_MODEL_MAX_RETRIES", 2))


def max_tool_steps() -> int:
    return int(_number("AGENT_MAX_TOOL_STEPS", 4))
