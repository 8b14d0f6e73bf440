"""The accuracy and OCR parts of the documents benchmark (``bench/bench_documents.py --accuracy --ocr``)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from bench.common import ROOT, Report
from bench.corpus import FAMILIES, MANUAL
from bench.corpus.score import (
    CERTIFICATE_FIELDS,
    LETTER_FIELDS,
    SEEN,
    UNSEEN,
    Tally,
    score,
    score_cross_check,
)
from portal.documents.limits import Limits
from portal.documents.pipeline import extract
from portal.documents.sandbox import ExtractionPool

SPLITS = ("held-out", "tuning")
_OCR_FAMILIES = ("scan_png", "photo_jpeg")


def _percent(tally: Tally | None) -> str:
    if tally is None or not tally.total:
        return "–"
    return f"{100 * tally.share:.1f}% ({tally.right}/{tally.total})"


def read_all(samples, workers: int = 2) -> tuple[dict, float]:
    """Every sample through ``pipeline.extract`` (the worker's path), ``workers`` at a time."""
    limits = Limits()
    started = time.perf_counter()
    with ExtractionPool(size=workers) as pool, ThreadPoolExecutor(max_workers=workers) as threads:
        outcomes = dict(
            zip(
                [s.id for s in samples],
                threads.map(lambda s: extract(s.file, limits, pool=pool), samples),
                strict=True,
            )
        )
    return outcomes, time.perf_counter() - started


def accuracy_part(report: Report, samples, *, show_misses: bool = False) -> None:
    outcomes, seconds = read_all(samples)
    scores = score(samples, outcomes)
    checks = score_cross_check(samples, outcomes)
    count = {split: sum(1 for s in samples if (s.held_out == (split == "held-out"))) for split in SPLITS}
    families = {s.family for s in samples}

    rows = []
    for kind, names in (("certificate", CERTIFICATE_FIELDS), ("letter", LETTER_FIELDS)):
        for name in names:
            rows.append(
                [f"{kind}: {name}", *(_percent(scores.by_field.get((split, kind, name))) for split in SPLITS)]
            )
    for kind in ("certificate", "letter"):
        rows.append(
            [f"all {kind} fields", *(_percent(scores.overall.get((split, kind))) for split in SPLITS)]
        )
    rows.append(["ALL FIELDS", *(_percent(scores.overall.get(split)) for split in SPLITS)])
    rows.append(["  held-out: new documents in tuned layouts", _percent(scores.overall.get(SEEN)), ""])
    rows.append(["  held-out: layouts held out whole", _percent(scores.overall.get(UNSEEN)), ""])
    rows.append(["status (read / manual) right", *(_percent(scores.status.get(split)) for split in SPLITS)])
    report.table(
        f"Fields read right, per field: {len(samples)} corpus documents ({count['held-out']} held out, "
        f"{count['tuning']} tuning), read through pipeline.extract in {seconds:.0f}s",
        ["field", "held-out", "tuning"],
        rows,
        [
            (
                "Right = equal to the ground truth after folding accents, case and spacing; only stated fields count. "
                "Documents expected manual are scored on their status only."
            )
        ],
    )

    family_rows = []
    for family in FAMILIES:
        if family.name not in families:
            continue
        family_rows.append(
            [
                family.name,
                family.kind or "either",
                family.tool,
                *(_percent(scores.by_family.get((split, family.name))) for split in SPLITS),
                *(_percent(scores.status.get((split, family.name))) for split in SPLITS),
            ]
        )
    report.table(
        "Fields read right, per layout family",
        ["family", "kind", "made with", "held-out", "tuning", "status held-out", "status tuning"],
        family_rows,
    )

    cross_rows = [
        [
            "honest declarations with nothing contradicted",
            *(_percent(checks.honest_clean.get(split)) for split in SPLITS),
        ]
    ]
    for kind in ("certificate", "letter"):
        cross_rows.append(
            [
                f"honest {kind} fields confirmed",
                *(_percent(checks.honest_confirmed.get((split, kind))) for split in SPLITS),
            ]
        )
    for kind, name in sorted({key[1:] for key in checks.falsified_caught if isinstance(key, tuple)}):
        cross_rows.append(
            [
                f"falsified {kind} {name} contradicted",
                *(_percent(checks.falsified_caught.get((split, kind, name))) for split in SPLITS),
            ]
        )
    cross_rows.append(
        ["ALL FALSIFIED CONTRADICTED", *(_percent(checks.falsified_caught.get(s)) for s in SPLITS)]
    )
    report.table(
        "Cross-check against honest and falsified declarations",
        ["what", "held-out", "tuning"],
        cross_rows,
        [
            (
                "Falsified: another training centre, more hours than the certificate shows (8 or a quarter more), the start date five "
                "weeks earlier (letters: start seven weeks earlier, end nine weeks later)."
            )
        ],
    )

    held = "held-out"
    overall = scores.overall.get(held)
    worst = min(
        ((scores.by_family[(held, f)].share or 0.0, f) for f in families if (held, f) in scores.by_family),
        default=(0.0, "none"),
    )
    report.target(
        "held-out fields read right >= 97%", _percent(overall), bool(overall and overall.share >= 0.97)
    )
    report.target(
        "no family below 90% on the held-out set",
        f"lowest {worst[1]} {100 * worst[0]:.1f}%",
        worst[0] >= 0.90,
    )
    status = scores.status.get(held)
    report.target(
        "every held-out status (read / manual) right",
        _percent(status),
        bool(status and status.right == status.total),
    )
    honest = checks.honest_confirmed.get((held, "certificate"))
    report.target(
        "honest held-out certificate fields confirmed >= 97%",
        _percent(honest),
        bool(honest and honest.share >= 0.97),
    )
    caught = checks.falsified_caught.get(held)
    report.target(
        "falsified held-out facts contradicted >= 97%",
        _percent(caught),
        bool(caught and caught.share >= 0.97),
    )

    if show_misses:
        print("\nTuning-set fields read wrong (id, field, found, truth):")
        for miss in scores.misses:
            print("  ", *miss, sep=" | ")
        print("Tuning-set statuses wrong:")
        for sample in samples:
            outcome = outcomes[sample.id]
            if not sample.held_out and outcome.status != sample.expected_status:
                print("  ", sample.id, outcome.status, outcome.reason)
        print("Tuning-set false alarms:", *checks.false_alarms, sep="\n   ")
        print("Tuning-set falsified facts missed:", *checks.missed, sep="\n   ")


# --- OCR against bare tesseract ----------------------------------------------------------------

_MEASURE = r"""
import json, resource, subprocess, sys, time, os
mode, files = sys.argv[1], sys.argv[2:]
started = time.perf_counter()
if mode == "bare":
    env = dict(os.environ, OMP_THREAD_LIMIT="1")
    for name in files:
        subprocess.run(["tesseract", name, "stdout"], capture_output=True, check=True, env=env)
else:
    from portal.documents.extraction import extract_in_this_process
    from portal.documents.limits import Limits
    for name in files:
        extract_in_this_process(name, Limits(timeout_seconds=120))
seconds = time.perf_counter() - started
print(json.dumps({"seconds": seconds,
                  "self_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                  "engine_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024}))
"""


def _measure(mode: str, files: list[Path]) -> dict:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    output = subprocess.run(
        [sys.executable, "-c", _MEASURE, mode, *map(str, files)],
        capture_output=True,
        check=True,
        text=True,
        env=env,
        cwd=ROOT,
    ).stdout
    return json.loads(output.strip().splitlines()[-1])


def ocr_part(report: Report, samples) -> None:
    images = [s.file for s in samples if s.family in _OCR_FAMILIES and s.expected_status != MANUAL]
    if not images or shutil.which("tesseract") is None:
        report.table("OCR", ["what", "value"], [["skipped", "no tesseract or no scans in the corpus"]])
        return
    bare = _measure("bare", images)
    ours = _measure("ours", images)
    limits = Limits()
    with ExtractionPool(size=1) as pool:
        extract(images[0], limits, pool=pool)  # the child started before timing
        started = time.perf_counter()
        for image in images:
            extract(image, limits, pool=pool)
        sandboxed = time.perf_counter() - started
    pages = len(images)
    memory = (ours["self_mb"] + ours["engine_mb"]) / bare["engine_mb"]
    rows = [
        [
            "bare tesseract CLI, one thread (baseline)",
            f"{pages / bare['seconds']:.2f}",
            "1.00",
            f"{bare['engine_mb']:.0f}",
            "1.00",
        ],
        [
            "extract() in process: decode, straighten, orientation, OCR, layout, facts",
            f"{pages / ours['seconds']:.2f}",
            f"{ours['seconds'] / bare['seconds']:.2f}",
            f"{ours['self_mb']:.0f} (Python) + {ours['engine_mb']:.0f} (engine)",
            f"{memory:.2f}",
        ],
        [
            "extract() through the sandbox pool (the worker's path)",
            f"{pages / sandboxed:.2f}",
            f"{sandboxed / bare['seconds']:.2f}",
            "as above, in the reader child",
            f"{memory:.2f}",
        ],
    ]
    report.table(
        f"OCR: {pages} scans and photos (PNG scans, JPEG photos), one at a time",
        ["pipeline", "pages/s", "x bare time", "peak RSS MB", "x bare memory"],
        rows,
        [
            (
                "Bare tesseract reads each image once at its own resolution (psm 3); the pipeline also "
                "evens the lighting, straightens, asks orientation detection when unsure, and finds facts."
            )
        ],
    )
