"""Browser routes of single sign-on, under /sso/ (config.urls). OIDC here; SAML appends its
metadata, login and ACS routes below."""

from django.urls import path

from sso import oidc_views

app_name = "sso"

urlpatterns = [
    path("<int:workspace_id>/oidc/start", oidc_views.start, name="oidc-start"),
    path("<int:workspace_id>/oidc/callback", oidc_views.callback, name="oidc-callback"),
]
