"""Account protection: guessable passwords refused, changing a password, two-factor sign-in for staff with
recovery codes, session lifetime, per-account throttling behind a trusted proxy, and reset tokens."""

from __future__ import annotations

import html
import re
import time
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta

import pyotp
import pytest
import time_machine
from sqlalchemy import select

from portal.db import db
from portal.enums import Role
from portal.models.outbox import EmailMessage
from portal.models.users import User
from portal.workflows.accounts import operations as accounts
from portal.workflows.accounts.rules import token_digest
from tests.helpers import PASSWORD, make_user, running_app, sign_in

NEW_PASSWORD = "a brand new passphrase"


def page(response) -> str:
    return html.unescape(response.get_data(as_text=True))


@pytest.mark.parametrize("weak", ["password123", "Password1234", "qwertyuiop12", "iloveyou2024"])
def test_sign_up_refuses_common_and_guessable_passwords_at_the_field(client, weak):
    response = client.post(
        "/account/register",
        data={"full_name": "Ada Lovelace", "email": "ada@example.com", "password": weak, "confirm": weak},
    )
    text = page(response)
    assert response.status_code == 200 and db.session.scalar(select(User)) is None
    assert 'id="password-error"' in text
    assert "<meter" in text and "Strength of the password you entered" in text  # no script needed


def test_a_strong_password_is_accepted_and_shown_as_strong(client):
    response = client.post(
        "/account/register",
        data={"full_name": "Ada", "email": "ada@example.com", "password": PASSWORD, "confirm": "mismatch"},
    )
    assert "Very strong" in page(response)


def test_changing_the_password_asks_for_the_current_one_and_ends_other_sessions(app, applicant):
    laptop, phone = app.test_client(), app.test_client()
    sign_in(laptop, applicant), sign_in(phone, applicant)
    wrong = laptop.post(
        "/account/password",
        data={"current_password": "not it at all", "password": NEW_PASSWORD, "confirm": NEW_PASSWORD},
    )
    assert wrong.status_code == 200 and "Your current password is not right" in page(wrong)
    weak = laptop.post(
        "/account/password",
        data={"current_password": PASSWORD, "password": "password123", "confirm": "password123"},
    )
    assert weak.status_code == 200 and 'id="password-error"' in page(weak)
    done = laptop.post(
        "/account/password",
        data={"current_password": PASSWORD, "password": NEW_PASSWORD, "confirm": NEW_PASSWORD},
    )
    assert done.status_code == 302
    assert laptop.get("/applications/").status_code == 200  # this session goes on
    assert phone.get("/applications/").status_code == 302  # the other one ended
    assert sign_in(app.test_client(), applicant).status_code == 200  # the old password no longer works
    assert sign_in(app.test_client(), applicant, NEW_PASSWORD).status_code == 302


def _new_reviewer() -> User:
    user = accounts.register("rhea.reviewer@example.org", PASSWORD, "Rhea Reviewer", role=Role.REVIEWER)
    db.session.commit()
    return user


def test_a_reviewer_must_set_up_two_factor_sign_in_before_seeing_any_application(app):
    reviewer = _new_reviewer()
    client = app.test_client()
    assert sign_in(client, reviewer).status_code == 302
    response = client.get("/review/")
    assert response.status_code == 302 and response.location.endswith("/account/two-factor")
    setup = page(client.get("/account/two-factor"))
    secret = re.search(r'id="totp-secret">(\w+)<', setup).group(1)
    assert "otpauth://totp/" in setup and f"secret={secret}" in setup
    assert "personal data" in setup
    assert client.post("/account/two-factor", data={"code": "000000"}).status_code == 200
    done = client.post("/account/two-factor", data={"code": pyotp.TOTP(secret).now()})
    codes = re.findall(r"<li><code>([a-z0-9-]+)</code></li>", page(done))
    assert done.status_code == 200 and len(codes) == 10
    db.session.expire_all()
    stored = db.session.get(User, reviewer.id)
    assert stored.has_two_factor and codes[0] not in str(stored.recovery_code_digests)
    assert client.get("/review/").status_code == 200  # this session goes on after enrolling

    # Signing in now needs the password and then a code, each code once.
    other = app.test_client()
    response = other.post("/account/sign-in", data={"email": reviewer.email, "password": PASSWORD})
    assert response.status_code == 302 and response.location.endswith("/account/sign-in/code")
    assert other.get("/review/").status_code == 302  # not signed in with the password alone
    assert other.post("/account/sign-in/code", data={"code": "123456"}).status_code == 200
    code = pyotp.TOTP(secret).at(int(time.time()) + 30)  # the enrolment used this step's code
    assert other.post("/account/sign-in/code", data={"code": code}).status_code == 302
    assert other.get("/review/").status_code == 200

    replay = app.test_client()
    replay.post("/account/sign-in", data={"email": reviewer.email, "password": PASSWORD})
    response = replay.post("/account/sign-in/code", data={"code": code})
    assert response.status_code == 200 and "That code is not right" in page(response)

    # A lost phone: a recovery code signs in once.
    response = replay.post("/account/sign-in/code", data={"code": codes[0].upper()})
    assert response.status_code == 302
    again = app.test_client()
    again.post("/account/sign-in", data={"email": reviewer.email, "password": PASSWORD})
    assert again.post("/account/sign-in/code", data={"code": codes[0]}).status_code == 200
    db.session.expire_all()
    assert len(db.session.get(User, reviewer.id).recovery_code_digests) == 9


