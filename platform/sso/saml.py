"""SAML 2.0 service provider, one per workspace: settings, metadata, requests, responses.

The checks of a response are python3-saml's (OneLogin) in strict mode, over the xmlsec
binding: schema, one assertion, signed elements by ID (the XML signature wrapping defences),
the signature against the IdP's certificates, audience, issuer, destination and recipient,
the validity window and the bearer subject confirmation. This module adds what a toolkit
cannot know: which request a response answers (`expected_request_id`, or an unsolicited one
only where the admin allows IdP-initiated sign-in), replayed assertion ids (Redis, kept until
the assertion expires), the attribute mapping, and one error code per refusal.

Metadata an admin uploads or names by URL is parsed here with defusedxml (no DTD, no entity
expansion), size-bounded, and a URL is fetched through `common.outbound`.
"""

from __future__ import annotations

import base64
import binascii
import dataclasses
import datetime as dt
import hashlib
import json
import secrets
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode, urlsplit
from xml.etree.ElementTree import Element

from cryptography import x509
from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring as safe_fromstring
from django.conf import settings
from django.http import HttpRequest
from onelogin.saml2.authn_request import OneLogin_Saml2_Authn_Request
from onelogin.saml2.errors import OneLogin_Saml2_ValidationError
from onelogin.saml2.response import OneLogin_Saml2_Response
from onelogin.saml2.settings import OneLogin_Saml2_Settings

from common.errors import InvalidInput
from common.outbound import OutboundError
from common.outbound_checks import outbound_policy
from common.outbound_urllib import guarded_opener, read_bounded
from common.redis import redis_client
from sso.accounts import SsoIdentity, sign_in_with_sso
from sso.errors import SsoError
from sso.models import IdentityProvider, Protocol
from workspaces.access import access_role
from workspaces.models import Membership, Role

EMAIL_FORMAT = "urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress"
POST_BINDING = "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST"
REDIRECT_BINDING = "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect"
MD = "urn:oasis:names:tc:SAML:2.0:metadata"
DS = "http://www.w3.org/2000/09/xmldsig#"

MAX_METADATA_BYTES = 1024 * 1024
MAX_RESPONSE_CHARS = 512 * 1024  # base64 of a SAMLResponse; real ones are a few KB
REPLAY_MARGIN_SECONDS = 300  # python3-saml's allowed clock drift

# Attribute names tried, in order, when the admin names none: Okta and Google Workspace send
# what the admin maps (these are the names the README suggests); Entra ID sends its claim URIs.
DEFAULT_NAME_ATTRIBUTES = (
    "displayName",
    "name",
    "http://schemas.microsoft.com/identity/claims/displayname",
)
DEFAULT_GROUPS_ATTRIBUTES = (
    "groups",
    "http://schemas.microsoft.com/ws/2008/06/identity/claims/groups",
    "memberOf",
)
DEFAULT_EMAIL_ATTRIBUTES = (
    "email",
    "mail",
    "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress",
)
FIRST_NAME_ATTRIBUTES = (
    "firstName",
    "givenName",
    "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/givenname",
)
LAST_NAME_ATTRIBUTES = (
    "lastName",
    "surname",
    "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/surname",
)


class SamlRefused(SsoError):
    """A SAML response or request the SP will not accept; `code` goes to the login page."""


