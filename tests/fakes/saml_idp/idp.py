"""A fake SAML 2.0 identity provider that signs real responses, and the attacks on them.

It signs with the xmlsec binding (libxmlsec1), the library the service provider verifies
with, using an RSA key and self-signed certificate it generates at start (cryptography), so a
test never ships a private key. `response()` builds the samlp:Response an IdP posts to the
SP's assertion consumer service (HTTP-POST binding, base64 in SAMLResponse); the functions
below it take such a signed response apart the way an attacker does: tampering after
signing, signing with another key, moving an unsigned response around a signed assertion, and
the XML signature wrapping variants XSW1..XSW8 (Somorovsky et al., "On Breaking SAML", as
SAML Raider numbers them).
"""

from __future__ import annotations

import base64
import copy
import datetime as dt
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field

import xmlsec
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID
from lxml import etree

SAMLP = "urn:oasis:names:tc:SAML:2.0:protocol"
SAML = "urn:oasis:names:tc:SAML:2.0:assertion"
DS = "http://www.w3.org/2000/09/xmldsig#"
MD = "urn:oasis:names:tc:SAML:2.0:metadata"
NS = {"samlp": SAMLP, "saml": SAML, "ds": DS, "md": MD}
EMAIL_FORMAT = "urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress"
SUCCESS = "urn:oasis:names:tc:SAML:2.0:status:Success"


def _q(namespace: str, tag: str) -> str:
    return f"{{{namespace}}}{tag}"


def _instant(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def new_id() -> str:
    return "_" + uuid.uuid4().hex


@dataclass(frozen=True)
class KeyPair:
    key_pem: bytes
    cert_pem: bytes

    @property
    def cert_base64(self) -> str:
        """The certificate as metadata and SP settings carry it: base64 DER, no PEM lines."""
        lines = self.cert_pem.decode().strip().splitlines()
        return "".join(line for line in lines if not line.startswith("-----"))


def generate_key_pair(common_name: str = "fake-idp.test") -> KeyPair:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=30))
        .sign(key, hashes.SHA256())
    )
    return KeyPair(
        key_pem=key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        ),
        cert_pem=cert.public_bytes(serialization.Encoding.PEM),
    )


def sign(element: etree._Element, keys: KeyPair) -> None:
    """An enveloped RSA-SHA256 signature over `element` (by its ID), placed after its Issuer,
    with the certificate in KeyInfo, as IdPs sign."""
    signature = xmlsec.template.create(
        element, xmlsec.Transform.EXCL_C14N, xmlsec.Transform.RSA_SHA256, ns="ds"
    )
    issuer = element.find(_q(SAML, "Issuer"))
    if issuer is not None:
        issuer.addnext(signature)
    else:
        element.insert(0, signature)
    reference = xmlsec.template.add_reference(
        signature, xmlsec.Transform.SHA256, uri="#" + element.get("ID", "")
    )
    xmlsec.template.add_transform(reference, xmlsec.Transform.ENVELOPED)
    xmlsec.template.add_transform(reference, xmlsec.Transform.EXCL_C14N)
    key_info = xmlsec.template.ensure_key_info(signature)
    x509_data = xmlsec.template.add_x509_data(key_info)
    xmlsec.template.x509_data_add_certificate(x509_data)
    key = xmlsec.Key.from_memory(keys.key_pem, xmlsec.KeyFormat.PEM)
    key.load_cert_from_memory(keys.cert_pem, xmlsec.KeyFormat.PEM)
    context = xmlsec.SignatureContext()
    context.key = key
    context.register_id(element, "ID")
    context.sign(signature)


