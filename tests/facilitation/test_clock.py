"""Clock time on every screen and export: the organisation's time zone, from UTC."""

from datetime import datetime, UTC

from facilitation.clock import clock, local

WINTER_EVENING = datetime(2026, 12, 1, 18, 17, 42, 123456, tzinfo=UTC)
SUMMER_EVENING = datetime(2026, 6, 15, 17, 5, tzinfo=UTC)


def test_swedish_time_is_utc_plus_one_in_winter_and_plus_two_in_summer():
    assert clock(WINTER_EVENING) == "19:17"
    assert clock(SUMMER_EVENING) == "19:05"


def test_another_organisation_sees_its_own_clock():
    assert clock(WINTER_EVENING, "Europe/Helsinki") == "20:17"
    assert clock(WINTER_EVENING, "Europe/Helsinki", "%Y-%m-%d %H:%M") == "2026-12-01 20:17"


def test_local_time_has_no_zone_and_no_fraction_for_spreadsheets():
    assert local(WINTER_EVENING) == datetime(2026, 12, 1, 19, 17, 42)


def test_a_time_without_zone_is_read_as_utc():
    assert local(WINTER_EVENING.replace(tzinfo=None)) == local(WINTER_EVENING)


def test_no_time_shows_nothing():
    assert clock(None) == ""


def test_a_zone_name_that_does_not_exist_shows_swedish_time_instead_of_failing():
    assert clock(WINTER_EVENING, "Mars/Olympus_Mons") == "19:17"
