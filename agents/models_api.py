"""Checking model keys: a test call, and the model list of an OpenAI-style server. Thin."""

from django.http import HttpRequest
from ninja import Router, Schema
from pydantic import Field

from agents.model_checks import check_model_credential, list_provider_models
from agents.models import ModelProvider
from api.auth import request_actor
from api.route_limits import enforce_route_limit

router = Router(tags=["agents"])


class CredentialTestIn(Schema):
    model: str = Field(
        default="",
        max_length=200,
        description="The model to ask for one token where the provider lists none; empty: "
        "the model list (OpenAI, OpenAI-compatible) or a small default model.",
    )


class CredentialTestOut(Schema):
    ok: bool
    message: str = Field(description="What happened, in words; never the server's own reply.")
    latency_ms: int
    models: list[str] | None = None


class ProviderModelsOut(Schema):
    provider: ModelProvider
    listed: bool = Field(description="False where the server offers no model list.")
    message: str
    models: list[str]


@router.post(
    "/workspaces/{workspace_id}/model-credentials/{provider}/test", response=CredentialTestOut
)
def test_model_credential(
    request: HttpRequest,
    workspace_id: int,
    provider: ModelProvider,
    payload: CredentialTestIn | None = None,
) -> CredentialTestOut:
    """Admins: one small real call with the stored key (the model list, or a one-token
    completion), with a short timeout. A failure answers 200 with `ok` false and why."""
    actor = request_actor(request, workspace_id)
    enforce_route_limit(request, "answers")
    result = check_model_credential(
        actor=actor, provider=provider, model=(payload.model.strip() if payload else "")
    )
    return CredentialTestOut(
        ok=result.ok, message=result.message, latency_ms=result.latency_ms, models=result.models
    )


@router.get(
    "/workspaces/{workspace_id}/model-credentials/{provider}/models", response=ProviderModelsOut
)
def list_models(
    request: HttpRequest, workspace_id: int, provider: ModelProvider
) -> ProviderModelsOut:
    """Builders: the models an OpenAI or OpenAI-compatible server lists (GET /models), for the
    agent builder's model field."""
    actor = request_actor(request, workspace_id)
    enforce_route_limit(request, "answers")
    listing = list_provider_models(actor=actor, provider=provider)
    return ProviderModelsOut(
        provider=provider, listed=listing.listed, message=listing.message, models=listing.models
    )
