"""A theme's summary (one or two sentences of its notes) reaches the public page, the theme
table and the samråd workbook; never a sentence of a note the leader has hidden since."""

import io
import json

import docx
import pytest
from openpyxl import load_workbook

from app.exporters import xlsx
from app.exporters.docx import report as docx_report
from app.models import Cafe, Process, Theme
from app.services import notes as note_service
from app.services import planning
from app.services import publishing as publishing_service
from app.services import themes as themes_service
from app.services.exports import load_export
from facilitation.exports import to_json
from facilitation.leader_text import TooLong
from tests.app.test_planning import add_notes, add_theme, board
from tests.builders import log_in, make_cafe, make_leader

SUMMARY = "Bussen går för sällan. Fler turer på kvällen behövs, sa Karin."


def summarised_cafe(session):
    leader = make_leader(session)
    setup = make_cafe(session, leader)
    notes = add_notes(session, setup, ["Bussen går för sällan", "Fler turer på kvällen behövs, sa Karin",
                                       "Kollektivtrafiken måste bli bättre"])
    theme = add_theme(session, setup, notes)
    theme.summary = SUMMARY
    session.add(theme)
    session.commit()
    publishing_service.set_published(session, process=session.get(Process, setup.process_id), published=True)
    return leader, setup, notes, theme


def test_the_public_page_shows_the_summary(client, session):
    _, setup, _, _ = summarised_cafe(session)
    for path in (f"/p/{setup.process_id}", f"/p/{setup.process_id}/by/{setup.cafe_id}"):
        assert SUMMARY in client.get(path).text


@pytest.mark.parametrize("moderate", ["hide", "mask_name"])
def test_a_summary_quoting_a_note_hidden_or_masked_since_is_dropped(client, session, moderate):
    leader, setup, notes, theme = summarised_cafe(session)
    if moderate == "hide":
        note_service.set_hidden(session, note=notes[1], user=leader, hidden=True)
    else:
        note_service.mask_names(session, note=notes[1], user=leader)
    assert session.get(Theme, theme.id).summary == ""
    page = client.get(f"/p/{setup.process_id}/by/{setup.cafe_id}").text
    assert "Karin" not in page and 'class="summary"' not in page


def test_a_name_masked_in_a_note_leaves_its_themes_keywords_and_label(session):
    leader, _, notes, theme = summarised_cafe(session)
    theme.label, theme.keywords = "Karin och turer", json.dumps(["turer", "Karin", "Bussen"])
    session.add(theme)
    session.commit()
    note_service.mask_names(session, note=notes[1], user=leader)
    stored = session.get(Theme, theme.id)
    assert json.loads(stored.keywords) == ["turer", "Bussen"]
    assert stored.label == "Turer"  # the name's term goes; no marker claims a name was there


def test_hiding_a_note_keeps_a_label_word_another_theme_of_the_cafe_writes(session):
    # The engine names themes in the forms the whole café writes: "barn" stands in the other theme.
    leader = make_leader(session)
    setup = make_cafe(session, leader)
    school = add_notes(session, setup, ["Skoltiderna passar inte bussen", "Skoltider och arbetstider krockar"])
    children = add_notes(session, setup, ["Barn behöver en busskur"])
    theme = add_theme(session, setup, school, label="Skoltider och barn", keywords=("skoltider", "barn"))
    add_theme(session, setup, children, label="Busskur", keywords=("busskur",))
    note_service.set_hidden(session, note=school[0], user=leader, hidden=True)
    stored = session.get(Theme, theme.id)
    assert stored.label == "Skoltider och barn"
    assert json.loads(stored.keywords) == ["skoltider", "barn"]


def test_every_part_of_a_masked_full_name_leaves_the_theme_and_undo_does_not_bring_it_back(session):
    leader = make_leader(session)
    setup = make_cafe(session, leader)
    notes = add_notes(session, setup, ["Fråga Sven Svensson om bryggan vid sjön", "Bryggan vid sjön är trasig"])
    theme = add_theme(session, setup, notes, label="Sven, Svensson och bryggan", keywords=("Sven", "Svensson", "bryggan"))
    theme.summary = "Fråga Sven Svensson om bryggan vid sjön."
    session.add(theme)
    session.commit()
    scope = themes_service.Scope(setup.process_id, setup.cafe_id)
    themes_service.set_pinned(session, user=leader, scope=scope, theme_id=theme.id, pinned=True)  # a step to undo
    note_service.mask_names(session, note=notes[0], user=leader)
    themes_service.undo(session, user=leader, scope=scope)
    for stored in themes_service.themes_in(session, scope):
        shown = " ".join([stored.label, stored.summary or "", *json.loads(stored.keywords)])
        assert "Sven" not in shown and "Svensson" not in shown, shown
        assert "bryggan" in json.loads(stored.keywords)


def test_hiding_a_note_the_summary_does_not_quote_keeps_it(session):
    leader, _, notes, theme = summarised_cafe(session)
    note_service.set_hidden(session, note=notes[2], user=leader, hidden=True)
    assert session.get(Theme, theme.id).summary == SUMMARY


