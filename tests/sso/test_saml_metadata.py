"""IdP metadata by upload or URL (through the outbound policy), the SAML config check, and the
SP's own metadata."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from defusedxml.ElementTree import fromstring

from common.errors import InvalidInput
from sso import saml
from tests.fakes.http import FakeServer, Request, Response
from tests.fakes.saml_idp.idp import FakeSamlIdp


class MetadataServer(FakeServer):
    def __init__(self, body: bytes, status: int = 200) -> None:
        super().__init__()
        self.body = body
        self.status = status

    def handle(self, request: Request) -> Response:
        return Response(self.status, self.body, content_type="application/samlmetadata+xml")


@pytest.fixture(scope="module")
def idp() -> FakeSamlIdp:
    return FakeSamlIdp()


def test_uploaded_metadata_fills_the_idp_values(idp: FakeSamlIdp) -> None:
    config = saml.validate_config(
        {"metadata_xml": idp.metadata_xml().decode(), "groups_attribute": " teams "}
    )
    assert config["idp_entity_id"] == idp.entity_id
    assert config["sso_url"] == idp.sso_url
    assert config["x509_certs"] == [idp.keys.cert_base64]
    assert config["groups_attribute"] == "teams"
    assert config["allow_idp_initiated"] is False


def test_metadata_by_url_is_fetched(idp: FakeSamlIdp) -> None:
    with MetadataServer(idp.metadata_xml()) as server:
        config = saml.validate_config({"metadata_url": f"{server.url}/metadata"})
    assert config["idp_entity_id"] == idp.entity_id
    assert config["metadata_url"].endswith("/metadata")


def test_metadata_urls_go_through_the_outbound_policy(settings: Any) -> None:
    settings.OUTBOUND_ALLOWED_HOSTS = []
    for url in ("http://127.0.0.1:9/metadata", "https://169.254.169.254/latest", "file:///etc"):
        with pytest.raises(InvalidInput) as refused:
            saml.validate_config({"metadata_url": url})
        assert refused.value.code in ("saml_metadata_unreachable", "saml_config_invalid")


def test_a_failing_metadata_url_says_so(idp: FakeSamlIdp) -> None:
    with MetadataServer(b"nope", status=404) as server, pytest.raises(InvalidInput) as refused:
        saml.validate_config({"metadata_url": f"{server.url}/metadata"})
    assert refused.value.code == "saml_metadata_unreachable"
    assert "404" in refused.value.message


def test_an_oversized_metadata_document_is_cut_off() -> None:
    huge = b"<x>" + b"a" * (saml.MAX_METADATA_BYTES + 10) + b"</x>"
    with MetadataServer(huge) as server, pytest.raises(InvalidInput) as refused:
        saml.validate_config({"metadata_url": f"{server.url}/metadata"})
    assert refused.value.code == "saml_metadata_unreachable"
    with pytest.raises(InvalidInput) as refused:
        saml.validate_config({"metadata_xml": huge})
    assert refused.value.code == "saml_metadata_too_large"


@pytest.mark.parametrize(
    "document",
    [
        b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]>'
        b"<x>&b;</x>",
        b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><x>&e;</x>',
        b"<not xml",
        b'<EntityDescriptor xmlns="urn:oasis:names:tc:SAML:2.0:metadata" entityID="sp"/>',
    ],
)
def test_hostile_or_wrong_metadata_is_refused(document: bytes) -> None:
    with pytest.raises(InvalidInput) as refused:
        saml.validate_config({"metadata_xml": document})
    assert refused.value.code == "saml_metadata_invalid"


def test_typed_values_are_checked(idp: FakeSamlIdp) -> None:
    typed = {
        "idp_entity_id": idp.entity_id,
        "sso_url": idp.sso_url,
        "x509_certs": idp.keys.cert_pem.decode(),  # PEM armour accepted
    }
    assert saml.validate_config(typed)["x509_certs"] == [idp.keys.cert_base64]
    for broken, code in (
        ({**typed, "x509_certs": "bm90IGEgY2VydA=="}, "saml_certificate_invalid"),
        ({**typed, "x509_certs": []}, "saml_config_invalid"),
        ({**typed, "sso_url": "javascript:alert(1)"}, "saml_config_invalid"),
        ({**typed, "idp_entity_id": ""}, "saml_config_invalid"),
    ):
        with pytest.raises(InvalidInput) as refused:
            saml.validate_config(broken)
        assert refused.value.code == code


def test_sp_metadata_names_entity_acs_and_email_name_ids() -> None:
    sp = saml.service_provider(uuid.uuid4())
    root = fromstring(saml.sp_metadata(sp))
    md = "{urn:oasis:names:tc:SAML:2.0:metadata}"
    assert root.get("entityID") == sp.entity_id
    acs = root.find(f"{md}SPSSODescriptor/{md}AssertionConsumerService")
    assert acs is not None and acs.get("Location") == sp.acs_url
    assert acs.get("Binding") == saml.POST_BINDING
    descriptor = root.find(f"{md}SPSSODescriptor")
    assert descriptor is not None and descriptor.get("WantAssertionsSigned") == "true"
    assert root.findtext(f"{md}SPSSODescriptor/{md}NameIDFormat") == saml.EMAIL_FORMAT


def test_the_authn_request_redirects_with_relay_state(idp: FakeSamlIdp) -> None:
    sp = saml.service_provider(uuid.uuid4())
    idp_settings = saml.IdpSettings.from_config(
        saml.validate_config({"metadata_xml": idp.metadata_xml()})
    )
    request = saml.authn_request(sp, idp_settings, relay_state="state-1")
    assert request.redirect_url.startswith(idp.sso_url + "?SAMLRequest=")
    assert "RelayState=state-1" in request.redirect_url
    assert request.request_id.startswith("ONELOGIN_")
