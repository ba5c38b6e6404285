"""Themes through HTTP: find, tune, curate, undo, and the harvest's dot vote."""

import re

import pytest
from sqlmodel import select

from app.models import Cafe, CurationEvent, Note, Process, Theme, ThemeNote, User, Vote
from app.services import cafes as cafe_service
from app.services import notes as note_service
from app.services import publishing as publishing_service
from app.services import responses as response_service
from app.services.votes import vote_totals
from facilitation.process import RoundPlan
from facilitation.text import inflected_in
from tests.builders import log_in, make_cafe, make_leader

TOPICS = {
    "buss": ["Bussen går för sällan till stan", "Vi behöver fler bussturer på kvällen",
             "Kollektivtrafiken måste bli bättre", "Ingen buss på helgerna", "Skolbussen tar för lång tid",
             "Busskortet är för dyrt för pensionärer", "Bussen till tåget borde gå varje timme"],
    "skola": ["Behåll skolan i byn", "Förskolan behöver fler platser", "Skolan är hjärtat i byn",
              "Barnen ska inte behöva åka långt till skolan", "Fler lärare till byskolan",
              "Skolgården behöver rustas upp", "Fritids måste finnas kvar vid skolan"],
    "bredband": ["Fiber till alla hushåll", "Mobiltäckningen är dålig", "Bredband behövs för distansarbete",
                 "Ingen mobiltäckning vid sjön", "Snabbare internet för företagen", "Fibernätet måste byggas ut",
                 "Mobilmasten behöver förstärkas"],
}


@pytest.fixture
def harvest(client, session):
    leader = make_leader(session)
    setup = make_cafe(session, leader, phase="round")
    number = 0
    for texts in TOPICS.values():
        for text in texts:
            note_service.submit_note(session, table=setup.tables[number % 3], client_id=f"note-{number:06d}", text=text)
            number += 1
    csrf = log_in(client)
    return setup, csrf


def theme_ids(page: str) -> list[int]:
    return [int(i) for i in re.findall(r'id="theme-(\d+)"', page)]


def labels(page: str) -> list[str]:
    return re.findall(r'id="theme-\d+".*?<span class="theme-title">([^<]+)', page, flags=re.S)


def test_finding_themes_recovers_the_topics_with_readable_labels(client, harvest, session):
    setup, csrf = harvest
    page = client.post(f"/leader/cafes/{setup.cafe_id}/themes/run", data={"csrf_token": csrf, "themes": 3}).text

    themes = session.exec(select(Theme).where(Theme.cafe_id == setup.cafe_id)).all()
    assert len(themes) == 3
    label_words = {w.lower() for label in labels(page) for w in re.findall(r"\w+", label)} - {"och"}
    # As written, or a noun the notes write in its definite form ("tåget") as a heading writes it ("tåg").
    written = {w.lower() for texts in TOPICS.values() for t in texts for w in re.findall(r"\w+", t)}
    assert all(inflected_in(w, written) for w in label_words), label_words
    assert "Bussen går för sällan till stan" in page


def test_fewer_and_more_themes_are_shown_at_once(client, harvest):
    setup, csrf = harvest
    base = f"/leader/cafes/{setup.cafe_id}/themes"
    assert len(theme_ids(client.post(f"{base}/run", data={"csrf_token": csrf, "themes": 2}).text)) == 2
    assert len(theme_ids(client.post(f"{base}/run", data={"csrf_token": csrf, "themes": 4}).text)) == 4


def test_rename_merge_and_undo_are_logged_and_undo_restores(client, harvest, session):
    setup, csrf = harvest
    base = f"/leader/cafes/{setup.cafe_id}/themes"
    page = client.post(f"{base}/run", data={"csrf_token": csrf, "themes": 3}).text
    first, second, third = theme_ids(page)

    client.post(f"{base}/{first}/rename", data={"csrf_token": csrf, "label": "Kollektivtrafik <b>"})
    assert "Kollektivtrafik &lt;b&gt;" in client.get(base).text
    page = client.post(f"{base}/{second}/merge", data={"csrf_token": csrf, "other": third}).text
    assert len(theme_ids(page)) == 2

    page = client.post(f"{base}/undo", data={"csrf_token": csrf}).text
    assert len(theme_ids(page)) == 3
    steps = session.exec(select(CurationEvent).where(CurationEvent.cafe_id == setup.cafe_id).order_by(CurationEvent.id)).all()
    assert [s.action for s in steps] == ["run", "rename", "merge", "undo"]
    assert all(s.user_id is not None for s in steps)
    assert [s.undone for s in steps] == [False, False, True, False]


