"""A fake OpenID Connect provider on 127.0.0.1, built on Authlib's server side
(`AuthorizationServer`, `AuthorizationCodeGrant`, `CodeChallenge` and `OpenIDCode`), so the
platform's client meets a real authorization server's checks and wire format:

- `/.well-known/openid-configuration` (discovery), `/jwks` (the public keys),
- `/authorize`: the authorization code flow with PKCE (S256 required); it approves the
  configured `user` at once (`auto_approve`, for the test client) or shows a sign-in form
  whose email field chooses the person (for the browser flow),
- `/token`: client_secret_basic or client_secret_post; a code works once (a replayed code
  answers `invalid_grant`), and the code verifier must match the challenge,
- `/userinfo`: the claims, for the access token.

Knobs for the tests: `user` (the claims of the person who signs in), `id_token_overrides`
(claims forced into the next ID tokens: a wrong `aud`, an old `exp`, another `nonce`),
`rotate_keys()` (a new signing key, published beside the old one or instead of it) and
`sign_with_unknown_key` (ID tokens signed by a key the JWKS never lists).
"""

from __future__ import annotations

import html
import secrets
import time
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs, urlencode

from authlib.oauth2 import AuthorizationServer
from authlib.oauth2.rfc6749 import grants
from authlib.oauth2.rfc6749.requests import BasicOAuth2Payload, OAuth2Request
from authlib.oauth2.rfc6750 import BearerTokenGenerator
from authlib.oauth2.rfc7636 import CodeChallenge
from authlib.oidc.core import UserInfo
from authlib.oidc.core.grants import OpenIDCode
from joserfc.jwk import RSAKey

from tests.fakes.http import FakeServer, Request, Response

CLIENT_ID = "platform-client"
CLIENT_SECRET = "fake-oidc-client-secret"


@dataclass
class FakeClient:
    client_id: str
    client_secret: str
    redirect_uris: list[str]

    def get_client_id(self) -> str:
        return self.client_id

    def get_default_redirect_uri(self) -> str:
        return self.redirect_uris[0]

    def get_allowed_scope(self, scope: str) -> str:
        allowed = {"openid", "email", "profile", "groups"}
        return " ".join(s for s in (scope or "").split() if s in allowed)

    def check_redirect_uri(self, redirect_uri: str) -> bool:
        # Empty list: any redirect URI (the platform's port is chosen at run time).
        return not self.redirect_uris or redirect_uri in self.redirect_uris

    def check_client_secret(self, client_secret: str) -> bool:
        return secrets.compare_digest(client_secret, self.client_secret)

    def check_endpoint_auth_method(self, method: str, endpoint: str) -> bool:
        return method in ("client_secret_basic", "client_secret_post")

    def check_response_type(self, response_type: str) -> bool:
        return response_type == "code"

    def check_grant_type(self, grant_type: str) -> bool:
        return grant_type == "authorization_code"


@dataclass
class FakeCode:
    code: str
    client_id: str
    redirect_uri: str
    scope: str
    user: dict[str, Any]
    nonce: str | None
    code_challenge: str | None
    code_challenge_method: str | None
    auth_time: int = field(default_factory=lambda: int(time.time()))

    def get_redirect_uri(self) -> str:
        return self.redirect_uri

    def get_scope(self) -> str:
        return self.scope

    def get_nonce(self) -> str | None:
        return self.nonce

    def get_auth_time(self) -> int:
        return self.auth_time

    def get_acr(self) -> None:
        return None

    def get_amr(self) -> None:
        return None


class _Payload(BasicOAuth2Payload):
    def __init__(self, data: dict[str, str], lists: dict[str, list[str]]) -> None:
        super().__init__(data)
        self._datalist = lists


class _Request(OAuth2Request):
    def __init__(self, request: Request, base_url: str) -> None:
        query = parse_qs(urlencode(request.query))
        form = parse_qs(request.body.decode()) if request.method == "POST" else {}
        lists = {**query, **form}
        super().__init__(request.method, base_url + request.path, headers=request.headers)
        self.payload = _Payload({k: v[-1] for k, v in lists.items()}, lists)
        self._args = {k: v[-1] for k, v in query.items()}
        self._form = {k: v[-1] for k, v in form.items()}

    @property
    def args(self) -> dict[str, str]:
        return self._args

    @property
    def form(self) -> dict[str, str]:
        return self._form


