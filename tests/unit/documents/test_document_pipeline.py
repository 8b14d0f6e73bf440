import json
import multiprocessing
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

from portal.documents.extraction import MANUAL, READ
from portal.documents.limits import Limits
from portal.documents.pipeline import extract
from portal.documents.sandbox import TOO_LARGE, TOOK_TOO_LONG, ExtractionPool
from tests.factories.documents import (
    CERTIFICATE_LINES,
    convert_with_libreoffice,
    make_billion_laughs_docx,
    make_deeply_nested_pdf,
    make_docx,
    make_docx_named_pdf,
    make_docx_with_many_entries,
    make_empty_file,
    make_image_only_pdf,
    make_large_docx,
    make_many_pages_pdf,
    make_nested_dictionary_pdf,
    make_pdf,
    make_pdf_stream_bomb,
    make_random_bytes,
    make_truncated_pdf,
    make_zip_bomb_docx,
    unicode_font,
)

FIELDS = {
    "participant_name",
    "programme",
    "training_centre",
    "hours",
    "start_date",
    "end_date",
    "issue_date",
    "instructor",
}


@pytest.mark.skipif(unicode_font() is None, reason="no TrueType font with accents on this machine")
def test_a_pdf_certificate_is_read_with_its_facts(tmp_path, reader_pool):
    outcome = extract(make_pdf(tmp_path / "c.pdf", CERTIFICATE_LINES), pool=reader_pool)
    assert (outcome.status, outcome.reason, outcome.kind) == (READ, None, "pdf")
    assert outcome.fields == {
        "participant_name": "Zoë O'Brien-Ñúñez",
        "programme": "Advanced Mentoring Practice",
        "training_centre": "Northfield Mentoring Academy",
        "hours": 35,
        "start_date": "2024-03-01",
        "end_date": "2024-04-30",
        "issue_date": "2024-05-12",
        "instructor": "Ana Silva",
    }
    assert "Northfield" in outcome.text
    json.dumps(outcome.to_dict(include_text=True))


def test_a_docx_certificate_is_read_with_its_facts(tmp_path, reader_pool):
    path = make_docx(
        tmp_path / "c.docx",
        [
            "This is to certify that",
            "Jean Dupont",
            "has successfully completed",
            "Advanced Mentoring Practice",
        ],
        table=[["Training centre", "Northfield Mentoring Academy"], ["CPD hours", "35"]],
        header="Certificate of completion",
        footer="Date of issue: 12 May 2024",
        text_box="Trainer: Ana Silva",
        content_control="Dates: 1 March 2024 – 30 April 2024",
    )
    outcome = extract(path, pool=reader_pool)
    assert outcome.status == READ
    assert outcome.fields == {
        "participant_name": "Jean Dupont",
        "programme": "Advanced Mentoring Practice",
        "training_centre": "Northfield Mentoring Academy",
        "hours": 35,
        "start_date": "2024-03-01",
        "end_date": "2024-04-30",
        "issue_date": "2024-05-12",
        "instructor": "Ana Silva",
    }


def test_a_document_stating_no_fact_is_still_read(tmp_path, reader_pool):
    outcome = extract(make_pdf(tmp_path / "n.pdf", ["Lorem ipsum dolor sit amet."]), pool=reader_pool)
    assert outcome.status == READ
    assert set(outcome.fields) == FIELDS and set(outcome.fields.values()) == {None}


def test_an_ambiguous_date_is_carried_as_a_warning(tmp_path, reader_pool):
    outcome = extract(make_pdf(tmp_path / "a.pdf", ["Date of issue: 03/04/2024"]), pool=reader_pool)
    assert outcome.fields["issue_date"] is None
    assert outcome.to_dict()["warnings"] == ["03/04/2024 could be 3 April 2024 or 4 March 2024"]


def test_a_docx_renamed_pdf_is_read_as_a_docx(tmp_path, reader_pool):
    outcome = extract(make_docx_named_pdf(tmp_path / "renamed.pdf"), pool=reader_pool)
    assert (outcome.status, outcome.kind) == (READ, "docx")
    assert outcome.fields["participant_name"] == "Jean Dupont"


