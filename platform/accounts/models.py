from __future__ import annotations

from typing import Any, ClassVar

from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.db import models
from django.utils import timezone


class UserManager(BaseUserManager["User"]):
    def create_user(self, email: str, password: str | None = None, **fields: Any) -> User:
        user = self.model(email=self.normalize_email(email).lower(), **fields)
        if password:
            user.set_password(password)
        else:
            user.set_unusable_password()
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **fields: Any) -> User:
        """`manage.py createsuperuser`: an instance operator (may create workspaces), who is a
        member of no workspace until invited. The operator typed their own address."""
        fields.setdefault("email_verified", True)
        return self.create_user(email, password, is_operator=True, **fields)


class User(AbstractBaseUser):
    """A person. Email is the login and the identity matched against source access lists."""

    email = models.EmailField(unique=True)
    full_name = models.CharField(max_length=200, blank=True)
    is_active = models.BooleanField(default=True)
    email_verified = models.BooleanField(default=False)
    # Verified only by opening an invitation link. The inviting workspace's admins could open
    # that link too ("copy invite link"), so it vouches for the address to that workspace
    # only: such an account is not offered other workspaces' invitations without their own
    # link until a password reset (a link only the mailbox sees) proves the address.
    email_verified_by_invitation = models.BooleanField(default=False)
    # Runs the instance: may create workspaces when WORKSPACE_CREATION=operators. Grants nothing
    # inside a workspace.
    is_operator = models.BooleanField(default=False)
    date_joined = models.DateTimeField(default=timezone.now)

    objects: ClassVar[UserManager] = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = []

    def __str__(self) -> str:
        return self.email
