from tests.builders import client_id_from, log_in, make_cafe, make_leader


def test_a_phone_sends_a_note_and_the_leader_sees_it(client, session):
    leader = make_leader(session)
    setup = make_cafe(session, leader, phase="round")
    token = setup.tables[0].join_token

    page = client.get(f"/t/{token}")
    assert page.status_code == 200
    sent = client.post(
        f"/t/{token}/notes", data={"text": "Bussen måste gå oftare", "client_id": client_id_from(page.text)},
        follow_redirects=False,
    )
    assert sent.status_code == 303

    log_in(client)
    assert "Bussen måste gå oftare" in client.get(f"/leader/cafes/{setup.cafe_id}").text
