"""Small builders for test data, used by HTTP and browser tests."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from sqlmodel import Session, select

from app.models import CafeTable
from app.services import cafes as cafe_service
from app.services.accounts import create_user
from facilitation.process import RoundPlan

PASSWORD = "korrekt-häst-batteri"


def csrf_from(html: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)


def client_id_from(html: str) -> str:
    return re.search(r'name="client_id" value="([^"]+)"', html).group(1)


def make_leader(session: Session, *, email="leader@storsjo.se", organisation="Storsjö kommun"):
    return create_user(session, email=email, password=PASSWORD, organisation=organisation, name="Lea Ledare")


def log_in(client, email="leader@storsjo.se") -> str:
    """Log the test client in; returns the CSRF token for its forms."""
    page = client.get("/login")
    response = client.post(
        "/login", data={"email": email, "password": PASSWORD, "csrf_token": csrf_from(page.text)},
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text
    return csrf_from(client.get("/leader").text)


@dataclass
class CafeSetup:
    cafe_id: int
    process_id: int
    tables: list[CafeTable]


def make_cafe(session: Session, user, *, tables=3, rounds=("Vad är bra här?", "Vad behövs?"), phase="draft") -> CafeSetup:
    process = cafe_service.save_process(
        session, user=user, name="Landsbygdsdialog", municipalities="Storsjö kommun",
        plan="Fördjupad översiktsplan", participation_level="consultation", description="",
    )
    cafe = cafe_service.create_cafe(
        session, process=process, village="Hallen", venue="Bygdegården", on=date(2026, 11, 30),
        table_count=tables, rounds=[RoundPlan(q, 20) for q in rounds],
    )
    if phase in ("open", "round"):
        cafe_service.run_action(session, cafe=cafe, action="open")
    if phase == "round":
        cafe_service.run_action(session, cafe=cafe, action="start_round")
    table_rows = list(session.exec(select(CafeTable).where(CafeTable.cafe_id == cafe.id).order_by(CafeTable.number)))
    return CafeSetup(cafe_id=cafe.id, process_id=process.id, tables=table_rows)
