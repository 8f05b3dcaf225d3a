from django.urls import path, re_path

from api.router import api
from api.views import api_not_found
from config.frontend import frontend_index
from health.views import healthz

urlpatterns = [
    path("api/v1/", api.urls),
    re_path(r"^api/", api_not_found),
    path("healthz", healthz, name="healthz"),
    re_path(r"^(?!api/|static/|healthz).*$", frontend_index, name="frontend"),
]
