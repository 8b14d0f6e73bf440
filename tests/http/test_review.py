"""The reviewer's work through HTTP: the queue, assignment, conflicts, the review page, guards and decisions."""

from __future__ import annotations

import csv
import io
import re
import threading
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
import time_machine
from sqlalchemy import event, select

from portal.db import db, utcnow
from portal.enums import (
    ApplicationState,
    CentreStatus,
    DocumentPurpose,
    DocumentStatus,
    EngagementSetting,
    ReasonKind,
    Role,
)
from portal.models.applications import Application, Engagement
from portal.models.audit import AuditEntry
from portal.models.credentials import IssuedCredential
from portal.models.documents import Document
from portal.models.outbox import EmailMessage, OutboxMessage
from portal.models.review import StandardReason
from tests.factories import applications as data
from tests.factories import members
from tests.factories import review as flow
from tests.helpers import client_for, emails, make_user, page

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def queued(
    owner,
    *,
    paid: datetime | None = NOW - timedelta(days=10),
    code: str = "CPM",
    state: ApplicationState = ApplicationState.IN_REVIEW,
    centres=(CentreStatus.ACCREDITED,),
    reviewer=None,
) -> Application:
    """An application in the queue, made directly: paid ``paid``, trained at ``centres``."""
    from portal.workflows.registry import catalogue

    submitted = (paid or NOW) - timedelta(days=2)
    application = Application(
        applicant=owner,
        credential_code=code,
        state=state,
        submitted_at=submitted,
        full_name=owner.full_name,
        contact_email=owner.email,
        fee_amount=Decimal(250),
        fee_currency="USD",
        paid_at=paid,
        reviewer=reviewer,
        review_due_at=paid + timedelta(weeks=catalogue().review_weeks(list(centres))) if paid else None,
    )
    application.training_records.extend(flow.training_record(status) for status in centres)
    db.session.add(application)
    db.session.commit()
    return application


def words(response) -> str:
    """The page's text as a person reads it: no tags, one space between words."""
    return " ".join(re.sub(r"<[^>]+>", " ", page(response)).split())


def audit(action: str) -> list[AuditEntry]:
    return list(db.session.scalars(select(AuditEntry).where(AuditEntry.action == action)))


def state_of(application: Application) -> ApplicationState:
    db.session.expire_all()
    return db.session.get(Application, application.id).state


# --- payment comes first -------------------------------------------------------------------------


def test_review_does_not_start_before_the_fee_is_paid(app, applicant, reviewer, admin, tmp_path):
    client = client_for(app, applicant)
    application = data.submit(client, tmp_path)
    assert application.state == ApplicationState.AWAITING_PAYMENT
    assert [e.recipient for e in emails("payment_requested")] == ["ada.applicant@example.com"]
    staff = client_for(app, reviewer)
    assert application.reference not in page(staff.get("/review/"))  # the default queue: the clock is running
    assert "not paid" in page(staff.get("/review/?state=awaiting_payment"))
    response = staff.post(f"/review/{application.id}/approve")
    assert response.status_code == 409
    assert "An application that is awaiting payment cannot be approved." in page(response)
    assert state_of(application) == ApplicationState.AWAITING_PAYMENT


# --- the queue ------------------------------------------------------------------------------------


@time_machine.travel(NOW, tick=False)
def test_the_queue_shows_time_waited_against_the_slowest_centres_target_and_flags_overdue(
    app, applicant, reviewer
):
    late = queued(applicant, paid=NOW - timedelta(days=30))  # accredited: 4 weeks
    slow = queued(
        applicant,
        paid=NOW - timedelta(days=40),
        centres=(CentreStatus.ACCREDITED, CentreStatus.NON_ACCREDITED),
    )  # the slowest decides: 10 weeks
    fresh = queued(applicant, paid=NOW - timedelta(days=3), centres=(CentreStatus.ENDORSED,))  # 6 weeks
    staff = client_for(app, reviewer)
    text = page(staff.get("/review/"))
    assert "30 of 28 days" in text and "40 of 70 days" in text and "3 of 42 days" in text
    rows = text.split("<tbody>")[1]
    assert (
        rows.index(slow.reference) < rows.index(late.reference) < rows.index(fresh.reference)
    )  # longest first
    assert rows.count("Overdue") == 1 and "Overdue" in rows.split(late.reference)[1].split("</tr>")[0]
    overdue_only = page(staff.get("/review/?overdue=y"))
    newest_first = page(staff.get("/review/?sort=newest")).split("<tbody>")[1]
    assert late.reference in overdue_only and slow.reference not in overdue_only
    assert newest_first.index(fresh.reference) < newest_first.index(late.reference)


