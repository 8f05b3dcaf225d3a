"""SCIM provisioning verbs: tokens, and the Users and Groups an identity provider pushes.

A SCIM user is a membership of the token's workspace (ScimUser keeps the SCIM attributes).
Accounts stay their owners' (DESIGN.md trust boundary): provisioning a new address creates an
account with no password and an unverified email, which its owner opens through SSO or a
password reset link sent to that mailbox; an existing account is linked as it is. Nothing
here sets or reads a password.

`active: false` and DELETE end the person's access in the same transaction: the membership
is deactivated (every access check skips it, see workspaces.access), their API tokens of the
workspace are revoked, their sessions end when this was their only workspace, the Slack bot
no longer maps them to a member, and an answer stream checks the membership between chunks.
Their conversations, groups and grants stay for a reactivation, which restores the
membership with the default role (member).

The actor of every audit event is the system (None) with the token's prefix in its data.
"""

from __future__ import annotations

import hashlib
import secrets
import uuid
from collections.abc import Iterable
from datetime import timedelta
from typing import Any

from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.models import User
from audit.services import audit_change
from common.errors import InvalidInput, NotFound
from common.tasks import PURGE_REVOKED_CITATIONS_TASK, send_task_on_commit
from scim.models import ScimToken, ScimUser
from scim.protocol import (
    ScimError,
    as_text,
    invalid_value,
    member_ids,
    member_in_path,
    not_found,
    operation_name,
    patch_operations,
)
from scim.resources import IGNORED_GROUP_ATTRIBUTES, UserState
from workspaces.access import access_role
from workspaces.models import ApiToken, Group, GroupMember, Membership, Role

SCIM_TOKEN_PREFIX = "scim_"
SCIM_GROUP_SOURCE = "scim"
LAST_USED_RESOLUTION = timedelta(minutes=1)
MAX_NAMES_IN_AUDIT = 20


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


# --- tokens ---------------------------------------------------------------------------------


@transaction.atomic
def create_scim_token(*, actor: Membership, name: str) -> tuple[ScimToken, str]:
    """A provisioning token for the actor's workspace (admins). The secret is returned once."""
    access_role(actor, Role.ADMIN)
    name = name.strip()
    if not name or len(name) > 200:
        raise InvalidInput("Give the token a name (up to 200 characters) naming the IdP.")
    secret = SCIM_TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ScimToken.objects.create(
        workspace_id=actor.workspace_id,
        name=name,
        prefix=secret[:12],
        token_hash=_hash(secret),
        created_by=actor,
    )
    audit_change(
        actor=actor,
        action="scim.token_created",
        target=token,
        data={"name": name, "prefix": token.prefix},
    )
    return token, secret


@transaction.atomic
def revoke_scim_token(*, actor: Membership, token_id: int) -> ScimToken:
    access_role(actor, Role.ADMIN)
    token = (
        ScimToken.objects.select_for_update()
        .filter(id=token_id, workspace_id=actor.workspace_id)
        .first()
    )
    if token is None:
        raise NotFound(f"SCIM token {token_id} does not exist in this workspace.")
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        audit_change(
            actor=actor,
            action="scim.token_revoked",
            target=token,
            data={"name": token.name, "prefix": token.prefix},
        )
    return token


def authenticate_scim_token(authorization: str | None) -> ScimToken:
    """The workspace's token named by an `Authorization: Bearer` header, or ScimError 401."""
    scheme, _, secret = (authorization or "").partition(" ")
    if scheme.lower() != "bearer" or not secret.strip():
        raise ScimError(401, "Send the SCIM token as 'Authorization: Bearer <token>'.")
    token = (
        ScimToken.objects.select_related("workspace")
        .filter(token_hash=_hash(secret.strip()))
        .first()
    )
    if token is None or token.revoked_at is not None:
        raise ScimError(
            401,
            "This SCIM token is not valid or was revoked. Create a new one on the workspace's "
            "Provisioning page.",
        )
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > LAST_USED_RESOLUTION:
        ScimToken.objects.filter(id=token.id).update(last_used_at=now)
        token.last_used_at = now
    return token


