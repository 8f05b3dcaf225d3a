"""The OIDC authorization code flow with PKCE, on Authlib's httpx client (every request to the
issuer, its JWKS and its token endpoint through the outbound policy) and joserfc for the ID
token (Authlib's own JOSE library).

- start: read the issuer's discovery document, keep `state`, `nonce` and the PKCE verifier in
  the browser's session (bound to it: a callback in another browser has no state), redirect.
- callback: the state must be one this session started (used once, ten minutes at most);
  the code is exchanged with the verifier; the ID token's signature is checked against the
  issuer's JWKS (a `kid` the cached JWKS lacks refetches it once: key rotation); `iss`,
  `aud` (and `azp` when there are several audiences), `exp`, `iat` and `nonce` are checked
  with CLOCK_SKEW_SECONDS of leeway; then the preset's rules turn the claims into an
  SsoIdentity (email_verified required; Google's `hd`; Entra's tenant and `xms_edov`).
"""

from __future__ import annotations

import json
import logging
import secrets
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from authlib.integrations.base_client import OAuthError
from authlib.integrations.httpx_client import OAuth2Client
from authlib.integrations.httpx_client._compat import httpx2
from authlib.oauth2.rfc6749.errors import OAuth2Error
from joserfc import jws, jwt
from joserfc.errors import ExpiredTokenError, JoseError, MissingClaimError
from joserfc.jwk import import_key
from joserfc.jwt import JWTClaimsRegistry

from common import crypto
from common.outbound import outbound_error_in
from common.outbound_httpx import guarded_client, guarded_transport
from sso.accounts import SsoIdentity
from sso.errors import SsoError
from sso.models import IdentityProvider, OidcPreset

CLOCK_SKEW_SECONDS = 60
PENDING_SECONDS = 600
MAX_PENDING = 5  # sign-ins one browser may have started at once
CACHE_SECONDS = 300
MAX_DOCUMENT_BYTES = 512 * 1024
ALGORITHMS = ["RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512"]
SESSION_KEY = "sso_oidc_pending"

logger = logging.getLogger(__name__)
HTTP_TIMEOUT_SECONDS = 10.0


@dataclass(frozen=True)
class Metadata:
    issuer: str
    authorization_endpoint: str
    token_endpoint: str
    jwks_uri: str
    algorithms: tuple[str, ...]


@dataclass(frozen=True)
class Verified:
    claims: dict[str, Any]
    identity: SsoIdentity


_cache: dict[str, tuple[float, Any]] = {}
_cache_lock = threading.Lock()


def _cached(url: str) -> Any | None:
    with _cache_lock:
        hit = _cache.get(url)
    return hit[1] if hit and hit[0] > time.monotonic() else None


def _remember(url: str, value: Any) -> None:
    with _cache_lock:
        _cache[url] = (time.monotonic() + CACHE_SECONDS, value)


def _outbound_failure(error: BaseException, what: str) -> SsoError:
    logger.warning("oidc %s request failed: %r", what, error)
    refused = outbound_error_in(error)
    if refused is not None:
        return SsoError(
            "issuer_refused",
            f"The identity provider's {what} may not be reached from this platform: {refused}",
        )
    return SsoError(
        "issuer_unreachable",
        f"The identity provider's {what} did not answer. Check the issuer URL, or try again.",
    )


def _get_json(url: str, what: str, *, fresh: bool = False) -> dict[str, Any]:
    if not fresh and (hit := _cached(url)) is not None:
        return dict(hit)
    try:
        with guarded_client(timeout=HTTP_TIMEOUT_SECONDS) as client:
            response = client.get(url, headers={"Accept": "application/json"})
            body = response.read()
    except Exception as error:
        raise _outbound_failure(error, what) from error
    if response.status_code != 200 or len(body) > MAX_DOCUMENT_BYTES:
        raise SsoError(
            "issuer_unreachable",
            f"The identity provider's {what} answered {response.status_code}. Check the issuer.",
        )
    try:
        value = json.loads(body)
    except ValueError as error:
        raise SsoError("issuer_invalid", f"The identity provider's {what} is not JSON.") from error
    if not isinstance(value, dict):
        raise SsoError("issuer_invalid", f"The identity provider's {what} is not a JSON object.")
    _remember(url, value)
    return value


def _endpoint(document: Mapping[str, Any], name: str) -> str:
    value = document.get(name)
    if not isinstance(value, str) or urlsplit(value).scheme not in ("https", "http"):
        raise SsoError("issuer_invalid", f"The discovery document has no usable {name}.")
    return value


