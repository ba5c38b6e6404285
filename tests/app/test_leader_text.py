"""Text a leader writes for the public, through the board's and the planner's forms: a refused
text comes back in its box, invisible characters never reach the database, and names of
persons are pointed out to the leader, not masked."""

import re

import pytest
from sqlmodel import select

from app.models import Cafe, CurationEvent, PlanCategory, Process, Round, Theme, ThemeResponse, User
from app.services import themes as theme_service
from tests.app.helpers import shows
from tests.app.test_leader import cafe_form, process_form
from tests.app.test_planning import add_notes, add_theme, board, bus_theme
from tests.builders import log_in, make_cafe, make_leader

# Every kind of invisible character leader text must lose, where a reader cannot see it.
TYPED = "\ufeffFler\u00ad buss\u200bturer\u200f på \u202ekvällen\u202c\u2066 och\u2069 helgen\u200e\u2060\u061c"
CLEAN = "Fler bussturer på kvällen och helgen"


@pytest.fixture
def leader_board(client, session):
    setup = make_cafe(session, make_leader(session))
    theme = bus_theme(session, setup)
    theme.summary = "Bussen går för sällan."
    session.add(theme)
    session.commit()
    return setup, theme, log_in(client)


def theme_row(session, theme_id) -> Theme:
    session.expire_all()
    return session.get(Theme, theme_id)


def field_message(page: str, field_id: str) -> str:
    """The text of the message the field `field_id` is described by (aria-describedby)."""
    field = re.search(rf'<(?:input|textarea)[^>]*id="{field_id}"[^>]*>', page).group()
    described_by = re.search(r'aria-describedby="([^"]+)"', field).group(1).split()
    message = re.search(rf'<p [^>]*id="{described_by[0]}"[^>]*>(.*?)</p>', page, re.S)
    return message.group(1)


# --- a refused text comes back ----------------------------------------------------------------

def test_a_summary_too_long_comes_back_in_its_box_with_how_much_to_shorten(client, session, leader_board):
    setup, theme, csrf = leader_board
    typed = "Bussen måste gå varje timme, också på kvällen och helgen. " * 8  # 464 characters
    response = client.post(f"{board(setup)}/{theme.id}/summary", data={"csrf_token": csrf, "summary": typed})

    assert response.status_code == 422
    page = response.text
    box = re.search(rf'<textarea[^>]*id="summary-{theme.id}"[^>]*>(.*?)</textarea>', page, re.S)
    assert box.group(1) == typed and 'aria-invalid="true"' in box.group()
    assert field_message(page, f"summary-{theme.id}") == (
        "Sammanfattningen är 63 tecken för lång. Den får vara högst 400 tecken, en eller två meningar. "
        "Korta den med 63 tecken och spara igen.")
    assert '<details open>' in page.split(f'id="theme-{theme.id}"')[1][:200]  # the theme stays open
    stored = theme_row(session, theme.id)
    assert (stored.summary, stored.summary_is_custom) == ("Bussen går för sällan.", False)
    assert not session.exec(select(CurationEvent)).all()


def test_a_refused_name_comes_back_in_its_box_with_the_reason(client, session, leader_board):
    setup, theme, csrf = leader_board
    typed = "Kollektivtrafik " * 15  # 240 characters: a name is at most 200
    response = client.post(f"{board(setup)}/{theme.id}/rename", data={"csrf_token": csrf, "label": typed})

    assert response.status_code == 422
    assert f'id="label-{theme.id}" name="label" value="{typed}"' in response.text
    assert field_message(response.text, f"label-{theme.id}") == "Ge temat ett namn (högst 200 tecken)."
    assert theme_row(session, theme.id).label == "Bussarna"


def test_a_pasted_page_as_summary_or_name_comes_back_in_its_box_not_as_an_error_page(client, session, leader_board):
    setup, theme, csrf = leader_board
    pasted = "Bussen måste gå varje timme, också på kvällen och helgen.\n" * 200  # 11,600 characters
    summary = client.post(f"{board(setup)}/{theme.id}/summary", data={"csrf_token": csrf, "summary": pasted})
    name = client.post(f"{board(setup)}/{theme.id}/rename", data={"csrf_token": csrf, "label": "Bussarna " * 200})

    assert summary.status_code == 422
    box = re.search(rf'<textarea[^>]*id="summary-{theme.id}"[^>]*>(.*?)</textarea>', summary.text, re.S)
    assert box.group(1) == pasted
    over = len(" ".join(pasted.split())) - 400
    assert field_message(summary.text, f"summary-{theme.id}").startswith(f"Sammanfattningen är {over} tecken för lång.")
    assert name.status_code == 422
    assert f'id="label-{theme.id}" name="label" value="{"Bussarna " * 200}"' in name.text
    assert field_message(name.text, f"label-{theme.id}") == "Ge temat ett namn (högst 200 tecken)."
    stored = theme_row(session, theme.id)
    assert (stored.label, stored.summary, stored.summary_is_custom) == ("Bussarna", "Bussen går för sällan.", False)
    assert not session.exec(select(CurationEvent)).all()


