"""Google credentials for the Drive connector, and the API clients built on them.

Two kinds of credentials:
- a service account key with domain-wide delegation, acting as a Workspace user
  (`service_account_json`, `delegated_user`): what an organisation installs;
- an OAuth client with one person's refresh token (`oauth_client_id`, `oauth_client_secret`,
  `oauth_refresh_token`, optional `token_uri`): what a small team or a test uses.

The service account asks for the Drive and the Directory scopes in separate tokens: Google
refuses a token outright when any scope asked for is not delegated, and a missing group
scope must only cost group membership, not the whole sync.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from google.auth.credentials import Credentials
from google.oauth2 import credentials as oauth2_credentials
from google.oauth2 import service_account
from google_auth_httplib2 import AuthorizedHttp
from googleapiclient import discovery

from common.outbound import OutboundPolicy, default_policy
from common.outbound_httplib2 import GuardedHttp
from connectors.errors import InvalidConfiguration

DRIVE_SCOPES = ("https://www.googleapis.com/auth/drive.readonly",)
GROUP_SCOPES = ("https://www.googleapis.com/auth/admin.directory.group.readonly",)
GOOGLE_TOKEN_URI = "https://oauth2.googleapis.com/token"
REQUEST_TIMEOUT_SECONDS = 60

SERVICE_ACCOUNT = "service_account"
OAUTH = "oauth"


@dataclass(frozen=True)
class GoogleCredentials:
    """The credentials each API is called with (the same object for an OAuth user)."""

    kind: str
    drive: Credentials
    directory: Credentials
    acting_user: str  # the delegated user; empty for OAuth until about.get names them

    @property
    def directory_has_own_token(self) -> bool:
        return self.drive is not self.directory


def load_credentials(fields: Mapping[str, Any]) -> GoogleCredentials:
    """Build google-auth credentials from what the admin entered; InvalidConfiguration if
    they are incomplete or malformed (nothing is sent to Google here)."""
    if fields.get("service_account_json"):
        return _service_account(fields)
    if fields.get("oauth_refresh_token"):
        return _oauth(fields)
    raise InvalidConfiguration(
        "Enter either a service account key (JSON) with the user to act as, or an OAuth "
        "client id, client secret and refresh token."
    )


def _service_account(fields: Mapping[str, Any]) -> GoogleCredentials:
    raw = fields["service_account_json"]
    try:
        info = json.loads(raw) if isinstance(raw, str) else dict(raw)
    except (TypeError, ValueError) as error:
        raise InvalidConfiguration(
            "The service account key is not valid JSON: paste the whole key file downloaded "
            "from the Google Cloud console."
        ) from error
    if not isinstance(info, dict) or info.get("type", "service_account") != "service_account":
        raise InvalidConfiguration("The key file is not a service account key.")
    delegated_user = str(fields.get("delegated_user") or "").strip()
    try:
        base = service_account.Credentials.from_service_account_info(info)
    except (ValueError, KeyError) as error:
        raise InvalidConfiguration(f"The service account key is incomplete: {error}") from error
    if delegated_user:
        # Domain-wide delegation: act as this Workspace user (an admin, to see groups).
        base = base.with_subject(delegated_user)
    return GoogleCredentials(
        kind=SERVICE_ACCOUNT,
        drive=base.with_scopes(list(DRIVE_SCOPES)),
        directory=base.with_scopes(list(GROUP_SCOPES)),
        acting_user=delegated_user.lower(),
    )


def _oauth(fields: Mapping[str, Any]) -> GoogleCredentials:
    missing = [name for name in ("oauth_client_id", "oauth_client_secret") if not fields.get(name)]
    if missing:
        raise InvalidConfiguration(f"Missing OAuth fields: {', '.join(missing)}.")
    # No scopes: a refresh keeps the ones the person granted; asking for others fails.
    credentials = oauth2_credentials.Credentials(
        token=None,
        refresh_token=str(fields["oauth_refresh_token"]),
        client_id=str(fields["oauth_client_id"]),
        client_secret=str(fields["oauth_client_secret"]),
        token_uri=str(fields.get("token_uri") or GOOGLE_TOKEN_URI),
    )
    return GoogleCredentials(kind=OAUTH, drive=credentials, directory=credentials, acting_user="")


def build_service(
    api: str,
    version: str,
    credentials: Credentials,
    base_url: str | None,
    policy: OutboundPolicy | None = None,
) -> Any:
    """A googleapiclient resource for `api`. Against `base_url` (a fake or a proxy) the
    client is built from the discovery document served there; otherwise from the copy
    packaged with the client, so building costs no request.

    Every request (API calls, media downloads, and the token refresh, whose URI comes from
    the admin's key) goes through the outbound policy's Http."""
    policy = policy or default_policy()
    http = AuthorizedHttp(
        credentials,
        http=GuardedHttp(policy, timeout=min(REQUEST_TIMEOUT_SECONDS, policy.timeout_seconds)),
    )
    if base_url:
        return discovery.build(
            api,
            version,
            http=http,
            cache_discovery=False,
            static_discovery=False,
            num_retries=0,
            discoveryServiceUrl=f"{base_url.rstrip('/')}/discovery/v1/apis/{{api}}/{{apiVersion}}/rest",
        )
    return discovery.build(api, version, http=http, cache_discovery=False, static_discovery=True)
