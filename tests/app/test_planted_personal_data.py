"""Personal data planted through every entry is shown nowhere but in the leader's moderation view.

Swedish identity numbers, co-ordination numbers (day + 60), phone numbers and e-mail addresses go
in through the phone's JSON and form, the host's form and API, the host's paper cards and a bundle
import; leader-written text carries them too. Then themes run, a note is moved, a theme renamed,
the process published, and every page, the wall's event stream, the API answers, every export
format and the bundle are read: none of the planted items may appear.
"""

from __future__ import annotations

import asyncio
import copy
import io
import json
import re
import zipfile

from sqlmodel import Session, select

from app.bundle import export_bundle
from app.bundle_import import import_bundle
from app.live import newest_event_id
from app.models import Cafe, Note, Round, Theme
from app.services import cafes as cafe_service
from app.services import planning, themes as theme_service, votes as vote_service
from app.services import categories as category_service
from app.services import publishing as publishing_service
from app.services import responses as response_service
from app.services.themes import Scope
from tests.app.helpers import card_form, join, phone, send_json
from tests.builders import log_in, make_cafe, make_leader


def planted(i: int) -> list[str]:
    """Four items no page may show, different for every note (i below 100)."""
    month, day = i % 12 + 1, i % 28 + 1
    return [
        f"19{60 + i % 40:02d}{month:02d}{day:02d}-{1000 + i:04d}",  # personnummer
        f"{60 + i % 40:02d}{month:02d}{day + 60:02d}-{2000 + i:04d}",  # samordningsnummer
        f"070-{100 + i:03d} {i:02d} {99 - i:02d}",  # phone
        f"plantmejl{i}@byforening{i}.se",  # e-mail
    ]


FORMATS = (  # the same kinds of item written the ways people write them
    lambda i: f"+46 70 {200 + i:03d} {i:02d} {i:02d}",
    lambda i: f"0046 73-{300 + i:03d} {i:02d} {i:02d}",
    lambda i: f"08-{400 + i:03d} {i:02d} {i:02d}",
    lambda i: f"19{70 + i % 30:02d}0{i % 9 + 1}1{i % 9}{5000 + i:04d}",  # twelve digits, no dash
)


def variants(item: str) -> set[str]:
    """The item as written, and its digits alone (a file may drop spaces and dashes)."""
    digits = re.sub(r"\D", "", item)
    found = {item}
    if "@" in item:
        found.add(item.split("@")[0])  # the address's own words (they once became theme keywords)
    elif len(digits) >= 8:
        found.add(digits)
    return found


TOPICS = (
    "Bussen måste gå oftare till stan, särskilt på kvällen.", "Behåll skolan och förskolan i byn.",
    "Fiber och bättre mobiltäckning till alla hushåll.", "Fler hyresrätter för unga och för äldre.",
)


def note_text(i: int) -> str:
    items = planted(i)
    return (f"{TOPICS[i % 4]} Ring mig på {items[2]} eller mejla {items[3]}. "
            f"Personnummer {items[0]}, min mammas samordningsnummer {items[1]}, annars {FORMATS[i % 4](i)}.")


def items_of(i: int) -> list[str]:
    return [*planted(i), FORMATS[i % 4](i)]