HOSTILE = {
    # Read by OCR where Tesseract is installed, else manual: "no text layer (scanned image?) and no OCR engine".
    "image_only": (lambda p: make_image_only_pdf(p / "scan.pdf"), None),
    "encrypted": (lambda p: make_pdf(p / "locked.pdf", ["Hours: 35"], user_password="secret"), "encrypted"),
    "truncated": (lambda p: make_truncated_pdf(p / "cut.pdf"), "damaged"),
    "empty": (lambda p: make_empty_file(p / "empty.pdf"), "empty"),
    "random_bytes": (lambda p: make_random_bytes(p / "noise.pdf"), "neither a PDF nor a Word"),
    "zip_bomb": (lambda p: make_zip_bomb_docx(p / "bomb.docx"), "too large when decompressed"),
    "pdf_stream_bomb": (lambda p: make_pdf_stream_bomb(p / "bomb.pdf"), "too large when decompressed"),
    "many_entries": (lambda p: make_docx_with_many_entries(p / "many.docx"), "too large when decompressed"),
    "billion_laughs": (lambda p: make_billion_laughs_docx(p / "laughs.docx"), None),
    "thousands_of_pages": (lambda p: make_many_pages_pdf(p / "pages.pdf", pages=5000), None),
    "nested_arrays": (lambda p: make_deeply_nested_pdf(p / "nested.pdf"), None),
    "nested_dictionaries": (lambda p: make_nested_dictionary_pdf(p / "nested-dict.pdf"), None),
    "missing": (lambda p: p / "not-there.pdf", "cannot be opened"),
}


@pytest.mark.parametrize("case", HOSTILE)
def test_hostile_files_end_read_or_manual_within_bounds(tmp_path, reader_pool, case):
    make, reason = HOSTILE[case]
    path = make(tmp_path)
    started = time.perf_counter()
    outcome = extract(path, Limits(timeout_seconds=10), pool=reader_pool)
    assert time.perf_counter() - started < 10
    assert outcome.status in (READ, MANUAL)
    if reason is not None:
        assert outcome.status == MANUAL and reason in outcome.reason
    if outcome.status == MANUAL:
        assert outcome.reason


def test_thousands_of_pages_are_capped(tmp_path, reader_pool):
    path = make_many_pages_pdf(tmp_path / "pages.pdf", pages=5000, text="Hours: 35")
    outcome = extract(path, Limits(max_pages=20), pool=reader_pool)
    assert outcome.status == READ and outcome.text.count("Hours: 35") == 20


def test_every_corpus_pdf_ends_read_or_manual(corpus_dir, reader_pool):
    index = {item["path"]: item for item in json.loads((corpus_dir / "files.json").read_text())["data"]}
    paths = sorted(corpus_dir.glob("*/*.pdf"))
    assert paths
    limits = Limits()
    for path in paths:
        started = time.perf_counter()
        outcome = extract(path, limits, pool=reader_pool)
        assert time.perf_counter() - started < limits.timeout_seconds + 2, path
        assert outcome.status in (READ, MANUAL), path
        assert outcome.status == READ or outcome.reason, path
        entry = index.get(str(path.relative_to(corpus_dir)))
        if entry and entry["encrypted"]:
            assert (outcome.status, outcome.reason) == (MANUAL, "encrypted"), path


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_a_libreoffice_pdf_of_a_word_certificate(tmp_path, reader_pool):
    source = make_docx(
        tmp_path / "c.docx", ["Participant: Jean Dupont", "Hours: 35", "Date of issue: 12 May 2024"]
    )
    converted = convert_with_libreoffice(source, "pdf", tmp_path)
    outcome = extract(converted, pool=reader_pool)
    assert outcome.status == READ
    assert outcome.fields["participant_name"] == "Jean Dupont" and outcome.fields["hours"] == 35


# --- the sandbox -------------------------------------------------------------------------------


@pytest.fixture
def certificate(tmp_path):
    return make_pdf(tmp_path / "c.pdf", ["Participant: Jean Dupont", "Hours: 35"])


def test_children_are_reused_across_files(certificate):
    with ExtractionPool(size=2) as pool:
        for _ in range(10):
            assert extract(certificate, pool=pool).status == READ
        assert pool.workers_started == 1


