"""The credential rules on plain data: status by date, credential numbers, years added calendar-wise, and the
revocation status list's encoding."""

from __future__ import annotations

import base64
import gzip
from datetime import UTC, date, datetime

import pytest

from portal.enums import CredentialStatus
from portal.models.credentials import IssuedCredential
from portal.workflows.credentials.rules import (
    STATUS_LIST_SIZE,
    add_years,
    encode_status_list,
    new_number,
    normalise_number,
    status_list_place,
)


@pytest.mark.parametrize(
    "today, status",
    [
        (date(2027, 10, 3), CredentialStatus.VALID),  # 91 days before expiry
        (date(2027, 10, 4), CredentialStatus.EXPIRING_SOON),  # 90 days before
        (date(2028, 1, 2), CredentialStatus.EXPIRING_SOON),  # the day of expiry
        (date(2028, 1, 3), CredentialStatus.EXPIRED),
    ],
)
def test_credential_status_by_date(today, status):
    credential = IssuedCredential(issued_on=date(2026, 1, 2), expires_on=date(2028, 1, 2))
    assert credential.status_on(today, 90) == status
    credential.revoked_at = datetime(2026, 6, 1, tzinfo=UTC)
    assert credential.status_on(today, 90) == CredentialStatus.REVOKED


def test_credential_numbers_are_random_readable_and_distinct():
    numbers = {new_number("CPM") for _ in range(2000)}
    assert len(numbers) == 2000
    for number in list(numbers)[:50]:
        code, *groups = number.split("-")
        assert code == "CPM" and [len(g) for g in groups] == [4, 4, 4]
        assert not set("".join(groups)) & set("ILOU")
    assert normalise_number(" cpm-7k3m-q9xd-2hfp ") == "CPM-7K3M-Q9XD-2HFP"


def test_years_are_added_calendar_wise():
    assert add_years(date(2024, 2, 29), 2) == date(2026, 2, 28)
    assert add_years(date(2025, 3, 1), 2) == date(2027, 3, 1)
    assert add_years(date(2026, 3, 1), -2) == date(2024, 3, 1)


def test_the_status_list_is_a_gzipped_multibase_bitstring_with_index_0_leftmost():
    encoded = encode_status_list([0, 9, STATUS_LIST_SIZE - 1])
    assert encoded.startswith("u") and "=" not in encoded
    bits = gzip.decompress(base64.urlsafe_b64decode(encoded[1:] + "=" * (-len(encoded[1:]) % 4)))
    assert len(bits) == STATUS_LIST_SIZE // 8 == 16 * 1024
    assert (bits[0], bits[1], bits[-1]) == (0b1000_0000, 0b0100_0000, 0b0000_0001)
    assert sum(bin(byte).count("1") for byte in bits) == 3
    assert encode_status_list([9, 0, STATUS_LIST_SIZE - 1]) == encoded  # the same list, the same text
    assert status_list_place(5) == (1, 5) and status_list_place(STATUS_LIST_SIZE + 2) == (2, 2)
