"""The unseen corpus families: registered, measured once held out whole and now tuning families, made with the expected count and statuses, and
their ground truth stated by the documents themselves."""

from __future__ import annotations

import email
import re
from email import policy

import pytest

from bench.corpus import generator, unseen
from bench.corpus.generator import (
    FAMILY_BY_NAME,
    HELD_OUT_FAMILIES,
    MANUAL,
    READ,
    TUNING_FAMILIES,
    UNSEEN_FAMILIES,
    generate,
    held_out_variants,
)
from bench.corpus.score import CERTIFICATE_FIELDS, LETTER_FIELDS
from tests.factories.tools import require_programs, slow_tests_enabled

PYTHON_ONLY = [unseen.CPD, unseen.MANAGER, unseen.FORWARDED]


def test_there_are_seven_unseen_families_registered_measured_once_and_now_tuning_only():
    assert len(UNSEEN_FAMILIES) == 7
    for name in UNSEEN_FAMILIES:
        assert name in FAMILY_BY_NAME
        assert name in TUNING_FAMILIES and name not in HELD_OUT_FAMILIES
        assert held_out_variants(name, 10) == set()
        assert re.search(rf"^{name} .*?\(unseen, then tuning only\)", generator.__doc__, re.S | re.M), name
    assert "measured once held out whole" in generator.__doc__ and "60.2%" in generator.__doc__


def _text(sample) -> str:
    path = sample.file
    if path.suffix == ".eml":
        message = email.message_from_bytes(path.read_bytes(), policy=policy.default)
        text = message.get_body(preferencelist=("plain",)).get_content()
        text = re.sub(r"^> ?", "", text, flags=re.M)
    elif path.suffix == ".docx":
        import docx

        document = docx.Document(str(path))
        text = "\n".join(paragraph.text for paragraph in document.paragraphs)
    else:
        from pypdf import PdfReader

        text = "\n".join(page.extract_text() for page in PdfReader(str(path)).pages)
    return re.sub(r"\s+", " ", text)


def test_the_python_only_unseen_families_state_their_truth(tmp_path):
    samples = generate(tmp_path, variants=10, families=PYTHON_ONLY)
    assert len(samples) == 30
    assert all(not sample.held_out and sample.expected_status == READ for sample in samples)
    for sample in samples:
        fields = CERTIFICATE_FIELDS if sample.kind == "certificate" else LETTER_FIELDS
        assert set(fields) <= set(sample.truth), sample.id
        text = _text(sample)
        for field in fields:
            value = sample.truth[field]
            if isinstance(value, str) and not re.fullmatch(r"\d{4}-\d\d-\d\d", value):
                assert value in text, (sample.id, field, value)
    again = generate(tmp_path / "again", variants=10, families=PYTHON_ONLY)
    assert [sample.truth for sample in again] == [sample.truth for sample in samples]


@pytest.mark.skipif(not slow_tests_enabled(), reason="LibreOffice and Chromium: set PORTAL_SLOW_TESTS=1")
def test_the_converted_unseen_families_their_photos_and_scans_are_made(tmp_path):
    require_programs("soffice", "chromium", "pdftoppm", purpose="the corpus cannot be made")
    families = [unseen.ASSOCIATION, unseen.ONLINE, unseen.PHOTO, unseen.SCAN]
    samples = generate(tmp_path, variants=3, families=families, skip_missing=False)
    assert [sample.family for sample in samples] == [name for name in families for _ in range(3)]
    assert all(not sample.held_out and sample.file.stat().st_size > 0 for sample in samples)
    statuses = [sample.expected_status for sample in samples]
    assert statuses == [READ] * 8 + [MANUAL] + [READ] * 3  # only the last photo is blurred past reading
    for family, suffix in ((unseen.PHOTO, ".jpg"), (unseen.SCAN, ".pdf")):
        taken = [sample for sample in samples if sample.family == family]
        assert {sample.source_family for sample in taken} <= set(unseen.PHOTOGRAPHED[family])
        assert all(sample.file.suffix == suffix for sample in taken)