def test_planted_personal_data_shows_nowhere(client, session, app, tmp_path):
    leader = make_leader(session)
    setup = make_cafe(session, leader, phase="round", tables=2)
    log_in(client)
    table, other_table = setup.tables
    tried: list[str] = []
    counter = iter(range(100))

    def plant() -> tuple[str, str]:
        i = next(counter)
        tried.extend(items_of(i))
        return note_text(i), f"planted-{i:04d}"

    # Phones: JSON (the fast lane) and the form of a phone without JavaScript.
    phones = [phone(app) for _ in range(3)]
    for device in phones:
        join(device, table.join_token)
    for device in phones:
        for _ in range(3):
            text, client_id = plant()
            assert send_json(device, table.join_token, text, client_id).status_code == 201
        text, client_id = plant()
        assert device.post(f"/t/{table.join_token}/notes", data={"text": text, "client_id": client_id},
                           follow_redirects=False).status_code == 303
    # The table host: the form, the API, and paper cards after the round.
    for _ in range(3):
        text, client_id = plant()
        assert client.post(f"/h/{other_table.host_token}/notes", data={"text": text, "client_id": client_id},
                           follow_redirects=False).status_code == 303
        text, client_id = plant()
        assert client.post(f"/api/v1/host/{other_table.host_token}/notes",
                           json={"text": text, "client_id": client_id}).status_code == 201
    cafe = session.get(Cafe, setup.cafe_id)
    cafe_service.run_action(session, cafe=cafe, action="end_round")
    cards = [(plant()[0], 1, f"card-{n:04d}") for n in range(4)]
    assert client.post(f"/h/{other_table.host_token}/cards", data=card_form(cards),
                       follow_redirects=False).status_code == 303
    # A bundle from another server's café (written before public text existed), imported here.
    bundle = copy.deepcopy(export_bundle(session, setup.cafe_id, raw=True))
    bundle["cafe"]["village"], bundle["cafe"]["date"] = "Åsarna", "2026-12-02"
    for item in bundle["notes"]:
        item.pop("public_text")
        item["text"], item["client_id"] = plant()
    import_bundle(session, bundle, process_id=setup.process_id)

    # The leader's own words, each with an item in them.
    def leader_text(words: str) -> str:
        i = next(counter)
        tried.extend(items_of(i))
        return f"{words} {planted(i)[2]}, {planted(i)[3]}"

    scope = Scope(setup.process_id, setup.cafe_id)
    themes = theme_service.run_themes(session, user=leader, scope=scope, n_themes=2)
    theme_service.run_themes(session, user=leader, scope=Scope(setup.process_id), n_themes=2)
    moved = session.exec(select(Note).where(Note.cafe_id == setup.cafe_id)).first()
    theme_service.move_note(session, user=leader, scope=scope, note_id=moved.id, theme_id=themes[1].id)
    theme = theme_service.rename_theme(session, user=leader, scope=scope, theme_id=themes[0].id,
                                       label=leader_text("Bussar, ring"))
    response_service.respond(session, user=leader, process_id=setup.process_id, cafe_id=setup.cafe_id, theme_key=theme.key,
                     status="in_plan", text=leader_text("Vi ringer dig på"))
    planning.set_department(session, user=leader, scope=scope, theme_id=themes[1].id,
                            department=leader_text("Tekniska"))
    process = cafe_service.process_for(session, leader, setup.process_id)
    planning.set_note_department(session, process=process, note_id=moved.id, department=leader_text("Socialtjänsten"))
    category = category_service.add_category(session, process=process, name=leader_text("Kommunikationer"))
    planning.set_category(session, user=leader, scope=scope, theme_id=theme.id, category_id=category.id)
    member = theme_service.members_of(session, [theme])[theme.id]
    planning.set_public_quote(session, user=leader, scope=scope, theme_id=theme.id, note_id=sorted(member)[0],
                              approved=True)
    process.description = leader_text("Frågor till")
    first_round = session.exec(select(Round).where(Round.cafe_id == setup.cafe_id, Round.number == 1)).one()
    first_round.question = leader_text("Vad behövs? Ring")
    session.add_all([process, first_round])
    session.commit()
    vote_service.open_vote(session, cafe=session.get(Cafe, setup.cafe_id), dots=3)
    publishing_service.set_published(session, process=process, published=True)

    # The moderation view shows what was written: the items really are in the database.
    moderation = client.get(f"/leader/cafes/{setup.cafe_id}").text
    assert planted(0)[2] in moderation

    texts: dict[str, str] = {}
    cafe_ids = [setup.cafe_id, *session.exec(select(Cafe.id).where(Cafe.id != setup.cafe_id))]
    organisation_id = process.organisation_id
    plan_pages = [
        f"/leader/cafes/{t.cafe_id}/themes/{t.id}/plan" if t.cafe_id else f"/leader/processes/{t.process_id}/themes/{t.id}/plan"
        for t in session.exec(select(Theme))
    ]
    pages = [
        f"/leader/cafes/{setup.cafe_id}/wall", f"/h/{table.host_token}", f"/h/{other_table.host_token}",
        f"/leader/cafes/{setup.cafe_id}/themes", f"/leader/processes/{setup.process_id}/themes",
        f"/leader/processes/{setup.process_id}/departments", f"/leader/processes/{setup.process_id}/exports",
        f"/leader/cafes/{setup.cafe_id}/feedback-poster",
        *plan_pages,
        f"/p/{setup.process_id}", f"/p/{setup.process_id}?lang=en", f"/o/{organisation_id}",
        *(f"/p/{setup.process_id}/by/{i}" for i in cafe_ids),
        f"/api/v1/host/{table.host_token}/notes", f"/api/v1/host/{other_table.host_token}/notes",
        f"/api/v1/cafes/{setup.cafe_id}/notes",
    ]
    for path in pages:
        response = client.get(path)
        assert response.status_code == 200, (path, response.status_code)
        texts[path] = response.text
    for number, device in enumerate(phones):
        for path in (f"/t/{table.join_token}", f"/t/{table.join_token}/vote", f"/api/v1/tables/{table.join_token}"):
            response = device.get(path)
            assert response.status_code == 200, (path, response.status_code)
            texts[f"phone {number} {path}"] = response.text
    texts["wall event stream"] = read_event_stream(client, app, session, setup.cafe_id)
    for scope_path in (f"/leader/processes/{setup.process_id}", f"/leader/cafes/{setup.cafe_id}"):
        for extension in ("xlsx", "docx", "samrad.xlsx", "json", "zip"):
            texts[f"{scope_path}/export.{extension}"] = file_text(client.get(f"{scope_path}/export.{extension}"))
        for table_name in ("notes", "themes", "matrix", "votes", "samrad"):
            response = client.get(f"{scope_path}/export.csv?table={table_name}&sep=;")
            texts[f"{scope_path}/export.csv?table={table_name}"] = response.content.decode("utf-8-sig")
    for cafe_id in cafe_ids:
        texts[f"bundle of café {cafe_id}"] = json.dumps(export_bundle(session, cafe_id), ensure_ascii=False)

    shown = {item: where for item in tried for where, text in texts.items() if any(v in text for v in variants(item))}
    print(f"\nplanted items tried: {len(tried)} (in {len(texts)} pages, streams, API answers and files); "
          f"shown: {len(shown)}")
    assert len(tried) >= 100
    assert shown == {}
    masked_in_pages = sum(text.count("borttage") for text in texts.values())
    assert masked_in_pages > len(tried)  # the placeholders are there: the items were masked, not lost
    assert planted(0)[2] in json.dumps(export_bundle(session, setup.cafe_id, raw=True), ensure_ascii=False)


