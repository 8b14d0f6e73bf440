"""Pages anyone can see."""

from __future__ import annotations

from flask import Blueprint, render_template
from sqlalchemy.exc import SQLAlchemyError

from portal.monitoring import live_workers
from portal.workflows.payments.queries import priced_catalogue

bp = Blueprint("public", __name__)


@bp.get("/")
def home():
    return render_template("public/home.html", credentials=priced_catalogue())


@bp.get("/health")
def health():
    """For load balancers: 200 when this web process can reach the database, with the live worker count."""
    try:
        workers = live_workers()
    except SQLAlchemyError:
        return {"status": "error", "database": "unreachable"}, 503
    return {"status": "ok", "database": "ok", "workers": workers}


@bp.get("/health/workers")
def health_workers():
    """For monitoring: 503 when no worker process has reported within three heartbeats."""
    workers = live_workers()
    return (
        ({"status": "ok", "workers": workers}, 200)
        if workers
        else ({"status": "no workers", "workers": 0}, 503)
    )
