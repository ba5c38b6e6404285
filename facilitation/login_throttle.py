"""When a login may be tried: slow guessing down without locking the real leader out.

Three counters of failed logins, each waiting longer after every failure past a few free ones:

- per account (the e-mail typed, known or not, so both answer alike): a guesser hammering one
  account waits longer and longer;
- per source (the client's address, kept in memory only): trying one password on many accounts
  from one place is slowed, however many accounts it tries;
- per known browser: a browser the account logged in from before carries a signed cookie. It
  skips the account's and the source's waits, so an attacker elsewhere cannot lock the leader out,
  and has a counter of its own, so a stolen laptop cannot guess freely either.

A refused try (one made while waiting) is not counted: hammering does not lengthen the wait.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Rule:
    free_tries: int  # failures allowed back to back before any wait
    first_wait: float  # seconds after the first failure past the free ones; doubles with each
    longest_wait: float
    forget_after: float  # seconds without a failure after which the counter starts over


ACCOUNT = Rule(free_tries=3, first_wait=2, longest_wait=15 * 60, forget_after=24 * 3600)
SOURCE = Rule(free_tries=10, first_wait=2, longest_wait=10 * 60, forget_after=3600)
KNOWN_BROWSER = Rule(free_tries=5, first_wait=2, longest_wait=15 * 60, forget_after=24 * 3600)


@dataclass(frozen=True)
class Failures:
    count: int = 0
    last_at: float = 0.0  # seconds on a monotonic clock


def wait_seconds(failures: Failures, rule: Rule, now: float) -> float:
    """How long until the next try is allowed; 0 when it is allowed now."""
    if failures.count <= rule.free_tries or now - failures.last_at >= rule.forget_after:
        return 0.0
    wait = min(rule.first_wait * 2 ** (failures.count - rule.free_tries - 1), rule.longest_wait)
    return max(0.0, failures.last_at + wait - now)


def after_failure(failures: Failures, rule: Rule, now: float) -> Failures:
    count = 0 if now - failures.last_at >= rule.forget_after else failures.count
    return Failures(count + 1, now)


def login_wait(*, account: Failures, source: Failures, known_browser: Failures | None, now: float) -> float:
    """Seconds before this login may be tried. `known_browser` is the counter of a browser that
    carries this account's known-browser cookie, or None for any other browser."""
    if known_browser is not None:
        return wait_seconds(known_browser, KNOWN_BROWSER, now)
    return max(wait_seconds(account, ACCOUNT, now), wait_seconds(source, SOURCE, now))
