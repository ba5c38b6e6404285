"""The theme engine on a small hand-written café: four topics, eight notes each, in Swedish."""

from __future__ import annotations

import subprocess
import sys
from dataclasses import replace

import numpy as np
import pytest

from facilitation.embeddings import embed_texts, vector_from_bytes, vector_to_bytes
from facilitation.text import inflected_in
from facilitation.themes import (
    without_round_form,
    Note,
    ThemeError,
    default_theme_count,
    describe_themes,
    find_themes,
    split_theme,
)

TOPICS = {
    "buss": [
        "Bussen till stan går för sällan, vi behöver fler turer på kvällen",
        "Skolbussen och linjebussen borde samordnas bättre",
        "Busshållplatsen vid affären saknar väderskydd",
        "Kollektivtrafiken måste gå även på helger, inte bara vardagar",
        "Utan bil kommer man inte till jobbet, bussarna passar inte arbetstiderna",
        "Anropsstyrd trafik vore bra för oss som bor långt från busslinjen",
        "Fler bussturer till tågstationen i centralorten",
        "Billigare busskort för pensionärer och ungdomar",
    ],
    "skola": [
        "Behåll byskolan, barnen ska inte behöva åka en timme till skolan",
        "Skolan är hjärtat i byn, utan den flyttar barnfamiljerna",
        "Förskolan behöver fler platser och längre öppettider",
        "Lärarna på vår lilla skola gör ett fantastiskt jobb",
        "Fritidshemmet efter skolan behövs för föräldrar som pendlar",
        "Skolmaten i byskolan lagas på plats och det vill vi behålla",
        "Rektorn och lärarna borde få mer resurser till eleverna",
        "Om skolan läggs ned tappar byn sina barnfamiljer",
    ],
    "bredband": [
        "Fiber till alla hushåll, bredbandet är för långsamt",
        "Mobiltäckningen är dålig, samtal bryts hela tiden",
        "Utan snabbt bredband kan man inte jobba hemifrån",
        "Fiberföreningen behöver stöd från kommunen för att gräva klart",
        "Internet hänger sig på kvällarna när alla streamar",
        "Bredbandsutbyggnaden har stannat av i de mindre byarna",
        "Mobilmasten borde flyttas så att täckningen blir bättre i dalen",
        "Uppkopplingen måste fungera för att företag ska etablera sig här",
    ],
    "bostad": [
        "Det finns inga lediga hyresrätter i byn för unga",
        "Äldreboende behövs så att gamla kan bo kvar i byn",
        "Kommunen borde bygga fler lägenheter nära centrum",
        "Tomma hus står och förfaller, ägarna vill inte sälja",
        "Unga som vill flytta hem hittar inget boende att hyra",
        "Detaljplan för nya villatomter vid sjön",
        "Seniorboende med trygghetslarm skulle frigöra villor åt barnfamiljer",
        "Bostadsbristen gör att nya lärare och sjuksköterskor inte kan flytta hit",
    ],
}


def cafe_notes(topics=TOPICS, start=1):
    notes, truth = [], {}
    n = start
    for topic, texts in topics.items():
        for text in texts:
            notes.append(Note(id=n, text=text))
            truth[n] = topic
            n += 1
    return notes, truth


@pytest.fixture(scope="module")
def cafe():
    """The café's notes, their vectors (embedded once for the module) and the true topics."""
    notes, truth = cafe_notes()
    return notes, embed_texts([note.text for note in notes]), truth


def purity(result, truth):
    """Share of notes in a theme whose main topic is their own."""
    right = 0
    for theme in result.themes:
        topics = [truth[m] for m in theme.members]
        right += max(topics.count(t) for t in set(topics))
    return right / len(truth)


def test_four_obvious_topics_are_recovered(cafe):
    notes, vectors, truth = cafe
    result = find_themes(notes, vectors, n_themes=4)
    assert len(result.themes) == 4
    assert purity(result, truth) >= 0.85
    assert len(result.other) <= 0.1 * len(notes)


