"""What every page answered by an emailed link shares: private responses, the one "link not usable" page, the
"already answered" page and the rate limit. GET shows a page and changes nothing (mail scanners open links);
only the POST answers. Each kind's blueprint (referee, supervisor, supervision sessions) adds its form."""

from __future__ import annotations

from flask import current_app, make_response, render_template


def rate_limit() -> str:
    """How many answers one network address may post: ``REFEREE_RATE_LIMIT``, for every kind of link."""
    return current_app.config["REFEREE_RATE_LIMIT"]


def private(body: str, status: int = 200):
    # The page is reached through a secret link: keep it out of caches and search engines.
    response = make_response(body, status)
    response.headers["Cache-Control"] = "no-store"
    response.headers["X-Robots-Tag"] = "noindex, nofollow"
    return response


def unusable():
    """The plain page for a link that is expired, used, replaced or unknown: it says nothing more."""
    return private(render_template("links/unusable.html"), 404)


def answered(heading: str, *, second_answer: bool, answered_at):
    """The page for a link already answered; a second answer changes nothing, and the page says so."""
    return private(
        render_template(
            "links/answered.html", heading=heading, second_answer=second_answer, answered_at=answered_at
        )
    )


def throttled():
    return private(render_template("errors/429.html"), 429)
