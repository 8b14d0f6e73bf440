"""Pages that list or look up rows run the same number of queries however many rows there are."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select, update

from portal.db import db
from portal.demo import seed
from portal.enums import ApplicationState
from portal.models.applications import Application
from portal.models.credentials import IssuedCredential
from portal.workflows.review import rules as review
from tests.factories import review as flow
from tests.helpers import client_for, page, statements


def queries(client, url: str) -> list[str]:
    with statements() as seen:
        response = client.get(url)
    assert response.status_code == 200, url
    return seen


def test_the_queue_runs_the_same_queries_at_both_sizes_in_every_view(app, reviewer):
    staff = client_for(app, reviewer)
    views = [
        "/review/",
        "/review/?state=all&per_page=100",
        "/review/?state=open&sort=newest",
        "/review/?reviewer=me",
        "/review/?centre_status=endorsed&overdue=y",
    ]
    seed(300)  # enough for a second page of ten in the default view
    small = {url: queries(staff, url) for url in views}
    second = re.search(r'href="([^"]+)" rel="next"', page(staff.get("/review/?per_page=10"))).group(1)
    small[second] = queries(staff, second.replace("&amp;", "&"))
    seed(900)
    large = {url: queries(staff, url) for url in views}
    large[second] = queries(staff, second.replace("&amp;", "&"))
    for url in [*views, second]:
        # The signed-in user, the reviewers (filter and assignment lists), every count in one statement, and
        # the page with its training centres.
        assert len(small[url]) == len(large[url]) == 4, (url, large[url])
    assert page(staff.get("/review/?state=all&per_page=100")).count('href="/review/') >= 100


def test_the_applicants_dashboard_runs_the_same_queries_however_many_applications_they_have(app, applicant):
    seed(30)

    def give(count: int) -> None:
        ids = db.session.scalars(
            select(Application.id)
            .where(Application.applicant_id != applicant.id)
            .order_by(Application.id)
            .limit(count)
        ).all()
        db.session.execute(
            update(Application).where(Application.id.in_(ids)).values(applicant_id=applicant.id)
        )
        db.session.commit()

    client = client_for(app, applicant)
    give(1)
    one = queries(client, "/applications/")
    give(19)
    twenty = queries(client, "/applications/")
    text = page(client.get("/applications/"))
    assert text.count("View<span") + text.count("Continue<span") == 20
    assert len(one) == len(twenty) == 2, twenty  # the signed-in user, their applications


def test_the_public_verification_page_runs_the_same_queries_however_many_credentials_exist(app, applicant):
    seed(20)
    first = db.session.scalar(select(IssuedCredential).order_by(IssuedCredential.id).limit(1))
    visitor = client_for(app)
    few = queries(visitor, f"/verify/{first.number}")
    seed(300)
    renewed = flow.issued(applicant, first.issued_on)
    renewed.previous_id = first.id
    db.session.commit()
    many = queries(visitor, f"/verify/{first.number}")
    assert renewed.number in page(visitor.get(f"/verify/{first.number}"))
    assert db.session.scalar(select(db.func.count()).select_from(IssuedCredential)) > 40
    assert len(few) == len(many) == 1, many  # the credential with its successor's number


@pytest.mark.parametrize("name", ["ix_applications_clock_running", "ix_applications_running_counts"])
def test_the_partial_index_covers_exactly_the_states_in_which_the_review_clock_runs(name):
    index = next(i for i in Application.__table__.indexes if i.name == name)
    predicate = str(index.dialect_options["postgresql"]["where"])
    assert predicate == str(index.dialect_options["sqlite"]["where"])
    listed = {state for state in ApplicationState if f"'{state.value}'" in predicate}
    assert listed == set(review.CLOCK_RUNNING)
