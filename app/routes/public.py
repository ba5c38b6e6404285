"""The public feedback dashboard: no login, published processes only, aggregates and approved
quotes only. "What became of what we said", per process, per village and per organisation."""

from typing import Literal

from fastapi import APIRouter, Request
from fastapi.responses import Response

from app.db import SessionDep
from app.i18n import gettext_for, request_language
from app.services import planning as planning_service
from app.services.cafes import NotFound
from app.templating import render
from facilitation.disclosure import THRESHOLD

try:
    from app.charts import bar_chart_svg
except ImportError:  # the charts module lands with the exports; until then the tables stand alone
    bar_chart_svg = None

router = APIRouter()


def _page(request: Request, template: str, **context):
    return render(request, template, threshold=THRESHOLD, charts=bar_chart_svg is not None, **context)


def _svg(labels: list[str], values: list[int], title: str) -> Response:
    if bar_chart_svg is None:
        raise NotFound
    return Response(bar_chart_svg(labels, values, title), media_type="image/svg+xml")


@router.get("/p/{process_id}")
def process_dashboard(request: Request, session: SessionDep, process_id: int):
    process = planning_service.published_process(session, process_id)
    board = planning_service.dashboard(session, process, language=request_language(request))
    return _page(request, "public/process.html", board=board)


@router.get("/p/{process_id}/participation.svg")
def process_chart(request: Request, session: SessionDep, process_id: int, by: Literal["villages", "municipalities"] = "villages"):
    process = planning_service.published_process(session, process_id)
    board = planning_service.dashboard(session, process, language=request_language(request))
    _ = gettext_for(request)
    if by == "municipalities":
        if board.by_municipality is None:
            raise NotFound
        return _svg(*board.by_municipality.chart(), _("Phones that took part, per municipality"))
    return _svg(*board.villages.chart(), _("Phones that took part, per village"))


@router.get("/p/{process_id}/by/{cafe_id}")
def village_page(request: Request, session: SessionDep, process_id: int, cafe_id: int):
    process = planning_service.published_process(session, process_id)
    cafe = planning_service.published_cafe(session, process, cafe_id)
    board = planning_service.dashboard(session, process, language=request_language(request), cafe=cafe)
    return _page(request, "public/village.html", board=board, cafe=cafe, village=board.villages.rows[0].label)


@router.get("/o/{organisation_id}")
def organisation_dashboard(request: Request, session: SessionDep, organisation_id: int):
    page = planning_service.organisation_page(session, organisation_id, language=request_language(request))
    return _page(request, "public/organisation.html", page=page, organisation_id=organisation_id)


@router.get("/o/{organisation_id}/participation.svg")
def organisation_chart(request: Request, session: SessionDep, organisation_id: int):
    page = planning_service.organisation_page(session, organisation_id, language=request_language(request))
    return _svg(*page.chart(), gettext_for(request)("Phones that took part, per dialogue process"))