def test_an_applicant_may_turn_on_two_factor_sign_in_and_is_not_made_to(app, applicant):
    client = app.test_client()
    sign_in(client, applicant)
    assert client.get("/applications/").status_code == 200
    setup = page(client.get("/account/two-factor"))
    assert "personal data" not in setup
    secret = re.search(r'id="totp-secret">(\w+)<', setup).group(1)
    assert client.post("/account/two-factor", data={"code": pyotp.TOTP(secret).now()}).status_code == 200
    response = app.test_client().post(
        "/account/sign-in", data={"email": applicant.email, "password": PASSWORD}
    )
    assert response.location.endswith("/account/sign-in/code")


def test_reset_2fa_re_enrols_a_lost_device_from_the_command_line(app, reviewer):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["users", "reset-2fa", reviewer.email])
    assert result.exit_code == 0, result.output
    db.session.expire_all()
    assert not db.session.get(User, reviewer.id).has_two_factor
    client = app.test_client()
    assert sign_in(client, reviewer).status_code == 302  # the password alone, then set-up is required
    assert client.get("/review/").location.endswith("/account/two-factor")
    assert runner.invoke(args=["users", "reset-2fa", "nobody@example.org"]).exit_code != 0


def test_a_session_ends_when_idle_and_after_its_longest_lifetime(app_config, _schema):
    app_config.update(SESSION_IDLE_MINUTES=30, SESSION_MAX_HOURS=8)
    with running_app(app_config) as app:
        user = make_user("ada.applicant@example.com")
        start = datetime.now(UTC)
        with time_machine.travel(start, tick=False) as clock:
            client = app.test_client()
            sign_in(client, user)
            clock.move_to(start + timedelta(minutes=29))
            assert client.get("/applications/").status_code == 200
            clock.move_to(start + timedelta(minutes=61))  # 32 minutes since the last request
            response = client.get("/applications/")
            assert response.status_code == 302 and "/account/sign-in" in response.location

            sign_in(client, user)
            for minutes in range(20, 8 * 60, 20):  # busy all day: never idle for 30 minutes
                clock.move_to(start + timedelta(minutes=61 + minutes))
                assert client.get("/applications/").status_code == 200, minutes
            clock.move_to(start + timedelta(minutes=61 + 8 * 60 + 1))
            assert client.get("/applications/").status_code == 302


@contextmanager
def behind_a_proxy(app_config: dict, login_limit: str, account_limit: str):
    """The app with its limits on, behind one trusted proxy, and how to post as a client at an address."""
    from portal.extensions import limiter

    app_config.update(
        RATELIMIT_ENABLED=True,
        TRUSTED_PROXIES=1,
        LOGIN_RATE_LIMIT=login_limit,
        ACCOUNT_RATE_LIMIT=account_limit,
    )
    with running_app(app_config) as app:
        limiter.reset()

        def post(path: str, data: dict, address: str):
            # Every request reaches the portal from the proxy's address, naming the client's.
            return app.test_client().post(
                path,
                data=data,
                headers={"X-Forwarded-For": address},
                environ_base={"REMOTE_ADDR": "10.0.0.1"},
            )

        try:
            yield post
        finally:
            limiter.reset()


