"""Deleting a café's data: on a recorded decision, confirmed by the village's name."""

from datetime import date

import pytest

from facilitation.retention import DeletionRefused, clean_decision, deleted_cafe_description, village_matches


def test_a_deletion_names_its_decision():
    assert clean_decision("  KS 2026-03-12  § 45 ") == "KS 2026-03-12 § 45"
    with pytest.raises(DeletionRefused):
        clean_decision("  ")
    with pytest.raises(DeletionRefused, match="decision_too_long"):
        clean_decision("x" * 501)


def test_the_village_is_typed_to_confirm_a_deletion():
    assert village_matches(" åsarna ", "Åsarna")
    assert not village_matches("Hallen", "Åsarna")


def test_the_record_of_a_deletion_keeps_where_and_when_the_cafe_was():
    assert deleted_cafe_description(village="Åsarna", municipality="", venue="Bygdegården", on=date(2026, 5, 12)) \
        == "Åsarna, Bygdegården, 2026-05-12"
    assert len(deleted_cafe_description(village="x" * 600, municipality="", venue="", on=date(2026, 5, 12))) == 500
