"""Downloads of a café or a process (Excel, Word, samrådsredogörelse draft, samråd table, CSV, JSON,
archive), and the removal of a café's data under a retention decision."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from app.db import SessionDep
from app.deps import CsrfChecked, CurrentUser, OwnedCafe, OwnedProcess
from app.exporters import CSV_TABLES
from app.exporters import render as render_file
from app.forms import FormText
from app.models import Process
from app.services import cafes as cafe_service
from app.services import exports as export_service
from app.services.notes import notes_in_cafe
from app.templating import render
from facilitation.export_data import ExportData
from facilitation.exports import flagged_notes
from facilitation.refusals import NotFound
from facilitation.retention import DeletionRefused, village_matches

router = APIRouter(prefix="/leader")

SEPARATORS = {",": ",", ";": ";", "semicolon": ";", "comma": ","}
EXTENSIONS = {"xlsx": "xlsx", "docx": "docx", "redogorelse.docx": "redogorelse", "samrad.xlsx": "samrad", "csv": "csv",
              "json": "json", "zip": "archive"}


def _check(extension: str, table: str, sep: str) -> None:
    if extension not in EXTENSIONS or table not in CSV_TABLES or sep not in SEPARATORS:
        raise NotFound


def _download(data: ExportData, extension: str, table: str, sep: str) -> Response:
    content, media_type, filename = render_file(data, EXTENSIONS[extension], table=table, separator=SEPARATORS[sep])
    return Response(
        content, media_type=media_type,
        headers={"Content-Disposition": f'attachment; filename="{filename}"', "Cache-Control": "no-store"},
    )


@router.get("/processes/{process_id}/export.geojson")
def process_geojson(session: SessionDep, process: OwnedProcess, public: bool = False):
    """The cafés as points for the plan's GIS; ?public=1 suppresses counts as the public pages do."""
    content, filename = export_service.load_geojson(session, process=process, public=public)
    return Response(
        content, media_type="application/geo+json",
        headers={"Content-Disposition": f'attachment; filename="{filename}"', "Cache-Control": "no-store"},
    )


@router.get("/processes/{process_id}/export.{extension}")
def process_export(session: SessionDep, process: OwnedProcess, extension: str, table: str = "notes",
                   sep: str = ",", include_trial: bool = False):
    """?table=notes|themes|matrix|votes|samrad picks the CSV's table; ?sep=; suits Swedish Excel;
    ?include_trial=1 adds the trial cafés."""
    _check(extension, table, sep)
    data = export_service.load_export(session, process=process, archive=extension == "zip", include_trial=include_trial)
    return _download(data, extension, table, sep)


@router.get("/cafes/{cafe_id}/export.{extension}")
def cafe_export(session: SessionDep, cafe: OwnedCafe, extension: str, table: str = "notes", sep: str = ","):
    process = session.get(Process, cafe.process_id)
    _check(extension, table, sep)
    data = export_service.load_export(session, process=process, cafe=cafe, archive=extension == "zip")
    return _download(data, extension, table, sep)


@router.get("/processes/{process_id}/exports")
def export_page(request: Request, session: SessionDep, process: OwnedProcess, include_trial: bool = False):
    """The downloads, the notes whose personal data the files mask, and the retention log."""
    data = export_service.load_export(session, process=process, include_trial=include_trial)
    cafes = cafe_service.cafes_of(session, process)
    return render(
        request, "exports/process.html", process=process, cafes=cafes,
        trial_cafes=[c for c in cafes if c.trial], include_trial=include_trial,
        flagged=flagged_notes(data), villages={c.id: c.village for c in data.cafes},
        deletions=export_service.deletions_of(session, process),
    )


@router.get("/cafes/{cafe_id}/delete")
def delete_form(request: Request, session: SessionDep, cafe: OwnedCafe):
    return _delete_page(request, session, cafe)


def _delete_page(request, session, cafe, *, error: str = "", decision: str = "", status_code: int = 200):
    return render(
        request, "exports/delete.html", status_code=status_code, cafe=cafe,
        process=session.get(Process, cafe.process_id),
        note_count=len(notes_in_cafe(session, cafe)), error=error, decision=decision,
    )


@router.post("/cafes/{cafe_id}/delete", dependencies=[CsrfChecked])
def delete_cafe(
    request: Request, session: SessionDep, user: CurrentUser, cafe: OwnedCafe,
    decision: Annotated[FormText, Form(max_length=2000)] = "", village: Annotated[FormText, Form(max_length=500)] = "",
):
    process_id = cafe.process_id
    if not village_matches(village, cafe.village):
        return _delete_page(request, session, cafe, error="village_mismatch", decision=decision, status_code=422)
    try:
        export_service.delete_cafe_data(session, user=user, cafe=cafe, decision=decision)
    except DeletionRefused as refused:
        return _delete_page(request, session, cafe, error=refused.code, decision=decision, status_code=422)
    return RedirectResponse(f"/leader/processes/{process_id}/exports#deletions", status_code=303)