def test_sign_in_is_throttled_per_account_from_any_address_behind_a_trusted_proxy(app_config, _schema):
    with behind_a_proxy(app_config, "4 per minute", "3 per minute;10 per hour") as post:
        victim = make_user("ada.applicant@example.com")

        def attempt(address: str, email: str = victim.email, password: str = "wrong guess here"):
            return post("/account/sign-in", {"email": email, "password": password}, address)

        # Guesses from three addresses count against the account: the fourth waits, from anywhere.
        assert [attempt(f"203.0.113.{n}").status_code for n in range(1, 4)] == [200, 200, 200]
        assert attempt("203.0.113.9").status_code == 429
        assert attempt("203.0.113.10", password=PASSWORD).status_code == 429  # a wait, not a lock: it lifts
        # Other accounts behind the same proxy are not held back by it (addresses are the clients').
        other = make_user("bob.other@example.com")
        assert attempt("198.51.100.7", other.email, PASSWORD).status_code == 302
        # The address recorded (for the referee trust signal) is the client's, not the proxy's.
        db.session.expire_all()
        assert db.session.get(User, other.id).last_login_ip == "198.51.100.7"
        # Per address too: one client's fifth attempt waits whatever accounts it tries.
        codes = [attempt("192.0.2.5", f"nobody{n}@example.com").status_code for n in range(5)]
        assert codes == [200, 200, 200, 200, 429]


def test_without_trusted_proxies_a_forwarded_address_is_ignored(app, applicant):
    client = app.test_client()
    client.post(
        "/account/sign-in",
        data={"email": applicant.email, "password": PASSWORD},
        headers={"X-Forwarded-For": "203.0.113.50"},
        environ_base={"REMOTE_ADDR": "192.0.2.1"},
    )
    db.session.expire_all()
    assert db.session.get(User, applicant.id).last_login_ip == "192.0.2.1"


def test_a_reset_link_carries_a_random_token_kept_only_as_its_digest(client, applicant):
    client.post("/account/forgot-password", data={"email": applicant.email})
    email = db.session.scalar(select(EmailMessage).where(EmailMessage.template == "password_reset"))
    token = re.search(r"/account/reset-password/(\S+)", email.text_body).group(1)
    db.session.expire_all()
    user = db.session.get(User, applicant.id)
    # Nothing readable: no signed payload (user id, hash) as before, just 32 random bytes.
    assert "." not in token and len(token) >= 43 and user.password_hash[-16:] not in token
    assert user.reset_token_digest == token_digest(token) and token not in user.reset_token_digest
    with time_machine.travel(datetime.now(UTC) + timedelta(hours=3)):
        response = client.get(f"/account/reset-password/{token}")
    assert response.status_code == 400 and "expired" in page(response)


def test_a_very_long_password_is_judged_without_error(client):
    long_password = "correct horse battery staple " * 6  # 174 characters; the form allows 200
    response = client.post(
        "/account/register",
        data={
            "full_name": "Ada",
            "email": "ada@example.com",
            "password": long_password,
            "confirm": long_password,
        },
    )
    assert response.status_code == 200 and "Check your email" in page(response)


@pytest.mark.parametrize(
    "path, form",
    [
        ("/account/forgot-password", {"email": "ada.applicant@example.com"}),
        (
            "/account/register",
            {
                "full_name": "Ada",
                "email": "ada.applicant@example.com",
                "password": PASSWORD,
                "confirm": PASSWORD,
            },
        ),
    ],
)
def test_reset_and_sign_up_requests_are_limited_per_account_behind_a_trusted_proxy(
    app_config, _schema, path, form
):
    with behind_a_proxy(app_config, "10 per minute", "2 per minute") as post:
        assert [post(path, form, f"203.0.113.{n}").status_code for n in (1, 2, 3)] == [200, 200, 429]
        assert post(path, {**form, "email": "someone.else@example.com"}, "203.0.113.4").status_code == 200
        to_ada = select(EmailMessage).where(EmailMessage.recipient == form["email"])
        assert len(db.session.scalars(to_ada).all()) <= 2  # no flood of emails to one inbox


def test_sign_up_keeps_a_digest_of_the_clients_own_address_behind_a_trusted_proxy(app_config, _schema):
    with behind_a_proxy(app_config, "100 per minute", "100 per minute") as post:
        for n, address in enumerate(("203.0.113.5", "203.0.113.5", "198.51.100.8")):
            data = {"full_name": f"Person {n}", "email": f"person{n}@example.com"}
            response = post("/account/register", {**data, "password": PASSWORD, "confirm": PASSWORD}, address)
            assert response.status_code == 200
        first, second, third = (
            db.session.scalar(select(User).where(User.email == f"person{n}@example.com")) for n in range(3)
        )
        # The proxy's own address (10.0.0.1) would make every account look alike; the client's is kept, hashed.
        assert first.signup_address_digest == second.signup_address_digest != third.signup_address_digest
        assert "203.0.113.5" not in first.signup_address_digest
