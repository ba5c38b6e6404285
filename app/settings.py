"""Settings from the environment, checked once at start.

Each setting is one field below, read from the environment variable of the same name in capitals
(`PORT`, `DATABASE_URL`); its description is what the README's table says about it
(`python -m app.settings` prints that table; tests/test_settings.py checks the README has it).
"""

from __future__ import annotations

import secrets
from pathlib import Path
from typing import Any

from pydantic import Field, ValidationError, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

ROOT = Path(__file__).resolve().parent.parent
VAR = ROOT / "var"


class SettingsError(ValueError):
    """A setting in the environment is wrong; the message names it and fits on one line."""


def _shown(default: str) -> dict[str, Any]:
    """The default as the README shows it, where the value itself would not say it."""
    return {"shown_default": default}


class Settings(BaseSettings):
    model_config = SettingsConfigDict(frozen=True, env_ignore_empty=True, extra="forbid")

    host: str = Field(
        "127.0.0.1",
        description="where `make run` listens (`HOST=0.0.0.0` to reach it from phones on the same Wi-Fi)",
    )
    port: int = Field(8000, ge=1, le=65535, description="the port `make run` listens on")
    database_url: str = Field(
        default_factory=lambda: f"sqlite:///{VAR / 'bykafe.db'}",
        json_schema_extra=_shown("`sqlite:///var/bykafe.db`"),
        description="SQLite file by default; `postgresql://user:pass@host/db` for PostgreSQL",
    )
    public_url: str | None = Field(
        None,
        json_schema_extra=_shown("the address the leader's browser used"),
        description="the address printed in QR codes, e.g. `http://192.168.1.10:8000` when a laptop runs "
        "the café on its own Wi-Fi",
    )
    secret_key: str = Field(
        default_factory=lambda: _local_secret_key(),
        json_schema_extra=_shown("generated once into `var/secret_key`"),
        description="signs session cookies; at least 32 characters",
    )
    secure_cookies: bool = Field(False, description="set to `1` behind HTTPS")
    note_burst: int = Field(10, ge=1, description="rate limit of note posts per phone: notes at once")
    note_per_minute: int = Field(20, ge=1, description="rate limit of note posts per phone: notes a minute after that")
    workers: int = Field(1, ge=1, description='app processes behind the one port (PostgreSQL only; see "Hosting")')
    forwarded_allow_ips: str | None = Field(
        None, description="the reverse proxy's address, whose `X-Forwarded-*` headers are believed"
    )
    metrics_token: str | None = Field(
        None,
        json_schema_extra=_shown("unset (no `/metrics`)"),
        description="bearer token that Prometheus sends to read `/metrics`",
    )
    embed_in_background: bool = Field(
        True, description="compute the notes' theme vectors in the background as they arrive (`0`: when themes are made)"
    )

    @field_validator("database_url")
    @classmethod
    def _known_database(cls, value: str) -> str:
        if not value.startswith(("sqlite:", "postgresql")):
            raise ValueError("use sqlite:///path/to/file.db or postgresql://user:password@host/database")
        return value

    @field_validator("public_url")
    @classmethod
    def _web_address(cls, value: str | None) -> str | None:
        value = (value or "").rstrip("/") or None
        if value is not None and not value.startswith(("http://", "https://")):
            raise ValueError("must start with http:// or https://, e.g. http://192.168.1.10:8000")
        return value

    @field_validator("secret_key")
    @classmethod
    def _long_secret(cls, value: str) -> str:
        if len(value) < 32:
            raise ValueError("must be at least 32 characters; leave it unset to generate one")
        return value

    @property
    def address(self) -> str:
        """Where to tell people to go: PUBLIC_URL, else the HOST and PORT this server listens on."""
        return self.public_url or f"http://{self.host}:{self.port}"

    @classmethod
    def from_env(cls, **overrides: Any) -> Settings:
        """The environment's settings, with `overrides` (by field name) taking precedence."""
        try:
            return cls(**overrides)
        except ValidationError as error:
            raise SettingsError("; ".join(_problem(e) for e in error.errors())) from None


def _problem(error: Any) -> str:
    name = str(error["loc"][0]).upper() if error["loc"] else "settings"
    reason = error["msg"].removeprefix("Value error, ")
    if name == "SECRET_KEY" or not isinstance(error.get("input"), str | int):
        return f"{name} is not valid: {reason}"
    return f"{name}={error['input']!r} is not valid: {reason}"


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


def readme_table() -> str:
    """The README's table of settings, from the fields above."""
    rows = ["| setting | default | what it does |", "|---|---|---|"]
    for name, field in Settings.model_fields.items():
        extra = field.json_schema_extra if isinstance(field.json_schema_extra, dict) else {}
        if "shown_default" in extra:
            default = str(extra["shown_default"])
        elif isinstance(field.default, bool):
            default = "on" if field.default else "off"
        elif field.default is None:
            default = "unset"
        else:
            default = f"`{field.default}`"
        rows.append(f"| `{name.upper()}` | {default} | {field.description} |")
    return "\n".join(rows) + "\n"


if __name__ == "__main__":
    print(readme_table(), end="")
