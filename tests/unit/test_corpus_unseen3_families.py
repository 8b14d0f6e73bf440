"""The third unseen set of corpus families: registered, held out whole, made with the expected count and
statuses, new to the corpus, and their ground truth stated by the documents themselves."""

from __future__ import annotations

import email
import re
from datetime import date
from decimal import Decimal
from email import policy
from pathlib import Path

import pytest

from bench.corpus import generator, unseen3
from bench.corpus.generator import (
    FAMILY_BY_NAME,
    HELD_OUT_FAMILIES,
    MANUAL,
    READ,
    TUNING_FAMILIES,
    UNSEEN2_FAMILIES,
    UNSEEN3_FAMILIES,
    UNSEEN_FAMILIES,
    generate,
    held_out_variants,
)
from bench.corpus.score import CERTIFICATE_FIELDS, LETTER_FIELDS
from tests.factories.tools import require_programs, slow_tests_enabled

PYTHON_ONLY = [unseen3.CPD, unseen3.ESIGNED, unseen3.NOTICE]
CORPUS = Path(generator.__file__).parent
ALL_STYLES = [
    "day_of",
    "dots",
    "ordinal_compact",
    "abbrev_compact",
    "excel",
    "short_year",
    "padded_long",
    "weekday_us",
    "abbrev_dot_us",
    "slashed_short_us",
    "padded_abbrev_us",
    "weekday_abbrev_us",
]


def test_there_are_seven_third_unseen_families_all_registered_and_held_out_whole():
    assert len(UNSEEN3_FAMILIES) == 7
    assert not UNSEEN3_FAMILIES & (UNSEEN_FAMILIES | UNSEEN2_FAMILIES)
    for name in UNSEEN3_FAMILIES:
        assert name in FAMILY_BY_NAME
        assert name in HELD_OUT_FAMILIES and name not in TUNING_FAMILIES
        assert held_out_variants(name, 10) == set(range(10))
        pattern = rf"^{name} .*?\(third unseen set, held out whole\)"
        assert re.search(pattern, generator.__doc__, re.S | re.M), name


def test_their_names_organisations_programmes_and_wordings_are_new_to_the_corpus():
    earlier = "\n".join(
        (CORPUS / name).read_text(encoding="utf-8") for name in ("content.py", "unseen.py", "unseen2.py")
    )
    names = [part for _, person in unseen3.PEOPLE for part in person.split()]
    names += [part for person in unseen3.MENTEES for part in person.split()]
    names += [part for _, person in unseen3.STAFF for part in person.split()]
    names += [part for person in unseen3.CHAIRS + unseen3.REGISTRARS for part in person.split()]
    names += [guild[0] for guild in unseen3.GUILDS] + unseen3.GUILD_PROGRAMMES
    names += [university[0] for university in unseen3.UNIVERSITIES] + unseen3.SHORT_COURSES
    names += [body[0] for body in unseen3.BODIES] + unseen3.PROVIDERS + unseen3.CPD_PROGRAMMES
    names += [employer[0] for employer in unseen3.EMPLOYERS]
    names += [charity[0] for charity in unseen3.CHARITIES] + [charity[3] for charity in unseen3.CHARITIES]
    names += [part for platform in unseen3.PLATFORMS for part in (platform[0], platform[2], platform[3])]
    names += ["Notional learning hours", "hours' tuition", "Total verified CPD", "Electronically signed by"]
    names += ["approx.", "Relationship closed", "day of"]
    for name in names:
        if len(name) > 3:
            assert name.casefold() not in earlier.casefold(), name


def test_their_date_styles_are_new_to_the_corpus():
    day = date(2024, 3, 3)
    earlier = "\n".join(
        (CORPUS / name).read_text(encoding="utf-8") for name in ("content.py", "unseen.py", "unseen2.py")
    )
    examples = {style: unseen3.say(day, style) for style in ALL_STYLES}
    assert examples["excel"] == "3-Mar-24" and examples["dots"] == "3.3.2024"
    assert examples["slashed_short_us"] == "3/3/24" and examples["padded_abbrev_us"] == "Mar 03, 2024"
    assert len(set(examples.values())) == len(ALL_STYLES)
    # Each style's shape (digits turned into placeholders) appears in no docstring of the earlier modules.
    for style, said in examples.items():
        assert said not in earlier, style
    assert unseen3.clock(Decimal("12.75")) == "12:45"
    assert unseen3.say_range(date(2024, 3, 3), date(2024, 3, 7), "ordinal_compact") == "3rd–7th March 2024"
    assert unseen3.say_range(date(2022, 7, 18), date(2022, 9, 2), "abbrev_compact") == "Jul 18 – Sep 2, 2022"