def _audit(token: ScimToken, action: str, target: Any, **data: Any) -> None:
    audit_change(
        actor=None,
        workspace=token.workspace,
        action=action,
        target=target,
        data={**data, "by": "scim", "token": token.prefix},
    )


# --- users ----------------------------------------------------------------------------------


def scim_user_of(token: ScimToken, scim_id: str, *, for_update: bool = False) -> ScimUser:
    try:
        key = uuid.UUID(scim_id)
    except ValueError:
        raise not_found("User", scim_id) from None
    users = ScimUser.objects.select_related("membership__user", "workspace")
    if for_update:
        users = users.select_for_update(of=("self",))
    scim_user = users.filter(workspace_id=token.workspace_id, scim_id=key).first()
    if scim_user is None:
        raise not_found("User", scim_id)
    return scim_user


def _check_user_name_free(token: ScimToken, user_name: str, *, scim_user_id: int | None) -> None:
    taken = ScimUser.objects.filter(workspace_id=token.workspace_id, user_name__iexact=user_name)
    if scim_user_id is not None:
        taken = taken.exclude(id=scim_user_id)
    if taken.exists():
        raise ScimError(409, f"A user with userName {user_name[:100]!r} exists.", "uniqueness")


def _account_email(state: UserState) -> str:
    email = User.objects.normalize_email(state.email or state.user_name).strip().lower()
    try:
        validate_email(email)
    except ValidationError:
        raise invalid_value(
            "A user needs an email address: send emails with a primary value, or a userName "
            "that is an email address."
        ) from None
    return email


def _end_sessions_if_only_workspace(user: User, workspace_id: int) -> int:
    """End the person's sessions when no other workspace still holds them; a person who
    belongs elsewhere keeps their sessions, which no longer reach this workspace."""
    others = Membership.objects.filter(user=user, deactivated_at__isnull=True).exclude(
        workspace_id=workspace_id
    )
    if others.exists():
        return 0
    # The database session backend keys sessions by id only: read each live one's user.
    ended = [
        session.session_key
        for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator()
        if str(session.get_decoded().get("_auth_user_id")) == str(user.pk)
    ]
    Session.objects.filter(session_key__in=ended).delete()
    return len(ended)


def _end_access(token: ScimToken, scim_user: ScimUser) -> dict[str, int]:
    membership = Membership.objects.select_for_update().get(id=scim_user.membership_id)
    if membership.deactivated_at is None and membership.role == Role.ADMIN:
        admins = Membership.objects.select_for_update().filter(
            workspace_id=membership.workspace_id, role=Role.ADMIN, deactivated_at__isnull=True
        )
        if not admins.exclude(id=membership.id).exists():
            raise ScimError(
                409,
                "This person is the workspace's last active admin; make another member an "
                "admin on the platform before deactivating them.",
            )
    now = timezone.now()
    if membership.deactivated_at is None:
        membership.deactivated_at = now
        membership.save(update_fields=["deactivated_at"])
    tokens = ApiToken.objects.filter(membership=membership, revoked_at__isnull=True).update(
        revoked_at=now
    )
    sessions = _end_sessions_if_only_workspace(scim_user.membership.user, token.workspace_id)
    return {"api_tokens_revoked": tokens, "sessions_ended": sessions}


def _restore_access(scim_user: ScimUser) -> None:
    Membership.objects.filter(id=scim_user.membership_id).update(
        deactivated_at=None, role=Role.MEMBER
    )