_E = OneLogin_Saml2_ValidationError
# python3-saml's validation codes, folded into the codes the login page explains.
_SIGNATURE_INVALID = (
    "saml_signature_invalid",
    "The identity provider's signature on the sign-in response does not verify. Check that "
    "the certificate in the SAML settings is the IdP's current signing certificate.",
)
_SIGNATURE_WRAPPING = (
    "saml_signature_wrapping",
    "The sign-in response's signed parts are not where they belong (XML signature "
    "wrapping); it was refused.",
)
_REFUSAL_CODES: dict[int, tuple[str, str]] = {
    **dict.fromkeys(
        (_E.INVALID_SIGNATURE, _E.NO_SIGNATURE_FOUND, _E.NO_SIGNED_ASSERTION), _SIGNATURE_INVALID
    ),
    **dict.fromkeys(
        (
            _E.WRONG_NUMBER_OF_ASSERTIONS,
            _E.WRONG_NUMBER_OF_SIGNATURES_IN_RESPONSE,
            _E.WRONG_NUMBER_OF_SIGNATURES_IN_ASSERTION,
            _E.WRONG_NUMBER_OF_SIGNATURES,
            _E.INVALID_SIGNED_ELEMENT,
            _E.WRONG_SIGNED_ELEMENT,
            _E.UNEXPECTED_SIGNED_ELEMENTS,
            _E.ID_NOT_FOUND_IN_SIGNED_ELEMENT,
            _E.DUPLICATED_ID_IN_SIGNED_ELEMENTS,
            _E.DUPLICATED_REFERENCE_IN_SIGNED_ELEMENTS,
        ),
        _SIGNATURE_WRAPPING,
    ),
    _E.WRONG_AUDIENCE: (
        "saml_wrong_audience",
        "The sign-in response was meant for another service provider (audience). Check the "
        "SP entity id pasted into the identity provider.",
    ),
    _E.ASSERTION_EXPIRED: (
        "saml_expired",
        "The sign-in response has expired. Sign in again; if it keeps happening, check the "
        "server clocks.",
    ),
    _E.SESSION_EXPIRED: ("saml_expired", "The identity provider's session has expired."),
    _E.ASSERTION_TOO_EARLY: (
        "saml_not_yet_valid",
        "The sign-in response is not valid yet. Check the server clocks.",
    ),
    _E.WRONG_INRESPONSETO: (
        "saml_wrong_request",
        "The sign-in response answers a different sign-in request. Start signing in again.",
    ),
    _E.WRONG_ISSUER: (
        "saml_wrong_issuer",
        "The sign-in response comes from another identity provider than the one configured.",
    ),
    _E.WRONG_DESTINATION: (
        "saml_wrong_destination",
        "The sign-in response was sent to another address. Check the ACS URL pasted into "
        "the identity provider.",
    ),
    _E.STATUS_CODE_IS_NOT_SUCCESS: (
        "saml_idp_refused",
        "The identity provider did not sign you in.",
    ),
    _E.DEPRECATED_SIGNATURE_METHOD: (
        "saml_weak_signature",
        "The identity provider signs with SHA-1. Set it to sign with SHA-256.",
    ),
    _E.DEPRECATED_DIGEST_METHOD: (
        "saml_weak_signature",
        "The identity provider signs with SHA-1. Set it to sign with SHA-256.",
    ),
}
_INVALID = (
    "saml_invalid_response",
    "The sign-in response from the identity provider is not valid; it was refused.",
)


# --- settings -------------------------------------------------------------------------


@dataclass(frozen=True)
class ServiceProvider:
    """What an admin pastes into their IdP for one workspace."""

    entity_id: str
    acs_url: str
    metadata_url: str
    login_url: str
    name_id_format: str = EMAIL_FORMAT


def service_provider(workspace_id: Any) -> ServiceProvider:
    base = f"{settings.PUBLIC_URL}/sso/{workspace_id}/saml"
    return ServiceProvider(
        entity_id=f"{base}/metadata",
        acs_url=f"{base}/acs",
        metadata_url=f"{base}/metadata",
        login_url=f"{base}/login",
    )


def service_provider_for(*, actor: Membership) -> ServiceProvider:
    """The workspace's SP values, for its admins (the admin page shows them to paste)."""
    access_role(actor, Role.ADMIN)
    return service_provider(actor.workspace_id)


