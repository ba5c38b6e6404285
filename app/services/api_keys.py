"""Organisation API keys for the read API: made and revoked by a leader, only their hash kept."""

from __future__ import annotations

import hashlib
import secrets

from sqlmodel import Session, select

from app.models import ApiKey, User, utcnow
from facilitation.refusals import NotFound
from facilitation.refusals import Refused

KEY_PREFIX = "bk_"


class ApiKeyError(Refused):
    pass


def _hash(secret: str) -> str:
    # The key is 256 random bits: a plain hash cannot be run backwards, and needs no slow KDF.
    return hashlib.sha256(secret.encode()).hexdigest()


def create_key(session: Session, *, user: User, name: str) -> tuple[ApiKey, str]:
    """A new key for the leader's organisation; the key itself is returned once and never again."""
    name = " ".join(name.split())
    if not name or len(name) > 200:
        raise ApiKeyError("api_key_name")
    secret = KEY_PREFIX + secrets.token_urlsafe(32)
    key = ApiKey(organisation_id=user.organisation_id, name=name, key_hash=_hash(secret),
                 prefix=secret[:10], created_by_id=user.id)
    session.add(key)
    session.commit()
    session.refresh(key)
    return key, secret


def keys_of(session: Session, user: User) -> list[ApiKey]:
    query = select(ApiKey).where(ApiKey.organisation_id == user.organisation_id)
    return list(session.exec(query.order_by(ApiKey.revoked_at.is_not(None), ApiKey.created_at.desc())))


def revoke_key(session: Session, *, user: User, key_id: int) -> ApiKey:
    key = session.get(ApiKey, key_id)
    if key is None or key.organisation_id != user.organisation_id:
        raise NotFound
    if key.revoked_at is None:
        key.revoked_at = utcnow()
        session.add(key)
        session.commit()
    return key


def organisation_of_key(session: Session, secret: str) -> int | None:
    """The organisation a key in force belongs to; None for an unknown or revoked key."""
    if not secret.startswith(KEY_PREFIX):
        return None
    key = session.exec(select(ApiKey).where(ApiKey.key_hash == _hash(secret), ApiKey.revoked_at.is_(None))).first()
    return key.organisation_id if key else None
