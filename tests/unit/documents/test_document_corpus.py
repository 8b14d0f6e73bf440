"""The benchmark corpus: deterministic, split by a fixed rule, and read right by the product's own pipeline."""

from __future__ import annotations

import pytest

from bench.corpus import FAMILIES, MANUAL, READ, generate, held_out_variants
from bench.corpus.generator import (
    FRESH_FAMILIES,
    HELD_OUT_FAMILIES,
    TUNING_FAMILIES,
    UNSEEN2_FAMILIES,
    UNSEEN3_FAMILIES,
    UNSEEN_FAMILIES,
)
from bench.corpus.score import cross_check, score
from portal.documents.pipeline import extract
from tests.factories.tools import require_programs, slow_tests_enabled

# Made with python-docx and fpdf2 alone: quick, and possible on any machine.
QUICK_FAMILIES = ["docx_table", "docx_header_prose", "fpdf_classic", "fpdf_letter"]


def test_the_held_out_third_is_fixed_by_the_family_name_alone():
    split = [family for family in FAMILIES if family.name not in HELD_OUT_FAMILIES | TUNING_FAMILIES]
    for family in split:
        held = held_out_variants(family.name, 10)
        assert len(held) == 3 and held <= set(range(10))
        assert held == held_out_variants(family.name, 10)
    assert len({frozenset(held_out_variants(f.name, 10)) for f in split}) > 1
    assert len(split) >= 10
    for name in HELD_OUT_FAMILIES:
        assert held_out_variants(name, 10) == set(range(10))


def test_the_later_tuning_families_hold_nothing_out_and_use_other_names():
    from bench.corpus.content import (
        CENTRES,
        EMPLOYERS,
        OTHER_CENTRES,
        OTHER_EMPLOYERS,
        OTHER_PARTICIPANTS,
        PARTICIPANTS,
    )

    assert TUNING_FAMILIES and not TUNING_FAMILIES & HELD_OUT_FAMILIES
    for name in TUNING_FAMILIES:
        assert held_out_variants(name, 10) == set()
    assert not {c for c, _ in OTHER_CENTRES} & {c for c, _ in CENTRES}
    assert not set(OTHER_EMPLOYERS) & set(EMPLOYERS) and not set(OTHER_PARTICIPANTS) & set(PARTICIPANTS)


def test_the_families_measured_once_held_out_are_tuning_families_now():
    for spent in (FRESH_FAMILIES, UNSEEN_FAMILIES, UNSEEN2_FAMILIES):
        assert spent <= TUNING_FAMILIES and not spent & HELD_OUT_FAMILIES
    assert HELD_OUT_FAMILIES == {"docx_tabbed", "fpdf_captions", "html_memo"} | UNSEEN3_FAMILIES


def test_a_small_corpus_is_deterministic_and_carries_its_truth(tmp_path):
    first = generate(tmp_path / "a", variants=3, families=QUICK_FAMILIES)
    second = generate(tmp_path / "b", variants=3, families=QUICK_FAMILIES)
    assert [s.truth for s in first] == [s.truth for s in second]
    assert len(first) == 12 and {s.family for s in first} == set(QUICK_FAMILIES)
    assert sum(s.held_out for s in first) == 4
    for sample in first:
        assert sample.file.stat().st_size > 0 and sample.expected_status == READ
        if sample.kind == "certificate":
            assert sample.truth["training_centre"] and sample.truth["hours"] > 0
        else:
            assert "@" in sample.truth["mentee_email"] and sample.truth["signer"]
    again = generate(tmp_path / "a", variants=3, families=QUICK_FAMILIES)  # reused from the cache
    assert [s.path for s in again] == [s.path for s in first]


def test_the_quick_families_are_read_by_the_pipeline(tmp_path, reader_pool):
    samples = [s for s in generate(tmp_path, variants=3, families=QUICK_FAMILIES) if s.kind == "certificate"]
    outcomes = {s.id: extract(s.file, pool=reader_pool) for s in samples}
    scores = score(samples, outcomes)
    assert all(outcome.status == READ for outcome in outcomes.values())
    assert scores.overall["held-out"].total + scores.overall["tuning"].total == 8 * len(samples)
    for sample in samples:
        honest = cross_check(sample, outcomes[sample.id])
        assert honest and all(check.outcome != "contradicted" for check in honest), sample.id


@pytest.mark.skipif(
    not slow_tests_enabled(), reason="slow (LibreOffice, Chromium, OCR): PORTAL_SLOW_TESTS=1 runs it"
)
def test_one_document_of_every_family_is_made_and_ends_with_its_expected_status(tmp_path, reader_pool):
    require_programs("soffice", "chromium", "pdftoppm", "tesseract", purpose="the full corpus cannot be made")
    samples = generate(tmp_path, variants=1, families=[family.name for family in FAMILIES])
    assert {s.family for s in samples} == {family.name for family in FAMILIES}
    for sample in samples:
        outcome = extract(sample.file, pool=reader_pool)
        # One variant per family is its last one, so the scan and photo families give their unreadable ones.
        assert outcome.status == sample.expected_status, (sample.id, outcome.reason)
        if sample.expected_status == MANUAL:
            assert outcome.reason