@dataclass(frozen=True)
class IdpSettings:
    entity_id: str
    sso_url: str
    certificates: tuple[str, ...]
    name_attribute: str = ""
    groups_attribute: str = ""
    email_attribute: str = ""
    allow_idp_initiated: bool = False

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> IdpSettings:
        return cls(
            entity_id=str(config.get("idp_entity_id", "")),
            sso_url=str(config.get("sso_url", "")),
            certificates=tuple(str(cert) for cert in config.get("x509_certs", ())),
            name_attribute=str(config.get("name_attribute", "")),
            groups_attribute=str(config.get("groups_attribute", "")),
            email_attribute=str(config.get("email_attribute", "")),
            allow_idp_initiated=bool(config.get("allow_idp_initiated", False)),
        )


def _toolkit_settings(sp: ServiceProvider, idp: IdpSettings) -> OneLogin_Saml2_Settings:
    return OneLogin_Saml2_Settings(
        {
            "strict": True,
            "debug": False,
            "sp": {
                "entityId": sp.entity_id,
                "assertionConsumerService": {"url": sp.acs_url, "binding": POST_BINDING},
                "NameIDFormat": sp.name_id_format,
                "x509cert": "",
                "privateKey": "",
            },
            "idp": {
                "entityId": idp.entity_id or "unconfigured",
                "singleSignOnService": {
                    "url": idp.sso_url or sp.login_url,
                    "binding": REDIRECT_BINDING,
                },
                "x509certMulti": {"signing": list(idp.certificates)},
            },
            "security": {
                "authnRequestsSigned": False,
                "wantAssertionsSigned": True,
                "wantMessagesSigned": False,
                "wantNameId": True,
                "wantAttributeStatement": False,
                "requestedAuthnContext": False,
                "rejectDeprecatedAlgorithm": True,
                "rejectUnsolicitedResponsesWithInResponseTo": False,
            },
        },
        sp_validation_only=True,
    )


def sp_metadata(sp: ServiceProvider) -> str:
    """The SP's metadata document (entity id, ACS with the POST binding, NameID format)."""
    toolkit = _toolkit_settings(sp, IdpSettings(entity_id="", sso_url="", certificates=()))
    metadata = toolkit.get_sp_metadata()
    return metadata.decode() if isinstance(metadata, bytes) else str(metadata)


# --- SP-initiated login -----------------------------------------------------------------


@dataclass(frozen=True)
class AuthnRequest:
    request_id: str
    redirect_url: str


def authn_request(sp: ServiceProvider, idp: IdpSettings, *, relay_state: str) -> AuthnRequest:
    """An AuthnRequest for the HTTP-Redirect binding; the caller keeps `request_id` in the
    session and hands it back to `read_response` as the id the answer must carry."""
    if not idp.sso_url:
        raise SamlRefused("saml_not_configured", "SAML sign-in is not set up for this workspace.")
    request = OneLogin_Saml2_Authn_Request(_toolkit_settings(sp, idp))
    query = urlencode({"SAMLRequest": request.get_request(), "RelayState": relay_state})
    separator = "&" if "?" in idp.sso_url else "?"
    return AuthnRequest(request.get_id(), f"{idp.sso_url}{separator}{query}")


# --- the pending request, between the login redirect and the ACS -----------------------

PENDING_SECONDS = 600


@dataclass(frozen=True)
class PendingLogin:
    workspace_id: int
    request_id: str
    next_path: str


def _pending_key(relay_state: str) -> str:
    return "sso:saml:relay:" + hashlib.sha256(relay_state.encode()).hexdigest()


def start_login(
    *, workspace_id: int, sp: ServiceProvider, idp: IdpSettings, next_path: str
) -> tuple[str, str]:
    """(redirect URL, relay state) of an SP-initiated login. The IdP posts the response back
    cross-site, where a SameSite=Lax session cookie does not travel, so the request id is kept
    in Redis under the unguessable RelayState the IdP returns with it, for one use."""
    relay_state = secrets.token_urlsafe(32)
    request = authn_request(sp, idp, relay_state=relay_state)
    pending = {"workspace_id": workspace_id, "request_id": request.request_id, "next": next_path}
    redis_client().set(_pending_key(relay_state), json.dumps(pending), ex=PENDING_SECONDS)
    return request.redirect_url, relay_state