def test_every_note_is_in_one_theme_or_in_other(cafe):
    notes, vectors, _ = cafe
    result = find_themes(notes, vectors, n_themes=4)
    placed = [m for theme in result.themes for m in theme.members] + result.other
    assert sorted(placed) == sorted(note.id for note in notes)


def test_labels_and_keywords_are_words_people_wrote(cafe):
    notes, vectors, _ = cafe
    written = {w.strip(".,").lower() for note in notes for w in note.text.split()}
    result = find_themes(notes, vectors, n_themes=4)
    for theme in result.themes:
        assert 5 <= len(theme.keywords) <= 8
        # As written, or a noun written in its definite form shown as a heading writes it.
        assert all(inflected_in(keyword.lower(), written) for keyword in theme.keywords)
        label_words = theme.label.replace(",", "").split()
        assert 2 <= len([w for w in label_words if w != "och"]) <= 6
        assert all(inflected_in(w.lower(), written) for w in label_words)
        assert theme.label[0].isupper()


def test_a_theme_has_a_summary_of_sentences_from_its_notes(cafe):
    notes, vectors, _ = cafe
    text_of = {note.id: note.text for note in notes}
    for theme in find_themes(notes, vectors, n_themes=4).themes:
        sentences = [s.rstrip(".") for s in theme.summary.split(". ") if s]
        assert 1 <= len(sentences) <= 2
        member_texts = " ".join(text_of[m].lower() for m in theme.members)
        assert all(s.rstrip(".").lower() in member_texts for s in sentences)


def test_row_order_does_not_change_the_themes(cafe):
    notes, vectors, _ = cafe
    first = find_themes(notes, vectors).to_dict()
    for seed in (1, 2):
        order = np.random.RandomState(seed).permutation(len(notes))
        shuffled = find_themes([notes[i] for i in order], vectors[order]).to_dict()
        assert shuffled == first


def test_the_number_of_themes_comes_from_the_notes(cafe):
    notes, vectors, truth = cafe
    result = find_themes(notes, vectors)
    assert len(result.themes) == 4
    assert purity(result, truth) >= 0.85


def test_notes_without_a_content_word_go_to_other(cafe):
    notes, vectors, _ = cafe
    empty = [Note(id="ja", text="ja"), Note(id="ok", text="Ok!"), Note(id="lol", text="lol 😂")]
    result = find_themes(notes + empty, np.vstack([vectors, embed_texts([n.text for n in empty])]), n_themes=4)
    assert set(result.other) >= {"ja", "ok", "lol"}
    assert all(not set(t.members) & {"ja", "ok", "lol"} for t in result.themes)


def test_a_repeated_note_with_a_typo_is_quoted_once(cafe):
    notes, vectors, _ = cafe
    twins = [Note(id="t1", text="Fler företag behöver snabbt bredband i byn"),
             Note(id="t2", text="Fler förteag behöver snabbt bredband i byn!")]
    result = find_themes(notes + twins, np.vstack([vectors, embed_texts([n.text for n in twins])]), n_themes=4)
    for theme in result.themes:
        assert not {"t1", "t2"} <= set(theme.quote_ids)


def test_keywords_set_themes_apart(cafe):
    notes, vectors, _ = cafe
    result = find_themes(notes, vectors, n_themes=4)
    firsts = [theme.keywords[0] for theme in result.themes]
    assert len(set(firsts)) == len(firsts)


def test_quotes_are_two_or_three_different_notes_of_the_theme(cafe):
    notes, vectors, _ = cafe
    text_of = {note.id: note.text for note in notes}
    for theme in find_themes(notes, vectors, n_themes=4).themes:
        assert 2 <= len(theme.quotes) <= 3
        assert len(set(theme.quotes)) == len(theme.quotes)
        assert set(theme.quote_ids) <= set(theme.members)
        assert theme.quotes == [text_of[i] for i in theme.quote_ids]


