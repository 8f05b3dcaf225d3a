"""Model ids resolve to their LangChain chat models; keys rotate under MultiFernet."""

from __future__ import annotations

import sys
from typing import Any

import pytest
from cryptography.fernet import Fernet

from agents.providers import ModelUnavailable, build_chat_model
from common import crypto
from common.errors import InvalidInput


@pytest.mark.parametrize(
    ("model_id", "class_name"),
    [
        ("openai:gpt-4o-mini", "ChatOpenAI"),
        ("anthropic:claude-sonnet-4-5", "ChatAnthropic"),
        ("google:gemini-2.5-flash", "ChatGoogleGenerativeAI"),
        ("mistral:mistral-small-latest", "ChatMistralAI"),
    ],
)
def test_each_provider_resolves_to_its_langchain_model(model_id: str, class_name: str) -> None:
    model = build_chat_model(model_id=model_id, api_key="key-0123456789", temperature=0.1)
    assert type(model).__name__ == class_name


def test_openai_compatible_needs_a_base_url_and_uses_it() -> None:
    with pytest.raises(ModelUnavailable, match="base URL"):
        build_chat_model(model_id="openai-compatible:llama3", api_key="")
    model: Any = build_chat_model(
        model_id="openai-compatible:llama3", api_key="", base_url="http://127.0.0.1:9/v1"
    )
    assert model.openai_api_base == "http://127.0.0.1:9/v1"


def test_bad_ids_and_missing_packages_say_what_to_do(monkeypatch: Any) -> None:
    with pytest.raises(InvalidInput, match="openai-compatible:<model>"):
        build_chat_model(model_id="gpt-4o", api_key="x")
    monkeypatch.setitem(sys.modules, "langchain_mistralai", None)
    with pytest.raises(ModelUnavailable, match="pip install langchain-mistralai"):
        build_chat_model(model_id="mistral:small", api_key="x")


def test_keys_rotate_new_key_first_old_still_decrypts(monkeypatch: Any) -> None:
    old, new = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    monkeypatch.setenv("ENCRYPTION_KEYS", old)
    token = crypto.encrypt("sk-secret")
    monkeypatch.setenv("ENCRYPTION_KEYS", f"{new},{old}")
    assert crypto.decrypt(token) == "sk-secret"
    monkeypatch.setenv("ENCRYPTION_KEYS", new)
    with pytest.raises(crypto.CredentialUnreadable):
        crypto.decrypt(token)
