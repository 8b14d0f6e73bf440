"""The administrators' API tokens page: a token is shown once, kept as a digest, listed with its last use,
revoked; making and revoking are audited."""

from __future__ import annotations

import hashlib
import re
from datetime import date, timedelta

from sqlalchemy import select

from portal.db import db
from portal.models.api_tokens import ApiToken
from portal.models.audit import AuditEntry
from tests.helpers import client_for, page


def _make(client, **form):
    return client.post("/admin/api-tokens/", data={"name": "Finance system", "scope": "write", **form})


def test_an_admin_makes_a_token_shown_once_and_kept_only_as_its_digest(app, admin):
    client = client_for(app, admin)
    response = _make(client)
    assert response.status_code == 201
    assert response.headers["Cache-Control"] == "no-store"
    secret = re.search(r"imc_[A-Za-z0-9_-]{40,}", page(response)).group(0)
    token = db.session.scalar(select(ApiToken))
    assert token.digest == hashlib.sha256(secret.encode()).hexdigest()
    assert token.has_write_scope and token.owner_id == admin.id and secret.startswith(token.prefix)
    listed = page(client.get("/admin/api-tokens/"))
    assert secret not in listed and token.prefix in listed and "Never" in listed
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "api_token_created"))
    assert entry.actor_id == admin.id and secret not in entry.reason

    assert client.get("/api/v1/credentials", headers={"Authorization": f"Bearer {secret}"}).status_code == 200
    listed = page(client.get("/admin/api-tokens/"))
    assert "from 127.0.0.1" in listed


def test_a_token_needs_a_name_and_a_scope_and_expires_after_today(app, admin):
    client = client_for(app, admin)
    assert _make(client, name="", scope="").status_code == 422
    yesterday = (date.today() - timedelta(days=1)).isoformat()
    assert _make(client, expires_on=yesterday).status_code == 422
    assert db.session.scalar(select(ApiToken)) is None


def test_revoking_a_token_stops_it_at_once_and_is_audited(app, admin):
    client = client_for(app, admin)
    secret = re.search(r"imc_[A-Za-z0-9_-]{40,}", page(_make(client, scope="read"))).group(0)
    token = db.session.scalar(select(ApiToken))
    assert client.post(f"/admin/api-tokens/{token.id}/revoke").status_code == 302
    assert client.get("/api/v1/credentials", headers={"Authorization": f"Bearer {secret}"}).status_code == 401
    assert db.session.scalar(select(AuditEntry).where(AuditEntry.action == "api_token_revoked")) is not None
    assert "Revoked" in page(client.get("/admin/api-tokens/"))


def test_only_admins_reach_the_tokens_page(app, reviewer, applicant):
    for person in (reviewer, applicant):
        assert client_for(app, person).get("/admin/api-tokens/").status_code == 403
