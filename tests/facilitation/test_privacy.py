"""Finding and masking personal data in notes: identity numbers, phone numbers, e-mail addresses."""

import pytest

from facilitation.privacy import (
    ENGLISH_PLACEHOLDERS,
    PLACEHOLDERS,
    PersonalDataMatch,
    find_personal_data,
    in_language,
    mask_personal_data,
    masked_kinds,
    placeholders_for,
    without_placeholders,
)


def kinds_and_texts(text):
    return [(found.kind, found.text) for found in find_personal_data(text)]


@pytest.mark.parametrize(
    "number",
    [
        "811228-9874",  # YYMMDD-NNNN
        "8112289874",  # YYMMDDNNNN
        "19811228-9874",  # YYYYMMDD-NNNN
        "198112289874",  # YYYYMMDDNNNN
        "191212+1212",  # '+': a person of a hundred or more
        "811228–9874",  # en dash, as phones and Word type it
        "811228\u00a09874",  # no-break space
        "20050412-1237",
        "650412 - 1234",  # spaces around the dash
        "19650412 - 1234",
        "650412 – 1234",
    ],
)
def test_personal_identity_numbers_in_every_written_form(number):
    assert kinds_and_texts(f"Ring mig, {number} tack") == [("personnummer", number)]


@pytest.mark.parametrize(
    "number",
    [
        "131052-308T",  # born 13 October 1952
        "131052–308T",  # en dash
        "131052-308t",  # the check character typed in lower case
        "010594Y9032",  # 1900s, the new century signs U to Y
        "020502A901W",  # 2000s
        "240210E442X",  # 2000s, the new century signs B to F
        "150899+123M",  # 1800s
    ],
)
def test_a_finnish_henkilotunnus_is_masked_like_a_personnummer(number):
    assert kinds_and_texts(f"Soita, {number} kiitos") == [("personnummer", number)]
    assert mask_personal_data(f"Hetu {number}.") == "Hetu [personnummer borttaget]."


@pytest.mark.parametrize(
    "not_a_henkilotunnus",
    [
        "131052-308U",  # wrong check character
        "131052-309T",
        "311152-308T",  # 31 November
        "131052G308T",  # G is no century sign
        "Tunnus 131052-308TX",  # part of a longer code
        "X131052-308T",
    ],
)
def test_a_henkilotunnus_with_a_wrong_check_character_or_date_is_left_alone(not_a_henkilotunnus):
    assert find_personal_data(f"Koodi {not_a_henkilotunnus}") == []


def test_day_plus_sixty_is_a_samordningsnummer():
    assert kinds_and_texts("nr 701063-2391") == [("samordningsnummer", "701063-2391")]


def test_date_shaped_number_with_wrong_check_digit_is_still_masked():
    assert kinds_and_texts("811228-9875") == [("personnummer", "811228-9875")]


@pytest.mark.parametrize(
    "not_a_date",
    ["811328-9874", "811232-9874", "810000-1234", "811292-9874", "123456-7890", "21811228-9874"],
)
def test_numbers_that_are_not_date_shaped_are_left_alone(not_a_date):
    assert find_personal_data(f"Ärende {not_a_date}") == []


@pytest.mark.parametrize(
    "number",
    [
        "070-123 45 67",
        "0701234567",
        "070 123 45 67",
        "070-1234567",
        "+46 70 123 45 67",
        "+46701234567",
        "+46 (0)70-123 45 67",
        "0046 70 123 45 67",
        "08-123 456 78",
        "063-12 34 56",
        "0980-123 45",
        "063 – 12 34 56",
        "073\u2011987\u00a065\u00a043",  # non-breaking hyphen and spaces, as a phone pastes them
        "063\u202f12\u202f34\u202f56",  # narrow no-break spaces
        "070.123.45.67",
        "08.123.456.78",
        "(070) 123 45 67",
        "(0980) 123 45",
        "070/123 45 67",
        "0980 / 123 45",
        "08/123 456 78",  # Stockholm's one-digit area code before a slash
        "08/12 34 56",
        "08 / 123 45 67",
        "08/45 20 26",  # no day and month, so a number
    ],
)
def test_swedish_phone_numbers(number):
    assert kinds_and_texts(f"Ring {number} efter kl 17") == [("phone", number)]


