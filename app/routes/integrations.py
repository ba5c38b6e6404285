"""The read API for a municipality's own systems (case management, GIS, open data), and the
leader's page that makes and revokes their keys.

The API shows an organisation's processes as the public feedback pages do: the same counts
(small or derivable ones left out, as null), the same masking of personal data, confirmed plan
categories, approved quotes and the municipality's responses. It never shows a note."""

from datetime import date, datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Form, HTTPException, Request
from fastapi.responses import RedirectResponse
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from pydantic import BaseModel, ConfigDict, Field
from pydantic.config import JsonDict
from sqlmodel import select

from app.db import DbId, SessionDep
from app.deps import CsrfChecked, CurrentUser
from app.forms import FormText
from app.i18n import gettext_for, request_language
from app.messages import message_for
from app.models import Process
from app.services import api_keys as key_service
from app.services import dashboard as dashboard_service
from app.services import publishing as publishing_service
from app.templating import render
from facilitation.refusals import NotFound

router = APIRouter()
bearer = HTTPBearer(auto_error=False, description="An organisation API key, made on the leader's page /leader/api-keys")
SUPPRESSED = "null when the count is not shown (under 5, or one the other counts would give away), as on the public pages"


def api_organisation(
    request: Request, session: SessionDep, credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)]
) -> int:
    organisation_id = key_service.organisation_of_key(session, credentials.credentials) if credentials else None
    if organisation_id is None:
        raise HTTPException(401, detail=message_for("api_key_invalid", gettext_for(request)),
                            headers={"WWW-Authenticate": "Bearer"})
    return organisation_id


ApiOrganisation = Annotated[int, Depends(api_organisation)]


def _process_of(session, organisation_id: int, process_id: int) -> Process:
    process = session.get(Process, process_id)
    if process is None or process.organisation_id != organisation_id:
        raise NotFound
    return process


# --- what the API answers ------------------------------------------------------------------

PROCESS_EXAMPLE: JsonDict = {
    "id": 3, "name": "Landsbygdsdialog Norra byarna", "plan": "Fördjupad översiktsplan för landsbygden",
    "municipalities": ["Storsjö kommun"], "participation_level": "consultation", "published": True,
}


class ProcessOut(BaseModel):
    id: int
    name: str
    plan: str
    municipalities: list[str]
    participation_level: str = Field(description="information, consultation, participation or co_decision")
    published: bool = Field(description="whether its public feedback page is open")

    model_config = ConfigDict(json_schema_extra={"examples": [PROCESS_EXAMPLE]})


class CountsOut(BaseModel):
    label: str = Field(description="village or municipality")
    phones: int | None = Field(description=f"phones that took part; {SUPPRESSED}")
    notes: int | None = Field(description=f"notes written; {SUPPRESSED}")


class CafeOut(BaseModel):
    id: int
    village: str
    date: date
    phase: str = Field(description="draft, open, round, harvest or closed")
    phones: int | None = Field(description=SUPPRESSED)
    notes: int | None = Field(description=SUPPRESSED)


class ProcessDetailOut(ProcessOut):
    phones: int | None = Field(description=f"all cafés together; {SUPPRESSED}")
    notes: int | None = Field(description=f"all cafés together; {SUPPRESSED}")
    cafes: list[CafeOut]
    villages: list[CountsOut]
    by_municipality: list[CountsOut] | None = Field(description="a joint process of several municipalities only")

    model_config = ConfigDict(json_schema_extra={"examples": [{
        **PROCESS_EXAMPLE,
        "phones": 41, "notes": 212,
        "cafes": [{"id": 7, "village": "Hallen", "date": "2026-11-30", "phase": "closed", "phones": 23, "notes": 118},
                  {"id": 8, "village": "Åsarna", "date": "2026-12-02", "phase": "closed", "phones": 18, "notes": 94}],
        "villages": [{"label": "Hallen", "phones": 23, "notes": 118}, {"label": "Åsarna", "phones": 18, "notes": 94}],
        "by_municipality": None,
    }]})


class ThemeMunicipalityOut(BaseModel):
    municipality: str
    notes: int | None = Field(description=SUPPRESSED)


class ResponseOut(BaseModel):
    status: str = Field(description="received, looking_into, in_plan or not_in_plan")
    text: str
    at: datetime


