"""Data-rights rules on plain data: retention dates, when kept records may go, when drafts are warned and
erased, what blocks an erasure; and the catalogue's retention policy."""

from datetime import UTC, date, datetime, timedelta

import pytest

from portal.enums import ApplicationState, PairingState, Role
from portal.workflows.catalogue import CatalogueError, load_catalogue
from portal.workflows.data_rights import rules
from tests.factories.catalogue import CATALOGUE, edited_catalogue

POLICY = load_catalogue(CATALOGUE).retention


def test_the_catalogue_holds_the_retention_policy_with_its_reasons():
    assert (POLICY.credentials.years, POLICY.applications.years, POLICY.payments.years) == (6, 6, 7)
    assert POLICY.show_holder_name
    assert all(kept.reason for kept in (POLICY.credentials, POLICY.applications, POLICY.payments))


@pytest.mark.parametrize(
    "edit, message",
    [
        (lambda text: text[: text.index("[retention.credentials]")], "no [retention] policy"),
        (lambda text: text.replace("years = 7\n", ""), "retention.payments needs years and a reason"),
        (lambda text: text.replace("years = 6\n", "years = -1\n", 1), "years must be positive"),
    ],
)
def test_a_catalogue_without_a_sound_retention_policy_is_refused(tmp_path, edit, message):
    with pytest.raises(CatalogueError, match=message.replace("[", r"\[").replace("]", r"\]")):
        load_catalogue(edited_catalogue(tmp_path, edit))


def test_retention_counts_whole_years_and_a_leap_day_becomes_the_28th():
    assert rules.years_later(date(2024, 2, 29), 6) == date(2030, 2, 28)
    assert rules.years_later(datetime(2025, 3, 1, 12, tzinfo=UTC), 6) == date(2031, 3, 1)


def test_a_kept_credential_goes_the_day_after_its_years_end():
    assert not rules.credential_retention_over(date(2020, 1, 10), date(2026, 1, 10), POLICY.credentials)
    assert rules.credential_retention_over(date(2020, 1, 10), date(2026, 1, 11), POLICY.credentials)


@pytest.mark.parametrize(
    "closed, paid, has_credential, today, over",
    [
        (date(2018, 1, 1), None, False, date(2024, 1, 2), True),
        (date(2018, 1, 1), None, False, date(2024, 1, 1), False),  # its last day
        (date(2018, 1, 1), date(2018, 1, 1), False, date(2024, 1, 2), False),  # the payment's 7 years run on
        (date(2018, 1, 1), date(2018, 1, 1), False, date(2025, 1, 2), True),
        (date(2010, 1, 1), None, True, date(2030, 1, 1), False),  # a credential still rests on it
    ],
)
def test_an_anonymised_application_goes_when_its_own_its_payments_and_its_credentials_time_is_over(
    closed, paid, has_credential, today, over
):
    assert rules.application_retention_over(closed, paid, has_credential, today, POLICY) is over


def test_a_draft_is_warned_ahead_and_never_erased_before_the_warning_said():
    now = datetime(2026, 6, 1, tzinfo=UTC)
    assert rules.warn_untouched_since(now, 365, 30) == now - timedelta(days=335)
    last_change = now - timedelta(days=400)  # the sweep was off for a while: warned late
    assert rules.erase_after(last_change, now, 365, 30) == now + timedelta(days=30)
    on_time = now - timedelta(days=335)
    assert rules.erase_after(on_time, now, 365, 30) == on_time + timedelta(days=365)


def test_what_blocks_an_erasure():
    assert rules.staff_blocker(Role.APPLICANT) is None
    assert "administrator" in rules.staff_blocker(Role.REVIEWER).problem
    for state in (ApplicationState.DRAFT, *rules.CLOSED):
        assert rules.application_blocker("CPM-000001", "CPM", state, 1) is None
    blocker = rules.application_blocker(
        "CPM-000001", "Certified Professional Mentor", ApplicationState.RETURNED, 1
    )
    assert "CPM-000001 is returned" in blocker.problem and blocker.action == "Withdraw it"
    assert rules.pairing_blocker("P", "Bob", PairingState.COMPLETED, None, 1) is None
    active = rules.pairing_blocker("P", "Bob", PairingState.ACTIVE, date(2027, 3, 1), 1)
    assert "active until 1 March 2027" in active.problem
    assert (
        "withdraw from it"
        in rules.pairing_blocker("P", "Bob", PairingState.REQUESTED, None, 1).problem.lower()
    )


def test_an_erased_address_is_unique_and_can_never_receive_mail():
    assert rules.placeholder_email(7) == "deleted-7@erased.invalid" != rules.placeholder_email(8)