@dataclass
class FakeSamlIdp:
    entity_id: str = "https://fake-idp.test/saml/metadata"
    sso_url: str = "https://fake-idp.test/saml/sso"
    keys: KeyPair = field(default_factory=generate_key_pair)

    def metadata_xml(self) -> bytes:
        """The IdP's metadata document, as an admin downloads it from their IdP."""
        root = etree.Element(_q(MD, "EntityDescriptor"), nsmap={"md": MD, "ds": DS})
        root.set("entityID", self.entity_id)
        descriptor = etree.SubElement(root, _q(MD, "IDPSSODescriptor"))
        descriptor.set("protocolSupportEnumeration", SAMLP)
        descriptor.set("WantAuthnRequestsSigned", "false")
        key_descriptor = etree.SubElement(descriptor, _q(MD, "KeyDescriptor"), use="signing")
        key_info = etree.SubElement(key_descriptor, _q(DS, "KeyInfo"))
        data = etree.SubElement(key_info, _q(DS, "X509Data"))
        etree.SubElement(data, _q(DS, "X509Certificate")).text = self.keys.cert_base64
        etree.SubElement(descriptor, _q(MD, "NameIDFormat")).text = EMAIL_FORMAT
        for binding in ("HTTP-Redirect", "HTTP-POST"):
            etree.SubElement(
                descriptor,
                _q(MD, "SingleSignOnService"),
                Binding=f"urn:oasis:names:tc:SAML:2.0:bindings:{binding}",
                Location=self.sso_url,
            )
        return etree.tostring(root, xml_declaration=True, encoding="UTF-8")

    def response(
        self,
        *,
        audience: str,
        acs_url: str,
        email: str = "ada@example.com",
        name: str = "Ada Lovelace",
        groups: Sequence[str] = (),
        in_response_to: str | None = None,
        attribute_names: tuple[str, str] = ("displayName", "groups"),
        issued_at: dt.datetime | None = None,
        valid_for: dt.timedelta = dt.timedelta(minutes=5),
        assertion_id: str | None = None,
        sign_assertion: bool = True,
        sign_response: bool = False,
        keys: KeyPair | None = None,
    ) -> etree._Element:
        """A samlp:Response for one person, its assertion signed (and the response when
        asked). `issued_at` moves the whole validity window (expired, not yet valid)."""
        now = issued_at or dt.datetime.now(dt.UTC)
        until = now + valid_for
        response = etree.Element(_q(SAMLP, "Response"), nsmap={"samlp": SAMLP, "saml": SAML})
        response.set("ID", new_id())
        response.set("Version", "2.0")
        response.set("IssueInstant", _instant(now))
        response.set("Destination", acs_url)
        if in_response_to:
            response.set("InResponseTo", in_response_to)
        etree.SubElement(response, _q(SAML, "Issuer")).text = self.entity_id
        status = etree.SubElement(response, _q(SAMLP, "Status"))
        etree.SubElement(status, _q(SAMLP, "StatusCode"), Value=SUCCESS)

        assertion = etree.SubElement(response, _q(SAML, "Assertion"))
        assertion.set("ID", assertion_id or new_id())
        assertion.set("Version", "2.0")
        assertion.set("IssueInstant", _instant(now))
        etree.SubElement(assertion, _q(SAML, "Issuer")).text = self.entity_id
        subject = etree.SubElement(assertion, _q(SAML, "Subject"))
        etree.SubElement(subject, _q(SAML, "NameID"), Format=EMAIL_FORMAT).text = email
        confirmation = etree.SubElement(
            subject, _q(SAML, "SubjectConfirmation"), Method="urn:oasis:names:tc:SAML:2.0:cm:bearer"
        )
        data = etree.SubElement(confirmation, _q(SAML, "SubjectConfirmationData"))
        data.set("NotOnOrAfter", _instant(until))
        data.set("Recipient", acs_url)
        if in_response_to:
            data.set("InResponseTo", in_response_to)
        conditions = etree.SubElement(assertion, _q(SAML, "Conditions"))
        conditions.set("NotBefore", _instant(now - dt.timedelta(seconds=30)))
        conditions.set("NotOnOrAfter", _instant(until))
        restriction = etree.SubElement(conditions, _q(SAML, "AudienceRestriction"))
        etree.SubElement(restriction, _q(SAML, "Audience")).text = audience
        authn = etree.SubElement(assertion, _q(SAML, "AuthnStatement"))
        authn.set("AuthnInstant", _instant(now))
        authn.set("SessionIndex", new_id())
        context = etree.SubElement(authn, _q(SAML, "AuthnContext"))
        etree.SubElement(
            context, _q(SAML, "AuthnContextClassRef")
        ).text = "urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport"
        statement = etree.SubElement(assertion, _q(SAML, "AttributeStatement"))
        name_attribute, groups_attribute = attribute_names
        for attribute_name, values in ((name_attribute, [name]), (groups_attribute, groups)):
            if not values:
                continue
            attribute = etree.SubElement(statement, _q(SAML, "Attribute"), Name=attribute_name)
            for value in values:
                etree.SubElement(attribute, _q(SAML, "AttributeValue")).text = value

        if sign_assertion:
            sign(assertion, keys or self.keys)
        if sign_response:
            sign(response, keys or self.keys)
        return response


