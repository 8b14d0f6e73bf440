"""Every label of every enumeration reads in French on a French page, and the stored values stay as they are."""

from __future__ import annotations

import inspect

import pytest
from flask_babel import force_locale

from portal import enums
from portal.enums import ApplicationState, Labelled, PaymentMethod

ENUMS = [
    member
    for _name, member in inspect.getmembers(enums, inspect.isclass)
    if issubclass(member, Labelled) and member is not Labelled
]


@pytest.mark.parametrize("enum", ENUMS, ids=lambda enum: enum.__name__)
def test_every_members_label_has_a_french_translation(languages, enum):
    for member in enum:
        english = member.label
        with force_locale("fr"):
            french = member.label
        # Labels that are spelled the same in both languages ("Mentor") would pass unnoticed otherwise.
        if english not in SAME_IN_FRENCH:
            assert french != english, f"{enum.__name__}.{member.name}: “{english}” has no French translation"
        assert french and "_" not in french


SAME_IN_FRENCH = {"Mentor"}


def test_a_label_is_read_in_the_language_of_the_moment_and_the_value_never_changes(languages):
    state = ApplicationState.INFORMATION_REQUESTED
    assert state.label == "Waiting for the applicant"
    with force_locale("fr"):
        assert state.label == "En attente du candidat"
        assert ApplicationState.IN_REVIEW.label == "En cours d'évaluation"  # a label made from the value
        assert state.value == "information_requested" and str(state) == "information_requested"
    assert ApplicationState.IN_REVIEW.label == "In review"


def test_choices_built_once_read_in_the_language_of_each_form(languages):
    choices = PaymentMethod.choices()  # as a form class declares them, at import
    assert [(value, str(label)) for value, label in choices] == [
        ("bank_transfer", "Bank transfer"),
        ("card", "Card"),
    ]
    with force_locale("fr"):
        assert [str(label) for _value, label in choices] == ["Virement bancaire", "Carte"]


def test_every_label_made_from_a_value_is_spelled_out_for_the_message_extractor():
    listed = {str(label) for label in enums.DEFAULT_LABELS}
    made = {
        member.value.replace("_", " ").capitalize()
        for enum in ENUMS
        for member in enum
        if member.value not in enum.__labels__
    }
    assert made <= listed, f"add to DEFAULT_LABELS: {sorted(made - listed)}"