def test_a_renamed_and_a_pinned_theme_survive_a_rerun_with_new_notes(client, harvest, session):
    setup, csrf = harvest
    base = f"/leader/cafes/{setup.cafe_id}/themes"
    first, second, _third = theme_ids(client.post(f"{base}/run", data={"csrf_token": csrf, "themes": 3}).text)
    client.post(f"{base}/{first}/rename", data={"csrf_token": csrf, "label": "Vårt namn"})
    client.post(f"{base}/{second}/pin", data={"csrf_token": csrf, "pinned": "true"})
    pinned_before = session.get(Theme, second)
    pinned_label, pinned_key = pinned_before.label, pinned_before.key
    session.expire_all()

    note_service.submit_note(session, table=setup.tables[0], client_id="late-note-01", text="Fler bussar till stan")
    page = client.post(f"{base}/run", data={"csrf_token": csrf, "themes": 3}).text

    assert "Vårt namn" in labels(page)
    pinned = session.exec(select(Theme).where(Theme.cafe_id == setup.cafe_id, Theme.key == pinned_key)).one()
    assert pinned.pinned and pinned.label == pinned_label


def test_split_move_delete_keep_every_note_somewhere(client, harvest, session):
    setup, csrf = harvest
    base = f"/leader/cafes/{setup.cafe_id}/themes"
    first, *_ = theme_ids(client.post(f"{base}/run", data={"csrf_token": csrf, "themes": 2}).text)

    page = client.post(f"{base}/{first}/split", data={"csrf_token": csrf}).text
    assert len(theme_ids(page)) == 3
    target = theme_ids(page)[0]
    note = note_service.notes_in_cafe(session, session.get(Cafe, setup.cafe_id))[0]
    client.post(f"{base}/notes/{note.id}/move", data={"csrf_token": csrf, "theme": "other"})
    assert f'data-note="{note.id}"' in client.get(base).text.split('id="theme-other"')[1]  # in "Other"
    client.post(f"{base}/{target}/delete", data={"csrf_token": csrf})
    page = client.get(base).text
    assert len(theme_ids(page)) == 2
    assert page.count('class="note-text"') == sum(len(texts) for texts in TOPICS.values())


def test_curation_needs_csrf_and_the_leaders_own_organisation(client, harvest, session):
    setup, csrf = harvest
    base = f"/leader/cafes/{setup.cafe_id}/themes"
    first, *_ = theme_ids(client.post(f"{base}/run", data={"csrf_token": csrf, "themes": 2}).text)

    assert client.post(f"{base}/{first}/rename", data={"label": "x"}).status_code == 403
    make_leader(session, email="other@grannkommun.se", organisation="Grannkommunen")
    client.post("/logout", data={"csrf_token": csrf})
    other_csrf = log_in(client, email="other@grannkommun.se")
    assert client.get(base).status_code == 404
    assert client.post(f"{base}/{first}/rename", data={"csrf_token": other_csrf, "label": "x"}).status_code == 404
    assert session.get(Theme, first).label != "x"


def test_no_phone_can_place_more_dots_than_it_was_given(client, harvest, session):
    setup, csrf = harvest
    base = f"/leader/cafes/{setup.cafe_id}/themes"
    client.post(f"{base}/run", data={"csrf_token": csrf, "themes": 3})
    client.post(f"{base}/vote", data={"csrf_token": csrf, "open": "true", "dots": 2})
    key = session.exec(select(Theme.key).where(Theme.cafe_id == setup.cafe_id)).first()
    token = setup.tables[0].join_token

    phone = client  # the same browser joins as a phone; its device cookie is separate from the login
    phone.get(f"/t/{token}")
    assert phone.post(f"/t/{token}/vote", data={"theme": key, "change": 1}, follow_redirects=False).status_code == 303
    assert phone.post(f"/t/{token}/vote", data={"theme": key, "change": 1}, follow_redirects=False).status_code == 303
    refused = phone.post(f"/t/{token}/vote", data={"theme": key, "change": 1})
    assert refused.status_code == 409
    assert sum(v.dots for v in session.exec(select(Vote).where(Vote.cafe_id == setup.cafe_id))) == 2

    phone.post(f"/t/{token}/vote", data={"theme": key, "change": -1})
    assert sum(v.dots for v in session.exec(select(Vote).where(Vote.cafe_id == setup.cafe_id))) == 1
    assert phone.post(f"/t/{token}/vote", data={"theme": "no-such-theme", "change": 1}).status_code == 409
    assert vote_totals(session, session.get(Cafe, setup.cafe_id)) == {key: 1}


