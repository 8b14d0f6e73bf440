"""``documents`` commands: read files the way the worker does and print what was found."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from pathlib import Path

import click

from .limits import Limits
from .pipeline import extract
from .sandbox import ExtractionPool


@click.group("documents")
def documents() -> None:
    """Read uploaded documents outside the web app."""


def files_in(paths: Iterable[Path]) -> Iterator[Path]:
    """Each path given, with a folder standing for the files inside it (sorted, hidden ones left out)."""
    for path in paths:
        if path.is_dir():
            yield from sorted(
                item
                for item in path.rglob("*")
                if item.is_file() and not any(part.startswith(".") for part in item.relative_to(path).parts)
            )
        else:
            yield path


@documents.command("extract")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "--timeout", type=float, default=Limits.timeout_seconds, show_default=True, help="Seconds per file."
)
def extract_command(paths: tuple[Path, ...], timeout: float) -> None:
    """Print one JSON object per file: path, status (read or manual), reason and fields.

    PATHS are files or folders of files: PDF and Word certificates and letters, scans and photos (JPEG, PNG,
    HEIC), in any mix. A file that cannot be read is "manual" with the reason.
    """
    limits = Limits(timeout_seconds=timeout)
    with ExtractionPool() as pool:
        for path in files_in(paths):
            outcome = extract(path, limits, pool=pool)
            line = {
                "path": str(path),
                "status": outcome.status,
                "reason": outcome.reason,
                "fields": outcome.fields,
            }
            click.echo(json.dumps(line, ensure_ascii=False))
