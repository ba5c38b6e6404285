"""Upgrading a database that already holds text makes it what new text is: notes and leader text
masked, leader text cleaned of invisible characters, vectors made another way forgotten."""

from alembic import command
from alembic.config import Config
from sqlalchemy import create_engine, text

from app.settings import ROOT

BEFORE = "5f16fcd57458"  # the last migration before notes had a public text


def config_for(url: str) -> Config:
    config = Config(str(ROOT / "alembic.ini"))
    config.set_main_option("script_location", str(ROOT / "alembic"))
    config.attributes["database_url"] = url
    return config

def insert_cafe(db, description: str) -> None:
    """An organisation, a process with this description, and a café with one table and round."""
    db.execute(text("INSERT INTO organisation (id, name, created_at) VALUES (1, 'Storsjö kommun', '2026-01-01')"))
    db.execute(text(
        "INSERT INTO process (id, organisation_id, name, municipalities, plan, participation_level, description,"
        " published, created_at) VALUES (1, 1, 'Dialog', '', '', 'consultation', :description, 0, '2026-01-01')"
    ), {"description": description})
    db.execute(text(
        "INSERT INTO cafe (id, process_id, village, municipality, venue, date, table_count, phase, rounds_done,"
        " vote_open, vote_dots, created_at) VALUES (1, 1, 'Hallen', '', '', '2026-01-01', 1, 'closed', 1, 0, 3,"
        " '2026-01-01')"
    ))
    db.execute(text("INSERT INTO cafe_table (id, cafe_id, number, join_token, short_code, host_token)"
                    " VALUES (1, 1, 1, 'j', 's', 'h')"))
    db.execute(text("INSERT INTO round (id, cafe_id, number, question, minutes) VALUES (1, 1, 1, 'Vad?', 20)"))


def test_existing_notes_get_a_masked_public_text_and_leader_text_is_masked(tmp_path):
    url = f"sqlite:///{tmp_path / 'old.db'}"
    config = config_for(url)
    command.upgrade(config, BEFORE)
    engine = create_engine(url)
    with engine.begin() as db:
        insert_cafe(db, description="Frågor: ordf@byn.se")
        db.execute(text(
            "INSERT INTO note (id, cafe_id, table_id, round_id, source, client_id, text, created_at) VALUES"
            " (1, 1, 1, 1, 'host', 'a1', 'Ring 070-123 45 67', '2026-01-01'),"
            " (2, 1, 1, 1, 'host', 'a2', 'Fler bussar', '2026-01-01')"
        ))
        db.execute(text("INSERT INTO theme (id, process_id, cafe_id, key, label, label_is_custom, keywords, quotes,"
                        " pinned, position, category_confirmed, public_quotes, updated_at) VALUES (1, 1, 1, 'k',"
                        " 'Ring 08-123 456 78', 1, '[]', '[]', 0, 0, 0, '[]', '2026-01-01')"))
    command.upgrade(config, "head")
    with engine.connect() as db:
        notes = db.execute(text("SELECT text, public_text FROM note ORDER BY id")).all()
        label = db.execute(text("SELECT label FROM theme")).scalar_one()
        description = db.execute(text("SELECT description FROM process")).scalar_one()
    engine.dispose()
    assert [tuple(n) for n in notes] == [
        ("Ring 070-123 45 67", "Ring [telefonnummer borttaget]"), ("Fler bussar", "Fler bussar"),
    ]
    assert (label, description) == ("Ring [telefonnummer borttaget]", "Frågor: [e-post borttagen]")


