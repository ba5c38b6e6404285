"""A phone's note, posted as JSON: read, checked, handed to the intake, answered.

Two doors lead here and both answer through `answer_note`, so they cannot drift apart: the fast
lane (app/fastlane.py), which answers POST /api/v1/tables/{token}/notes in the running app, and
the documented route in app/routes/api.py, which answers it when the fast lane is off.
"""

from __future__ import annotations

import json

from app.messages import invalid_fields_message, message_for, status_for
from app.services.note_batches import NoteRequest, Outcome
from facilitation.notes import NoteRejected

MAX_BODY_BYTES = 64 * 1024
MAX_FIELD_CHARS = 10 * 1000  # a text longer than this is no note: refused before the note rules run
MAX_CLIENT_ID_CHARS = 200


async def answer_note(
    intake, *, token: str, content_type: str, receive, device_key: str | None, gettext
) -> tuple[int, dict]:
    """The status and JSON body answering a phone's note, once it is committed (or refused)."""
    if content_type.split(";")[0].strip() != "application/json":
        return reply_for(Outcome(error="bad_content_type"), gettext)
    try:
        parsed = parse_note(await read_body(receive))
    except NoteRejected as refused:
        return reply_for(Outcome(error=refused.code), gettext)
    if isinstance(parsed, list):  # the fields that are missing or wrong
        return 422, {"error": "invalid_fields", "message": invalid_fields_message(parsed, gettext), "fields": parsed}
    client_id, text = parsed
    outcome = await intake.submit(NoteRequest(token=token, client_id=client_id, text=text, device_key=device_key))
    return reply_for(outcome, gettext)


def parse_note(raw: bytes | None) -> tuple[str, str] | list[str]:
    """(client_id, text) from a body read by `read_body`, or the names of the fields that are
    missing or wrong. An id longer than any phone makes is cut, as the form route does. A body
    or a text too large to be a note is refused as a note too long (NoteRejected("too_long")),
    as the note rules refuse a text just over their limit: the phone keeps its text."""
    if raw is None:
        raise NoteRejected("too_long")
    try:
        body = json.loads(raw)
    except (ValueError, RecursionError):  # not JSON, or nested deeper than the parser goes
        body = None
    if not isinstance(body, dict):  # no JSON, or JSON but no object ([1, 2], "x", 123, null)
        return ["body", "client_id", "text"]
    wrong = [name for name in ("client_id", "text") if not isinstance(body.get(name), str)]
    if wrong:
        return wrong
    if len(body["text"]) > MAX_FIELD_CHARS:
        raise NoteRejected("too_long")
    return body["client_id"][:MAX_CLIENT_ID_CHARS], body["text"]


def reply_for(outcome: Outcome, gettext) -> tuple[int, dict]:
    """201 stored, 200 stored before (the same client_id), else the refusal's status and words."""
    if outcome.error:
        return status_for(outcome.error), {"error": outcome.error, "message": message_for(outcome.error, gettext)}
    note = outcome.note
    return (201 if outcome.created else 200), {
        "id": note.id, "client_id": note.client_id, "text": note.public_text, "table": outcome.table_number,
        "round": outcome.round_number, "source": note.source, "created_at": note.created_at.isoformat(),
        "hidden": note.hidden_at is not None, "saved": True,
    }


async def read_body(receive) -> bytes | None:
    """The request body from the ASGI `receive`, or None when it is larger than any note could be."""
    chunks, size = [], 0
    while True:
        message = await receive()
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > MAX_BODY_BYTES:
            return None
        chunks.append(chunk)
        if not message.get("more_body"):
            return b"".join(chunks)
