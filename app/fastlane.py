"""The fast lane for the busiest request of the evening: a phone posting a note.

At the end of a round hundreds of phones send at once. This small ASGI layer answers
POST /api/v1/tables/{token}/notes before the framework's routing, middleware and validation
(which cost more than the note itself), hands the note to the intake (app/intake.py) and
answers once it is committed. It answers exactly as the documented route in app/routes/api.py:
both call `answer_note` (app/note_post.py). Every other request passes through untouched.
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
from app.note_post import answer_note

NOTE_PATH = re.compile(r"^/api/v1/tables/([A-Za-z0-9_-]{1,100})/notes$")
HEADERS = [
    (b"content-type", b"application/json"),
    (b"cache-control", b"no-store"),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
]


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
        status, payload = await answer_note(
            self.state.intake, token=match.group(1), content_type=headers.get(b"content-type", b"").decode("latin-1"),
            receive=receive, device_key=self._device_key(cookies.get(self.session_cookie)), gettext=gettext,
        )
        body = json.dumps(payload).encode()
        await send({"type": "http.response.start", "status": status,
                    "headers": [*HEADERS, (b"content-length", str(len(body)).encode())]})
        await send({"type": "http.response.body", "body": body})
        return True

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

