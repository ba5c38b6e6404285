"""Forms get their CSRF field from the page itself: no route has to remember to make a token."""

import re

import pytest

from tests.app.helpers import fast_passwords  # noqa: F401
from tests.builders import PASSWORD, csrf_from, log_in, make_leader

pytestmark = pytest.mark.usefixtures("fast_passwords")

FORM = {"name": "Översiktsplan", "municipalities": "Storsjö kommun", "plan": "", "participation_level": "consultation",
        "description": "", "language": "sv"}


def test_the_first_form_after_login_carries_a_new_token_and_a_post_without_it_is_refused(client, session):
    make_leader(session)
    old = csrf_from(client.get("/login").text)
    login = {"email": "leader@storsjo.se", "password": PASSWORD, "csrf_token": old}
    assert client.post("/login", data=login, follow_redirects=False).status_code == 303
    token = csrf_from(client.get("/leader/processes/new").text)  # the first page after login
    assert token != old  # login starts a new session, and so a new token
    assert len(token) >= 20
    refused = client.post("/leader/processes/new", data=FORM | {"csrf_token": "x" * len(token)}, follow_redirects=False)
    assert refused.status_code == 403
    saved = client.post("/leader/processes/new", data=FORM | {"csrf_token": token}, follow_redirects=False)
    assert saved.status_code == 303


def test_every_form_on_a_page_carries_the_same_token(client, session):
    make_leader(session)
    log_in(client)
    page = client.get("/leader").text
    tokens = set(re.findall(r'name="csrf_token" value="([^"]+)"', page))
    assert len(tokens) == 1 and "" not in tokens


def test_a_page_without_a_leader_form_makes_no_token_and_sets_no_cookie(client):
    response = client.get("/")
    assert response.status_code == 200
    assert "csrf_token" not in response.text
    assert not any(v.startswith("bykafe=") for v in response.headers.get_list("set-cookie"))


def test_an_expired_form_links_back_to_the_page_it_was_on_if_that_is_ours(client, session):
    make_leader(session)
    log_in(client)
    form = FORM | {"csrf_token": "expired"}
    ours = client.post("/leader/processes/new", data=form, headers={"referer": "http://testserver/leader/processes/new?x=1"})
    assert ours.status_code == 403
    assert '<a href="/leader/processes/new?x=1">Tillbaka till formuläret</a>' in ours.text
    elsewhere = client.post("/leader/processes/new", data=form, headers={"referer": "https://evil.example/leader"})
    assert elsewhere.status_code == 403 and "Tillbaka till formuläret" not in elsewhere.text