@pytest.mark.parametrize(
    "number",
    [
        "+358 40 123 4567",  # Finland
        "+358 (0)40 123 4567",
        "00358 40 123 4567",
        "040 123 4567",  # a Finnish mobile dialled within Finland
        "+47 912 34 567",  # Norway
        "+45 12 34 56 78",  # Denmark
        "+354 612 3456",  # Iceland
        "+4791234567",
    ],
)
def test_nordic_phone_numbers(number):
    assert kinds_and_texts(f"Ring {number} efter kl 17") == [("phone", number)]


@pytest.mark.parametrize(
    ("written", "kind"),
    [
        ("070\u00ad123 45 67", "phone"),  # soft hyphen
        ("070\u2060-123 45 67", "phone"),  # word joiner
        ("070\u200e-123\u200f 45 67", "phone"),  # direction marks
        ("070-123\u200c45\u200d67", "phone"),  # zero-width non-joiner and joiner
        ("０７０-１２３ ４５ ６７", "phone"),  # full-width digits
        ("（０７０）１２３ ４５ ６７", "phone"),  # full-width parentheses too
        ("650412\u2060-1234", "personnummer"),
        ("６５０４１２-１２３４", "personnummer"),
        ("131052-308\u00adT", "personnummer"),
        ("anna\u200d.lind@example.se", "email"),
        ("anna.lind\u200b@example.se", "email"),
        ("ａｎｎａ＠example.se", "email"),
    ],
)
def test_invisible_characters_and_full_width_forms_do_not_hide_personal_data(written, kind):
    assert kinds_and_texts(f"Ring {written} nu") == [(kind, written)]
    assert mask_personal_data(f"Ring {written} nu") == f"Ring {PLACEHOLDERS[kind]} nu"


def test_text_around_invisible_characters_is_kept_as_written():
    note = "Sam\u00adtal om vägen: Lars 070\u00ad123 45 67, ２０２６ vill vi ha ny väg."
    found = find_personal_data(note)
    assert [(f.kind, f.start, f.end) for f in found] == [("phone", 23, 36)]
    assert note[23:36] == "070\u00ad123 45 67"
    masked = "Sam\u00adtal om vägen: Lars [telefonnummer borttaget], ２０２６ vill vi ha ny väg."
    assert mask_personal_data(note) == masked


@pytest.mark.parametrize(
    "address",
    ["anna.svensson@example.se", "lars+vag@byalag.example.org", "åsa.öberg@exempel.se", "A_B-C@sub.domain.nu"],
)
def test_email_addresses(address):
    assert kinds_and_texts(f"Mejla {address}, tack") == [("email", address)]


@pytest.mark.parametrize(
    "note",
    [
        "Vi vill ha ny skola till 2026",
        "Byggt 1965, renoverat 1998–2004",
        "Väg 321 behöver ny beläggning, och väg E14 också",
        "Tomten kostade 150 000 kr, huset 1 500 000 000 kr i hela kommunen",
        "Bussen går kl 18.30 och kl 08.30-09.00",
        "Rundorna är 30 minuter, borden 5-8 personer",
        "Kaféet 2026-03-10 kl. 18:30–21:00",
        "Postadress 831 91 Hallviken",
        "Föreningens org.nr 802412-3456 är bra att ha",  # an organisation, not a person (month 24)
        "Swish 123 456 78 90 till bygdegården",
        "Ett nummer som är för långt: 0701234567890",
        "12+ personer kom, 3 av 4 ville ha fiber",
        "Mejla oss @bygdegarden på instagram",
        "Budgeten är 1 500 000 kr, och +1 500 000 kr nästa år",
        "E4 och väg 321 möts vid avfarten, 16-åringar cyklar där",
        "Nästa kafé 2026-05-12 kl 18.30, fika 25,50 kr",
        "Mötet 01.02.2026 och 05.12.2026 kl 08.30",
        "Bygget 05/12, klart 1/3 2027, invigning 05/12 2027",
        "Kafé 08/12 2026, nästa 08/1 2027 och 8/12-2026",  # dates, though 08 is an area code
        "Ärende 08/123 45 i diariet",  # too short for a Stockholm number
        "Tåget 08/12 kl 18.30, buss 09/123 456 78",  # 09 is no area code
        "Hyran steg 12.5 %, från 4 500 till 5 062,50 kr",
        "Sam\u00adtals\u00adrunda ２０２６ med ３０ personer",
        "",
    ],
)
def test_ordinary_numbers_and_words_are_not_personal_data(note):
    assert find_personal_data(note) == []
    assert mask_personal_data(note) == note


