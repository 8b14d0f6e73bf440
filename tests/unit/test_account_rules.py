"""Password rules on plain strings: guessable ones refused with advice, any length judged without error."""

import pytest

from portal.workflows.accounts.rules import MIN_PASSWORD_STRENGTH, password_strength


@pytest.mark.parametrize("password", ["password123", "qwertyuiop", "lovelace1815"])
def test_a_guessable_password_is_refused_with_advice(password):
    score, problem = password_strength(password, "ada.lovelace@example.com", "Ada Lovelace")
    assert score < MIN_PASSWORD_STRENGTH and problem


@pytest.mark.parametrize("length", [72, 73, 400, 5000])
def test_a_very_long_password_is_judged_not_refused_by_the_checker(length):
    score, problem = password_strength("9" * length)
    assert 0 <= score <= 4  # judged on its first characters: a wall of nines is still guessable
    assert problem


def test_an_unusual_passphrase_passes():
    assert password_strength("violet tram orbits a quiet harbour")[1] is None