def test_same_input_gives_same_themes(cafe):
    notes, vectors, _ = cafe
    first = find_themes(notes, vectors, n_themes=4).to_dict()
    assert find_themes(notes, vectors, n_themes=4).to_dict() == first


def test_themes_keep_key_and_custom_label_when_notes_are_added(cafe):
    notes, vectors, truth = cafe
    first = find_themes(notes, vectors, n_themes=4)
    school = max(first.themes, key=lambda t: sum(truth[m] == "skola" for m in t.members))
    renamed = replace(school, label="Byskolan", label_is_custom=True)
    previous = [renamed if t.key == school.key else t for t in first.themes]

    more = [
        Note(id=101, text="Byskolan måste finnas kvar för barnens skull"),
        Note(id=102, text="Bussen borde gå oftare till stan på helgerna"),
    ]
    second = find_themes(notes + more, np.vstack([vectors, embed_texts([n.text for n in more])]),
                         n_themes=4, previous=previous)

    assert {t.key for t in second.themes} == {t.key for t in first.themes}
    again = next(t for t in second.themes if t.key == school.key)
    assert again.label == "Byskolan" and again.label_is_custom
    assert 101 in again.members


def test_a_summary_written_by_a_person_is_kept_through_a_rerun_and_a_redescription(cafe):
    notes, vectors, truth = cafe
    first = find_themes(notes, vectors, n_themes=4)
    school = max(first.themes, key=lambda t: sum(truth[m] == "skola" for m in t.members))
    written = "Byn vill behålla skolan."
    previous = [replace(t, summary=written, summary_is_custom=True) if t.key == school.key else t
                for t in first.themes]

    more = [Note(id=103, text="Skolan i byn behövs för barnfamiljerna")]
    second = find_themes(notes + more, np.vstack([vectors, embed_texts([n.text for n in more])]),
                         n_themes=4, previous=previous)
    again = next(t for t in second.themes if t.key == school.key)
    assert again.summary == written and again.summary_is_custom
    assert all(t.summary != written and not t.summary_is_custom for t in second.themes if t.key != school.key)

    described = describe_themes(second.themes, notes + more)
    assert [(t.summary, t.summary_is_custom) for t in described if t.key == school.key] == [(written, True)]
    engine_again = describe_themes([replace(again, summary="", summary_is_custom=False)], notes + more)[0]
    assert engine_again.summary and engine_again.summary != written and not engine_again.summary_is_custom


def test_pinned_theme_is_kept_as_it_is_and_takes_no_new_notes(cafe):
    notes, vectors, truth = cafe
    first = find_themes(notes, vectors, n_themes=4)
    buses = max(first.themes, key=lambda t: sum(truth[m] == "buss" for m in t.members))
    pinned = replace(buses, pinned=True, label="Bussar", label_is_custom=True)

    new_bus_note = Note(id=201, text="Bussen till stan går för sällan på helgerna")
    second = find_themes(notes + [new_bus_note], np.vstack([vectors, embed_texts([new_bus_note.text])]),
                         n_themes=4, previous=[pinned])

    kept = next(t for t in second.themes if t.key == pinned.key)
    assert kept == pinned
    assert all(201 not in t.members for t in second.themes if t.pinned)
    assert sum(1 for t in second.themes if t.key == pinned.key) == 1
    others = [m for t in second.themes if not t.pinned for m in t.members]
    assert not set(others) & set(pinned.members)


def test_split_makes_parts_that_cover_the_theme(cafe):
    notes, vectors, truth = cafe
    merged = find_themes(notes, vectors, n_themes=2)
    biggest = merged.themes[0]
    parts = split_theme(biggest, notes, vectors, parts=2)
    assert len(parts) == 2
    assert sorted(m for p in parts for m in p.members) == sorted(biggest.members)
    assert parts[0].keywords[0] != parts[1].keywords[0]