def take_pending_login(relay_state: str, *, workspace_id: int) -> PendingLogin | None:
    """The login this RelayState started, spent; None for an unknown one (an IdP-initiated
    response's RelayState is the IdP's, never ours)."""
    if not relay_state or len(relay_state) > 200:
        return None
    key = _pending_key(relay_state)
    pipeline = redis_client().pipeline()  # MULTI: read and spend in one step
    pipeline.get(key)
    pipeline.delete(key)
    stored, _ = pipeline.execute()
    if not stored:
        return None
    pending = json.loads(stored)
    if pending.get("workspace_id") != workspace_id:
        return None
    return PendingLogin(
        workspace_id=workspace_id,
        request_id=str(pending.get("request_id", "")),
        next_path=str(pending.get("next", "/")),
    )


# --- the assertion consumer -------------------------------------------------------------


@dataclass(frozen=True)
class SamlAssertion:
    assertion_id: str
    email: str
    name: str
    groups: tuple[str, ...]
    subject: str
    solicited: bool


def _request_data(acs_url: str) -> dict[str, Any]:
    """python3-saml compares Destination and Recipient with "the URL this request came to";
    that is the ACS URL we published, whatever proxy sits in front."""
    parts = urlsplit(acs_url)
    return {
        "https": "on" if parts.scheme == "https" else "off",
        "http_host": parts.netloc,
        "script_name": parts.path,
        "get_data": {},
        "post_data": {},
    }


def _first(attributes: Mapping[str, Sequence[str]], names: Sequence[str]) -> list[str]:
    for name in names:
        values = [str(value).strip() for value in attributes.get(name, ()) if str(value).strip()]
        if values:
            return values
    return []


def _solicited_id(response: OneLogin_Saml2_Response) -> str | None:
    """The request id a response answers: its InResponseTo, or the signed assertion's
    SubjectConfirmationData InResponseTo (a signed assertion moved into a fresh response
    without InResponseTo still names the request it was issued for)."""
    outer = response.get_in_response_to()
    if outer:
        return str(outer)
    # _query_assertion reads the signed assertion (by its ID), never a wrapped copy.
    for node in response._query_assertion(
        "/saml:Subject/saml:SubjectConfirmation/saml:SubjectConfirmationData"
    ):
        inner = node.get("InResponseTo")
        if inner:
            return str(inner)
    return None


