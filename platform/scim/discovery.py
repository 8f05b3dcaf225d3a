"""The discovery documents (RFC 7644 section 4): what this service provider supports."""

from __future__ import annotations

from typing import Any

from scim.protocol import (
    ENTERPRISE_USER_SCHEMA,
    GROUP_SCHEMA,
    MAX_COUNT,
    RESOURCE_TYPE_SCHEMA,
    SCHEMA_SCHEMA,
    SERVICE_PROVIDER_CONFIG_SCHEMA,
    USER_SCHEMA,
)
from scim.resources import base_url


def service_provider_config() -> dict[str, Any]:
    return {
        "schemas": [SERVICE_PROVIDER_CONFIG_SCHEMA],
        "patch": {"supported": True},
        "bulk": {"supported": False, "maxOperations": 0, "maxPayloadSize": 0},
        "filter": {"supported": True, "maxResults": MAX_COUNT},
        "changePassword": {"supported": False},
        "sort": {"supported": False},
        "etag": {"supported": False},
        "authenticationSchemes": [
            {
                "type": "oauthbearertoken",
                "name": "Bearer token",
                "description": "A workspace's SCIM token (Admin, Provisioning).",
                "primary": True,
            }
        ],
        "meta": {
            "resourceType": "ServiceProviderConfig",
            "location": f"{base_url()}/ServiceProviderConfig",
        },
    }


def _resource_type(name: str, schema: str, extensions: list[str]) -> dict[str, Any]:
    return {
        "schemas": [RESOURCE_TYPE_SCHEMA],
        "id": name,
        "name": name,
        "endpoint": f"/{name}s",
        "schema": schema,
        "schemaExtensions": [{"schema": urn, "required": False} for urn in extensions],
        "meta": {"resourceType": "ResourceType", "location": f"{base_url()}/ResourceTypes/{name}"},
    }


def resource_types() -> list[dict[str, Any]]:
    return [
        _resource_type("User", USER_SCHEMA, [ENTERPRISE_USER_SCHEMA]),
        _resource_type("Group", GROUP_SCHEMA, []),
    ]


def _attribute(name: str, kind: str = "string", **extra: Any) -> dict[str, Any]:
    attribute = {
        "name": name,
        "type": kind,
        "multiValued": False,
        "required": False,
        "caseExact": False,
        "mutability": "readWrite",
        "returned": "default",
        "uniqueness": "none",
    }
    attribute.update(extra)
    return attribute


def schemas() -> list[dict[str, Any]]:
    member = _attribute(
        "members",
        "complex",
        multiValued=True,
        subAttributes=[
            _attribute("value", mutability="immutable"),
            _attribute("display", mutability="readOnly"),
        ],
    )
    documents = [
        (
            USER_SCHEMA,
            "User",
            [
                _attribute("userName", required=True, uniqueness="server"),
                _attribute("externalId", caseExact=True),
                _attribute(
                    "name",
                    "complex",
                    subAttributes=[
                        _attribute("givenName"),
                        _attribute("familyName"),
                        _attribute("formatted"),
                    ],
                ),
                _attribute("displayName"),
                _attribute(
                    "emails",
                    "complex",
                    multiValued=True,
                    subAttributes=[
                        _attribute("value"),
                        _attribute("type"),
                        _attribute("primary", "boolean"),
                    ],
                ),
                _attribute("active", "boolean"),
                _attribute("groups", "complex", multiValued=True, mutability="readOnly"),
            ],
        ),
        (
            GROUP_SCHEMA,
            "Group",
            [
                _attribute("displayName", required=True),
                _attribute("externalId", caseExact=True),
                member,
            ],
        ),
        (ENTERPRISE_USER_SCHEMA, "EnterpriseUser", []),
    ]
    return [
        {
            "schemas": [SCHEMA_SCHEMA],
            "id": urn,
            "name": name,
            "attributes": attributes,
            "meta": {"resourceType": "Schema", "location": f"{base_url()}/Schemas/{urn}"},
        }
        for urn, name, attributes in documents
    ]
