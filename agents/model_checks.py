"""Checking a workspace's model key: one small real call through the provider's LangChain
client, and the model list of an OpenAI-style server (GET /models), for the admin console
and the agent builder.

Nothing here writes, so nothing is audited. Every failure becomes a sentence saying what to
do; what the remote server answered is never repeated (DESIGN.md, trust boundary: remote
bodies are not echoed), only its HTTP status.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from agents import conf
from agents.models import ModelProvider, ModelProviderCredential
from agents.providers import ModelUnavailable, build_chat_model
from common.crypto import CredentialUnreadable, decrypt
from common.errors import InvalidInput, NotFound
from common.outbound import outbound_error_in
from workspaces.access import access_role
from workspaces.models import Membership, Role

logger = logging.getLogger(__name__)

# A test answers within seconds or says it did not: an admin is waiting on the page.
CHECK_TIMEOUT_SECONDS = 10.0
# The model a test asks for one token, where the provider lists no models to check with.
DEFAULT_CHECK_MODELS = {
    ModelProvider.OPENAI: "gpt-4o-mini",
    ModelProvider.ANTHROPIC: "claude-3-5-haiku-latest",
    ModelProvider.GOOGLE: "gemini-2.0-flash",
    ModelProvider.MISTRAL: "mistral-small-latest",
}
LISTS_MODELS = frozenset({ModelProvider.OPENAI, ModelProvider.OPENAI_COMPATIBLE})
MAX_LISTED_MODELS = 500


@dataclass(frozen=True)
class CheckResult:
    ok: bool
    message: str
    latency_ms: int
    models: list[str] | None = None


@dataclass(frozen=True)
class ModelList:
    listed: bool
    message: str
    models: list[str] = field(default_factory=list)


class CheckFailed(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def check_timeout_seconds() -> float:
    return min(CHECK_TIMEOUT_SECONDS, float(conf.model_timeout_seconds()))


def _credential(*, actor: Membership, provider: ModelProvider) -> tuple[str, str]:
    credential = ModelProviderCredential.objects.filter(
        workspace_id=actor.workspace_id, provider=provider
    ).first()
    if credential is None:
        raise NotFound(
            f"No key is set for {provider} in this workspace. Set one first (Admin → Models, "
            f"or PUT .../model-credentials/{provider})."
        )
    try:
        api_key = decrypt(credential.encrypted_api_key) if credential.encrypted_api_key else ""
    except CredentialUnreadable as error:
        raise InvalidInput(
            f"The stored {provider} key cannot be decrypted with this instance's "
            "ENCRYPTION_KEYS (the key it was encrypted with was removed). Set the key again.",
            code="credential_unreadable",
        ) from error
    return api_key, credential.base_url


def _host(provider: ModelProvider, base_url: str) -> str:
    if base_url:
        return urlsplit(base_url).netloc or base_url
    return {
        ModelProvider.OPENAI: "api.openai.com",
        ModelProvider.ANTHROPIC: "api.anthropic.com",
        ModelProvider.GOOGLE: "generativelanguage.googleapis.com",
        ModelProvider.MISTRAL: "api.mistral.ai",
    }.get(provider, str(provider))


def _status(error: BaseException) -> int | None:
    for name in ("status_code", "code", "status"):
        value = getattr(error, name, None)
        if isinstance(value, int) and 100 <= value < 600:
            return value
    response = getattr(error, "response", None)
    value = getattr(response, "status_code", None)
    return value if isinstance(value, int) else None


def explain_check_error(error: BaseException, *, host: str, timeout: float) -> str:
    """The sentence an admin reads for a failed check: by the exception names every provider
    SDK uses and the HTTP status, never the server's own words."""
    refused = outbound_error_in(error)
    if refused is not None:
        return refused.message
    names = " ".join(cls.__name__ for cls in type(error).__mro__)
    status = _status(error)
    if "Timeout" in names or "DeadlineExceeded" in names:
        return (
            f"{host} did not answer within {timeout:g} s. Check that the server is up and "
            "not overloaded, then test again."
        )
    if "Authentication" in names or "Unauthenticated" in names or status == 401:
        return (
            f"{host} refused this key (HTTP 401). Check that you pasted the whole key and that "
            "it was not revoked, then replace it."
        )
    if "PermissionDenied" in names or status == 403:
        return (
            f"{host} accepted the key but does not let it do this (HTTP 403). Check the key's "
            "permissions or project, then replace it."
        )
    if "RateLimit" in names or status == 429:
        return (
            f"{host} is rate limiting this key or its quota is used up (HTTP 429). The key "
            "works; check the account's limits and billing, or test again later."
        )
    if "NotFound" in names or status == 404:
        return (
            f"{host} answered 404 Not Found. Check the base URL (it usually ends in /v1) and "
            "the model name."
        )
    if "Connection" in names or isinstance(error, OSError):
        return (
            f"Could not connect to {host}. Check the address and that the server runs and is "
            "reachable from the platform."
        )
    if status is not None:
        return f"{host} answered HTTP {status}. Check the key and the base URL, then test again."
    logger.warning("model credential check failed: %r", error)
    return f"The call to {host} failed ({type(error).__name__}). Check the key and the base URL."


