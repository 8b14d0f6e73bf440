"""Webhook rules on plain data: which addresses a delivery may reach, the secret, the retry waits."""

from __future__ import annotations

import base64
import ipaddress

import pytest

from portal.workflows.webhooks.rules import (
    MAX_RETRY_SECONDS,
    address_allowed,
    new_secret,
    retry_delay,
    signing_key,
    snippet,
)


@pytest.mark.parametrize(
    "address",
    [
        "127.0.0.1",
        "10.1.2.3",
        "172.16.0.1",
        "192.168.1.1",
        "169.254.169.254",  # the cloud metadata service
        "::1",
        "fd00::1",
        "::ffff:127.0.0.1",  # loopback written as IPv6
        "0.0.0.0",
        "224.0.0.1",
    ],
)
def test_this_machine_and_private_networks_are_refused(address):
    assert not address_allowed(ipaddress.ip_address(address), allow_local=False)


def test_public_addresses_are_allowed_and_local_ones_only_when_configured():
    assert address_allowed(ipaddress.ip_address("93.184.215.14"), allow_local=False)
    assert address_allowed(ipaddress.ip_address("2606:4700::1111"), allow_local=False)
    assert address_allowed(ipaddress.ip_address("127.0.0.1"), allow_local=True)
    assert not address_allowed(ipaddress.ip_address("224.0.0.1"), allow_local=True)


def test_a_secret_is_whsec_and_32_random_bytes():
    first, second = new_secret(), new_secret()
    assert first.startswith("whsec_") and first != second
    assert len(signing_key(first)) == 32 and base64.b64encode(signing_key(first)).decode() == first[6:]


def test_retries_wait_twice_as_long_each_time_up_to_a_cap():
    assert [retry_delay(n, 30) for n in (1, 2, 3, 4)] == [30, 60, 120, 240]
    assert retry_delay(30, 30) == MAX_RETRY_SECONDS


def test_the_log_keeps_the_start_of_an_answer_as_text():
    assert snippet(b"\xff" + b"x" * 10_000) == "\ufffd" + "x" * 499
