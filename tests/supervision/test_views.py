import re

import pytest
from django.core import mail
from django.urls import reverse

from supervision.models import Role
from tests.factories import AdminFactory, SupervisorFactory, UserFactory
from tests.urls_util import PUBLIC_PREFIXES, all_routes


def app_routes():
    return [
        (route, name)
        for route, name in all_routes()
        if not route.startswith("/admin/") and not route.lstrip("/").startswith(PUBLIC_PREFIXES)
    ]


@pytest.mark.django_db
@pytest.mark.parametrize(("route", "name"), app_routes())
def test_every_app_url_sends_anonymous_visitors_to_log_in(client, route, name):
    response = client.get(route)
    assert response.status_code == 302, f"{name} ({route}) answered {response.status_code}"
    assert response.url.startswith(reverse("login")), route


@pytest.mark.django_db
def test_admin_site_needs_a_staff_login(client):
    response = client.get("/admin/")
    assert response.status_code == 302
    assert "/admin/login/" in response.url


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url_name", ["login", "password_reset", "password_reset_done", "password_reset_complete"]
)
def test_accounts_pages_are_open(client, url_name):
    assert client.get(reverse(url_name)).status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("factory", "target"),
    [
        (UserFactory, "cases:log_list"),
        (SupervisorFactory, "cases:review_queue"),
        (AdminFactory, "admin:index"),
    ],
)
def test_home_sends_each_person_to_their_work(client, factory, target):
    client.force_login(factory())
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response.url == reverse(target)


@pytest.mark.django_db
def test_log_in_with_email_and_password(client, password):
    person = UserFactory(email="lee@example.org")
    response = client.post(
        reverse("login"), {"username": "LEE@example.org", "password": password}, follow=True
    )
    assert response.wsgi_request.user == person
    assert response.redirect_chain[-1][0] == reverse("cases:log_list")


@pytest.mark.django_db
def test_wrong_password_does_not_say_whether_the_account_exists(client):
    UserFactory(email="lee@example.org")
    known = client.post(reverse("login"), {"username": "lee@example.org", "password": "nope"})
    unknown = client.post(reverse("login"), {"username": "who@example.org", "password": "nope"})
    assert known.status_code == unknown.status_code == 200
    assert known.context["form"].errors == unknown.context["form"].errors


@pytest.mark.django_db
def test_log_out_needs_post_and_ends_the_session(client, supervisee):
    client.force_login(supervisee)
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert client.get(reverse("home")).status_code == 302
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_change_password(client, supervisee, password):
    client.force_login(supervisee)
    response = client.post(
        reverse("password_change"),
        {
            "old_password": password,
            "new_password1": "a-much-longer-passphrase",
            "new_password2": "a-much-longer-passphrase",
        },
    )
    assert response.status_code == 302
    supervisee.refresh_from_db()
    assert supervisee.check_password("a-much-longer-passphrase")


@pytest.mark.django_db
def test_change_password_refuses_short_passwords(client, supervisee, password):
    client.force_login(supervisee)
    response = client.post(
        reverse("password_change"),
        {"old_password": password, "new_password1": "short-pw1", "new_password2": "short-pw1"},
    )
    assert response.status_code == 200
    assert "at least 12 characters" in response.content.decode()
    supervisee.refresh_from_db()
    assert supervisee.check_password(password)


@pytest.mark.django_db
def test_password_reset_round_trip(client, supervisee):
    response = client.post(reverse("password_reset"), {"email": "SAM@example.org"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    body = mail.outbox[0].body
    link = re.search(r"http://testserver(/accounts/reset/\S+)", body).group(1)
    form_url = client.get(link).url  # Django swaps the token for a session marker
    response = client.post(
        form_url,
        {"new_password1": "brand-new-passphrase", "new_password2": "brand-new-passphrase"},
    )
    assert response.status_code == 302
    supervisee.refresh_from_db()
    assert supervisee.check_password("brand-new-passphrase")


@pytest.mark.django_db
def test_password_reset_for_unknown_address_looks_the_same(client):
    response = client.post(reverse("password_reset"), {"email": "nobody@example.org"})
    assert response.status_code == 302
    assert response.url == reverse("password_reset_done")
    assert mail.outbox == []


@pytest.mark.django_db
def test_pages_use_vendored_assets_only(client, supervisee):
    client.force_login(supervisee)
    html = client.get(reverse("cases:log_list")).content.decode()
    assert "/static/vendor/bootstrap-5.3.8/bootstrap.min.css" in html
    assert "https://" not in html and "//cdn" not in html


@pytest.mark.django_db
def test_user_without_role_gets_a_plain_page(client):
    person = UserFactory(role=Role.ADMIN, is_staff=False)
    client.force_login(person)
    assert client.get(reverse("home")).status_code == 200
