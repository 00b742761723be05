"""The error pages, as people see them with DEBUG off: the app's layout, calm words, a way back.

400, 403, 404 and the CSRF refusal are drawn with the request (base.html, with the menu for
someone logged in); the 500 page is drawn by Django's server_error without one, so it has a
layout that needs neither the user nor a context processor (_error_layout.html). None of them
names the object asked for or the error.
"""

import pytest
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.http import Http404
from django.template import loader
from django.test import Client
from django.urls import include, path, reverse

SECRET = "Synthetic-detail-7f3a"


@login_not_required
def _raises(request, what):
    """Test-only pages that fail in each way, for anonymous and logged-in people alike."""
    if what == "400":
        raise SuspiciousOperation(SECRET)
    if what == "403":
        raise PermissionDenied(SECRET)
    if what == "404":
        raise Http404(SECRET)
    raise RuntimeError(SECRET)


# The test URLconf: the whole site, plus the failing page.
urlpatterns = [
    path("test-errors/<str:what>/", _raises),
    path("", include("config.urls")),
]

pytestmark = [pytest.mark.urls(__name__), pytest.mark.django_db]

HEADINGS = {
    "400": "We couldn’t understand that request",
    "403": "This page isn’t available to you",
    "404": "We can’t find that page",
    "500": "Something went wrong on our side",
}


@pytest.fixture(autouse=True)
def _debug_off(settings):
    settings.DEBUG = False


def _client(persona, supervisee):
    client = Client(raise_request_exception=False)
    if persona == "logged_in":
        client.force_login(supervisee)
    return client


def assert_calm_page(response, *, heading, way_back, menu):
    html = response.content.decode()
    # The app's layout: its style sheet and brand, nothing inline (the CSP forbids it).
    assert "css/app.css" in html
    assert 'class="navbar-brand fw-semibold" href="/"' in html
    assert "style=" not in html
    for chunk in html.split("<script")[1:]:
        assert chunk.lstrip().startswith("src=")
    assert "unsafe-inline" not in response["Content-Security-Policy"]
    assert heading in html
    assert f'href="{way_back}"' in html
    # The menu is there for someone logged in, and only then.
    assert ("Sam Supervisee" in html) is menu
    # No detail of the error, nor of what was asked for.
    assert SECRET not in html
    assert "Traceback" not in html


@pytest.mark.parametrize("persona", ["anonymous", "logged_in"])
@pytest.mark.parametrize("code", ["400", "403", "404", "500"])
def test_each_error_page_has_the_layout_and_a_way_back(supervisee, persona, code):
    response = _client(persona, supervisee).get(f"/test-errors/{code}/")
    assert response.status_code == int(code)
    logged_in = persona == "logged_in"
    if code == "500":
        # Drawn without the request: it cannot know who is there; the start page sends
        # someone logged out to the log-in page.
        way_back, menu = reverse("home"), False
    else:
        way_back, menu = (reverse("home"), True) if logged_in else (reverse("login"), False)
    assert_calm_page(response, heading=HEADINGS[code], way_back=way_back, menu=menu)


def test_the_500_page_renders_without_a_request_or_context():
    """As Django's server_error draws it: no RequestContext, no user, no processors."""
    html = loader.get_template("500.html").render()
    assert HEADINGS["500"] in html
    assert 'href="/"' in html


def test_real_pages_answer_with_the_calm_pages(client, supervisee):
    """A wrong role gets the 403 page, an unknown log and an unknown address the 404 page."""
    client.force_login(supervisee)
    forbidden = client.get(reverse("cases:review_queue"))
    assert forbidden.status_code == 403
    assert_calm_page(forbidden, heading=HEADINGS["403"], way_back=reverse("home"), menu=True)
    for url in (reverse("cases:log_detail", args=[999999]), "/no-such-page/"):
        missing = client.get(url)
        assert missing.status_code == 404
        assert_calm_page(missing, heading=HEADINGS["404"], way_back=reverse("home"), menu=True)
    client.logout()
    missing = client.get("/no-such-page/")
    assert missing.status_code == 404
    assert_calm_page(missing, heading=HEADINGS["404"], way_back=reverse("login"), menu=False)


@pytest.mark.parametrize("persona", ["anonymous", "logged_in"])
def test_csrf_refusal_explains_and_offers_a_way_back(supervisee, persona):
    client = Client(enforce_csrf_checks=True)
    logged_in = persona == "logged_in"
    if logged_in:
        client.force_login(supervisee)
        response = client.post(reverse("notifications_read"))
    else:
        response = client.post(reverse("login"), {"username": "sam", "password": "x"})
    assert response.status_code == 403
    html = response.content.decode()
    assert "This form has expired" in html
    assert "open for too long" in html
    assert ("log in again" in html) is not logged_in
    assert "CSRF" not in html
    assert_calm_page(
        response,
        heading="This form has expired",
        way_back=reverse("home") if logged_in else reverse("login"),
        menu=logged_in,
    )
