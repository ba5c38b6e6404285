"""Leader accounts, their logged-in sessions, and the one-time link that creates the first one."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, delete, func, select

from app.models import LoginSession, Organisation, SetupLink, User, utcnow
from app.security import MIN_PASSWORD_LENGTH, hash_password, new_token, token_hash, verify_password
from facilitation.clock import TIMEZONES
from facilitation.refusals import Refused

SETUP_LINK_HOURS = 24
SESSION_DAYS = 14  # as long as the session cookie lives


class AccountError(Refused):
    pass


def has_users(session: Session) -> bool:
    return session.exec(select(func.count()).select_from(User)).one() > 0


def new_setup_link(session: Session) -> str:
    """Return a fresh one-time token; only its hash is stored."""
    token = new_token()
    session.add(SetupLink(token_hash=token_hash(token), expires_at=utcnow() + timedelta(hours=SETUP_LINK_HOURS)))
    session.commit()
    return token


def setup_link_valid(session: Session, token: str) -> SetupLink | None:
    link = session.exec(select(SetupLink).where(SetupLink.token_hash == token_hash(token))).first()
    if link is None or link.used_at is not None or link.expires_at < utcnow():
        return None
    return link


def create_user(session: Session, *, email: str, password: str, organisation: str, name: str = "") -> User:
    email = email.strip().lower()
    if "@" not in email or len(email) > 320:
        raise AccountError("bad_email")
    if len(password) < MIN_PASSWORD_LENGTH:
        raise AccountError("short_password")
    organisation = organisation.strip()
    if not organisation or len(organisation) > 200:
        raise AccountError("bad_organisation")
    org = session.exec(select(Organisation).where(Organisation.name == organisation)).first()
    if org is None:
        org = Organisation(name=organisation)
        session.add(org)
        session.flush()
    user = User(organisation_id=org.id, email=email, name=name.strip()[:200], password_hash=hash_password(password))
    session.add(user)
    try:
        session.commit()
    except IntegrityError:
        session.rollback()
        raise AccountError("email_taken") from None
    session.refresh(user)
    return user


def create_user_with_link(session: Session, *, token: str, **fields) -> User:
    link = setup_link_valid(session, token)
    if link is None:
        raise AccountError("bad_setup_link")
    user = create_user(session, **fields)
    link.used_at = utcnow()
    session.add(link)
    session.commit()
    return user


def authenticate(session: Session, email: str, password: str) -> User | None:
    user = session.exec(select(User).where(User.email == email.strip().lower())).first()
    if not verify_password(user.password_hash if user else None, password):
        return None
    return user


def start_session(session: Session, user: User) -> str:
    """A new logged-in session for `user`; returns the key for the session cookie."""
    session.exec(delete(LoginSession).where(
        LoginSession.user_id == user.id, LoginSession.created_at < utcnow() - timedelta(days=SESSION_DAYS)
    ))
    key = new_token()
    session.add(LoginSession(user_id=user.id, key_hash=token_hash(key)))
    session.commit()
    return key


def session_user(session: Session, key: str) -> User | None:
    """The user whose session `key` is, while it has not ended or expired."""
    row = session.exec(select(LoginSession).where(LoginSession.key_hash == token_hash(key))).first()
    if row is None or row.created_at < utcnow() - timedelta(days=SESSION_DAYS):
        return None
    return session.get(User, row.user_id)


def end_session(session: Session, key: str) -> None:
    session.exec(delete(LoginSession).where(LoginSession.key_hash == token_hash(key)))
    session.commit()


def end_all_sessions(session: Session, user: User) -> None:
    """Log the user out in every browser, this one included."""
    session.exec(delete(LoginSession).where(LoginSession.user_id == user.id))
    session.commit()


def set_timezone(session: Session, *, user: User, timezone: str) -> None:
    """The clock every screen and export of the user's organisation shows."""
    if timezone not in TIMEZONES:
        raise AccountError("bad_timezone")
    organisation = session.get(Organisation, user.organisation_id)
    organisation.timezone = timezone
    session.commit()
