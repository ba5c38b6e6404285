"""Personal data in notes: Swedish and Finnish personal identity numbers, phone numbers and
e-mail addresses.

Notes sent to a municipality can become public records, so what is shown publicly or exported
has these masked. When in doubt we mask: a hidden year is a small loss, an exposed number is not.

Masking happens once, when text is written: a note keeps what was typed for the leader's
moderation view and a masked copy for everyone and everything else (app/models.py).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

PERSONNUMMER = "personnummer"
SAMORDNINGSNUMMER = "samordningsnummer"
PHONE = "phone"
EMAIL = "email"

# Both kinds of identity number get the same placeholder: saying "samordningsnummer" would tell
# that the writer is not registered in Sweden, a detail that can point to a person.
PLACEHOLDERS = {
    PERSONNUMMER: "[personnummer borttaget]",
    SAMORDNINGSNUMMER: "[personnummer borttaget]",
    PHONE: "[telefonnummer borttaget]",
    EMAIL: "[e-post borttagen]",
}
NAME = "name"
# A name is masked by hand, when the leader agrees that a flagged name is a private person's.
NAME_PLACEHOLDER = "[namn borttaget]"
ENGLISH_PLACEHOLDERS = {
    PERSONNUMMER: "[ID number removed]",
    SAMORDNINGSNUMMER: "[ID number removed]",
    PHONE: "[phone number removed]",
    EMAIL: "[e-mail removed]",
    NAME: "[name removed]",
}
FINNISH_PLACEHOLDERS = {
    PERSONNUMMER: "[henkilötunnus poistettu]",
    SAMORDNINGSNUMMER: "[henkilötunnus poistettu]",
    PHONE: "[puhelinnumero poistettu]",
    EMAIL: "[sähköposti poistettu]",
    NAME: "[nimi poistettu]",
}


def placeholders_for(language: str) -> Mapping[str, str]:
    """The placeholders a page in `language` shows (Swedish, as stored, for any other)."""
    return {"en": ENGLISH_PLACEHOLDERS, "fi": FINNISH_PLACEHOLDERS}.get(language, PLACEHOLDERS | {NAME: NAME_PLACEHOLDER})


@dataclass(frozen=True)
class PersonalDataMatch:
    kind: str  # PERSONNUMMER, SAMORDNINGSNUMMER, PHONE or EMAIL
    start: int
    end: int
    text: str


# Phones and Word put in hyphens, en dashes, minus signs and no-break spaces for what people type
# as "-" and " ".
_DASHES = r"\-\u2010\u2011\u2012\u2013\u2014\u2212"
_SPACES = r"\x20\u00a0\u2007\u2009\u202f"
_PHONE_SEPARATOR = rf"(?:[{_SPACES}]?[{_DASHES}][{_SPACES}]?|[{_SPACES}])"
# Not the middle or tail of a longer number, such as the "000 000" in "1 500 000 000 kr".
_NOT_AFTER_A_NUMBER = rf"(?<![0-9+])(?<![0-9][{_SPACES}{_DASHES}/.,:])"

_IDENTITY_NUMBER = re.compile(
    rf"{_NOT_AFTER_A_NUMBER}(?P<century>[0-9]{{2}})?(?P<date>[0-9]{{6}})"
    rf"(?P<separator>[{_SPACES}]?[{_DASHES}+][{_SPACES}]?|[{_SPACES}])?(?P<serial>[0-9]{{4}})(?![0-9])"
)
# A Finnish henkilötunnus (131052-308T): DDMMYY, a century sign (+ 1800s; - or U to Y 1900s; A to F
# 2000s), a three-digit individual number and a check character, the nine digits modulo 31.
_HENKILOTUNNUS = re.compile(
    rf"(?<![\w+])(?P<date>[0-9]{{6}})(?P<century>[{_DASHES}+A-FU-Y])"
    r"(?P<individual>[0-9]{3})(?P<check>[0-9A-Y])(?!\w)",
    re.IGNORECASE,
)
_HENKILOTUNNUS_CHECK = "0123456789ABCDEFHJKLMNPRSTUVWXY"
# Swedish numbers are 0 + 7 to 9 digits (070-123 45 67, 08-123 456 78, 063-12 34 56), the area code
# maybe in parentheses ((070) 123 45 67) or before a slash (070/123 45 67, 08/12 34 56; not 05/12
# 2026 or 08/12 2026, dates: see `_is_slashed_phone_number`),
# the groups maybe split by dots (070.123.45.67; not 01.02.2026, a date). From abroad a country
# code and the number without its 0 (+46 70 123 45 67, 0046 ..., +358 40 123 4567, +47 912 34 567):
# 9 to 15 digits after the + or 00, "(0)" being the 0 dialled within the country. A second 0 after
# a first would be an international prefix, not an area code.
_AREA_CODE = "0[1-9][0-9]{0,2}"
_PHONE_NUMBER = re.compile(
    rf"{_NOT_AFTER_A_NUMBER}(?:"
    rf"(?:\+|00)[1-9](?:{_PHONE_SEPARATOR}?(?:\(0\){_PHONE_SEPARATOR}?)?[0-9]){{8,14}}"
    rf"|0[1-9](?:{_PHONE_SEPARATOR}?[0-9]){{6,8}}"
    rf"|(?:\({_AREA_CODE}\){_PHONE_SEPARATOR}?|{_AREA_CODE}[{_SPACES}]?/[{_SPACES}]?)"
    rf"[0-9](?:{_PHONE_SEPARATOR}?[0-9]){{3,7}}"
    rf"|{_AREA_CODE}(?:\.[0-9]{{2,3}}){{2,3}}"
    rf")(?![0-9])"
)
_EMAIL = re.compile(r"[\w.%+\-]+@[\w\-]+(?:\.[\w\-]+)*\.[A-Za-z]{2,}\b")
# Characters nobody sees that phones, web pages and Word put into text (soft hyphens, zero-width
# spaces and joiners, direction marks): inside a number or an address they would hide it.
_INVISIBLE = re.compile("[\u00ad\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff]")

# When two findings overlap, the longer wins; at equal length, the more specific.
_PRIORITY = {EMAIL: 0, PERSONNUMMER: 1, SAMORDNINGSNUMMER: 1, PHONE: 2}


def find_personal_data(text: str) -> list[PersonalDataMatch]:
    """Every personal identity number, phone number and e-mail address in `text`, in order."""
    read, position_in_text = _as_read(text)
    # Every note is masked as it is stored: most have no "@" and fewer digits than the shortest
    # phone number (8), and this check costs a microsecond where the patterns cost a hundred.
    if "@" not in read and sum(map(read.count, "0123456789")) < 8:
        return []
    spans = [(kind, m.start(), m.end()) for m in _IDENTITY_NUMBER.finditer(read) if (kind := _identity_number_kind(m))]
    spans += [(PERSONNUMMER, m.start(), m.end()) for m in _HENKILOTUNNUS.finditer(read) if _is_henkilotunnus(m)]
    spans += [(PHONE, m.start(), m.end()) for m in _PHONE_NUMBER.finditer(read) if _is_phone_number(m.group())]
    spans += [(EMAIL, m.start(), m.end()) for m in _EMAIL.finditer(read)]
    found: list[PersonalDataMatch] = []
    for kind, start, end in spans:
        if position_in_text is not None:
            start, end = position_in_text[start], position_in_text[end - 1] + 1
        found.append(PersonalDataMatch(kind, start, end, text[start:end]))
    found.sort(key=lambda f: (f.start, -(f.end - f.start), _PRIORITY[f.kind]))
    kept: list[PersonalDataMatch] = []
    for finding in found:
        if not kept or finding.start >= kept[-1].end:
            kept.append(finding)
    return kept


def mask_personal_data(text: str, placeholders: Mapping[str, str] | None = None) -> str:
    """`text` with each finding replaced by a placeholder (Swedish unless `placeholders` says)."""
    words = {**PLACEHOLDERS, **(placeholders or {})}
    masked = []
    position = 0
    for finding in find_personal_data(text):
        masked += [text[position : finding.start], words[finding.kind]]
        position = finding.end
    masked.append(text[position:])
    return "".join(masked)


_PLACEHOLDER = re.compile("|".join(re.escape(p) for p in {*PLACEHOLDERS.values(), NAME_PLACEHOLDER}))
_KIND_OF_PLACEHOLDER = {PLACEHOLDERS[kind]: kind for kind in (PHONE, EMAIL, PERSONNUMMER)} | {NAME_PLACEHOLDER: NAME}


def masked_kinds(masked_text: str) -> list[str]:
    """The kinds of personal data that were masked in `masked_text`, each once, in order."""
    return list(dict.fromkeys(_KIND_OF_PLACEHOLDER[p] for p in _PLACEHOLDER.findall(masked_text)))


def in_language(masked_text: str, placeholders: Mapping[str, str]) -> str:
    """`masked_text` (masked with the Swedish placeholders, as stored) with the placeholders of
    another language, for a page shown in it."""
    return _PLACEHOLDER.sub(lambda found: placeholders.get(_KIND_OF_PLACEHOLDER[found.group()], found.group()), masked_text)


def without_placeholders(masked_text: str) -> str:
    """`masked_text` without its placeholders: for finding themes, where "telefonnummer
    borttaget" would otherwise become a keyword."""
    return " ".join(_PLACEHOLDER.sub(" ", masked_text).split())


