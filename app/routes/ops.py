"""For the server room: a health check for the load balancer and metrics for Prometheus."""

import hmac
from functools import lru_cache

from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response
from prometheus_client import CONTENT_TYPE_LATEST
from starlette.concurrency import run_in_threadpool

from app.deps import AppSettings, Engine
from app.observability import metrics_text
from app.settings import ROOT

router = APIRouter(include_in_schema=False)


@lru_cache(maxsize=1)
def code_heads() -> frozenset[str]:
    """The migrations this code expects the database to have reached."""
    return frozenset(ScriptDirectory(str(ROOT / "alembic")).get_heads())


def database_state(engine) -> str:
    """"ok", "unreachable" or "behind" (migrations not run up to this code's head)."""
    try:
        with engine.connect() as connection:
            current = frozenset(MigrationContext.configure(connection).get_current_heads())
    except Exception:
        return "unreachable"
    return "ok" if current == code_heads() else "behind"


@router.get("/healthz")
async def healthz(engine: Engine):
    state = await run_in_threadpool(database_state, engine)
    return JSONResponse({"database": state}, status_code=200 if state == "ok" else 503,
                        headers={"Cache-Control": "no-store"})


@router.get("/metrics")
async def metrics(request: Request, engine: Engine, settings: AppSettings):
    token = settings.metrics_token
    if not token:
        return Response(status_code=404)  # no token set: metrics are off
    given = request.headers.get("authorization", "")
    if not hmac.compare_digest(given.encode(), f"Bearer {token}".encode()):
        return Response(status_code=401, headers={"WWW-Authenticate": "Bearer"})
    body = await run_in_threadpool(metrics_text, engine)
    return Response(body, media_type=CONTENT_TYPE_LATEST, headers={"Cache-Control": "no-store"})