def test_the_samrad_workbook_has_the_themes_with_their_summaries(session):
    _, setup, _, _ = summarised_cafe(session)
    data = load_export(session, process=session.get(Process, setup.process_id), cafe=session.get(Cafe, setup.cafe_id))
    book = load_workbook(io.BytesIO(xlsx.samrad_workbook(data)))
    assert book.sheetnames[:2] == ["Samråd", "Teman"]
    sheet = book["Teman"]
    headers = [c.value for c in sheet[1]]
    column = headers.index("Sammanfattning")
    assert [row[column] for row in sheet.iter_rows(min_row=2, values_only=True)] == [SUMMARY]


def test_the_json_export_has_each_themes_summary(session):
    _, setup, _, _ = summarised_cafe(session)
    data = load_export(session, process=session.get(Process, setup.process_id), cafe=session.get(Cafe, setup.cafe_id))
    assert [t["summary"] for t in to_json(data)["themes"]] == [SUMMARY]


def test_an_approved_quote_the_summary_already_says_is_shown_once(client, session):
    leader, setup, notes, theme = summarised_cafe(session)
    scope = planning.Scope(setup.process_id, setup.cafe_id)
    for note in (notes[0], notes[2]):
        planning.set_public_quote(session, user=leader, scope=scope, theme_id=theme.id, note_id=note.id, approved=True)
    page = client.get(f"/p/{setup.process_id}/by/{setup.cafe_id}").text
    assert page.count("Bussen går för sällan") == 1
    assert "<q>Kollektivtrafiken måste bli bättre</q>" in page


def test_the_board_and_the_word_report_show_the_summary(client, session):
    _, setup, _, _ = summarised_cafe(session)
    log_in(client)
    assert SUMMARY in client.get(board(setup)).text
    data = load_export(session, process=session.get(Process, setup.process_id), cafe=session.get(Cafe, setup.cafe_id))
    report = docx.Document(io.BytesIO(docx_report(data)))
    assert SUMMARY in [paragraph.text for paragraph in report.paragraphs]


def test_the_word_report_quotes_only_what_the_summary_above_does_not_already_say(session):
    _, setup, notes, theme = summarised_cafe(session)
    theme.quotes = json.dumps([notes[0].id, notes[2].id])  # the first is the summary's first sentence
    session.add(theme)
    session.commit()
    data = load_export(session, process=session.get(Process, setup.process_id), cafe=session.get(Cafe, setup.cafe_id))
    report = docx.Document(io.BytesIO(docx_report(data)))
    assert [p.text for p in report.paragraphs if p.style.name == "Quote"] == ["”Kollektivtrafiken måste bli bättre”"]


WRITTEN = "Byn vill ha bussar varje timme, ring Sven på 08/123 456 78 eller 070-123 45 67 (19121212-1212)."


def test_a_summary_the_leader_writes_is_masked_and_shown_on_the_public_page_and_in_the_files(client, session):
    _, setup, _, theme = summarised_cafe(session)
    csrf = log_in(client)
    client.post(f"{board(setup)}/{theme.id}/summary", data={"csrf_token": csrf, "summary": WRITTEN})
    session.expire_all()
    stored = session.get(Theme, theme.id)
    assert stored.summary_is_custom
    assert stored.summary == ("Byn vill ha bussar varje timme, ring Sven på [telefonnummer borttaget] eller "
                              "[telefonnummer borttaget] ([personnummer borttaget]).")

    data = load_export(session, process=session.get(Process, setup.process_id), cafe=session.get(Cafe, setup.cafe_id))
    shown = {
        "board": client.get(board(setup)).text,
        "public page": client.get(f"/p/{setup.process_id}/by/{setup.cafe_id}").text,
        "word report": "\n".join(p.text for p in docx.Document(io.BytesIO(docx_report(data))).paragraphs),
        "samråd workbook": str([row for row in load_workbook(io.BytesIO(xlsx.samrad_workbook(data)))["Teman"].values]),
    }
    for where, text in shown.items():
        assert "Byn vill ha bussar varje timme" in text, where
        assert SUMMARY not in text and "[telefonnummer borttaget]" in text, where
        assert not any(secret in text for secret in ("123 456 78", "123 45 67", "1212-1212")), where


def test_the_notes_summary_saved_unchanged_is_kept_even_when_longer_than_a_leader_may_write(session):
    leader, setup, _, theme = summarised_cafe(session)
    long_summary = "Bussen går för sällan på kvällen och helgerna. " * 10  # 470 characters, from the notes
    theme.summary = long_summary.strip()
    session.add(theme)
    session.commit()
    scope = themes_service.Scope(setup.process_id, setup.cafe_id)
    kept = themes_service.write_summary(session, user=leader, scope=scope, theme_id=theme.id, summary=long_summary)
    assert (kept.summary, kept.summary_is_custom) == (long_summary.strip(), False)
    with pytest.raises(TooLong):
        themes_service.write_summary(session, user=leader, scope=scope, theme_id=theme.id, summary=long_summary + "Ja.")
