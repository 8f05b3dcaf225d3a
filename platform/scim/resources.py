"""SCIM attribute handling: reading a User or Group from a request body and writing our rows
back as SCIM resources."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.conf import settings

from scim.models import ScimUser
from scim.protocol import (
    GROUP_SCHEMA,
    USER_SCHEMA,
    ScimError,
    as_bool,
    as_text,
    invalid_value,
)
from workspaces.models import Group

# Core User attributes (RFC 7643 4.1) the platform accepts and does not keep: an IdP may send
# them (Entra sends title and addresses; Okta may send a password, which is never stored:
# an account's password is its owner's).
IGNORED_USER_ATTRIBUTES = frozenset(
    {
        "schemas",
        "id",
        "meta",
        "nickname",
        "profileurl",
        "title",
        "usertype",
        "preferredlanguage",
        "locale",
        "timezone",
        "password",
        "phonenumbers",
        "ims",
        "photos",
        "addresses",
        "groups",
        "entitlements",
        "roles",
        "x509certificates",
    }
)
IGNORED_GROUP_ATTRIBUTES = frozenset({"schemas", "id", "meta"})


def base_url() -> str:
    return f"{settings.PUBLIC_URL.rstrip('/')}/scim/v2"


@dataclass
class UserState:
    """The attributes of a SCIM user the platform keeps, as a request leaves them."""

    user_name: str = ""
    external_id: str = ""
    display_name: str = ""
    given_name: str = ""
    family_name: str = ""
    email: str = ""
    active: bool = True
    touched: set[str] = field(default_factory=set)

    @classmethod
    def of(cls, scim_user: ScimUser) -> UserState:
        return cls(
            user_name=scim_user.user_name,
            external_id=scim_user.external_id,
            display_name=scim_user.display_name,
            given_name=scim_user.given_name,
            family_name=scim_user.family_name,
            email=scim_user.membership.user.email,
            active=scim_user.active,
        )

    @classmethod
    def from_resource(cls, body: dict[str, Any]) -> UserState:
        state = cls()
        for name, value in body.items():
            state.set(str(name), value)
        if not state.user_name:
            raise invalid_value("userName is required.")
        return state

    def set(self, path: str, value: Any, *, remove: bool = False) -> None:
        """Set (or with remove, clear) one attribute named by a SCIM path."""
        original = path
        path = path.strip()
        if path.lower().startswith(USER_SCHEMA.lower() + ":"):
            path = path[len(USER_SCHEMA) + 1 :]
        key = path.lower()
        if key.startswith("urn:"):
            return  # an extension (enterprise, the IdP's own): not kept
        if remove:
            value = None
        if key == "username":
            if remove:
                raise ScimError(400, "userName cannot be removed.", "mutability")
            self.user_name = as_text(value, attribute="userName")
            if not self.user_name:
                raise invalid_value("userName cannot be empty.")
        elif key == "externalid":
            self.external_id = as_text(value, attribute="externalId")
        elif key == "displayname":
            self.display_name = as_text(value, attribute="displayName", max_length=200)
        elif key == "active":
            self.active = False if remove else as_bool(value, attribute="active")
        elif key == "name":
            if value is not None and not isinstance(value, dict):
                raise invalid_value("name must be an object with givenName and familyName.")
            for sub, sub_value in (value or {"givenName": None, "familyName": None}).items():
                self.set(f"name.{sub}", sub_value)
        elif key == "name.givenname":
            self.given_name = as_text(value, attribute="name.givenName", max_length=200)
        elif key == "name.familyname":
            self.family_name = as_text(value, attribute="name.familyName", max_length=200)
        elif key in {"name.formatted", "name.middlename", "name.honorificprefix"} or key in {
            "name.honorificsuffix"
        }:
            pass
        elif key == "emails":
            self.email = "" if value is None else _primary_email(value)
        elif key.startswith("emails[") or key == "emails.value":
            self.email = as_text(value, attribute="emails.value")
        elif key.split(".")[0].split("[")[0] in IGNORED_USER_ATTRIBUTES:
            pass
        else:
            raise ScimError(
                400,
                f"The User attribute {original[:100]!r} is not known (RFC 7643 4.1).",
                "invalidPath",
            )
        self.touched.add(key)


def _primary_email(value: Any) -> str:
    if not isinstance(value, list) or not all(isinstance(item, dict) for item in value):
        raise invalid_value('emails must be a list of {"value": "...", "primary": true} objects.')
    if not value:
        return ""
    primary = [item for item in value if str(item.get("primary", "")).lower() == "true"]
    return as_text((primary or value)[0].get("value"), attribute="emails.value")


def _meta(kind: str, resource_id: str, created: Any, modified: Any) -> dict[str, Any]:
    return {
        "resourceType": kind,
        "created": created.isoformat(),
        "lastModified": modified.isoformat(),
        "location": f"{base_url()}/{kind}s/{resource_id}",
    }


def user_resource(scim_user: ScimUser, groups: list[Group] | None = None) -> dict[str, Any]:
    scim_id = str(scim_user.scim_id)
    resource: dict[str, Any] = {
        "schemas": [USER_SCHEMA],
        "id": scim_id,
        "userName": scim_user.user_name,
        "name": {
            "givenName": scim_user.given_name,
            "familyName": scim_user.family_name,
            "formatted": f"{scim_user.given_name} {scim_user.family_name}".strip(),
        },
        "displayName": scim_user.display_name,
        "emails": [{"value": scim_user.membership.user.email, "type": "work", "primary": True}],
        "active": scim_user.active,
        "groups": [
            {
                "value": str(group.id),
                "display": group.name,
                "$ref": f"{base_url()}/Groups/{group.id}",
            }
            for group in groups or []
        ],
        "meta": _meta("User", scim_id, scim_user.created_at, scim_user.updated_at),
    }
    if scim_user.external_id:
        resource["externalId"] = scim_user.external_id
    return resource


def group_resource(
    group: Group, members: list[ScimUser] | None, *, modified: Any = None
) -> dict[str, Any]:
    resource: dict[str, Any] = {
        "schemas": [GROUP_SCHEMA],
        "id": str(group.id),
        "displayName": group.name,
        "meta": _meta("Group", str(group.id), group.created_at, modified or group.created_at),
    }
    if group.external_id:
        resource["externalId"] = group.external_id
    if members is not None:
        resource["members"] = [
            {
                "value": str(member.scim_id),
                "display": member.user_name,
                "$ref": f"{base_url()}/Users/{member.scim_id}",
            }
            for member in members
        ]
    return resource
