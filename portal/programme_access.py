"""Loaders for the mentoring programmes: a pair's records for its two members only, else 404."""

from __future__ import annotations

from flask import abort
from flask_login import current_user

from portal.db import db
from portal.models.programmes import (
    Goal,
    Meeting,
    MentorProfile,
    PairCheckpoint,
    Pairing,
    Programme,
    SupervisionSession,
)
from portal.models.users import User
from portal.workflows.programmes.queries import is_coordinator, session_for_token


def own_pairing(pairing_id: int) -> Pairing:
    """A pairing the current user is a member of: its notes, goals and evaluations are theirs alone."""
    pairing = db.session.get(Pairing, pairing_id)
    if pairing is None or not current_user.is_authenticated or pairing.role_of(current_user) is None:
        abort(404)
    return pairing


def _child(model, pairing: Pairing, item_id: int):
    item = db.session.get(model, item_id)
    if item is None or item.pairing_id != pairing.id:
        abort(404)
    return item


def own_meeting(pairing: Pairing, meeting_id: int) -> Meeting:
    return _child(Meeting, pairing, meeting_id)


def own_goal(pairing: Pairing, goal_id: int) -> Goal:
    return _child(Goal, pairing, goal_id)


def own_checkpoint(pairing: Pairing, checkpoint_id: int) -> PairCheckpoint:
    return _child(PairCheckpoint, pairing, checkpoint_id)


def published_profile(profile_id: int) -> MentorProfile:
    profile = db.session.get(MentorProfile, profile_id)
    if profile is None or not profile.is_published or not profile.user.is_active_account:
        abort(404)
    return profile


def open_programme(programme_id: int | None) -> Programme:
    programme = db.session.get(Programme, programme_id) if programme_id else None
    if programme is None or not programme.is_open:
        abort(404)
    return programme


def programme(programme_id: int) -> Programme:
    """Any programme, for its guide: open ones to all, closed ones still to the pairs that were in them."""
    found = db.session.get(Programme, programme_id)
    if found is None:
        abort(404)
    return found


def coordinator() -> User:
    """The current user, when they coordinate programmes."""
    if not is_coordinator(current_user):
        abort(404)
    return current_user._get_current_object()


def coordinated_programme(programme_id: int) -> Programme:
    coordinator()
    programme = db.session.get(Programme, programme_id)
    if programme is None:
        abort(404)
    return programme


def coordinated_pairing(pairing_id: int) -> Pairing:
    """A pairing as its coordinator sees it: its state and progress, never its notes or evaluations."""
    coordinator()
    pairing = db.session.get(Pairing, pairing_id)
    if pairing is None:
        abort(404)
    return pairing


def supervision_session(token: str) -> SupervisionSession | None:
    """The pending session a supervisor's link confirms, or None when the link is spent, expired or wrong."""
    return session_for_token(token)
