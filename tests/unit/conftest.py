"""Fixtures shared by the unit tests."""

from __future__ import annotations

import pytest
from flask import Flask

from portal import i18n


@pytest.fixture(scope="module")
def languages():
    """An app context that speaks the portal's languages, and nothing else (no database needed): for reading
    labels and catalogue texts under ``flask_babel.force_locale``."""
    app = Flask("portal")
    app.config.update(DEFAULT_LOCALE="en", DEFAULT_TIMEZONE="UTC")
    i18n.init_app(app)
    with app.app_context():
        yield app
