"""Positioned words become lines, cells and blocks with roles, whoever placed them (a PDF's text layer or OCR)."""

from __future__ import annotations

from portal.documents.facts import is_field_label
from portal.documents.layout import (
    HEADING,
    LABEL_VALUE,
    PROSE,
    SIGNATURE,
    Word,
    blocks_from_words,
    blocks_text,
    lines_from_words,
)


def line_of(
    text: str, x: float, y: float, size: float = 10.0, page: int = 0, conf: float | None = None
) -> list[Word]:
    """Words of ``text`` from ``x`` on the baseline band at ``y``, about half an em a character, a space apart."""
    words, cursor = [], x
    for piece in text.split(" "):
        width = 0.5 * size * len(piece)
        words.append(Word(piece, cursor, y, cursor + width, y + size, page, conf))
        cursor += width + 0.3 * size
    return words


def pairs(blocks) -> dict[str, str]:
    return {block.label: block.value for block in blocks if block.role == LABEL_VALUE}


def test_label_and_value_side_by_side_pair_even_when_listed_labels_first():
    # An office-suite export lists every label, then every value: position alone pairs them.
    labels = [*line_of("LEARNER", 50, 100), *line_of("Hours", 50, 130)]
    values = [*line_of("Zoë O'Brien-Núñez", 200, 101), *line_of("35", 200, 129)]
    blocks = blocks_from_words(labels + values, is_label=is_field_label)
    assert pairs(blocks) == {"LEARNER": "Zoë O'Brien-Núñez", "Hours": "35"}


def test_a_value_directly_below_its_label_pairs_with_it():
    words = [*line_of("Participant", 50, 100), *line_of("Ana Silva", 52, 112)]
    assert pairs(blocks_from_words(words, is_label=is_field_label)) == {"Participant": "Ana Silva"}


def test_a_grid_of_two_pairs_on_one_line():
    words = [
        *line_of("Hours", 50, 100),
        *line_of("35", 150, 100),
        *line_of("Issued", 300, 100),
        *line_of("1 May 2024", 400, 100),
    ]
    assert pairs(blocks_from_words(words, is_label=is_field_label)) == {"Hours": "35", "Issued": "1 May 2024"}


def test_text_wrapped_inside_table_cells_rejoins_its_cell():
    words = [
        *line_of("Participant", 50, 100),
        *line_of("Amara Okonjo-", 200, 100),
        *line_of("Hale", 200, 113),
        *line_of("Programme", 50, 140),
        *line_of("Advanced Diploma in", 200, 140),
        *line_of("Coaching Supervision", 200, 153),
    ]
    assert pairs(blocks_from_words(words, is_label=is_field_label)) == {
        "Participant": "Amara Okonjo-Hale",
        "Programme": "Advanced Diploma in Coaching Supervision",
    }


def test_a_new_row_starting_with_a_label_is_not_taken_for_wrapped_text():
    words = [*line_of("Participant", 50, 100), *line_of("Ana Silva", 200, 100), *line_of("Hours", 50, 113)]
    blocks = blocks_from_words(words, is_label=is_field_label)
    assert pairs(blocks)["Participant"] == "Ana Silva"


def test_words_of_slightly_different_sizes_on_one_baseline_share_a_line():
    words = [*line_of("Participant", 50, 100, size=9), *line_of("Ana Silva", 200, 99, size=12)]
    assert [line.cell_texts for line in lines_from_words(words)] == [["Participant", "Ana Silva"]]


def test_lines_come_in_reading_order_page_by_page():
    words = [*line_of("second page", 50, 50, page=1), *line_of("lower", 50, 300), *line_of("upper", 50, 100)]
    assert [line.text for line in lines_from_words(words)] == ["upper", "lower", "second page"]


def test_roles_heading_prose_and_signature():
    words = [
        *line_of("NORTHGATE INSTITUTE", 100, 40, size=20),
        *line_of(
            "This letter confirms that the participant completed the programme between two dates in", 50, 100
        ),
        *line_of("the spring of that year.", 50, 112),
        *line_of("Ana Silva", 50, 200),
        *line_of("Course Tutor", 50, 212),
    ]
    blocks = blocks_from_words(words, is_label=is_field_label)
    roles = [(block.role, block.text) for block in blocks]
    assert roles[0] == (HEADING, "NORTHGATE INSTITUTE")
    # A wrapped paragraph is one block, so a sentence cut at the line break reads whole.
    assert roles[1][0] == PROSE and roles[1][1].endswith("in\nthe spring of that year.")
    assert roles[-1] == (SIGNATURE, "Course Tutor")
    assert "between two dates in the spring" in blocks_text(blocks)