def _identity_number_kind(match: re.Match[str]) -> str | None:
    century, yymmdd, serial = match["century"], match["date"], match["serial"]
    year, month, day = int(yymmdd[:2]), int(yymmdd[2:4]), int(yymmdd[4:])
    kind = PERSONNUMMER
    if day > 60:
        kind, day = SAMORDNINGSNUMMER, day - 60
    if century is not None:
        if century not in ("18", "19", "20"):
            return None
        full_year = int(century + yymmdd[:2])
    else:
        full_year = 2000 + year  # century unknown: 2000 + yy lets 29 February through
    try:
        date(full_year, month, day)
    except ValueError:
        return None  # not date-shaped: some other number
    luhn_ok = _luhn_ok(yymmdd + serial)
    if not luhn_ok and century is None and match["separator"] is None and yymmdd[0] == "0" and yymmdd[1] != "0":
        return PHONE  # 0701234567: a phone number whose first digits happen to look like a date
    # A date-shaped number with a wrong check digit is still masked: a mistyped personnummer is
    # still one, and the law asks to expose these numbers as little as possible.
    return kind


def _as_read(text: str) -> tuple[str, list[int] | None]:
    """`text` as the patterns read it: without invisible characters, and with full-width and other
    compatibility forms as plain ones (NFKC: "０７０" is "070"). With it, for each of its
    characters, the position in `text` of the character it comes from; None when it is `text`."""
    if not _INVISIBLE.search(text) and unicodedata.is_normalized("NFKC", text):
        return text, None
    read: list[str] = []
    position_in_text: list[int] = []
    for position, character in enumerate(text):
        if not _INVISIBLE.match(character):
            plain = unicodedata.normalize("NFKC", character)
            read.append(plain)
            position_in_text += [position] * len(plain)
    return "".join(read), position_in_text


