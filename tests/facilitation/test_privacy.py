"""Finding and masking personal data in notes: identity numbers, phone numbers, e-mail addresses."""

import pytest

from facilitation.privacy import (
    ENGLISH_PLACEHOLDERS,
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
    ],
)
def test_personal_identity_numbers_in_every_written_form(number):
    assert kinds_and_texts(f"Ring mig, {number} tack") == [("personnummer", number)]


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
    ],
)
def test_swedish_phone_numbers(number):
    assert kinds_and_texts(f"Ring {number} efter kl 17") == [("phone", number)]


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
