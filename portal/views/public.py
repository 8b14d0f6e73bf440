"""Pages anyone can see."""
from __future__ import annotations

from flask import Blueprint, render_template

from portal.workflows.registry import catalogue

bp = Blueprint("public", __name__)


@bp.get("/")
def home():
    return render_template("public/home.html", credentials=catalogue().ordered())


@bp.get("/health")
def health():
    from sqlalchemy import text

    from portal.db import db

    db.session.execute(text("SELECT 1"))
    return {"status": "ok"}
