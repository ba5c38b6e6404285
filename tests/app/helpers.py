"""Small helpers for the HTTP tests of the café trunk (on top of tests/builders.py)."""

from __future__ import annotations

import html
import re

import pytest
from argon2 import PasswordHasher
from fastapi.testclient import TestClient
from sqlmodel import Session, func, select

from app import security
from app.i18n import DEFAULT_LANGUAGE, translations
from app.messages import message_for
from app.models import Cafe, Note, Participant
from tests.builders import client_id_from, make_cafe, make_leader


def message(code: str, language: str = DEFAULT_LANGUAGE) -> str:
    """A refusal's text as a page in `language` shows it."""
    return message_for(code, translations(language).gettext)


def shows(response, text: str) -> bool:
    """Whether a page shows `text`, however Jinja escaped it."""
    return text in html.unescape(response.text)


def count(session: Session, model, *where) -> int:
    session.expire_all()
    return session.exec(select(func.count()).select_from(model).where(*where)).one()


def notes(session: Session, *where) -> list[Note]:
    session.expire_all()
    return list(session.exec(select(Note).where(*where).order_by(Note.id)))


def cafe_row(session: Session, cafe_id: int) -> Cafe:
    session.expire_all()
    return session.get(Cafe, cafe_id)


def participant_of(session: Session, cafe_id: int) -> list[Participant]:
    session.expire_all()
    return list(session.exec(select(Participant).where(Participant.cafe_id == cafe_id)))


def other_organisation_cafe(session: Session, *, phase="round"):
    """A leader of another municipality, with a café of their own."""
    other = make_leader(session, email="ledare@grannby.se", organisation="Grannby kommun")
    return make_cafe(session, other, phase=phase)


def phone(app) -> TestClient:
    """Another phone: a client with a cookie jar (and so a device) of its own."""
    return TestClient(app)


def join(client, token: str) -> str:
    """Sit the client's phone down at a table; returns a fresh client id from the page."""
    page = client.get(f"/t/{token}")
    assert page.status_code == 200, page.text
    return client_id_from(page.text)


def send_json(client, token: str, text: str, client_id: str, **kwargs):
    return client.post(f"/api/v1/tables/{token}/notes", json={"text": text, "client_id": client_id}, **kwargs)


def card_form(rows) -> dict:
    """The host's paper-card form: rows of (text, round, client id)."""
    return {
        "card_text": [text for text, _, _ in rows],
        "card_round": [str(number) for _, number, _ in rows],
        "card_id": [client_id for _, _, client_id in rows],
    }


def form_error(page_text: str) -> str | None:
    found = re.search(r'<p class="notice error"[^>]*>(.*?)</p>', page_text, re.S)
    return html.unescape(found.group(1)).strip() if found else None


@pytest.fixture
def fast_passwords(monkeypatch):
    """Cheap password hashes: argon2's real cost (on purpose) is half a second per login."""
    cheap = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    monkeypatch.setattr(security, "_hasher", cheap)
    monkeypatch.setattr(security, "_DUMMY_HASH", cheap.hash("not a real password"))


def export_args(*argv: str):
    """`bykafe export ARGV…` parsed by the command's own parser, defaults and all."""
    import argparse

    from app import cli_export

    parser = argparse.ArgumentParser()
    cli_export.register(parser.add_subparsers(dest="command"))
    return parser.parse_args(["export", *map(str, argv)])