def test_a_summary_for_a_theme_gone_meanwhile_is_offered_to_copy(client, session, leader_board):
    setup, theme, csrf = leader_board
    other = add_theme(session, setup, add_notes(session, setup, ["Skolan måste finnas kvar"]), label="Skolan")
    gone = theme.id
    theme_service.delete_theme(session, user=session.exec(select(User)).one(),  # in another tab
                               scope=theme_service.Scope(setup.process_id, setup.cafe_id), theme_id=gone)
    response = client.post(f"{board(setup)}/{gone}/summary", data={"csrf_token": csrf, "summary": "Egna ord om bussen."})

    assert response.status_code == 422
    assert shows(response, "Din text sparades inte") and shows(response, "Temat finns inte längre.")
    assert re.search(r'<textarea id="draft-text"[^>]*readonly[^>]*>Egna ord om bussen.</textarea>', response.text)
    assert theme_row(session, other.id).summary == ""


# --- invisible characters -----------------------------------------------------------------------

def _process(client, session, setup, csrf):
    client.post("/leader/processes/new", data=process_form(csrf, name=TYPED, description=TYPED))
    process = session.exec(select(Process).order_by(Process.id.desc())).first()
    return [process.name, process.description]


def _cafe(client, session, setup, csrf):
    client.post(f"/leader/processes/{setup.process_id}/cafes/new",
                data=cafe_form(csrf, village=TYPED, rounds=((TYPED, 20),), municipality=TYPED))
    cafe = session.exec(select(Cafe).order_by(Cafe.id.desc())).first()
    return [cafe.village, cafe.municipality, session.exec(select(Round).where(Round.cafe_id == cafe.id)).one().question]


def _label(client, session, setup, csrf):
    theme = bus_theme(session, setup)
    client.post(f"{board(setup)}/{theme.id}/rename", data={"csrf_token": csrf, "label": TYPED})
    return [theme_row(session, theme.id).label]


def _summary(client, session, setup, csrf):
    theme = bus_theme(session, setup)
    client.post(f"{board(setup)}/{theme.id}/summary", data={"csrf_token": csrf, "summary": TYPED})
    return [theme_row(session, theme.id).summary]


def _category(client, session, setup, csrf):
    client.post(f"/leader/processes/{setup.process_id}/categories", data={"csrf_token": csrf, "name": TYPED})
    return [session.exec(select(PlanCategory).order_by(PlanCategory.id.desc())).first().name]


def _department(client, session, setup, csrf):
    theme = bus_theme(session, setup)
    client.post(f"{board(setup)}/{theme.id}/department", data={"csrf_token": csrf, "department": TYPED})
    return [theme_row(session, theme.id).department]


def _response(client, session, setup, csrf):
    theme = bus_theme(session, setup)
    client.post(f"{board(setup)}/{theme.id}/response", data={"csrf_token": csrf, "status": "in_plan", "text": TYPED})
    return [session.exec(select(ThemeResponse)).one().text]


@pytest.mark.parametrize("store", [_process, _cafe, _label, _summary, _category, _department, _response],
                         ids=lambda store: store.__name__.strip("_"))
def test_invisible_characters_never_reach_a_stored_leader_text(client, session, store):
    setup = make_cafe(session, make_leader(session))
    csrf = log_in(client)
    stored = store(client, session, setup, csrf)
    assert stored and stored == [CLEAN] * len(stored)


# --- names of persons ---------------------------------------------------------------------------

def test_names_in_a_saved_summary_are_pointed_out_and_kept_as_written(client, session, leader_board):
    setup, theme, csrf = leader_board
    written = "Karin Johansson i föreningen vill att bussen går varje timme, som Sven sa."
    response = client.post(f"{board(setup)}/{theme.id}/summary", data={"csrf_token": csrf, "summary": written},
                           follow_redirects=False)
    assert response.status_code == 303 and "saved=summary" in response.headers["location"]

    page = client.get(response.headers["location"]).text
    message = field_message(page, f"summary-{theme.id}")
    assert message == ("Sparat, men texten nämner Karin Johansson, Sven. Namn på privatpersoner ska inte publiceras: "
                       "är någon av dem en privatperson, ta bort namnet och spara igen. En politikers namn får stå kvar.")
    assert re.search(rf'<p class="[^"]*name-check[^"]*" role="status" id="summary-names-{theme.id}"', page)
    # The focus goes to the field (and so its message is read); a page opened at an anchor would not move it.
    assert re.search(rf'<textarea id="summary-{theme.id}"[^>]*autofocus', page) and "#" not in response.headers["location"]
    assert theme_row(session, theme.id).summary == written  # not masked: the leader decides
    assert "name-check" not in client.get(board(setup)).text  # said once, when saved