def test_a_ligature_set_apart_joins_its_word():
    words = [Word("Certi", 50, 100, 75, 110), Word("ﬁ", 75, 100, 80, 110), Word("cate", 80, 100, 100, 110)]
    assert lines_from_words(words)[0].text == "Certiﬁcate"


def test_ocr_confidence_and_position_stay_with_the_block():
    blocks = blocks_from_words(
        line_of("Participant", 50, 100, conf=91) + line_of("Ana Silva", 200, 100, conf=64),
        is_label=is_field_label,
    )
    assert blocks[0].conf == 64 and blocks[0].bbox[0] == 50 and blocks[0].page == 0


def test_an_ocr_fact_keeps_the_region_of_the_page_image_it_came_from():
    from portal.documents.facts import find_facts

    words = line_of("Participant", 120, 400, size=30, conf=88) + line_of(
        "Ana Silva", 600, 400, size=30, conf=90
    )
    blocks = blocks_from_words(words, is_label=is_field_label)
    facts = find_facts(blocks_text(blocks), blocks)
    assert facts.participant_name == "Ana Silva"
    assert facts.regions["participant_name"]["page"] == 0
    x0, y0, x1, y1 = facts.regions["participant_name"]["box"]
    assert (x0, y0) == (120, 400) and x1 > 600 and y1 == 430


def test_hours_and_dates_shown_as_people_write_them():
    from datetime import date

    from portal.fact_display import format_fact, format_hours

    assert [format_hours(value) for value in ("5E+1", 50.0, "12.50", 7.25)] == ["50", "50", "12.5", "7.25"]
    assert format_fact("start_date", "2024-03-03") == "3 March 2024"
    assert format_fact("issue_date", date(2023, 7, 23)) == "23 July 2023"
    assert format_fact("hours", None) == "–"


def test_recognised_text_wrapped_in_a_cell_rejoins_though_its_word_boxes_differ_in_height():
    # A lower-case word's box is shorter than a capitalised one's; the wrapped line still continues the cell.
    words = [
        *line_of("Programme", 440, 631, size=32, conf=90),
        *line_of("Mentoring Across Difference and", 662, 631, size=32, conf=90),
        *line_of("Culture", 662, 675, size=19, conf=90),
    ]
    assert pairs(blocks_from_words(words, is_label=is_field_label)) == {
        "Programme": "Mentoring Across Difference and Culture"
    }


def test_two_names_run_together_by_recognition_are_split_but_prefixes_are_not():
    from portal.documents.facts import clean_name

    assert clean_name("AurélienDufresne") == "Aurélien Dufresne"
    assert clean_name("Ana McAllister") == "Ana McAllister"
    assert clean_name("MacDonald") is None


def test_a_row_whose_cells_are_centred_vertically_reads_as_one_row():
    # "Participant" / "name" in the label cell; the value sits half a line lower, centred beside them.
    words = [
        *line_of("Participant", 236, 700, size=50),
        *line_of("Siobhán Ní Bhriain", 657, 728, size=50),
        *line_of("name", 236, 756, size=50),
        *line_of("Coaching and Mentoring in Schools: Practice and", 657, 863, size=50),
        *line_of("Programme", 236, 891, size=50),
        *line_of("Reflection", 657, 919, size=50),
    ]
    assert pairs(blocks_from_words(words, is_label=is_field_label)) == {
        "Participant name": "Siobhán Ní Bhriain",
        "Programme": "Coaching and Mentoring in Schools: Practice and Reflection",
    }


def test_lines_of_one_paragraph_are_never_taken_for_offset_cells():
    words = [
        *line_of("First line of a paragraph that runs on", 50, 100),
        *line_of("and its second line", 50, 112),
    ]
    assert [line.text for line in lines_from_words(words)] == [
        "First line of a paragraph that runs on",
        "and its second line",
    ]
    blocks = blocks_from_words(words, is_label=is_field_label)
    assert "First line of a paragraph that runs on" in blocks_text(blocks)


def test_values_printed_over_rules_and_captions_pair_with_their_captions():
    # "Zoë O'Brien" / "__________" / "Participant": the caption names the value ABOVE it.
    words = [
        *line_of("Statement of Completion", 80, 40, size=20),
        *line_of("Zoë O'Brien-Núñez", 100, 100, size=14),
        *line_of("______________________", 90, 118),
        *line_of("Participant", 120, 132, size=8),
        *line_of("Peer Mentoring: Theory and Practice", 90, 170, size=14),
        *line_of("______________________", 90, 188),
        *line_of("Course undertaken", 120, 202, size=8),
    ]
    blocks = blocks_from_words(words, is_label=is_field_label)
    assert pairs(blocks) == {
        "Participant": "Zoë O'Brien-Núñez",
        "Course undertaken": "Peer Mentoring: Theory and Practice",
    }