def test_the_vote_is_refused_when_closed(client, harvest, session):
    setup, csrf = harvest
    base = f"/leader/cafes/{setup.cafe_id}/themes"
    client.post(f"{base}/run", data={"csrf_token": csrf, "themes": 2})
    key = session.exec(select(Theme.key).where(Theme.cafe_id == setup.cafe_id)).first()
    token = setup.tables[0].join_token
    client.get(f"/t/{token}")
    assert client.post(f"/t/{token}/vote", data={"theme": key, "change": 1}).status_code == 409
    assert session.exec(select(Vote)).all() == []


def test_an_empty_cafe_says_there_are_no_notes_yet_and_offers_nothing_that_cannot_work(client, session):
    setup = make_cafe(session, make_leader(session), phase="round")
    csrf = log_in(client)
    base = f"/leader/cafes/{setup.cafe_id}/themes"
    board = client.get(f"{base}?lang=sv").text
    assert "Det finns inga inspel än" in board
    assert f'action="{base}/run"' not in board and f'action="{base}/undo"' not in board
    assert "Öppna prickröstningen" not in board and "Hitta teman först" in board
    assert 'id="themes-heading"' not in board
    # A form sent anyway (an old page): refused with the same words, and nothing logged.
    refused = client.post(f"{base}/run?lang=sv", data={"csrf_token": csrf})
    assert "Det finns inga inspel än" in refused.text
    assert session.exec(select(CurationEvent).where(CurationEvent.cafe_id == setup.cafe_id)).all() == []
    assert "Hitta teman först" in client.post(f"{base}/vote", data={"csrf_token": csrf, "open": "true"}).text
    assert not session.get(Cafe, setup.cafe_id).vote_open


def test_undo_is_offered_only_when_there_is_a_step_to_undo(client, harvest):
    setup, csrf = harvest
    base = f"/leader/cafes/{setup.cafe_id}/themes"
    assert f'action="{base}/undo"' not in client.get(base).text  # notes, but no step yet
    page = client.post(f"{base}/run", data={"csrf_token": csrf, "themes": 3}).text
    assert f'action="{base}/undo"' in page
    assert f'action="{base}/undo"' not in client.post(f"{base}/undo", data={"csrf_token": csrf}).text


def test_a_closed_cafe_does_not_offer_or_open_the_vote_until_it_is_reopened(client, harvest, session):
    setup, csrf = harvest
    base = f"/leader/cafes/{setup.cafe_id}/themes"
    client.post(f"{base}/run", data={"csrf_token": csrf, "themes": 3})
    cafe = session.get(Cafe, setup.cafe_id)
    cafe_service.run_action(session, cafe=cafe, action="close")
    board = client.get(f"{base}?lang=sv").text
    assert "Öppna prickröstningen" not in board and "Mobilerna kan rösta bara medan kaféet är öppet" in board
    refused = client.post(f"{base}/vote?lang=sv", data={"csrf_token": csrf, "open": "true", "dots": 3})
    assert "Mobilerna kan rösta bara medan kaféet är öppet" in refused.text
    session.refresh(cafe)
    assert not cafe.vote_open
    cafe_service.run_action(session, cafe=cafe, action="reopen", minutes=30)
    assert "Öppna prickröstningen" in client.get(f"{base}?lang=sv").text
    client.post(f"{base}/vote", data={"csrf_token": csrf, "open": "true", "dots": 3})
    session.refresh(cafe)
    assert cafe.vote_open


