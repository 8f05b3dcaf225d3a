"""The SP's checks of a SAML response, against real responses signed by the fake IdP and the
attacks on them. Every refusal carries its own error code; none lets the evil email through.
(tests/sso/test_saml_acs.py drives the same responses through the ACS endpoint.)"""

from __future__ import annotations

import base64
import datetime as dt
import uuid

import lxml.etree
import pytest
import xmlsec

from sso import saml
from tests.fakes.saml_idp.idp import (
    FakeSamlIdp,
    assertion_of,
    encode,
    generate_key_pair,
    name_id_of,
    signature_of,
    tampered,
    unsigned_around,
    xsw,
)

EVIL = "mallory@example.com"


@pytest.fixture(scope="module")
def idp() -> FakeSamlIdp:
    return FakeSamlIdp()


@pytest.fixture
def sp() -> saml.ServiceProvider:
    return saml.service_provider(uuid.uuid4())


def settings_for(idp: FakeSamlIdp, **overrides: object) -> saml.IdpSettings:
    config = {
        "idp_entity_id": idp.entity_id,
        "sso_url": idp.sso_url,
        "x509_certs": [idp.keys.cert_base64],
        **overrides,
    }
    return saml.IdpSettings.from_config(config)


def read(
    sp: saml.ServiceProvider,
    idp: FakeSamlIdp,
    response: lxml.etree._Element,
    *,
    expected: str | None = "req-1",
    **overrides: object,
) -> saml.SamlAssertion:
    return saml.read_response(
        saml_response=encode(response),
        sp=sp,
        idp=settings_for(idp, **overrides),
        expected_request_id=expected,
    )


def refusal(
    sp: saml.ServiceProvider, idp: FakeSamlIdp, response: lxml.etree._Element, **kw: object
) -> str:
    with pytest.raises(saml.SamlRefused) as refused:
        read(sp, idp, response, **kw)  # type: ignore[arg-type]
    return refused.value.code


def good(idp: FakeSamlIdp, sp: saml.ServiceProvider, **kw: object) -> lxml.etree._Element:
    return idp.response(
        audience=sp.entity_id,
        acs_url=sp.acs_url,
        in_response_to="req-1",
        **kw,  # type: ignore[arg-type]
    )


def test_the_library_pair_shares_one_libxml2() -> None:
    assert xmlsec.get_libxml_version() == lxml.etree.LIBXML_VERSION


def test_a_signed_response_signs_the_person_in(idp: FakeSamlIdp, sp: saml.ServiceProvider) -> None:
    assertion = read(sp, idp, good(idp, sp, email="Ada@Example.com", groups=["eng", "ops"]))
    assert assertion.email == "ada@example.com"
    assert assertion.name == "Ada Lovelace"
    assert assertion.groups == ("eng", "ops")
    assert assertion.solicited


def test_a_signed_response_and_assertion_both_verify(
    idp: FakeSamlIdp, sp: saml.ServiceProvider
) -> None:
    assert read(sp, idp, good(idp, sp, sign_response=True)).email == "ada@example.com"


def test_entra_claim_names_map_without_configuration(
    idp: FakeSamlIdp, sp: saml.ServiceProvider
) -> None:
    response = good(
        idp,
        sp,
        groups=["0b7c-group-object-id"],
        attribute_names=(
            "http://schemas.microsoft.com/identity/claims/displayname",
            "http://schemas.microsoft.com/ws/2008/06/identity/claims/groups",
        ),
    )
    assertion = read(sp, idp, response)
    assert (assertion.name, assertion.groups) == ("Ada Lovelace", ("0b7c-group-object-id",))


def test_configured_attribute_names_win(idp: FakeSamlIdp, sp: saml.ServiceProvider) -> None:
    response = good(idp, sp, groups=["eng"], attribute_names=("fullName", "teams"))
    assertion = read(sp, idp, response, name_attribute="fullName", groups_attribute="teams")
    assert (assertion.name, assertion.groups) == ("Ada Lovelace", ("eng",))


def test_tampering_after_signing_is_refused(idp: FakeSamlIdp, sp: saml.ServiceProvider) -> None:
    assert refusal(sp, idp, tampered(good(idp, sp), email=EVIL)) == "saml_signature_invalid"