def _save_user(token: ScimToken, scim_user: ScimUser, state: UserState) -> dict[str, Any]:
    """Write the state; end or restore access where `active` changed. Returns the changes."""
    _check_user_name_free(token, state.user_name, scim_user_id=scim_user.id)
    was_active = scim_user.active
    membership_active = scim_user.membership.deactivated_at is None
    scim_user.user_name = state.user_name
    scim_user.external_id = state.external_id
    scim_user.display_name = state.display_name
    scim_user.given_name = state.given_name
    scim_user.family_name = state.family_name
    scim_user.active = state.active
    scim_user.save()
    result: dict[str, Any] = {}
    if not state.active:
        result = _end_access(token, scim_user)
    elif not membership_active:
        _restore_access(scim_user)
    result["transition"] = (
        "deactivated"
        if was_active and not state.active
        else "reactivated"
        if state.active and (not was_active or not membership_active)
        else ""
    )
    return result


def _audit_user(token: ScimToken, scim_user: ScimUser, action: str, **data: Any) -> None:
    _audit(token, action, scim_user, user_name=scim_user.user_name, **data)


def _audit_transition(token: ScimToken, scim_user: ScimUser, changes: dict[str, Any]) -> None:
    transition = changes.pop("transition", "")
    if transition:
        _audit_user(token, scim_user, f"scim.user_{transition}", **changes)


@transaction.atomic
def create_user(*, token: ScimToken, body: dict[str, Any]) -> ScimUser:
    state = UserState.from_resource(body)
    _check_user_name_free(token, state.user_name, scim_user_id=None)
    email = _account_email(state)
    user = User.objects.filter(email=email).first()
    account_created = user is None
    if user is None:
        full_name = state.display_name or f"{state.given_name} {state.family_name}".strip()
        user = User.objects.create_user(email=email, password=None, full_name=full_name[:200])
    membership = Membership.objects.filter(workspace_id=token.workspace_id, user=user).first()
    if membership is not None and ScimUser.objects.filter(membership=membership).exists():
        raise ScimError(
            409, f"{email} is already provisioned under another userName.", "uniqueness"
        )
    if membership is None:
        membership = Membership.objects.create(
            workspace_id=token.workspace_id, user=user, role=Role.MEMBER
        )
    try:
        with transaction.atomic():
            scim_user = ScimUser.objects.create(
                workspace_id=token.workspace_id,
                membership=membership,
                active=True,
                user_name=state.user_name,
            )
    except IntegrityError:
        raise ScimError(
            409, f"A user with userName {state.user_name[:100]!r} exists.", "uniqueness"
        ) from None
    scim_user.membership = membership
    scim_user.workspace = token.workspace
    changes = _save_user(token, scim_user, state)
    changes.pop("transition", None)
    _audit_user(
        token,
        scim_user,
        "scim.user_created",
        email=email,
        account_created=account_created,
        active=state.active,
        **changes,
    )
    return scim_user


@transaction.atomic
def replace_user(*, token: ScimToken, scim_id: str, body: dict[str, Any]) -> ScimUser:
    scim_user = scim_user_of(token, scim_id, for_update=True)
    state = UserState.from_resource(body)
    changes = _save_user(token, scim_user, state)
    _audit_user(token, scim_user, "scim.user_replaced")
    _audit_transition(token, scim_user, changes)
    return scim_user


@transaction.atomic
def patch_user(*, token: ScimToken, scim_id: str, body: dict[str, Any]) -> ScimUser:
    scim_user = scim_user_of(token, scim_id, for_update=True)
    state = UserState.of(scim_user)
    for operation in patch_operations(body):
        op = operation_name(operation)
        path, value = operation.get("path"), operation.get("value")
        if path is None or (isinstance(path, str) and not path.strip()):
            if op == "remove":
                raise ScimError(400, "A remove operation needs a path.", "noTarget")
            if not isinstance(value, dict):
                raise invalid_value("An operation without a path needs an object value.")
            for name, item in value.items():
                state.set(str(name), item)
        elif isinstance(path, str):
            state.set(path, value, remove=op == "remove")
        else:
            raise ScimError(400, "path must be a string.", "invalidPath")
    changes = _save_user(token, scim_user, state)
    _audit_user(token, scim_user, "scim.user_patched", attributes=sorted(state.touched)[:20])
    _audit_transition(token, scim_user, changes)
    return scim_user