def test_finding_themes_again_over_published_answers_asks_first(client, harvest, session):
    setup, csrf = harvest
    base = f"/leader/cafes/{setup.cafe_id}/themes"
    client.post(f"{base}/run", data={"csrf_token": csrf, "themes": 3})
    before = {t.key: t.label for t in session.exec(select(Theme).where(Theme.cafe_id == setup.cafe_id))}
    key = next(iter(before))
    leader = session.get(User, session.exec(select(CurationEvent.user_id)).first())
    response_service.respond(session, user=leader, process_id=setup.process_id, cafe_id=setup.cafe_id,
                             theme_key=key, status="in_plan", text="Tas upp i planen.")
    runs = len(session.exec(select(CurationEvent).where(CurationEvent.action == "run")).all())

    # Unpublished: the answers are not public yet, so nothing to ask.
    assert "confirm-run" not in client.post(f"{base}/run", data={"csrf_token": csrf, "themes": 2}).text
    runs += 1
    key = session.exec(select(Theme.key).where(Theme.cafe_id == setup.cafe_id)).first()  # one on the board now
    response_service.respond(session, user=leader, process_id=setup.process_id, cafe_id=setup.cafe_id,
                             theme_key=key, status="in_plan", text="Tas upp i planen.")
    publishing_service.set_published(session, process=session.get(Process, setup.process_id), published=True)

    asked = client.post(f"{base}/run", data={"csrf_token": csrf, "themes": 4}, follow_redirects=False)
    assert asked.status_code == 303 and asked.headers["location"].endswith("themes?confirm_run=4#confirm-run")
    page = client.get(asked.headers["location"] + "&lang=sv").text
    assert "Hitta teman igen?" in page and "Den offentliga sidan ändras direkt" in page
    assert '<input type="hidden" name="themes" value="4">' in page
    assert '<input type="hidden" name="confirmed" value="true">' in page
    assert len(session.exec(select(CurationEvent).where(CurationEvent.action == "run")).all()) == runs  # not run

    client.post(f"{base}/run", data={"csrf_token": csrf, "themes": 4, "confirmed": "true"})
    assert len(session.exec(select(CurationEvent).where(CurationEvent.action == "run")).all()) == runs + 1
    assert len(session.exec(select(Theme).where(Theme.cafe_id == setup.cafe_id)).all()) == 4


def test_a_summary_the_leader_writes_is_escaped_logged_kept_through_a_rerun_and_undone(client, harvest, session):
    setup, csrf = harvest
    base = f"/leader/cafes/{setup.cafe_id}/themes"
    first, *_ = theme_ids(client.post(f"{base}/run", data={"csrf_token": csrf, "themes": 3}).text)
    engine_summary = session.get(Theme, first).summary
    assert engine_summary

    page = client.post(f"{base}/{first}/summary", data={"csrf_token": csrf, "summary": "Fler bussar <b>på kvällen</b>."},
                       follow_redirects=True).text
    assert "Fler bussar &lt;b&gt;på kvällen&lt;/b&gt;." in page and "<b>på kvällen" not in page
    theme = session.get(Theme, first)
    assert (theme.summary, theme.summary_is_custom) == ("Fler bussar <b>på kvällen</b>.", True)
    key = theme.key  # a re-run and an undo make new rows: the theme is found again by its key

    note_service.submit_note(session, table=setup.tables[0], client_id="late-note-02", text="Bussen borde gå oftare")
    client.post(f"{base}/run", data={"csrf_token": csrf, "themes": 3})
    session.expire_all()
    kept = session.exec(select(Theme).where(Theme.cafe_id == setup.cafe_id, Theme.summary_is_custom)).all()
    assert [t.summary for t in kept] == ["Fler bussar <b>på kvällen</b>."]

    client.post(f"{base}/undo", data={"csrf_token": csrf})  # the re-run
    client.post(f"{base}/undo", data={"csrf_token": csrf})  # the summary
    session.expire_all()
    theme = session.exec(select(Theme).where(Theme.cafe_id == setup.cafe_id, Theme.key == key)).one()
    assert (theme.summary, theme.summary_is_custom) == (engine_summary, False)
    steps = session.exec(select(CurationEvent).where(CurationEvent.cafe_id == setup.cafe_id).order_by(CurationEvent.id)).all()
    assert [s.action for s in steps] == ["run", "summary", "run", "undo", "undo"]
    log = client.get(base).text.split('id="log"')[1]
    assert "Sammanfattning" in log and "«Fler bussar &lt;b&gt;på kvällen&lt;/b&gt;.»" in log


