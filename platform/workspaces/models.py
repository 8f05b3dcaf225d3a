from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone


class Role(models.TextChoices):
    ADMIN = "admin"
    BUILDER = "builder"
    MEMBER = "member"


ROLE_RANK = {Role.MEMBER: 0, Role.BUILDER: 1, Role.ADMIN: 2}


class RevokedSourcesPolicy(models.TextChoices):
    """What a reader sees of an old answer that cited a source they can no longer open."""

    HIDE = "hide"  # the text is withheld; the reader may ask again under today's access
    SHOW = "show"  # the text is shown; the closed sources are still left out


class Workspace(models.Model):
    """A tenant. Every row that belongs to a tenant carries workspace_id."""

    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=80, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    answers_with_revoked_sources = models.CharField(
        max_length=8, choices=RevokedSourcesPolicy.choices, default=RevokedSourcesPolicy.HIDE
    )

    def __str__(self) -> str:
        return self.slug


class Membership(models.Model):
    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(max_length=16, choices=Role.choices, default=Role.MEMBER)
    created_at = models.DateTimeField(auto_now_add=True)
    # Set when the identity provider deactivates the person (SCIM active=false): every access
    # check treats the membership as absent, while their conversations and groups are kept
    # for a reactivation.
    deactivated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["workspace", "user"], name="membership_unique_user"),
        ]

    def has_role(self, role: Role) -> bool:
        return ROLE_RANK[Role(self.role)] >= ROLE_RANK[role]

    def has_role_admin(self) -> bool:
        return self.has_role(Role.ADMIN)


class Group(models.Model):
    """A named set of members: manual, or synced from a source (source + external_id)."""

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="groups")
    name = models.CharField(max_length=200)
    source = models.CharField(max_length=32, default="manual")
    external_id = models.CharField(max_length=255, blank=True, default="")
    members = models.ManyToManyField(Membership, through="GroupMember", related_name="groups")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["workspace", "name"], name="group_unique_name"),
        ]


class GroupMember(models.Model):
    group = models.ForeignKey(Group, on_delete=models.CASCADE)
    membership = models.ForeignKey(Membership, on_delete=models.CASCADE)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["group", "membership"], name="group_member_unique"),
        ]


class SpaceKind(models.TextChoices):
    COMPANY = "company"
    RESTRICTED = "restricted"


class SpaceAccess(models.TextChoices):
    READ = "read"
    READ_WRITE = "read_write"


class Space(models.Model):
    """Where data and agents live. The company space holds every member of its workspace."""

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="spaces")
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True, default="")
    kind = models.CharField(max_length=16, choices=SpaceKind.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["workspace", "name"], name="space_unique_name"),
            models.UniqueConstraint(
                fields=["workspace"],
                condition=Q(kind="company"),
                name="space_one_company_space",
            ),
        ]


class SpaceGrant(models.Model):
    """Access to a restricted space, for one member or one group."""

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE)
    space = models.ForeignKey(Space, on_delete=models.CASCADE, related_name="grants")
    membership = models.ForeignKey(Membership, null=True, blank=True, on_delete=models.CASCADE)
    group = models.ForeignKey(Group, null=True, blank=True, on_delete=models.CASCADE)
    access = models.CharField(max_length=16, choices=SpaceAccess.choices, default=SpaceAccess.READ)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=(Q(membership__isnull=False, group__isnull=True))
                | (Q(membership__isnull=True, group__isnull=False)),
                name="space_grant_exactly_one_grantee",
            ),
            models.UniqueConstraint(fields=["space", "membership"], name="space_grant_member"),
            models.UniqueConstraint(fields=["space", "group"], name="space_grant_group"),
        ]


class ApiToken(models.Model):
    """A bearer token for programs: scoped to one workspace, acting as the member who made it.

    Only a SHA-256 of the secret is stored; the secret is shown once at creation.
    """

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="api_tokens")
    membership = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=200)
    prefix = models.CharField(max_length=16)
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None


class InvitationStatus(models.TextChoices):
    PENDING = "pending"
    ACCEPTED = "accepted"
    REVOKED = "revoked"
    EXPIRED = "expired"


class Invitation(models.Model):
    """An offer to join a workspace, sent to an email address. It never creates an account or
    touches one: the person accepts with their own password (new) or their own login (existing).

    Only a SHA-256 of the link's token is stored; re-issuing replaces it, so an older link
    stops working. At most one open (neither accepted nor revoked) invitation per address and
    workspace: inviting again re-issues it.
    """

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField()
    role = models.CharField(max_length=16, choices=Role.choices, default=Role.MEMBER)
    invited_by = models.ForeignKey(
        Membership, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["workspace", "email"],
                condition=Q(accepted_at__isnull=True, revoked_at__isnull=True),
                name="invitation_one_open_per_email",
            ),
        ]

    @property
    def status(self) -> InvitationStatus:
        if self.accepted_at is not None:
            return InvitationStatus.ACCEPTED
        if self.revoked_at is not None:
            return InvitationStatus.REVOKED
        if self.expires_at <= timezone.now():
            return InvitationStatus.EXPIRED
        return InvitationStatus.PENDING
