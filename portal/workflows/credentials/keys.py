"""The issuer's signing keys: Ed25519 keys kept as files, the newest signs, every one stays published.

Each key is a JSON file in ``CREDENTIAL_KEY_DIR`` named by its key id (the JWK thumbprint, RFC 7638), holding
the private JWK and when it was made. The first signature makes a key if there is none, as the app's secret key
is made on first run. Rotating adds a newer key; the older ones are kept so that the DID document still lists
their public halves and credentials signed with them still verify. The folder is read on each use, so a key
added by the command line is used by every running process at once.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from flask import current_app
from joserfc import jwt
from joserfc.jwk import OKPKey

# RFC 9864's fully specified name for EdDSA over Ed25519 (the older "EdDSA" is deprecated by it).
ALGORITHM = "Ed25519"
MEDIA_TYPE = "vc+jwt"  # VC-JOSE-COSE: the JWT's payload is the credential itself


@dataclass(frozen=True)
class SigningKey:
    kid: str
    created: datetime
    key: OKPKey

    def public_jwk(self) -> dict[str, Any]:
        return {**self.key.as_dict(private=False), "kid": self.kid, "alg": ALGORITHM}


def _folder() -> Path:
    return Path(current_app.config["CREDENTIAL_KEY_DIR"])


def all_keys() -> list[SigningKey]:
    """Every key in the folder, oldest first."""
    folder = _folder()
    keys = []
    for path in folder.glob("*.json") if folder.is_dir() else ():
        stored = json.loads(path.read_text())
        key = OKPKey.import_key(stored["jwk"])
        keys.append(SigningKey(path.stem, datetime.fromisoformat(stored["created"]), key))
    return sorted(keys, key=lambda item: (item.created, item.kid))


def add_key() -> SigningKey:
    """Make a new Ed25519 key, written only by its owner; from now on it signs."""
    folder = _folder()
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    key = OKPKey.generate_key("Ed25519")
    made = SigningKey(key.thumbprint(), datetime.now(UTC), key)
    stored = {"created": made.created.isoformat(), "jwk": key.as_dict(private=True)}
    # O_EXCL: a key file is written once and never overwritten, and no other user may read it.
    handle = os.open(folder / f"{made.kid}.json", os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(handle, "w") as file:
        json.dump(stored, file)
    return made


def current_key() -> SigningKey:
    """The newest key, made on first use. Two processes making the first key at once both keep theirs:
    each is published, so whatever either signed verifies."""
    keys = all_keys()
    return keys[-1] if keys else add_key()


def sign(claims: dict[str, Any], did: str) -> str:
    """``claims`` as a compact JWS signed with the current key, named ``did#kid`` in the header."""
    key = current_key()
    header = {"alg": ALGORITHM, "typ": MEDIA_TYPE, "kid": f"{did}#{key.kid}"}
    return jwt.encode(header, claims, key.key, algorithms=[ALGORITHM])