def fetch_metadata(issuer: str) -> Metadata:
    """The issuer's discovery document; its `issuer` must be the configured one exactly."""
    document = _get_json(f"{issuer.rstrip('/')}/.well-known/openid-configuration", "discovery")
    if str(document.get("issuer", "")).rstrip("/") != issuer.rstrip("/"):
        raise SsoError(
            "issuer_mismatch",
            "The discovery document names another issuer than the one configured. Copy the "
            "issuer URL exactly from your identity provider.",
        )
    offered = document.get("id_token_signing_alg_values_supported") or ["RS256"]
    algorithms = tuple(a for a in ALGORITHMS if a in offered) or ("RS256",)
    return Metadata(
        issuer=str(document["issuer"]),
        authorization_endpoint=_endpoint(document, "authorization_endpoint"),
        token_endpoint=_endpoint(document, "token_endpoint"),
        jwks_uri=_endpoint(document, "jwks_uri"),
        algorithms=algorithms,
    )


def _oauth_client(provider: IdentityProvider, redirect_uri: str) -> OAuth2Client:
    secret = crypto.decrypt(provider.encrypted_secret) if provider.encrypted_secret else None
    return OAuth2Client(
        client_id=provider.config["client_id"],
        client_secret=secret,
        scope=provider.config.get("scopes", "openid email profile"),
        redirect_uri=redirect_uri,
        code_challenge_method="S256",
        token_endpoint_auth_method="client_secret_basic" if secret else "none",
        # Authlib's httpx client is built on httpx2 (httpx when that is missing): the
        # policy's transport for that same library.
        transport=guarded_transport(library=httpx2.__name__),
        trust_env=False,
        timeout=HTTP_TIMEOUT_SECONDS,
    )


# ---- start ---------------------------------------------------------------------------------


def authorization_url(
    *, provider: IdentityProvider, session: Any, redirect_uri: str, test: bool
) -> str:
    """Where to send the browser; the pending sign-in is kept in `session` (Django's)."""
    metadata = fetch_metadata(provider.config["issuer"])
    state = secrets.token_urlsafe(32)
    nonce = secrets.token_urlsafe(32)
    verifier = secrets.token_urlsafe(64)
    extra: dict[str, str] = {"nonce": nonce}
    if provider.preset == OidcPreset.GOOGLE and provider.config.get("hd"):
        extra["hd"] = provider.config["hd"]  # a hint to Google's chooser; checked on the token
    if test:
        extra["prompt"] = "login"
    with _oauth_client(provider, redirect_uri) as client:
        url, _ = client.create_authorization_url(
            metadata.authorization_endpoint, state=state, code_verifier=verifier, **extra
        )
    now = time.time()
    pending = {
        key: value
        for key, value in dict(session.get(SESSION_KEY) or {}).items()
        if value.get("at", 0) > now - PENDING_SECONDS
    }
    while len(pending) >= MAX_PENDING:
        pending.pop(min(pending, key=lambda key: pending[key]["at"]))
    pending[state] = {
        "workspace_id": provider.workspace_id,
        "nonce": nonce,
        "verifier": verifier,
        "test": test,
        "at": now,
    }
    session[SESSION_KEY] = pending
    return str(url)


def take_pending(*, session: Any, state: str, workspace_id: int) -> dict[str, Any]:
    """The pending sign-in this session started with `state`, removed so it works once."""
    pending = dict(session.get(SESSION_KEY) or {})
    found = pending.pop(state, None) if state else None
    session[SESSION_KEY] = pending
    if (
        not isinstance(found, dict)
        or found.get("workspace_id") != workspace_id
        or found.get("at", 0) < time.time() - PENDING_SECONDS
    ):
        raise SsoError(
            "state_mismatch",
            "This sign-in was not started in this browser, or it expired. Start again from "
            "the login page.",
        )
    return found


# ---- callback ------------------------------------------------------------------------------


def exchange_code(
    *, provider: IdentityProvider, code: str, verifier: str, redirect_uri: str
) -> dict[str, Any]:
    metadata = fetch_metadata(provider.config["issuer"])
    try:
        with _oauth_client(provider, redirect_uri) as client:
            token = client.fetch_token(
                metadata.token_endpoint,
                grant_type="authorization_code",
                code=code,
                code_verifier=verifier,
            )
    except (OAuth2Error, OAuthError) as error:
        raise SsoError(
            "token_refused",
            "The identity provider refused the sign-in code (used already, or expired). "
            "Start again from the login page.",
        ) from error
    except Exception as error:
        raise _outbound_failure(error, "token endpoint") from error
    if not isinstance(token, Mapping) or not isinstance(token.get("id_token"), str):
        raise SsoError("id_token_missing", "The identity provider sent no ID token.")
    return dict(token)


def _signing_key(metadata: Metadata, kid: str | None) -> Any:
    """The JWKS key for `kid`; a kid the cached JWKS lacks refetches it once (rotation)."""
    for fresh in (False, True):
        keys = _get_json(metadata.jwks_uri, "key set", fresh=fresh).get("keys")
        candidates = [
            k
            for k in (keys if isinstance(keys, list) else [])
            if isinstance(k, dict) and k.get("use", "sig") == "sig"
        ]
        matching = [k for k in candidates if kid is None or k.get("kid") == kid]
        if kid is None and len(matching) != 1:
            matching = []  # without a kid, only an unambiguous single key will do
        if matching:
            try:
                return import_key(matching[0])
            except (JoseError, ValueError) as error:
                raise SsoError(
                    "issuer_invalid", "The identity provider's key is unusable."
                ) from error
    raise SsoError(
        "unknown_signing_key",
        "The ID token is signed by a key the identity provider does not publish. Try again; "
        "if it keeps failing, ask your admin to check the provider.",
    )


