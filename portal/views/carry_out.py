"""How every view runs an operation: commit and say it is done, or roll back and show why it was refused."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from flask import flash

from portal.db import db
from portal.workflows.refusals import Refused

T = TypeVar("T")

# What carry_out returns when the operation was refused: an operation may itself return None.
FAILED: Any = object()


def carry_out(
    operation: Callable[[], T],
    *,
    done: str | None = None,
    form=None,
    field=None,
    flash_refusal: bool = False,
    into: list[str] | None = None,
) -> T:
    """Run ``operation`` (one call into ``portal.workflows``); commit and flash ``done``, or roll back.

    A refusal shows where the person will see it: problems about fields at those fields of ``form``; the
    rest at ``field`` if given, else at the top of ``form``, else (or with ``flash_refusal``) as a flash
    message. A page that lists the problems itself passes ``into``, a list the problems are added to.
    Returns the operation's result, or ``FAILED``.
    """
    try:
        result = operation()
    except Refused as refused:
        db.session.rollback()
        _show(refused, form, field, flash_refusal, into)
        return FAILED
    db.session.commit()
    if done is not None:
        flash(done, "success")
    return result


def carried(form, operation: Callable[[], Any], *, done: str) -> bool:
    """A form's POST in one step: valid, and ``operation`` carried out (then redirect); False to show the form
    again, with its own errors or the operation's at their fields."""
    return bool(form.validate_on_submit()) and carry_out(operation, done=done, form=form) is not FAILED


def _show(refused: Refused, form, field, flash_refusal: bool, into: list[str] | None) -> None:
    if into is not None:
        into.extend(refused.problems)
        return
    if form is not None and refused.fields:
        attach(form, refused.fields)
        return
    if field is not None:
        field.errors = [*field.errors, *refused.problems]
    elif form is not None and not flash_refusal:
        form.form_errors.extend(refused.problems)
    else:
        flash(" ".join(refused.problems), "error")


def attach(form, problems: dict[str, str]) -> None:
    """Show an operation's problems at their fields, like the form's own errors."""
    fields, tops = {}, {}

    def walk(container, top) -> None:
        for field in container:
            fields[field.name], tops[field.name] = field, top or field
            if field.type in ("FormField", "FieldList"):
                walk(field, top or field)

    walk(form, None)
    for name, message in problems.items():
        if name not in fields:
            form.form_errors.append(message)
            continue
        fields[name].errors = [*fields[name].errors, message]
        top = tops[name]
        if top is not fields[name]:
            # A list keeps its own summary of its entries' errors, which ``form.errors`` reads.
            top.errors = [*top.errors, {fields[name].short_name: [message]}]
