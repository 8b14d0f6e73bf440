"""Pages anyone can see."""

from __future__ import annotations

from flask import Blueprint, render_template
from sqlalchemy.exc import SQLAlchemyError

from portal.monitoring import broker_state, live_workers
from portal.page_cache import shared_page
from portal.workflows.payments.queries import priced_catalogue
from portal.workflows.payments.rules import HOME_PAGE_KEY

bp = Blueprint("public", __name__)


@bp.get("/")
@shared_page(lambda: HOME_PAGE_KEY)
def home():
    return render_template("public/home.html", credentials=priced_catalogue())


@bp.get("/health")
def health():
    """For load balancers: 200 when this web process can reach the database and the broker, with the live
    worker count; 503 when either cannot be reached ("degraded" when only the broker is gone: pages still
    serve, jobs wait in the outbox)."""
    broker = broker_state()
    try:
        workers = live_workers()
    except SQLAlchemyError:
        return {"status": "error", "database": "unreachable", "broker": broker}, 503
    if broker == "unreachable":
        return {"status": "degraded", "database": "ok", "broker": broker, "workers": workers}, 503
    return {"status": "ok", "database": "ok", "broker": broker, "workers": workers}


@bp.get("/health/workers")
def health_workers():
    """For monitoring: 503 when no worker process has reported within three heartbeats."""
    workers = live_workers()
    return (
        ({"status": "ok", "workers": workers}, 200)
        if workers
        else ({"status": "no workers", "workers": 0}, 503)
    )
