from sqlmodel import func, select

from app.demo import DEMO_EMAIL, load_demo
from app.models import Cafe, Note, Theme, Vote
from app.services.accounts import authenticate


def test_the_demo_fills_every_screen_prints_a_working_login_and_can_run_twice(session, client):
    summary = load_demo(session, progress=lambda message: None)

    assert session.exec(select(func.count()).select_from(Note)).one() == summary.notes >= 300
    cafes = session.exec(select(Cafe)).all()
    assert [c.phase for c in cafes].count("closed") == 3 and summary.trial_cafe_id in {c.id for c in cafes}
    assert session.exec(select(func.count()).select_from(Theme).where(Theme.cafe_id.is_(None))).one() >= 2
    assert session.exec(select(func.count()).select_from(Vote)).one() > 0
    assert authenticate(session, DEMO_EMAIL, summary.password) is not None

    text = summary.describe("http://127.0.0.1:8000")
    assert summary.password in text and "/t/" in text
    join_token = summary.trial_table[0]
    assert "Storsjöstrand" in client.get(f"/t/{join_token}").text

    # Run again: nothing is added twice, the demo leader only gets a new password.
    again = load_demo(session, progress=lambda message: None)
    assert again.password != summary.password
    assert authenticate(session, DEMO_EMAIL, again.password) is not None
    assert session.exec(select(func.count()).select_from(Note)).one() == summary.notes
