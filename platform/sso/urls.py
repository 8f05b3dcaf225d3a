"""Browser routes of single sign-on, under /sso/ (config.urls). OIDC here; SAML appends its
metadata, login and ACS routes below."""

from django.urls import path

from sso import oidc_views

app_name = "sso"

urlpatterns = [
    path("<int:workspace_id>/oidc/start", oidc_views.start, name="oidc-start"),
    path("<int:workspace_id>/oidc/callback", oidc_views.callback, name="oidc-callback"),
]

from sso import saml_views  # noqa: E402 - SAML's routes, appended after OIDC's

urlpatterns += [
    path("<int:workspace_id>/saml/metadata", saml_views.metadata, name="saml-metadata"),
    path("<int:workspace_id>/saml/login", saml_views.login, name="saml-login"),
    path("<int:workspace_id>/saml/acs", saml_views.acs, name="saml-acs"),
]
