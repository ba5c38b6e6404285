"""The public feedback dashboard: no login, published processes only, aggregates and approved
quotes only. "What became of what we said", per process, per village and per organisation."""

import re

from fastapi import APIRouter, Request
from markupsafe import Markup

from app.charts import bar_chart_svg
from app.db import DbId, SessionDep
from app.i18n import gettext_for, request_language
from app.messages import N_
from app.services import dashboard as dashboard_service
from app.services import publishing as publishing_service
from app.templating import render
from facilitation.disclosure import THRESHOLD

router = APIRouter()

MAP_DESCRIPTION = N_(
    "Each circle is a village café; its area shows how many phones took part. A small dashed ring: "
    "too few to show. The table after the map gives the same figures."
)


def _chart(labels: list[str], values: list[int], title: str) -> Markup | None:
    """An inline SVG bar chart (it names itself and lists its values for screen readers), or
    None when every count was too small to show. Without a fixed width it fits a phone."""
    if not labels:
        return None
    svg = bar_chart_svg(labels, values, title)
    svg = re.sub(r'^(<svg[^>]*?)\s+width="[^"]*"\s+height="[^"]*"', r"\1", svg, count=1)
    return Markup(svg)  # noqa: S704 -- labels are escaped by matplotlib, the title by bar_chart_svg


@router.get("/p/{process_id}")
def process_dashboard(request: Request, session: SessionDep, process_id: DbId):
    process = publishing_service.published_process(session, process_id)
    board = dashboard_service.dashboard(session, process, language=request_language(request))
    _ = gettext_for(request)
    charts = {"villages": _chart(*board.villages.chart(), _("Phones that took part, per village"))}
    if board.by_municipality:
        charts["municipalities"] = _chart(*board.by_municipality.chart(), _("Phones that took part, per municipality"))
    village_map = dashboard_service.public_map(
        board.cafes.rows, [process], title=_("Map of the villages where cafés were held"), description=_(MAP_DESCRIPTION),
        municipality_rows=board.by_municipality.rows if board.by_municipality else None, total=board.cafes,
    )
    return render(request, "public/process.html", board=board, charts=charts, threshold=THRESHOLD,
                  village_map=village_map)


@router.get("/p/{process_id}/by/{cafe_id}")
def village_page(request: Request, session: SessionDep, process_id: DbId, cafe_id: DbId):
    process = publishing_service.published_process(session, process_id)
    cafe = publishing_service.published_cafe(session, process, cafe_id)
    board = dashboard_service.dashboard(session, process, language=request_language(request), cafe=cafe)
    row = board.cafes.rows[0]
    return render(
        request, "public/village.html", board=board, cafe=cafe, village=board.villages.rows[0].label,
        threshold=THRESHOLD, reach=dashboard_service.ReachRow(row.label, cafe.population, row.phones, row.notes),
    )


@router.get("/o/{organisation_id}")
def organisation_dashboard(request: Request, session: SessionDep, organisation_id: DbId):
    page = dashboard_service.organisation_page(session, organisation_id, language=request_language(request))
    _ = gettext_for(request)
    chart = _chart(*page.chart(), _("Phones that took part, per dialogue process"))
    village_map = dashboard_service.public_map(
        page.cafes, [p for p, *_counts in page.processes], title=_("Map of the villages where cafés were held"),
        description=_(MAP_DESCRIPTION),
    )
    return render(request, "public/organisation.html", page=page, chart=chart, threshold=THRESHOLD,
                  village_map=village_map)
