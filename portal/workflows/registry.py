"""Where the running app keeps its loaded catalogue, so rules can reach it without importing Flask globals."""

from __future__ import annotations

from flask import current_app

from portal.workflows.catalogue import Catalogue


def catalogue() -> Catalogue:
    """The catalogue loaded by the current app."""
    return current_app.extensions["catalogue"]
