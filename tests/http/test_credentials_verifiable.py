"""Credentials others verify by machine: the signed credential (VC-JWT), the issuer's did:web document, the
revocation status list, key rotation, the badge image and LinkedIn.

Verification here uses jwcrypto, a different JOSE library from the one that signs (joserfc), and reads only
what the portal publishes: the JWT, the DID document and the status list.
"""

from __future__ import annotations

import base64
import gzip
import json
from datetime import UTC, date, datetime
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import jsonschema
import pytest
from jwcrypto import jwk, jws

from portal.workflows.credentials.rules import did_web
from tests.factories import review as flow
from tests.helpers import client_for, page

SCHEMA = json.loads(
    (Path(__file__).parent.parent / "data" / "ob_v3p0_achievementcredential_required.json").read_text()
)
DID = "did:web:127.0.0.1%3A5000"  # the tests' BASE_URL, http://127.0.0.1:5000


def _get(client, url: str, **kwargs):
    """Fetch a published address (under BASE_URL) through the test client."""
    return client.get(urlsplit(url).path, **kwargs)


def _verify(token: str, did_document: dict) -> tuple[dict, dict]:
    """Check ``token``'s signature against the key its header names in ``did_document``, as a verifier
    would; return its header and payload."""
    parsed = jws.JWS()
    parsed.deserialize(token)
    header = parsed.jose_header
    did, _, _fragment = header["kid"].partition("#")
    assert did == did_document["id"]
    method = next(m for m in did_document["verificationMethod"] if m["id"] == header["kid"])
    assert method["id"] in did_document["assertionMethod"]
    parsed.verify(jwk.JWK(**method["publicKeyJwk"]), alg=header["alg"])
    return header, json.loads(parsed.payload)