def test_split_refuses_more_parts_than_notes(cafe):
    notes, vectors, _ = cafe
    theme = find_themes(notes, vectors, n_themes=4).themes[0]
    small = replace(theme, members=theme.members[:2])
    with pytest.raises(ThemeError, match="cannot be split"):
        split_theme(small, notes, vectors, parts=3)


def test_describe_themes_keeps_custom_label_after_notes_are_moved(cafe):
    notes, vectors, _ = cafe
    themes = find_themes(notes, vectors, n_themes=4).themes
    a, b = themes[0], themes[1]
    moved = [replace(a, members=a.members + b.members[:1], label="Vårt namn", label_is_custom=True),
             replace(b, members=b.members[1:])]
    described = describe_themes(moved, notes, vectors)
    assert described[0].label == "Vårt namn"
    assert described[0].size == a.size + 1
    assert described[1].label != "Vårt namn" and described[1].keywords


def test_caller_can_ask_for_more_or_fewer_themes(cafe):
    notes, vectors, _ = cafe
    assert len(find_themes(notes, vectors, n_themes=2).themes) == 2
    assert len(find_themes(notes, vectors, n_themes=6).themes) == 6


def test_the_most_themes_tried_grows_with_the_notes_and_stays_small():
    counts = [default_theme_count(n) for n in (0, 1, 5, 12, 40, 100, 500, 100_000)]
    assert counts[0] == 0 and counts[1] == 1
    assert counts == sorted(counts)
    assert default_theme_count(12) == 4 and default_theme_count(250) == 8  # a café evening
    assert max(counts) <= 12  # a board a leader can still read and curate


def test_a_process_with_more_topics_than_a_cafe_gets_as_many_themes():
    # A process across villages often holds 10 to 12 topics (the demo's has 12): the count the
    # notes support is found above 8 too.
    from facilitation.clustering import choose_theme_count

    rng = np.random.RandomState(3)
    centres = rng.normal(size=(11, 64))
    vectors = np.vstack([c + 0.35 * rng.normal(size=(25, 64)) for c in centres])  # a process: above 250 notes
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    assert choose_theme_count(vectors[rng.permutation(len(vectors))], most=default_theme_count(len(vectors))) == 11


def test_emoji_only_notes_go_to_other(cafe):
    notes, vectors, _ = cafe
    emoji = [Note(id="e1", text="👍👍"), Note(id="e2", text="🚌 🚌 !!")]
    result = find_themes(notes + emoji, np.vstack([vectors, embed_texts([n.text for n in emoji])]), n_themes=4)
    assert set(result.other) >= {"e1", "e2"}
    assert len(result.other) <= 0.1 * (len(notes) + 2)


def test_notes_in_other_languages_are_kept_and_placed(cafe):
    notes, vectors, _ = cafe
    foreign = [
        Note(id="fi", text="Bussi kulkee liian harvoin kylästä kaupunkiin"),
        Note(id="ar", text="نحتاج إلى مدرسة في القرية"),
        Note(id="en", text="The school bus leaves far too early in the morning"),
    ]
    all_vectors = np.vstack([vectors, embed_texts([n.text for n in foreign])])
    result = find_themes(notes + foreign, all_vectors, n_themes=4)
    placed = {m for t in result.themes for m in t.members} | set(result.other)
    assert {"fi", "ar", "en"} <= placed


def test_one_note_gives_one_theme():
    result = find_themes([Note(id=1, text="Fler bussar till stan")], np.ones((1, 384), dtype=np.float32))
    assert [t.members for t in result.themes] == [[1]]
    assert result.themes[0].label


def test_identical_notes_give_one_theme():
    notes = [Note(id=i, text="Fler bussar till stan") for i in range(30)]
    vectors = np.tile(np.linspace(-1, 1, 384, dtype=np.float32), (30, 1))
    result = find_themes(notes, vectors, n_themes=4)
    assert len(result.themes) == 1 and result.themes[0].size == 30
    assert result.other == []


