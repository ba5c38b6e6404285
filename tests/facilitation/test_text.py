"""Text handling: words, stop words, word forms and language, in Swedish and English."""

from facilitation.text import (
    ENGLISH_STOP_WORDS,
    SWEDISH_STOP_WORDS,
    clean,
    detect_language,
    detect_languages,
    has_words,
    indefinite,
    inflected_in,
    word_groups,
    words,
)


def test_stop_word_lists_are_reasonably_sized():
    assert 120 <= len(SWEDISH_STOP_WORDS) <= 250
    assert 120 <= len(ENGLISH_STOP_WORDS) <= 250
    assert {"och", "att", "det", "som"} <= SWEDISH_STOP_WORDS
    assert {"the", "and", "of", "to"} <= ENGLISH_STOP_WORDS


def test_words_are_lower_case_letters_without_numbers_or_emoji():
    assert words("Fler BUSSAR 🚌 till stan, 24 turer!") == ["fler", "bussar", "till", "stan", "turer"]


def test_emoji_only_note_has_no_words():
    assert not has_words("👍🚌 !!")
    assert not has_words("")
    assert has_words("Ja 👍")


def test_clean_collapses_whitespace_and_control_characters():
    assert clean("  Fler\tbussar\x00 \n till   stan ") == "Fler bussar till stan"


def test_swedish_and_english_notes_are_told_apart():
    assert detect_language("Vi behöver fler bussar till stan på kvällen") == "sv"
    assert detect_language("We need more buses to town in the evening") == "en"


def test_finnish_is_recognised_and_arabic_is_another_language():
    assert detect_language("Bussi kulkee liian harvoin ja se on ongelma meidän kylässä") == "fi"
    assert detect_language("نحتاج إلى مدرسة في القرية") == "other"


def test_short_notes_take_the_cafes_main_language():
    assert detect_language("Bredband") is None
    assert detect_languages(["Bredband", "Vi vill ha fiber i byn", "Det är för långt till skolan"]) == ["sv"] * 3


def test_word_forms_are_grouped_and_shown_as_written():
    texts = ["Bussen går sällan", "Fler bussar till stan", "Bussarna är fulla", "Bättre bredband", "Bredbandet är långsamt"]
    groups, shown = word_groups(texts, ["sv"] * len(texts))
    bus = groups[0] & groups[1] & groups[2]
    assert len(bus) == 1
    assert shown[next(iter(bus))] in {"bussen", "bussar", "bussarna"}
    broadband = groups[3] & groups[4]
    assert [shown[g] for g in broadband] == ["bredband"]


def test_stop_words_never_become_keywords():
    groups, shown = word_groups(["Det är och att som i på"], ["sv"])
    assert groups == [set()]


def test_words_of_praise_size_and_time_name_no_topic():
    texts = ["Bussen fungerar fantastiskt bra på kvällen", "Kommunen borde ge oss en stor, viktig busslinje varje dag"]
    groups, shown = word_groups(texts, ["sv", "sv"])
    kept = {shown[g] for g in groups[0] | groups[1]}
    assert kept == {"bussen", "kvällen"}  # "busslinje" joins the group of "bussen"


def test_names_keep_their_capitals_and_sentence_starts_do_not():
    texts = ["Skolan i Storsjö är bra", "Storsjö behöver skolan", "Vi gillar IT och skolan"]
    _, shown = word_groups(texts, ["sv"] * 3)
    assert "Storsjö" in shown.values()
    assert "IT" in shown.values()
    assert "skolan" in shown.values() and "Skolan" not in shown.values()


def test_a_definite_noun_has_its_indefinite_form_as_a_heading_writes_it():
    swedish = {"föreningslivet": "föreningsliv", "hemtjänsten": "hemtjänst", "vägarna": "vägar",
               "lärarna": "lärare", "markägarna": "markägare", "vattnet": "vatten", "området": "område",
               "skolan": "skola", "cykeln": "cykel", "vintern": "vinter", "bordet": "bord",
               "solcellerna": "solceller", "fiberutbyggnaden": "fiberutbyggnad", "strandskyddet": "strandskydd"}
    assert {w: indefinite(w, "sv") for w in swedish} == swedish
    # Indefinite already (a neuter plural too), an adjective, a verb, or a word whose base is a
    # function word ("byn": "by").
    for word in ["vatten", "barn", "station", "kommunalt", "stanna", "ordna", "byn", "liten", "områden", "möten"]:
        assert indefinite(word, "sv") == word
    assert indefinite("fisket", "sv", frozenset({"fiske", "fisket"})) == "fiske"  # the café's own form first
    assert [indefinite(w, "no") for w in ["veien", "bygda", "bussene", "skolen"]] == ["vei", "bygd", "busser", "skole"]
    assert [indefinite(w, "da") for w in ["vejen", "huset", "bilerne", "skolerne"]] == ["vej", "hus", "biler", "skoler"]
    assert indefinite("the", "en") == "the" and indefinite("koulun", "fi") == "koulun"  # no definite endings


def test_a_word_stands_where_it_or_a_definite_form_of_it_is_written():
    written = {"vattnet", "skolans", "fiberutbyggnaden"}
    assert all(inflected_in(w, written) for w in ["vatten", "skolan", "skola", "fiberutbyggnad", "vattnet"])
    assert not any(inflected_in(w, written) for w in ["vatt", "skol", "fiber", "sjö"])
