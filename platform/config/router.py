"""The JSON API under /api/v1, with its OpenAPI document at /api/v1/openapi.json."""

from __future__ import annotations

from typing import Any

from ninja import NinjaAPI, Schema
from ninja.openapi.schema import REF_TEMPLATE, OpenAPISchema
from ninja.schema import NinjaGenerateJsonSchema

from accounts.api import router as accounts_router
from agents.api import ANSWER_STREAM_EVENTS
from agents.api import router as agents_router
from agents.attachment_api import router as attachments_router
from agents.models_api import router as model_checks_router
from agents.slack.api import router as slack_bot_router
from api.auth import AUTH
from api.errors import install_error_handlers
from api.limits import router as limits_router
from audit.api import router as audit_router
from connections.api import router as connections_router
from knowledge.api import router as knowledge_router
from privacy.api import router as privacy_router
from retention.api import router as retention_router
from scim.api import router as scim_router
from sso.api import router as sso_router
from workspaces.api import router as workspaces_router


class PlatformAPI(NinjaAPI):
    """Ninja's API, whose OpenAPI document also holds the schemas of payloads that are not a
    route's JSON body (the answer stream's events), so the web app's types cover them too."""

    extra_schemas: tuple[type[Schema], ...] = tuple(ANSWER_STREAM_EVENTS.values())

    def get_openapi_schema(
        self, *, path_prefix: str | None = None, path_params: dict[str, Any] | None = None
    ) -> OpenAPISchema:
        document = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        components = document["components"]["schemas"]
        for model in self.extra_schemas:
            schema = model.model_json_schema(
                ref_template=REF_TEMPLATE,
                schema_generator=NinjaGenerateJsonSchema,
                mode="serialization",
            )
            components.update(schema.pop("$defs", {}))
            components.setdefault(model.__name__, schema)
        return document


api = PlatformAPI(
    title="Company agents platform API",
    version="1",
    description=(
        "Programs authenticate with 'Authorization: Bearer <token>' (create tokens under API "
        "tokens). The web app uses its session cookie and sends X-CSRFToken on changes."
    ),
    auth=AUTH,
    docs_url="/docs",
    openapi_url="/openapi.json",
    urls_namespace="api-v1",
)
install_error_handlers(api)
api.add_router("", accounts_router)
api.add_router("", workspaces_router)
api.add_router("", audit_router)
api.add_router("", knowledge_router)
api.add_router("", agents_router)
api.add_router("", connections_router)
api.add_router("", slack_bot_router)
api.add_router("", limits_router)
api.add_router("", retention_router)
api.add_router("", privacy_router)
api.add_router("", model_checks_router)
api.add_router("", scim_router)
api.add_router("", attachments_router)
api.add_router("", sso_router)
