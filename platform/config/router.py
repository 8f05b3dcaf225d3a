"""The JSON API under /api/v1, with its OpenAPI document at /api/v1/openapi.json."""

from __future__ import annotations

from ninja import NinjaAPI

from accounts.api import router as accounts_router
from agents.api import router as agents_router
from agents.slack.api import router as slack_bot_router
from api.auth import AUTH
from api.errors import install_error_handlers
from api.limits import router as limits_router
from audit.api import router as audit_router
from connections.api import router as connections_router
from knowledge.api import router as knowledge_router
from workspaces.api import router as workspaces_router

api = NinjaAPI(
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