def file_text(response) -> str:
    """The text of an export: the XML of an xlsx or docx without its tags, the files of a zip."""
    assert response.status_code == 200, response.text
    content = response.content
    if not content.startswith(b"PK"):
        return content.decode("utf-8-sig")
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        parts = []
        for name in archive.namelist():
            inner = archive.read(name)
            if inner.startswith(b"PK"):
                parts.append(file_text(type("File", (), {"status_code": 200, "content": inner, "text": ""})))
            else:
                parts.append(re.sub(r"<[^>]+>", "", inner.decode("utf-8-sig", errors="replace")))
        return "\n".join(parts)


def read_event_stream(client, app, session: Session, cafe_id: int) -> str:
    """The wall's event stream from its start (Last-Event-ID: 0), read until the newest event."""
    newest = newest_event_id(session, cafe_id)
    cookie = "; ".join(f"{name}={value}" for name, value in client.cookies.items()).encode()

    async def read() -> str:
        body: list[str] = []
        enough = asyncio.Event()
        asked = False

        async def receive():
            nonlocal asked
            if not asked:
                asked = True
                return {"type": "http.request", "body": b"", "more_body": False}
            await enough.wait()
            return {"type": "http.disconnect"}

        async def send(message):
            if message["type"] == "http.response.body":
                body.append(message.get("body", b"").decode())
                if f"id: {newest}\n" in "".join(body):
                    enough.set()

        scope = {
            "type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "GET", "scheme": "http",
            "path": f"/leader/cafes/{cafe_id}/events", "raw_path": b"", "root_path": "", "query_string": b"",
            "headers": [(b"host", b"testserver"), (b"cookie", cookie), (b"last-event-id", b"0")],
            "client": ("testclient", 50000), "server": ("testserver", 80),
        }
        try:
            await asyncio.wait_for(app(scope, receive, send), timeout=15)
        except TimeoutError:
            pass
        return "".join(body)

    text = client.portal.call(read)
    assert f"id: {newest}\n" in text and "event: note" in text
    return text
