"""Reads for matching: each mentor's record from their past pairings and evaluations, what a protégé is
looking for, and the coordinator's suggested pairs."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import func, or_, select

from portal.db import db
from portal.enums import PairingRole, PairingState
from portal.models.programmes import Evaluation, MentorProfile, Pairing
from portal.models.users import User
from portal.workflows.programmes import rules as programme_rules
from portal.workflows.programmes.career.queries import plan_of
from portal.workflows.programmes.matching import rules
from portal.workflows.programmes.queries import MentorListing, _open_pairing_counts, profile_of

S = PairingState


def records_of(mentor_ids: Sequence[int]) -> dict[int, rules.Record]:
    """How each mentor's past pairings went: completed, withdrawn after they accepted, and their protégés'
    average rating of them (shown only from as many evaluations as the programme results need, so that no
    one protégé's answer can be read from it)."""
    if not mentor_ids:
        return {}
    completed = dict(
        db.session.execute(
            select(Pairing.mentor_id, func.count())
            .where(Pairing.mentor_id.in_(mentor_ids), Pairing.state == S.COMPLETED)
            .group_by(Pairing.mentor_id)
        ).all()
    )
    withdrawn = dict(
        db.session.execute(
            select(Pairing.mentor_id, func.count())
            .where(
                Pairing.mentor_id.in_(mentor_ids),
                Pairing.state == S.WITHDRAWN,
                Pairing.matched_at.is_not(None),
            )
            .group_by(Pairing.mentor_id)
        ).all()
    )
    partner_keys = [q.key for q in programme_rules.defaults().questions_about("partner")]
    ratings: dict[int, list[int]] = {}
    evaluated = (
        select(Pairing.mentor_id, Evaluation.ratings)
        .join(Evaluation.pairing)
        .where(Pairing.mentor_id.in_(mentor_ids), Evaluation.role == PairingRole.MENTEE)
    )
    counts: dict[int, int] = {}
    for mentor_id, given in db.session.execute(evaluated):
        counts[mentor_id] = counts.get(mentor_id, 0) + 1
        ratings.setdefault(mentor_id, []).extend(
            v for k, v in (given or {}).items() if k in partner_keys and isinstance(v, int)
        )
    minimum = programme_rules.defaults().results_minimum_responses
    return {
        mentor_id: rules.Record(
            completed=completed.get(mentor_id, 0),
            withdrawn_after_accepting=withdrawn.get(mentor_id, 0),
            average_rating=(
                round(sum(ratings[mentor_id]) / len(ratings[mentor_id]), 1)
                if counts.get(mentor_id, 0) >= minimum and ratings.get(mentor_id)
                else None
            ),
        )
        for mentor_id in mentor_ids
    }


def seeker_for(user: User, sector: str = "", region: str = "", text: str = "") -> rules.Seeker:
    """What ``user`` is looking for: the sector and region they chose (else their own profile's), and their
    goals: the search words, their career plan, and the goals of their latest agreement."""
    profile = profile_of(user)
    plan = plan_of(user)
    goals = [text]
    if plan is not None:
        goals += [plan.aspiration, *[m.description for m in plan.milestones]]
    latest = db.session.scalar(
        select(Pairing)
        .where(Pairing.mentee_id == user.id)
        .order_by(Pairing.created_at.desc(), Pairing.id.desc())
    )
    if latest is not None:
        goals += [g.description for g in latest.goals]
    return rules.Seeker(
        sector=sector or (profile.sector if profile else ""),
        region=region or (profile.region if profile else ""),
        goals=" ".join(goals),
    )


def candidate_of(profile: MentorProfile, places_left: int, record: rules.Record) -> rules.Candidate:
    return rules.Candidate(profile.expertise, profile.sector, profile.region, places_left, record)


@dataclass(frozen=True)
class Suggestion:
    mentee: User
    mentor: User
    match: rules.Match


def seekers() -> list[User]:
    """Protégés looking for a mentor: a request waiting or declined, or a pairing completed, and no pairing
    open now."""
    open_states = [s for s in S if s.is_open]
    has_open = select(Pairing.mentee_id).where(Pairing.state.in_(open_states))
    return list(
        db.session.scalars(
            # Each protégé once, however many pairings: by id (a DISTINCT over every column of users would
            # compare its JSON column, which PostgreSQL cannot).
            select(User)
            .where(
                User.id.in_(
                    select(Pairing.mentee_id).where(Pairing.state.in_([S.REQUESTED, S.DECLINED, S.COMPLETED]))
                ),
                User.is_active_account.is_(True),
                User.id.not_in(has_open),
            )
            .order_by(User.full_name)
        )
    )


def suggested_pairs(per_protégé: int = 3) -> list[Suggestion]:
    """For each protégé looking, the best-placed mentors with free places, with the reasons."""
    profiles = list(
        db.session.scalars(
            select(MentorProfile)
            .join(MentorProfile.user)
            .where(MentorProfile.is_published.is_(True), User.is_active_account.is_(True))
        )
    )
    ids = [p.user_id for p in profiles]
    open_counts = _open_pairing_counts(ids) if ids else {}
    records = records_of(ids)
    suggestions = []
    for mentee in seekers():
        past = set(
            db.session.scalars(
                select(Pairing.mentor_id).where(
                    Pairing.mentee_id == mentee.id,
                    or_(Pairing.state == S.DECLINED, Pairing.state == S.BLOCKED),
                )
            )
        )
        candidates = [
            (p, candidate_of(p, max(p.capacity - open_counts.get(p.user_id, 0), 0), records[p.user_id]))
            for p in profiles
            if p.user_id != mentee.id and p.user_id not in past
        ]
        ranked = [(p, m) for p, m in rules.rank(seeker_for(mentee), candidates) if m.has_place]
        suggestions += [Suggestion(mentee, p.user, m) for p, m in ranked[:per_protégé]]
    return suggestions


def ranked_listings(
    listings: Sequence[MentorListing], user: User, sector: str = "", region: str = "", text: str = ""
) -> list[tuple[MentorListing, rules.Match]]:
    """The directory's listings for ``user``, best fit first, each with the reasons it ranks where it does."""
    seeker = seeker_for(user, sector, region, text)
    records = records_of([listing.profile.user_id for listing in listings])
    return rules.rank(
        seeker,
        [
            (listing, candidate_of(listing.profile, listing.places_left, records[listing.profile.user_id]))
            for listing in listings
        ],
    )
