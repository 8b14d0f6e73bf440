"""Logging set-up: readable lines by default, one JSON object per line for log collectors."""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime

_FIELDS_TO_SKIP = set(logging.makeLogRecord({}).__dict__) | {"message", "asctime"}


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "process": record.process,
        }
        entry.update({key: value for key, value in record.__dict__.items() if key not in _FIELDS_TO_SKIP})
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, default=str)


def configure_logging(level: str, style: str = "text") -> None:
    """Configure the root logger once per process; later calls only adjust the level."""
    root = logging.getLogger()
    root.setLevel(level)
    # Alembic announces every plugin and migration at INFO: quiet unless debugging is asked for.
    logging.getLogger("alembic").setLevel(logging.DEBUG if str(level).upper() == "DEBUG" else logging.WARNING)
    if any(getattr(handler, "_portal", False) for handler in root.handlers):
        return
    handler = logging.StreamHandler()
    handler._portal = True
    handler.setFormatter(
        JsonFormatter()
        if style == "json"
        else logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s")
    )
    root.addHandler(handler)
