"""Every benchmark, one after another, then one report: ``make bench``.

Each benchmark measures its own baseline in the same run and reports ratios to it, because the machines
these run on are shared and noisy. Sizes come from the environment (see the README's Benchmarks section):
BENCH_APPLICATIONS, BENCH_SECONDS, BENCH_ROUNDS, BENCH_CONCURRENCY, BENCH_DOCUMENTS, BENCH_CORPUS_VARIANTS
(documents per layout family in the accuracy corpus, default 10), BENCH_EMAILS,
BENCH_DATABASE (auto, postgresql or sqlite), BENCH_ONLY (a comma-separated subset of http,documents,email).
"""

from __future__ import annotations

import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import ROOT, postgres_reachable, render_section

BENCHMARKS = {"http": "bench_http.py", "documents": "bench_documents.py", "email": "bench_email.py"}


def main() -> int:
    chosen = [
        name.strip() for name in os.environ.get("BENCH_ONLY", ",".join(BENCHMARKS)).split(",") if name.strip()
    ]
    unknown = [name for name in chosen if name not in BENCHMARKS]
    if unknown:
        raise SystemExit(f"unknown benchmark(s) in BENCH_ONLY: {', '.join(unknown)}")
    started = time.monotonic()
    reports, failed = [], []
    with tempfile.TemporaryDirectory(prefix="portal-bench-") as folder:
        for name in chosen:
            out = Path(folder) / f"{name}.json"
            print(f"\n=== {name} " + "=" * 60, flush=True)
            code = subprocess.call(
                [sys.executable, str(ROOT / "bench" / BENCHMARKS[name]), "--json", str(out)], cwd=ROOT
            )
            if out.exists():
                reports.append(json.loads(out.read_text()))
            if code:
                failed.append(name)
    print("\n\n" + "#" * 72)
    print(
        f"## Benchmarks, {date.today():%d %B %Y}: {os.cpu_count()} cores, Python {platform.python_version()}, "
        f"{'PostgreSQL reachable' if postgres_reachable() else 'SQLite only'}; "
        f"{(time.monotonic() - started) / 60:.0f} minutes"
    )
    for report in reports:
        for section in report["sections"]:
            print(render_section(section))
    targets = [target for report in reports for target in report["targets"]]
    if targets:
        print(
            render_section(
                {
                    "heading": "Targets",
                    "columns": ["target", "measured", "verdict"],
                    "rows": [[t["what"], t["measured"], "met" if t["met"] else "missed"] for t in targets],
                    "notes": [],
                }
            )
        )
    if failed:
        print(f"\nFailed: {', '.join(failed)} (see the output above).")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