def test_the_queue_filters_by_state_credential_centre_and_reviewer(app, applicant, reviewer):
    other = make_user("otto.reviewer@example.org", Role.REVIEWER, "Otto Reviewer")
    mine = queued(applicant, reviewer=reviewer)
    theirs = queued(applicant, reviewer=other, code="CMM", centres=(CentreStatus.ENDORSED,))
    nobody = queued(applicant, state=ApplicationState.RESUBMITTED)
    returned = queued(applicant, state=ApplicationState.RETURNED)
    staff = client_for(app, reviewer)

    def shown(query: str) -> set[str]:
        text = page(staff.get(f"/review/?{query}"))
        return {a.reference for a in (mine, theirs, nobody, returned) if a.reference in text}

    assert shown("") == {mine.reference, theirs.reference, nobody.reference}
    assert shown("state=open") == {mine.reference, theirs.reference, nobody.reference, returned.reference}
    assert shown("state=resubmitted") == {nobody.reference}
    assert shown("credential=CMM") == {theirs.reference}
    assert shown("centre_status=endorsed") == {theirs.reference}
    assert shown("reviewer=me") == {mine.reference}
    assert shown(f"reviewer={other.id}") == {theirs.reference}
    assert shown("reviewer=none") == {nobody.reference}


def _link(html: str, rel: str) -> str | None:
    """The href of the page link ``rel`` (next, prev), unescaped, or None when the page has none."""
    found = re.search(rf'<a class="pagination__\w+" href="([^"]+)" rel="{rel}"', html)
    return found.group(1).replace("&amp;", "&") if found else None


def _shown(html: str, applications) -> list[int]:
    return [n for n, application in enumerate(applications) if application.reference in html]


def test_the_queue_is_paged_by_keyset_with_stable_next_and_previous_links(app, applicant, reviewer):
    made = [queued(applicant, paid=NOW - timedelta(days=60 - n)) for n in range(30)]
    # Two paid at the same moment: the id decides their order, and neither is lost or shown twice.
    made.insert(10, queued(applicant, paid=made[9].paid_at))
    staff = client_for(app, reviewer)
    first = page(staff.get("/review/"))
    assert _shown(first, made) == list(range(25)) and "31 applications" in first
    assert _link(first, "prev") is None
    following = _link(first, "next")
    assert following.startswith("/review/?after=")
    second = page(staff.get(following))
    assert _shown(second, made) == list(range(25, 31)) and _link(second, "next") is None
    # Work done meanwhile does not shift the next page: an application older than every other one joins
    # the queue, and the link still shows the rows after the last one seen.
    older = queued(applicant, paid=NOW - timedelta(days=90))
    assert _shown(page(staff.get(following)), made) == list(range(25, 31))
    # Previous: the 25 rows just before the page, then the start of the queue, shown as a full first page.
    back = page(staff.get(_link(second, "prev")))
    assert _shown(back, made) == list(range(25)) and older.reference not in back
    start = page(staff.get(_link(back, "prev")))
    assert older.reference in start and _shown(start, made) == list(range(24))
    assert _link(start, "prev") is None and "32 applications" in start


def test_keyset_pages_keep_the_filters_and_the_newest_first_order(app, applicant, reviewer):
    made = [queued(applicant, paid=NOW - timedelta(days=60 - n), code="CMM") for n in range(12)]
    queued(applicant, paid=NOW - timedelta(days=70))  # a CPM: filtered out on every page
    staff = client_for(app, reviewer)
    seen: list[int] = []
    url = "/review/?credential=CMM&sort=newest&per_page=5"
    pages = []
    while url:
        html = page(staff.get(url))
        pages.append(html)
        seen += [
            n
            for _, n in sorted(
                (html.index(a.reference), n) for n, a in enumerate(made) if a.reference in html
            )
        ]
        url = _link(html, "next")
        if url:
            assert "credential=CMM" in url and "sort=newest" in url and "per_page=5" in url
    assert seen == list(reversed(range(12)))  # newest first, each once, across three pages
    assert len(pages) == 3 and all("12 applications" in html for html in pages)
    previous = _link(pages[-1], "prev")
    assert "credential=CMM" in previous and "sort=newest" in previous
    assert _shown(page(staff.get(previous)), made) == [2, 3, 4, 5, 6]


def test_a_page_link_that_is_no_cursor_shows_the_first_page(app, applicant, reviewer):
    made = [queued(applicant, paid=NOW - timedelta(days=60 - n)) for n in range(3)]
    staff = client_for(app, reviewer)
    for junk in ("after=x", "before=12.x", "after=99999999999999999999.1", "page=2", "after=-.5"):
        response = staff.get(f"/review/?{junk}")
        assert response.status_code == 200 and _shown(page(response), made) == [0, 1, 2], junk


@time_machine.travel(NOW, tick=False)
def test_the_queue_downloads_as_csv_with_its_filters(app, applicant, reviewer):
    late = queued(applicant, paid=NOW - timedelta(days=30))
    queued(applicant, code="CMM")
    staff = client_for(app, reviewer)
    response = staff.get("/review/queue.csv?credential=CPM")
    assert response.headers["Content-Disposition"] == "attachment; filename=review-queue.csv"
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    assert [(r["reference"], r["days_waited"], r["target_weeks"], r["overdue"]) for r in rows] == [
        (late.reference, "30", "4", "yes")
    ]


