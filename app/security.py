"""Passwords, tokens and CSRF."""

from __future__ import annotations

import hashlib
import hmac
import secrets

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

_hasher = PasswordHasher()
# Checked against when the e-mail is unknown, so a login takes as long either way.
_DUMMY_HASH = _hasher.hash("not a real password")

# No 0/O, 1/I/L: short codes are read off a card and typed on a phone.
SHORT_CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
SHORT_CODE_LENGTH = 6
MIN_PASSWORD_LENGTH = 10


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    try:
        return _hasher.verify(password_hash or _DUMMY_HASH, password) and password_hash is not None
    except (VerificationError, InvalidHashError):
        return False


def new_token() -> str:
    """160 random bits, URL-safe: join and host links cannot be guessed."""
    return secrets.token_urlsafe(20)


def new_short_code() -> str:
    return "".join(secrets.choice(SHORT_CODE_ALPHABET) for _ in range(SHORT_CODE_LENGTH))


def normalise_short_code(raw: str) -> str:
    """What a person typed, as stored: upper case, without spaces or dashes."""
    return "".join(ch for ch in raw.upper() if ch.isascii() and ch.isalnum())


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def new_pseudonym() -> str:
    return secrets.token_hex(4)


def new_csrf_token() -> str:
    return secrets.token_urlsafe(24)


def csrf_matches(expected: str | None, given: str | None) -> bool:
    # Tokens are ASCII; compare_digest refuses other text with a TypeError instead of "no".
    if not expected or not given or not given.isascii():
        return False
    return hmac.compare_digest(expected, given)
