"""The SCIM 2.0 endpoints under /scim/v2/: plain Django views speaking application/scim+json.

Thin: authenticate the workspace's token, parse the body, call a service, shape the answer.
Every error is a SCIM Error body. These routes live outside /api/, so the API's JSON-only
request guard does not apply (SCIM clients send application/scim+json); the body limit
(MAX_REQUEST_BYTES) does, and is answered as a SCIM 413 here too.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.csrf import csrf_exempt

from scim import selectors, services
from scim.discovery import resource_types, schemas, service_provider_config
from scim.models import ScimToken
from scim.protocol import (
    SCIM_MEDIA_TYPE,
    ScimError,
    list_response,
    page_bounds,
    parse_filter,
)
from scim.resources import group_resource, user_resource

logger = logging.getLogger(__name__)

ACCEPTED_MEDIA_TYPES = frozenset({SCIM_MEDIA_TYPE, "application/json"})


def scim_response(
    body: dict[str, Any] | None, *, status: int = 200, location: str = ""
) -> HttpResponse:
    if body is None:
        return HttpResponse(status=status)
    response = JsonResponse(body, status=status, content_type=SCIM_MEDIA_TYPE)
    if location:
        response["Location"] = location
    return response


def error_response(error: ScimError) -> HttpResponse:
    response = scim_response(error.body(), status=error.status)
    if error.status == 401:
        response["WWW-Authenticate"] = 'Bearer realm="SCIM"'
    return response


def _body(request: HttpRequest) -> dict[str, Any]:
    if request.content_type not in ACCEPTED_MEDIA_TYPES:
        raise ScimError(
            415,
            f"Send the body as {SCIM_MEDIA_TYPE} (or application/json), not "
            f"{(request.content_type or 'no Content-Type')[:60]}.",
        )
    try:
        body = json.loads(request.body or b"null")
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise ScimError(
            400, f"The body is not JSON: {str(error)[:100]}.", "invalidSyntax"
        ) from None
    if not isinstance(body, dict):
        raise ScimError(400, "The body must be a JSON object.", "invalidSyntax")
    return body


Handler = Callable[..., HttpResponse]


def scim_endpoint(methods: dict[str, Handler], *, authenticated: bool = True) -> Handler:
    @csrf_exempt
    def view(request: HttpRequest, **kwargs: Any) -> HttpResponse:
        try:
            handler = methods.get(request.method or "")
            if handler is None:
                raise ScimError(
                    405, f"{request.method} is not supported here; use {', '.join(methods)}."
                )
            token = (
                services.authenticate_scim_token(request.headers.get("Authorization"))
                if authenticated
                else None
            )
            return handler(request, token, **kwargs)
        except ScimError as error:
            return error_response(error)
        except RequestDataTooBig:
            return error_response(
                ScimError(
                    413,
                    f"The body is larger than {settings.DATA_UPLOAD_MAX_MEMORY_SIZE} bytes, "
                    "the limit (MAX_REQUEST_BYTES); send fewer members per request.",
                )
            )

    view.methods = methods  # type: ignore[attr-defined]
    return view


def _excluded(request: HttpRequest) -> set[str]:
    text = request.GET.get("excludedAttributes", "")
    return {part.strip().lower() for part in text.split(",") if part.strip()}


# --- discovery ------------------------------------------------------------------------------


def _config(request: HttpRequest, token: ScimToken | None) -> HttpResponse:
    return scim_response(service_provider_config())


def _listed(documents: list[dict[str, Any]]) -> HttpResponse:
    return scim_response(list_response(documents, total=len(documents), start=1))


def _resource_types(request: HttpRequest, token: ScimToken | None) -> HttpResponse:
    return _listed(resource_types())


def _resource_type(request: HttpRequest, token: ScimToken | None, name: str) -> HttpResponse:
    found = [document for document in resource_types() if document["id"] == name]
    if not found:
        raise ScimError(404, f"No resource type {name[:60]!r}; there are User and Group.")
    return scim_response(found[0])


def _schemas(request: HttpRequest, token: ScimToken | None) -> HttpResponse:
    return _listed(schemas())


def _schema(request: HttpRequest, token: ScimToken | None, urn: str) -> HttpResponse:
    found = [document for document in schemas() if document["id"] == urn]
    if not found:
        raise ScimError(404, f"No schema {urn[:100]!r}.")
    return scim_response(found[0])


# --- users ----------------------------------------------------------------------------------


def _user(scim_user: Any) -> dict[str, Any]:
    return user_resource(scim_user, selectors.groups_of_users([scim_user]).get(scim_user.id, []))


def _list_users(request: HttpRequest, token: ScimToken) -> HttpResponse:
    where = parse_filter(request.GET.get("filter"), selectors.USER_FILTERS)
    start, count = page_bounds(request.GET.get("startIndex"), request.GET.get("count"))
    found = selectors.users(workspace_id=token.workspace_id, where=where)
    page = list(found[start - 1 : start - 1 + count]) if count else []
    groups = selectors.groups_of_users(page)
    resources = [user_resource(scim_user, groups.get(scim_user.id, [])) for scim_user in page]
    return scim_response(list_response(resources, total=found.count(), start=start))


def _create_user(request: HttpRequest, token: ScimToken) -> HttpResponse:
    resource = _user(services.create_user(token=token, body=_body(request)))
    return scim_response(resource, status=201, location=resource["meta"]["location"])


def _get_user(request: HttpRequest, token: ScimToken, scim_id: str) -> HttpResponse:
    return scim_response(_user(services.scim_user_of(token, scim_id)))


def _replace_user(request: HttpRequest, token: ScimToken, scim_id: str) -> HttpResponse:
    return scim_response(
        _user(services.replace_user(token=token, scim_id=scim_id, body=_body(request)))
    )


def _patch_user(request: HttpRequest, token: ScimToken, scim_id: str) -> HttpResponse:
    return scim_response(
        _user(services.patch_user(token=token, scim_id=scim_id, body=_body(request)))
    )


def _delete_user(request: HttpRequest, token: ScimToken, scim_id: str) -> HttpResponse:
    services.delete_user(token=token, scim_id=scim_id)
    return scim_response(None, status=204)


# --- groups ---------------------------------------------------------------------------------


def _group(request: HttpRequest, group: Any) -> dict[str, Any]:
    if "members" in _excluded(request):
        return group_resource(group, None)
    return group_resource(group, selectors.members_of_groups([group]).get(group.id, []))


def _list_groups(request: HttpRequest, token: ScimToken) -> HttpResponse:
    where = parse_filter(request.GET.get("filter"), selectors.GROUP_FILTERS)
    start, count = page_bounds(request.GET.get("startIndex"), request.GET.get("count"))
    found = selectors.groups(workspace_id=token.workspace_id, where=where)
    page = list(found[start - 1 : start - 1 + count]) if count else []
    members = None if "members" in _excluded(request) else selectors.members_of_groups(page)
    resources = [
        group_resource(group, None if members is None else members.get(group.id, []))
        for group in page
    ]
    return scim_response(list_response(resources, total=found.count(), start=start))


def _create_group(request: HttpRequest, token: ScimToken) -> HttpResponse:
    resource = _group(request, services.create_group(token=token, body=_body(request)))
    return scim_response(resource, status=201, location=resource["meta"]["location"])


def _get_group(request: HttpRequest, token: ScimToken, group_id: str) -> HttpResponse:
    return scim_response(_group(request, services.scim_group_of(token, group_id)))


def _replace_group(request: HttpRequest, token: ScimToken, group_id: str) -> HttpResponse:
    group = services.replace_group(token=token, group_id=group_id, body=_body(request))
    return scim_response(_group(request, group))


def _patch_group(request: HttpRequest, token: ScimToken, group_id: str) -> HttpResponse:
    services.patch_group(token=token, group_id=group_id, body=_body(request))
    return scim_response(None, status=204)


def _delete_group(request: HttpRequest, token: ScimToken, group_id: str) -> HttpResponse:
    services.delete_group(token=token, group_id=group_id)
    return scim_response(None, status=204)


def _not_found(request: HttpRequest, token: ScimToken | None, rest: str = "") -> HttpResponse:
    raise ScimError(
        404,
        f"No SCIM endpoint /scim/v2/{rest[:100]}; there are Users, Groups, Schemas, "
        "ResourceTypes and ServiceProviderConfig.",
    )


ANY = ("GET", "POST", "PUT", "PATCH", "DELETE")

service_provider_config_view = scim_endpoint({"GET": _config}, authenticated=False)
resource_types_view = scim_endpoint({"GET": _resource_types}, authenticated=False)
resource_type_view = scim_endpoint({"GET": _resource_type}, authenticated=False)
schemas_view = scim_endpoint({"GET": _schemas}, authenticated=False)
schema_view = scim_endpoint({"GET": _schema}, authenticated=False)
users_view = scim_endpoint({"GET": _list_users, "POST": _create_user})
user_view = scim_endpoint(
    {"GET": _get_user, "PUT": _replace_user, "PATCH": _patch_user, "DELETE": _delete_user}
)
groups_view = scim_endpoint({"GET": _list_groups, "POST": _create_group})
group_view = scim_endpoint(
    {"GET": _get_group, "PUT": _replace_group, "PATCH": _patch_group, "DELETE": _delete_group}
)
not_found_view = scim_endpoint(dict.fromkeys(ANY, _not_found), authenticated=False)
