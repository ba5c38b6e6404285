"""What the app serves as files: the API docs from vendored Swagger UI, and no test tooling."""

import re


def test_test_tooling_is_not_served(client):
    assert client.get("/static/vendor/axe-core/axe.min.js").status_code == 404


def test_the_api_docs_load_swagger_ui_from_this_site_with_no_inline_script(client):
    page = client.get("/api/docs")
    assert page.status_code == 200
    assert "script-src 'self'" in page.headers["content-security-policy"]
    sources = re.findall(r'(?:src|href)="([^"]+)"', page.text)
    assert sources == ["/static/vendor/swagger-ui/swagger-ui.css", "/static/vendor/swagger-ui/swagger-ui-bundle.js",
                       "/static/js/api-docs.js"]
    for source in sources:
        assert client.get(source).status_code == 200, source
    assert re.search(r"<script>|<script [^>]*>[^<]", page.text) is None  # every script has a src and no body
    assert client.get("/openapi.json").json()["paths"]
