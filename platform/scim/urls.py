"""/scim/v2/: mounted by config.urls. Paths take an optional trailing slash (IdPs differ)."""

from django.urls import re_path

from scim import views

urlpatterns = [
    re_path(r"^ServiceProviderConfig/?$", views.service_provider_config_view),
    re_path(r"^ResourceTypes/?$", views.resource_types_view),
    re_path(r"^ResourceTypes/(?P<name>[^/]+)/?$", views.resource_type_view),
    re_path(r"^Schemas/?$", views.schemas_view),
    re_path(r"^Schemas/(?P<urn>[^/]+)/?$", views.schema_view),
    re_path(r"^Users/?$", views.users_view),
    re_path(r"^Users/(?P<scim_id>[^/]+)/?$", views.user_view),
    re_path(r"^Groups/?$", views.groups_view),
    re_path(r"^Groups/(?P<group_id>[^/]+)/?$", views.group_view),
    re_path(r"^(?P<rest>.*)$", views.not_found_view),
]