def test_another_key_is_refused(idp: FakeSamlIdp, sp: saml.ServiceProvider) -> None:
    forged = good(idp, sp, keys=generate_key_pair("attacker.test"))
    assert refusal(sp, idp, forged) == "saml_signature_invalid"


def test_an_unsigned_assertion_is_refused(idp: FakeSamlIdp, sp: saml.ServiceProvider) -> None:
    assert refusal(sp, idp, good(idp, sp, sign_assertion=False)) == "saml_signature_invalid"


def test_a_signed_response_around_an_unsigned_assertion_is_refused(
    idp: FakeSamlIdp, sp: saml.ServiceProvider
) -> None:
    """Signed assertions are required, not only a signed message."""
    response = good(idp, sp, sign_assertion=False, sign_response=True)
    assert refusal(sp, idp, response) == "saml_signature_invalid"


def test_a_signed_looking_assertion_with_a_borrowed_signature_is_refused(
    idp: FakeSamlIdp, sp: saml.ServiceProvider
) -> None:
    """An unsigned response whose assertion carries a Signature copied from another one."""
    donor = assertion_of(good(idp, sp))
    forged = good(idp, sp, sign_assertion=False, email=EVIL)
    forged_assertion = assertion_of(forged)
    forged_assertion.set("ID", donor.get("ID", ""))
    forged_assertion.insert(1, signature_of(donor))
    assert refusal(sp, idp, forged) == "saml_signature_invalid"


def test_an_unsigned_response_carrying_a_copied_signed_assertion_is_refused(
    idp: FakeSamlIdp, sp: saml.ServiceProvider
) -> None:
    """The copied assertion still verifies, but it names the request it was issued for:
    a fresh response without InResponseTo does not make it unsolicited."""
    signed = assertion_of(good(idp, sp))
    carrier = unsigned_around(signed, template=good(idp, sp, sign_assertion=False))
    assert refusal(sp, idp, carrier, expected="req-2", allow_idp_initiated=True) == (
        "saml_wrong_request"
    )


def test_a_replayed_assertion_is_refused(idp: FakeSamlIdp, sp: saml.ServiceProvider) -> None:
    response = good(idp, sp)
    read(sp, idp, response)
    assert refusal(sp, idp, response) == "saml_replayed"


def test_a_replayed_assertion_in_a_new_response_is_refused(
    idp: FakeSamlIdp, sp: saml.ServiceProvider
) -> None:
    response = good(idp, sp)
    read(sp, idp, response)
    carrier = unsigned_around(assertion_of(response), template=good(idp, sp, sign_assertion=False))
    carrier.set("InResponseTo", "req-1")
    assert refusal(sp, idp, carrier) == "saml_replayed"


def test_another_audience_is_refused(idp: FakeSamlIdp, sp: saml.ServiceProvider) -> None:
    other = saml.service_provider(uuid.uuid4())
    response = idp.response(audience=other.entity_id, acs_url=sp.acs_url, in_response_to="req-1")
    assert refusal(sp, idp, response) == "saml_wrong_audience"


def test_another_destination_is_refused(idp: FakeSamlIdp, sp: saml.ServiceProvider) -> None:
    other = saml.service_provider(uuid.uuid4())
    response = idp.response(audience=sp.entity_id, acs_url=other.acs_url, in_response_to="req-1")
    assert refusal(sp, idp, response) == "saml_wrong_destination"


def test_another_issuer_is_refused(sp: saml.ServiceProvider) -> None:
    impostor = FakeSamlIdp(entity_id="https://impostor.test/metadata")
    trusted = FakeSamlIdp(keys=impostor.keys)
    response = impostor.response(audience=sp.entity_id, acs_url=sp.acs_url, in_response_to="req-1")
    assert refusal(sp, trusted, response) == "saml_wrong_issuer"


def test_an_expired_response_is_refused(idp: FakeSamlIdp, sp: saml.ServiceProvider) -> None:
    old = dt.datetime.now(dt.UTC) - dt.timedelta(hours=2)
    assert refusal(sp, idp, good(idp, sp, issued_at=old)) == "saml_expired"


