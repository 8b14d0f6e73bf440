"""The webhook delivery actor: POSTs one delivery's event, signed, to its endpoint; retries with backoff.

The request goes only to an address the endpoint's host resolved to and that is allowed (public, unless
``WEBHOOK_ALLOW_LOCAL``), with a timeout on connecting and on each read, and without following redirects.
"""

from __future__ import annotations

import http.client
import ipaddress
import json
import socket
import ssl
import time
import uuid
from urllib.parse import urlsplit

import dramatiq
from dramatiq.middleware import CurrentMessage
from flask import current_app
from sqlalchemy import and_, or_, update

from portal import jobs
from portal.db import db, utcnow
from portal.enums import DeliveryStatus
from portal.models.webhooks import WebhookDelivery
from portal.tasks.claims import claimable
from portal.tasks.scheduler import PERIODIC, run_sweep
from portal.workflows.webhooks.operations import Answer, give_up, record_attempt, sweep_stalled
from portal.workflows.webhooks.rules import address_allowed, signature, snippet

# Far longer than one attempt may run (time limit 60 s): an older claim belongs to a job that is gone.
# A backstop only: how many attempts a delivery gets is WEBHOOK_MAX_ATTEMPTS, counted on the row.
MAX_RETRIES = 50
RESPONSE_BYTES = 64 * 1024
USER_AGENT = "mentor-portal-webhooks/1"
PERIODIC[jobs.SWEEP_WEBHOOKS] = 300


class AddressRefused(Exception):
    """The endpoint's host resolves to an address deliveries may not reach."""


def send_delivery(delivery_id: int, job_id: str | None = None) -> float | None:
    """Attempt ``delivery_id`` unless it is gone, settled or being sent by another job; record the answer.

    Returns the seconds to wait before trying again, or None when the delivery is settled.
    """
    job_id = job_id or uuid.uuid4().hex
    now = utcnow()
    claimed = db.session.execute(
        update(WebhookDelivery)
        .where(
            WebhookDelivery.id == delivery_id,
            claimable(
                WebhookDelivery,
                [
                    WebhookDelivery.status == DeliveryStatus.PENDING,
                    # Not before its time: a copy of the job sent by the sweep must not shorten the wait.
                    and_(
                        WebhookDelivery.status == DeliveryStatus.RETRYING,
                        or_(
                            WebhookDelivery.next_attempt_at.is_(None), WebhookDelivery.next_attempt_at <= now
                        ),
                    ),
                ],
                DeliveryStatus.SENDING,
                job_id,
                now,
            ),
        )
        .values(
            status=DeliveryStatus.SENDING,
            claimed_by=job_id,
            claimed_at=now,
            attempts=WebhookDelivery.attempts + 1,
        )
        .execution_options(synchronize_session=False)
    ).rowcount
    db.session.commit()
    if not claimed:
        return None
    delivery = db.session.get(WebhookDelivery, delivery_id, populate_existing=True)
    if not delivery.endpoint.is_enabled:
        give_up(delivery, "The endpoint was disabled before this delivery was sent.")
        db.session.commit()
        return None
    answer = post(delivery)
    delay = record_attempt(delivery, answer)
    db.session.commit()
    return delay


def post(delivery: WebhookDelivery) -> Answer:
    """POST the delivery's event to its endpoint, signed with the endpoint's current secret."""
    config = current_app.config
    event, endpoint = delivery.event, delivery.endpoint
    body = json.dumps(event.payload, separators=(",", ":"), ensure_ascii=False).encode()
    timestamp = int(time.time())
    headers = {
        "Content-Type": "application/json",
        "User-Agent": USER_AGENT,
        "webhook-id": event.message_id,
        "webhook-timestamp": str(timestamp),
        "webhook-signature": signature(endpoint.secret, event.message_id, timestamp, body),
    }
    started = time.monotonic()

    def took() -> int:
        return round((time.monotonic() - started) * 1000)

    try:
        status, content = _request(
            endpoint.url, body, headers, config["WEBHOOK_TIMEOUT_SECONDS"], config["WEBHOOK_ALLOW_LOCAL"]
        )
    except AddressRefused as error:
        return Answer(None, took(), error=str(error), final=True)
    except (OSError, http.client.HTTPException, ValueError) as error:
        return Answer(None, took(), error=f"{type(error).__name__}: {error}"[:2000])
    return Answer(status, took(), snippet=snippet(content))


def _request(url: str, body: bytes, headers: dict[str, str], timeout: float, allow_local: bool):
    parts = urlsplit(url)
    host, https = parts.hostname or "", parts.scheme == "https"
    port = parts.port or (443 if https else 80)
    address = _vetted_address(host, port, allow_local)
    connection = (
        _PinnedHTTPS(host, address, port, timeout) if https else _PinnedHTTP(host, address, port, timeout)
    )
    try:
        path = parts.path or "/"
        connection.request("POST", f"{path}?{parts.query}" if parts.query else path, body, headers)
        response = connection.getresponse()  # a redirect is an answer like any other: never followed
        return response.status, response.read(RESPONSE_BYTES)
    finally:
        connection.close()


def _vetted_address(host: str, port: int, allow_local: bool) -> str:
    """The address to connect to: every address ``host`` resolves to must be allowed, so that a name
    pointing at both a public and a private address cannot reach the private one."""
    infos = socket.getaddrinfo(host.strip("[]"), port, type=socket.SOCK_STREAM)
    addresses = [ipaddress.ip_address(info[4][0].split("%")[0]) for info in infos]
    refused = [str(address) for address in addresses if not address_allowed(address, allow_local)]
    if refused or not addresses:
        raise AddressRefused(
            f"{host} resolves to an address deliveries may not reach ({', '.join(refused)})."
        )
    return str(addresses[0])


class _PinnedHTTP(http.client.HTTPConnection):
    """Connects to the vetted address, whatever the name resolves to by then (no DNS rebinding)."""

    def __init__(self, host: str, address: str, port: int, timeout: float):
        super().__init__(host, port, timeout=timeout)
        self._address = address

    def connect(self) -> None:
        self.sock = socket.create_connection((self._address, self.port), self.timeout)


class _PinnedHTTPS(http.client.HTTPSConnection):
    def __init__(self, host: str, address: str, port: int, timeout: float):
        super().__init__(host, port, timeout=timeout, context=ssl.create_default_context())
        self._address = address

    def connect(self) -> None:
        sock = socket.create_connection((self._address, self.port), self.timeout)
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)


@dramatiq.actor(
    actor_name=jobs.DELIVER_WEBHOOK,
    queue_name="webhooks",
    max_retries=MAX_RETRIES,
    time_limit=60_000,
)
def deliver_webhook(delivery_id: int) -> None:
    message = CurrentMessage.get_current_message()
    delay = send_delivery(delivery_id, job_id=message.message_id if message is not None else None)
    if delay is not None:
        raise dramatiq.Retry(f"webhook delivery {delivery_id} will be tried again", delay=round(delay * 1000))


@dramatiq.actor(
    actor_name=jobs.SWEEP_WEBHOOKS,
    queue_name="webhooks",
    max_retries=3,
    min_backoff=10_000,
    max_backoff=300_000,
    time_limit=120_000,
)
def sweep_webhooks() -> None:
    """Every five minutes: deliveries whose job was lost are queued again."""
    run_sweep(sweep_stalled)
