"""The one error of a sign-in through a workspace's identity provider."""

from __future__ import annotations


class SsoError(Exception):
    """A refused SSO sign-in. `code` goes into the redirect (/login?sso_error=<code>);
    `message` says what to do next and is safe to show (no claims, no stack trace)."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
