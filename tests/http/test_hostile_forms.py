"""Property-based tests: whatever is typed into a form, the portal answers with a page, never a crash."""
from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from portal.db import db
from portal.models.applications import Engagement, TrainingRecord
from portal.models.users import User
from tests.factories import applications as data

# Text a person or a script might send: any unicode, control characters, huge strings, markup.
hostile_text = st.one_of(
    st.text(max_size=300),
    st.sampled_from(["", " ", "\x00", "<script>alert(1)</script>", "' OR 1=1 --", "9" * 400, "-1", "1e309",
                     "2024-02-30", "0000-00-00", "NaN", "ünïcödé ✓", "\u202e", "a" * 5000]),
)
FORM_SETTINGS = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


def fuzz(base: dict, values: dict) -> dict:
    return {key: values.get(key, value) for key, value in base.items()}


@FORM_SETTINGS
@given(values=st.dictionaries(st.sampled_from(["full_name", "email", "password", "confirm"]), hostile_text))
def test_registration_never_crashes(client, values):
    before = db.session.scalar(select(func.count()).select_from(User))
    response = client.post("/account/register", data=fuzz(
        {"full_name": "A", "email": "a@example.com", "password": "p" * 12, "confirm": "p" * 12}, values))
    assert response.status_code in (200, 302)
    if response.status_code == 200:
        assert db.session.scalar(select(func.count()).select_from(User)) == before
    client.post("/account/sign-out")
    db.session.rollback()


@FORM_SETTINGS
@given(values=st.dictionaries(st.sampled_from(list(data.training())), hostile_text, min_size=1))
def test_training_form_never_crashes_and_saves_only_valid_records(applicant_client, values):
    application_id = data.start_application(applicant_client)
    response = applicant_client.post(f"/applications/{application_id}/training/new",
                                     data=fuzz(data.training(), values))
    assert response.status_code in (200, 302)
    saved = db.session.scalar(select(func.count()).select_from(TrainingRecord)
                              .where(TrainingRecord.application_id == application_id))
    assert saved == (1 if response.status_code == 302 else 0)
    if response.status_code == 200:
        assert "There is a problem" in response.get_data(as_text=True)


@FORM_SETTINGS
@given(values=st.dictionaries(st.sampled_from(list(data.engagement(1))), hostile_text, min_size=1))
def test_engagement_form_never_crashes(applicant_client, values):
    application_id = data.start_application(applicant_client)
    response = applicant_client.post(f"/applications/{application_id}/engagements/new",
                                     data=fuzz(data.engagement(1), values))
    assert response.status_code in (200, 302)
    saved = db.session.scalar(select(func.count()).select_from(Engagement)
                              .where(Engagement.application_id == application_id))
    assert saved == (1 if response.status_code == 302 else 0)


@FORM_SETTINGS
@given(values=st.dictionaries(st.sampled_from(list(data.about()) + list(data.supervision())), hostile_text,
                              min_size=1))
def test_about_and_supervision_forms_never_crash(applicant_client, values):
    application_id = data.start_application(applicant_client)
    for section, base in (("about", data.about()), ("supervision", data.supervision())):
        response = applicant_client.post(f"/applications/{application_id}/{section}", data=fuzz(base, values))
        assert response.status_code in (200, 302)
