"""The payment rules: paying starts the review clock, with the target of the slowest training centre."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from portal.enums import CentreStatus
from portal.workflows.payments.rules import review_due
from tests.factories import review as flow

PAID = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    "centres, weeks",
    [
        ((CentreStatus.ACCREDITED,), 4),
        ((CentreStatus.ENDORSED,), 6),
        ((CentreStatus.NON_ACCREDITED,), 10),
        ((CentreStatus.ACCREDITED, CentreStatus.ENDORSED), 6),
        ((CentreStatus.ENDORSED, CentreStatus.NON_ACCREDITED, CentreStatus.ACCREDITED), 10),
        ((), 10),  # no training declared (a renewal): the longest target
    ],
)
def test_the_expected_decision_is_the_payment_date_plus_the_slowest_centres_target(
    app, applicant, centres, weeks
):
    made = flow.application(applicant, centres=centres, paid_at=PAID)
    assert review_due(made) == PAID + timedelta(weeks=weeks)
