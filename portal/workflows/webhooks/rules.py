"""Webhook rules on plain data: which URLs and addresses an endpoint may have, the secret, the signature
(Standard Webhooks: ``v1,`` + base64 HMAC-SHA256 of ``id.timestamp.body``), and when to try again."""

from __future__ import annotations

import base64
import hashlib
import hmac
import ipaddress
import secrets
from urllib.parse import urlsplit

from flask_babel import gettext as _

SECRET_PREFIX = "whsec_"
LOCAL_HOSTS = frozenset({"localhost", "127.0.0.1", "::1"})
# The longest wait between two attempts, however many have failed.
MAX_RETRY_SECONDS = 6 * 3600
SNIPPET_CHARS = 500


def new_secret() -> str:
    """A signing secret as receivers store it: ``whsec_`` and the base64 of 32 random bytes."""
    return SECRET_PREFIX + base64.b64encode(secrets.token_bytes(32)).decode()


def signing_key(secret: str) -> bytes:
    return base64.b64decode(secret.removeprefix(SECRET_PREFIX))


def signature(secret: str, message_id: str, timestamp: int, body: bytes) -> str:
    """The ``webhook-signature`` header's value for ``body`` sent as ``message_id`` at ``timestamp``."""
    signed = f"{message_id}.{timestamp}.".encode() + body
    digest = hmac.new(signing_key(secret), signed, hashlib.sha256).digest()
    return "v1," + base64.b64encode(digest).decode()


def url_problems(url: str, allow_local: bool) -> list[str]:
    """What is wrong with ``url`` as an endpoint: https only, except http to this machine when allowed."""
    try:
        parts = urlsplit(url)
        _port = parts.port  # raises ValueError for a port that is not a number
    except ValueError:
        return [_("Enter a full address, like https://example.org/webhooks.")]
    host = (parts.hostname or "").lower()
    if parts.scheme not in ("https", "http") or not host:
        return [_("Enter a full address, like https://example.org/webhooks.")]
    if parts.username or parts.password:
        return [_("Leave the user name and password out of the address.")]
    if parts.scheme == "http" and not (allow_local and host in LOCAL_HOSTS):
        return [_("The address must start with https://.")]
    if not allow_local and (host in LOCAL_HOSTS or host.endswith(".localhost")):
        return [_("The address must be reachable on the internet, not on this machine.")]
    literal = _ip(host)
    if literal is not None and not address_allowed(literal, allow_local):
        return [_("The address must be reachable on the internet, not on a private network.")]
    return []


def _ip(host: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return None


def address_allowed(address: ipaddress.IPv4Address | ipaddress.IPv6Address, allow_local: bool) -> bool:
    """Whether a delivery may connect to ``address``: public ones always, this machine's and private
    networks' only when allowed (so an endpoint cannot make the portal reach its own network)."""
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    if address.is_multicast or address.is_unspecified or address.is_reserved:
        return False
    if address.is_global:
        return True
    return allow_local and (address.is_loopback or address.is_private)


def retry_delay(attempts: int, first_seconds: float) -> float:
    """Seconds to wait after the ``attempts``-th failed attempt: doubling from ``first_seconds``, capped."""
    return min(first_seconds * 2 ** max(attempts - 1, 0), MAX_RETRY_SECONDS)


def snippet(body: bytes) -> str:
    """The start of an answer's body, as text, for the delivery log."""
    return body[: SNIPPET_CHARS * 4].decode("utf-8", "replace")[:SNIPPET_CHARS]


def is_success(status_code: int | None) -> bool:
    return status_code is not None and 200 <= status_code < 300
