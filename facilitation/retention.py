"""Retention: a café's data is deleted only on a recorded decision, confirmed by its village's name."""

from __future__ import annotations

from datetime import date

from facilitation.refusals import Refused


class DeletionRefused(Refused):
    pass


def clean_decision(decision: str) -> str:
    """The retention decision a deletion rests on (its name, number or date) must be given."""
    decision = " ".join((decision or "").split())
    if len(decision) < 3:
        raise DeletionRefused("decision_missing")
    if len(decision) > 500:
        raise DeletionRefused("decision_too_long")
    return decision


def village_matches(typed: str, village: str) -> bool:
    """The leader types the village's name to confirm a deletion; case and spacing do not matter."""
    return " ".join((typed or "").split()).casefold() == " ".join(village.split()).casefold()


def deleted_cafe_description(*, village: str, municipality: str, venue: str, on: date) -> str:
    """What the record of a deletion keeps of the café: where and when, nothing anyone wrote."""
    return ", ".join(p for p in (village, municipality, venue, on.isoformat()) if p)[:500]
