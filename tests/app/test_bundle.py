"""A café moved between servers as one bundle: nothing lost, nothing doubled."""

import argparse
import copy
import json
import re

import pytest
from sqlalchemy import func
from sqlmodel import Session, select

from app import cli_bundle
from app.bundle import BundleError, export_bundle
from app.bundle_import import import_bundle
from app.db import make_engine, upgrade_database
from app.models import (
    Cafe, CafeTable, CurationEvent, ModerationEvent, Note, Organisation, Participant, Process, Round, Theme,
    ThemeNote, ThemeResponse, User, Vote,
)
from app.services import notes as note_service, votes as vote_service
from app.services import responses as response_service
from app.services import themes as theme_service
from app.services.themes import Scope
from tests.builders import make_cafe, make_leader

TEXTS = [
    "Bussen går för sällan till stan", "Vi behöver fler bussturer på kvällen", "Ingen buss på helgerna",
    "Busskortet är för dyrt", "Behåll skolan i byn", "Skolan är hjärtat i byn", "Förskolan behöver fler platser",
    "Fler lärare till byskolan", "Fiber till alla hushåll", "Mobiltäckningen är dålig",
    "Bredband behövs för distansarbete", "Snabbare internet för företagen",
]
CAFE_TABLES = (Organisation, Process, Cafe, Round, CafeTable, Participant, Note, ModerationEvent, Theme, ThemeNote,
               CurationEvent, Vote, ThemeResponse)


@pytest.fixture
def bundle(session):
    leader = make_leader(session)
    setup = make_cafe(session, leader, phase="round")
    phones = [note_service.join_table(session, table=t, device_key=f"phone-{t.number}") for t in setup.tables]
    for number, text in enumerate(TEXTS):
        note_service.submit_note(
            session, table=setup.tables[number % 3], client_id=f"note-{number:03d}", text=text,
            participant=phones[number % 3] if number % 2 == 0 else None,
        )
    hidden = note_service.submit_note(session, table=setup.tables[0], client_id="hidden-1", text="Olämpligt").note
    note_service.set_hidden(session, note=hidden, user=leader, hidden=True)
    scope = Scope(setup.process_id, setup.cafe_id)
    themes = theme_service.run_themes(session, user=leader, scope=scope, n_themes=3)
    theme_service.rename_theme(session, user=leader, scope=scope, theme_id=themes[0].id, label="Bussarna")
    cafe = session.get(Cafe, setup.cafe_id)
    vote_service.open_vote(session, cafe=cafe, dots=3)
    vote_service.change_dot(session, cafe=cafe, participant=phones[0], theme_key=themes[0].key, change=1)
    response_service.respond(session, user=leader, process_id=setup.process_id, cafe_id=setup.cafe_id,
                     theme_key=themes[0].key, status="in_plan", text="Tas upp i planen.")
    return json.loads(json.dumps(export_bundle(session, setup.cafe_id)))


@pytest.fixture
def target(tmp_path):
    url = f"sqlite:///{tmp_path / 'municipality.db'}"
    upgrade_database(url)
    engine = make_engine(url)
    yield engine, url
    engine.dispose()


def counts(engine) -> dict[str, int]:
    with Session(engine) as session:
        return {t.__name__: session.exec(select(func.count()).select_from(t)).one() for t in CAFE_TABLES}


def themes_with_members(session: Session) -> dict[str, tuple[str, list[str]]]:
    client_ids = {n.id: n.client_id for n in session.exec(select(Note))}
    result = {}
    for theme in session.exec(select(Theme)):
        links = session.exec(select(ThemeNote).where(ThemeNote.theme_id == theme.id))
        members = sorted(client_ids[link.note_id] for link in links)
        result[theme.key] = (theme.label, members)
    return result


def test_a_bundle_moves_the_whole_cafe_and_a_second_import_adds_nothing(session, bundle, target):
    engine, _url = target
    with Session(engine) as other:
        summary = import_bundle(other, bundle)
    assert summary.cafe_created and summary.notes_added == len(TEXTS) + 1 and summary.themes_replaced
    assert counts(engine) == counts(session.get_bind())
    with Session(engine) as other:
        assert themes_with_members(other) == themes_with_members(session)
        assert other.exec(select(Note).where(Note.client_id == "hidden-1")).one().hidden_at is not None
        assert {t.join_token for t in other.exec(select(CafeTable))} == {t["join_token"] for t in bundle["tables"]}
        assert export_bundle(other, summary.cafe_id)["votes"] == bundle["votes"]

    before = counts(engine)
    with Session(engine) as other:
        again = import_bundle(other, bundle)
    assert counts(engine) == before
    assert (again.cafe_created, again.notes_added, again.notes_existing) == (False, 0, len(TEXTS) + 1)
    assert (again.themes_replaced, again.votes_changed, again.events_added) == (False, 0, 0)


def test_notes_added_on_the_laptop_later_are_added_and_votes_updated(session, bundle, target):
    engine, _url = target
    with Session(engine) as other:
        import_bundle(other, bundle)
    later = copy.deepcopy(bundle)
    later["notes"].append({**later["notes"][0], "client_id": "late-1", "text": "Ett sent inspel"})
    later["votes"][0]["dots"] = 2
    with Session(engine) as other:
        summary = import_bundle(other, later)
        assert (summary.notes_added, summary.votes_changed) == (1, 1)
        assert other.exec(select(Vote)).one().dots == 2


