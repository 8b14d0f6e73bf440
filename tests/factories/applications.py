"""Form data for each application section, and applications filled and submitted over HTTP."""

from __future__ import annotations

import io
from datetime import date, timedelta
from pathlib import Path

from portal.db import db
from portal.models.applications import Application
from tests.factories.documents import make_pdf


def about(**overrides) -> dict:
    return {
        "full_name": "Ada Lovelace",
        "contact_email": "ada.applicant@example.com",
        "postal_address": "12 St James's Square\nLondon SW1Y 4JH",
        "is_member": "yes",
        "member_number": "IMC-4471",
        **overrides,
    }


def training(**overrides) -> dict:
    return {
        "centre_name": "Northwind Mentoring Academy",
        "centre_status": "accredited",
        "programme_name": "Foundations of Professional Mentoring",
        "hours": "35",
        "mode": "blended",
        "start_date": "2024-03-01",
        "end_date": "2024-05-31",
        "instructor_name": "Grace Hopper",
        "instructor_email": "grace@northwind.example",
        **overrides,
    }


def engagement(n: int = 1, referee: bool = True, **overrides) -> dict:
    start = date(2022, 1, 10) + timedelta(days=40 * n)
    data = {
        "mentee_name": f"Mentee Number{n}",
        "mentee_email": f"mentee{n}@example.net",
        "start_date": start.isoformat(),
        "end_date": (start + timedelta(days=180)).isoformat(),
        "setting": "external",
    }
    if referee:
        data.update(
            referee_name=f"Referee Number{n}",
            referee_email=f"referee{n}@example.net",
            referee_relationship="mentee",
        )
    return {**data, **overrides}


def supervision(**overrides) -> dict:
    return {
        "supervisor_name": "Sam Supervisor",
        "supervisor_email": "sam@supervision.example",
        "supervisor_address": "1 High Street, Oxford",
        "supervision_focus": "both",
        "supervision_sessions": "5",
        **overrides,
    }


def certificate_upload(folder: Path, name: str = "certificate.pdf") -> tuple[io.BytesIO, str]:
    path = make_pdf(
        folder / name,
        [
            "Certificate of Completion",
            "This is to certify that Ada Lovelace",
            "has completed Foundations of Professional Mentoring",
            "35 hours",
            "1 March 2024 to 31 May 2024",
        ],
    )
    return io.BytesIO(path.read_bytes()), name


def start_application(client, credential: str = "CPM") -> int:
    response = client.post("/applications/new", data={"credential": credential})
    assert response.status_code == 302, response.data
    return int(response.headers["Location"].rstrip("/").rsplit("/", 1)[-1])


def fill_application(
    client, application_id: int, folder: Path, *, engagements: int = 3, referees: int = 2, hours: str = "35"
) -> None:
    """Complete every section of an application through the HTTP interface."""
    base = f"/applications/{application_id}"
    assert client.post(f"{base}/about", data=about()).status_code == 302
    response = client.post(
        f"{base}/training/new",
        data={**training(hours=hours), "certificate": certificate_upload(folder)},
        content_type="multipart/form-data",
    )
    assert response.status_code == 302, response.data
    for n in range(1, engagements + 1):
        assert (
            client.post(f"{base}/engagements/new", data=engagement(n, referee=n <= referees)).status_code
            == 302
        )
    assert client.post(f"{base}/supervision", data=supervision()).status_code == 302
    assert client.post(f"{base}/declaration", data={"confirm": "y"}).status_code == 302


def submit(client, folder: Path, credential: str = "CPM", **fill) -> Application:
    """Start, fill and submit an application over HTTP as the signed-in applicant: it waits for payment."""
    application_id = start_application(client, credential)
    if credential == "CMM":
        fill = {"engagements": 10, "referees": 5, "hours": "50", **fill}
        assert (
            client.post(
                f"/applications/{application_id}/prerequisite",
                data={"prior_credential_number": "CPM-OLD-1", "prior_credential_issued_on": "2019-06-01"},
            ).status_code
            == 302
        )
    fill_application(client, application_id, folder, **fill)
    response = client.post(f"/applications/{application_id}/submit")
    assert response.status_code == 302, response.get_data(as_text=True)
    return db.session.get(Application, application_id)