def test_text_stored_before_the_new_masking_rules_is_masked_again(tmp_path):
    url = f"sqlite:///{tmp_path / 'older.db'}"
    config = config_for(url)
    command.upgrade(config, "fa957df4f34a")  # the last migration before the rules of 2026-12-02
    engine = create_engine(url)
    with engine.begin() as db:
        insert_cafe(db, description="Ring 070.123.45.67")
        db.execute(text(
            "INSERT INTO note (id, cafe_id, table_id, round_id, source, client_id, text, public_text, embedding,"
            " created_at) VALUES"
            " (1, 1, 1, 1, 'host', 'a1', 'Soitto +358 40 123 4567', 'Soitto +358 40 123 4567', x'00', '2026-01-01'),"
            " (2, 1, 1, 1, 'host', 'a2', 'Fler bussar', 'Fler bussar', x'00', '2026-01-01')"
        ))
        db.execute(text("INSERT INTO live_event (id, cafe_id, kind, data, at) VALUES (1, 1, 'note',"
                        " '{\"client_id\": \"a1\", \"text\": \"Soitto +358 40 123 4567\"}', '2026-01-01')"))
    command.upgrade(config, "f13e949af941")
    with engine.connect() as db:
        notes = db.execute(text("SELECT public_text, embedding IS NULL FROM note ORDER BY id")).all()
        description = db.execute(text("SELECT description FROM process")).scalar_one()
        event = db.execute(text("SELECT data FROM live_event")).scalar_one()
    engine.dispose()
    assert [tuple(n) for n in notes] == [("Soitto [telefonnummer borttaget]", 1), ("Fler bussar", 0)]
    assert description == "Ring [telefonnummer borttaget]"
    assert "358" not in event and "telefonnummer borttaget" in event


def test_a_stockholm_number_with_a_slash_stored_before_is_masked_and_themes_summaries_are_not_custom(tmp_path):
    url = f"sqlite:///{tmp_path / 'older.db'}"
    config = config_for(url)
    command.upgrade(config, "f13e949af941")  # the last migration before 08/123 456 78 was masked
    engine = create_engine(url)
    with engine.begin() as db:
        insert_cafe(db, description="Möte 08/12 2026")
        db.execute(text(
            "INSERT INTO note (id, cafe_id, table_id, round_id, source, client_id, text, public_text, created_at)"
            " VALUES (1, 1, 1, 1, 'host', 'a1', 'Ring 08/123 456 78', 'Ring 08/123 456 78', '2026-01-01')"
        ))
        db.execute(text(
            "INSERT INTO theme (id, process_id, cafe_id, key, label, label_is_custom, keywords, quotes, pinned,"
            " position, category_confirmed, public_quotes, updated_at, summary) VALUES (1, 1, 1, 'k', 'Bussar', 0,"
            " '[]', '[]', 0, 0, 0, '[]', '2026-01-01', 'Bussen går sällan.')"
        ))
    command.upgrade(config, "523f6b9dd0ea")
    with engine.connect() as db:
        note = db.execute(text("SELECT public_text FROM note")).scalar_one()
        description = db.execute(text("SELECT description FROM process")).scalar_one()
        theme = tuple(db.execute(text("SELECT summary, summary_is_custom FROM theme")).one())
    engine.dispose()
    assert (note, description) == ("Ring [telefonnummer borttaget]", "Möte 08/12 2026")
    assert theme == ("Bussen går sällan.", 0)


def test_vectors_pooled_before_tokens_were_weighed_by_rarity_are_forgotten(tmp_path):
    url = f"sqlite:///{tmp_path / 'older.db'}"
    config = config_for(url)
    command.upgrade(config, "523f6b9dd0ea")  # the last migration with mean-pooled vectors
    engine = create_engine(url)
    with engine.begin() as db:
        insert_cafe(db, description="")
        db.execute(text(
            "INSERT INTO note (id, cafe_id, table_id, round_id, source, client_id, text, public_text, embedding,"
            " created_at) VALUES (1, 1, 1, 1, 'host', 'a1', 'Fler bussar', 'Fler bussar', x'00', '2026-01-01')"
        ))
    command.upgrade(config, "a11f970331ee")
    with engine.connect() as db:
        note = tuple(db.execute(text("SELECT text, embedding IS NULL FROM note")).one())
    engine.dispose()
    assert note == ("Fler bussar", 1)


def test_invisible_characters_stored_in_leader_text_before_it_was_cleaned_are_taken_out(tmp_path):
    url = f"sqlite:///{tmp_path / 'older.db'}"
    config = config_for(url)
    command.upgrade(config, "a11f970331ee")  # the last migration before leader text was cleaned
    engine = create_engine(url)
    with engine.begin() as db:
        insert_cafe(db, description="Ring 070\u200f-123 45 67 om\u00adbud")
        db.execute(text("UPDATE round SET question = 'Vad \u202evill ni ha?'"))
    command.upgrade(config, "f777ff63637a")
    with engine.connect() as db:
        description = db.execute(text("SELECT description FROM process")).scalar_one()
        question = db.execute(text("SELECT question FROM round")).scalar_one()
    engine.dispose()
    assert (description, question) == ("Ring 070-123 45 67 ombud", "Vad vill ni ha?")
