import pytest
from django.urls import reverse


@pytest.mark.django_db
def test_pages_send_a_strict_content_security_policy(client, supervisee):
    client.force_login(supervisee)
    response = client.get(reverse("cases:log_list"))
    policy = response["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";") if part.strip())
    assert directives["default-src"] == "'self'"
    assert directives["script-src"] == "'self'"
    assert directives["style-src"] == "'self'"
    assert directives["frame-ancestors"] == "'none'"
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy


@pytest.mark.django_db
def test_other_security_headers(client):
    response = client.get(reverse("login"))
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url_name",
    ["cases:log_list", "cases:log_create", "reflections:journal_list", "dashboards:dashboard"],
)
def test_pages_carry_no_inline_script_or_style(client, supervisee, catalog, url_name):
    client.force_login(supervisee)
    html = client.get(reverse(url_name)).content.decode()
    assert "style=" not in html
    for chunk in html.split("<script")[1:]:
        assert chunk.lstrip().startswith("src="), "every script is a file the app serves"


@pytest.mark.django_db
def test_signed_in_pages_are_never_stored(client, supervisee):
    client.force_login(supervisee)
    cache_control = client.get(reverse("cases:log_list"))["Cache-Control"]
    assert "no-store" in cache_control and "private" in cache_control