def verify_id_token(
    *, provider: IdentityProvider, id_token: str, nonce: str, metadata: Metadata | None = None
) -> dict[str, Any]:
    metadata = metadata or fetch_metadata(provider.config["issuer"])
    if len(id_token) > 64 * 1024:
        raise SsoError("id_token_invalid", "The ID token is too large.")
    try:
        header = jws.extract_compact(id_token.encode()).headers()
    except (JoseError, ValueError) as error:
        raise SsoError("id_token_invalid", "The ID token is not a signed JWT.") from error
    if header.get("alg") not in metadata.algorithms:
        raise SsoError("id_token_invalid", "The ID token is signed with an algorithm not allowed.")
    kid = header.get("kid")
    key = _signing_key(metadata, kid if isinstance(kid, str) else None)
    try:
        token = jwt.decode(id_token, key, algorithms=list(metadata.algorithms))
    except (JoseError, ValueError) as error:
        raise SsoError("id_token_invalid", "The ID token's signature does not verify.") from error
    claims = dict(token.claims)
    client_id = provider.config["client_id"]
    registry = JWTClaimsRegistry(
        leeway=CLOCK_SKEW_SECONDS,
        iss={"essential": True, "value": metadata.issuer},
        aud={"essential": True, "value": client_id},
        sub={"essential": True},
        exp={"essential": True},
        iat={"essential": True},
        nonce={"essential": True, "value": nonce},
    )
    try:
        registry.validate(claims)
    except ExpiredTokenError as error:
        raise SsoError(
            "id_token_expired",
            "The sign-in took too long or this server's clock is wrong. Start again.",
        ) from error
    except (MissingClaimError, JoseError) as error:
        claim = str(getattr(error, "claim", "") or getattr(error, "description", "") or error)
        code = "nonce_mismatch" if "nonce" in claim else "id_token_invalid"
        raise SsoError(
            code, "The identity provider's answer does not belong to this sign-in. Start again."
        ) from error
    audiences = claims["aud"] if isinstance(claims["aud"], list) else [claims["aud"]]
    if len(audiences) > 1 and claims.get("azp") != client_id:
        raise SsoError("id_token_invalid", "The ID token was issued to another application.")
    return claims


def _truthy(value: Any) -> bool:
    return value is True or (isinstance(value, str) and value.lower() == "true")


def identity_from_claims(provider: IdentityProvider, claims: Mapping[str, Any]) -> SsoIdentity:
    """The preset's rules: what makes the email verified, and which claims must match."""
    config = provider.config
    preset = provider.preset
    email = claims.get("email")
    if not isinstance(email, str) or "@" not in email or len(email) > 254:
        raise SsoError(
            "email_missing",
            "Your identity provider sent no email address. Ask your admin to release the "
            "'email' claim to this application.",
        )
    verified = _truthy(claims.get("email_verified"))
    if preset == OidcPreset.ENTRA:
        if claims.get("tid") != config.get("tenant_id"):
            raise SsoError("tenant_mismatch", "This account belongs to another Entra tenant.")
        # Entra sends no email_verified; xms_edov (an optional claim) says the domain of the
        # email is verified by the tenant that owns it.
        verified = verified or _truthy(claims.get("xms_edov"))
    hd = config.get("hd") if preset == OidcPreset.GOOGLE else None
    if hd and str(claims.get("hd", "")).lower() != hd:
        raise SsoError(
            "hd_mismatch",
            f"Sign in with your {hd} Google Workspace account, not another one.",
        )
    name = claims.get("name")
    if not isinstance(name, str):
        given, family = claims.get("given_name"), claims.get("family_name")
        name = " ".join(str(p) for p in (given, family) if isinstance(p, str))
    raw_groups = claims.get(config.get("groups_claim") or "groups") or []
    if isinstance(raw_groups, str):
        raw_groups = [raw_groups]
    groups = tuple(str(g)[:200] for g in raw_groups if isinstance(g, (str, int)))[:200]
    return SsoIdentity(
        email=email.strip().lower(),
        email_verified=verified,
        name=name[:200],
        groups=groups,
        subject=str(claims.get("sub", "")),
        protocol="oidc",
    )


def complete(
    *, provider: IdentityProvider, code: str, pending: Mapping[str, Any], redirect_uri: str
) -> Verified:
    token = exchange_code(
        provider=provider, code=code, verifier=pending["verifier"], redirect_uri=redirect_uri
    )
    claims = verify_id_token(provider=provider, id_token=token["id_token"], nonce=pending["nonce"])
    return Verified(claims=claims, identity=identity_from_claims(provider, claims))
