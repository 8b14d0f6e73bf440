"""The rules of referee verification on plain data: reminder timing, link tokens, trust signals."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime, timedelta

import pytest

from portal.enums import DisputeOutcome, ReferenceStatus
from portal.models.applications import Engagement
from portal.models.references import ReferenceRequest
from portal.workflows.external_requests.rules import Level, hash_token, new_token, reminder_days, reminder_due
from portal.workflows.references.rules import (
    Standing,
    TrustFacts,
    assess_trust,
    dispute_problem,
    is_confirmed,
    reconfirmed,
    set_aside_reason,
    standing,
)

SENT = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
EXPIRES = SENT + timedelta(days=21)
DAYS = (7, 14)


def due(
    now: datetime,
    reminders_sent: int = 0,
    last_message_at: datetime = SENT,
    days=DAYS,
    expires_at: datetime = EXPIRES,
) -> bool:
    return reminder_due(
        last_message_at=last_message_at,
        reminders_sent=reminders_sent,
        expires_at=expires_at,
        now=now,
        days=days,
    )


def test_the_first_reminder_is_due_a_week_after_the_request():
    assert not due(SENT + timedelta(days=6, hours=23))
    assert due(SENT + timedelta(days=7))


def test_the_second_reminder_is_timed_from_the_first():
    first_sent = SENT + timedelta(days=8)  # the sweep ran a day late
    assert not due(SENT + timedelta(days=14), reminders_sent=1, last_message_at=first_sent)
    assert due(SENT + timedelta(days=15), reminders_sent=1, last_message_at=first_sent)


def test_no_reminder_after_the_configured_ones():
    assert not due(SENT + timedelta(days=20), reminders_sent=2, last_message_at=SENT + timedelta(days=14))


def test_no_reminder_within_two_days_of_expiry():
    late = (7, 20)
    assert not due(
        SENT + timedelta(days=20), reminders_sent=1, last_message_at=SENT + timedelta(days=7), days=late
    )
    assert due(
        SENT + timedelta(days=18, hours=23),
        reminders_sent=1,
        last_message_at=SENT + timedelta(days=5),
        days=late,
    )


@pytest.mark.parametrize(
    "raw, days", [("7,14", (7, 14)), (" 14 , 7 ", (7, 14)), ("", ()), ("3", (3,)), ([5, 10], (5, 10))]
)
def test_reminder_days_are_read_from_the_setting(raw, days):
    assert reminder_days(raw) == days


@pytest.mark.parametrize("raw", ["0,7", "-1", "seven"])
def test_nonsense_reminder_days_are_refused(raw):
    with pytest.raises(ValueError):
        reminder_days(raw)


def test_a_token_is_random_and_only_its_sha256_is_kept():
    first, second = new_token(), new_token()
    assert first != second and len(first) >= 40
    assert hash_token(first) == hashlib.sha256(first.encode()).hexdigest()
    assert first not in hash_token(first)


def facts(**overrides) -> TrustFacts:
    values = dict(
        referee_email="sam@mentee-company.example",
        applicant_emails=("ada@lovelace.example",),
        setting="external",
    )
    return TrustFacts(**{**values, **overrides})


def reasons(trust) -> str:
    return " ".join(signal.reason for signal in trust.signals)


def test_an_independent_referee_is_green():
    trust = assess_trust(
        facts(
            requested_at=SENT,
            answered_at=SENT + timedelta(days=2),
            answer_ip="198.51.100.7",
            applicant_ip="203.0.113.5",
        )
    )
    assert trust.level == Level.GREEN and trust.signals == ()


def test_the_applicants_own_address_is_red():
    trust = assess_trust(facts(referee_email="Ada@Lovelace.example"))
    assert trust.level == Level.RED and "applicant's own" in reasons(trust)


def test_the_applicants_own_domain_is_red_for_an_external_engagement():
    trust = assess_trust(facts(referee_email="friend@lovelace.example"))
    assert trust.level == Level.RED and "lovelace.example" in reasons(trust)


def test_the_same_organisation_domain_is_expected_for_an_internal_engagement():
    trust = assess_trust(
        facts(
            referee_email="boss@employer.example",
            applicant_emails=("ada@employer.example",),
            setting="internal",
        )
    )
    assert trust.level == Level.GREEN


def test_a_shared_free_mail_domain_is_not_the_applicants_own():
    trust = assess_trust(facts(referee_email="sam@gmail.com", applicant_emails=("ada@gmail.com",)))
    assert trust.level == Level.GREEN


def test_a_free_mail_referee_for_an_internal_engagement_is_amber():
    trust = assess_trust(facts(referee_email="sam.manager@gmail.com", setting="internal"))
    assert trust.level == Level.AMBER and "gmail.com" in reasons(trust)


def test_one_referee_for_several_engagements_is_amber():
    trust = assess_trust(facts(engagements_named_for=3))
    assert trust.level == Level.AMBER and "3 engagements" in reasons(trust)


def test_an_answer_from_the_applicants_browser_is_red_and_from_their_network_amber():
    same = dict(answer_ip="203.0.113.5", applicant_ip="203.0.113.5")
    trust = assess_trust(facts(**same, answer_user_agent="Firefox/120", applicant_user_agent="Firefox/120"))
    assert trust.level == Level.RED and "same network address and browser" in reasons(trust)
    trust = assess_trust(facts(**same, answer_user_agent="Safari/17", applicant_user_agent="Firefox/120"))
    assert trust.level == Level.AMBER and "different browser" in reasons(trust)


def test_an_answer_within_minutes_of_the_request_is_amber():
    trust = assess_trust(facts(requested_at=SENT, answered_at=SENT + timedelta(minutes=3)))
    assert trust.level == Level.AMBER and "3 minutes after" in reasons(trust)
    assert assess_trust(facts(requested_at=SENT, answered_at=SENT + timedelta(hours=5))).level == Level.GREEN


def test_the_worst_signal_sets_the_level():
    trust = assess_trust(facts(referee_email="ada@lovelace.example", engagements_named_for=2))
    assert trust.level == Level.RED and len(trust.signals) == 2


# --- disputed engagements -------------------------------------------------------------------------------


def _answer(status, answered_at, *, engagement_id=1, replaced=False):
    return ReferenceRequest(
        engagement_id=engagement_id,
        status=status,
        answered_at=answered_at,
        replaced_by_id=7 if replaced else None,
    )


def _engagement(outcome=None, resolved_at=None, pairing_id=None):
    return Engagement(id=1, dispute_outcome=outcome, dispute_resolved_at=resolved_at, pairing_id=pairing_id)


def test_a_declined_or_corrected_answer_disputes_the_engagement_until_a_reviewer_decides_after_it():
    monday, tuesday = datetime(2026, 3, 2, tzinfo=UTC), datetime(2026, 3, 3, tzinfo=UTC)
    confirmed = _answer(ReferenceStatus.CONFIRMED, monday)
    assert standing(_engagement(), [confirmed]) == Standing.UNDISPUTED
    assert is_confirmed(_engagement(), [confirmed], Standing.UNDISPUTED)
    for status in (ReferenceStatus.DECLINED, ReferenceStatus.CORRECTED):
        answer = _answer(status, tuesday)
        assert standing(_engagement(), [answer]) == Standing.DISPUTED
        assert not Standing.DISPUTED.counts
        # a replaced referee's refusal still stands; another engagement's does not matter
        assert (
            standing(_engagement(), [_answer(status, tuesday, replaced=True), confirmed]) == Standing.DISPUTED
        )
        assert standing(_engagement(), [_answer(status, tuesday, engagement_id=2)]) == Standing.UNDISPUTED
        # accepted after the answer: counts; a newer dispute after the acceptance reopens it
        accepted = _engagement(DisputeOutcome.ACCEPTED, tuesday)
        assert standing(accepted, [_answer(status, monday)]) == Standing.ACCEPTED
        assert standing(_engagement(DisputeOutcome.ACCEPTED, monday), [answer]) == Standing.DISPUTED
        assert standing(_engagement(DisputeOutcome.EXCLUDED, tuesday), [answer]) == Standing.EXCLUDED
    corrected = _answer(ReferenceStatus.CORRECTED, monday)
    assert is_confirmed(_engagement(), [corrected], Standing.ACCEPTED)
    assert not is_confirmed(_engagement(), [corrected], Standing.DISPUTED)
    declined = _answer(ReferenceStatus.DECLINED, monday)
    assert not is_confirmed(_engagement(), [declined], Standing.ACCEPTED)  # accepted, but nobody confirmed it


def test_a_dispute_counts_again_toward_the_engagements_once_a_referee_named_since_confirms():
    monday, tuesday = datetime(2026, 3, 2, tzinfo=UTC), datetime(2026, 3, 3, tzinfo=UTC)
    declined = _answer(ReferenceStatus.DECLINED, monday, replaced=True)
    declined.referee_name, declined.comment = "Rita Referee", "Not me."
    assert not reconfirmed(_engagement(), [declined])
    assert reconfirmed(_engagement(), [declined, _answer(ReferenceStatus.CONFIRMED, tuesday)])
    # a confirmation from before the refusal, or one since replaced, does not
    assert not reconfirmed(
        _engagement(), [_answer(ReferenceStatus.CONFIRMED, monday - timedelta(1)), declined]
    )
    assert not reconfirmed(
        _engagement(), [declined, _answer(ReferenceStatus.CONFIRMED, tuesday, replaced=True)]
    )
    engagement = _engagement()
    engagement.mentee_name = "Sam Mentee"
    assert set_aside_reason(engagement, Standing.DISPUTED, [declined]).startswith(
        "The engagement with Sam Mentee does not count while it is disputed: Rita Referee declined to confirm "
        "it (“Not me.”). Name another referee for it"
    )
    engagement.dispute_reason = "The dates do not hold up."
    assert set_aside_reason(engagement, Standing.EXCLUDED, [declined]) == (
        "The engagement with Sam Mentee does not count: the reviewer excluded it (The dates do not hold up.)."
    )
    assert not is_confirmed(_engagement(pairing_id=3), [], Standing.EXCLUDED)


def test_resolving_a_dispute_needs_a_dispute_and_a_reason():
    assert "nothing to resolve" in dispute_problem(Standing.UNDISPUTED, DisputeOutcome.ACCEPTED, "ok")
    assert "already been excluded" in dispute_problem(Standing.EXCLUDED, DisputeOutcome.ACCEPTED, "ok")
    assert "already been accepted" in dispute_problem(Standing.ACCEPTED, DisputeOutcome.ACCEPTED, "ok")
    assert "Say why" in dispute_problem(Standing.DISPUTED, DisputeOutcome.EXCLUDED, "  ")
    assert dispute_problem(Standing.DISPUTED, DisputeOutcome.EXCLUDED, "Never happened.") is None
    assert dispute_problem(Standing.ACCEPTED, DisputeOutcome.EXCLUDED, "New facts.") is None