@transaction.atomic
def delete_user(*, token: ScimToken, scim_id: str) -> None:
    """The person's access ends as with active=false; their membership stays deactivated
    (with its conversations), so provisioning them again restores it."""
    scim_user = scim_user_of(token, scim_id, for_update=True)
    changes = _end_access(token, scim_user)
    _audit_user(token, scim_user, "scim.user_deleted", **changes)
    scim_user.delete()


# --- groups ---------------------------------------------------------------------------------


def scim_group_of(token: ScimToken, group_id: str, *, for_update: bool = False) -> Group:
    groups = Group.objects.filter(workspace_id=token.workspace_id, source=SCIM_GROUP_SOURCE)
    if for_update:
        groups = groups.select_for_update()
    group = groups.filter(id=int(group_id)).first() if group_id.isdigit() else None
    if group is None:
        raise not_found("Group", group_id)
    return group


def _memberships_of(token: ScimToken, ids: Iterable[str]) -> dict[str, int]:
    wanted = set(ids)
    keys = []
    for value in wanted:
        try:
            keys.append(uuid.UUID(value))
        except ValueError:
            raise invalid_value(f"Member {value[:60]!r} is not a user of this workspace.") from None
    found = {
        str(scim_id): membership_id
        for scim_id, membership_id in ScimUser.objects.filter(
            workspace_id=token.workspace_id, scim_id__in=keys
        ).values_list("scim_id", "membership_id")
    }
    missing = wanted - set(found)
    if missing:
        raise invalid_value(
            f"Member {sorted(missing)[0][:60]!r} is not a user of this workspace; create the "
            "user first."
        )
    return found


def _check_group_name_free(token: ScimToken, name: str, *, group_id: int | None) -> None:
    taken = Group.objects.filter(workspace_id=token.workspace_id, name=name)
    if group_id is not None:
        taken = taken.exclude(id=group_id)
    if taken.exists():
        raise ScimError(
            409, f"A group named {name[:100]!r} exists in this workspace.", "uniqueness"
        )


def _display_name(value: Any) -> str:
    name = as_text(value, attribute="displayName", max_length=200)
    if not name:
        raise invalid_value("displayName is required.")
    return name


class _GroupChange:
    """The group's name, externalId and member set as the request leaves them."""

    def __init__(self, group: Group, members: set[int]) -> None:
        self.name = group.name
        self.external_id = group.external_id
        self.members = set(members)

    def set(self, token: ScimToken, key: str, value: Any) -> None:
        key = key.strip().lower()
        if key == "displayname":
            self.name = _display_name(value)
        elif key == "externalid":
            self.external_id = as_text(value, attribute="externalId")
        elif key == "members":
            self.members = set(_memberships_of(token, member_ids(value)).values())
        elif key in IGNORED_GROUP_ATTRIBUTES or key.startswith("urn:"):
            pass
        else:
            raise ScimError(
                400,
                f"The Group attribute {key[:100]!r} is not known (RFC 7643 4.2).",
                "invalidPath",
            )


def _apply_group(
    token: ScimToken, group: Group, change: _GroupChange, before: set[int]
) -> dict[str, Any]:
    if change.name != group.name:
        _check_group_name_free(token, change.name, group_id=group.id)
    renamed_from = group.name if change.name != group.name else None
    group.name, group.external_id = change.name, change.external_id
    group.save(update_fields=["name", "external_id"])
    added, removed = change.members - before, before - change.members
    GroupMember.objects.filter(group=group, membership_id__in=removed).delete()
    GroupMember.objects.bulk_create(
        [GroupMember(group=group, membership_id=member) for member in added],
        ignore_conflicts=True,
    )
    if removed:
        send_task_on_commit(PURGE_REVOKED_CITATIONS_TASK, workspace_id=token.workspace_id)
    data: dict[str, Any] = {
        "name": group.name,
        "members_added": len(added),
        "members_removed": len(removed),
    }
    if renamed_from is not None:
        data["renamed_from"] = renamed_from
    names = dict(
        ScimUser.objects.filter(membership_id__in=added | removed).values_list(
            "membership_id", "user_name"
        )
    )
    data["added"] = sorted(names.get(member, "") for member in added)[:MAX_NAMES_IN_AUDIT]
    data["removed"] = sorted(names.get(member, "") for member in removed)[:MAX_NAMES_IN_AUDIT]
    return data


