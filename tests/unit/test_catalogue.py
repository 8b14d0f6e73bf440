"""The credential catalogue: the numbers from the IMC pages, renewal and expiry rules, validation, and a third
credential by data alone."""

from decimal import Decimal

import pytest

from portal.enums import CentreStatus
from portal.workflows.catalogue import CatalogueError, load_catalogue
from tests.factories.catalogue import CATALOGUE, edited_catalogue, third_credential_catalogue


def test_cpm_and_cmm_carry_the_published_rules():
    catalogue = load_catalogue(CATALOGUE)
    cpm, cmm = catalogue["CPM"], catalogue["CMM"]
    assert (cpm.training_hours, cpm.engagements, cpm.references) == (35, 3, 2)
    assert (cmm.training_hours, cmm.engagements, cmm.references) == (50, 10, 5)
    assert cpm.fee(is_member=True) == Decimal(250) and cpm.fee(is_member=False) == Decimal(398)
    assert cmm.fee(is_member=True) == Decimal(450) and cmm.fee(is_member=False) == Decimal(598)
    assert cpm.validity_years == cmm.validity_years == 2
    assert cpm.supervision_sessions_per_year == cmm.supervision_sessions_per_year == 5
    assert cpm.prerequisite is None
    assert cmm.prerequisite.credential == "CPM" and cmm.prerequisite.full_cycles == 1
    assert (cpm.approvals_required, cmm.approvals_required) == (1, 2)  # CPM leaves it out: one
    assert [c.code for c in catalogue.ordered()] == ["CPM", "CMM"]


def test_review_target_is_set_by_the_slowest_training_centre():
    catalogue = load_catalogue(CATALOGUE)
    assert catalogue.review_weeks([CentreStatus.ACCREDITED]) == 4
    assert catalogue.review_weeks([CentreStatus.ENDORSED]) == 6
    assert catalogue.review_weeks([CentreStatus.ACCREDITED, CentreStatus.NON_ACCREDITED]) == 10


def test_the_catalogue_carries_renewal_and_expiry_rules():
    catalogue = load_catalogue(CATALOGUE)
    for code in ("CPM", "CMM"):
        renewal = catalogue[code].renewal
        assert renewal.supervision_sessions_per_year == 5 and renewal.requires_declaration
        assert (renewal.opens_days_before_expiry, renewal.closes_days_after_expiry) == (180, 90)
    assert catalogue.expiry.expiring_soon_days == 90 and catalogue.expiry.reminder_days == (90, 30)


def test_a_third_credential_is_an_edit_of_the_catalogue_file(tmp_path):
    catalogue = load_catalogue(third_credential_catalogue(tmp_path))
    assert catalogue["CMC"].training_hours == 20
    assert catalogue["CMC"].fee(is_member=False) == Decimal(150)
    assert [c.code for c in catalogue.ordered()] == ["CPM", "CMM", "CMC"]


@pytest.mark.parametrize(
    "mutation, message",
    [
        (lambda text: text.replace("training_hours = 35\n", ""), "missing training_hours"),
        (lambda text: text.replace('credential = "CPM"', 'credential = "XYZ"'), "requires XYZ"),
        (lambda text: text.replace("non_accredited = 10\n", ""), "non_accredited"),
        (lambda text: text.replace("references = 2", "references = 9"), "more references than engagements"),
        (lambda text: text + "\n[oops", "catalogue.toml"),
        (
            lambda text: text.replace(
                "[credentials.CPM.renewal]\nsupervision_sessions_per_year = 5\n",
                "[credentials.CPM.renewal]\n",
            ),
            "renewal is missing supervision_sessions_per_year",
        ),
        (
            lambda text: text.replace("opens_days_before_expiry = 180", "opens_days_before_expiry = -1", 1),
            "renewal: numbers must be positive",
        ),
        (
            lambda text: text.replace("reminder_days = [90, 30]", "reminder_days = [90, 0]"),
            "days must be positive",
        ),
        (
            lambda text: text.replace("approvals_required = 2", "approvals_required = 3"),
            "CMM: approvals_required must be 1 or 2",
        ),
        (
            lambda text: text.replace("approvals_required = 2", "approvals_required = 0"),
            "approvals_required must be 1 or 2",
        ),
        (
            lambda text: text.replace("approvals_required = 2", 'approvals_required = "two"'),
            "approvals_required must be a whole number",
        ),
    ],
)
def test_a_malformed_catalogue_is_refused_with_a_reason(tmp_path, mutation, message):
    with pytest.raises(CatalogueError, match=message):
        load_catalogue(edited_catalogue(tmp_path, mutation))
