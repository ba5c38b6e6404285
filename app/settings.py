"""Settings from the environment, checked once at start."""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VAR = ROOT / "var"


@dataclass(frozen=True)
class Settings:
    database_url: str
    secret_key: str
    public_url: str | None  # where phones reach this server, for QR codes; None: from the request
    secure_cookies: bool
    note_burst: int
    note_per_minute: int
    embed_in_background: bool  # vectors for themes, computed after notes arrive
    metrics_token: str | None = None  # /metrics answers only with this bearer token; off when unset

    @property
    def address(self) -> str:
        """Where to tell people to go: PUBLIC_URL, else the HOST and PORT this server listens on."""
        host, port = os.environ.get("HOST") or "127.0.0.1", os.environ.get("PORT") or "8000"
        return self.public_url or f"http://{host}:{port}"

    @classmethod
    def from_env(cls, **overrides) -> "Settings":
        values = dict(
            database_url=os.environ.get("DATABASE_URL") or f"sqlite:///{VAR / 'bykafe.db'}",
            secret_key=os.environ.get("SECRET_KEY") or _local_secret_key(),
            public_url=(os.environ.get("PUBLIC_URL") or "").rstrip("/") or None,
            secure_cookies=os.environ.get("SECURE_COOKIES", "").lower() in ("1", "true", "yes"),
            note_burst=int(os.environ.get("NOTE_BURST", "10")),
            note_per_minute=int(os.environ.get("NOTE_PER_MINUTE", "20")),
            embed_in_background=os.environ.get("EMBED_IN_BACKGROUND", "1") != "0",
            metrics_token=os.environ.get("METRICS_TOKEN") or None,
        )
        values.update(overrides)
        if len(values["secret_key"]) < 32:
            raise ValueError("SECRET_KEY must be at least 32 characters; leave it unset to generate one.")
        return cls(**values)


def _local_secret_key() -> str:
    """A random key kept in var/ on this machine, so sessions survive a restart.

    There is no default secret: each installation makes its own on first start.
    """
    path = VAR / "secret_key"
    if not path.exists():
        VAR.mkdir(exist_ok=True)
        path.write_text(secrets.token_urlsafe(48))
        path.chmod(0o600)
    return path.read_text().strip()
