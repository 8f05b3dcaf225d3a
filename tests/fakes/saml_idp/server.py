"""The fake IdP over HTTP, for tests and browser flows: metadata, and a login page.

GET /metadata is the IdP's metadata. GET /sso?SAMLRequest=..&RelayState=.. (HTTP-Redirect
binding) decodes the AuthnRequest and shows a sign-in form; POST /sso/login answers the HTML
page a real IdP answers, whose form auto-posts the signed SAMLResponse and the RelayState to
the AuthnRequest's AssertionConsumerServiceURL (HTTP-POST binding).
"""

from __future__ import annotations

import base64
import html
import zlib
from typing import Any

from lxml import etree

from tests.fakes.http import FakeServer, Request, Response
from tests.fakes.saml_idp.idp import FakeSamlIdp, encode


def _page(body: str) -> Response:
    document = (
        f"<!doctype html><html><head><title>Fake IdP</title></head><body>{body}</body></html>"
    )
    return Response(200, document.encode(), content_type="text/html; charset=utf-8")


class FakeSamlIdpServer(FakeServer):
    def __init__(self, *, groups: tuple[str, ...] = ()) -> None:
        super().__init__()
        self.idp = FakeSamlIdp()
        self.groups = groups

    def start(self) -> FakeSamlIdpServer:
        super().start()
        self.idp.entity_id = f"{self.url}/metadata"
        self.idp.sso_url = f"{self.url}/sso"
        return self

    def __enter__(self) -> FakeSamlIdpServer:
        return self.start()

    def handle(self, request: Request) -> Response:
        if request.method == "GET" and request.path == "/metadata":
            return Response(
                200, self.idp.metadata_xml(), content_type="application/samlmetadata+xml"
            )
        if request.method == "GET" and request.path == "/sso":
            authn = etree.fromstring(
                zlib.decompress(base64.b64decode(request.query["SAMLRequest"]), -15)
            )
            fields = {
                "request_id": authn.get("ID", ""),
                "acs_url": authn.get("AssertionConsumerServiceURL", ""),
                "audience": authn.findtext("{urn:oasis:names:tc:SAML:2.0:assertion}Issuer") or "",
                "relay_state": request.query.get("RelayState", ""),
            }
            hidden = "".join(
                f'<input type="hidden" name="{name}" value="{html.escape(value)}">'
                for name, value in fields.items()
            )
            return _page(
                '<h1>Fake IdP sign-in</h1><form method="post" action="/sso/login">'
                f'{hidden}<label>Email <input name="email" type="email"></label>'
                '<button type="submit">Sign in</button></form>'
            )
        if request.method == "POST" and request.path == "/sso/login":
            return self.login_answer(request.form())
        return Response(404, {"error": "not found"})

    def login_answer(self, form: dict[str, Any]) -> Response:
        response = self.idp.response(
            audience=form["audience"],
            acs_url=form["acs_url"],
            email=form["email"],
            groups=self.groups,
            in_response_to=form["request_id"] or None,
        )
        return _page(
            f'<form method="post" action="{html.escape(form["acs_url"])}" id="saml">'
            f'<input type="hidden" name="SAMLResponse" value="{encode(response)}">'
            f'<input type="hidden" name="RelayState" value="{html.escape(form["relay_state"])}">'
            '<noscript><button type="submit">Continue</button></noscript></form>'
            "<script>document.getElementById('saml').submit()</script>"
        )
