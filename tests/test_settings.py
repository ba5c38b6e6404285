"""Settings come from the environment, are checked once at start, and the README's table is made
from them."""

import pytest

from app import cli
from app.settings import ROOT, Settings, SettingsError, readme_table

# Every variable a deployment may already set: none may silently stop working.
NAMES = {
    "HOST", "PORT", "DATABASE_URL", "PUBLIC_URL", "SECRET_KEY", "SECURE_COOKIES", "NOTE_BURST",
    "NOTE_PER_MINUTE", "WORKERS", "FORWARDED_ALLOW_IPS", "METRICS_TOKEN", "EMBED_IN_BACKGROUND",
}
KEY = "k" * 40


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch):
    for name in NAMES:
        monkeypatch.delenv(name, raising=False)


def test_the_readme_table_is_the_one_the_settings_make():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert readme_table() in readme, "paste the output of `python -m app.settings` into README.md's settings table"


def test_every_variable_of_today_is_a_setting_with_a_description():
    fields = Settings.model_fields
    assert {name.upper() for name in fields} == NAMES
    assert all(field.description for field in fields.values())


def test_values_are_read_from_the_environment_and_typed(monkeypatch):
    monkeypatch.setenv("PORT", "8017")
    monkeypatch.setenv("SECURE_COOKIES", "1")
    monkeypatch.setenv("EMBED_IN_BACKGROUND", "0")
    monkeypatch.setenv("NOTE_BURST", "4")
    monkeypatch.setenv("PUBLIC_URL", "http://192.168.4.1:8000/")
    monkeypatch.setenv("METRICS_TOKEN", "")  # set but empty: as if unset
    settings = Settings.from_env(secret_key=KEY)
    assert (settings.port, settings.secure_cookies, settings.embed_in_background, settings.note_burst) == (
        8017, True, False, 4
    )
    assert settings.public_url == "http://192.168.4.1:8000"
    assert settings.metrics_token is None
    assert Settings.from_env(secret_key=KEY, port=9000).port == 9000  # what the caller gives wins


def test_without_variables_the_defaults_hold():
    settings = Settings.from_env(secret_key=KEY)
    assert settings.address == "http://127.0.0.1:8000"
    assert settings.database_url.startswith("sqlite:///") and settings.database_url.endswith("var/bykafe.db")
    assert (settings.note_burst, settings.note_per_minute, settings.workers) == (10, 20, 1)
    assert not settings.secure_cookies and settings.embed_in_background


@pytest.mark.parametrize(("name", "value"), [
    ("PORT", "abc"), ("PORT", "70000"), ("NOTE_BURST", "0"), ("SECURE_COOKIES", "maybe"),
    ("DATABASE_URL", "mysql://db/bykafe"), ("PUBLIC_URL", "192.168.1.10:8000"), ("WORKERS", "-1"),
])
def test_a_wrong_value_is_named_in_one_line(monkeypatch, name, value):
    monkeypatch.setenv(name, value)
    with pytest.raises(SettingsError) as refused:
        Settings.from_env(secret_key=KEY)
    message = str(refused.value)
    assert message.startswith(f"{name}={value!r} is not valid: ") and "\n" not in message


def test_a_short_secret_key_is_refused_without_showing_it(monkeypatch):
    monkeypatch.setenv("SECRET_KEY", "too-short-secret")
    with pytest.raises(SettingsError, match="SECRET_KEY is not valid: must be at least 32 characters") as refused:
        Settings.from_env()
    assert "too-short-secret" not in str(refused.value)


def test_the_command_says_which_setting_is_wrong_instead_of_a_traceback(monkeypatch, capsys):
    monkeypatch.setenv("PORT", "abc")
    assert cli.main(["migrate"]) == 2
    err = capsys.readouterr().err
    assert err == "bykafe: PORT='abc' is not valid: Input should be a valid integer, unable to parse string as an integer\n"


def test_serve_flags_win_over_the_environment(monkeypatch):
    monkeypatch.setenv("PORT", "8100")
    monkeypatch.setenv("HOST", "127.0.0.2")
    monkeypatch.setenv("SECRET_KEY", KEY)
    served = []
    monkeypatch.setattr(cli, "serve_app", lambda settings: served.append(settings) or 0)
    assert cli.main(["serve", "--host", "0.0.0.0", "--workers", "2"]) == 0
    assert (served[0].host, served[0].port, served[0].workers) == ("0.0.0.0", 8100, 2)
