"""Webhook endpoints for admins: register, change, disable, rotate the secret; the delivery log; redelivery."""

from __future__ import annotations

from flask import Blueprint, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import login_required

from portal import access
from portal.access import me
from portal.db import parse_id
from portal.forms.webhooks import EndpointForm
from portal.views.carry_out import FAILED, carry_out
from portal.workflows.webhooks import operations as webhook_ops
from portal.workflows.webhooks import queries as webhook_queries

bp = Blueprint("webhooks", __name__, url_prefix="/admin/webhooks")


@bp.before_request
@login_required
def _admins_only():
    access.require_admin()


def _data(form: EndpointForm) -> webhook_ops.EndpointData:
    return webhook_ops.EndpointData(
        url=form.url.data,
        description=form.description.data or "",
        event_types=list(form.event_types.data or []),
        is_enabled=form.is_enabled.data,
    )


@bp.get("/")
def index():
    return render_template("webhooks/index.html", endpoints=webhook_queries.endpoints())


@bp.route("/new", methods=["GET", "POST"])
def add():
    form = EndpointForm()
    if form.validate_on_submit():
        made = carry_out(lambda: webhook_ops.create_endpoint(_data(form), me()), form=form)
        if made is not FAILED:
            endpoint, secret = made
            return render_template("webhooks/secret.html", endpoint=endpoint, secret=secret, new=True)
    status = 422 if form.errors or form.form_errors else 200
    return render_template("webhooks/endpoint.html", form=form, endpoint=None), status


@bp.route("/<int:endpoint_id>", methods=["GET", "POST"])
def edit(endpoint_id: int):
    endpoint = access.admin_webhook_endpoint(endpoint_id)
    form = EndpointForm(obj=endpoint)
    if form.validate_on_submit():
        done = carry_out(
            lambda: webhook_ops.update_endpoint(endpoint, _data(form), me()),
            form=form,
            done=_("The endpoint has been saved."),
        )
        if done is not FAILED:
            return redirect(url_for("webhooks.index"))
    status = 422 if form.errors or form.form_errors else 200
    return render_template("webhooks/endpoint.html", form=form, endpoint=endpoint), status


@bp.post("/<int:endpoint_id>/enabled")
def set_enabled(endpoint_id: int):
    endpoint = access.admin_webhook_endpoint(endpoint_id)
    enabled = request.form.get("enabled") == "yes"
    carry_out(
        lambda: webhook_ops.set_enabled(endpoint, enabled, me()),
        done=_("%(url)s is enabled.", url=endpoint.url)
        if enabled
        else _("%(url)s is disabled.", url=endpoint.url),
    )
    return redirect(url_for("webhooks.index"))


@bp.post("/<int:endpoint_id>/secret")
def rotate_secret(endpoint_id: int):
    endpoint = access.admin_webhook_endpoint(endpoint_id)
    secret = carry_out(lambda: webhook_ops.rotate_secret(endpoint, me()))
    return render_template("webhooks/secret.html", endpoint=endpoint, secret=secret, new=False)


@bp.get("/deliveries")
def deliveries():
    endpoint_id = parse_id(request.args.get("endpoint_id"))
    endpoint = access.admin_webhook_endpoint(endpoint_id) if endpoint_id else None
    return render_template(
        "webhooks/deliveries.html",
        endpoint=endpoint,
        deliveries=webhook_queries.deliveries(endpoint.id if endpoint else None),
    )


@bp.post("/deliveries/<int:delivery_id>/redeliver")
def redeliver(delivery_id: int):
    delivery = access.admin_webhook_delivery(delivery_id)
    carry_out(
        lambda: webhook_ops.redeliver(delivery, me()),
        done=_("The event has been queued for %(url)s again.", url=delivery.endpoint.url),
        flash_refusal=True,
    )
    return redirect(url_for("webhooks.deliveries", endpoint_id=delivery.endpoint_id))
