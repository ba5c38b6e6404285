"""Rotation in a running café: when a round ends each phone is told its next table."""

from __future__ import annotations

import html
import json
import re
from collections import Counter

import pytest
from sqlmodel import select

from app.models import Cafe, LiveEvent
from app.services import cafes as cafe_service
from app.services import rotation as rotation_service
from facilitation.notes import new_client_id
from tests.app.helpers import join, participant_of, phone, send_json
from tests.builders import make_cafe, make_leader

GO_TO = "Go to table %s"  # the English message id; pages here are asked for in English


@pytest.fixture
def leader(session):
    return make_leader(session)


def run(session, cafe_id, action):
    cafe_service.run_action(session, cafe=session.get(Cafe, cafe_id), action=action)


def rotations(session, cafe_id) -> list[dict]:
    session.expire_all()
    query = select(LiveEvent.data).where(LiveEvent.cafe_id == cafe_id, LiveEvent.kind == "rotation")
    return [json.loads(data) for data in session.exec(query.order_by(LiveEvent.id))]


def seat_phones(app, cafe, per_table: int) -> list:
    """Phones sat down at each table, each having written a note in the running round."""
    phones = []
    for table in cafe.tables:
        for n in range(per_table):
            client = phone(app)
            join(client, table.join_token)
            assert send_json(client, table.join_token, f"Inspel {n}", new_client_id()).status_code == 201
            phones.append(client)
    return phones


def seating(session, cafe) -> dict[str, int]:
    numbers = {t.id: t.number for t in cafe.tables}
    return {p.pseudonym: numbers[p.table_id] for p in participant_of(session, cafe.cafe_id)}


def test_ending_a_round_tells_every_phone_a_table_balanced_and_away_from_where_it_sat(app, session, leader):
    cafe = make_cafe(session, leader, tables=3, phase="round")
    seat_phones(app, cafe, per_table=2)
    before = seating(session, cafe)

    run(session, cafe.cafe_id, "end_round")

    [advice] = rotations(session, cafe.cafe_id)
    assert advice["round"] == 2
    assert set(advice["moves"]) == set(before)
    assert sorted(Counter(advice["moves"].values()).values()) == [2, 2, 2]
    assert all(advice["moves"][p] != before[p] for p in before), "with no hosts among the phones, everyone moves"


def test_the_phone_page_between_rounds_shows_its_own_next_table_until_it_sits_there(app, session, leader):
    cafe = make_cafe(session, leader, tables=3, phase="round")
    phones = seat_phones(app, cafe, per_table=2)
    run(session, cafe.cafe_id, "end_round")
    moves = rotations(session, cafe.cafe_id)[0]["moves"]
    first = phones[0]
    page = first.get(f"/t/{cafe.tables[0].join_token}?lang=en")
    pseudonym = _pseudonym_on(page.text)
    to = moves[pseudonym]
    assert GO_TO % to in move_shown(page)

    page = first.get(f"/t/{cafe.tables[to - 1].join_token}?lang=en")  # scanning that table's code moves it
    assert move_shown(page) == ""

    run(session, cafe.cafe_id, "start_round")
    page = first.get(f"/t/{cafe.tables[0].join_token}?lang=en")
    assert move_shown(page) == "", "once the next round runs, the advice is old news"


def test_no_advice_after_the_last_round_or_before_the_first(app, session, leader):
    cafe = make_cafe(session, leader, tables=2, rounds=("Vad är bra här?",), phase="open")
    client = phone(app)
    join(client, cafe.tables[0].join_token)
    assert move_shown(client.get(f"/t/{cafe.tables[0].join_token}?lang=en")) == ""

    run(session, cafe.cafe_id, "start_round")
    run(session, cafe.cafe_id, "end_round")

    assert rotations(session, cafe.cafe_id) == []
    assert move_shown(client.get(f"/t/{cafe.tables[0].join_token}?lang=en")) == ""


def test_the_seating_is_worked_out_from_where_phones_sit_and_where_their_notes_came_from(
    app, session, leader, monkeypatch
):
    """Round 3's advice counts who met in round 1 (from the tables of its notes) and who sits
    together now; hosts use the host link, so no phone is held at a table."""
    cafe = make_cafe(session, leader, tables=3, rounds=("Ett?", "Två?", "Tre?"), phase="round")
    phones = seat_phones(app, cafe, per_table=2)
    round_one = seating(session, cafe)
    run(session, cafe.cafe_id, "end_round")
    run(session, cafe.cafe_id, "start_round")
    for client, table in zip(phones, cafe.tables[1:] + cafe.tables[:1] + cafe.tables):  # some ignore the advice
        join(client, table.join_token)
    round_two = seating(session, cafe)
    asked = []
    monkeypatch.setattr(rotation_service, "assign_next_tables", lambda *args, **kwargs: asked.append((args, kwargs)) or {})

    run(session, cafe.cafe_id, "end_round")

    [(args, kwargs)] = asked
    assert args == (round_two, [1, 2, 3])
    assert kwargs["hosts"] is None
    assert kwargs["history"] == [round_one], "round 2's seating is `current`, not history"


def _pseudonym_on(page: str) -> str:
    marker = 'data-pseudonym="'
    start = page.index(marker) + len(marker)
    return page[start:page.index('"', start)]


def move_shown(page) -> str:
    """The text of the page's "go to table" step, empty when it shows none."""
    region = re.search(r'<div id="move" role="status">(.*?)</div>', page.text, re.DOTALL).group(1)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", region)).split())