def test_an_empty_summary_brings_back_the_one_made_from_the_notes(client, harvest, session):
    setup, csrf = harvest
    base = f"/leader/cafes/{setup.cafe_id}/themes"
    first, *_ = theme_ids(client.post(f"{base}/run", data={"csrf_token": csrf, "themes": 3}).text)
    engine_summary = session.get(Theme, first).summary
    client.post(f"{base}/{first}/summary", data={"csrf_token": csrf, "summary": "Egna ord om temat."})

    client.post(f"{base}/{first}/summary", data={"csrf_token": csrf, "summary": "   "})
    session.expire_all()
    theme = session.get(Theme, first)
    assert (theme.summary, theme.summary_is_custom) == (engine_summary, False)
    steps = session.exec(select(CurationEvent).where(CurationEvent.action == "summary")).all()
    assert len(steps) == 2


def test_a_summary_over_400_characters_is_refused_in_swedish_and_changes_nothing(client, harvest, session):
    setup, csrf = harvest
    base = f"/leader/cafes/{setup.cafe_id}/themes"
    first, *_ = theme_ids(client.post(f"{base}/run", data={"csrf_token": csrf, "themes": 3}).text)
    before = session.get(Theme, first).summary

    response = client.post(f"{base}/{first}/summary", data={"csrf_token": csrf, "summary": "Ord " * 101})
    assert response.status_code == 422
    assert "Sammanfattningen är 3 tecken för lång. Den får vara högst 400 tecken" in response.text
    assert ("Ord " * 101).strip() in response.text  # given back in the box: nothing typed is lost
    session.expire_all()
    theme = session.get(Theme, first)
    assert (theme.summary, theme.summary_is_custom) == (before, False)
    assert not session.exec(select(CurationEvent).where(CurationEvent.action == "summary")).all()


def test_a_summary_needs_csrf_and_the_leaders_own_organisation(client, harvest, session):
    setup, csrf = harvest
    base = f"/leader/cafes/{setup.cafe_id}/themes"
    first, *_ = theme_ids(client.post(f"{base}/run", data={"csrf_token": csrf, "themes": 2}).text)
    before = session.get(Theme, first).summary

    assert client.post(f"{base}/{first}/summary", data={"summary": "x"}).status_code == 403
    make_leader(session, email="other@grannkommun.se", organisation="Grannkommunen")
    client.post("/logout", data={"csrf_token": csrf})
    other_csrf = log_in(client, email="other@grannkommun.se")
    assert client.post(f"{base}/{first}/summary", data={"csrf_token": other_csrf, "summary": "x"}).status_code == 404
    session.expire_all()
    theme = session.get(Theme, first)
    assert (theme.summary, theme.summary_is_custom) == (before, False)


def test_a_theme_merged_into_one_with_a_written_summary_keeps_that_summary(client, harvest, session):
    setup, csrf = harvest
    base = f"/leader/cafes/{setup.cafe_id}/themes"
    first, second, _third = theme_ids(client.post(f"{base}/run", data={"csrf_token": csrf, "themes": 3}).text)
    client.post(f"{base}/{first}/summary", data={"csrf_token": csrf, "summary": "Våra egna ord."})

    client.post(f"{base}/{first}/merge", data={"csrf_token": csrf, "other": second})
    session.expire_all()
    merged = session.get(Theme, first)
    assert (merged.summary, merged.summary_is_custom) == ("Våra egna ord.", True)


def test_the_log_shows_the_start_of_a_summary_with_no_space_and_never_half_a_phone_number(client, harvest, session):
    setup, csrf = harvest
    base = f"/leader/cafes/{setup.cafe_id}/themes"
    first, second, *_ = theme_ids(client.post(f"{base}/run", data={"csrf_token": csrf, "themes": 3}).text)
    # Cut at 150 characters before masking, the log kept "070-123…", which the mask no longer finds.
    client.post(f"{base}/{first}/summary", data={"csrf_token": csrf, "summary": "a" * 134 + " ring 070-123 45 67 nu."})
    client.post(f"{base}/{second}/summary", data={"csrf_token": csrf, "summary": "🌲" * 200})

    details = [s.detail for s in session.exec(select(CurationEvent).where(CurationEvent.action == "summary"))]
    assert not re.search(r"\d", details[0]), details[0]
    assert "🌲" * 149 + "…" in details[1]  # not "…" alone
    log = client.get(base).text.split('id="log"')[1]
    assert "«" + "🌲" * 149 + "…»" in log and "070" not in log