def _revoked(status_list: dict, index: int) -> bool:
    encoded = status_list["credentialSubject"]["encodedList"]
    assert encoded.startswith("u")  # multibase base64url, no padding
    bits = gzip.decompress(base64.urlsafe_b64decode(encoded[1:] + "=" * (-len(encoded[1:]) % 4)))
    assert len(bits) >= 16 * 1024  # at least 131,072 entries
    return bool(bits[index // 8] & (0x80 >> (index % 8)))


def _check_status(visitor, credential_payload: dict, did_document: dict) -> bool:
    entry = credential_payload["credentialStatus"]
    assert (entry["type"], entry["statusPurpose"]) == ("BitstringStatusListEntry", "revocation")
    response = _get(visitor, entry["statusListCredential"])
    assert response.status_code == 200 and response.mimetype == "application/vc+jwt"
    assert response.headers["Cache-Control"] == "no-cache"
    header, status_list = _verify(response.get_data(as_text=True), did_document)
    assert header["typ"] == "vc+jwt"
    assert status_list["type"] == ["VerifiableCredential", "BitstringStatusListCredential"]
    assert status_list["issuer"] == did_document["id"]
    assert status_list["credentialSubject"]["statusPurpose"] == "revocation"
    return _revoked(status_list, int(entry["statusListIndex"]))


def test_an_issued_credential_verifies_by_machine_before_and_after_revocation(app, applicant, admin):
    credential = flow.issued(applicant, date.today())
    holder, visitor = client_for(app, applicant), client_for(app)
    response = holder.get(f"/credentials/{credential.number}/credential.jwt")
    assert response.status_code == 200 and response.mimetype == "application/vc+jwt"
    assert response.headers["Content-Disposition"] == f"attachment; filename={credential.number}.jwt"
    token = response.get_data(as_text=True)

    did_response = visitor.get("/.well-known/did.json")
    assert did_response.status_code == 200 and did_response.headers["Access-Control-Allow-Origin"] == "*"
    did_document = json.loads(did_response.data)
    assert did_document["id"] == DID

    header, payload = _verify(token, did_document)
    assert (header["alg"], header["typ"]) == ("Ed25519", "vc+jwt")
    jsonschema.Draft201909Validator(SCHEMA, format_checker=jsonschema.FormatChecker()).validate(payload)
    assert payload["type"] == ["VerifiableCredential", "OpenBadgeCredential"]
    assert payload["issuer"]["id"] == DID
    assert payload["id"] == f"http://127.0.0.1:5000/verify/{credential.number}"
    now = datetime.now(UTC)
    assert (
        datetime.fromisoformat(payload["validFrom"]) <= now <= datetime.fromisoformat(payload["validUntil"])
    )
    assert _check_status(visitor, payload, did_document) is False

    assert (
        client_for(app, admin)
        .post(f"/admin/credentials/{credential.id}/revoke", data={"reason": "Forged certificate."})
        .status_code
        == 302
    )
    # The JWT the holder kept still carries a good signature; the published list now says it is revoked.
    _verify(token, did_document)
    assert _check_status(visitor, payload, did_document) is True
    assert holder.get(f"/credentials/{credential.number}/credential.jwt").status_code == 404


def test_the_status_list_flips_only_the_revoked_credentials_bit_and_revalidates_cheaply(
    app, applicant, admin
):
    kept, revoked = flow.issued(applicant, date.today()), flow.issued(applicant, date.today())
    assert (kept.status_list_index, revoked.status_list_index) == (kept.id, revoked.id)
    visitor = client_for(app)
    before = visitor.get("/credentials/status/1")
    etag = before.headers["ETag"]
    assert visitor.get("/credentials/status/1", headers={"If-None-Match": etag}).status_code == 304
    client_for(app, admin).post(f"/admin/credentials/{revoked.id}/revoke", data={"reason": "Withdrawn."})
    after = visitor.get("/credentials/status/1", headers={"If-None-Match": etag})
    assert after.status_code == 200 and after.headers["ETag"] != etag
    _header, status_list = _verify(
        after.get_data(as_text=True), json.loads(visitor.get("/.well-known/did.json").data)
    )
    set_bits = [i for i in range(200) if _revoked(status_list, i)]
    assert set_bits == [revoked.status_list_index]
    assert visitor.get("/credentials/status/2").status_code == 404
    assert visitor.get("/credentials/status/0").status_code == 404


def test_an_expired_credential_says_so_by_its_valid_until(app, applicant):
    credential = flow.issued(applicant, date(2020, 3, 1))
    token = (
        client_for(app, applicant)
        .get(f"/credentials/{credential.number}/credential.jwt")
        .get_data(as_text=True)
    )
    _header, payload = _verify(token, json.loads(client_for(app).get("/.well-known/did.json").data))
    assert payload["validUntil"] == "2022-03-01T23:59:59Z"
    assert datetime.fromisoformat(payload["validUntil"]) < datetime.now(UTC)


def test_a_rotated_key_signs_new_credentials_and_old_ones_still_verify(app, applicant):
    credential = flow.issued(applicant, date.today())
    holder, visitor = client_for(app, applicant), client_for(app)
    old_token = holder.get(f"/credentials/{credential.number}/credential.jwt").get_data(as_text=True)

    result = app.test_cli_runner().invoke(args=["credentials", "rotate-key"])
    assert result.exit_code == 0 and "2 keys published" in result.output, result.output

    did_document = json.loads(visitor.get("/.well-known/did.json").data)
    assert len(did_document["verificationMethod"]) == 2
    new_token = holder.get(f"/credentials/{credential.number}/credential.jwt").get_data(as_text=True)
    old_header, _ = _verify(old_token, did_document)
    new_header, _ = _verify(new_token, did_document)
    assert old_header["kid"] != new_header["kid"]
    assert new_header["kid"] == did_document["verificationMethod"][-1]["id"]
    folder = Path(app.config["CREDENTIAL_KEY_DIR"])
    key_files = list(folder.glob("*.json"))
    assert len(key_files) == 2 and all(path.stat().st_mode & 0o077 == 0 for path in [folder, *key_files])


@pytest.mark.parametrize(
    "base_url, did",
    [
        ("http://127.0.0.1:5000", "did:web:127.0.0.1%3A5000"),
        ("https://credentials.example.org", "did:web:credentials.example.org"),
        ("https://example.org/portal/", "did:web:example.org:portal"),
    ],
)
def test_the_issuer_is_the_did_web_of_the_base_url(base_url, did):
    assert did_web(base_url) == did


def test_a_portal_served_under_a_path_answers_its_did_document_at_path_did_json(app):
    # did:web resolves did:web:example.org:portal to https://example.org/portal/did.json; mounted at /portal,
    # the portal sees that request as /did.json.
    response = client_for(app).get("/did.json")
    assert response.status_code == 200 and json.loads(response.data)["id"] == DID


def test_the_holder_downloads_a_baked_badge_image_and_adds_the_credential_to_linkedin(app, applicant):
    credential = flow.issued(applicant, date(2026, 1, 10))
    holder = client_for(app, applicant)
    text = page(holder.get("/credentials/"))
    for link in ("Signed credential (.jwt)", "Badge image (.svg)", "Add to LinkedIn profile"):
        assert link in text, link

    linkedin = next(
        part.split('"')[0] for part in text.split('href="')[1:] if part.startswith("https://www.linkedin.com")
    )
    query = parse_qs(urlsplit(linkedin.replace("&amp;", "&")).query)
    assert {key: values[0] for key, values in query.items()} == {
        "startTask": "CERTIFICATION_NAME",
        "name": "Certified Professional Mentor (CPM)",
        "organizationName": "International Mentoring Center",
        "issueYear": "2026",
        "issueMonth": "1",
        "expirationYear": "2028",
        "expirationMonth": "1",
        "certUrl": f"http://127.0.0.1:5000/verify/{credential.number}",
        "certId": credential.number,
    }

    response = holder.get(f"/credentials/{credential.number}/badge.svg")
    assert response.status_code == 200 and response.mimetype == "image/svg+xml"
    assert response.headers["Content-Disposition"] == f"attachment; filename={credential.number}.svg"
    svg = response.get_data(as_text=True)
    assert 'xmlns:openbadges="https://purl.imsglobal.org/ob/v3p0"' in svg
    baked = svg.split('<openbadges:credential verify="')[1].split('"')[0]
    _header, payload = _verify(baked, json.loads(client_for(app).get("/.well-known/did.json").data))
    assert (
        payload["credentialSubject"]["achievement"]["image"]["id"] == "http://127.0.0.1:5000/badges/CPM.svg"
    )
    image = client_for(app).get("/badges/CPM.svg")
    assert (
        image.status_code == 200
        and image.mimetype == "image/svg+xml"
        and "openbadges" not in image.get_data(as_text=True)
    )
    assert client_for(app).get("/badges/XYZ.svg").status_code == 404


def test_only_the_holder_downloads_the_signed_credential(app, applicant, other_applicant):
    credential = flow.issued(applicant, date.today())
    for path in ("credential.jwt", "badge.svg"):
        assert (
            client_for(app, other_applicant).get(f"/credentials/{credential.number}/{path}").status_code
            == 404
        )
        anonymous = client_for(app).get(f"/credentials/{credential.number}/{path}")
        assert anonymous.status_code == 302 and "/account/sign-in" in anonymous.headers["Location"]
