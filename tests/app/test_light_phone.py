"""The phone on a weak signal: compressed pages, static files kept for a year, pages never kept."""

import asyncio
import re

import pytest

from app.static_files import IMMUTABLE, hashed_name
from tests.builders import make_cafe, make_leader

PHONE_BUDGET_BYTES = 10_000


@pytest.fixture
def token(session):
    return make_cafe(session, make_leader(session), phase="round").tables[0].join_token


def static_links(page_html: str) -> list[str]:
    return re.findall(r'(?:href|src)="(/static/[^"]+)"', page_html)


def bytes_as_sent(client, url: str, encoding: str) -> tuple[int, dict]:
    """Status line, headers and body as they cross the wire (the body still compressed)."""
    with client.stream("GET", url, headers={"Accept-Encoding": encoding}) as response:
        body = sum(len(chunk) for chunk in response.iter_raw())
        head = len(f"HTTP/1.1 {response.status_code} {response.reason_phrase}\r\n") + 2
        head += sum(len(name) + len(value) + 4 for name, value in response.headers.raw)
        return head + body, response.headers


def test_the_phones_first_load_with_gzip_fits_in_ten_kilobytes(client, token):
    page = client.get(f"/t/{token}")
    urls = [f"/t/{token}", *static_links(page.text)]
    assert any(u.endswith(".css") for u in urls) and any(u.endswith(".js") for u in urls)

    sent = {url: bytes_as_sent(client, url, "gzip") for url in urls}
    plain = {url: bytes_as_sent(client, url, "identity")[0] for url in urls}

    assert all(headers["content-encoding"] == "gzip" for _, headers in sent.values())
    assert sum(size for size, _ in sent.values()) <= PHONE_BUDGET_BYTES < sum(plain.values())


def test_brotli_is_used_when_the_phone_asks_for_it(client, token):
    size_br, headers = bytes_as_sent(client, f"/t/{token}", "br, gzip")
    size_gzip, _ = bytes_as_sent(client, f"/t/{token}", "gzip")
    assert headers["content-encoding"] == "br"
    assert "Accept-Encoding" in headers["vary"]
    assert size_br < size_gzip


def test_a_second_page_view_fetches_only_the_page(client, token):
    """A browser cache that keeps what is marked immutable: the second view asks for the page alone."""
    cache: dict[str, bytes] = {}
    fetched_per_view = []
    for _ in range(2):
        page = client.get(f"/t/{token}")
        assert page.headers["cache-control"] == "no-store"
        fetched = [f"/t/{token}"]
        for url in static_links(page.text):
            if url in cache:
                continue
            response = client.get(url)
            assert response.status_code == 200
            assert response.headers["cache-control"] == IMMUTABLE
            cache[url] = response.content
            fetched.append(url)
        fetched_per_view.append(fetched)
    assert len(fetched_per_view[0]) >= 3
    assert fetched_per_view[1] == [f"/t/{token}"]


def test_static_names_carry_the_content_hash_and_plain_names_are_asked_again(client, tmp_path):
    page = client.get("/login")
    css = next(url for url in static_links(page.text) if url.endswith(".css"))
    assert re.fullmatch(r"/static/css/site\.[0-9a-f]{10}\.css", css)
    assert client.get(css).text == client.get("/static/css/site.css").text
    assert client.get("/static/css/site.css").headers["cache-control"] == "no-cache"

    changed = tmp_path / "site.css"
    changed.write_text("body { color: black }")
    first = hashed_name(changed, "css/site.css")
    changed.write_text("body { color: navy }")
    assert hashed_name(changed, "css/site.css") != first


def test_json_is_compressed_but_an_event_stream_never(client, app, token):
    page = client.get(f"/t/{token}")
    big_json = client.get("/openapi.json", headers={"Accept-Encoding": "gzip"})
    assert big_json.headers["content-encoding"] == "gzip"

    messages = client.portal.call(first_messages, app, f"/t/{token}/events")
    start, first_body = messages[0], next(m for m in messages if m.get("body"))
    headers = dict(start["headers"])
    assert headers[b"content-type"].startswith(b"text/event-stream")
    assert b"content-encoding" not in headers
    assert first_body["body"].startswith(b"retry:")
    assert page.status_code == 200


async def first_messages(app, path: str) -> list[dict]:
    """Open an event stream through the whole app asking for gzip; hang up after its first bytes."""
    messages, got_body = [], asyncio.Event()

    async def receive():
        await got_body.wait()
        return {"type": "http.disconnect"}

    async def send(message):
        messages.append(message)
        if message.get("body"):
            got_body.set()

    scope = {
        "type": "http", "asgi": {"version": "3.0", "spec_version": "2.3"}, "http_version": "1.1",
        "method": "GET", "scheme": "http", "path": path, "raw_path": path.encode(), "root_path": "",
        "query_string": b"", "headers": [(b"host", b"testserver"), (b"accept-encoding", b"gzip, br")],
        "client": ("127.0.0.1", 5000), "server": ("testserver", 80),
    }
    await asyncio.wait_for(app(scope, receive, send), timeout=10)
    return messages