def _current_members(group: Group) -> set[int]:
    return set(GroupMember.objects.filter(group=group).values_list("membership_id", flat=True))


@transaction.atomic
def create_group(*, token: ScimToken, body: dict[str, Any]) -> Group:
    name = _display_name(body.get("displayName"))
    _check_group_name_free(token, name, group_id=None)
    group = Group.objects.create(
        workspace_id=token.workspace_id, name=name, source=SCIM_GROUP_SOURCE
    )
    change = _GroupChange(group, set())
    for key, value in body.items():
        change.set(token, str(key), value)
    data = _apply_group(token, group, change, set())
    _audit(token, "scim.group_created", group, **data)
    return group


@transaction.atomic
def replace_group(*, token: ScimToken, group_id: str, body: dict[str, Any]) -> Group:
    group = scim_group_of(token, group_id, for_update=True)
    before = _current_members(group)
    change = _GroupChange(group, set())
    change.external_id = ""
    change.name = _display_name(body.get("displayName"))
    for key, value in body.items():
        change.set(token, str(key), value)
    data = _apply_group(token, group, change, before)
    _audit(token, "scim.group_replaced", group, **data)
    return group


def _patch_group_operation(token: ScimToken, change: _GroupChange, operation: Any) -> None:
    op = operation_name(operation)
    path, value = operation.get("path"), operation.get("value")
    if path is None or (isinstance(path, str) and not path.strip()):
        if op == "remove" or not isinstance(value, dict):
            raise invalid_value("An operation without a path needs an object value.")
        for key, item in value.items():
            if str(key).lower() == "members" and op == "add":
                change.members |= set(_memberships_of(token, member_ids(item)).values())
            else:
                change.set(token, str(key), item)
        return
    if not isinstance(path, str):
        raise ScimError(400, "path must be a string.", "invalidPath")
    one_member = member_in_path(path)
    if one_member is not None:
        if op != "remove":
            raise ScimError(400, 'A members[value eq "..."] path is for remove.', "invalidPath")
        change.members -= set(_memberships_of(token, [one_member]).values())
    elif path.strip().lower() == "members":
        if op == "add":
            change.members |= set(_memberships_of(token, member_ids(value)).values())
        elif op == "remove" and value is None:
            change.members = set()  # remove with no value empties the group (RFC 7644 3.5.2.2)
        elif op == "remove":
            change.members -= set(_memberships_of(token, member_ids(value)).values())
        else:
            change.set(token, "members", value)
    elif op == "remove":
        if path.strip().lower() == "externalid":
            change.external_id = ""
        else:
            raise ScimError(400, f"{path[:100]!r} cannot be removed from a group.", "mutability")
    else:
        change.set(token, path, value)


@transaction.atomic
def patch_group(*, token: ScimToken, group_id: str, body: dict[str, Any]) -> Group:
    group = scim_group_of(token, group_id, for_update=True)
    before = _current_members(group)
    change = _GroupChange(group, before)
    for operation in patch_operations(body):
        _patch_group_operation(token, change, operation)
    data = _apply_group(token, group, change, before)
    _audit(token, "scim.group_patched", group, **data)
    return group


@transaction.atomic
def delete_group(*, token: ScimToken, group_id: str) -> None:
    group = scim_group_of(token, group_id, for_update=True)
    _audit(token, "scim.group_deleted", group, name=group.name)
    group.delete()
    send_task_on_commit(PURGE_REVOKED_CITATIONS_TASK, workspace_id=token.workspace_id)
