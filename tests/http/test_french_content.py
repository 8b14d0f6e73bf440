"""Catalogue content in French: the credentials' names and summaries and the retention reasons read in the
visitor's language, while the Open Badge and the API keep the catalogue's English (machine formats)."""

from __future__ import annotations

import base64
import json
from datetime import date

from tests.factories import review as flow
from tests.helpers import client_for, page

FRENCH = {"Accept-Language": "fr"}


def test_the_home_page_in_french_names_the_credentials_in_french(app):
    french = page(client_for(app).get("/", headers=FRENCH))
    assert "Mentor professionnel certifié" in french and "Maître mentor certifié" in french
    assert "Certified Professional Mentor" not in french
    english = page(client_for(app).get("/"))
    assert "Certified Professional Mentor" in english and "Mentor professionnel certifié" not in english


def test_choosing_a_credential_in_french_shows_the_french_summaries(app, applicant):
    applicant.locale = "fr"
    text = page(client_for(app, applicant).get("/applications/new"))
    assert "Mentor professionnel certifié (CPM)" in text
    assert "Met en valeur vos compétences de mentor" in text
    assert "Pour les mentors expérimentés qui détiennent la CPM depuis au moins un cycle complet." in text
    assert "Highlights your mentoring skills" not in text


def test_the_privacy_notice_in_french_gives_the_reasons_for_keeping_records_in_french(app):
    text = page(client_for(app).get("/privacy", headers=FRENCH))
    assert "La législation fiscale et comptable nous impose de conserver" in text
    assert "Tax and accounting law" not in text


def test_the_badge_and_the_api_keep_the_english_names_for_a_french_holder(app, applicant):
    credential = flow.issued(applicant, date.today())
    applicant.locale = "fr"
    holder = client_for(app, applicant)
    assert "Mentor professionnel certifié" in page(holder.get("/credentials/"))

    token = holder.get(f"/credentials/{credential.number}/credential.jwt").get_data(as_text=True)
    body = token.split(".")[1]
    payload = json.loads(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))
    achievement = payload["credentialSubject"]["achievement"]
    assert payload["name"] == achievement["name"] == "Certified Professional Mentor (CPM)"
    assert achievement["description"].startswith("Highlights your mentoring skills")

    answer = client_for(app).get(f"/api/v1/credentials/{credential.number}", headers=FRENCH)
    assert answer.status_code == 200
    assert answer.get_json()["credential"] == {"code": "CPM", "name": "Certified Professional Mentor"}
