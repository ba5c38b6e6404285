"""/api/docs draws the JSON API from vendored Swagger UI, under the app's own CSP."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_the_api_docs_show_the_operations_with_nothing_refused_or_fetched_elsewhere(site, desktop):
    refused, elsewhere = [], []
    desktop.on("console", lambda message: refused.append(message.text)
               if "Content Security Policy" in message.text else None)
    desktop.on("request", lambda request: elsewhere.append(request.url)
               if not request.url.startswith((site.base_url, "data:")) else None)
    response = desktop.goto("/api/docs")
    assert response.ok and "script-src 'self'" in response.headers["content-security-policy"]
    operation = desktop.locator(".opblock-summary-path", has_text="/api/v1/tables/{token}/notes").first
    expect(operation).to_be_visible(timeout=15_000)
    assert desktop.locator(".opblock").count() >= 8
    operation.click()  # an operation opens and shows its parameters
    expect(desktop.locator(".opblock-body .parameters").first).to_be_visible()
    assert refused == [] and elsewhere == []