@pytest.mark.parametrize("count", [10, 50])
def test_the_queue_runs_the_same_number_of_queries_however_many_rows(app, applicant, reviewer, count):
    for n in range(count):
        queued(
            applicant,
            paid=NOW - timedelta(days=n),
            reviewer=reviewer if n % 2 else None,
            centres=(CentreStatus.ACCREDITED, CentreStatus.ENDORSED),
        )
    staff = client_for(app, reviewer)
    statements: list[str] = []

    def counter(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", counter)
    try:
        response = staff.get("/review/?state=all&per_page=100")
    finally:
        event.remove(db.engine, "before_cursor_execute", counter)
    assert response.status_code == 200 and page(response).count('href="/review/') >= count
    # The signed-in user, the reviewers for the filter and assignment lists, every count in one statement, and
    # the rows with their training centres.
    assert len(statements) == 4, statements


# --- assignment and conflicts -----------------------------------------------------------------------


def test_a_reviewer_assigns_an_application_to_themself_or_another_and_it_is_audited(app, applicant, reviewer):
    other = make_user("otto.reviewer@example.org", Role.REVIEWER, "Otto Reviewer")
    application = queued(applicant)
    staff = client_for(app, reviewer)
    response = staff.post(
        f"/review/{application.id}/assign", data={"reviewer_id": reviewer.id, "next": "/review/"}
    )
    assert response.status_code == 302 and response.headers["Location"] == "/review/"
    assert db.session.get(Application, application.id).reviewer_id == reviewer.id
    staff.post(f"/review/{application.id}/assign", data={"reviewer_id": other.id})
    db.session.expire_all()
    assert db.session.get(Application, application.id).reviewer_id == other.id
    assert [e.reason for e in audit("assign")] == ["Assigned to Rita Reviewer", "Assigned to Otto Reviewer"]
    staff.post(f"/review/{application.id}/assign", data={"reviewer_id": "none"})
    db.session.expire_all()
    assert db.session.get(Application, application.id).reviewer_id is None
    assert [(e.actor_id, e.subject_id) for e in audit("unassign")] == [(reviewer.id, application.id)]
    # Only reviewers can be given applications.
    response = staff.post(
        f"/review/{application.id}/assign", data={"reviewer_id": applicant.id}, follow_redirects=True
    )
    assert "Ada Lovelace is not a reviewer." in page(response)


@pytest.mark.parametrize(
    "role, place",
    [
        ("the applicant", lambda a, email: setattr(a, "contact_email", email)),
        ("a referee", lambda a, email: a.engagements.append(_engagement(referee_email=email))),
        ("the supervisor", lambda a, email: setattr(a, "supervisor_email", email)),
        ("a mentee", lambda a, email: a.engagements.append(_engagement(mentee_email=email))),
    ],
)
def test_a_reviewer_named_on_an_application_can_neither_take_nor_decide_it(
    app, applicant, reviewer, role, place
):
    application = queued(applicant)
    place(application, reviewer.email.upper())  # emails compare without case
    db.session.commit()
    staff = client_for(app, reviewer)
    response = staff.post(f"/review/{application.id}/assign", data={"reviewer_id": reviewer.id})
    assert response.status_code == 403
    assert f"Rita Reviewer appears on {application.reference} as {role}, so cannot review it." in page(
        response
    )
    assert db.session.get(Application, application.id).reviewer_id is None
    assert "You have a conflict of interest" in page(staff.get(f"/review/{application.id}"))
    response = staff.post(f"/review/{application.id}/reject", data={"reason": "No."})
    assert response.status_code == 403 and "cannot review it" in page(response)
    # Assigned by another reviewer, the conflicted one is refused as well.
    other = make_user("otto.other@example.org", Role.REVIEWER, "Otto Other")
    response = client_for(app, other).post(
        f"/review/{application.id}/assign", data={"reviewer_id": reviewer.id}, follow_redirects=True
    )
    assert f"Rita Reviewer appears on {application.reference} as {role}, so cannot review it." in page(
        response
    )
    assert state_of(application) == ApplicationState.IN_REVIEW


def _engagement(**overrides) -> Engagement:
    values = {
        "mentee_name": "Mia Mentee",
        "mentee_email": "mia@example.net",
        "start_date": date(2022, 1, 1),
        "end_date": date(2022, 6, 1),
        "setting": EngagementSetting.EXTERNAL,
    }
    return Engagement(**{**values, **overrides})


# --- the review page ----------------------------------------------------------------------------------


def test_the_review_page_shows_the_answers_documents_checks_checklist_and_timeline(
    app, applicant, reviewer, admin, tmp_path
):
    application = data.submit(client_for(app, applicant), tmp_path)
    flow.pay(application, admin)
    document = db.session.scalar(select(Document))
    document.status, document.status_reason = DocumentStatus.NEEDS_ATTENTION, "Does not match: hours"
    document.checks = [
        {
            "field": "hours",
            "label": "Training hours",
            "outcome": "contradicted",
            "declared": "35",
            "found": "30",
            "evidence": "30 hours",
        }
    ]
    db.session.commit()
    text = page(client_for(app, reviewer).get(f"/review/{application.id}"))
    for shown in (
        "Ada Lovelace",
        "Northwind Mentoring Academy",
        "Mentee Number1",
        "Sam Supervisor",
        "certificate.pdf",
        "Training hours",
        "Contradicted",
        "Does not match: hours",
        "Re-run processing",
        "Mark checked by hand",
        "Mentoring training hours",
        "Fee paid",
        "2 references confirmed by referees",
        "Every document read or checked by hand",
        "Marked as paid",
        "Sent for payment",
        "Expected decision",
        "Return for changes",
        "Reject",
    ):
        assert shown in text, shown
    assert "“certificate.pdf” has not been read or checked by hand (needs attention)." in text


def test_a_reviewer_checks_a_document_by_hand_or_has_it_read_again(app, applicant, reviewer, admin, tmp_path):
    application = data.submit(client_for(app, applicant), tmp_path)
    flow.pay(application, admin)
    document = db.session.scalar(select(Document))
    staff = client_for(app, reviewer)
    before = db.session.scalar(
        select(db.func.count())
        .select_from(OutboxMessage)
        .where(OutboxMessage.actor_name == "process_document")
    )
    assert staff.post(f"/review/documents/{document.id}/reprocess").status_code == 302
    assert (
        db.session.scalar(
            select(db.func.count())
            .select_from(OutboxMessage)
            .where(OutboxMessage.actor_name == "process_document")
        )
        == before + 1
    )
    response = staff.post(
        f"/review/documents/{document.id}/checked", data={"note": "Hours match the transcript."}
    )
    assert response.status_code == 302
    db.session.expire_all()
    document = db.session.get(Document, document.id)
    assert (
        document.status == DocumentStatus.CHECKED_BY_HAND
        and document.status_reason == "Hours match the transcript."
    )
    entry = audit("check_by_hand")[0]
    assert (entry.actor_id, entry.subject_type, entry.to_state) == (
        reviewer.id,
        "documents",
        "checked_by_hand",
    )
    assert [(e.actor_id, e.subject_type, e.subject_id) for e in audit("reprocess")] == [
        (reviewer.id, "documents", document.id)
    ]
    timeline = page(staff.get(f"/review/{application.id}")).split("What has happened")[1]
    assert "Document sent to be read again" in timeline and "Document checked by hand" in timeline


def test_checklist_notes_are_kept_per_criterion(app, applicant, reviewer):
    application = queued(applicant)
    staff = client_for(app, reviewer)
    response = staff.post(
        f"/review/{application.id}/notes",
        data={"note_fee_paid": "Bank statement seen.", "note_training_hours": ""},
    )
    assert response.status_code == 302
    assert "Bank statement seen." in page(staff.get(f"/review/{application.id}"))
    assert [(e.actor_id, e.subject_id) for e in audit("review_notes")] == [(reviewer.id, application.id)]


def test_the_desk_keeps_each_note_folded_under_its_checklist_item(app, applicant, reviewer):
    application = queued(applicant)
    staff = client_for(app, reviewer)
    staff.post(f"/review/{application.id}/notes", data={"note_fee_paid": "Bank statement seen."})
    html = staff.get(f"/review/{application.id}").get_data(as_text=True)
    desk = html.split('id="checklist"')[1].split('id="decision"')[0]
    assert desk.count("<details") == desk.count('class="checklist__item')  # one fold per item
    assert desk.count("Add a note") == desk.count("<details") - 1  # the one with a note says so
    assert "Your note" in desk and "Bank statement seen." in desk
    assert html.index('id="documents"') < html.index('id="checklist"')  # the evidence comes first


@time_machine.travel(NOW, tick=False)
def test_the_desk_goes_to_the_next_and_previous_application_of_the_queue(app, applicant, reviewer):
    first, second, third = (queued(applicant, paid=NOW - timedelta(days=days)) for days in (30, 20, 10))
    staff = client_for(app, reviewer)
    text = page(staff.get(f"/review/{second.id}"))
    assert "2 of 3 in the queue" in text
    html = staff.get(f"/review/{second.id}").get_data(as_text=True)
    assert f'rel="prev" data-shortcut="k" href="/review/{first.id}"' in html
    assert f'rel="next" data-shortcut="j" href="/review/{third.id}"' in html
    # The queue's filters travel with the links, so next follows the queue the reviewer chose.
    html = staff.get(f"/review/{third.id}?sort=newest").get_data(as_text=True)
    assert f'href="/review/{second.id}?sort=newest"' in html and "1 of 3 in the queue" in page(
        staff.get(f"/review/{third.id}?sort=newest")
    )


def test_approving_asks_first_and_lists_what_was_accepted_by_hand(app, applicant, reviewer, admin, tmp_path):
    application = flow.ready_to_approve(client_for(app, applicant), tmp_path, admin, "CMM")
    staff = client_for(app, reviewer)
    staff.post(
        f"/review/{application.id}/prerequisite-checked",
        data={"note": "Confirmed CPM-OLD-1 with the issuer's register."},
    )
    text = page(staff.get(f"/review/{application.id}"))
    confirm = text.split("Approve", 1)[1]
    assert "You are accepting these on a person's word, not the portal's own checks:" in confirm
    assert "The prior credential was checked with its issuer by a reviewer." in confirm
    assert "Assign to" in text
    assert staff.post(f"/review/{application.id}/approve").status_code == 302
    second = client_for(app, make_user("otto.other@example.org", Role.REVIEWER, "Otto Other"))
    assert second.post(f"/review/{application.id}/approve").status_code == 302
    text = page(staff.get(f"/review/{application.id}"))
    # Once decided, nothing that no longer applies is offered.
    assert "This application was approved on" in text and "Nothing more is to be decided." in text
    for gone in (
        "Assign to",
        "Approve and issue the credential",
        "Return to the applicant",
        "Expected decision",
    ):
        assert gone not in text


# --- guards and decisions --------------------------------------------------------------------------


def test_approval_is_refused_until_references_are_confirmed_and_documents_settled(
    app, applicant, reviewer, admin, tmp_path
):
    applicant_client = client_for(app, applicant)
    members.member()
    application = data.submit(applicant_client, tmp_path)
    flow.pay(application, admin)
    staff = client_for(app, reviewer)
    response = staff.post(f"/review/{application.id}/approve")
    text = page(response)
    assert response.status_code == 409
    assert "2 confirmed references are needed; 0 have been confirmed so far." in text
    assert "“certificate.pdf” has not been read or checked by hand (queued for reading)." in text
    flow.confirm_references(application)
    response = staff.post(f"/review/{application.id}/approve")
    assert response.status_code == 409 and "confirmed references" not in page(response)
    flow.settle_documents(application, DocumentStatus.CHECKED_BY_HAND)
    response = staff.post(f"/review/{application.id}/approve")
    assert response.status_code == 302
    db.session.expire_all()
    application = db.session.get(Application, application.id)
    assert application.state == ApplicationState.APPROVED and application.decided_at is not None
    credential = db.session.scalar(select(IssuedCredential))
    assert credential.application_id == application.id and credential.holder_id == applicant.id
    assert [e.template for e in db.session.scalars(select(EmailMessage).order_by(EmailMessage.id))][-2:] == [
        "application_decided",
        "credential_issued",
    ]
    for client in (applicant_client, staff):  # both timelines show the decision
        text = page(
            client.get(
                f"/applications/{application.id}/status"
                if client is applicant_client
                else f"/review/{application.id}"
            )
        )
        assert "Approved" in text
    assert "rita.reviewer@example.org" not in page(
        applicant_client.get(f"/applications/{application.id}/status")
    )


def test_a_cmm_is_approved_only_once_its_declared_cpm_is_checked_by_a_reviewer(
    app, applicant, reviewer, admin, tmp_path
):
    application = flow.ready_to_approve(client_for(app, applicant), tmp_path, admin, "CMM")
    staff = client_for(app, reviewer)
    response = staff.post(f"/review/{application.id}/approve")
    assert response.status_code == 409
    assert "The CPM held for a full cycle is neither a credential issued by this portal nor checked" in page(
        response
    )
    assert "Record the prior credential as checked" in page(staff.get(f"/review/{application.id}"))
    response = staff.post(f"/review/{application.id}/prerequisite-checked", data={"note": ""})
    assert response.status_code == 422
    response = staff.post(
        f"/review/{application.id}/prerequisite-checked",
        data={"note": "Confirmed CPM-OLD-1 with the issuer's register."},
    )
    assert response.status_code == 302
    assert audit("prerequisite_checked")[0].reason == "Confirmed CPM-OLD-1 with the issuer's register."
    assert staff.post(f"/review/{application.id}/approve").status_code == 302
    assert state_of(application) == ApplicationState.AWAITING_SECOND_REVIEW


# --- a second reviewer where the catalogue asks for two approvals ------------------------------------------


def _first_approval(app, applicant, reviewer, admin, folder) -> Application:
    """A CMM ready to approve, its prior CPM checked, approved once by ``reviewer``."""
    application = flow.ready_to_approve(client_for(app, applicant), folder, admin, "CMM")
    staff = client_for(app, reviewer)
    staff.post(
        f"/review/{application.id}/prerequisite-checked",
        data={"note": "Checked CPM-OLD-1 with the register."},
    )
    response = staff.post(f"/review/{application.id}/approve", follow_redirects=True)
    assert (
        "Your approval is recorded. A different reviewer gives the second, which issues the credential."
        in page(response)
    )
    return application


def test_a_cmm_is_approved_by_two_different_reviewers_and_issued_only_at_the_second(
    app, applicant, reviewer, admin, tmp_path
):
    application = _first_approval(app, applicant, reviewer, admin, tmp_path)
    assert state_of(application) == ApplicationState.AWAITING_SECOND_REVIEW
    assert db.session.scalar(select(IssuedCredential)) is None
    entry = audit("approve_first")[0]
    assert entry.actor_id == reviewer.id and entry.to_state == "awaiting_second_review"
    assert "The prior credential was checked with its issuer by a reviewer." in entry.reason

    # The same reviewer cannot give the second approval, and is told why.
    staff = client_for(app, reviewer)
    text = page(staff.get(f"/review/{application.id}"))
    assert f"First approval by Rita Reviewer on {utcnow():%-d %B %Y}." in text
    assert "You gave the first approval: a different reviewer gives the second." in text
    assert "Approve and issue the credential" not in text
    response = staff.post(f"/review/{application.id}/approve")
    assert response.status_code == 409
    assert "You gave this application its first approval: a different reviewer must give the second." in page(
        response
    )
    assert state_of(application) == ApplicationState.AWAITING_SECOND_REVIEW

    # The queue shows it waiting for a second review, and can be filtered to those.
    other = make_user("otto.other@example.org", Role.REVIEWER, "Otto Other")
    second = client_for(app, other)
    text = page(second.get("/review/"))
    assert "1</span> awaiting second review" in text and "Awaiting second review" in text
    assert application.reference in page(second.get("/review/?state=awaiting_second_review"))
    assert application.reference not in page(second.get("/review/?state=in_review"))

    # A different reviewer sees who approved first and what they accepted by hand, and issues it.
    text = page(second.get(f"/review/{application.id}"))
    assert "First approval by Rita Reviewer" in text
    assert "Accepted by hand: The prior credential was checked with its issuer by a reviewer." in text
    assert "Approve and issue the credential" in text
    response = second.post(f"/review/{application.id}/approve", follow_redirects=True)
    assert "The application is approved and the credential issued." in page(response)
    assert state_of(application) == ApplicationState.APPROVED
    credential = db.session.scalar(select(IssuedCredential))
    assert credential.application_id == application.id
    assert audit("approve")[0].actor_id == other.id
    # The applicant hears of the decision, not of the first approval.
    assert [e.template for e in emails(recipient=applicant.email)].count("application_decided") == 1
    applicant_view = page(client_for(app, applicant).get(f"/applications/{application.id}/status"))
    assert "Approved for a second review" not in applicant_view and "Approved" in applicant_view


def test_a_second_reviewer_who_returns_it_ends_the_round_of_approvals(
    app, applicant, reviewer, admin, tmp_path
):
    application = _first_approval(app, applicant, reviewer, admin, tmp_path)
    second = client_for(app, make_user("otto.other@example.org", Role.REVIEWER, "Otto Other"))
    response = second.post(
        f"/review/{application.id}/return", data={"sections": "about", "reason": "Give your full address."}
    )
    assert response.status_code == 302
    assert state_of(application) == ApplicationState.RETURNED
    assert db.session.scalar(select(IssuedCredential)) is None
    # Back in review after the changes, it needs two approvals again: the first reviewer's earlier one is gone.
    applicant_client = client_for(app, applicant)
    assert applicant_client.post(f"/applications/{application.id}/resubmit").status_code == 302
    assert second.post(f"/review/{application.id}/resume").status_code == 302
    assert second.post(f"/review/{application.id}/approve").status_code == 302
    assert state_of(application) == ApplicationState.AWAITING_SECOND_REVIEW


def test_a_cpm_needs_one_approval(app, applicant, reviewer, admin, tmp_path):
    application = flow.ready_to_approve(client_for(app, applicant), tmp_path, admin)
    text = page(client_for(app, reviewer).get(f"/review/{application.id}"))
    assert "Approving issues the credential at once" in text and "first of two" not in text
    assert client_for(app, reviewer).post(f"/review/{application.id}/approve").status_code == 302
    assert state_of(application) == ApplicationState.APPROVED
    assert audit("approve_first") == []


def test_return_reopens_only_the_chosen_sections_and_resubmission_comes_back_to_review(
    app, applicant, reviewer, admin, tmp_path
):
    applicant_client = client_for(app, applicant)
    application = flow.ready_to_approve(applicant_client, tmp_path, admin)
    staff = client_for(app, reviewer)
    response = staff.post(
        f"/review/{application.id}/return",
        data={"sections": ["supervision"], "reason": "Give your supervisor's full postal address."},
    )
    assert response.status_code == 302
    db.session.expire_all()
    application = db.session.get(Application, application.id)
    assert application.state == ApplicationState.RETURNED and application.reopened_sections == ["supervision"]
    assert (
        emails("application_returned")[0].text_body.count("Give your supervisor's full postal address.") == 1
    )
    # What to fix is at the top of the task list: the message, the reopened section, nothing else to change.
    task_list = words(applicant_client.get(f"/applications/{application.id}"))
    top = task_list.split("A reviewer returned your application on")[1].split("Your details")[0]
    assert "The reviewer's message:" in top and "Give your supervisor's full postal address." in top
    assert "Change the section tagged “Needs changes” (Mentoring supervision), then resubmit." in top
    assert task_list.count("Needs changes") == 2  # the message and the one section reopened
    assert "About you" in task_list and "Completed (locked)" in task_list and "read-only" not in task_list
    status = page(applicant_client.get(f"/applications/{application.id}/status"))
    assert "Needs your changes" in status and "make the changes the reviewer asked for" in status
    assert status.index("Give your supervisor's full postal address.") < status.index("What has happened")
    assert "Expected decision" not in status  # the applicant holds the pen: no date runs
    assert "Needs your changes" in page(applicant_client.get("/applications/"))
    # Only the reopened section can change.
    assert (
        applicant_client.post(
            f"/applications/{application.id}/supervision",
            data=data.supervision(supervisor_address="2 Broad Street, Oxford OX1 3BD"),
        ).status_code
        == 302
    )
    applicant_client.post(f"/applications/{application.id}/about", data=data.about(full_name="Someone Else"))
    db.session.expire_all()
    application = db.session.get(Application, application.id)
    assert application.supervisor_address == "2 Broad Street, Oxford OX1 3BD"
    assert application.full_name == "Ada Lovelace"
    assert "Resubmit your application" in page(applicant_client.get(f"/applications/{application.id}"))
    assert applicant_client.post(f"/applications/{application.id}/resubmit").status_code == 302
    assert state_of(application) == ApplicationState.RESUBMITTED
    assert [e.recipient for e in emails("application_resubmitted")] == ["ada.applicant@example.com"]
    # A reviewer cannot decide before taking it back into review.
    assert staff.post(f"/review/{application.id}/approve").status_code == 409
    assert "Take back into review" in page(staff.get(f"/review/{application.id}"))
    assert staff.post(f"/review/{application.id}/resume").status_code == 302
    assert state_of(application) == ApplicationState.IN_REVIEW
    assert [e.recipient for e in emails("review_resumed")] == ["ada.applicant@example.com"]
    # The applicant cannot take review actions; the reviewer cannot resubmit for the applicant.
    assert applicant_client.post(f"/review/{application.id}/approve").status_code == 403
    assert staff.post(f"/applications/{application.id}/resubmit").status_code == 404


def test_returning_needs_sections_and_what_to_fix_and_rejecting_needs_a_reason(app, applicant, reviewer):
    application = queued(applicant)
    staff = client_for(app, reviewer)
    response = staff.post(f"/review/{application.id}/return", data={"reason": "Fix it."})
    assert response.status_code == 422 and "Choose at least one section to reopen." in page(response)
    response = staff.post(f"/review/{application.id}/return", data={"sections": ["about"]})
    assert response.status_code == 422 and "Say what the applicant needs to fix." in page(response)
    response = staff.post(f"/review/{application.id}/return", data={"sections": ["nonsense"], "reason": "x"})
    assert response.status_code == 422
    response = staff.post(f"/review/{application.id}/reject", data={"reason": "  "})
    assert response.status_code == 422 and "Give the reason for rejecting the application." in page(response)
    assert state_of(application) == ApplicationState.IN_REVIEW


def test_a_standard_reason_and_the_reviewers_own_words_make_the_reason_the_applicant_reads(
    app, applicant, reviewer
):
    standard = StandardReason(
        kind=ReasonKind.REJECT,
        title="Training too short",
        text="The training declared is shorter than the credential requires.",
    )
    retired = StandardReason(kind=ReasonKind.REJECT, title="Old", text="Old wording.", is_active=False)
    db.session.add_all([standard, retired])
    db.session.commit()
    application = queued(applicant)
    staff = client_for(app, reviewer)
    text = page(staff.get(f"/review/{application.id}"))
    assert "Training too short" in text and ">Old<" not in text
    response = staff.post(
        f"/review/{application.id}/reject", data={"standard_reason": retired.id, "reason": "x"}
    )
    assert response.status_code == 422 and state_of(application) == ApplicationState.IN_REVIEW
    response = staff.post(
        f"/review/{application.id}/reject",
        data={"standard_reason": standard.id, "reason": "Your certificate shows 20 hours."},
    )
    assert response.status_code == 302
    reason = audit("reject")[0].reason
    assert reason == (
        "The training declared is shorter than the credential requires.\n\nYour certificate shows 20 hours."
    )
    assert "Your certificate shows 20 hours." in emails("application_decided")[0].text_body


def test_of_two_reviewers_deciding_at_the_same_moment_only_one_succeeds(app, applicant, reviewer):
    other = make_user("otto.reviewer@example.org", Role.REVIEWER, "Otto Reviewer")
    application = queued(applicant)
    first, second = client_for(app, reviewer), client_for(app, other)
    barrier = threading.Barrier(2)
    statuses: dict[str, int] = {}

    def decide(name, client, action):
        with app.app_context():
            barrier.wait()
            statuses[name] = client.post(
                f"/review/{application.id}/{action}",
                data={"reason": f"Decided by {name}.", "sections": ["about"]},
            ).status_code

    threads = [
        threading.Thread(target=decide, args=("reject", first, "reject")),
        threading.Thread(target=decide, args=("return", second, "return")),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert sorted(statuses.values()) == [302, 409]  # the loser is refused, whichever it is
    db.session.expire_all()
    decisions = [
        e
        for e in db.session.scalars(
            select(AuditEntry).where(
                AuditEntry.subject_type == "applications", AuditEntry.action.in_(["reject", "return"])
            )
        )
    ]
    assert len(decisions) == 1


def test_the_loser_of_a_race_is_told_someone_else_decided(app, applicant, reviewer):
    other = make_user("otto.reviewer@example.org", Role.REVIEWER, "Otto Reviewer")
    application = queued(applicant)
    first, second = client_for(app, reviewer), client_for(app, other)
    assert "Reject the application" in page(
        second.get(f"/review/{application.id}")
    )  # both have the page open
    assert (
        first.post(f"/review/{application.id}/reject", data={"reason": "Not enough evidence."}).status_code
        == 302
    )
    response = second.post(f"/review/{application.id}/reject", data={"reason": "Also no."})
    assert response.status_code == 409
    assert "An application that is rejected cannot be rejected." in page(response)
    assert len(audit("reject")) == 1


@time_machine.travel(datetime(2026, 3, 2, 10, tzinfo=UTC), tick=False)
def test_the_applicant_sees_the_expected_decision_date_and_a_timeline_without_staff_names(
    app, applicant, admin, tmp_path
):
    client = client_for(app, applicant)
    application = data.submit(client, tmp_path)
    flow.pay(application, admin)
    text = page(client.get(f"/applications/{application.id}/status"))
    # Paid 2 March 2026, accredited training: 4 weeks.
    assert "Expected decision by <strong>30 March 2026</strong>" in text
    # The history says in plain words who did what, naming no one on the staff.
    assert "Your payment arrived and the review started" in text and "Marked as paid" not in text
    assert "adam.admin@example.org" not in text
    assert "We expect to decide by 30 March 2026." in emails("review_started")[0].text_body


def test_the_applicants_moves_are_refused_in_the_wrong_state_with_a_reason(app, applicant, reviewer):
    application = queued(applicant)
    client = client_for(app, applicant)
    response = client.post(f"/applications/{application.id}/resubmit", follow_redirects=True)
    assert "An application that is in review cannot be resubmitted." in page(response)
    client_for(app, reviewer).post(f"/review/{application.id}/reject", data={"reason": "No evidence."})
    response = client.post(f"/applications/{application.id}/withdraw", follow_redirects=True)
    assert "An application that is rejected cannot be withdrawn." in page(response)
    assert state_of(application) == ApplicationState.REJECTED
    # Withdrawing an application in review is the applicant's own move.
    other = queued(applicant)
    assert client.post(f"/applications/{other.id}/withdraw").status_code == 302
    assert state_of(other) == ApplicationState.WITHDRAWN
    assert [e.recipient for e in emails("application_withdrawn")] == ["ada.applicant@example.com"]


def test_staff_start_where_their_work_is(app, applicant, reviewer, admin):
    mine = queued(applicant, reviewer=reviewer, paid=NOW - timedelta(days=60))
    queued(applicant, paid=utcnow() - timedelta(days=1))
    staff = client_for(app, reviewer)
    response = staff.get("/applications/")
    assert response.status_code == 302 and response.headers["Location"] == "/review/"
    text = words(staff.get("/review/"))
    assert "1 assigned to you" in text and "1 overdue" in text and mine.reference in text
    assert "Check a credential" in text  # the footer links the public check from every page
    response = client_for(app, admin).get("/applications/")
    assert response.status_code == 302 and response.headers["Location"] == "/admin/"
    assert client_for(app, applicant).get("/applications/").status_code == 200


def test_facts_read_from_an_unchecked_document_show_as_people_write_them(app, applicant, reviewer):
    application = queued(applicant)
    db.session.add(
        Document(
            application_id=application.id,
            purpose=DocumentPurpose.CERTIFICATE,
            storage_key="facts-only",
            original_name="scan.jpg",
            file_type="jpeg",
            size_bytes=2048,
            sha256="0" * 64,
            status=DocumentStatus.MANUAL,
            status_reason="too unclear to read reliably (OCR confidence 61%)",
            facts={"hours": 50.0, "start_date": "2024-03-03", "participant": "Zoë Hart-Llewellyn"},
        )
    )
    db.session.commit()
    text = words(client_for(app, reviewer).get(f"/review/{application.id}"))
    assert "Hours 50 " in text and "Start date 3 March 2024" in text and "Zoë Hart-Llewellyn" in text
    assert "50.0" not in text and "2024-03-03" not in text
