"""Chapters: programme coordinators set them up; chapter coordinators (not administrators) see their pairs'
health; a pair names the chapter it keeps informed."""

from __future__ import annotations

from flask import Blueprint, abort, redirect, render_template, request, url_for
from flask_babel import gettext as _

from portal import access
from portal import programme_access as load
from portal.db import db
from portal.forms.apply import choices
from portal.forms.chapters import ChapterForm, PairChapterForm
from portal.models.chapters import Chapter
from portal.views.carry_out import carried, carry_out
from portal.views.programmes import signed_in
from portal.workflows.programmes.chapters import operations as chapter_ops
from portal.workflows.programmes.chapters import queries as chapter_queries

bp = Blueprint("chapters", __name__, url_prefix="/programmes")
bp.before_request(signed_in)


def _chapter(chapter_id: int) -> Chapter:
    """A chapter the current person may see: its own coordinators and the programme coordinators; else 404."""
    chapter = db.session.get(Chapter, chapter_id)
    if chapter is None or not chapter_queries.may_see_chapter(access.me(), chapter):
        abort(404)
    return chapter


@bp.get("/chapters")
def mine():
    return render_template(
        "programmes/chapters.html", chapters=chapter_queries.chapters_coordinated_by(access.me())
    )


@bp.get("/chapters/<int:chapter_id>")
def chapter(chapter_id: int):
    chapter = _chapter(chapter_id)
    return render_template(
        "programmes/chapter.html",
        chapter=chapter,
        health=chapter_queries.chapter_health(chapter),
        reports=chapter_queries.reports_of(chapter),
    )


def _chapter_form_page(form, chapter):
    return render_template(
        "programmes/chapter_form.html", form=form, chapter=chapter, chapters=chapter_queries.chapters()
    ), (422 if form.errors else 200)


@bp.route("/coordinator/chapters", methods=["GET", "POST"])
@bp.route("/coordinator/chapters/<int:chapter_id>", methods=["GET", "POST"])
def edit_chapter(chapter_id: int | None = None):
    me = load.coordinator()
    chapter = _chapter(chapter_id) if chapter_id else None
    data = None
    if request.method == "GET" and chapter is not None:
        data = {
            "name": chapter.name,
            "region": chapter.region,
            "coordinators": "\n".join(c.user.email for c in chapter.coordinators),
        }
    form = ChapterForm(data=data)
    if carried(
        form,
        lambda: chapter_ops.save_chapter(me, form.name.data, form.region.data or "", form.emails(), chapter),
        done=_("The chapter has been saved."),
    ):
        return redirect(url_for("chapters.edit_chapter"))
    return _chapter_form_page(form, chapter)


@bp.post("/pairings/<int:pairing_id>/chapter")
def pair_chapter(pairing_id: int):
    pairing = load.own_pairing(pairing_id)
    form = PairChapterForm()
    form.chapter_id.choices = choices(
        [("", _("No chapter"))] + [(c.id, c.name) for c in chapter_queries.chapters()]
    )
    if form.validate_on_submit():
        chosen = db.session.get(Chapter, form.chapter_id.data) if form.chapter_id.data else None
        carry_out(
            lambda: chapter_ops.set_pair_chapter(pairing, access.me(), chosen),
            done=_("Your chapter has been saved: its coordinators will follow your progress."),
            flash_refusal=True,
        )
    return redirect(url_for("programmes.pairing", pairing_id=pairing.id))
