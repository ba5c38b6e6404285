from sqlmodel import func, select

from app import cli
from app.demo import DEMO_EMAIL, load_demo
from app.models import Cafe, Note, Process, Theme, User, Vote
from app.settings import Settings
from app.services.accounts import authenticate
from tests.builders import make_leader


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


def test_the_demo_goes_into_the_first_accounts_organisation_and_says_which_login_to_use(session, client):
    first = make_leader(session, email="lea@storsjo.se", organisation="Storsjö kommun")
    summary = load_demo(session, progress=lambda message: None)

    assert summary.email == "lea@storsjo.se" and summary.password is None
    processes = session.exec(select(Process)).all()
    assert {p.organisation_id for p in processes} == {first.organisation_id}
    assert session.exec(select(User).where(User.email == DEMO_EMAIL)).first() is None
    trial = session.get(Cafe, summary.trial_cafe_id)
    assert trial.trial and not any(c.trial for c in session.exec(select(Cafe)).all() if c.id != trial.id)
    text = summary.describe("http://127.0.0.1:8123")
    assert "as lea@storsjo.se (your own account) with your own password" in text
    assert "http://127.0.0.1:8123/leader/cafes/" in text

    again = load_demo(session, progress=lambda message: None)
    assert again.cafes == 0 and len(session.exec(select(Process)).all()) == len(processes)


def test_the_demo_prints_the_port_the_server_was_started_on(tmp_path, monkeypatch):
    def settings():  # as the demo command reads them when it starts
        return Settings.from_env(secret_key="t" * 40)

    monkeypatch.setattr("app.settings.VAR", tmp_path)
    monkeypatch.delenv("PORT", raising=False)
    monkeypatch.delenv("HOST", raising=False)
    monkeypatch.delenv("PUBLIC_URL", raising=False)
    assert cli._served_address(settings()) == "http://127.0.0.1:8000"  # nothing served yet
    cli._remember_address("0.0.0.0", 8123)  # `bykafe serve --host 0.0.0.0 --port 8123`, in another terminal
    assert cli._served_address(settings()) == "http://127.0.0.1:8123"
    monkeypatch.setenv("PORT", "9001")  # a port given to the demo itself wins
    assert cli._served_address(settings()) == "http://127.0.0.1:9001"
