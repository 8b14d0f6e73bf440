"""Throughput of the sandboxed document pipeline against bare pypdf / python-docx on the same files.

Run from the repository root: ``python bench/bench_documents.py [--count 240] [--workers 1]``.
"""
from __future__ import annotations

import argparse
import multiprocessing
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

from portal.documents.extraction import extract_in_this_process
from portal.documents.limits import Limits
from portal.documents.pipeline import extract
from portal.documents.sandbox import ExtractionPool
from tests.factories.documents import make_docx, make_pdf, unicode_font

FIRST = ["Zoë", "Jean-Luc", "Anna", "Sam", "Mary-Kate", "Ngozi", "Søren", "Aoife", "Rahul", "Inés"]
LAST = ["O'Brien-Ñúñez", "Dupont", "Kowalska", "Lee", "Okafor", "Kierkegaard", "Murphy", "Sharma", "García"]
PROGRAMMES = ["Advanced Mentoring Practice", "Foundations of Coaching", "Reflective Supervision", "Mentor Training Level 2"]
CENTRES = ["Northfield Mentoring Academy", "Riverside Training Centre", "Coaching Hub Ltd", "Warsaw Institute"]


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
            paths.append(make_docx(directory / f"cert{index:04}.docx", lines[:4], table=[[line] for line in lines[4:]]))
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
    parser.add_argument("--count", type=int, default=240, help="certificates to generate (half PDF, half DOCX)")
    parser.add_argument("--workers", type=int, default=1, help="reader processes (and caller threads)")
    parser.add_argument("--rounds", type=int, default=3, help="passes over the files; the best one counts")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as directory:
        started = time.perf_counter()
        paths = generate(Path(directory), args.count)
        print(f"generated {len(paths)} certificates in {time.perf_counter() - started:.1f}s")

        for path in paths[:4]:
            bare_text(path)  # imports and caches warmed before timing
        bare = min(_timed(lambda: [bare_text(path) for path in paths]) for _ in range(args.rounds))
        parent_after_bare = own_peak_rss_mb()

        limits = Limits()
        unsandboxed = min(_timed(lambda: [extract_in_this_process(path, limits) for path in paths]) for _ in range(args.rounds))
        with ExtractionPool(size=args.workers) as pool:
            cold = _timed(lambda: extract(paths[0], limits, pool=pool))
            with ThreadPoolExecutor(max_workers=args.workers) as threads:
                for _ in range(args.workers * 2):
                    threads.submit(extract, paths[0], limits, pool=pool).result()

                def run_all():
                    outcomes = list(threads.map(lambda path: extract(path, limits, pool=pool), paths))
                    assert all(outcome.status == "read" for outcome in outcomes), "a generated certificate was not read"
                    return outcomes

                ours = min(_timed(run_all) for _ in range(args.rounds))
            children = [peak_rss_mb(child.pid) for child in multiprocessing.active_children() if child.name == "document-reader"]
            started_workers = pool.workers_started

    count = len(paths)
    ratio = ours / bare
    rows = [
        ("bare pypdf / python-docx (in process)", count / bare, bare / count * 1000),
        ("same work as extract(), in process, no sandbox", count / unsandboxed, unsandboxed / count * 1000),
        (f"extract() through the pool ({args.workers} worker)", count / ours, ours / count * 1000),
    ]
    print()
    print(f"{'pipeline':<48} {'docs/s':>8} {'ms/doc':>8}")
    for name, rate, per_doc in rows:
        print(f"{name:<48} {rate:>8.1f} {per_doc:>8.2f}")
    verdict = "within" if ratio <= 1.5 else "OVER"
    print(f"{'overhead (extract / bare)':<48} {ratio:>7.2f}x  ({verdict} the 1.5x target)")
    print(f"{'  of which the sandbox (extract / in process)':<48} {ours / unsandboxed:>7.2f}x")
    print()
    child_peaks = ", ".join(f"{peak:.0f}" for peak in children if peak is not None) or "n/a"
    print(f"first file on a cold pool: {cold * 1000:.0f} ms (child start included); workers started: {started_workers}")
    print(f"peak RSS parent: {parent_after_bare:.0f} MB after bare run, {own_peak_rss_mb():.0f} MB overall")
    print(f"peak RSS per reader child (VmHWM): {child_peaks} MB; memory limit {limits.memory_mb} MB")


def _timed(work) -> float:
    started = time.perf_counter()
    work()
    return time.perf_counter() - started


if __name__ == "__main__":
    main()
