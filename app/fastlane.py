"""The fast lane for the busiest request of the evening: a phone posting a note.

At the end of a round hundreds of phones send at once. This small ASGI layer answers
POST /api/v1/tables/{token}/notes before the framework's routing, middleware and validation
(which cost more than the note itself), hands the note to the intake (app/intake.py) and
answers once it is committed. It answers exactly as the documented route in app/routes/api.py,
which shares `reply_for`; every other request passes through untouched.
"""

from __future__ import annotations

import json
import re
import time
from base64 import b64decode
from functools import lru_cache
from urllib.parse import parse_qs

from itsdangerous import BadSignature, TimestampSigner
from starlette.requests import cookie_parser

from app.i18n import pick_language, translations
from app.messages import invalid_fields_message, message_for
from app.services.note_batches import NoteRequest, Outcome
from app.services.notes import CONFLICTS

NOTE_PATH = re.compile(r"^/api/v1/tables/([A-Za-z0-9_-]{1,100})/notes$")
MAX_BODY_BYTES = 64 * 1024
STATUS = {"not_found": 404, "not_at_table": 403, "rate_limited": 429, "bad_content_type": 415}
HEADERS = [
    (b"content-type", b"application/json"),
    (b"cache-control", b"no-store"),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
]


def reply_for(outcome: Outcome, gettext) -> tuple[int, dict]:
    """The status and JSON body answering a phone's note: 201 stored, 200 stored before."""
    if outcome.error:
        status = STATUS.get(outcome.error, 409 if outcome.error in CONFLICTS else 422)
        return status, {"error": outcome.error, "message": message_for(outcome.error, gettext)}
    note = outcome.note
    return (201 if outcome.created else 200), {
        "id": note.id, "client_id": note.client_id, "text": note.public_text, "table": outcome.table_number,
        "round": outcome.round_number, "source": note.source, "created_at": note.created_at.isoformat(),
        "hidden": note.hidden_at is not None, "saved": True,
    }


class NoteFastLane:
    def __init__(self, *, state, secret_key: str, session_cookie: str, max_age: int):
        self.state = state
        self.signer = TimestampSigner(secret_key)
        self.session_cookie, self.max_age = session_cookie, max_age
        # A phone sends the same cookie with every note: check its signature once.
        self._verified = lru_cache(maxsize=4096)(self._verify)

    async def handle(self, scope, receive, send) -> bool:
        """Answer the request if it is a phone's note; False lets the app answer it."""
        match = NOTE_PATH.match(scope.get("path", "")) if scope["type"] == "http" else None
        if match is None or scope["method"] != "POST":
            return False
        headers = dict(scope["headers"])
        cookies = cookie_parser(headers.get(b"cookie", b"").decode("latin-1"))
        language = _language(scope.get("query_string", b""), cookies.get("lang"), headers.get(b"accept-language", b""))
        gettext = translations(language).gettext
        status, payload = await self._handle(match.group(1), headers, cookies, receive, gettext)
        body = json.dumps(payload).encode()
        await send({"type": "http.response.start", "status": status,
                    "headers": [*HEADERS, (b"content-length", str(len(body)).encode())]})
        await send({"type": "http.response.body", "body": body})
        return True

    async def _handle(self, token: str, headers: dict, cookies: dict, receive, gettext) -> tuple[int, dict]:
        if headers.get(b"content-type", b"").split(b";")[0].strip() != b"application/json":
            return reply_for(Outcome(error="bad_content_type"), gettext)
        raw = await _read_body(receive)
        try:
            body = json.loads(raw) if raw is not None else None
        except (ValueError, RecursionError):  # not JSON, or nested deeper than the parser goes
            body = None
        if not isinstance(body, dict):  # valid JSON but no object ([1, 2], "x", 123, null) has no fields
            body = {}
        fields = [name for name in ("client_id", "text") if not isinstance(body.get(name), str)]
        if fields or len(body["text"]) > 10 * 1000:
            fields = fields or ["text"]
            return 422, {"error": "invalid_fields", "message": invalid_fields_message(fields, gettext), "fields": fields}
        request = NoteRequest(token=token, client_id=body["client_id"][:200], text=body["text"],
                              device_key=self._device_key(cookies.get(self.session_cookie)))
        return reply_for(await self.state.intake.submit(request), gettext)

    def _device_key(self, cookie: str | None) -> str | None:
        """The phone's key from the signed session cookie, read as SessionMiddleware writes it."""
        if not cookie:
            return None
        device, signed_at = self._verified(cookie)
        return device if signed_at is not None and time.time() - signed_at <= self.max_age else None

    def _verify(self, cookie: str) -> tuple[str | None, float | None]:
        """(device key, when signed) from a cookie with a valid signature, else (None, None)."""
        try:
            value, signed_at = self.signer.unsign(cookie.encode(), return_timestamp=True)
            session = json.loads(b64decode(value))
        except (BadSignature, ValueError):
            return None, None
        return (session.get("device") if isinstance(session, dict) else None), signed_at.timestamp()


@lru_cache(maxsize=1024)  # few distinct combinations in a hall: the same phones ask again and again
def _language(query_string: bytes, cookie: str | None, accept_language: bytes) -> str:
    query = parse_qs(query_string.decode("latin-1")).get("lang", [None])[0]
    return pick_language(query, cookie, accept_language.decode("latin-1"))


async def _read_body(receive) -> bytes | None:
    """The request body, or None when it is larger than any note could be."""
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
