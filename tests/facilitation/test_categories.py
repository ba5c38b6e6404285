from facilitation.categories import DEFAULT_CATEGORIES, DEPARTMENT_SUGGESTIONS, suggest_category

BOSTÄDER, KOMMUNIKATIONER, SERVICE, NÄRINGSLIV, NATUR, KULTURMILJÖ, FRILUFTSLIV, TEKNIK, LIS, MÖTESPLATSER = (
    DEFAULT_CATEGORIES
)


def test_the_default_set_has_the_ten_headings_of_a_rural_plan():
    assert len(DEFAULT_CATEGORIES) == len(set(DEFAULT_CATEGORIES)) == 10
    assert "Skola och förskola" in DEPARTMENT_SUGGESTIONS


def test_a_theme_about_buses_belongs_under_kommunikationer():
    assert suggest_category(DEFAULT_CATEGORIES, ["buss", "kollektivtrafik"]) == KOMMUNIKATIONER


def test_word_forms_and_compounds_are_recognised():
    assert suggest_category(DEFAULT_CATEGORIES, ["bussarna", "grusvägen"]) == KOMMUNIKATIONER
    assert suggest_category(DEFAULT_CATEGORIES, ["bredbandsutbyggnad"]) == TEKNIK


def test_swedish_themes_get_sensible_suggestions():
    cases = {
        SERVICE: (["skolan", "vårdcentral"], ["Skolan måste finnas kvar i byn", "Vårdcentralen är för långt bort"]),
        TEKNIK: (["fiber", "avlopp"], ["Fiber till alla hushåll", "Kommunalt vatten och avlopp"]),
        NATUR: (["sjön", "våtmark"], ["Rädda sjön och våtmarken", "Fåglarna behöver skogen"]),
        FRILUFTSLIV: (["vandringsleder", "skidspår"], ["Fler vandringsleder och skidspår"]),
        MÖTESPLATSER: (["bygdegården"], ["Bygdegården behöver renoveras, där träffas alla föreningar"]),
        LIS: (["strandtomter"], ["Fler sjötomter vore bra för inflyttare"]),
        BOSTÄDER: (["hyresrätter"], ["Unga behöver hyresrätter och lägenheter"]),
        NÄRINGSLIV: (["jobb", "företag"], ["Företagen behöver lokaler"]),
        KULTURMILJÖ: (["kyrkan", "historia"], ["Den gamla kyrkan och byns historia"]),
    }
    for expected, (keywords, notes) in cases.items():
        assert suggest_category(DEFAULT_CATEGORIES, keywords, notes) == expected, keywords


def test_english_notes_are_understood_too():
    assert suggest_category(DEFAULT_CATEGORIES, ["bus", "timetable"], ["The bus runs too rarely"]) == KOMMUNIKATIONER
    assert suggest_category(DEFAULT_CATEGORIES, ["broadband"], ["Broadband is far too slow"]) == TEKNIK


def test_keywords_weigh_more_than_a_passing_word_in_a_note():
    notes = ["Skolan behöver fler lärare", "Fler elever i skolan", "Vi åker buss dit"]
    assert suggest_category(DEFAULT_CATEGORIES, ["skolan", "lärare"], notes) == SERVICE


def test_no_suggestion_when_no_word_points_anywhere():
    assert suggest_category(DEFAULT_CATEGORIES, ["hej"], ["Hej hopp och tack för kaffet"]) is None
    assert suggest_category([], ["buss"]) is None


def test_a_category_a_leader_added_is_matched_on_its_own_name():
    categories = [*DEFAULT_CATEGORIES, "Turism"]
    assert suggest_category(categories, ["turism"], ["Mer turism till byn"]) in ("Turism", NÄRINGSLIV)
    assert suggest_category(["Vägar", "Skolor"], ["vägen"], ["Vägen är dålig"]) == "Vägar"


def test_stop_words_in_category_names_match_nothing():
    assert suggest_category(["Natur och kultur", "Vägar"], ["och"], ["och och och"]) is None
