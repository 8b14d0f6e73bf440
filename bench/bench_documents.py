"""Documents: reading accuracy on the corpus, OCR speed against bare Tesseract, and pipeline throughput.

Run from the repository root: ``python bench/bench_documents.py [--accuracy] [--ocr] [--throughput]``
(no part named: all three). ``--accuracy`` reads every document of the corpus (``bench/corpus``: at least
120 certificates and letters in 16 layout families (three of them held out whole), made by python-docx, LibreOffice, Chromium and fpdf2,
plus scans and photos) through ``pipeline.extract`` — what the worker and ``flask documents extract`` call —
and reports the share of fields read right per field, per family and overall, on the held-out third and on
the tuning set separately; whether each status (read / manual) is right; and the cross-check: honest
declarations confirmed, falsified ones (another centre, other hours, a date moved) contradicted.
``--ocr`` times the scans and photos through the pipeline against bare ``tesseract`` on the same images in
the same run, with peak memory for each.

The throughput part measures the sandboxed pipeline against bare pypdf / python-docx on the same files
(``--count 240] [--workers 1]``).

Then the same certificates end to end: uploaded as training records' certificates the way the wizard does
(stored, typed, a row and its reading job written in the outbox, committed), sent to the embedded Redis and
read by a worker process started with the production command, until every one has its result.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import random
import resource
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import date, timedelta
from pathlib import Path

# Importable from a plain checkout, without installing the project.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.common import Report, percentile
from portal.documents.extraction import extract_in_this_process
from portal.documents.limits import Limits
from portal.documents.pipeline import extract
from portal.documents.sandbox import ExtractionPool
from tests.factories.documents import make_docx, make_pdf, unicode_font

FIRST = ["Zoë", "Jean-Luc", "Anna", "Sam", "Mary-Kate", "Ngozi", "Søren", "Aoife", "Rahul", "Inés"]
LAST = ["O'Brien-Ñúñez", "Dupont", "Kowalska", "Lee", "Okafor", "Kierkegaard", "Murphy", "Sharma", "García"]
PROGRAMMES = [
    "Advanced Mentoring Practice",
    "Foundations of Coaching",
    "Reflective Supervision",
    "Mentor Training Level 2",
]
CENTRES = [
    "Northfield Mentoring Academy",
    "Riverside Training Centre",
    "Coaching Hub Ltd",
    "Warsaw Institute",
]


def certificate_lines(rng: random.Random, accents: bool) -> list[str]:
    first, last = rng.choice(FIRST), rng.choice(LAST)
    name = f"{first} {last}" if accents else f"{first} {last}".encode("ascii", "ignore").decode()
    start = date(2024, 1, 1) + timedelta(days=rng.randint(0, 200))
    end = start + timedelta(days=rng.randint(1, 60))
    return [
        "CERTIFICATE OF COMPLETION",
        "This is to certify that",
        name,
        "has successfully completed",
        rng.choice(PROGRAMMES),
        f"delivered by {rng.choice(CENTRES)}",
        f"from {start:%d %B %Y} to {end:%d %B %Y}",
        f"a total of {rng.randint(20, 60)} contact hours",
        "Instructor: Ana Silva",
        f"Date of issue: {end + timedelta(days=7):%d %B %Y}",
    ]


def generate(directory: Path, count: int) -> list[Path]:
    rng = random.Random(2024)
    accents = unicode_font() is not None
    paths = []
    for index in range(count):
        lines = certificate_lines(rng, accents)
        if index % 2:
            paths.append(
                make_docx(directory / f"cert{index:04}.docx", lines[:4], table=[[line] for line in lines[4:]])
            )
        else:
            paths.append(make_pdf(directory / f"cert{index:04}.pdf", lines))
    return paths


def bare_text(path: Path) -> str:
    """What a caller with no limits, no sandbox and no fact finding would do."""
    if path.suffix == ".pdf":
        from pypdf import PdfReader

        return "\n".join(page.extract_text() for page in PdfReader(path).pages)
    import docx

    document = docx.Document(str(path))
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return "\n".join([paragraph.text for paragraph in document.paragraphs] + cells)


def peak_rss_mb(pid: int) -> float | None:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None


def own_peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument(
        "--count",
        type=int,
        default=int(os.environ.get("BENCH_DOCUMENTS", "240")),
        help="certificates to generate (half PDF, half DOCX)",
    )
    parser.add_argument("--workers", type=int, default=1, help="reader processes (and caller threads)")
    parser.add_argument("--rounds", type=int, default=3, help="passes over the files; the best one counts")
    parser.add_argument(
        "--database",
        choices=["auto", "postgresql", "sqlite"],
        default=os.environ.get("BENCH_DATABASE", "auto"),
        help="for the end-to-end run",
    )
    parser.add_argument("--json", help="write the report here as JSON")
    parser.add_argument("--accuracy", action="store_true", help="only (or also) the corpus accuracy part")
    parser.add_argument("--ocr", action="store_true", help="only (or also) OCR speed against bare tesseract")
    parser.add_argument("--throughput", action="store_true", help="only (or also) the throughput part")
    parser.add_argument(
        "--variants",
        type=int,
        default=int(os.environ.get("BENCH_CORPUS_VARIANTS", "10")),
        help="corpus documents per layout family",
    )
    parser.add_argument("--misses", action="store_true", help="list the tuning set's wrong fields")
    parser.add_argument(
        "--tuning-only",
        action="store_true",
        help="read only the tuning set (for working on the rules without reading a held-out document)",
    )
    args = parser.parse_args()
    everything = not (args.accuracy or args.ocr or args.throughput)
    report = Report("Documents")
    if everything or args.accuracy or args.ocr:
        from bench.document_accuracy import accuracy_part, ocr_part

        samples = corpus_samples(args.variants)
        if args.tuning_only:
            samples = [sample for sample in samples if not sample.held_out]
        if everything or args.accuracy:
            accuracy_part(report, samples, show_misses=args.misses)
        if everything or args.ocr:
            ocr_part(report, samples)
    if everything or args.throughput:
        throughput_part(report, args)
    report.save(args.json)


def corpus_samples(variants: int):
    from bench.corpus import generate, missing_tools

    for family, tools in missing_tools().items():
        print(f"corpus: {family} left out ({', '.join(tools)} not installed)")
    started = time.perf_counter()
    samples = generate(variants=variants)
    print(f"corpus: {len(samples)} documents ready in {time.perf_counter() - started:.1f}s")
    return samples


def throughput_part(report: Report, args) -> None:
    with tempfile.TemporaryDirectory() as directory:
        started = time.perf_counter()
        paths = generate(Path(directory), args.count)
        print(f"generated {len(paths)} certificates in {time.perf_counter() - started:.1f}s")

        for path in paths[:4]:
            bare_text(path)  # imports and caches warmed before timing
        bare = min(_timed(lambda: [bare_text(path) for path in paths]) for _ in range(args.rounds))
        parent_after_bare = own_peak_rss_mb()

        limits = Limits()
        unsandboxed = min(
            _timed(lambda: [extract_in_this_process(path, limits) for path in paths])
            for _ in range(args.rounds)
        )
        with ExtractionPool(size=args.workers) as pool:
            cold = _timed(lambda: extract(paths[0], limits, pool=pool))
            with ThreadPoolExecutor(max_workers=args.workers) as threads:
                for _ in range(args.workers * 2):
                    threads.submit(extract, paths[0], limits, pool=pool).result()

                def run_all():
                    outcomes = list(threads.map(lambda path: extract(path, limits, pool=pool), paths))
                    assert all(outcome.status == "read" for outcome in outcomes), (
                        "a generated certificate was not read"
                    )
                    return outcomes

                ours = min(_timed(run_all) for _ in range(args.rounds))
            children = [
                peak_rss_mb(child.pid)
                for child in multiprocessing.active_children()
                if child.name == "document-reader"
            ]
            started_workers = pool.workers_started
        end_to_end = upload_to_read(paths, args)

    count = len(paths)
    e2e_seconds, latencies, settled, database, uploaded = end_to_end
    report.table(
        f"Worker throughput: {count} certificates (half PDF, half DOCX), {args.workers} reader at a time, "
        f"best of {args.rounds} passes",
        ["pipeline", "docs/s", "ms/doc", "x bare"],
        [
            ["bare pypdf / python-docx, in process (baseline)", count / bare, bare / count * 1000, "1.00"],
            [
                "same work as extract(), in process, no sandbox",
                count / unsandboxed,
                unsandboxed / count * 1000,
                f"{unsandboxed / bare:.2f}",
            ],
            [
                f"extract() through the sandbox pool ({args.workers} reader)",
                count / ours,
                ours / count * 1000,
                f"{ours / bare:.2f}",
            ],
            [
                f'upload to "read": web code, outbox, Redis, worker process ({database}, one pass)',
                count / e2e_seconds,
                e2e_seconds / count * 1000,
                f"{e2e_seconds / bare:.2f}",
            ],
        ],
        [
            (
                f"End to end, each document from its upload to its result: p50 {percentile(latencies, 0.5):.2f}s, "
                f"p95 {percentile(latencies, 0.95):.2f}s; {settled} of {count} settled; the uploads themselves "
                f"took {uploaded:.1f}s. First file on a cold pool "
                f"{cold * 1000:.0f} ms (child start included); reader processes started {started_workers}."
            ),
            (
                f"Peak RSS: parent {parent_after_bare:.0f} MB after the bare run, {own_peak_rss_mb():.0f} MB "
                "overall; "
                f"per reader child (VmHWM) {', '.join(f'{p:.0f}' for p in children if p is not None) or 'n/a'} MB "
                f"(limit {limits.memory_mb} MB)."
            ),
        ],
    )
    report.target(
        "sandboxed extract <= 1.5x bare pypdf / python-docx", f"{ours / bare:.2f}x", ours / bare <= 1.5
    )
    report.target("every uploaded certificate read end to end", f"{settled} of {count}", settled == count)


def upload_to_read(paths: list[Path], args) -> tuple[float, list[float], int, str, float]:
    """Upload every certificate as a training record's, the way the wizard does, and wait until the worker has
    read them all. Returns the seconds from the first upload to the last result, each document's own time
    from upload to result, how many were settled, and the database used."""
    from bench.common import database_label, embedded_broker, scratch_database, work_folder, worker_process

    with (
        work_folder("documents") as folder,
        scratch_database("documents", folder, args.database) as url,
        embedded_broker(folder) as broker,
    ):
        env = dict(
            os.environ,
            DATABASE_URL=url,
            BROKER_URL=broker,
            INSTANCE_PATH=str(folder / "instance"),
            UPLOAD_DIR=str(folder / "uploads"),
            SECRET_KEY="bench",
            LOG_LEVEL="WARNING",
            HEARTBEAT_SECONDS="3600",
        )
        os.environ.update(env)
        from decimal import Decimal

        from flask_migrate import upgrade
        from sqlalchemy import func, select

        from portal import create_app
        from portal.db import db
        from portal.enums import DocumentStatus
        from portal.models.documents import Document
        from portal.workflows.accounts import operations as accounts
        from portal.workflows.applications.operations import save_training_record, start_application
        from portal.workflows.documents.rules import Upload

        app = create_app()
        with app.app_context():
            upgrade()
            applicant = accounts.register("bench.documents@example.org", "bench-password-1", "Zoë O'Brien")
            application = start_application(applicant, "CPM")
            db.session.commit()
            rng = random.Random(7)
            with worker_process(env, 1, args.workers, ["documents"]):
                started = time.perf_counter()
                for path in paths:
                    end = date(2024, 1, 1) + timedelta(days=rng.randint(30, 200))
                    values = {
                        "centre_name": rng.choice(CENTRES),
                        "centre_status": "accredited",
                        "programme_name": rng.choice(PROGRAMMES),
                        "hours": Decimal(rng.randint(20, 60)),
                        "mode": "online",
                        "start_date": end - timedelta(days=30),
                        "end_date": end,
                        "instructor_name": "Ana Silva",
                        "instructor_email": "ana@example.org",
                    }
                    with path.open("rb") as stream:
                        save_training_record(application, values, applicant, Upload(stream, path.name))
                    db.session.commit()  # as the wizard's request does: the reading job leaves after it
                uploaded = time.perf_counter() - started
                while time.perf_counter() - started < 600:
                    queued = db.session.scalar(
                        select(func.count())
                        .select_from(Document)
                        .where(Document.status == DocumentStatus.QUEUED)
                    )
                    db.session.rollback()
                    if not queued:
                        break
                    time.sleep(0.05)
                seconds = time.perf_counter() - started
            documents = db.session.scalars(select(Document)).all()
            latencies = sorted(
                (d.processed_at - d.created_at).total_seconds() for d in documents if d.processed_at
            )
            settled = sum(1 for d in documents if d.status != DocumentStatus.QUEUED)
            db.session.remove()
            db.engine.dispose()
        return seconds, latencies, settled, database_label(url), uploaded


def _timed(work) -> float:
    started = time.perf_counter()
    work()
    return time.perf_counter() - started


if __name__ == "__main__":
    main()
