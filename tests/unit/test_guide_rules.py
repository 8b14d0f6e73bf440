"""The programme guide's defaults come from the seeds, and every section reads in a fixed order."""

from portal.workflows.programmes.guidance.rules import SECTIONS, default_texts, sections


def test_the_defaults_cover_every_section_but_the_programmes_own_confidentiality():
    texts = default_texts()
    assert set(texts) == set(SECTIONS) - {"confidentiality"}
    assert "signposts opportunities for learning" in texts["mentoring_is"]  # CMI's checklist
    assert "line manager" in texts["mentoring_is_not"]
    assert "career coach and a role model" in texts["mentor_responsibilities"]  # CMAA
    assert "\n" not in texts["mentee_responsibilities"]


def test_sections_keep_their_order_and_leave_out_empty_ones():
    shown = sections(
        {"confidentiality": "Stays between you.", "mentoring_is": "Listening.", "mentoring_is_not": ""}
    )
    assert [s.key for s in shown] == ["mentoring_is", "confidentiality"]
    assert shown[0].heading == "What mentoring is"
