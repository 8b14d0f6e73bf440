"""The second unseen set of corpus families: registered, measured once held out whole and now tuning, made
with the expected count and statuses, new to the corpus, and their ground truth stated by the documents
themselves."""

from __future__ import annotations

import email
import html
import re
from datetime import date
from decimal import Decimal
from email import policy
from pathlib import Path

import pytest

from bench.corpus import generator, unseen2
from bench.corpus.generator import (
    FAMILY_BY_NAME,
    HELD_OUT_FAMILIES,
    MANUAL,
    READ,
    TUNING_FAMILIES,
    UNSEEN2_FAMILIES,
    UNSEEN_FAMILIES,
    generate,
    held_out_variants,
)
from bench.corpus.score import CERTIFICATE_FIELDS, LETTER_FIELDS
from tests.factories.tools import require_programs, slow_tests_enabled
from tests.unit.test_corpus_unseen_families import _text as unseen_text

PYTHON_ONLY = [unseen2.TRANSCRIPT, unseen2.MENTEE, unseen2.REPLY]
CORPUS = Path(generator.__file__).parent


def test_there_are_seven_second_unseen_families_registered_measured_once_and_now_tuning_only():
    assert len(UNSEEN2_FAMILIES) == 7
    assert not UNSEEN2_FAMILIES & UNSEEN_FAMILIES
    for name in UNSEEN2_FAMILIES:
        assert name in FAMILY_BY_NAME
        assert name in TUNING_FAMILIES and name not in HELD_OUT_FAMILIES
        assert held_out_variants(name, 10) == set()
        pattern = rf"^{name} .*?\(second unseen set, then tuning only\)"
        assert re.search(pattern, generator.__doc__, re.S | re.M), name
    assert "39.6%" in generator.__doc__


def test_their_names_organisations_and_programmes_are_new_to_the_corpus():
    earlier = "\n".join((CORPUS / name).read_text(encoding="utf-8") for name in ("content.py", "unseen.py"))
    names = [part for person in unseen2.PEOPLE for part in person if part]
    names += [part for person in unseen2.MENTEES for part in person]
    names += [part for signatory in unseen2.SIGNATORIES for part in signatory.split()]
    names += [centre[0] for centre in unseen2.BILINGUAL_CENTRES]
    names += [title for pairs in unseen2.BILINGUAL_PROGRAMMES.values() for pair in pairs for title in pair]
    names += [academy for academy, _ in unseen2.ACADEMIES] + unseen2.ACADEMY_COURSES
    names += [
        part for issuer in unseen2.TRANSCRIPT_ISSUERS for part in issuer
    ] + unseen2.TRANSCRIPT_PROGRAMMES
    names += [unseen2.BODY]
    for name in names:
        if len(name) > 3:
            assert name.casefold() not in earlier.casefold(), name


def _text(sample) -> str:
    """The text a reader gets: the first set's for DOCX and PDF; a one-part .eml's plain text or HTML."""
    if sample.file.suffix != ".eml":
        return unseen_text(sample)
    message = email.message_from_bytes(sample.file.read_bytes(), policy=policy.default)
    assert not message.is_multipart()  # plain text only or HTML only, never an alternative
    text = message.get_content()
    if message.get_content_subtype() == "html":
        text = html.unescape(re.sub(r"<[^>]+>", " ", text))
    return re.sub(r"\s+", " ", re.sub(r"^> ?", "", text, flags=re.M))


def _said(sample, text: str) -> None:
    """Every string fact is in the text, and so are the hours and the dates in the family's own styles."""
    fields = CERTIFICATE_FIELDS if sample.kind == "certificate" else LETTER_FIELDS
    assert set(fields) <= set(sample.truth), sample.id
    for name in fields:
        value = sample.truth[name]
        if isinstance(value, str) and not re.fullmatch(r"\d{4}-\d\d-\d\d", value):
            assert value in text, (sample.id, name, value)
    if "hours" in sample.truth:
        hours = Decimal(str(sample.truth["hours"]))
        number = f"{hours:f}".rstrip("0").rstrip(".") if "." in f"{hours:f}" else f"{hours:f}"
        assert re.search(rf"(?<![\d.]){re.escape(number)}(?![\d])", text), (sample.id, number)
    for name in ("start_date", "end_date"):
        day = date.fromisoformat(sample.truth[name])
        spoken = {unseen2.transcript_date(day, style) for style in ("slashed_ymd", "roman_month")} | {
            unseen2.letter_date(day, style) for style in ("ordinal_abbrev", "month_first")
        }
        spoken |= {unseen2.request_date(day, style) for style in ("weekday", "ordinal_month_first")}
        assert any(said in text for said in spoken), (sample.id, name, day)


def test_the_python_only_second_unseen_families_state_their_truth(tmp_path):
    samples = generate(tmp_path, variants=10, families=PYTHON_ONLY)
    assert len(samples) == 30
    assert all(not sample.held_out and sample.expected_status == READ for sample in samples)
    for sample in samples:
        _said(sample, _text(sample))
    transcripts = [sample for sample in samples if sample.family == unseen2.TRANSCRIPT]
    assert {sample.truth["start_date"] < sample.truth["end_date"] for sample in transcripts} == {True}
    replies = [sample for sample in samples if sample.family == unseen2.REPLY]
    kinds = {email.message_from_bytes(s.file.read_bytes()).get_content_type() for s in replies}
    assert kinds == {"text/plain", "text/html"}
    again = generate(tmp_path / "again", variants=10, families=PYTHON_ONLY)
    assert [sample.truth for sample in again] == [sample.truth for sample in samples]
    assert [s.file.read_bytes() for s in again if s.file.suffix == ".eml"] == [
        s.file.read_bytes() for s in samples if s.file.suffix == ".eml"
    ]


@pytest.mark.skipif(not slow_tests_enabled(), reason="LibreOffice and Chromium: set PORTAL_SLOW_TESTS=1")
def test_the_converted_second_unseen_families_their_scans_and_photos_are_made(tmp_path):
    require_programs("soffice", "chromium", "pdftoppm", purpose="the corpus cannot be made")
    families = [unseen2.BILINGUAL, unseen2.ACADEMY, unseen2.SCAN, unseen2.PHOTO]
    samples = generate(tmp_path, variants=3, families=families, skip_missing=False)
    assert [sample.family for sample in samples] == [name for name in families for _ in range(3)]
    assert all(not sample.held_out and sample.file.stat().st_size > 0 for sample in samples)
    statuses = [sample.expected_status for sample in samples]
    assert statuses == [READ] * 11 + [MANUAL]  # only the last photo is blurred past reading
    for sample in samples[:6]:
        text = _text(sample)
        for name in ("participant_name", "programme", "training_centre", "instructor"):
            assert sample.truth[name].casefold() in text.casefold(), (sample.id, name)  # the score folds case
    for family, suffix in ((unseen2.SCAN, ".pdf"), (unseen2.PHOTO, ".jpg")):
        taken = [sample for sample in samples if sample.family == family]
        assert {sample.source_family for sample in taken} <= set(unseen2.PHOTOGRAPHED[family])
        assert all(sample.file.suffix == suffix for sample in taken)
