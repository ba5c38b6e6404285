"""The process's villages: where each café's village is and how many live there, imported from
a CSV file (each café's form takes them one by one)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, File, Request, UploadFile

from app.db import SessionDep
from app.deps import CsrfChecked, OwnedProcess
from app.i18n import gettext_for
from app.messages import message_for
from app.services import cafes as cafe_service
from app.services import villages as village_service
from app.templating import render
from facilitation.village_data import FileProblem, VillageFileError

router = APIRouter(prefix="/leader")

MAX_FILE_BYTES = 1_000_000


@router.get("/processes/{process_id}/villages")
def villages_page(request: Request, session: SessionDep, process: OwnedProcess):
    return _page(request, session, process)


@router.post("/processes/{process_id}/villages", dependencies=[CsrfChecked])
def import_villages(
    request: Request, session: SessionDep, process: OwnedProcess, file: Annotated[UploadFile | None, File()] = None,
):
    content = file.file.read(MAX_FILE_BYTES + 1) if file is not None else b""
    try:
        if not content:
            raise VillageFileError([FileProblem(0, "file_missing")])
        if len(content) > MAX_FILE_BYTES:
            raise VillageFileError([FileProblem(0, "file_too_big")])
        result = village_service.import_villages(session, process=process, content=content)
    except VillageFileError as error:
        session.rollback()
        return _page(request, session, process, problems=_describe(error.problems, gettext_for(request)), status_code=422)
    return _page(request, session, process, result=result)


def _describe(problems: list[FileProblem], gettext) -> list[str]:
    lines = []
    for problem in problems[:20]:
        text = message_for(problem.code, gettext)
        if problem.value:
            text += " " + gettext("(In the file: “%(value)s”.)") % {"value": problem.value[:60]}
        lines.append(gettext("Line %(line)s: %(problem)s") % {"line": problem.line, "problem": text} if problem.line else text)
    if len(problems) > 20:
        lines.append(gettext("… and %(num)s more.") % {"num": len(problems) - 20})
    return lines


def _page(request, session, process, *, problems=None, result=None, status_code=200):
    return render(
        request, "leader/villages.html", status_code=status_code, process=process,
        cafes=cafe_service.cafes_of(session, process), problems=problems or [], result=result,
    )