def _is_phone_number(number: str) -> bool:
    # The parenthesised, slashed and dotted forms leave the count to be checked; an international
    # number's count is in its pattern.
    if number.startswith(("+", "00")):
        return True
    if "/" in number:
        return _is_slashed_phone_number(number)
    return 8 <= sum(c.isdigit() for c in number) <= 10


# A day and a month with a year after a slash: 08/12 2026, 5/12-2026.
_SLASHED_DATE = re.compile(
    rf"0?(?P<a>[1-9])[{_SPACES}]?/[{_SPACES}]?(?P<b>[0-9]{{1,2}}){_PHONE_SEPARATOR}(?P<year>(?:19|20)[0-9]{{2}})"
)


def _is_slashed_phone_number(number: str) -> bool:
    """An area code, a slash and a subscriber number (08/123 456 78, 063/12 34 56) as Swedish
    numbers are: the subscriber number 5 to 8 digits, and area code (without its 0) and
    subscriber number 7 to 9 digits together. The one area code of one digit is Stockholm's 8,
    so 05/12 2026 is no number; 08/12 2026 is one only if it is no date."""
    area, subscriber = (sum(c.isdigit() for c in part) for part in number.split("/"))
    code = area - 1  # the area code's digits after its 0
    if code == 1 and not number.startswith("08"):
        return False
    if not (5 <= subscriber <= 8 and 7 <= code + subscriber <= 9):
        return False
    date_shaped = _SLASHED_DATE.fullmatch(number)
    return date_shaped is None or not _is_day_and_month(int(date_shaped["a"]), int(date_shaped["b"]), int(date_shaped["year"]))


def _is_day_and_month(a: int, b: int, year: int) -> bool:
    """a/b as a date of `year`, read either way round (5/12 is 5 December; 12/5 maybe 5 December)."""
    for day, month in ((a, b), (b, a)):
        try:
            date(year, month, day)
            return True
        except ValueError:
            pass
    return False


def _is_henkilotunnus(match: re.Match[str]) -> bool:
    century = match["century"].upper()
    year = {"+": 1800, **dict.fromkeys("ABCDEF", 2000)}.get(century, 1900)  # "-", dashes, U to Y
    ddmmyy = match["date"]
    try:
        date(year + int(ddmmyy[4:]), int(ddmmyy[2:4]), int(ddmmyy[:2]))
    except ValueError:
        return False
    return _HENKILOTUNNUS_CHECK[int(ddmmyy + match["individual"]) % 31] == match["check"].upper()


def _luhn_ok(ten_digits: str) -> bool:
    total = 0
    for position, digit in enumerate(int(d) for d in ten_digits):
        product = digit * (2 if position % 2 == 0 else 1)
        total += product - 9 if product > 9 else product
    return total % 10 == 0
