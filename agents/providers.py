"""Chat models by model id: "openai:<model>", "anthropic:<model>", "google:<model>",
"mistral:<model>" or "openai-compatible:<model>" (the workspace's configured base URL).

Provider packages are imported only when used, so a deployment needs only the ones it uses.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from typing import Any

from langchain_core.language_models import BaseChatModel

from agents import conf
from agents.models import ModelProvider
from common.errors import InvalidInput
from common.outbound import default_policy
from common.outbound_httpx import guarded_async_transport, guarded_transport


class ModelUnavailable(Exception):
    """The model cannot be built: a provider package is missing or a setting is wrong."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass(frozen=True)
class ProviderPackage:
    module: str
    class_name: str
    distribution: str


PACKAGES = {
    ModelProvider.OPENAI: ProviderPackage("langchain_openai", "ChatOpenAI", "langchain-openai"),
    ModelProvider.OPENAI_COMPATIBLE: ProviderPackage(
        "langchain_openai", "ChatOpenAI", "langchain-openai"
    ),
    ModelProvider.ANTHROPIC: ProviderPackage(
        "langchain_anthropic", "ChatAnthropic", "langchain-anthropic"
    ),
    ModelProvider.GOOGLE: ProviderPackage(
        "langchain_google_genai", "ChatGoogleGenerativeAI", "langchain-google-genai"
    ),
    ModelProvider.MISTRAL: ProviderPackage(
        "langchain_mistralai", "ChatMistralAI", "langchain-mistralai"
    ),
}


@dataclass(frozen=True)
class ModelChoice:
    provider: ModelProvider
    model: str


def parse_model_id(model_id: str) -> ModelChoice:
    provider, _, model = model_id.strip().partition(":")
    valid = ", ".join(f'"{p.value}:<model>"' for p in ModelProvider)
    if provider not in ModelProvider.values or not model.strip():
        raise InvalidInput(
            f"'{model_id}' is not a model id. Use one of {valid}, or leave it empty for "
            "extractive answers."
        )
    return ModelChoice(ModelProvider(provider), model.strip())


def _guarded_openai_clients(timeout_seconds: float) -> dict[str, Any]:
    """The openai SDK's HTTP clients (httpx2) under the outbound policy: the base URL an admin
    typed is checked, connected to at the checked address, its redirects checked again."""
    import httpx2

    policy = default_policy()
    timeout = min(timeout_seconds, policy.timeout_seconds)
    return {
        "http_client": httpx2.Client(
            transport=guarded_transport(policy, library="httpx2"),
            timeout=timeout,
            follow_redirects=True,
            trust_env=False,
        ),
        "http_async_client": httpx2.AsyncClient(
            transport=guarded_async_transport(policy, library="httpx2"),
            timeout=timeout,
            follow_redirects=True,
            trust_env=False,
        ),
    }


def build_chat_model(
    *,
    model_id: str,
    api_key: str,
    base_url: str = "",
    temperature: float = 0.2,
    timeout_seconds: float | None = None,
    max_retries: int | None = None,
    max_tokens: int | None = None,
) -> BaseChatModel:
    """The LangChain chat model of `model_id`; the timeout and retries default to the agent
    settings (a credential test passes shorter ones, and a one-token answer)."""
    timeout = float(conf.model_timeout_seconds() if timeout_seconds is None else timeout_seconds)
    choice = parse_model_id(model_id)
    package = PACKAGES[choice.provider]
    try:
        module = importlib.import_module(package.module)
    except ImportError as error:
        raise ModelUnavailable(
            "provider_package_missing",
            f"The model '{model_id}' needs the Python package {package.distribution}, which is "
            f"not installed. Ask your operator to run `pip install {package.distribution}`, or "
            "choose a model of another provider.",
        ) from error
    model_class: Any = getattr(module, package.class_name)
    if choice.provider == ModelProvider.OPENAI_COMPATIBLE and not base_url:
        raise ModelUnavailable(
            "base_url_missing",
            "An openai-compatible model needs the endpoint's base URL. Ask an admin to set it "
            "under model credentials (provider openai-compatible).",
        )
    options: dict[str, Any] = {
        "model": choice.model,
        "temperature": temperature,
        "timeout": timeout,
        "max_retries": conf.model_max_retries() if max_retries is None else max_retries,
    }
    if max_tokens is not None:
        options[
            "max_output_tokens" if choice.provider == ModelProvider.GOOGLE else "max_tokens"
        ] = max_tokens
    if choice.provider in {ModelProvider.OPENAI, ModelProvider.OPENAI_COMPATIBLE}:
        # Local OpenAI-compatible servers often take no key, but the client insists on one.
        options["api_key"] = api_key or "not-needed"
        if base_url:
            options["base_url"] = base_url
        options.update(_guarded_openai_clients(timeout))
    elif choice.provider == ModelProvider.ANTHROPIC:
        options["api_key"] = api_key
        if base_url:
            options["base_url"] = base_url
    else:
        options["api_key"] = api_key
    chat_model: BaseChatModel = model_class(**options)
    return chat_model
