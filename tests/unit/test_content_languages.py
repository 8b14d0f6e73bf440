"""Content kept in data files (the credential catalogue, the programme defaults) in each language: read in the
current language, English where a language lacks a text, and English always for machine formats."""

from __future__ import annotations

import pytest
from flask_babel import force_locale

from portal.workflows.catalogue import load_catalogue
from portal.workflows.programmes.rules import DEFAULTS_PATH, load_defaults
from tests.factories.catalogue import CATALOGUE, edited_catalogue


def test_the_catalogue_gives_names_summaries_and_reasons_in_the_current_language(languages):
    catalogue = load_catalogue(CATALOGUE)
    cpm, cmm = catalogue["CPM"], catalogue["CMM"]
    assert (cpm.name, cpm.label) == ("Certified Professional Mentor", "Certified Professional Mentor (CPM)")
    with force_locale("fr"):
        assert (cpm.name, cmm.name) == ("Mentor professionnel certifié", "Maître mentor certifié")
        assert cpm.label == "Mentor professionnel certifié (CPM)"
        assert cmm.summary.startswith("Pour les mentors expérimentés")
        assert catalogue.retention.payments.reason.startswith("La législation fiscale et comptable")
        # Machine formats (the Open Badge, the API) keep the English, whoever asks.
        assert cpm.english_label == "Certified Professional Mentor (CPM)"
        assert cmm.english_summary.startswith("For experienced mentors")
    assert catalogue.retention.payments.reason.startswith("Tax and accounting law")


def test_a_text_missing_in_a_language_falls_back_to_english(languages, tmp_path):
    def without_cmm_french_summary(text: str) -> str:
        return text.replace(
            'summary = "Pour les mentors expérimentés qui détiennent la CPM depuis au moins un cycle complet."\n',
            "",
        )

    catalogue = load_catalogue(edited_catalogue(tmp_path, without_cmm_french_summary))
    with force_locale("fr"):
        assert catalogue["CMM"].name == "Maître mentor certifié"
        assert (
            catalogue["CMM"].summary
            == "For experienced mentors who have held the CPM for at least one full cycle."
        )


def test_the_programme_defaults_are_read_in_the_current_language(languages):
    defaults = load_defaults()
    assert defaults.checkpoints[0].title == "Get to know each other"
    assert defaults.scale[0] == "Strongly disagree"
    with force_locale("fr"):
        assert defaults.checkpoints[0].title == "Faire connaissance"
        assert defaults.checkpoints[-1].description.startswith("Faire le bilan")
        assert defaults.confidentiality.startswith("Le protégé et le mentor")
        assert defaults.scale == (
            "Pas du tout d'accord",
            "Pas d'accord",
            "Ni d'accord ni pas d'accord",
            "D'accord",
            "Tout à fait d'accord",
        )
        assert defaults.questions[-1].text == "Je recommanderais ce programme à un collègue."


def test_a_language_list_of_another_length_is_refused(tmp_path):
    source = DEFAULTS_PATH.read_text()
    broken = tmp_path / "programmes.toml"
    broken.write_text(source.replace('"Pas d\'accord", ', ""))
    with pytest.raises(ValueError, match="scale in fr has 4 entries, not 5"):
        load_defaults(broken)