def read_response(
    *,
    saml_response: str,
    sp: ServiceProvider,
    idp: IdpSettings,
    expected_request_id: str | None,
) -> SamlAssertion:
    """The person a posted SAMLResponse signs in, or SamlRefused with the reason.

    `expected_request_id` is the id of the AuthnRequest this browser's session started (None
    when it started none). An answer to another request is refused; an unsolicited response
    (IdP-initiated) only passes where the admin allowed it. The assertion id is then spent:
    the same assertion posted again is refused until it has expired."""
    if not idp.certificates or not idp.entity_id:
        raise SamlRefused("saml_not_configured", "SAML sign-in is not set up for this workspace.")
    if len(saml_response) > MAX_RESPONSE_CHARS:
        raise SamlRefused("saml_too_large", "The sign-in response is too large.")
    try:
        response = OneLogin_Saml2_Response(_toolkit_settings(sp, idp), saml_response)
    except Exception:  # noqa: BLE001 - bad base64, bad XML, a DTD: any parse failure refuses
        raise SamlRefused(*_INVALID) from None
    try:
        response.is_valid(_request_data(sp.acs_url), None, raise_exceptions=True)
    except OneLogin_Saml2_ValidationError as error:
        raise SamlRefused(*_REFUSAL_CODES.get(error.code, _INVALID)) from None
    except Exception:  # noqa: BLE001 - a malformed document fails deep in the toolkit
        raise SamlRefused(*_INVALID) from None

    solicited_id = _solicited_id(response)
    if solicited_id is None:
        if not idp.allow_idp_initiated:
            raise SamlRefused(
                "saml_unsolicited",
                "Sign-in started at the identity provider is not allowed for this workspace. "
                "Start from this site's sign-in page, or ask an admin to allow IdP-initiated "
                "sign-in.",
            )
    elif solicited_id != expected_request_id:
        raise SamlRefused(*_REFUSAL_CODES[_E.WRONG_INRESPONSETO])

    attributes = response.get_attributes()
    name_id = str(response.get_nameid() or "").strip()
    email = name_id if "@" in name_id else ""
    if not email:
        found = _first(attributes, [idp.email_attribute] if idp.email_attribute else ())
        email = (found or _first(attributes, DEFAULT_EMAIL_ATTRIBUTES) or [""])[0]
    if "@" not in email:
        raise SamlRefused(
            "saml_no_email",
            "The identity provider sent no email address. Set its NameID format to email address.",
        )
    name_names = [idp.name_attribute] if idp.name_attribute else list(DEFAULT_NAME_ATTRIBUTES)
    name = " ".join(_first(attributes, name_names)[:1])
    if not name:
        name = " ".join(
            part
            for part in (
                (_first(attributes, FIRST_NAME_ATTRIBUTES) or [""])[0],
                (_first(attributes, LAST_NAME_ATTRIBUTES) or [""])[0],
            )
            if part
        )
    group_names = (
        [idp.groups_attribute] if idp.groups_attribute else list(DEFAULT_GROUPS_ATTRIBUTES)
    )
    assertion_id = str(response.get_assertion_id() or "")
    _spend_assertion_id(
        idp=idp,
        assertion_id=assertion_id,
        not_on_or_after=response.get_assertion_not_on_or_after(),
    )
    return SamlAssertion(
        assertion_id=assertion_id,
        email=email.lower(),
        name=name,
        groups=tuple(dict.fromkeys(_first(attributes, group_names))),
        subject=name_id,
        solicited=solicited_id is not None,
    )


def _spend_assertion_id(*, idp: IdpSettings, assertion_id: str, not_on_or_after: Any) -> None:
    """Refuse an assertion id seen before; remember it until it expires (plus clock drift)."""
    if not assertion_id:
        raise SamlRefused(*_INVALID)
    now = dt.datetime.now(dt.UTC).timestamp()
    until = float(not_on_or_after) if not_on_or_after else now + 3600
    seconds = max(int(until - now), 1) + REPLAY_MARGIN_SECONDS
    digest = hashlib.sha256(f"{idp.entity_id}\n{assertion_id}".encode()).hexdigest()
    if not redis_client().set(f"sso:saml:assertion:{digest}", 1, nx=True, ex=seconds):
        raise SamlRefused(
            "saml_replayed",
            "This sign-in response was already used. Start signing in again.",
        )


# --- IdP metadata and the admin's configuration ------------------------------------------


def _children(element: Element, namespace: str, tag: str) -> list[Element]:
    return element.findall(f"{{{namespace}}}{tag}")


def parse_idp_metadata(document: bytes) -> dict[str, Any]:
    """entity id, SSO URL (HTTP-Redirect binding) and signing certificates from an IdP's
    metadata (an EntityDescriptor, or the first IdP in an EntitiesDescriptor)."""
    if len(document) > MAX_METADATA_BYTES:
        raise InvalidInput(
            f"The IdP metadata is larger than {MAX_METADATA_BYTES} bytes. Upload the IdP's "
            "own metadata document.",
            code="saml_metadata_too_large",
        )
    try:
        root = safe_fromstring(document, forbid_dtd=True, forbid_entities=True)
    except (DefusedXmlException, SyntaxError, ValueError):
        raise InvalidInput(
            "The IdP metadata is not an XML document (or uses DTDs or entities, which are "
            "refused). Download the metadata XML from your identity provider again.",
            code="saml_metadata_invalid",
        ) from None
    candidates = [root] if root.tag == f"{{{MD}}}EntityDescriptor" else []
    candidates += root.findall(f".//{{{MD}}}EntityDescriptor")
    for entity in candidates:
        for descriptor in _children(entity, MD, "IDPSSODescriptor"):
            sso_urls = [
                service.get("Location", "")
                for service in _children(descriptor, MD, "SingleSignOnService")
                if service.get("Binding") == REDIRECT_BINDING
            ]
            certificates = [
                "".join((cert.text or "").split())
                for key in _children(descriptor, MD, "KeyDescriptor")
                if key.get("use", "signing") == "signing"
                for cert in key.findall(f".//{{{DS}}}X509Certificate")
            ]
            return {
                "idp_entity_id": entity.get("entityID", ""),
                "sso_url": sso_urls[0] if sso_urls else "",
                "x509_certs": [cert for cert in certificates if cert],
            }
    raise InvalidInput(
        "The metadata describes no identity provider (no IDPSSODescriptor). Use the IdP's "
        "metadata, not the SP's.",
        code="saml_metadata_invalid",
    )


