"""Public pages: the start page, the accessibility statement, about the service."""

from fastapi import APIRouter, Request
from fastapi.responses import Response

from app.static_files import MINIFIED
from app.templating import render

router = APIRouter()


@router.get("/")
def home(request: Request):
    return render(request, "pages/home.html")


@router.get("/tillganglighet")
def accessibility_statement(request: Request):
    return render(request, "pages/accessibility.html")


@router.get("/om")
def about(request: Request):
    return render(request, "pages/about.html")


@router.get("/api/docs", include_in_schema=False)
def api_docs(request: Request):
    """The JSON API, browsable: Swagger UI over /openapi.json, from files served here."""
    return render(request, "pages/api_docs.html")


@router.get("/sw.js", include_in_schema=False)
def service_worker():
    """The worker that keeps a phone's and a host's page for a reload with no signal
    (static/js/sw.js). From the site's root, so that it may serve /t/ and /h/; asked again at
    every check, so a new release takes over at once."""
    media_type, text = MINIFIED["js/sw.js"]
    return Response(text, media_type=media_type, headers={"Cache-Control": "no-cache"})