def test_a_summary_far_too_long_comes_back_in_its_box_with_the_reason_in_swedish(client, harvest, session):
    setup, csrf = harvest
    base = f"/leader/cafes/{setup.cafe_id}/themes"
    first, *_ = theme_ids(client.post(f"{base}/run", data={"csrf_token": csrf, "themes": 3}).text)

    page = client.post(f"{base}/{first}/summary", data={"csrf_token": csrf, "summary": "Ord " * 2000})
    assert page.status_code == 422
    assert "Sammanfattningen är 7599 tecken för lång." in page.text
    assert f'id="summary-{first}"' in page.text.split("Ord " * 2000)[0].rsplit("<textarea", 1)[1]
    assert not session.exec(select(CurationEvent).where(CurationEvent.action == "summary")).all()


def test_a_summary_for_a_theme_of_another_cafe_in_the_same_process_is_refused(client, harvest, session):
    setup, csrf = harvest
    client.post(f"/leader/cafes/{setup.cafe_id}/themes/run", data={"csrf_token": csrf, "themes": 3})
    leader = session.exec(select(User)).one()
    process = cafe_service.process_for(session, leader, setup.process_id)
    neighbour = cafe_service.create_cafe(session, process=process, village="Grannbyn", venue="", table_count=1,
                                         on=process.created_at.date(), rounds=[RoundPlan("Vad behövs?", 20)])
    theme = session.exec(select(Theme).where(Theme.cafe_id == setup.cafe_id)).first()
    before = (theme.summary, theme.summary_is_custom)

    for base in (f"/leader/cafes/{neighbour.id}/themes", f"/leader/processes/{setup.process_id}/themes"):
        page = client.post(f"{base}/{theme.id}/summary", data={"csrf_token": csrf, "summary": "Fel kafé."},
                           follow_redirects=True)
        assert "Temat finns inte längre." in page.text
    session.expire_all()
    assert (session.get(Theme, theme.id).summary, session.get(Theme, theme.id).summary_is_custom) == before
    assert not session.exec(select(CurationEvent).where(CurationEvent.action == "summary")).all()


def test_the_summary_from_the_notes_saved_unchanged_stays_theirs_so_hiding_a_note_still_takes_it_out(
        client, harvest, session):
    setup, csrf = harvest
    base = f"/leader/cafes/{setup.cafe_id}/themes"
    first, *_ = theme_ids(client.post(f"{base}/run", data={"csrf_token": csrf, "themes": 3}).text)
    theme = session.get(Theme, first)
    engine_summary = theme.summary
    notes = session.exec(select(Note).join(ThemeNote, ThemeNote.note_id == Note.id).where(ThemeNote.theme_id == first))
    quoted = next(n for n in notes if n.public_text.rstrip(".") in engine_summary)

    client.post(f"{base}/{first}/summary", data={"csrf_token": csrf, "summary": engine_summary.replace(" ", "\r\n", 1)})
    session.expire_all()
    assert (session.get(Theme, first).summary, session.get(Theme, first).summary_is_custom) == (engine_summary, False)
    assert not session.exec(select(CurationEvent).where(CurationEvent.action == "summary")).all()

    client.post(f"/leader/notes/{quoted.id}/visibility", data={"csrf_token": csrf, "hidden": "true"})
    session.expire_all()
    assert quoted.public_text.rstrip(".") not in session.get(Theme, first).summary


def test_each_theme_says_how_many_of_its_notes_each_round_gave_in_plain_swedish(client, harvest, session):
    setup, csrf = harvest
    base = f"/leader/cafes/{setup.cafe_id}/themes"
    page = client.post(f"{base}/run", data={"csrf_token": csrf, "themes": 3}, follow_redirects=True).text

    for theme_id in theme_ids(page):
        count = len(session.exec(select(ThemeNote).where(ThemeNote.theme_id == theme_id)).all())
        body = page.split(f'id="theme-{theme_id}"')[1].split('class="theme-card"')[0]
        assert f"Samtalsrunda 1: {count} inspel" in body  # all the notes came in the first round
    assert "Samtalsrundor:" not in page and "samtalsrunda 1:" not in page