def test_tokens_already_used_here_are_replaced(session, bundle):
    """Importing into the same database under another organisation: a new café, new tokens."""
    summary = import_bundle(session, bundle, organisation="Grannkommunen")
    assert summary.cafe_created
    new_tokens = {t.join_token for t in session.exec(select(CafeTable).where(CafeTable.cafe_id == summary.cafe_id))}
    assert new_tokens.isdisjoint(t["join_token"] for t in bundle["tables"]) and len(new_tokens) == 3


@pytest.mark.parametrize("tamper, message", [
    (lambda b: b.update(format="something-else"), "not a Bykafé café bundle"),
    (lambda b: b.update(version=99), "version 99 is not supported"),
    (lambda b: b["notes"][3].pop("text"), "notes[3] lacks text"),
    (lambda b: b["notes"][0].update(table=42), "table 42"),
    (lambda b: b["themes"][0]["members"].append("nowhere"), "members the bundle lacks"),
    (lambda b: b["notes"][-1].update(created_at="yesterday"), "cannot be read"),
    (lambda b: b.pop("votes"), "no \"votes\" section"),
    (lambda b: b["votes"][0].update(dots="many"), "whole number of dots"),
])
def test_a_broken_bundle_is_refused_and_nothing_is_written(bundle, target, tamper, message):
    engine, _url = target
    broken = copy.deepcopy(bundle)
    tamper(broken)
    with Session(engine) as other, pytest.raises(BundleError, match=re.escape(message)):
        import_bundle(other, broken)
    assert set(counts(engine).values()) == {0}


def test_a_failure_halfway_through_the_import_writes_nothing(bundle, target, monkeypatch):
    engine, _url = target

    def fail(*_args):
        raise RuntimeError("disk full")

    monkeypatch.setattr(theme_service, "restore", fail)  # after the café, its notes and moderation
    with Session(engine) as other, pytest.raises(RuntimeError):
        import_bundle(other, bundle)
    assert set(counts(engine).values()) == {0}


def run_cli(*argv: str) -> int:
    parser = argparse.ArgumentParser(prog="bykafe")
    cli_bundle.register(parser.add_subparsers(dest="command", required=True))
    return cli_bundle.run(parser.parse_args(["bundle", *argv]))


def test_the_command_exports_and_imports_a_cafe(session, database_url, bundle, target, tmp_path, monkeypatch, capsys):
    engine, url = target
    cafe_id = session.exec(select(Cafe.id)).one()
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DATABASE_URL", database_url)
    assert run_cli("export", str(cafe_id)) == 0
    written = tmp_path / f"bykafe-cafe-{cafe_id}-hallen.json"
    assert json.loads(written.read_text())["notes"] == bundle["notes"]

    monkeypatch.setenv("DATABASE_URL", url)
    assert run_cli("import", str(written)) == 0
    assert f"{len(TEXTS) + 1} notes added, 0 already there" in capsys.readouterr().out
    assert run_cli("import", str(written)) == 0
    assert f"0 notes added, {len(TEXTS) + 1} already there" in capsys.readouterr().out
    assert counts(engine)["Note"] == len(TEXTS) + 1

    (tmp_path / "bad.json").write_text('{"format": "bykafe-cafe-bundle", "version": 1}')
    assert run_cli("import", "bad.json") == 2
    assert "no organisation name. Nothing was imported." in capsys.readouterr().err
    (tmp_path / "notjson.json").write_text("hej")
    assert run_cli("import", "notjson.json") == 2
    assert "is not JSON" in capsys.readouterr().err


def test_a_summary_the_leader_wrote_travels_and_an_older_bundle_brings_none(session, bundle, target):
    engine, _url = target
    cafe = session.exec(select(Cafe)).one()
    scope = Scope(cafe.process_id, cafe.id)
    theme = theme_service.themes_in(session, scope)[1]
    leader = session.exec(select(User)).first()
    theme_service.write_summary(session, user=leader, scope=scope, theme_id=theme.id, summary="Byn vill ha fiber.")
    with Session(engine) as other:
        import_bundle(other, json.loads(json.dumps(export_bundle(session, cafe.id))))
        assert {t.key: (t.summary, t.summary_is_custom) for t in other.exec(select(Theme)) if t.summary_is_custom} == {
            theme.key: ("Byn vill ha fiber.", True)}

    theme_service.write_summary(session, user=leader, scope=scope, theme_id=theme.id, summary="Fiber till alla.")
    with Session(engine) as other:  # changed on the laptop after the first import: changed here too
        assert import_bundle(other, json.loads(json.dumps(export_bundle(session, cafe.id)))).themes_replaced
        assert other.exec(select(Theme).where(Theme.key == theme.key)).one().summary == "Fiber till alla."

    older = copy.deepcopy(bundle)
    for item in older["themes"]:
        item.pop("summary", None), item.pop("summary_is_custom", None)
    imported = import_bundle(session, older, organisation="Grannkommunen")
    themes = session.exec(select(Theme).where(Theme.cafe_id == imported.cafe_id)).all()
    assert len(themes) == len(older["themes"]) and not any(t.summary_is_custom for t in themes)