def fetch_idp_metadata(url: str) -> bytes:
    """The metadata behind a URL an admin typed, fetched under the outbound policy."""
    policy = dataclasses.replace(outbound_policy(), max_response_bytes=MAX_METADATA_BYTES)
    try:
        policy.check_url(url)
        with guarded_opener(policy).open(url, timeout=policy.timeout_seconds) as response:
            body = read_bounded(response, policy, url)
            status = response.status
    except OutboundError as error:
        raise InvalidInput(str(error), code="saml_metadata_unreachable") from None
    except OSError:
        raise InvalidInput(
            "The IdP metadata URL could not be reached. Check the URL, or upload the "
            "metadata file instead.",
            code="saml_metadata_unreachable",
        ) from None
    if status != 200:
        raise InvalidInput(
            f"The IdP metadata URL answered HTTP {status}. Check the URL, or upload the "
            "metadata file instead.",
            code="saml_metadata_unreachable",
        )
    return body


def _checked_certificate(value: str) -> str:
    text = "".join(
        line
        for line in value.strip().splitlines()
        if not line.startswith("-----")  # PEM armour is accepted and dropped
    )
    text = "".join(text.split())
    try:
        x509.load_der_x509_certificate(base64.b64decode(text, validate=True))
    except (binascii.Error, ValueError):
        raise InvalidInput(
            "An IdP certificate is not a valid X.509 certificate. Paste the base64 "
            "certificate from the IdP's metadata (with or without the PEM lines).",
            code="saml_certificate_invalid",
        ) from None
    return text


def _checked_url(value: str, what: str) -> str:
    parts = urlsplit(value)
    if parts.scheme not in ("https", "http") or not parts.hostname:
        raise InvalidInput(f"The {what} must be an https:// URL.", code="saml_config_invalid")
    return value


