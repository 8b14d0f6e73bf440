"""The close-out of a pairing at its final checkpoint, and the documents both partners download: the
agreement as PDF, and a completed pairing's summary as PDF and DOCX."""

from __future__ import annotations

from flask import Blueprint, Response, abort, redirect, render_template, request, url_for
from flask_babel import gettext as _

from portal import access
from portal import programme_access as load
from portal.enums import PairingState
from portal.forms.closeouts import closeout_form
from portal.reports import report_docx, report_pdf
from portal.views.carry_out import carried
from portal.views.programmes import signed_in
from portal.workflows.programmes.closeout import operations as closeout_ops
from portal.workflows.programmes.closeout import queries as closeout_queries

bp = Blueprint("closeouts", __name__, url_prefix="/programmes")
bp.before_request(signed_in)

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _attachment(body: bytes, mimetype: str, filename: str) -> Response:
    return Response(
        body, mimetype=mimetype, headers={"Content-Disposition": f'attachment; filename="{filename}"'}
    )


@bp.route("/pairings/<int:pairing_id>/close-out", methods=["GET", "POST"])
def closeout(pairing_id: int):
    pairing = load.own_pairing(pairing_id)
    existing = closeout_queries.closeout_of(pairing)
    form_class = closeout_form([goal.position for goal in pairing.goals])
    data = None
    if request.method == "GET" and existing is not None:
        data = {"next_steps": existing.next_steps, "readiness": existing.readiness.value}
        for position, outcome in (existing.goal_outcomes or {}).items():
            data[f"goal_{position}_progress"] = outcome.get("progress")
            data[f"goal_{position}_comment"] = outcome.get("comment")
    form = form_class(data=data)
    is_open = closeout_queries.closeout_open(pairing)
    if is_open and carried(
        form,
        lambda: closeout_ops.record_closeout(
            pairing, access.me(), form.outcomes(), form.next_steps.data or "", form.readiness.data
        ),
        done=_("The close-out has been recorded and the final checkpoint is done."),
    ):
        return redirect(url_for("programmes.pairing", pairing_id=pairing.id))
    return render_template(
        "programmes/closeout.html",
        pairing=pairing,
        form=form,
        is_open=is_open,
        closeout=existing,
        final=closeout_queries.final_checkpoint(pairing),
        readiness_label=closeout_queries.readiness_label,
        progress_label=closeout_queries.progress_label,
    ), (422 if form.errors else 200)


@bp.get("/pairings/<int:pairing_id>/agreement.pdf")
def agreement_pdf(pairing_id: int):
    pairing = load.own_pairing(pairing_id)
    return _attachment(
        report_pdf(closeout_queries.agreement_report(pairing)),
        "application/pdf",
        f"agreement-{pairing.id}.pdf",
    )


@bp.get("/pairings/<int:pairing_id>/summary.<any(pdf, docx):kind>")
def summary(pairing_id: int, kind: str):
    pairing = load.own_pairing(pairing_id)
    if pairing.state != PairingState.COMPLETED:
        abort(404)
    report = closeout_queries.summary_report(pairing)
    if kind == "pdf":
        return _attachment(report_pdf(report), "application/pdf", f"mentoring-summary-{pairing.id}.pdf")
    return _attachment(report_docx(report), DOCX, f"mentoring-summary-{pairing.id}.docx")