def test_no_notes_gives_no_themes():
    result = find_themes([], np.zeros((0, 384), dtype=np.float32))
    assert result.themes == [] and result.other == []


def test_duplicate_ids_are_refused():
    with pytest.raises(ThemeError, match="same id"):
        find_themes([Note(1, "a"), Note(1, "b")], np.eye(2, 384, dtype=np.float32))


def test_vectors_must_match_the_notes():
    with pytest.raises(ThemeError, match="one vector per note"):
        find_themes([Note(1, "a"), Note(2, "b")], np.zeros((3, 384), dtype=np.float32))


def test_vectors_survive_a_round_trip_through_bytes(cafe):
    _, vectors, _ = cafe
    assert np.array_equal(vector_from_bytes(vector_to_bytes(vectors[0])), vectors[0])


def test_text_only_backend_still_places_every_note(cafe):
    notes, _, _ = cafe
    vectors = embed_texts([n.text for n in notes], backend="tfidf-lsa")
    assert vectors.shape == (len(notes), 384)
    result = find_themes(notes, vectors, n_themes=4)
    placed = [m for t in result.themes for m in t.members] + result.other
    assert sorted(placed) == sorted(n.id for n in notes)


def test_facilitation_imports_no_web_framework():
    code = (
        "import sys, facilitation.themes, facilitation.inputs, facilitation.embeddings;"
        "bad = {'fastapi', 'starlette', 'sqlmodel', 'sqlalchemy', 'jinja2'} & set(sys.modules);"
        "print(sorted(bad)); sys.exit(1 if bad else 0)"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr


def test_a_rounds_own_form_is_taken_out_so_themes_are_topics_not_questions():
    # Two topics, two rounds; each round's question adds a strong shared direction to its
    # answers, stronger than the topics: known rounds give the topics back.
    rng = np.random.RandomState(3)
    topic, question = rng.normal(size=(2, 64)), rng.normal(size=(2, 64)) * 2.0
    rows = [(t, r) for t in range(2) for r in range(2) for _ in range(12)]
    vectors = np.array([topic[t] + question[r] + 0.3 * rng.normal(size=64) for t, r in rows], dtype=np.float32)
    texts = [f"Lapp {i} om {('bussen', 'skolan')[t]}" for i, (t, _) in enumerate(rows)]

    def grouping(with_rounds: bool) -> set[frozenset]:
        notes = [Note(id=i, text=text, round=r if with_rounds else None) for i, (text, (_, r)) in enumerate(zip(texts, rows))]
        result = find_themes(notes, vectors, n_themes=2)
        return {frozenset(theme.members) for theme in result.themes}

    by_topic = {frozenset(i for i, (t, _) in enumerate(rows) if t == k) for k in range(2)}
    by_round = {frozenset(i for i, (_, r) in enumerate(rows) if r == k) for k in range(2)}
    assert grouping(with_rounds=False) == by_round
    assert grouping(with_rounds=True) == by_topic


def test_without_round_form_shrinks_a_small_rounds_shift_and_leaves_unknown_rounds():
    vectors = np.array([[1.0, 0.0]] * 10 + [[0.0, 1.0]] * 2 + [[0.5, 0.5]], dtype=np.float32)
    notes = [Note(id=i, text="x", round=("a" if i < 10 else "b" if i < 12 else None)) for i in range(13)]
    moved = without_round_form(notes, vectors)
    mean = vectors.mean(axis=0)
    assert np.allclose(moved[0], vectors[0] - (vectors[0] - mean) * 10 / 15)
    assert np.allclose(moved[10], vectors[10] - (vectors[10] - mean) * 2 / 7)
    assert np.allclose(moved[12], vectors[12])
    assert np.array_equal(without_round_form([Note(id=1, text="x")], vectors[:1]), vectors[:1])