def test_a_smaller_caption_close_under_its_value_pairs_without_a_rule():
    words = [
        *line_of("Ngozi Eze-Obiora", 100, 100, size=15),
        *line_of("LEARNER", 120, 117, size=8),
        *line_of("Advanced Diploma in Coaching and Mentoring", 60, 160, size=15),
        *line_of("Supervision", 110, 176, size=15),
        *line_of("COURSE FOLLOWED", 110, 193, size=8),
    ]
    blocks = blocks_from_words(words, is_label=is_field_label)
    assert pairs(blocks) == {
        "LEARNER": "Ngozi Eze-Obiora",
        "COURSE FOLLOWED": "Advanced Diploma in Coaching and Mentoring Supervision",
    }


def test_a_small_label_closer_to_the_value_below_stays_a_label_over_its_value():
    # LEARNER sits nearer the name below it than the title above: the label-over-value reading stands.
    words = [
        *line_of("Certificate", 50, 40, size=15),
        *line_of("LEARNER", 50, 80, size=8),
        *line_of("Ngozi Eze-Obiora", 50, 90, size=15),
    ]
    blocks = blocks_from_words(words, is_label=is_field_label)
    assert pairs(blocks) == {"LEARNER": "Ngozi Eze-Obiora"}


def test_captions_side_by_side_pair_with_the_values_above_each():
    words = [
        *line_of("Ms Anneliese Brückner", 60, 300, size=14),
        *line_of("2 March 2024", 400, 300, size=14),
        *line_of("__________________", 50, 318),
        *line_of("__________________", 390, 318),
        *line_of("Course tutor", 80, 332, size=8),
        *line_of("Date of award", 420, 332, size=8),
    ]
    blocks = blocks_from_words(words, is_label=is_field_label)
    assert pairs(blocks) == {"Course tutor": "Ms Anneliese Brückner", "Date of award": "2 March 2024"}


def test_parts_set_side_by_side_with_middle_dots_are_a_line_not_prose():
    from portal.documents.layout import LINE, role_of_text

    assert role_of_text("Cairnbrook Academy of Professional Practice · registered training provider") == LINE
    assert role_of_text("The course · which ran for ten weeks · was well attended by all.") != LINE


def test_a_row_of_captions_over_a_row_of_values_pairs_column_by_column():
    # Cards in a grid: small captions in capitals, each over its value.
    words = [
        *line_of("ATTENDEE", 50, 100, size=7),
        *line_of("COURSE TITLE", 250, 100, size=7),
        *line_of("CONTACT TIME", 450, 100, size=7),
        *line_of("Tomasz van Dijk", 50, 110, size=11),
        *line_of("Group Supervision Basics", 250, 110, size=11),
        *line_of("16 hours", 450, 110, size=11),
    ]
    assert pairs(blocks_from_words(words, is_label=is_field_label)) == {
        "ATTENDEE": "Tomasz van Dijk",
        "COURSE TITLE": "Group Supervision Basics",
        "CONTACT TIME": "16 hours",
    }


def test_captions_over_a_row_that_does_not_line_up_are_left_unpaired():
    words = [
        *line_of("ATTENDEE", 50, 100, size=7),
        *line_of("COURSE TITLE", 250, 100, size=7),
        *line_of("Tomasz van Dijk", 50, 110, size=11),  # one value only: the row is not a row of values
    ]
    assert "COURSE TITLE" not in {
        k for k, v in pairs(blocks_from_words(words, is_label=is_field_label)).items() if v
    }


def test_a_row_of_words_that_are_not_captions_is_not_paired():
    words = [
        *line_of("North Wing", 50, 100, size=7),
        *line_of("South Wing", 250, 100, size=7),
        *line_of("Ana Ruiz", 50, 110, size=11),
        *line_of("Bo Chen", 250, 110, size=11),
    ]
    assert pairs(blocks_from_words(words, is_label=is_field_label)) == {}


def test_a_table_header_over_several_rows_pairs_no_single_row():
    words = [
        *line_of("COURSE", 50, 100, size=7),
        *line_of("HOURS", 250, 100, size=7),
        *line_of("Ethics in Practice", 50, 110, size=10),
        *line_of("six", 250, 110, size=10),
        *line_of("Reflective Writing", 50, 123, size=10),
        *line_of("four", 250, 123, size=10),
    ]
    assert not any(pairs(blocks_from_words(words, is_label=is_field_label)).values())
