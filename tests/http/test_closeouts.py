"""The close-out and the pair's documents through the HTTP interface: progress per goal, next steps and
readiness at the final checkpoint; the agreement as PDF; a completed pairing's summary as PDF and DOCX."""

from __future__ import annotations

import io
from datetime import date

from docx import Document
from pypdf import PdfReader
from sqlalchemy import select

from portal.db import db
from portal.enums import CertificationReadiness, PairingState
from portal.models.audit import AuditEntry
from portal.models.closeouts import Closeout
from portal.workflows.programmes import operations as programme_ops
from portal.workflows.programmes import rules
from tests.factories import programmes as data
from tests.helpers import client_for, make_user, page


def closeout_form(**overrides) -> dict:
    return {
        "goal_1_progress": "achieved",
        "goal_1_comment": "Backlog cleared in May.",
        "goal_2_progress": "on_track",
        "goal_3_progress": "at_risk",
        "next_steps": "Sit the CCM exam in the spring; keep a log of RIC hours.",
        "readiness": "preparing",
        **overrides,
    }


def _pdf_text(body: bytes) -> str:
    return "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(body)).pages)


def test_the_close_out_opens_at_the_final_checkpoint_and_completes_it(app, admin, mentor, mentee):
    early = data.active_pairing(admin, mentor, mentee, date.today())
    client = client_for(app, mentee)
    assert "The close-out opens at the final checkpoint" in page(
        client.get(f"/programmes/pairings/{early.id}/close-out")
    )
    assert client.post(f"/programmes/pairings/{early.id}/close-out", data=closeout_form()).status_code == 200
    assert db.session.scalar(select(Closeout)) is None

    other = make_user("omar.other@example.com", name="Omar Other")
    pairing = data.active_pairing(
        admin, other, mentee, rules.add_months(date.today(), -11), in_programme=early.programme
    )
    url = f"/programmes/pairings/{pairing.id}/close-out"
    missing = client.post(url, data=closeout_form(goal_2_progress="", next_steps="", readiness=""))
    assert missing.status_code == 422
    text = page(missing)
    assert "Say where goal 2 ended up." in text and "Set the protégé’s next steps" in text
    assert "Say how ready the protégé is to apply for certification." in text
    assert "Backlog cleared in May." in text  # kept as typed

    assert client.post(url, data=closeout_form()).status_code == 302
    closeout = db.session.scalar(select(Closeout))
    assert closeout.readiness == CertificationReadiness.PREPARING
    assert closeout.goal_outcomes["1"] == {"progress": "achieved", "comment": "Backlog cleared in May."}
    db.session.expire_all()
    assert pairing.checkpoints[-1].completed_on == date.today()  # the final checkpoint is done
    assert db.session.scalar(select(AuditEntry).where(AuditEntry.action == "close_out")).actor_id == mentee.id
    pair_page = page(client_for(app, other).get(f"/programmes/pairings/{pairing.id}"))
    assert "Readiness for certification: Preparing: a few months away" in pair_page
    assert "Sit the CCM exam in the spring" in pair_page


def test_the_agreement_downloads_as_pdf_with_its_accents(app, admin, mentee):
    mentor = make_user("zoe@example.com", name="Zoé Lefèvre")
    pairing = data.active_pairing(admin, mentor, mentee, date.today())
    response = client_for(app, mentee).get(f"/programmes/pairings/{pairing.id}/agreement.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert response.headers["Content-Disposition"] == f'attachment; filename="agreement-{pairing.id}.pdf"'
    text = _pdf_text(response.data)
    assert "Mentor & Protégé Agreement" in text and "Zoé Lefèvre" in text and "Goal number 2" in text
    stranger = make_user("sam.stranger@example.com", name="Sam Stranger")
    assert (
        client_for(app, stranger).get(f"/programmes/pairings/{pairing.id}/agreement.pdf").status_code == 404
    )


def test_a_completed_pairing_gives_both_partners_its_summary(app, admin, mentee):
    mentor = make_user("zoe@example.com", name="Zoé Lefèvre")
    pairing = data.active_pairing(admin, mentor, mentee, rules.add_months(date.today(), -12))
    client_for(app, mentor).post(
        f"/programmes/pairings/{pairing.id}/meetings/new", data=data.meeting(pairing.term_start)
    )
    client = client_for(app, mentee)
    assert (
        client.get(f"/programmes/pairings/{pairing.id}/summary.pdf").status_code == 404
    )  # not completed yet
    assert (
        client.post(f"/programmes/pairings/{pairing.id}/close-out", data=closeout_form()).status_code == 302
    )
    programme_ops.submit_evaluation(pairing, mentor, data.ratings(5), "", "")
    programme_ops.submit_evaluation(pairing, mentee, data.ratings(4), "", "")
    programme_ops.confirm_engagement(pairing, mentee)
    db.session.commit()
    assert pairing.state == PairingState.COMPLETED

    assert "Download the summary (PDF)" in page(client.get(f"/programmes/pairings/{pairing.id}"))
    for member in (mentor, mentee):
        member_client = client_for(app, member)
        pdf = member_client.get(f"/programmes/pairings/{pairing.id}/summary.pdf")
        assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
        text = _pdf_text(pdf.data)
        for expected in (
            "Mentoring summary",
            "Zoé Lefèvre",
            "Goal number 1",
            "Achieved",
            "1 meeting logged.",
            "Readiness for certification: Preparing",
            "Sit the CCM exam in the spring",
        ):
            assert expected in text, expected
        assert "Talked through the claims backlog" not in text  # meeting notes stay the pair's
        word = member_client.get(f"/programmes/pairings/{pairing.id}/summary.docx")
        assert word.status_code == 200
        document = Document(io.BytesIO(word.data))
        paragraphs = "\n".join(p.text for p in document.paragraphs)
        assert "Mentoring summary" in paragraphs and "Next steps: Sit the CCM exam" in paragraphs
        cells = {cell.text for table in document.tables for row in table.rows for cell in row.cells}
        assert "Goal number 3" in cells and "At risk" in cells
