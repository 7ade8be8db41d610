"""Structured logs: one JSON object per line when `WMO_KAART_LOG_FORMAT=json` (for log collectors)."""

from __future__ import annotations

import datetime as dt
import json
import logging


class JsonFormatter(logging.Formatter):
    """Format a record as one line of JSON: time, level, logger, message (and the exception, if any)."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {"time": dt.datetime.fromtimestamp(record.created, dt.timezone.utc).isoformat(timespec="milliseconds"),
                 "level": record.levelname, "logger": record.name, "message": record.getMessage()}
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False)


def gunicorn_logconfig(json_lines: bool) -> dict | None:
    """Return gunicorn's `logconfig_dict` for JSON lines on stderr, or None for gunicorn's own format."""
    if not json_lines:
        return None
    handler = {"class": "logging.StreamHandler", "formatter": "json", "stream": "ext://sys.stderr"}
    return {"version": 1, "disable_existing_loggers": False,
            "formatters": {"json": {"()": "wmo_kaart.logs.JsonFormatter"}},
            "handlers": {"console": handler},
            "root": {"level": "INFO", "handlers": ["console"]},
            "loggers": {"gunicorn.error": {"level": "INFO", "handlers": ["console"], "propagate": False},
                        "gunicorn.access": {"level": "INFO", "handlers": ["console"], "propagate": False}}}
