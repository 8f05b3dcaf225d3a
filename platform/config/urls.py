from django.urls import include, path, re_path

from api.views import api_not_found
from config.frontend import frontend_index, static_file
from config.router import api
from config.webhooks import webhook
from health.views import healthz

urlpatterns = [
    path("api/v1/", api.urls),
    re_path(r"^api/", api_not_found),
    path("healthz", healthz, name="healthz"),
    path("webhooks/<str:kind>/<int:connection_id>", webhook, name="webhook"),
    # Slack's interactivity URL of earlier setups (README): the same entry point as its events.
    path(
        "webhooks/slack/<int:connection_id>/interactions",
        webhook,
        {"kind": "slack", "interactions": True},
        name="slack-interactions",
    ),
    path("sso/", include("sso.urls")),
    re_path(r"^static/(?P<path>.+)$", static_file, name="static"),
    re_path(r"^(?!api/|static/|healthz|webhooks/).*$", frontend_index, name="frontend"),
]