def test_match_gives_the_span_in_the_original_text():
    text = "Lars 070-123 45 67"
    assert find_personal_data(text) == [PersonalDataMatch("phone", 5, 18, "070-123 45 67")]
    assert text[5:18] == "070-123 45 67"


def test_masking_keeps_the_text_around_the_personal_data():
    note = "ring mig om vägen, Lars 070-123 45 67. Väg 321 är värst."
    assert mask_personal_data(note) == "ring mig om vägen, Lars [telefonnummer borttaget]. Väg 321 är värst."


def test_masking_several_kinds_in_one_note():
    note = "Maj-Britt 19650412-1234, tel 063-12 34 56 eller anna.svensson@example.se!"
    assert mask_personal_data(note) == (
        "Maj-Britt [personnummer borttaget], tel [telefonnummer borttaget] eller [e-post borttagen]!"
    )
    assert [found.kind for found in find_personal_data(note)] == ["personnummer", "phone", "email"]


def test_samordningsnummer_is_masked_as_a_personnummer_so_the_placeholder_tells_nothing_more():
    assert mask_personal_data("701063-2391") == "[personnummer borttaget]"


def test_english_placeholders_for_an_english_export():
    note = "Call 070-123 45 67 or mail anna.svensson@example.se"
    masked = mask_personal_data(note, placeholders=ENGLISH_PLACEHOLDERS)
    assert masked == "Call [phone number removed] or mail [e-mail removed]"


def test_placeholders_not_given_fall_back_to_swedish():
    masked = mask_personal_data("070-123 45 67, 811228-9874", placeholders={"phone": "[tel]"})
    assert masked == "[tel], [personnummer borttaget]"


def test_a_dashless_mobile_number_that_looks_like_a_date_is_a_phone_number():
    # 07-01-23 is a date, but without a separator and with a wrong check digit it is a phone.
    assert kinds_and_texts("0701234567") == [("phone", "0701234567")]


def test_a_personnummer_is_not_also_read_as_a_phone_number():
    # 050412-1237 is also 0 + nine digits, like a phone number: one finding, the more specific.
    assert kinds_and_texts("050412-1237") == [("personnummer", "050412-1237")]


def test_masking_is_idempotent():
    once = mask_personal_data("Lars 070-123 45 67, 19650412-1234, anna.svensson@example.se")
    assert mask_personal_data(once) == once


def test_the_kinds_masked_in_a_text_are_read_from_its_placeholders():
    masked = mask_personal_data("Ring 070-123 45 67 eller 08-123 456 78, mejla a@b.se. [namn borttaget] vet.")
    assert masked_kinds(masked) == ["phone", "email", "name"]
    assert masked_kinds("Inget personligt här") == []


def test_a_masked_text_is_shown_with_the_placeholders_of_the_page_language():
    masked = mask_personal_data("Ring 070-123 45 67, [namn borttaget] vet, 19650412-1234")
    assert in_language(masked, ENGLISH_PLACEHOLDERS) == "Ring [phone number removed], [name removed] vet, [ID number removed]"
    assert in_language(masked, placeholders_for("fi")) == (
        "Ring [puhelinnumero poistettu], [nimi poistettu] vet, [henkilötunnus poistettu]")
    assert in_language(masked, placeholders_for("sv")) == masked


def test_themes_read_a_masked_text_without_its_placeholders():
    masked = mask_personal_data("Fler bussar, ring 070-123 45 67 eller mejla anna.lind@example.se")
    assert without_placeholders(masked) == "Fler bussar, ring eller mejla"
