"""The services behind the wall and the host's paper cards, called directly (no HTTP)."""

from app.models import Cafe, Note
from app.services import notes as note_service
from app.services.paper_cards import store_paper_cards
from app.services.wall import newest_notes
from facilitation.paper_cards import CardRow
from tests.app.helpers import count
from tests.builders import make_cafe, make_leader


def host_note(session, table, number):
    return note_service.submit_note(session, table=table, client_id=f"wall-{number:04d}", text=f"Inspel {number}").note


def test_the_wall_reads_the_newest_visible_notes_oldest_first(session):
    setup = make_cafe(session, make_leader(session), phase="round")
    table = setup.tables[0]
    first, hidden, *rest = [host_note(session, table, i) for i in range(5)]
    leader = make_leader(session, email="other@storsjo.se")
    note_service.set_hidden(session, note=hidden, user=leader, hidden=True)
    cafe = session.get(Cafe, setup.cafe_id)
    assert [n.text for n in newest_notes(session, cafe)] == ["Inspel 0", "Inspel 2", "Inspel 3", "Inspel 4"]
    assert [n.text for n in newest_notes(session, cafe, limit=2)] == ["Inspel 3", "Inspel 4"]


def test_paper_cards_are_stored_together_and_each_refused_row_says_why(session):
    setup = make_cafe(session, make_leader(session), phase="round")
    table = setup.tables[0]
    rows = [
        CardRow("Fler bussar", "1", 1, "card-0001"),
        CardRow("Skolan", "9", None, "card-0002"),  # no such round
        CardRow("   x", "2", 2, "card-0003"),  # round 2 has not started
        CardRow("Fler bussar", "1", 1, "card-0001"),  # the same card twice: stored once
    ]
    assert store_paper_cards(session, table=table, rows=rows) == [None, "round_not_started", "round_not_started", None]
    assert count(session, Note) == 1
    assert store_paper_cards(session, table=table, rows=[]) == []
