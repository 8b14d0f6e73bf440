"""Fixtures the mentoring programme tests share: a mentor and a protégé with accounts."""

from __future__ import annotations

import pytest

from tests.helpers import make_user


@pytest.fixture
def mentor():
    return make_user("maya.mentor@example.com", name="Maya Mentor")


@pytest.fixture
def mentee():
    return make_user("pat.protege@example.com", name="Pat Protege")