# --- encoding ---------------------------------------------------------------------------


def encode(response: etree._Element) -> str:
    """The SAMLResponse form field of the HTTP-POST binding."""
    return base64.b64encode(etree.tostring(response)).decode()


def reparse(response: etree._Element) -> etree._Element:
    return etree.fromstring(etree.tostring(response))


def assertion_of(response: etree._Element) -> etree._Element:
    found = response.find(_q(SAML, "Assertion"))
    assert found is not None
    return found


def name_id_of(element: etree._Element) -> etree._Element:
    found = element.find(f".//{_q(SAML, 'NameID')}")
    assert found is not None
    return found


def signature_of(element: etree._Element) -> etree._Element:
    found = element.find(_q(DS, "Signature"))
    assert found is not None
    return found


# --- attacks --------------------------------------------------------------------------


def tampered(response: etree._Element, *, email: str) -> etree._Element:
    """The signed response with its NameID changed after signing."""
    evil = reparse(response)
    name_id_of(assertion_of(evil)).text = email
    return evil


def unsigned_around(
    signed_assertion: etree._Element, *, template: etree._Element
) -> etree._Element:
    """A fresh, unsigned Response (new ID, no InResponseTo) wrapping an assertion copied from
    another signed response: the assertion still verifies on its own."""
    evil = reparse(template)
    evil.set("ID", new_id())
    evil.attrib.pop("InResponseTo", None)
    old = assertion_of(evil)
    evil.replace(old, copy.deepcopy(signed_assertion))
    return evil


def _evil_assertion(original: etree._Element, email: str) -> etree._Element:
    evil = copy.deepcopy(original)
    evil.set("ID", new_id())
    name_id_of(evil).text = email
    return evil


def _strip_signature(element: etree._Element) -> etree._Element:
    for signature in element.findall(_q(DS, "Signature")):
        element.remove(signature)
    return element


def xsw(variant: int, response: etree._Element, *, email: str) -> etree._Element:
    """XML signature wrapping: the signed element stays somewhere in the document, so its
    signature still verifies, while an evil copy naming `email` sits where a naive SP reads.
    XSW1 and XSW2 wrap a signed Response; XSW3..XSW8 a signed Assertion."""
    signed = reparse(response)
    if variant in (1, 2):
        # The evil Response (new ID, evil assertion) is the root; the original signed
        # Response travels inside its Signature (XSW1) or before it as a sibling (XSW2).
        evil = copy.deepcopy(signed)
        evil.set("ID", new_id())
        name_id_of(assertion_of(evil)).text = email
        signature = signature_of(evil)
        original = copy.deepcopy(signed)
        _strip_signature(evil)
        evil.insert(1, signature)
        if variant == 1:
            signature.append(original)
        else:
            signature.addprevious(original)
        return evil
    original = assertion_of(signed)
    evil = _evil_assertion(original, email)
    if variant == 3:
        # The evil assertion before the signed one, as its sibling.
        _strip_signature(evil)
        original.addprevious(evil)
    elif variant == 4:
        # The evil assertion replaces the original, which becomes its child.
        _strip_signature(evil)
        signed.replace(original, evil)
        evil.append(original)
    elif variant == 5:
        # The evil assertion keeps the original's signature; the original, unsigned, moves to
        # the end of the Response.
        signed.replace(original, evil)
        _strip_signature(original)
        signed.append(original)
    elif variant == 6:
        # The evil assertion keeps the signature; the original, unsigned, hides inside it.
        signed.replace(original, evil)
        _strip_signature(original)
        signature_of(evil).append(original)
    elif variant == 7:
        # The signed original goes into an Extensions element; the evil one takes its place.
        _strip_signature(evil)
        signed.replace(original, evil)
        extensions = etree.Element(_q(SAMLP, "Extensions"))
        extensions.append(original)
        evil.addprevious(extensions)
    elif variant == 8:
        # The evil assertion keeps the signature, with the original (unsigned) in a ds:Object.
        signed.replace(original, evil)
        _strip_signature(original)
        holder = etree.SubElement(signature_of(evil), _q(DS, "Object"))
        holder.append(original)
    else:
        raise ValueError(f"no XSW variant {variant}")
    return signed