def _text(sample) -> str:
    """What the document says: a PDF's text, a DOCX's body, header and footer parts, an .eml's plain part."""
    path = sample.file
    if path.suffix == ".eml":
        message = email.message_from_bytes(path.read_bytes(), policy=policy.default)
        text = message.get_body(preferencelist=("plain",)).get_content()
    elif path.suffix == ".docx":
        import docx

        document = docx.Document(str(path))
        section = document.sections[0]
        parts = [document, section.first_page_header, section.header, section.first_page_footer]
        text = "\n".join(p.text for part in parts for p in part.paragraphs)
        text += "\n".join(cell.text for table in section.first_page_footer.tables for cell in table._cells)
    else:
        from pypdf import PdfReader

        text = "\n".join(page.extract_text() for page in PdfReader(str(path)).pages)
    return re.sub(r"\s+", " ", text)


def _said(sample, text: str) -> None:
    """Every string fact is in the text, and so are the hours and both dates in one of the set's styles."""
    fields = CERTIFICATE_FIELDS if sample.kind == "certificate" else LETTER_FIELDS
    assert set(fields) <= set(sample.truth), sample.id
    for name in fields:
        value = sample.truth[name]
        if isinstance(value, str) and not re.fullmatch(r"\d{4}-\d\d-\d\d", value):
            assert value in text, (sample.id, name, value)
    if "hours" in sample.truth:
        assert unseen3.clock(Decimal(str(sample.truth["hours"]))) in text, sample.id
    for name in ("start_date", "end_date", "issue_date"):
        if name in sample.truth:
            day = date.fromisoformat(sample.truth[name])
            assert any(unseen3.say(day, style) in text for style in ALL_STYLES), (sample.id, name, day)


def test_the_python_only_third_unseen_families_state_their_truth(tmp_path):
    samples = generate(tmp_path, variants=10, families=PYTHON_ONLY)
    assert len(samples) == 30
    assert all(sample.held_out and sample.expected_status == READ for sample in samples)
    for sample in samples:
        _said(sample, _text(sample))
    letters = [sample for sample in samples if sample.family == unseen3.ESIGNED]
    for sample in letters:
        import docx

        document = docx.Document(str(sample.file))
        body = "\n".join(paragraph.text for paragraph in document.paragraphs)
        assert sample.truth["signer"] not in body  # the signer is named in the footer's stamp alone
    notices = [sample for sample in samples if sample.family == unseen3.NOTICE]
    for sample in notices:
        message = email.message_from_bytes(sample.file.read_bytes(), policy=policy.default)
        assert message.get_content_type() == "multipart/alternative"
    again = generate(tmp_path / "again", variants=10, families=PYTHON_ONLY)
    assert [sample.truth for sample in again] == [sample.truth for sample in samples]


@pytest.mark.skipif(not slow_tests_enabled(), reason="LibreOffice and Chromium: set PORTAL_SLOW_TESTS=1")
def test_the_converted_third_unseen_families_and_their_photos_are_made(tmp_path):
    require_programs("soffice", "chromium", "pdftoppm", purpose="the corpus cannot be made")
    families = [unseen3.IMPRESS, unseen3.ATTEND, unseen3.RTF, unseen3.PHOTO]
    samples = generate(tmp_path, variants=3, families=families, skip_missing=False)
    assert [sample.family for sample in samples] == [name for name in families for _ in range(3)]
    assert all(sample.held_out and sample.file.stat().st_size > 0 for sample in samples)
    statuses = [sample.expected_status for sample in samples]
    assert statuses == [READ] * 11 + [MANUAL]  # only the last photo is blurred past reading
    for sample in samples[:9]:
        text = _text(sample)
        for name in (
            "participant_name",
            "programme",
            "training_centre",
            "instructor",
            "mentor_name",
            "signer",
        ):
            if name in sample.truth:
                assert sample.truth[name].casefold() in text.casefold(), (sample.id, name)
    photos = [sample for sample in samples if sample.family == unseen3.PHOTO]
    assert {sample.source_family for sample in photos} <= set(unseen3.PHOTOGRAPHED[unseen3.PHOTO])
    assert all(sample.file.suffix == ".jpg" for sample in photos)