def test_a_response_not_yet_valid_is_refused(idp: FakeSamlIdp, sp: saml.ServiceProvider) -> None:
    later = dt.datetime.now(dt.UTC) + dt.timedelta(hours=2)
    assert refusal(sp, idp, good(idp, sp, issued_at=later)) == "saml_not_yet_valid"


def test_an_answer_to_another_request_is_refused(
    idp: FakeSamlIdp, sp: saml.ServiceProvider
) -> None:
    assert refusal(sp, idp, good(idp, sp), expected="req-other") == "saml_wrong_request"
    assert refusal(sp, idp, good(idp, sp), expected=None) == "saml_wrong_request"


def test_unsolicited_responses_need_the_admins_permission(
    idp: FakeSamlIdp, sp: saml.ServiceProvider
) -> None:
    unsolicited = idp.response(audience=sp.entity_id, acs_url=sp.acs_url)
    assert refusal(sp, idp, unsolicited, expected=None) == "saml_unsolicited"
    assertion = read(sp, idp, unsolicited, expected=None, allow_idp_initiated=True)
    assert not assertion.solicited


@pytest.mark.parametrize("variant", [1, 2])
def test_response_signature_wrapping_is_refused(
    variant: int, idp: FakeSamlIdp, sp: saml.ServiceProvider
) -> None:
    signed = good(idp, sp, sign_assertion=False, sign_response=True)
    assert refusal(sp, idp, xsw(variant, signed, email=EVIL)) == "saml_signature_wrapping"


@pytest.mark.parametrize("variant", [3, 4, 5, 6, 7, 8])
def test_assertion_signature_wrapping_is_refused(
    variant: int, idp: FakeSamlIdp, sp: saml.ServiceProvider
) -> None:
    assert refusal(sp, idp, xsw(variant, good(idp, sp), email=EVIL)) == "saml_signature_wrapping"


def test_the_wrapping_variants_keep_a_verifying_signature(
    idp: FakeSamlIdp, sp: saml.ServiceProvider
) -> None:
    """Guards the fake: each XSW document still holds the original, signed, untouched, and an
    evil NameID; so the SP's refusal is the wrapping defence, not a broken signature."""
    for variant in range(3, 9):
        document = xsw(variant, good(idp, sp), email=EVIL)
        names = [
            node.text for node in document.iter("{urn:oasis:names:tc:SAML:2.0:assertion}NameID")
        ]
        assert EVIL in names and "ada@example.com" in names, variant


def test_garbage_is_refused(idp: FakeSamlIdp, sp: saml.ServiceProvider) -> None:
    xxe = base64.b64encode(
        b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY e SYSTEM "file:///etc/passwd">]>'
        b'<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol">&e;</samlp:Response>'
    ).decode()
    for body in ("not base64!", "PHhtbD4=", xxe, "A" * (saml.MAX_RESPONSE_CHARS + 1)):
        with pytest.raises(saml.SamlRefused) as refused:
            saml.read_response(
                saml_response=body, sp=sp, idp=settings_for(idp), expected_request_id=None
            )
        assert refused.value.code in ("saml_invalid_response", "saml_too_large")


def test_a_name_id_that_is_no_email_falls_back_to_the_email_attribute(
    idp: FakeSamlIdp, sp: saml.ServiceProvider
) -> None:
    response = good(idp, sp, sign_assertion=False)
    name_id_of(response).text = "00u1abcd"
    statement = assertion_of(response).find(
        "{urn:oasis:names:tc:SAML:2.0:assertion}AttributeStatement"
    )
    assert statement is not None
    attribute = lxml.etree.SubElement(
        statement, "{urn:oasis:names:tc:SAML:2.0:assertion}Attribute", Name="email"
    )
    lxml.etree.SubElement(
        attribute, "{urn:oasis:names:tc:SAML:2.0:assertion}AttributeValue"
    ).text = "grace@example.com"
    from tests.fakes.saml_idp.idp import sign

    sign(assertion_of(response), idp.keys)
    assert read(sp, idp, response).email == "grace@example.com"
