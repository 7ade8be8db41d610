"""The docs stay true: every setting documented, the README's quick start intact."""

from __future__ import annotations

import re

import pytest

from wmo_kaart.config import PROJECT_ROOT, SETTINGS_HELP


@pytest.mark.parametrize("var", [var for var, _ in SETTINGS_HELP.values()])
def test_every_setting_is_documented(var):
    assert f"`{var}`" in (PROJECT_ROOT / "docs" / "configuration.md").read_text(encoding="utf-8")


def test_readme_quick_start_has_exactly_two_commands():
    text = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
    block = re.search(r"## Quick start.*?```sh\n(.*?)```", text, re.S).group(1)
    commands = [line for line in block.splitlines() if line.strip() and not line.startswith("#")]
    assert commands == [
        "python3 -m venv .venv && .venv/bin/pip install -e . && .venv/bin/wmo-kaart serve",
        "bash .ci/run",
    ]


def test_ci_runs_pytest_with_required_browser():
    ci = (PROJECT_ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "WMO_KAART_REQUIRE_BROWSER=1" in ci and "pytest" in ci


def test_import_doc_lists_every_accepted_header():
    from wmo_kaart.core.importer.columns import HEADERS

    text = (PROJECT_ROOT / "docs" / "import.md").read_text(encoding="utf-8")
    for field, variants in HEADERS.items():
        row = next((line for line in text.splitlines() if line.startswith(f"| `{field}` |")), "")
        assert all(f"`{v}`" in row for v in variants), field


def test_dockerfile_runs_the_tested_serve_command():
    text = (PROJECT_ROOT / "Dockerfile").read_text(encoding="utf-8")
    assert 'CMD ["wmo-kaart", "serve", "--host", "0.0.0.0", "--port", "8050"]' in text
    for folder in ("wmo_kaart", "layers", "auth", "assets", "data"):
        assert f"COPY {folder} ./{folder}" in text
    assert "USER wmo" in text and "/healthz" in text


def test_the_nginx_example_buffers_requests_and_drops_slow_clients():
    """Slow request bodies are the proxy's job: the documented nginx configuration says so."""
    text = (PROJECT_ROOT / "docs" / "deploy.md").read_text(encoding="utf-8")
    nginx = text.split("```nginx", 1)[1].split("```", 1)[0]
    for directive in ("proxy_request_buffering on;", "client_body_timeout", "client_header_timeout",
                      "proxy_set_header X-Forwarded-For", "client_max_body_size"):
        assert directive in nginx, directive
    assert "WMO_KAART_TRUSTED_PROXIES=127.0.0.1" in text and "WMO_KAART_TRUSTED_PROXIES=1 " not in text
