"""Clock time as the people in the room read it: one time zone per organisation, used by every
screen and every export (times are stored in UTC)."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

DEFAULT_TIMEZONE = "Europe/Stockholm"
# The zones of the countries where the method is used (Sweden, Finland's Österbotten, Norway,
# Denmark): a short list for the leader to pick from rather than the world's 600 names.
TIMEZONES = ("Europe/Stockholm", "Europe/Helsinki", "Europe/Oslo", "Europe/Copenhagen")


def local(moment: datetime, zone: str = DEFAULT_TIMEZONE) -> datetime:
    """Local time without a zone (spreadsheets cannot store zones), to the second. Naive input is UTC."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(_zone(zone)).replace(tzinfo=None, microsecond=0)


def clock(moment: datetime | None, zone: str = DEFAULT_TIMEZONE, pattern: str = "%H:%M") -> str:
    """"19:17" in the organisation's time; "" for no time."""
    return local(moment, zone).strftime(pattern) if moment else ""


def _zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):  # a bad name stored by hand: Swedish time, never a crash
        return ZoneInfo(DEFAULT_TIMEZONE)
