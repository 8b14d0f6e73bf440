"""``python -m bench.corpus [--variants N] [--seed S] [--cache DIR]``: make the corpus and list it."""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from .generator import DEFAULT_SEED, DEFAULT_VARIANTS, FAMILY_BY_NAME, generate, missing_tools


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--variants", type=int, default=DEFAULT_VARIANTS, help="documents per family")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument(
        "--cache", type=Path, default=None, help="folder for the files (default instance/corpus)"
    )
    parser.add_argument(
        "--family", action="append", choices=sorted(FAMILY_BY_NAME), help="only these families"
    )
    args = parser.parse_args()
    for family, tools in missing_tools().items():
        print(f"skipped {family}: {', '.join(tools)} not installed")
    started = time.perf_counter()
    samples = generate(args.cache, seed=args.seed, variants=args.variants, families=args.family)
    for sample in samples:
        split = "held-out" if sample.held_out else "tuning"
        print(f"{sample.id:24} {sample.kind:11} {split:8} {sample.expected_status:6} {sample.path}")
    print(f"{len(samples)} documents in {time.perf_counter() - started:.1f}s")


if __name__ == "__main__":
    main()