def test_a_child_is_retired_after_its_quota_of_files(certificate):
    with ExtractionPool(size=1, max_jobs_per_worker=3) as pool:
        for _ in range(7):
            assert extract(certificate, pool=pool).status == READ
        assert pool.workers_started == 3


def test_a_file_that_takes_too_long_is_stopped_and_the_child_replaced(tmp_path, certificate):
    slow = make_many_pages_pdf(tmp_path / "pages.pdf", pages=5000)
    with ExtractionPool(size=1) as pool:
        outcome = extract(slow, Limits(max_pages=100_000, timeout_seconds=0.3), pool=pool)
        assert (outcome.status, outcome.reason) == (MANUAL, TOOK_TOO_LONG)
        assert extract(certificate, pool=pool).status == READ
        assert pool.workers_started == 2


def test_the_cpu_limit_stops_a_busy_child(tmp_path):
    # Enough pages that reading them all needs well over the one CPU second allowed, on any machine.
    slow = make_many_pages_pdf(tmp_path / "pages.pdf", pages=40_000)
    with ExtractionPool(size=1) as pool:
        outcome = extract(slow, Limits(max_pages=100_000, cpu_seconds=1, timeout_seconds=30), pool=pool)
    assert (outcome.status, outcome.reason) == (MANUAL, TOOK_TOO_LONG)


def test_the_memory_limit_turns_a_blow_up_into_an_outcome(tmp_path, certificate):
    big = make_large_docx(tmp_path / "big.docx", megabytes=12)
    with ExtractionPool(size=1) as pool:
        outcome = extract(big, Limits(memory_mb=64), pool=pool)
        assert (outcome.status, outcome.reason) == (MANUAL, TOO_LARGE)
        assert extract(certificate, pool=pool).status == READ


def _reader_processes():
    return [child for child in multiprocessing.active_children() if child.name == "document-reader"]


def test_a_crashing_child_becomes_a_manual_outcome(tmp_path, certificate):
    slow = make_many_pages_pdf(tmp_path / "pages.pdf", pages=5000)
    with ExtractionPool(size=1) as pool:
        result = {}
        reader = threading.Thread(
            target=lambda: result.update(outcome=extract(slow, Limits(max_pages=100_000), pool=pool))
        )
        reader.start()
        deadline = time.monotonic() + 5
        while pool.live_workers == 0 and time.monotonic() < deadline:
            time.sleep(0.01)
        time.sleep(0.2)
        for child in _reader_processes():
            os.kill(child.pid, signal.SIGSEGV)
        reader.join(timeout=10)
        assert (result["outcome"].status, result["outcome"].reason) == (
            MANUAL,
            "the reader crashed (SIGSEGV)",
        )
        assert extract(certificate, pool=pool).status == READ


def test_a_child_killed_while_idle_is_replaced(certificate):
    with ExtractionPool(size=1) as pool:
        assert extract(certificate, pool=pool).status == READ
        for child in _reader_processes():
            os.kill(child.pid, signal.SIGKILL)
            child.join(timeout=5)
        assert extract(certificate, pool=pool).status == READ
        assert pool.workers_started == 2


def test_many_threads_share_a_small_pool(tmp_path):
    paths = [make_pdf(tmp_path / f"c{index}.pdf", [f"Hours: {index + 1}"]) for index in range(12)]
    with ExtractionPool(size=2) as pool, ThreadPoolExecutor(max_workers=6) as threads:
        outcomes = list(threads.map(lambda path: extract(path, pool=pool), paths))
        assert pool.workers_started <= 2
    assert [outcome.fields["hours"] for outcome in outcomes] == list(range(1, 13))


def test_a_closed_pool_refuses_work(certificate):
    pool = ExtractionPool(size=1)
    pool.close()
    with pytest.raises(RuntimeError):
        extract(certificate, pool=pool)


def test_fork_is_refused():
    with pytest.raises(ValueError):
        ExtractionPool(start_method="fork")


def test_the_reader_children_import_no_database_or_broker_client():
    # They run under a memory limit that counts every import; SQLAlchemy and redis alone take most of it.
    probe = (
        "import sys, portal.documents.extraction; "
        "print(sorted({'sqlalchemy', 'redis', 'dramatiq'} & set(sys.modules)))"
    )
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"