class FakeOidcProvider(FakeServer):
    def __init__(
        self,
        *,
        client_id: str = CLIENT_ID,
        client_secret: str = CLIENT_SECRET,
        redirect_uris: list[str] | None = None,
        auto_approve: bool = True,
        user: dict[str, Any] | None = None,
    ) -> None:
        super().__init__()
        self.client = FakeClient(client_id, client_secret, redirect_uris or [])
        self.auto_approve = auto_approve
        self.user: dict[str, Any] = user or {
            "sub": "user-1",
            "email": "ada@acme.test",
            "email_verified": True,
            "name": "Ada Lovelace",
            "groups": ["engineering"],
        }
        self.id_token_overrides: dict[str, Any] = {}
        self.sign_with_unknown_key = False
        self.keys: list[RSAKey] = [self._new_key()]
        self.codes: dict[str, FakeCode] = {}
        self.tokens: dict[str, dict[str, Any]] = {}
        self.jwks_fetches = 0
        self.server = self._build_server()

    # ---- knobs -----------------------------------------------------------------------

    @property
    def issuer(self) -> str:
        return self.url

    def rotate_keys(self, *, keep_old: bool = False) -> RSAKey:
        """A new signing key, listed first in the JWKS (the old one kept or dropped)."""
        key = self._new_key()
        self.keys = [key, *self.keys] if keep_old else [key]
        return key

    @staticmethod
    def _new_key() -> RSAKey:
        return RSAKey.generate_key(2048, parameters={"kid": secrets.token_hex(8), "use": "sig"})

    # ---- Authlib's server ------------------------------------------------------------

    def _build_server(self) -> AuthorizationServer:
        fake = self

        class Server(AuthorizationServer):  # type: ignore[misc]
            def query_client(self, client_id: str) -> FakeClient | None:
                return fake.client if client_id == fake.client.client_id else None

            def save_token(self, token: dict[str, Any], request: Any) -> None:
                fake.tokens[token["access_token"]] = dict(request.user)

            def create_oauth2_request(self, request: Any) -> Any:
                return (
                    request if isinstance(request, OAuth2Request) else _Request(request, fake.url)
                )

            def create_json_request(self, request: Any) -> Any:
                raise NotImplementedError

            def handle_response(self, status: int, body: Any, headers: Any) -> Response:
                headers = dict(headers)
                if isinstance(body, dict):
                    return Response(status, body, headers)
                return Response(status, (body or "").encode(), headers, "text/plain")

            def send_signal(self, name: str, *args: Any, **kwargs: Any) -> None:
                return None

        class CodeGrant(grants.AuthorizationCodeGrant):  # type: ignore[misc]
            TOKEN_ENDPOINT_AUTH_METHODS = ["client_secret_basic", "client_secret_post"]

            def save_authorization_code(self, code: str, request: Any) -> None:
                data = request.payload.data
                fake.codes[code] = FakeCode(
                    code=code,
                    client_id=request.client.client_id,
                    redirect_uri=request.payload.redirect_uri,
                    scope=request.payload.scope,
                    user=dict(request.user),
                    nonce=data.get("nonce"),
                    code_challenge=data.get("code_challenge"),
                    code_challenge_method=data.get("code_challenge_method"),
                )

            def query_authorization_code(self, code: str, client: FakeClient) -> FakeCode | None:
                found = fake.codes.get(code)
                return found if found and found.client_id == client.client_id else None

            def delete_authorization_code(self, authorization_code: FakeCode) -> None:
                fake.codes.pop(authorization_code.code, None)

            def authenticate_user(self, authorization_code: FakeCode) -> dict[str, Any]:
                return authorization_code.user

        class OpenIdCodeExtension(OpenIDCode):  # type: ignore[misc]
            def exists_nonce(self, nonce: str, request: Any) -> bool:
                return any(c.nonce == nonce for c in fake.codes.values())

            def resolve_client_private_key(self, client: FakeClient) -> RSAKey:
                if fake.sign_with_unknown_key:
                    return fake._new_key()
                return fake.keys[0]

            def get_client_algorithm(self, client: FakeClient) -> str:
                return "RS256"

            def get_client_claims(self, client: FakeClient) -> dict[str, Any]:
                return {"iss": fake.issuer, "aud": [client.client_id]}

            def get_encode_header(self, client: FakeClient) -> dict[str, Any]:
                key = self.resolve_client_private_key(client)
                return {"alg": "RS256", "kid": key.kid}

            def generate_user_info(self, user: dict[str, Any], scope: str) -> UserInfo:
                # The overrides win over every claim Authlib set (iss, aud, exp, nonce).
                return UserInfo({**user, **fake.id_token_overrides})

        server = Server()
        server.register_token_generator(
            "default", BearerTokenGenerator(lambda *_args, **_kw: secrets.token_urlsafe(32))
        )
        server.register_grant(
            CodeGrant, [CodeChallenge(required=True), OpenIdCodeExtension(require_nonce=True)]
        )
        return server

    # ---- HTTP ------------------------------------------------------------------------

    def discovery(self) -> dict[str, Any]:
        return {
            "issuer": self.issuer,
            "authorization_endpoint": f"{self.url}/authorize",
            "token_endpoint": f"{self.url}/token",
            "userinfo_endpoint": f"{self.url}/userinfo",
            "jwks_uri": f"{self.url}/jwks",
            "response_types_supported": ["code"],
            "subject_types_supported": ["public"],
            "id_token_signing_alg_values_supported": ["RS256"],
            "scopes_supported": ["openid", "email", "profile", "groups"],
            "token_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post"],
            "code_challenge_methods_supported": ["S256"],
            "claims_supported": ["sub", "email", "email_verified", "name", "groups", "hd"],
        }

    def handle(self, request: Request) -> Response:
        if request.path == "/.well-known/openid-configuration":
            return Response(200, self.discovery())
        if request.path == "/jwks":
            self.jwks_fetches += 1
            return Response(200, {"keys": [key.as_dict(private=False) for key in self.keys]})
        if request.path == "/authorize":
            return self._authorize(request)
        if request.path == "/token" and request.method == "POST":
            return self.server.create_token_response(_Request(request, self.url))  # type: ignore[no-any-return]
        if request.path == "/userinfo":
            claims = self.tokens.get(request.bearer_token())
            if claims is None:
                return Response(401, {"error": "invalid_token"})
            return Response(200, claims)
        return Response(404, {"error": "not_found"})

    def _authorize(self, request: Request) -> Response:
        oauth_request = _Request(request, self.url)
        if not self.auto_approve and request.method == "GET":
            try:
                self.server.get_consent_grant(oauth_request)
            except Exception as error:  # noqa: BLE001 - show Authlib's refusal on the page
                return Response(400, f"authorization refused: {error}".encode(), {}, "text/plain")
            return self._login_form(request)
        user = dict(self.user)
        email = oauth_request.form.get("email") if request.method == "POST" else None
        if email:
            user.update(email=email, sub=f"sub-{email}", name=email.split("@")[0].title())
        return self.server.create_authorization_response(oauth_request, grant_user=user)  # type: ignore[no-any-return]

    def _login_form(self, request: Request) -> Response:
        action = "/authorize?" + urlencode(request.query)
        email = html.escape(str(self.user.get("email", "")))
        page = f"""<!doctype html><html><head><title>Fake identity provider</title></head>
<body style="font-family: sans-serif; max-width: 24rem; margin: 4rem auto">
<h1>Fake identity provider</h1><p>Sign in to continue to the platform.</p>
<form method="post" action="{html.escape(action)}">
<label>Email <input name="email" type="email" value="{email}"></label>
<button type="submit">Sign in</button></form></body></html>"""
        return Response(200, page.encode(), {}, "text/html; charset=utf-8")
