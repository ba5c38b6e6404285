"""Public pages: the start page, the accessibility statement, about the service."""

from fastapi import APIRouter, Request

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
