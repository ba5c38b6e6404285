"""When the leader ends a round, the phone shows one step: the table to go to next."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from app.models import Cafe
from app.services import cafes as cafe_service

pytestmark = pytest.mark.browser


def test_the_phone_shows_its_next_table_when_the_round_ends_and_forgets_it_once_there(site, phone):
    cafe = site.cafe(tables=2, phase="round")
    phone.goto(f"/t/{cafe.tables[0].join_token}")
    expect(phone.locator("#move")).to_be_empty()

    with site.session() as session:
        cafe_service.run_action(session, cafe=session.get(Cafe, cafe.cafe_id), action="end_round")

    heading = phone.locator("#move h2")
    expect(heading).to_be_visible()
    expect(heading.locator(".move-number")).to_have_text("2")  # the only other table
    expect(heading).to_have_text(re.compile(r"^\s*(Gå till bord|Go to table)\s+2\s*$"))

    phone.goto(f"/t/{cafe.tables[1].join_token}")  # scanned the code on table 2
    expect(phone.locator("#move")).to_be_empty()
