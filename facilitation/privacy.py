"""Personal data in notes: Swedish personal identity numbers, phone numbers and e-mail addresses.

Notes sent to a municipality can become public records, so what is shown publicly or exported
has these masked. When in doubt we mask: a hidden year is a small loss, an exposed number is not.

Masking happens once, when text is written: a note keeps what was typed for the leader's
moderation view and a masked copy for everyone and everything else (app/models.py).
"""

from __future__ import annotations

import re
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
    rf"(?P<separator>[{_DASHES}+]|[{_SPACES}])?(?P<serial>[0-9]{{4}})(?![0-9])"
)
# Swedish numbers are 0 + 7 to 9 digits (070-123 45 67, 08-123 456 78, 063-12 34 56), or the same
# after +46 / 0046 without the 0. A second 0 would be an international prefix, not an area code.
_PHONE_NUMBER = re.compile(
    rf"{_NOT_AFTER_A_NUMBER}"
    rf"(?:(?:\+|00)46{_PHONE_SEPARATOR}?(?:\(0\){_PHONE_SEPARATOR}?)?|0)"
    rf"[1-9](?:{_PHONE_SEPARATOR}?[0-9]){{6,8}}(?![0-9])"
)
_EMAIL = re.compile(r"[\w.%+\-]+@[\w\-]+(?:\.[\w\-]+)*\.[A-Za-z]{2,}\b")

# When two findings overlap, the longer wins; at equal length, the more specific.
_PRIORITY = {EMAIL: 0, PERSONNUMMER: 1, SAMORDNINGSNUMMER: 1, PHONE: 2}


def find_personal_data(text: str) -> list[PersonalDataMatch]:
    """Every personal identity number, phone number and e-mail address in `text`, in order."""
    # Every note is masked as it is stored: most have no "@" and fewer digits than the shortest
    # phone number (8), and this check costs a microsecond where the patterns cost a hundred.
    if "@" not in text and sum(map(text.count, "0123456789")) < 8:
        return []
    found = [
        PersonalDataMatch(kind, m.start(), m.end(), m.group())
        for m in _IDENTITY_NUMBER.finditer(text)
        if (kind := _identity_number_kind(m))
    ]
    found += [PersonalDataMatch(PHONE, m.start(), m.end(), m.group()) for m in _PHONE_NUMBER.finditer(text)]
    found += [PersonalDataMatch(EMAIL, m.start(), m.end(), m.group()) for m in _EMAIL.finditer(text)]
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


def _luhn_ok(ten_digits: str) -> bool:
    total = 0
    for position, digit in enumerate(int(d) for d in ten_digits):
        product = digit * (2 if position % 2 == 0 else 1)
        total += product - 9 if product > 9 else product
    return total % 10 == 0
