"""Accounts through the HTTP interface: sign-up, sign-in, sign-out, password reset, CSRF and rate limits."""

from __future__ import annotations

import re

from sqlalchemy import select

from portal.db import db
from portal.models.outbox import EmailMessage
from portal.models.users import User
from tests.helpers import PASSWORD, page, running_app, sign_in


def register(client, **overrides):
    form = {"full_name": "Zoë O'Brien", "email": "Zoe@Example.com", "password": PASSWORD, "confirm": PASSWORD}
    return client.post("/account/register", data={**form, **overrides})


def emailed_path(template: str, pattern: str) -> str:
    email = db.session.scalar(
        select(EmailMessage).where(EmailMessage.template == template).order_by(EmailMessage.id.desc())
    )
    return re.search(pattern, email.text_body).group(0)


def test_sign_up_creates_an_applicant_with_an_argon2_hash_signed_in_from_the_emailed_link(client):
    response = register(client)
    assert response.status_code == 200 and "Check your email" in page(response)
    user = db.session.scalar(select(User))
    assert user.email == "zoe@example.com" and user.role == "applicant"
    assert user.password_hash.startswith("$argon2") and PASSWORD not in user.password_hash
    assert client.get("/applications/").status_code == 302  # not signed in before confirming
    refused = client.post("/account/sign-in", data={"email": "zoe@example.com", "password": PASSWORD})
    assert "Confirm your email address first" in page(refused)
    path = emailed_path("confirm_email", r"/account/confirm/\S+")
    assert client.get(path).status_code == 200  # opening the link (a mail scanner) changes nothing
    db.session.expire_all()
    assert db.session.get(User, user.id).email_confirmed_at is None
    assert client.post(path).status_code == 302
    assert client.get("/applications/").status_code == 200
    assert "already been used" in page(client.get(path))


def test_sign_up_errors_keep_what_was_typed(client):
    response = register(client, email="not an email", confirm="different")
    text = page(response)
    assert "Enter an email address like name@example.com." in text
    assert "The passwords do not match." in text
    assert 'value="Zoë O\'Brien"' in text  # the name field keeps what was typed
    assert db.session.scalar(select(User)) is None


def test_signing_up_with_a_taken_email_answers_the_same_and_the_email_says_what_happened(client, applicant):
    taken = register(client, email=applicant.email.upper())
    new = register(client, email="someone.new@example.com")
    assert taken.status_code == new.status_code == 200
    assert page(taken).replace(applicant.email.upper(), "EMAIL") == page(new).replace(
        "someone.new@example.com", "EMAIL"
    )
    assert client.get("/applications/").status_code == 302
    assert len(db.session.scalars(select(User).where(User.email == applicant.email)).all()) == 1
    [told] = db.session.scalars(select(EmailMessage).where(EmailMessage.template == "account_exists")).all()
    assert told.recipient == applicant.email and "No new account was made" in told.text_body


def test_wrong_password_is_refused_without_saying_which_part_was_wrong(client, applicant):
    response = sign_in(client, applicant, "wrong password!")
    assert response.status_code == 200
    assert "The email address or password is not right." in page(response)
    assert client.get("/applications/").status_code == 302


def test_sign_out_invalidates_the_old_session_cookie(client, applicant):
    sign_in(client, applicant)
    stolen = client.get_cookie("session").value
    client.post("/account/sign-out")
    client.set_cookie("session", stolen)
    assert client.get("/applications/").status_code == 302  # the copied cookie no longer signs anyone in


def test_sign_in_starts_a_fresh_session(client, applicant):
    with client.session_transaction() as session:
        session["planted"] = "by an attacker"
    sign_in(client, applicant)
    with client.session_transaction() as session:
        assert "planted" not in session


def test_next_parameter_cannot_send_people_off_site(client, applicant):
    response = client.post(
        "/account/sign-in?next=https://evil.example/", data={"email": applicant.email, "password": PASSWORD}
    )
    assert response.headers["Location"] == "/applications/"


def test_password_reset_by_emailed_link_works_once(client, applicant):
    response = client.post("/account/forgot-password", data={"email": applicant.email})
    assert "Check your email" in page(response)
    email = db.session.scalar(select(EmailMessage).where(EmailMessage.template == "password_reset"))
    link = re.search(r"http://\S+/account/reset-password/\S+", email.text_body).group(0)
    path = link.split("5000", 1)[1]
    assert client.get(path).status_code == 200  # opening the link changes nothing
    new_password = "a brand new passphrase"
    response = client.post(path, data={"password": new_password, "confirm": new_password})
    assert response.status_code == 302
    assert "already been used" in page(client.get(path))
    assert sign_in(client, applicant, new_password).status_code == 302


def test_a_reset_for_an_unknown_email_looks_the_same_and_sends_nothing(client):
    response = client.post("/account/forgot-password", data={"email": "nobody@example.com"})
    assert "Check your email" in page(response)
    assert db.session.scalar(select(EmailMessage)) is None


def test_a_tampered_reset_link_is_refused(client, applicant):
    response = client.get("/account/reset-password/not-a-real-token")
    assert response.status_code == 400 and "not valid" in page(response)


def test_forms_refuse_posts_without_a_csrf_token(app_config, _schema):
    app_config["WTF_CSRF_ENABLED"] = True
    with running_app(app_config) as app:
        client = app.test_client()
        response = client.post(
            "/account/register",
            data={"full_name": "X", "email": "x@example.com", "password": PASSWORD, "confirm": PASSWORD},
        )
        assert response.status_code == 400 and "session expired" in page(response)
        assert db.session.scalar(select(User)) is None
        form = client.get("/account/register").get_data(as_text=True)
        token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', form) or re.search(
            r'name="csrf_token" value="([^"]+)"', form
        )
        response = client.post(
            "/account/register",
            data={
                "full_name": "X",
                "email": "x@example.com",
                "password": PASSWORD,
                "confirm": PASSWORD,
                "csrf_token": token.group(1),
            },
        )
        assert response.status_code == 200 and "Check your email" in page(response)


def test_sign_in_attempts_are_rate_limited_on_the_broker_redis(app_config, _schema):
    from portal.extensions import limiter

    app_config.update(RATELIMIT_ENABLED=True, LOGIN_RATE_LIMIT="3 per minute")
    with running_app(app_config) as app:
        limiter.reset()
        client = app.test_client()
        codes = [
            client.post("/account/sign-in", data={"email": "a@example.com", "password": "x"}).status_code
            for _ in range(4)
        ]
        assert codes == [200, 200, 200, 429]
        assert "Too many attempts" in page(client.post("/account/sign-in", data={"email": "a@example.com"}))
        assert app.config["RATELIMIT_STORAGE_URI"].startswith(("redis", "memory"))
        limiter.reset()


def test_pages_carry_security_headers(client):
    response = client.get("/")
    assert "default-src 'self'" in response.headers["Content-Security-Policy"]
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