def test_a_name_in_a_new_theme_name_is_pointed_out(client, session, leader_board):
    setup, theme, csrf = leader_board
    page = client.post(f"{board(setup)}/{theme.id}/rename", data={"csrf_token": csrf, "label": "Bryggan hos Gunnar"}).text
    assert field_message(page, f"label-{theme.id}").startswith("Sparat, men texten nämner Gunnar. Namn på privatpersoner")
    assert theme_row(session, theme.id).label == "Bryggan hos Gunnar"


def test_a_text_without_names_and_the_notes_own_summary_are_not_flagged(client, session, leader_board):
    setup, theme, csrf = leader_board
    page = client.post(f"{board(setup)}/{theme.id}/summary",
                       data={"csrf_token": csrf, "summary": "Bussen ska gå varje timme."}).text
    assert "name-check" not in page and theme_row(session, theme.id).summary_is_custom
    stored = theme_row(session, theme.id)
    stored.summary, stored.summary_is_custom = "Fler turer, sa Karin.", False  # the notes' own: flagged in them
    session.add(stored)
    session.commit()
    assert "name-check" not in client.get(f"{board(setup)}?open={theme.id}&saved=summary").text


@pytest.mark.parametrize("back", ["board", "plan"])
def test_a_name_in_the_municipalitys_response_is_pointed_out_where_it_was_written(client, session, leader_board, back):
    setup, theme, csrf = leader_board
    answer = "Anna Lind på samhällsbyggnad ser över turerna till hösten."
    response = client.post(f"{board(setup)}/{theme.id}/response", follow_redirects=False,
                           data={"csrf_token": csrf, "status": "looking_into", "text": answer, "back": back})
    assert "saved=response" in response.headers["location"] and "#" not in response.headers["location"]

    page = client.get(response.headers["location"]).text
    assert field_message(page, f"response-{theme.id}").startswith("Sparat, men texten nämner Anna Lind.")
    assert session.exec(select(ThemeResponse)).one().text == answer
    plain = client.post(f"{board(setup)}/{theme.id}/response", follow_redirects=False,
                        data={"csrf_token": csrf, "status": "in_plan", "text": "Tas upp i planen.", "back": back})
    assert "saved" not in plain.headers["location"]


def test_names_in_a_process_name_or_description_are_pointed_out_on_its_form(client, session):
    make_leader(session)
    csrf = log_in(client)
    description = "Inspelen går till översiktsplanen. Frågor? Kontakta Karin Johansson."
    response = client.post("/leader/processes/new", data=process_form(csrf, description=description),
                           follow_redirects=False)
    process = session.exec(select(Process)).one()
    assert response.headers["location"] == f"/leader/processes/{process.id}/edit?saved=1"
    assert process.description == description  # saved as written: the leader decides

    page = client.get(response.headers["location"]).text
    assert field_message(page, "description").startswith("Sparat, men texten nämner Karin Johansson.")
    assert "name-names" not in page  # the process's name names nobody
    assert client.post(f"/leader/processes/{process.id}/edit", data=process_form(csrf), follow_redirects=False
                       ).headers["location"] == f"/leader/processes/{process.id}"


def test_a_name_in_a_round_question_is_pointed_out_beside_that_question(client, session):
    setup = make_cafe(session, make_leader(session))
    csrf = log_in(client)
    rounds = (("Vad är bra här?", 20), ("Vad tycker ni om Gunnar Anderssons förslag om bryggan?", 20))
    response = client.post(f"/leader/cafes/{setup.cafe_id}/edit", data=cafe_form(csrf, rounds=rounds),
                           follow_redirects=False)
    assert response.headers["location"] == f"/leader/cafes/{setup.cafe_id}/edit?saved=1"

    page = client.get(response.headers["location"]).text
    assert field_message(page, "question-2").startswith("Sparat, men texten nämner Gunnar Anderssons.")
    assert "question-names-1" not in page
    assert re.search(r'<textarea id="question-2"[^>]*autofocus', page)
    questions = session.exec(select(Round.question).where(Round.cafe_id == setup.cafe_id).order_by(Round.number)).all()
    assert questions == [q for q, _ in rounds]
