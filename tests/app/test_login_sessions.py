"""Logging in against guessing without locking the leader out, and logging out on the server:
a copied session cookie stops working, and "log out everywhere" ends every browser's session."""

import time

import pytest
from fastapi.testclient import TestClient

from app.login_guard import KNOWN_BROWSER_COOKIE
from facilitation.login_throttle import ACCOUNT, SOURCE
from tests.app.helpers import fast_passwords, form_error, shows  # noqa: F401  (fast_passwords is a fixture)
from tests.builders import PASSWORD, csrf_from, log_in, make_leader

pytestmark = pytest.mark.usefixtures("fast_passwords")

WRONG = "fel-lösenord-123"


@pytest.fixture
def leader(session):
    return make_leader(session)


def attempt(client, email, password):
    csrf = csrf_from(client.get("/login").text)
    return client.post("/login", data={"email": email, "password": password, "csrf_token": csrf}, follow_redirects=False)


def logged_in(client) -> bool:
    return client.get("/leader", follow_redirects=False).status_code == 200


def browser(app) -> TestClient:
    """Another browser: a cookie jar of its own (the same address, as in a shared office)."""
    return TestClient(app)


def test_a_copied_session_cookie_stops_working_when_the_leader_logs_out(app, client, leader):
    csrf = log_in(client)
    thief = browser(app)
    thief.cookies.set("bykafe", client.cookies.get("bykafe"))
    assert logged_in(thief)
    client.post("/logout", data={"csrf_token": csrf}, follow_redirects=False)
    assert not logged_in(client)
    assert not logged_in(thief)


def test_logging_out_in_one_browser_leaves_the_others_logged_in(app, client, leader):
    phone = browser(app)
    csrf = log_in(client)
    log_in(phone)
    client.post("/logout", data={"csrf_token": csrf}, follow_redirects=False)
    assert not logged_in(client)
    assert logged_in(phone)


def test_log_out_everywhere_ends_the_session_of_every_browser(app, client, session, leader):
    other_leader = make_leader(session, email="ledare@grannby.se", organisation="Grannby kommun")
    phone, neighbour = browser(app), browser(app)
    log_in(phone)
    log_in(neighbour, email=other_leader.email)
    log_in(client)
    page = client.get("/leader?lang=sv")
    assert shows(page, "Logga ut överallt")
    response = client.post("/logout/everywhere", data={"csrf_token": csrf_from(page.text)}, follow_redirects=False)
    assert response.status_code == 303
    assert not logged_in(client)
    assert not logged_in(phone)
    assert logged_in(neighbour)  # another account is not touched


def test_log_out_everywhere_needs_the_forms_csrf_token(app, client, leader):
    log_in(client)
    assert client.post("/logout/everywhere", data={"csrf_token": "gissat"}, follow_redirects=False).status_code == 403
    assert logged_in(client)


def test_an_attacker_hammering_the_account_does_not_stop_the_right_password_from_a_known_browser(app, client, leader):
    csrf = log_in(client)  # the leader's laptop is now known to the account
    client.post("/logout", data={"csrf_token": csrf}, follow_redirects=False)
    attacker = browser(app)
    answers = [attempt(attacker, "leader@storsjo.se", WRONG).status_code for _ in range(30)]
    assert answers[: ACCOUNT.free_tries + 1] == [401] * (ACCOUNT.free_tries + 1)
    assert set(answers[ACCOUNT.free_tries + 1:]) == {429}
    assert attempt(attacker, "leader@storsjo.se", PASSWORD).status_code == 429  # the right one too, elsewhere

    assert attempt(client, "leader@storsjo.se", PASSWORD).status_code == 303
    assert logged_in(client)


def test_a_known_browser_of_one_account_does_not_pass_another_accounts_lockout(app, client, session, leader):
    make_leader(session, email="ledare@grannby.se", organisation="Grannby kommun")
    log_in(client)
    attacker = browser(app)
    for _ in range(ACCOUNT.free_tries + 1):
        attempt(attacker, "ledare@grannby.se", WRONG)
    assert attempt(client, "ledare@grannby.se", PASSWORD).status_code == 429


def test_a_forged_known_browser_cookie_counts_for_nothing(app, leader):
    attacker = browser(app)
    attacker.cookies.set(KNOWN_BROWSER_COOKIE, "eyJhIjoiMSIsImIiOiIyIn0.Zm9v.YmFy", path="/login")
    answers = [attempt(attacker, "leader@storsjo.se", WRONG).status_code for _ in range(ACCOUNT.free_tries + 2)]
    assert answers[-1] == 429


def test_trying_one_password_on_many_accounts_from_one_place_is_slowed(app, client, leader):
    sprayer = browser(app)
    emails = [f"person{i}@storsjo.se" for i in range(SOURCE.free_tries + 3)]
    answers = [attempt(sprayer, email, WRONG) for email in emails]
    assert [a.status_code for a in answers[: SOURCE.free_tries + 1]] == [401] * (SOURCE.free_tries + 1)
    slowed = answers[SOURCE.free_tries + 1]
    assert slowed.status_code == 429
    assert form_error(slowed.text) == "För många försök att logga in. Försök igen om 2 sekunder."
    assert attempt(sprayer, "leader@storsjo.se", PASSWORD).status_code == 429  # a fresh account, same place


def test_the_wait_is_said_in_minutes_when_it_is_long_and_in_english_on_an_english_page(app, leader):
    guard = app.state.login_guard
    for _ in range(ACCOUNT.free_tries + 8):  # 2 s doubled seven times: 256 s, about 5 minutes
        guard.failed(email="leader@storsjo.se", source="elsewhere", known=None, now=time.monotonic())
    attacker = browser(app)
    attacker.get("/login?lang=en")
    response = attempt(attacker, "leader@storsjo.se", WRONG)
    assert response.status_code == 429
    assert form_error(response.text) == "Too many login tries. Try again in 5 minutes."


def test_the_known_browser_cookie_is_http_only_same_site_and_sent_only_to_the_login(client, leader):
    response = attempt(client, "leader@storsjo.se", PASSWORD)
    cookie = next(v for v in response.headers.get_list("set-cookie") if v.startswith(f"{KNOWN_BROWSER_COOKIE}="))
    attributes = {part.strip().lower() for part in cookie.split(";")}
    assert {"httponly", "samesite=strict", "path=/login"} <= attributes