def _openai_client(*, provider: ModelProvider, api_key: str, base_url: str, timeout: float) -> Any:
    """The openai SDK client of langchain-openai's ChatOpenAI: the same guarded HTTP client
    and base URL that answers use."""
    chat_model: Any = build_chat_model(
        model_id=f"{provider}:{DEFAULT_CHECK_MODELS[ModelProvider.OPENAI]}",
        api_key=api_key,
        base_url=base_url,
        timeout_seconds=timeout,
        max_retries=0,
    )
    return chat_model.root_client


def _model_ids(page: Any) -> list[str]:
    ids: list[str] = []
    for model in page.data[:MAX_LISTED_MODELS]:
        identifier = str(getattr(model, "id", "") or "")[:200]
        if identifier:
            ids.append(identifier)
    return sorted(set(ids))


def _one_token(
    *, provider: ModelProvider, model: str, api_key: str, base_url: str, timeout: float
) -> None:
    chat_model = build_chat_model(
        model_id=f"{provider}:{model}",
        api_key=api_key,
        base_url=base_url,
        temperature=0,
        timeout_seconds=timeout,
        max_retries=0,
        max_tokens=1,
    )
    chat_model.invoke("Reply with the word OK.")


def check_provider(
    *,
    provider: ModelProvider,
    api_key: str,
    base_url: str,
    model: str = "",
    clock: Callable[[], float] = time.monotonic,
) -> CheckResult:
    """One small call with this key: the model list where the provider has one (OpenAI and
    OpenAI-compatible servers), else a one-token completion of `model` (or a small default)."""
    timeout = check_timeout_seconds()
    host = _host(provider, base_url)
    started = clock()

    def elapsed() -> int:
        return max(0, round((clock() - started) * 1000))

    try:
        if provider in LISTS_MODELS:
            client = _openai_client(
                provider=provider, api_key=api_key, base_url=base_url, timeout=timeout
            )
            try:
                models = _model_ids(client.models.list())
            except Exception as error:
                if _status(error) != 404 or not model:
                    raise
                _one_token(
                    provider=provider,
                    model=model,
                    api_key=api_key,
                    base_url=base_url,
                    timeout=timeout,
                )
                return CheckResult(
                    True,
                    f"{host} answered a one-token completion of {model} (it lists no models).",
                    elapsed(),
                )
            return CheckResult(
                True, f"{host} accepted the key and lists {len(models)} models.", elapsed(), models
            )
        chosen = model or DEFAULT_CHECK_MODELS[provider]
        _one_token(
            provider=provider, model=chosen, api_key=api_key, base_url=base_url, timeout=timeout
        )
        return CheckResult(True, f"{host} accepted the key and answered with {chosen}.", elapsed())
    except ModelUnavailable as error:
        return CheckResult(False, error.message, elapsed())
    except Exception as error:  # noqa: BLE001 - any SDK error is explained, never raised
        return CheckResult(False, explain_check_error(error, host=host, timeout=timeout), elapsed())


def check_model_credential(
    *, actor: Membership, provider: ModelProvider, model: str = ""
) -> CheckResult:
    """Admins: does the workspace's stored key for `provider` work? Not audited (it changes
    nothing); the outbound policy applies to the stored base URL as to every answer."""
    access_role(actor, Role.ADMIN)
    api_key, base_url = _credential(actor=actor, provider=provider)
    return check_provider(provider=provider, api_key=api_key, base_url=base_url, model=model)


def list_provider_models(*, actor: Membership, provider: ModelProvider) -> ModelList:
    """Builders: the models the provider's server lists (OpenAI wire format, GET /models), for
    the agent builder's model field. A server without the list answers `listed` false."""
    access_role(actor, Role.BUILDER)
    if provider not in LISTS_MODELS:
        return ModelList(False, f"{provider} models are not listed here; type the model name.")
    api_key, base_url = _credential(actor=actor, provider=provider)
    timeout = check_timeout_seconds()
    host = _host(provider, base_url)
    try:
        client = _openai_client(
            provider=provider, api_key=api_key, base_url=base_url, timeout=timeout
        )
        models = _model_ids(client.models.list())
    except ModelUnavailable as error:
        return ModelList(False, error.message)
    except Exception as error:  # noqa: BLE001 - any SDK error is explained, never raised
        if _status(error) == 404:
            return ModelList(False, f"{host} offers no model list (GET /models); type the name.")
        return ModelList(False, explain_check_error(error, host=host, timeout=timeout))
    return ModelList(True, f"{host} lists {len(models)} models.", models)
