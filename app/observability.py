"""What IT staff watch: one JSON log line per request, Prometheus metrics, and the health check.

The request log names the route template (`/t/{token}`), never the path, so no join token, IP
address or note text ends up in a log file.

With several worker processes (`bykafe serve --workers N`) the counters live in files under
PROMETHEUS_MULTIPROC_DIR, which `serve` sets, and a scrape of any process sums all of them.
"""

from __future__ import annotations

import json
import logging
import os
import time
from datetime import UTC, datetime

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.multiprocess import MultiProcessCollector
from sqlalchemy import func, select
from sqlalchemy.engine import Engine
from sqlmodel import Session

from app.fastlane import NOTE_PATH
from app.models import Note

log = logging.getLogger("bykafe.request")

REQUESTS = Counter("bykafe_http_requests", "HTTP requests answered", ["method", "route", "status"])
LATENCY = Histogram(
    "bykafe_http_request_duration_seconds", "Time to answer a request (event streams not counted)",
    ["method", "route"], buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
)
OPEN_STREAMS = Gauge("bykafe_open_event_streams", "Event streams open now", multiprocess_mode="livesum")
INTAKE_BATCH = Histogram(
    "bykafe_intake_batch_size", "Notes written per intake transaction", buckets=(1, 2, 4, 8, 16, 32, 64, 128, 256)
)


def route_template(scope) -> str:
    route = scope.get("route")
    if route is not None:
        return route.path
    if NOTE_PATH.match(scope.get("path", "")):  # answered by the fast lane, before routing
        return "/api/v1/tables/{token}/notes"
    return "unmatched"


async def observe(app, scope, receive, send) -> None:
    """Run one HTTP request through `app`, then count and log it."""
    started = time.perf_counter()
    status, is_stream = 500, False

    async def send_observed(message) -> None:
        nonlocal status, is_stream
        if message["type"] == "http.response.start":
            status = message["status"]
            content_type = dict(message.get("headers", ())).get(b"content-type", b"")
            if content_type.startswith(b"text/event-stream"):
                is_stream = True
                OPEN_STREAMS.inc()
        await send(message)

    try:
        await app(scope, receive, send_observed)
    finally:
        seconds = time.perf_counter() - started
        method, route = scope["method"], route_template(scope)
        REQUESTS.labels(method, route, str(status)).inc()
        if is_stream:
            OPEN_STREAMS.dec()
        else:
            LATENCY.labels(method, route).observe(seconds)
        log.info("request", extra={"method": method, "route": route, "status": status,
                                   "duration_ms": round(seconds * 1000, 1)})


class DatabaseCollector:
    """Figures read from the database at each scrape, so every process reports the same."""

    def __init__(self, engine: Engine):
        self.engine = engine

    def collect(self):
        with Session(self.engine) as session:
            stored = session.execute(select(func.count()).select_from(Note)).scalar_one()
            backlog = session.execute(select(func.count()).where(Note.embedding.is_(None))).scalar_one()
        yield GaugeMetricFamily("bykafe_notes_stored", "Notes in the database", value=stored)
        yield GaugeMetricFamily("bykafe_embedding_backlog", "Notes waiting for their theme vector", value=backlog)


def metrics_text(engine: Engine) -> bytes:
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        processes = CollectorRegistry()
        MultiProcessCollector(processes)
    else:
        from prometheus_client import REGISTRY as processes
    database = CollectorRegistry()
    database.register(DatabaseCollector(engine))
    return generate_latest(processes) + generate_latest(database)


class JsonLines(logging.Formatter):
    """A log record as one JSON object on one line."""

    FIELDS = ("method", "route", "status", "duration_ms")

    def format(self, record: logging.LogRecord) -> str:
        line = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
        }
        line.update({name: getattr(record, name) for name in self.FIELDS if hasattr(record, name)})
        if record.exc_info:
            line["error"] = self.formatException(record.exc_info)
        return json.dumps(line, ensure_ascii=False)


# Everything the server logs, its own lines and uvicorn's, as JSON lines on standard output.
LOG_CONFIG = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": JsonLines}},
    "handlers": {"stdout": {"class": "logging.StreamHandler", "formatter": "json", "stream": "ext://sys.stdout"}},
    "root": {"handlers": ["stdout"], "level": "INFO"},
    "loggers": {
        "uvicorn": {"handlers": [], "level": "INFO", "propagate": True},
        "uvicorn.error": {"handlers": [], "level": "INFO", "propagate": True},
        "uvicorn.access": {"handlers": [], "level": "WARNING", "propagate": False},
        # /healthz asks Alembic for the database's revision on every probe: two lines each time.
        "alembic.runtime.migration": {"handlers": [], "level": "WARNING", "propagate": True},
    },
}