def validate_config(config: Mapping[str, Any]) -> dict[str, Any]:
    """The SAML part of an IdentityProvider's config, checked and normalised.

    The IdP's values come from `metadata_xml` (an uploaded document), from `metadata_url`
    (fetched now, through the outbound policy), or typed (`idp_entity_id`, `sso_url`,
    `x509_certs`); typed values win over metadata. Attribute names are optional (defaults
    cover Okta, Entra ID and Google Workspace)."""
    values: dict[str, Any] = {}
    metadata_url = str(config.get("metadata_url") or "").strip()
    metadata_xml = config.get("metadata_xml")
    if metadata_xml:
        raw = metadata_xml.encode() if isinstance(metadata_xml, str) else bytes(metadata_xml)
        values.update(parse_idp_metadata(raw))
    elif metadata_url:
        values.update(parse_idp_metadata(fetch_idp_metadata(_checked_url(metadata_url, "URL"))))
    for key in ("idp_entity_id", "sso_url"):
        typed = str(config.get(key) or "").strip()
        if typed:
            values[key] = typed
    typed_certs = config.get("x509_certs")
    if isinstance(typed_certs, str):
        typed_certs = [typed_certs]
    if typed_certs:
        values["x509_certs"] = list(typed_certs)
    if not values.get("idp_entity_id"):
        raise InvalidInput(
            "The IdP entity id is missing. Upload the IdP's metadata or type its entity id.",
            code="saml_config_invalid",
        )
    if not values.get("sso_url"):
        raise InvalidInput(
            "The IdP single sign-on URL (HTTP-Redirect binding) is missing. Upload the IdP's "
            "metadata or type its SSO URL.",
            code="saml_config_invalid",
        )
    certificates = [_checked_certificate(str(cert)) for cert in values.get("x509_certs", [])]
    if not certificates:
        raise InvalidInput(
            "The IdP signing certificate is missing: signed assertions are required. Upload "
            "the IdP's metadata or paste its certificate.",
            code="saml_config_invalid",
        )
    result: dict[str, Any] = {
        "idp_entity_id": str(values["idp_entity_id"])[:1024],
        "sso_url": _checked_url(str(values["sso_url"]), "SSO URL"),
        "x509_certs": certificates[:4],
        "metadata_url": metadata_url,
        "allow_idp_initiated": bool(config.get("allow_idp_initiated", False)),
    }
    for key in ("name_attribute", "groups_attribute", "email_attribute"):
        result[key] = str(config.get(key) or "").strip()[:512]
    return result


# --- the sign-in, end to end --------------------------------------------------------------


def saml_provider(workspace_id: int) -> IdentityProvider:
    provider = (
        IdentityProvider.objects.select_related("workspace")
        .filter(workspace_id=workspace_id, kind=Protocol.SAML, enabled=True)
        .first()
    )
    if provider is None:
        raise SamlRefused("saml_not_configured", "SAML sign-in is not set up for this workspace.")
    return provider


def safe_next_path(value: str) -> str:
    """Only a path on this site (no scheme, no host, no //host): never an open redirect."""
    if not value.startswith("/") or value.startswith("//") or "\\" in value or len(value) > 500:
        return "/"
    return value


def begin_sign_in(*, workspace_id: int, next_path: str) -> tuple[str, str]:
    """(IdP redirect URL, relay state) for the login route."""
    provider = saml_provider(workspace_id)
    return start_login(
        workspace_id=workspace_id,
        sp=service_provider(workspace_id),
        idp=IdpSettings.from_config(provider.config),
        next_path=safe_next_path(next_path),
    )


def finish_sign_in(
    *,
    workspace_id: int,
    saml_response: str,
    relay_state: str,
    browser_binding: str | None,
    request: HttpRequest,
) -> tuple[Membership, str]:
    """The ACS: check the posted response, then sign the person in through the shared path
    (sso.accounts.sign_in_with_sso: claimed domain, JIT or invitation, groups, audit, login).

    `browser_binding` is the SameSite=None cookie the login route set on https: where given
    for an SP-initiated login it must name the same RelayState, so a response started in one
    browser cannot be completed in another (login CSRF)."""
    provider = saml_provider(workspace_id)
    pending = take_pending_login(relay_state, workspace_id=workspace_id)
    if pending is not None and browser_binding is not None and browser_binding != relay_state:
        raise SamlRefused(
            "saml_browser_mismatch",
            "This sign-in was started in another browser. Start signing in again here.",
        )
    assertion = read_response(
        saml_response=saml_response,
        sp=service_provider(workspace_id),
        idp=IdpSettings.from_config(provider.config),
        expected_request_id=pending.request_id if pending else None,
    )
    identity = SsoIdentity(
        email=assertion.email,
        # The IdP vouches for the address with its signature; the claimed-domain check in
        # sign_in_with_sso decides whether this workspace trusts the IdP for that domain.
        email_verified=True,
        name=assertion.name,
        groups=assertion.groups,
        subject=assertion.subject,
        protocol="saml",
    )
    membership = sign_in_with_sso(provider=provider, identity=identity, request=request)
    return membership, pending.next_path if pending else "/"