class ThemeOut(BaseModel):
    label: str
    keywords: list[str] = Field(description="the words that mark the theme, as people wrote them")
    notes: int | None = Field(description=f"notes in the theme; {SUPPRESSED}")
    votes: int | None = Field(description=f"dots in the café's harvest vote (a café's themes only); {SUPPRESSED}")
    village: str | None = Field(description="the café's village, for a café's theme; null for a process theme")
    cafe_id: int | None
    plan_category: str | None = Field(description="the plan category a person confirmed")
    department: str | None = Field(description="not physical planning: the department it was passed on to")
    by_municipality: list[ThemeMunicipalityOut] = Field(description="a joint process of several municipalities only")
    quotes: list[str] = Field(description="quotes a leader approved for the public, personal data masked")
    response: ResponseOut | None = Field(description="the municipality's current response")

    model_config = ConfigDict(json_schema_extra={"examples": [{
        "label": "Kollektivtrafik på kvällen", "keywords": ["buss", "kvällen", "skolskjuts"], "notes": 27,
        "votes": None, "village": None, "cafe_id": None, "plan_category": "Kommunikationer", "department": None,
        "by_municipality": [], "quotes": ["Sista bussen går för tidigt för den som jobbar kväll."],
        "response": {"status": "in_plan", "text": "Tas upp i planens avsnitt om kollektivtrafik.",
                     "at": "2027-01-15T09:30:00Z"},
    }]})


@router.get("/api/v1/processes", response_model=list[ProcessOut], tags=["integrations"],
            summary="The organisation's dialogue processes")
def list_processes(session: SessionDep, organisation_id: ApiOrganisation):
    processes = session.exec(
        select(Process).where(Process.organisation_id == organisation_id).order_by(Process.created_at.desc())
    )
    return [_process_out(p) for p in processes]


@router.get("/api/v1/processes/{process_id}", response_model=ProcessDetailOut, tags=["integrations"],
            summary="A process with participation per café, village and municipality",
            responses={404: {"description": "no such process in the organisation"}})
def process_detail(session: SessionDep, organisation_id: ApiOrganisation, request: Request, process_id: int):
    process = _process_of(session, organisation_id, process_id)
    board = dashboard_service.dashboard(session, process, language=request_language(request))
    return {
        **_process_out(process),
        "phones": board.cafes.phones, "notes": board.cafes.notes,
        "cafes": [{"id": row.cafe.id, "village": row.label, "date": row.cafe.date, "phase": row.cafe.phase,
                   "phones": row.phones, "notes": row.notes} for row in board.cafes.rows],
        "villages": [_counts(row) for row in board.villages.rows],
        "by_municipality": [_counts(row) for row in board.by_municipality.rows] if board.by_municipality else None,
    }


@router.get("/api/v1/processes/{process_id}/themes", response_model=list[ThemeOut], tags=["integrations"],
            summary="The process's themes with keywords, plan category and the municipality's response",
            responses={404: {"description": "no such process in the organisation"}})
def process_themes(session: SessionDep, organisation_id: ApiOrganisation, request: Request, process_id: int):
    process = _process_of(session, organisation_id, process_id)
    board = dashboard_service.dashboard(session, process, language=request_language(request))
    return [
        {
            "label": t.label, "keywords": t.keywords, "notes": t.notes, "votes": t.votes, "village": t.village,
            "cafe_id": t.cafe_id, "plan_category": t.category, "department": t.department,
            "by_municipality": [{"municipality": m, "notes": n} for m, n in t.by_municipality],
            "quotes": t.quotes,
            "response": {"status": t.response.status, "text": t.response.text, "at": t.response.at} if t.response else None,
        }
        for t in board.themes
    ]


def _process_out(process: Process) -> dict:
    """What the organisation's own staff wrote about the process, as they wrote it."""
    return {
        "id": process.id, "name": process.name, "plan": process.plan,
        "municipalities": publishing_service.municipalities_of(process),
        "participation_level": process.participation_level, "published": process.published,
    }


def _counts(row) -> dict:
    return {"label": row.label, "phones": row.phones, "notes": row.notes}


# --- the leader's page for keys --------------------------------------------------------------

@router.get("/leader/api-keys", include_in_schema=False)
def keys_page(request: Request, session: SessionDep, user: CurrentUser):
    return render(request, "leader/api_keys.html", keys=key_service.keys_of(session, user))


@router.post("/leader/api-keys", include_in_schema=False, dependencies=[CsrfChecked])
def create_key(request: Request, session: SessionDep, user: CurrentUser, name: Annotated[FormText, Form(max_length=300)] = ""):
    try:
        key, secret = key_service.create_key(session, user=user, name=name)
    except key_service.ApiKeyError as error:
        return render(request, "leader/api_keys.html", status_code=422, keys=key_service.keys_of(session, user),
                      error=message_for(error.code, gettext_for(request)), system=name)
    # Shown on this answer only (never stored, and the page is not cached): no redirect.
    return render(request, "leader/api_keys.html", keys=key_service.keys_of(session, user), new_key=key, secret=secret)


@router.post("/leader/api-keys/{key_id}/revoke", include_in_schema=False, dependencies=[CsrfChecked])
def revoke_key(session: SessionDep, user: CurrentUser, key_id: DbId):
    key_service.revoke_key(session, user=user, key_id=key_id)
    return RedirectResponse("/leader/api-keys", status_code=303)
