"""The counters of failed logins (in memory only, like every rate limit here: no address is
stored) and the signed "known browser" cookie. facilitation/login_throttle.py decides the waits."""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field

from itsdangerous import BadSignature, URLSafeTimedSerializer

from app.security import token_hash
from facilitation.login_throttle import (
    ACCOUNT,
    KNOWN_BROWSER,
    SOURCE,
    Failures,
    Rule,
    after_failure,
    login_wait,
)

KNOWN_BROWSER_COOKIE = "bykafe_browser"
KNOWN_BROWSER_DAYS = 30
_FORGET_WHEN_OVER = 100_000  # keys per counter before idle ones are dropped


@dataclass
class KnownBrowser:
    account: str  # the hash of the e-mail address it logged in with
    browser: str  # a random id, the key of this browser's own failure counter


class KnownBrowsers:
    """A browser's proof that an account logged in from it lately: signed, so it cannot be made
    up; it names the account by a hash of its e-mail, so the cookie does not carry the address."""

    def __init__(self, secret_key: str):
        self._serializer = URLSafeTimedSerializer(secret_key, salt="known-browser")

    def issue(self, email: str, earlier: KnownBrowser | None) -> str:
        browser = earlier.browser if earlier else secrets.token_urlsafe(16)
        return self._serializer.dumps({"a": account_key(email), "b": browser})

    def read(self, cookie: str | None) -> KnownBrowser | None:
        if not cookie:
            return None
        try:
            data = self._serializer.loads(cookie, max_age=KNOWN_BROWSER_DAYS * 86400)
        except BadSignature:
            return None
        if not isinstance(data, dict) or not isinstance(data.get("a"), str) or not isinstance(data.get("b"), str):
            return None
        return KnownBrowser(data["a"], data["b"])


def account_key(email: str) -> str:
    return token_hash(email.strip().lower())


@dataclass
class _Counter:
    rule: Rule
    failures: dict[str, Failures] = field(default_factory=dict)

    def get(self, key: str) -> Failures:
        return self.failures.get(key, Failures())

    def fail(self, key: str, now: float) -> None:
        self.failures[key] = after_failure(self.get(key), self.rule, now)
        if len(self.failures) > _FORGET_WHEN_OVER:
            for old, failures in list(self.failures.items()):
                if now - failures.last_at >= self.rule.forget_after:
                    del self.failures[old]


class LoginGuard:
    def __init__(self) -> None:
        self.accounts = _Counter(ACCOUNT)
        self.sources = _Counter(SOURCE)
        self.browsers = _Counter(KNOWN_BROWSER)

    def wait(self, *, email: str, source: str, known: KnownBrowser | None, now: float) -> float:
        known = _for_account(known, email)
        return login_wait(
            account=self.accounts.get(account_key(email)), source=self.sources.get(source),
            known_browser=self.browsers.get(known.browser) if known else None, now=now,
        )

    def failed(self, *, email: str, source: str, known: KnownBrowser | None, now: float) -> None:
        known = _for_account(known, email)
        if known:
            self.browsers.fail(known.browser, now)
        else:
            self.accounts.fail(account_key(email), now)
            self.sources.fail(source, now)

    def succeeded(self, *, email: str, known: KnownBrowser | None) -> None:
        self.accounts.failures.pop(account_key(email), None)
        known = _for_account(known, email)
        if known:
            self.browsers.failures.pop(known.browser, None)


def _for_account(known: KnownBrowser | None, email: str) -> KnownBrowser | None:
    """A known-browser cookie counts only for the account that logged in from that browser."""
    return known if known is not None and known.account == account_key(email) else None
