"""``documents`` commands: read files the way the worker does and print what was found."""

from __future__ import annotations

import json
from pathlib import Path

import click

from .limits import Limits
from .pipeline import extract
from .sandbox import ExtractionPool


@click.group("documents")
def documents() -> None:
    """Read uploaded documents outside the web app."""


@documents.command("extract")
@click.argument("paths", nargs=-1, required=True, type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--timeout", type=float, default=Limits.timeout_seconds, show_default=True, help="Seconds per file."
)
def extract_command(paths: tuple[Path, ...], timeout: float) -> None:
    """Print one JSON object per file: path, status (read or manual), reason and fields."""
    limits = Limits(timeout_seconds=timeout)
    with ExtractionPool() as pool:
        for path in paths:
            outcome = extract(path, limits, pool=pool)
            line = {
                "path": str(path),
                "status": outcome.status,
                "reason": outcome.reason,
                "fields": outcome.fields,
            }
            click.echo(json.dumps(line, ensure_ascii=False))
